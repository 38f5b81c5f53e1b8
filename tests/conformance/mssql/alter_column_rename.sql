EXEC sp_rename N'person.surname', N'family_name', 'COLUMN';
