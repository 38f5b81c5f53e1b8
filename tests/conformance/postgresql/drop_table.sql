DROP TABLE obsolete_log;
