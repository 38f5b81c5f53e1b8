CREATE TABLE account (
    id INTEGER NOT NULL,
    email VARCHAR2(120 CHAR) NOT NULL UNIQUE,
    balance NUMBER(10, 2),
    PRIMARY KEY (id)
);
