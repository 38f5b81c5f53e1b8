error invalid: postgresql URL option 'Pwd' is not supported: use sslmode or a psqlODBC option such as ReadOnly or ConnSettings
