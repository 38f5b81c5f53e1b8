error invalid: identifier 'a"b' holds a double quote, which oracle names cannot hold
