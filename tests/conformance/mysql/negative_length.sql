error invalid: column 'code' has a negative length
