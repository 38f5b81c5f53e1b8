BEGIN TRANSACTION;

CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

GO

-- Running upgrade  -> ms000001

CREATE TABLE enrolment (
    student_id INTEGER NOT NULL,
    course_id INTEGER NOT NULL,
    note NVARCHAR(40) NULL,
    CONSTRAINT pk_enrolment PRIMARY KEY (student_id, course_id)
);

GO

DECLARE @schema sysname = SCHEMA_NAME();
DECLARE @comment NVARCHAR(4000) = CONCAT(N'first line', NCHAR(10), N'GO', NCHAR(10), N'last line');
EXEC sp_addextendedproperty @name = N'MS_Description', @value = @comment, @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'TABLE', @level1name = N'enrolment', @level2type = N'COLUMN', @level2name = N'note';

GO

INSERT INTO enrolment (student_id, course_id, note) VALUES (1, 10, CONCAT(N'a', NCHAR(10), N'GO', NCHAR(10), N'b'));

GO

INSERT INTO enrolment (student_id, course_id, note) VALUES (2, 10, CONCAT(N'costs ', NCHAR(36), N'(price)'));

GO

CREATE TABLE account (
    id INTEGER IDENTITY(1,1) NOT NULL,
    name VARCHAR(40) DEFAULT CONCAT('x', CHAR(13), CHAR(10), 'go') NULL,
    PRIMARY KEY (id)
);

GO

SET IDENTITY_INSERT account ON;

GO

INSERT INTO account (id, name) VALUES (7, 'seven');

GO

SET IDENTITY_INSERT account OFF;

GO

INSERT INTO retort_version (version_num) VALUES ('ms000001');

GO

COMMIT;

