error invalid: oracle URL option 'Dbq' is not a driver attribute; the URL sets it
