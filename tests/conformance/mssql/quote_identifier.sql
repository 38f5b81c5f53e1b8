CREATE TABLE [order] (
    [select] INTEGER NULL,
    [CamelCase] INTEGER NULL,
    [two words] INTEGER NULL
);
