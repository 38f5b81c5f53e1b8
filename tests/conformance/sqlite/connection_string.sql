Driver={SQLite3};Database=/var/lib/app/app.db;FKSupport=1;Timeout=1000
Driver={SQLite3};Database=/var/lib/app/app.db;timeout=50
