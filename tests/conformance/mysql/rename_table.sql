RENAME TABLE client TO customer_account;
