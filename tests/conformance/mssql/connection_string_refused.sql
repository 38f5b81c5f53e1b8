error invalid: mssql URL option 'server' is not a driver option; write it in the URL itself
