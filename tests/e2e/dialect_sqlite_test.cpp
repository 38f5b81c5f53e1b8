// The SQLite dialect's batch rebuild ("move and copy") end to end: the full
// chain online against a SQLite file, the chain offline against golden
// scripts, and focused revisions for the rules the chain does not show.
#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

std::string user_tables(const fs::path& db) {
  return sqlite(db,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' ORDER BY name");
}

std::string columns(const fs::path& db, const std::string& table) {
  return sqlite(db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('" +
                        table + "') ORDER BY cid");
}

std::string table_sql(const fs::path& db, const std::string& table) {
  return sqlite(db,
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'");
}

void set_url(const fs::path& dir, const std::string& url) {
  const fs::path ini = dir / "retort.ini";
  const std::string text =
      std::regex_replace(read_text(ini), std::regex("\nurl = [^\n]*"), "\nurl = " + url);
  std::ofstream(ini) << text;
}

// A parent and a child table with rows, and a revision that rebuilds the
// child: a text column becomes numeric and a foreign key is added.
void make_batch_project(const fs::path& dir) {
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  set_url(dir, "sqlite:///batch.db");
  const fs::path versions = dir / "migrations" / "versions";
  REQUIRE(run_retort(dir, "revision -m 'parent and child' --rev-id bat00001").status == 0);
  write_revision_body(revision_source(versions, "bat00001"), R"~(
  op.create_table("parent", {retort::Column("id", retort::Integer()).primary_key()});
  op.create_table("child", {
      retort::Column("id", retort::Integer()).primary_key(),
      retort::Column("parent_id", retort::Integer()),
      retort::Column("amount", retort::String(10)).nullable(false),
  });
  op.create_index("ix_child_amount", "child", {"amount"});
  op.execute("INSERT INTO parent (id) VALUES (1)");
  op.execute("INSERT INTO child (id, parent_id, amount) VALUES (1, 1, '1.50'), (2, NULL, '2')");)~",
                      R"~(  op.drop_table("child");
  op.drop_table("parent");)~");
  REQUIRE(run_retort(dir, "revision -m 'numeric amount and a key' --rev-id bat00002").status == 0);
  write_revision_body(
      revision_source(versions, "bat00002"), R"~(
  op.alter_column("child", "amount", {.type = retort::Numeric(10, 2), .existing_type = retort::String(10)});
  op.create_foreign_key("fk_child_parent", "child", "parent", {"parent_id"}, {"id"});)~",
      R"~(  op.drop_constraint("fk_child_parent", "child", retort::ConstraintType::kForeignKey);
  op.alter_column("child", "amount", {.type = retort::String(10), .existing_type = retort::Numeric(10, 2)});)~");
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
  CliRun first = run_retort(dir, "upgrade bat00001");
  INFO(first.err);
  REQUIRE(first.status == 0);
}

}  // namespace

