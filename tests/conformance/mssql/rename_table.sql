EXEC sp_rename N'client', N'customer_account';
