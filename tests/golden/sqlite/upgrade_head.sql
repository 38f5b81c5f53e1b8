BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> aaaa0001

CREATE TABLE account (
    id INTEGER NOT NULL,
    name VARCHAR(50) NOT NULL,
    created DATETIME DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id)
);

INSERT INTO retort_version (version_num) VALUES ('aaaa0001');

-- Running upgrade aaaa0001 -> bbbb0002

ALTER TABLE account ADD COLUMN balance NUMERIC(12, 2) DEFAULT '0';

CREATE UNIQUE INDEX ix_account_name ON account (name);

UPDATE retort_version SET version_num='bbbb0002' WHERE retort_version.version_num = 'aaaa0001';

-- Running upgrade bbbb0002 -> cccc0003

CREATE TABLE ledger (
    id BIGINT NOT NULL,
    note TEXT,
    done BOOLEAN DEFAULT '0' NOT NULL,
    PRIMARY KEY (id)
);

INSERT INTO ledger (id, note, done) VALUES (1, 'opened', 0);

UPDATE retort_version SET version_num='cccc0003' WHERE retort_version.version_num = 'bbbb0002';

COMMIT;

