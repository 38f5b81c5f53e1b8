error invalid: oracle URL option 'DRIVER' is not a driver attribute; the URL sets it
