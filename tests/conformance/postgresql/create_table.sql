CREATE TABLE account (
    id INTEGER NOT NULL,
    email VARCHAR(120) NOT NULL UNIQUE,
    balance NUMERIC(10, 2),
    PRIMARY KEY (id)
);
