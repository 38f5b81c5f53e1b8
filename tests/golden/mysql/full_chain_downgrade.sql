-- Running downgrade fc0005 -> fc0004

ALTER TABLE account ADD COLUMN created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;

DROP INDEX ix_event_kind ON retort_test2.event;

DROP TABLE retort_test2.event;

RENAME TABLE account_label TO account_tag;

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0005';

-- Running downgrade fc0004 -> fc0003

ALTER TABLE account_tag DROP PRIMARY KEY;

DROP TABLE account_tag;

ALTER TABLE purchase DROP FOREIGN KEY fk_purchase_tag;

ALTER TABLE purchase DROP COLUMN tag_id;

ALTER TABLE purchase DROP CONSTRAINT ck_purchase_amount;

ALTER TABLE tag DROP INDEX uq_tag_label;

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0004';

-- Running downgrade fc0003 -> fc0002

ALTER TABLE tag COMMENT '';

ALTER TABLE purchase ALTER COLUMN quantity SET DEFAULT '1';

ALTER TABLE purchase MODIFY amount NUMERIC(10, 2) NULL;

ALTER TABLE tag MODIFY label VARCHAR(50) NOT NULL;

ALTER TABLE account CHANGE handle nickname VARCHAR(40) NULL COMMENT 'what friends say';

ALTER TABLE account MODIFY name VARCHAR(100) NULL COMMENT 'display name';

ALTER TABLE account DROP COLUMN nickname;

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0003';

-- Running downgrade fc0002 -> fc0001

DROP INDEX ix_purchase_account ON purchase;

DROP TABLE purchase;

UPDATE retort_version SET version_num='fc0001' WHERE retort_version.version_num = 'fc0002';

-- Running downgrade fc0001 -> 

DROP TABLE tag;

DROP TABLE account;

DELETE FROM retort_version WHERE retort_version.version_num = 'fc0001';

