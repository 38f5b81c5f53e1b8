ALTER TABLE archive.invoice_history ADD COLUMN archived_at DATETIME;
