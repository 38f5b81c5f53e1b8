ALTER TABLE client RENAME TO customer_account;
