ALTER TABLE greeting ADD salutation VARCHAR(40) DEFAULT 'O''Brien' NULL;
ALTER TABLE greeting ADD path VARCHAR(40) DEFAULT 'C:\temp' NULL;
