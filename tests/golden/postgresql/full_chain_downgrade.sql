BEGIN;

-- Running downgrade fc0005 -> fc0004

ALTER TABLE account ADD COLUMN created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL;

DROP INDEX analytics.ix_event_kind;

DROP TABLE analytics.event;

ALTER TABLE account_label RENAME TO account_tag;

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0005';

-- Running downgrade fc0004 -> fc0003

ALTER TABLE account_tag DROP CONSTRAINT pk_account_tag;

DROP TABLE account_tag;

ALTER TABLE purchase DROP CONSTRAINT fk_purchase_tag;

ALTER TABLE purchase DROP COLUMN tag_id;

ALTER TABLE purchase DROP CONSTRAINT ck_purchase_amount;

ALTER TABLE tag DROP CONSTRAINT uq_tag_label;

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0004';

-- Running downgrade fc0003 -> fc0002

COMMENT ON TABLE tag IS NULL;

ALTER TABLE purchase ALTER COLUMN quantity SET DEFAULT '1';

ALTER TABLE purchase ALTER COLUMN amount TYPE NUMERIC(10, 2);

ALTER TABLE tag ALTER COLUMN label SET NOT NULL;

ALTER TABLE account ALTER COLUMN handle DROP DEFAULT;

ALTER TABLE account RENAME COLUMN handle TO nickname;

ALTER TABLE account ALTER COLUMN name TYPE VARCHAR(100);

COMMENT ON COLUMN account.name IS 'display name';

ALTER TABLE account DROP COLUMN nickname;

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0003';

-- Running downgrade fc0002 -> fc0001

DROP INDEX ix_account_email_lower;

DROP INDEX ix_purchase_open;

DROP INDEX ix_purchase_account;

DROP TABLE purchase;

UPDATE retort_version SET version_num='fc0001' WHERE retort_version.version_num = 'fc0002';

-- Running downgrade fc0001 -> 

DROP TABLE tag;

DROP TABLE account;

DELETE FROM retort_version WHERE retort_version.version_num = 'fc0001';

COMMIT;

