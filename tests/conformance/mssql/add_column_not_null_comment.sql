ALTER TABLE invoice ADD status VARCHAR(16) DEFAULT 'open' NOT NULL;
DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'open, paid or void', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'invoice', @level2type = N'COLUMN', @level2name = N'status';