TEST_CASE("sqlite runs the full chain online, rebuilding tables without losing a row",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "chain.db";
  ChainEnv env("main", "partial_index,expression_index");
  make_full_chain(dir, "sqlite:///chain.db");

  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(user_tables(db) ==
        "account\naccount_label\nevent\npurchase\nretort_history\nretort_version\ntag\n");

  // Columns: fc0003's type, nullability, default and rename; fc0005's drop.
  CHECK(columns(db, "account") ==
        "id|INTEGER|1||1\n"
        "email|VARCHAR(200)|1||0\n"
        "name|VARCHAR(200)|0||0\n"
        "balance|NUMERIC(12, 2)|1|'0'|0\n"
        "active|BOOLEAN|1|'1'|0\n"
        "handle|VARCHAR(40)|0|'anon'|0\n");
  CHECK(columns(db, "tag") == "id|INTEGER|1||1\nlabel|VARCHAR(50)|0||0\n");
  CHECK_THAT(columns(db, "purchase"),
             Catch::Contains("amount|NUMERIC(14, 2)|0||0\nquantity|SMALLINT|0||0\n") &&
                 Catch::EndsWith("tag_id|INTEGER|0||0\n"));

  // Constraints, as written into each rebuilt table.
  CHECK_THAT(table_sql(db, "account"),
             Catch::Contains("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT") &&
                 Catch::Contains("CONSTRAINT uq_account_email UNIQUE (email)") &&
                 Catch::Contains("CONSTRAINT ck_account_balance CHECK (balance >= 0)"));
  CHECK_THAT(table_sql(db, "tag"), Catch::Contains("CONSTRAINT uq_tag_label UNIQUE (label)"));
  CHECK_THAT(table_sql(db, "purchase"),
             Catch::Contains("CONSTRAINT ck_purchase_amount CHECK (amount >= 0)") &&
                 Catch::Contains("CONSTRAINT fk_purchase_account FOREIGN KEY (account_id) "
                                 "REFERENCES account (id) ON DELETE CASCADE") &&
                 Catch::Contains("CONSTRAINT fk_purchase_tag FOREIGN KEY (tag_id) REFERENCES "
                                 "tag (id) ON DELETE SET NULL"));
  CHECK_THAT(table_sql(db, "account_label"),
             Catch::Contains("CONSTRAINT pk_account_tag PRIMARY KEY (account_id, tag_id)"));
  CHECK(sqlite(db,
               "SELECT \"table\", \"from\", \"to\", on_delete FROM "
               "pragma_foreign_key_list('purchase') ORDER BY \"from\"") ==
        "account|account_id|id|CASCADE\ntag|tag_id|id|SET NULL\n");
  CHECK(sqlite(db,
               "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
               "ORDER BY name") ==
        "ix_account_email_lower\nix_event_kind\nix_purchase_account\nix_purchase_open\n");
  CHECK(sqlite(db, "SELECT sql FROM sqlite_master WHERE name = 'ix_purchase_open'") ==
        "CREATE INDEX ix_purchase_open ON purchase (placed_on) WHERE quantity > 0\n");

  // The rows of fc0001 and fc0002 survived four rebuilds of account and
  // purchase, and AUTOINCREMENT still knows the highest id.
  CHECK(sqlite(db, "SELECT id, email, name, balance, active, handle FROM account ORDER BY id") ==
        "1|ada@example.com|Ada|12.5|1|ada\n"
        "2|obrien@example.com|Dara O'Brien|0|0|\n"
        "3|nil@example.com||7.25|1|\n");
  CHECK(sqlite(db,
               "SELECT id, account_id, amount, placed_on, quote(receipt) FROM purchase "
               "ORDER BY id") == "1|1|19.99|2026-04-05|X'00FF270A'\n2|2|||NULL\n");
  CHECK(sqlite(db, "SELECT id, label FROM tag ORDER BY id") == "1|vip\n2|new; -- not a comment\n");
  CHECK(sqlite(db, "SELECT seq FROM sqlite_sequence WHERE name = 'account'") == "3\n");
  CHECK(sqlite(db, "PRAGMA foreign_key_check") == "");

  // fc0005's downgrade adds NOT NULL DEFAULT CURRENT_TIMESTAMP to a table
  // with rows, which only a rebuild can.
  CliRun back = run_retort(dir, "downgrade fc0004");
  INFO(back.err);
  REQUIRE(back.status == 0);
  CHECK_THAT(columns(db, "account"),
             Catch::EndsWith("created_at|DATETIME|1|CURRENT_TIMESTAMP|0\n"));
  CHECK(sqlite(db, "SELECT COUNT(*) FROM account WHERE created_at IS NOT NULL") == "3\n");

  // fc0004's and fc0003's downgrades rebuild again, back to fc0002's shape.
  CliRun two = run_retort(dir, "downgrade fc0002");
  INFO(two.err);
  REQUIRE(two.status == 0);
  CHECK_THAT(columns(db, "purchase"),
             Catch::Contains("amount|NUMERIC(10, 2)|0||0\nquantity|SMALLINT|0|'1'|0\n"));
  CHECK(columns(db, "tag") == "id|INTEGER|1||1\nlabel|VARCHAR(50)|1||0\n");
  CHECK_THAT(table_sql(db, "purchase"),
             !Catch::Contains("ck_purchase_amount") && !Catch::Contains("fk_purchase_tag"));
  CHECK_THAT(table_sql(db, "tag"), !Catch::Contains("uq_tag_label"));
  // fc0003's downgrade renames handle back to nickname, then drops it.
  CHECK(sqlite(db,
               "SELECT name, type FROM pragma_table_info('account') WHERE name IN "
               "('name', 'nickname', 'handle') ORDER BY cid") == "name|VARCHAR(100)\n");
  CHECK(sqlite(db, "SELECT id, account_id, amount, quote(receipt) FROM purchase ORDER BY id") ==
        "1|1|19.99|X'00FF270A'\n2|2||NULL\n");
  CHECK(sqlite(db, "SELECT COUNT(*) FROM account") == "3\n");

  CliRun down = run_retort(dir, "downgrade base");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(user_tables(db) == "retort_history\nretort_version\n");
}

