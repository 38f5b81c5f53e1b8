ALTER TABLE invoice ADD status VARCHAR2(16 CHAR) DEFAULT 'open' NOT NULL;
COMMENT ON COLUMN invoice.status IS 'open, paid or void';
