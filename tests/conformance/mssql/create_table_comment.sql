CREATE TABLE note (
    id INTEGER NOT NULL,
    body VARCHAR(max) NULL,
    PRIMARY KEY (id)
);
DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Notes kept by users', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'note';
DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'what the user wrote', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'note', @level2type = N'COLUMN', @level2name = N'body';
DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_updateextendedproperty @name = N'MS_Description', @value = N'Users'' notes', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'note';
DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_dropextendedproperty @name = N'MS_Description', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'note';