TEST_CASE("sqlite renders the full chain offline, rebuilding from the tables the script created",
          "[dialect][sqlite][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  ChainEnv env("main", "partial_index,expression_index");
  make_full_chain(dir, "sqlite:///chain.db");

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("sqlite/full_chain_upgrade.sql", up.out));
  CHECK_FALSE(fs::exists(dir / "chain.db"));

  // The script runs as it stands in the sqlite3 shell.
  const fs::path db = dir / "from_script.db";
  sqlite(db, up.out);
  CHECK(user_tables(db) == "account\naccount_label\nevent\npurchase\nretort_version\ntag\n");
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "fc0005\n");
  CHECK(sqlite(db, "SELECT name FROM account WHERE id = 2") == "Dara O'Brien\n");
  CHECK(sqlite(db, "SELECT quote(receipt) FROM purchase WHERE id = 1") == "X'00FF270A'\n");

  // Downgrading offline starts from tables this script did not create: the
  // first rebuild has no definition to start from, and says so.
  CliRun down = run_retort(dir, "downgrade fc0005:base --sql");
  CHECK(down.status != 0);
  CHECK(down.out == golden("sqlite/full_chain_downgrade.sql", down.out));
  CHECK(down.err ==
        "error: revision 'fc0005' failed (downgrade fc0005 -> fc0004): dialect 'sqlite' cannot "
        "render add_column: cannot add column 'created_at' on table 'account' offline: sqlite "
        "must rebuild the table, and its definition is unknown to this script; run this range "
        "online, or offline from base so that the script creates the table first\n");
}

TEST_CASE("sqlite batch keeps the rows through a type change and enforces an added foreign key",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "batch.db";
  make_batch_project(dir);

  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(sqlite(db, "SELECT id, parent_id, amount, typeof(amount) FROM child ORDER BY id") ==
        "1|1|1.5|real\n2||2|integer\n");
  CHECK(columns(db, "child") ==
        "id|INTEGER|1||1\nparent_id|INTEGER|0||0\namount|NUMERIC(10, 2)|1||0\n");
  CHECK(sqlite(db, "SELECT sql FROM sqlite_master WHERE name = 'ix_child_amount'") ==
        "CREATE INDEX ix_child_amount ON child (amount)\n");
  CHECK_THAT(table_sql(db, "child"),
             Catch::Contains("CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES "
                             "parent (id)"));
  CHECK_THROWS_WITH(sqlite(db, "PRAGMA foreign_keys = ON; INSERT INTO child VALUES (3, 42, 1)"),
                    Catch::Contains("FOREIGN KEY constraint failed"));
  sqlite(db, "PRAGMA foreign_keys = ON; INSERT INTO child VALUES (3, 1, 1)");

  CliRun down = run_retort(dir, "downgrade bat00001");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(sqlite(db, "SELECT id, parent_id, amount, typeof(amount) FROM child ORDER BY id") ==
        "1|1|1.5|text\n2||2|text\n3|1|1|text\n");
  CHECK_THAT(table_sql(db, "child"), !Catch::Contains("fk_child_parent"));
}

