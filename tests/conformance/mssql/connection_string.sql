Driver={FreeTDS};Server=sql1.example.com;Port=1433;Database=app;Uid={sa};Pwd={p;w};Encrypt=yes;TDS_Version=7.4
Driver={FreeTDS};Server=sql1.example.com;Port=1433;Database=app;Uid={sa};Pwd={pw};tds_version=7.3
