ALTER TABLE feature_flag ADD enabled BIT DEFAULT '0' NOT NULL;