TEST_CASE("sqlite batch refuses a foreign key that existing rows break, naming the first row",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "batch.db";
  make_batch_project(dir);
  sqlite(db, "INSERT INTO child VALUES (7, 99, '3')");

  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("rebuilding table 'child' breaks 1 foreign key reference, "
                                     "the first in row 7 of 'child', which has no row in "
                                     "'parent'; fix or delete those rows before this operation"));
  // The revision rolled back: the child is as it was.
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "bat00001\n");
  CHECK(columns(db, "child") ==
        "id|INTEGER|1||1\nparent_id|INTEGER|0||0\namount|VARCHAR(10)|1||0\n");
  CHECK(user_tables(db) == "child\nparent\nretort_history\nretort_version\n");
}

TEST_CASE("sqlite batch refuses to rebuild while PRAGMA foreign_keys is on",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "batch.db";
  make_batch_project(dir);
  // The SQLite3 ODBC driver turns foreign_keys on for FKSupport=1.
  set_url(dir, "sqlite:///batch.db?FKSupport=1");

  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err,
             Catch::Contains("cannot rebuild table 'child' while PRAGMA foreign_keys is on") &&
                 Catch::Contains("connect without FKSupport=1"));
  CHECK(std::count(up.err.begin(), up.err.end(), '\n') == 1);
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "bat00001\n");
}

TEST_CASE("sqlite batch refuses a table with a trigger and keeps a view working",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "batch.db";
  make_batch_project(dir);

  sqlite(db, "CREATE TRIGGER child_audit AFTER INSERT ON child BEGIN SELECT 1; END");
  CliRun refused = run_retort(dir, "upgrade head");
  CHECK(refused.status != 0);
  CHECK_THAT(refused.err, Catch::Contains("cannot rebuild table 'child': its trigger "
                                          "'child_audit' would be dropped with the old table"));

  sqlite(db, "DROP TRIGGER child_audit; CREATE VIEW child_amounts AS SELECT amount FROM child");
  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(sqlite(db, "SELECT amount FROM child_amounts ORDER BY amount") == "1.5\n2\n");
}

TEST_CASE("sqlite batch cannot rebuild offline a table the script did not create",
          "[dialect][sqlite][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_batch_project(dir);

  CliRun range = run_retort(dir, "upgrade bat00001:bat00002 --sql");
  CHECK(range.status != 0);
  CHECK_THAT(range.err,
             Catch::Contains("cannot alter column 'amount' on table 'child' offline: sqlite must "
                             "rebuild the table, and its definition is unknown to this script"));

  // From base the script creates the table, so it can rebuild it.
  CliRun whole = run_retort(dir, "upgrade head --sql");
  INFO(whole.err);
  REQUIRE(whole.status == 0);
  CHECK_THAT(whole.out,
             Catch::Contains("INSERT INTO _retort_tmp_child (id, parent_id, amount) SELECT id, "
                             "parent_id, CAST(amount AS NUMERIC) FROM child;") &&
                 Catch::Contains("ALTER TABLE _retort_tmp_child RENAME TO child;\n\n"
                                 "CREATE INDEX ix_child_amount ON child (amount);"));
}

