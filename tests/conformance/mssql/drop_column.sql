CREATE TABLE customer_legacy (
    id INTEGER NOT NULL,
    fax_number VARCHAR(20) NULL,
    PRIMARY KEY (id)
);
DECLARE @sql NVARCHAR(max) = (
    SELECT N'ALTER TABLE customer_legacy DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.default_constraints
    WHERE parent_object_id = OBJECT_ID(N'customer_legacy')
    AND COL_NAME(parent_object_id, parent_column_id) = N'fax_number');
IF @sql IS NOT NULL EXEC sp_executesql @sql;
ALTER TABLE customer_legacy DROP COLUMN fax_number;
