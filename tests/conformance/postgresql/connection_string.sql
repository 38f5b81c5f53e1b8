Driver={PostgreSQL Unicode};Server=db.example.com;Port=5432;Database=app;Uid=app;Pwd={p;w};Protocol=7.4-1;SSLmode=require;ReadOnly=1
