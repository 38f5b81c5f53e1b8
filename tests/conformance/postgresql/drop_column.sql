CREATE TABLE customer_legacy (
    id INTEGER NOT NULL,
    fax_number VARCHAR(20),
    PRIMARY KEY (id)
);
ALTER TABLE customer_legacy DROP COLUMN fax_number;
