Driver={Oracle 21 ODBC driver};DBQ=//db.example.com:1522/svc;UID={scott};PWD={tiger};DBA=R
