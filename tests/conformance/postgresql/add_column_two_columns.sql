error invalid: add_column to table 'pair' needs one column, not 2
