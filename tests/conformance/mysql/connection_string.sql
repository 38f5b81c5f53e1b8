Driver={MariaDB Unicode};Server=db.example.com;Port=3306;Database=app;Uid={app};Pwd={p}}w};SSLVERIFY=1
