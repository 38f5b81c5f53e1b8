CREATE TABLE note (
    id INTEGER NOT NULL,
    body TEXT,
    PRIMARY KEY (id)
);
