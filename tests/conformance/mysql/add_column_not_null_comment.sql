ALTER TABLE invoice ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'open' COMMENT 'open, paid or void';
