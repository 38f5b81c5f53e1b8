CREATE TABLE note (
    id INTEGER NOT NULL,
    body TEXT COMMENT 'what the user wrote',
    PRIMARY KEY (id)
) COMMENT='Notes kept by users';
ALTER TABLE note COMMENT 'Users'' notes';
ALTER TABLE note COMMENT '';
