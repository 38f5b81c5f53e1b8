error invalid: name 'cost_$(region)' holds a line break or '$(', which sqlcmd misreads in a script; choose another name
