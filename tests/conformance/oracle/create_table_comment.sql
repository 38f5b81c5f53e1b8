CREATE TABLE note (
    id INTEGER NOT NULL,
    body CLOB,
    PRIMARY KEY (id)
);
COMMENT ON TABLE note IS 'Notes kept by users';
COMMENT ON COLUMN note.body IS 'what the user wrote';
COMMENT ON TABLE note IS 'Users'' notes';
COMMENT ON TABLE note IS '';
