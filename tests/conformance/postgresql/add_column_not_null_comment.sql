ALTER TABLE invoice ADD COLUMN status VARCHAR(16) DEFAULT 'open' NOT NULL;
COMMENT ON COLUMN invoice.status IS 'open, paid or void';
