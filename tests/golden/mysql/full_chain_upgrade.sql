CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> fc0001

CREATE TABLE account (
    id INTEGER NOT NULL AUTO_INCREMENT,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(100) COMMENT 'display name',
    balance NUMERIC(12, 2) NOT NULL DEFAULT '0',
    active BOOL NOT NULL DEFAULT '1',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uq_account_email UNIQUE (email),
    CONSTRAINT ck_account_balance CHECK (balance >= 0)
) COMMENT='people who pay';

CREATE TABLE tag (
    id INTEGER NOT NULL,
    label VARCHAR(50) NOT NULL,
    PRIMARY KEY (id)
);

INSERT INTO account (email, name, balance, active, created_at) VALUES ('ada@example.com', 'Ada', 12.50, 1, '2026-01-02 03:04:05');

INSERT INTO account (email, name, balance, active, created_at) VALUES ('obrien@example.com', 'Dara O''Brien', 0, 0, '2026-02-03 04:05:06');

INSERT INTO account (email, name, balance, active, created_at) VALUES ('nil@example.com', NULL, 7.25, 1, '2026-03-04 05:06:07');

INSERT INTO tag (id, label) VALUES (1, 'vip');

INSERT INTO tag (id, label) VALUES (2, 'new; -- not a comment');

INSERT INTO retort_version (version_num) VALUES ('fc0001');

-- Running upgrade fc0001 -> fc0002

CREATE TABLE purchase (
    id BIGINT NOT NULL AUTO_INCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(10, 2),
    quantity SMALLINT DEFAULT '1',
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt LONGBLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    PRIMARY KEY (id),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (1, 19.99, '2026-04-05', '10:11:12', X'00ff270a');

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (2, NULL, NULL, NULL, NULL);

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0001';

-- Running upgrade fc0002 -> fc0003

ALTER TABLE account ADD COLUMN nickname VARCHAR(40) COMMENT 'what friends say';

ALTER TABLE account MODIFY name VARCHAR(200) NULL COMMENT 'full name';

ALTER TABLE account CHANGE nickname handle VARCHAR(40) NULL DEFAULT 'anon' COMMENT 'what friends say';

ALTER TABLE tag MODIFY label VARCHAR(50) NULL;

ALTER TABLE purchase MODIFY amount NUMERIC(14, 2) NULL;

ALTER TABLE purchase ALTER COLUMN quantity DROP DEFAULT;

ALTER TABLE tag COMMENT 'labels for accounts';

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0002';

-- Running upgrade fc0003 -> fc0004

ALTER TABLE tag ADD CONSTRAINT uq_tag_label UNIQUE (label);

ALTER TABLE purchase ADD CONSTRAINT ck_purchase_amount CHECK (amount >= 0);

ALTER TABLE purchase ADD COLUMN tag_id INTEGER;

ALTER TABLE purchase ADD CONSTRAINT fk_purchase_tag FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE SET NULL;

CREATE TABLE account_tag (
    account_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL
);

ALTER TABLE account_tag ADD CONSTRAINT pk_account_tag PRIMARY KEY (account_id, tag_id);

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0003';

-- Running upgrade fc0004 -> fc0005

RENAME TABLE account_tag TO account_label;

CREATE TABLE retort_test2.event (
    id INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL,
    accounts INTEGER,
    PRIMARY KEY (id)
);

CREATE INDEX ix_event_kind ON retort_test2.event (kind);

ALTER TABLE account DROP COLUMN created_at;

UPDATE account SET handle = 'ada' WHERE email = 'ada@example.com';

INSERT INTO retort_test2.event (id, kind, accounts) VALUES (1, 'migrated', 0);

UPDATE retort_version SET version_num='fc0005' WHERE retort_version.version_num = 'fc0004';

