ALTER TABLE archive.invoice_history ADD archived_at TIMESTAMP;
