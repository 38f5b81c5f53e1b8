BEGIN;

-- Running downgrade cccc0003 -> bbbb0002

DROP TABLE ledger;

UPDATE retort_version SET version_num='bbbb0002' WHERE retort_version.version_num = 'cccc0003';

-- Running downgrade bbbb0002 -> aaaa0001

DROP INDEX ix_account_name;

ALTER TABLE account DROP COLUMN balance;

UPDATE retort_version SET version_num='aaaa0001' WHERE retort_version.version_num = 'bbbb0002';

-- Running downgrade aaaa0001 -> 

DROP TABLE account;

DELETE FROM retort_version WHERE retort_version.version_num = 'aaaa0001';

COMMIT;

