BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> fc0001

CREATE TABLE account (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(100),
    balance NUMERIC(12, 2) DEFAULT '0' NOT NULL,
    active BOOLEAN DEFAULT '1' NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT uq_account_email UNIQUE (email),
    CONSTRAINT ck_account_balance CHECK (balance >= 0)
);

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
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(10, 2),
    quantity SMALLINT DEFAULT '1',
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt BLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

CREATE UNIQUE INDEX ix_account_email_lower ON account (lower(email));

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (1, 19.99, '2026-04-05', '10:11:12', X'00ff270a');

INSERT INTO purchase (account_id, amount, placed_on, placed_at, receipt) VALUES (2, NULL, NULL, NULL, NULL);

UPDATE retort_version SET version_num='fc0002' WHERE retort_version.version_num = 'fc0001';

-- Running upgrade fc0002 -> fc0003

ALTER TABLE account ADD COLUMN nickname VARCHAR(40);

CREATE TABLE _retort_tmp_account (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(200),
    balance NUMERIC(12, 2) DEFAULT '0' NOT NULL,
    active BOOLEAN DEFAULT '1' NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    nickname VARCHAR(40),
    CONSTRAINT uq_account_email UNIQUE (email),
    CONSTRAINT ck_account_balance CHECK (balance >= 0)
);

INSERT INTO _retort_tmp_account (id, email, name, balance, active, created_at, nickname) SELECT id, email, CAST(name AS TEXT), balance, active, created_at, nickname FROM account;

DROP TABLE account;

ALTER TABLE _retort_tmp_account RENAME TO account;

CREATE UNIQUE INDEX ix_account_email_lower ON account (lower(email));

ALTER TABLE account RENAME COLUMN nickname TO handle;

CREATE TABLE _retort_tmp_account (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(200),
    balance NUMERIC(12, 2) DEFAULT '0' NOT NULL,
    active BOOLEAN DEFAULT '1' NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    handle VARCHAR(40) DEFAULT 'anon',
    CONSTRAINT uq_account_email UNIQUE (email),
    CONSTRAINT ck_account_balance CHECK (balance >= 0)
);

INSERT INTO _retort_tmp_account (id, email, name, balance, active, created_at, handle) SELECT id, email, name, balance, active, created_at, handle FROM account;

DROP TABLE account;

ALTER TABLE _retort_tmp_account RENAME TO account;

CREATE UNIQUE INDEX ix_account_email_lower ON account (lower(email));

CREATE TABLE _retort_tmp_tag (
    id INTEGER NOT NULL,
    label VARCHAR(50),
    PRIMARY KEY (id)
);

INSERT INTO _retort_tmp_tag (id, label) SELECT id, label FROM tag;

DROP TABLE tag;

ALTER TABLE _retort_tmp_tag RENAME TO tag;

CREATE TABLE _retort_tmp_purchase (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(14, 2),
    quantity SMALLINT DEFAULT '1',
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt BLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

INSERT INTO _retort_tmp_purchase (id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code) SELECT id, account_id, CAST(amount AS NUMERIC), quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code FROM purchase;

DROP TABLE purchase;

ALTER TABLE _retort_tmp_purchase RENAME TO purchase;

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

CREATE TABLE _retort_tmp_purchase (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(14, 2),
    quantity SMALLINT,
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt BLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE
);

INSERT INTO _retort_tmp_purchase (id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code) SELECT id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code FROM purchase;

DROP TABLE purchase;

ALTER TABLE _retort_tmp_purchase RENAME TO purchase;

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

UPDATE retort_version SET version_num='fc0003' WHERE retort_version.version_num = 'fc0002';

-- Running upgrade fc0003 -> fc0004

CREATE TABLE _retort_tmp_tag (
    id INTEGER NOT NULL,
    label VARCHAR(50),
    PRIMARY KEY (id),
    CONSTRAINT uq_tag_label UNIQUE (label)
);

INSERT INTO _retort_tmp_tag (id, label) SELECT id, label FROM tag;

DROP TABLE tag;

ALTER TABLE _retort_tmp_tag RENAME TO tag;

CREATE TABLE _retort_tmp_purchase (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(14, 2),
    quantity SMALLINT,
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt BLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
    CONSTRAINT ck_purchase_amount CHECK (amount >= 0)
);

INSERT INTO _retort_tmp_purchase (id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code) SELECT id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code FROM purchase;

DROP TABLE purchase;

ALTER TABLE _retort_tmp_purchase RENAME TO purchase;

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

ALTER TABLE purchase ADD COLUMN tag_id INTEGER;

CREATE TABLE _retort_tmp_purchase (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    amount NUMERIC(14, 2),
    quantity SMALLINT,
    weight FLOAT,
    placed_on DATE,
    placed_at TIME,
    note TEXT,
    payload JSON,
    reference CHAR(32),
    receipt BLOB,
    status VARCHAR(20),
    legacy_code CHAR(3),
    tag_id INTEGER,
    CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE,
    CONSTRAINT ck_purchase_amount CHECK (amount >= 0),
    CONSTRAINT fk_purchase_tag FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE SET NULL
);

INSERT INTO _retort_tmp_purchase (id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code, tag_id) SELECT id, account_id, amount, quantity, weight, placed_on, placed_at, note, payload, reference, receipt, status, legacy_code, tag_id FROM purchase;

DROP TABLE purchase;

ALTER TABLE _retort_tmp_purchase RENAME TO purchase;

CREATE INDEX ix_purchase_account ON purchase (placed_on, account_id);

CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0;

CREATE TABLE account_tag (
    account_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL
);

CREATE TABLE _retort_tmp_account_tag (
    account_id INTEGER NOT NULL,
    tag_id INTEGER NOT NULL,
    CONSTRAINT pk_account_tag PRIMARY KEY (account_id, tag_id)
);

INSERT INTO _retort_tmp_account_tag (account_id, tag_id) SELECT account_id, tag_id FROM account_tag;

DROP TABLE account_tag;

ALTER TABLE _retort_tmp_account_tag RENAME TO account_tag;

UPDATE retort_version SET version_num='fc0004' WHERE retort_version.version_num = 'fc0003';

-- Running upgrade fc0004 -> fc0005

ALTER TABLE account_tag RENAME TO account_label;

CREATE TABLE main.event (
    id INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL,
    accounts INTEGER,
    PRIMARY KEY (id)
);

CREATE INDEX main.ix_event_kind ON event (kind);

ALTER TABLE account DROP COLUMN created_at;

UPDATE account SET handle = 'ada' WHERE email = 'ada@example.com';

INSERT INTO main.event (id, kind, accounts) VALUES (1, 'migrated', 0);

UPDATE retort_version SET version_num='fc0005' WHERE retort_version.version_num = 'fc0004';

COMMIT;

