ALTER TABLE customer ADD nickname VARCHAR2(30 CHAR) DEFAULT 'anonymous';
