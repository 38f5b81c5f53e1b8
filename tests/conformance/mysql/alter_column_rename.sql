ALTER TABLE person CHANGE surname family_name VARCHAR(60) NOT NULL;
