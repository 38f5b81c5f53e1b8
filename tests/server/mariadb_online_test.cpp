// The full chain against a real MariaDB, whose DDL commits at once: the
// schema read back from information_schema, and what a failure half-way
// through a revision leaves behind.
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;
using Lines = std::vector<std::string>;

namespace {

void reset(Catalog& db) {
  db.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const char* table :
       {"retort_version", "retort_history", "account_label", "account_tag", "purchase", "tag",
        "account", "retort_test2.event", "first_table", "second_table"}) {
    db.execute(std::string("DROP TABLE IF EXISTS ") + table);
  }
  db.execute("SET FOREIGN_KEY_CHECKS = 1");
}

// name|type|nullable|default|comment of each column, in order.
std::string columns_query(const std::string& schema, const std::string& table) {
  return "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COALESCE(COLUMN_DEFAULT, 'NULL'), "
         "COLUMN_COMMENT, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" +
         schema + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION";
}

std::string constraints_query(const std::string& table) {
  return "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS "
         "WHERE TABLE_SCHEMA = 'retort_test' AND TABLE_NAME = '" +
         table + "' ORDER BY BINARY CONSTRAINT_NAME";
}

std::string indexes_query(const std::string& table) {
  return "SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX), NON_UNIQUE "
         "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'retort_test' AND TABLE_NAME = "
         "'" +
         table + "' GROUP BY INDEX_NAME, NON_UNIQUE ORDER BY BINARY INDEX_NAME";
}

}  // namespace

TEST_CASE("the full chain upgrades and downgrades a real MariaDB database",
          "[server][mariadb][dialect]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  reset(db);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, server_env("RETORT_TEST_MARIADB_URL"));
  ChainEnv env("retort_test2", "");

  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(db.value("SELECT version_num FROM retort_version") == "fc0005");

  CHECK(db.rows(columns_query("retort_test", "account")) ==
        Lines{"id|int(11)|NO|NULL||auto_increment", "email|varchar(200)|NO|NULL||",
              "name|varchar(200)|YES|NULL|full name|", "balance|decimal(12,2)|NO|0.00||",
              "active|tinyint(1)|NO|1||", "handle|varchar(40)|YES|'anon'|what friends say|"});
  CHECK(db.rows(constraints_query("account")) ==
        Lines{"PRIMARY|PRIMARY KEY", "ck_account_balance|CHECK", "uq_account_email|UNIQUE"});
  CHECK(db.value("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                 "'retort_test' AND TABLE_NAME = 'account'") == "people who pay");
  CHECK(db.value("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                 "'retort_test' AND TABLE_NAME = 'tag'") == "labels for accounts");

  CHECK(db.rows(constraints_query("purchase")) ==
        Lines{"PRIMARY|PRIMARY KEY", "ck_purchase_amount|CHECK", "fk_purchase_account|FOREIGN KEY",
              "fk_purchase_tag|FOREIGN KEY", "payload|CHECK"});  // MariaDB's JSON is json_valid()
  CHECK(
      db.rows("SELECT CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE FROM "
              "information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'retort_test' "
              "ORDER BY CONSTRAINT_NAME") ==
      Lines{"fk_purchase_account|account|CASCADE", "fk_purchase_tag|tag|SET NULL"});
  CHECK(db.rows(indexes_query("purchase")) ==
        Lines{"PRIMARY|id|0", "fk_purchase_account|account_id|1", "fk_purchase_tag|tag_id|1",
              "ix_purchase_account|placed_on,account_id|1"});
  CHECK(db.rows(columns_query("retort_test", "purchase")).at(2) ==
        "amount|decimal(14,2)|YES|NULL||");
  CHECK(db.rows(columns_query("retort_test", "purchase")).at(3) ==
        "quantity|smallint(6)|YES|NULL||");
  CHECK(db.rows(columns_query("retort_test", "tag")) ==
        Lines{"id|int(11)|NO|NULL||", "label|varchar(50)|YES|NULL||"});
  CHECK(db.rows(constraints_query("account_label")) == Lines{"PRIMARY|PRIMARY KEY"});

  CHECK(db.rows(columns_query("retort_test2", "event")) ==
        Lines{"id|int(11)|NO|NULL||", "kind|varchar(30)|NO|NULL||", "accounts|int(11)|YES|NULL||"});
  CHECK(db.value("SELECT CONCAT(kind, '|', accounts) FROM retort_test2.event") == "migrated|3");

  CHECK(db.rows("SELECT email, COALESCE(name, 'NULL'), balance, active, COALESCE(handle, 'NULL') "
                "FROM account ORDER BY id") == Lines{"ada@example.com|Ada|12.50|1|ada",
                                                     "obrien@example.com|Dara O'Brien|0.00|0|NULL",
                                                     "nil@example.com|NULL|7.25|1|NULL"});
  CHECK(db.rows("SELECT label FROM tag ORDER BY id") == Lines{"vip", "new; -- not a comment"});
  CHECK(db.rows("SELECT amount, placed_on, placed_at, HEX(receipt) FROM purchase ORDER BY id") ==
        Lines{"19.99|2026-04-05|10:11:12|00FF270A", "NULL|NULL|NULL|NULL"});

  CliRun downgrade = run_retort(dir, "downgrade base");
  INFO(downgrade.err);
  REQUIRE(downgrade.status == 0);
  CHECK(db.rows("SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA IN ('retort_test', 'retort_test2') ORDER BY 1") ==
        Lines{"retort_test.retort_history", "retort_test.retort_version"});
  reset(db);
}

TEST_CASE(
    "a revision failing at its second statement on MariaDB leaves the version table at the "
    "revision before it, names the DDL that stayed, and the next upgrade refuses until resolved",
    "[server][mariadb][failure]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  reset(db);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  write_pack(dir / "migrations" / "versions", "pack", {{"a1", {}}});  // creates t_a1
  std::ofstream(dir / "migrations" / "versions" / "b2_half.cpp")
      << R"~(#include <retort/revision.hpp>
namespace {
void upgrade(retort::Operations& op) {
  op.create_table("second_table", {retort::Column("id", retort::Integer()).primary_key()});
  op.execute("INSERT INTO no_such_table VALUES (1)");
}
void downgrade(retort::Operations& op) { op.drop_table("second_table"); }
}  // namespace
RETORT_REVISION(.revision = "b2", .down_revision = "a1", .message = "half", .upgrade = upgrade,
                .downgrade = downgrade)
)~";
  set_database_url(dir, server_env("RETORT_TEST_MARIADB_URL"));
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);

  CliRun upgrade = run_retort(dir, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK_THAT(upgrade.err,
             Catch::Contains("revision 'b2' failed (upgrade a1 -> b2)") &&
                 Catch::Contains("no_such_table") &&
                 Catch::Contains("1 statement of this revision ran and was not rolled back, as DDL "
                                 "on mysql commits at once: [1] CREATE TABLE second_table"));
  CHECK(db.value("SELECT version_num FROM retort_version") == "a1");
  CHECK(db.value("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                 "'retort_test' AND TABLE_NAME = 'second_table'") == "1");
  // The history keeps the partial step; the next run refuses until resolved.
  CliRun again = run_retort(dir, "upgrade head");
  CHECK(again.status == 5);
  CHECK_THAT(again.err, Catch::Contains("revision 'b2' stopped partway through its upgrade") &&
                            Catch::Contains("failed after statement 1 of 2") &&
                            Catch::Contains("[1] CREATE TABLE second_table") &&
                            Catch::Contains("retort resolve b2 --rolled-back"));
  db.execute("DROP TABLE IF EXISTS t_a1");
  reset(db);
}
