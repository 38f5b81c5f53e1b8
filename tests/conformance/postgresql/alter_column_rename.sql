ALTER TABLE person RENAME COLUMN surname TO family_name;
