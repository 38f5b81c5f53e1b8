ALTER TABLE customer ADD nickname VARCHAR(30) DEFAULT 'anonymous' NULL;
