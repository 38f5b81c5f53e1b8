error invalid: the value of sqlite URL option 'Timeout' holds ';' or a NUL character
