error invalid: mysql URL option 'PWD' is not a driver option; write it in the URL itself
