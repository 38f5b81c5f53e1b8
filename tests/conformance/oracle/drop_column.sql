CREATE TABLE customer_legacy (
    id INTEGER NOT NULL,
    fax_number VARCHAR2(20 CHAR),
    PRIMARY KEY (id)
);
ALTER TABLE customer_legacy DROP COLUMN fax_number;
