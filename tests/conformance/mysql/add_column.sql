ALTER TABLE customer ADD COLUMN nickname VARCHAR(30) DEFAULT 'anonymous';
