BEGIN TRANSACTION;

CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running upgrade  -> fc0001

CREATE TABLE account (
    id INTEGER IDENTITY(1,1) NOT NULL,
    email VARCHAR(200) NOT NULL,
    name NVARCHAR(100) NULL,
    balance NUMERIC(12, 2) DEFAULT '0' NOT NULL,
    active BIT DEFAULT '1' NOT NULL,
    created_at DATETIME2 DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_account_email UNIQUE (email),
    CONSTRAINT ck_account_balance CHECK (balance >= 0)
);

GO

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'people who pay', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'account';

GO

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'display name', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'account', @level2type = N'COLUMN', @level2name = N'name';

GO

CREATE TABLE tag (
    id INTEGER NOT NULL,
    label VARCHAR(50) NOT NULL,
    PRIMARY KEY (id)
);

GO

INSERT INTO account (email, name, balance, active, created_at) VALUES ('ada@example.com', N'Ada', 12.50, 1, '2026-01-02 03:04:05');

GO

INSERT INTO account (email, name, balance, active, created_at) VALUES ('obrien@example.com', N'Dara O''Brien', 0, 0, '2026-02-03 04:05:06');

GO

INSERT INTO account (email, name, balance, active, created_at) VALUES ('nil@example.com', NULL, 7.25, 1, '2026-03-04 05:06:07');

GO

INSERT INTO tag (id, label) VALUES (1, 'vip');

GO

INSERT INTO tag (id, label) VALUES (2, 'new; -- not a comment');

GO

INSERT INTO retort_version (version_num) VALUES ('fc0001');

GO

-- Running upgrade fc0001 -> fc0002

CREATE TABLE purchase (
    id BIGINT IDENTITY(1,1) NOT NULL,
    account_id INTEGER NOT NULL,
    amount NUMERIC(10, 2) NULL,
    quantity SMALLINT DEFAULT '1' NULL,
    weight FLOAT NULL,
    placed_on DATE NULL,
    placed_at TIME NULL,
    note VARCHAR(max) NULL,
    payload NVARCHAR(max) NULL,
    reference UNIQUEIDENTIFIER NULL,
    receipt VARBINARY(max) NULL,
    status VARCHAR(20) NULL,
    legacy_code CHAR(3) NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

GO

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

GO

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

GO

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (1, 19.99, '2026-04-05', '10:11:12', 0x00ff270a);

GO

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (2, NULL, NULL, NULL, NULL);

GO

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0001';

GO

-- Running upgrade fc0002 -> fc0003

ALTER TABLE account ADD nickname VARCHAR(40) NULL;

GO

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'what friends say', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'account', @level2type = N'COLUMN', @level2name = N'nickname';

GO

ALTER TABLE account ALTER COLUMN name NVARCHAR(200) NULL;

GO

DECLARE @schema sysname = SCHEMA_NAME();
EXEC sp_updateextendedproperty @name = N'MS_Description', @value = N'full name', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'account', @level2type = N'COLUMN', @level2name = N'name';

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'account')
    AND COL_NAME(parent_object_id, parent_column_id) = N'nickname');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

ALTER TABLE account ADD DEFAULT 'anon' FOR nickname;

GO

EXEC sp_rename N'account.nickname', N'handle', 'COLUMN';

GO

ALTER TABLE tag ALTER COLUMN label VARCHAR(50) NULL;

GO

ALTER TABLE purchase ALTER COLUMN amount NUMERIC(14, 2) NULL;

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE purchase DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'purchase')
    AND COL_NAME(parent_object_id, parent_column_id) = N'quantity');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

DECLARE @schema sysname = SCHEMA_NAME();
IF EXISTS (SELECT 1 FROM sys.fn_listextendedproperty(N'MS_Description', N'SCHEMA', @schema, N'TABLE', N'tag', NULL, NULL))
    EXEC sp_updateextendedproperty @name = N'MS_Description', @value = N'labels for accounts', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'tag'
ELSE
    EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'labels for accounts', @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'tag';

GO

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0002';

GO

-- Running upgrade fc0003 -> fc0004

ALTER TABLE tag ADD CONSTRAINT uq_tag_label UNIQUE (label);

GO

ALTER TABLE purchase ADD CONSTRAINT ck_purchase_amount CHECK (amount >= 0);

GO

ALTER TABLE purchase ADD tag_id INTEGER NULL;

GO

ALTER TABLE purchase ADD CONSTRAINT fk_purchase_tag FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE SET NULL;

GO

CREATE TABLE account_tag (
    account_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL
);

GO

ALTER TABLE account_tag ADD CONSTRAINT pk_account_tag PRIMARY KEY (account_id, tag_id);

GO

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0003';

GO

-- Running upgrade fc0004 -> fc0005

EXEC sp_rename N'account_tag', N'account_label';

GO

CREATE TABLE dbo.event (
    id INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL,
    accounts INTEGER NULL,
    PRIMARY KEY (id)
);

GO

CREATE INDEX ix_event_kind ON dbo.event (kind);

GO

DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'account')
    AND COL_NAME(parent_object_id, parent_column_id) = N'created_at');
IF @sql IS NOT NULL EXEC sp_executesql @sql;

GO

ALTER TABLE account DROP COLUMN created_at;

GO

UPDATE account SET handle = 'ada' WHERE email = 'ada@example.com';

GO

INSERT INTO dbo.event (id, kind, accounts) VALUES (1, 'migrated', 0);

GO

UPDATE retort_version SET version_num='fc0005' WHERE retort_version.version_num = 'fc0004';

GO

COMMIT;