TEST_CASE("sqlite batch reads a hand-written table back with its names, checks and options",
          "[dialect][sqlite][e2e]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "batch.db";
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  set_url(dir, "sqlite:///batch.db");
  const fs::path versions = dir / "migrations" / "versions";
  REQUIRE(run_retort(dir, "revision -m 'by hand' --rev-id ref00001").status == 0);
  write_revision_body(revision_source(versions, "ref00001"), R"~(
  op.execute("CREATE TABLE \"Odd Parent\" (id INTEGER PRIMARY KEY)");
  op.execute(R"(CREATE TABLE hand (
      id INTEGER NOT NULL CONSTRAINT pk_hand PRIMARY KEY,
      code TEXT COLLATE NOCASE CONSTRAINT uq_hand_code UNIQUE,
      "Weird, Name" VARCHAR(10) DEFAULT 'a,b' CHECK ("Weird, Name" <> ')'),
      parent INTEGER REFERENCES "Odd Parent",
      n INTEGER DEFAULT (1 + 2),
      CONSTRAINT [ck hand n] CHECK (n > 0 AND (n < 100)), -- a comment, with a comma
      CONSTRAINT fk_hand_n FOREIGN KEY (n) REFERENCES "Odd Parent" (id) ON UPDATE CASCADE
  ) WITHOUT ROWID)");
  op.execute("CREATE TABLE gen (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2))");
  op.execute("INSERT INTO \"Odd Parent\" VALUES (1), (5)");
  op.execute("INSERT INTO hand VALUES (1, 'X', 'q', 1, 5)");)~",
                      R"~(  op.drop_table("gen");
  op.drop_table("hand");
  op.drop_table("Odd Parent");)~");
  REQUIRE(run_retort(dir, "revision -m 'n not null' --rev-id ref00002").status == 0);
  write_revision_body(
      revision_source(versions, "ref00002"),
      R"~(  op.alter_column("hand", "n", {.nullable = false, .existing_type = retort::Integer()});)~",
      R"~(  op.alter_column("hand", "n", {.nullable = true, .existing_type = retort::Integer()});)~");
  REQUIRE(run_retort(dir, "revision -m 'generated' --rev-id ref00003").status == 0);
  write_revision_body(
      revision_source(versions, "ref00003"),
      R"~(  op.alter_column("gen", "a", {.nullable = false, .existing_type = retort::Integer()});)~",
      R"~(  (void)op;)~");
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);

  CliRun up = run_retort(dir, "upgrade ref00002");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK_THAT(table_sql(db, "hand"),
             Catch::Contains("    id INTEGER NOT NULL,\n"
                             "    code TEXT COLLATE NOCASE,\n"
                             "    \"Weird, Name\" VARCHAR(10) DEFAULT 'a,b',\n"
                             "    parent INTEGER,\n"
                             "    n INTEGER DEFAULT (1 + 2) NOT NULL,\n"
                             "    CONSTRAINT pk_hand PRIMARY KEY (id),\n"
                             "    CONSTRAINT uq_hand_code UNIQUE (code),\n"
                             "    CONSTRAINT \"ck hand n\" CHECK (n > 0 AND (n < 100)),\n"
                             "    CHECK (\"Weird, Name\" <> ')'),\n"
                             "    FOREIGN KEY (parent) REFERENCES \"Odd Parent\" (id),\n"
                             "    CONSTRAINT fk_hand_n FOREIGN KEY (n) REFERENCES \"Odd Parent\" "
                             "(id) ON UPDATE CASCADE\n"
                             ") WITHOUT ROWID"));
  CHECK(sqlite(db, "SELECT * FROM hand") == "1|X|q|1|5\n");
  CHECK(columns(db, "hand") ==
        "id|INTEGER|1||1\ncode|TEXT|0||0\nWeird, Name|VARCHAR(10)|0|'a,b'|0\n"
        "parent|INTEGER|0||0\nn|INTEGER|1|1 + 2|0\n");
  CHECK_THROWS_WITH(sqlite(db, "INSERT INTO hand VALUES (2, 'x', 'r', 1, 500)"),
                    Catch::Contains("CHECK constraint failed: ck hand n"));
  CHECK_THROWS_WITH(sqlite(db, "INSERT INTO hand VALUES (2, 'x', ')', 1, 5)"),
                    Catch::Contains("CHECK constraint failed"));

  CliRun gen = run_retort(dir, "upgrade head");
  CHECK(gen.status != 0);
  CHECK_THAT(gen.err, Catch::Contains("cannot rebuild table 'gen': its column 'b' is generated "
                                      "(or hidden), and the copy would lose it; make this change "
                                      "with op.execute instead"));
}
