BEGIN TRANSACTION;

-- Running downgrade fc0005 -> fc0004

ALTER TABLE account ADD created_at DATETIME2 DEFAULT CURRENT_TIMESTAMP NOT NULL;

GO

DROP INDEX ix_event_kind ON dbo.event;

GO

DROP TABLE dbo.event;

GO

EXEC sp_rename N'account_label', N'account_tag';

GO

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0005';

GO

-- Running downgrade fc0004 -> fc0003

ALTER TABLE account_tag DROP CONSTRAINT pk_account_tag;

GO

DROP TABLE account_tag;

GO

ALTER TABLE purchase DROP CONSTRAINT fk_purchase_tag;

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE purchase DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'purchase')
    AND COL_NAME(parent_object_id, parent_column_id) = N'tag_id');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

ALTER TABLE purchase DROP COLUMN tag_id;

GO

ALTER TABLE purchase DROP CONSTRAINT ck_purchase_amount;

GO

ALTER TABLE tag DROP CONSTRAINT uq_tag_label;

GO

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0004';

GO

-- Running downgrade fc0003 -> fc0002

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_dropextendedproperty @name = N'MS_Description', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'tag';

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE purchase DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'purchase')
    AND COL_NAME(parent_object_id, parent_column_id) = N'quantity');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

ALTER TABLE purchase ADD DEFAULT '1' FOR quantity;

GO

ALTER TABLE purchase ALTER COLUMN amount NUMERIC(10, 2) NULL;

GO

ALTER TABLE tag ALTER COLUMN label VARCHAR(50) NOT NULL;

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'account')
    AND COL_NAME(parent_object_id, parent_column_id) = N'handle');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

EXEC sp_rename N'account.handle', N'nickname', 'COLUMN';

GO

ALTER TABLE account ALTER COLUMN name NVARCHAR(100) NULL;

GO

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_updateextendedproperty @name = N'MS_Description', @value = N'display name', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'account', @level2type = N'COLUMN', @level2name = N'name';

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'account')
    AND COL_NAME(parent_object_id, parent_column_id) = N'nickname');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

ALTER TABLE account DROP COLUMN nickname;

GO

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0003';

GO

-- Running downgrade fc0002 -> fc0001

DROP INDEX ix_purchase_open ON purchase;

GO

DROP INDEX ix_purchase_account ON purchase;

GO

DROP TABLE purchase;

GO

UPDATE retort_version SET version_num='fc0001' WHERE retort_version.version_num = 'fc0002';

GO

-- Running downgrade fc0001 -> 

DROP TABLE tag;

GO

DROP TABLE account;

GO

DELETE FROM retort_version WHERE retort_version.version_num = 'fc0001';

GO

COMMIT;

