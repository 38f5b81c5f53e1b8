// The MySQL/MariaDB dialect, loaded from the built plugin and driven through
// the host's Dialect wrapper: the rules the full chain's golden scripts do not
// show (tests/golden/mysql/ shows the rest).
#include "dialect_test_support.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace {

using namespace dialect_test;
using retort::Column;
using retort::Dialect;
using retort::Operations;

const Dialect& mysql() { return loaded_dialect("mysql"); }

// The dialect's own message, after the host's "dialect 'mysql' cannot
// render <operation>: ".
std::string mysql_error(const Revision& revision) {
  const std::string message = render_error(mysql(), revision);
  REQUIRE_THAT(message, Catch::StartsWith("dialect 'mysql' cannot render "));
  return message.substr(message.find(": ") + 2);
}

std::string add_column_sql(const Column& column) {
  return render_one(mysql(), [&](Operations& op) { op.add_column("t", column); });
}

std::string add_column_error(const Column& column) {
  return mysql_error([&](Operations& op) { op.add_column("t", column); });
}

std::string connection_string(const std::string& url) {
  return dialect_test::connection_string(mysql(), url);
}

}  // namespace

// ---- Traits and connections --------------------------------------------------

TEST_CASE("mysql dialect serves mysql and mariadb URLs and has no transactional ddl",
          "[dialect][mysql]") {
  const Dialect& d = mysql();
  CHECK(d.name() == "mysql");
  CHECK(d.url_schemes() == std::vector<std::string>{"mysql", "mariadb"});
  CHECK_FALSE(d.capabilities().transactional_ddl);
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator().empty());
  CHECK(d.begin_transaction() == "START TRANSACTION");
}

TEST_CASE(
    "mysql connection strings name the mariadb driver, default the port and brace-quote values",
    "[dialect][mysql]") {
  CHECK(connection_string("mysql://mig:migpw@127.0.0.1:53306/migdb") ==
        "Driver={MariaDB Unicode};Server=127.0.0.1;Port=53306;Database=migdb;Uid={mig};"
        "Pwd={migpw}");
  CHECK(connection_string("mariadb://u@db.example/app") ==
        "Driver={MariaDB Unicode};Server=db.example;Port=3306;Database=app;Uid={u}");
  CHECK(connection_string("mysql://u:re%40t%3Apw%2F1%25%3Bx@h/d") ==
        "Driver={MariaDB Unicode};Server=h;Port=3306;Database=d;Uid={u};Pwd={re@t:pw/1%;x}");
  CHECK(connection_string("mysql://u:p@h/d?driver=MySQL ODBC 8.0 Unicode Driver&SSLVERIFY=1") ==
        "Driver={MySQL ODBC 8.0 Unicode Driver};Server=h;Port=3306;Database=d;Uid={u};Pwd={p};"
        "SSLVERIFY=1");
}

TEST_CASE("mysql connection strings refuse query options the URL itself sets, without the password",
          "[dialect][mysql]") {
  retort::Expected<std::string> text =
      dialect_test::connect_to(mysql(), "mysql://u:s3cret@h/d?pwd=x");
  REQUIRE_FALSE(text);
  CHECK(text.error().message() ==
        "dialect 'mysql' cannot connect to 'mysql://u:***@h/d?pwd=***': mysql URL option 'pwd' is "
        "not a driver option; write it in the URL itself");
  CHECK_THAT(text.error().message(), !Catch::Contains("s3cret"));
}

// ---- Names and literals ------------------------------------------------------

TEST_CASE("mysql quotes identifiers with backticks, doubling backticks inside",
          "[dialect][mysql]") {
  auto drop_table_sql = [](const char* table) {
    return render_one(mysql(), [&](Operations& op) { op.drop_table(table); });
  };
  CHECK(drop_table_sql("account") == "DROP TABLE account");
  CHECK(drop_table_sql("rank") == "DROP TABLE `rank`");  // reserved in MySQL 8 only
  CHECK(drop_table_sql("we`ird Name") == "DROP TABLE `we``ird Name`");
}

TEST_CASE("mysql string literals double quotes and backslashes", "[dialect][mysql]") {
  CHECK(add_column_sql(Column("c", retort::String(10)).server_default("a'b\\c")) ==
        "ALTER TABLE t ADD COLUMN c VARCHAR(10) DEFAULT 'a''b\\\\c'");
}

TEST_CASE("mysql parenthesises default expressions other than words and calls like NOW()",
          "[dialect][mysql]") {
  CHECK(add_column_sql(Column("c", retort::DateTime()).server_default(retort::sql("NOW()"))) ==
        "ALTER TABLE t ADD COLUMN c DATETIME DEFAULT NOW()");
  CHECK(add_column_sql(Column("c", retort::Integer()).server_default(retort::sql("1 + 1"))) ==
        "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT (1 + 1)");
}

// ---- Types and columns -------------------------------------------------------

TEST_CASE("mysql refuses a string without a length, naming the column", "[dialect][mysql]") {
  CHECK(add_column_error(Column("code", retort::String())) ==
        "column 'code' needs a length: mysql's VARCHAR has none; give one, or use Text()");
}

TEST_CASE("mysql refuses an interval column", "[dialect][mysql]") {
  CHECK(add_column_error(Column("wait", retort::Interval())) ==
        "column 'wait' is an interval, which mysql has no type for; store the seconds in a BIGINT "
        "instead");
}

TEST_CASE("mysql adds a primary key column with AUTO_INCREMENT inline", "[dialect][mysql]") {
  CHECK(add_column_sql(Column("id", retort::Integer()).primary_key().autoincrement()) ==
        "ALTER TABLE t ADD COLUMN id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY");
  CHECK(add_column_error(Column("n", retort::Integer()).autoincrement()) ==
        "column 'n' of table 't' cannot autoincrement: make it an integer primary key");
}

// ---- alter_column ------------------------------------------------------------

TEST_CASE("mysql alters a default alone with ALTER COLUMN, without the existing type",
          "[dialect][mysql]") {
  CHECK(render_one(mysql(), [](Operations& op) {
          op.alter_column("t", "c", {.server_default = "5"});
        }) == "ALTER TABLE t ALTER COLUMN c SET DEFAULT '5'");
}

TEST_CASE("mysql alter_column that must restate the column asks for existing_type",
          "[dialect][mysql]") {
  CHECK(mysql_error([](Operations& op) { op.alter_column("t", "c", {.nullable = false}); }) ==
        "all mysql change/modify column operations require the existing type: pass "
        "existing_type to alter_column of column 'c' of table 't'");
}

TEST_CASE(
    "mysql alter_column restates the existing parts in MODIFY, NULL when nullability is unknown",
    "[dialect][mysql]") {
  CHECK(render_one(mysql(), [](Operations& op) {
          op.alter_column("t", "c",
                          {.comment = "new",
                           .existing_type = retort::Unicode(80),
                           .existing_server_default = "x"});
        }) == "ALTER TABLE t MODIFY c VARCHAR(80) NULL DEFAULT 'x' COMMENT 'new'");
}

TEST_CASE("mysql alter_column keeps an existing autoincrement and renames with CHANGE",
          "[dialect][mysql]") {
  CHECK(render_one(mysql(), [](Operations& op) {
          op.alter_column("t", "id",
                          {.type = retort::BigInteger(),
                           .new_column_name = "ident",
                           .existing_nullable = false,
                           .existing_autoincrement = true});
        }) == "ALTER TABLE t CHANGE id ident BIGINT NOT NULL AUTO_INCREMENT");
}

// ---- Constraints and indexes -------------------------------------------------

TEST_CASE("mysql drops each kind of constraint its own way", "[dialect][mysql]") {
  using retort::ConstraintType;
  const std::pair<ConstraintType, const char*> cases[] = {
      {ConstraintType::kForeignKey, "ALTER TABLE t DROP FOREIGN KEY n"},
      {ConstraintType::kUnique, "ALTER TABLE t DROP INDEX n"},
      {ConstraintType::kCheck, "ALTER TABLE t DROP CONSTRAINT n"},
      {ConstraintType::kPrimaryKey, "ALTER TABLE t DROP PRIMARY KEY"},
  };
  for (const auto& [type, expected] : cases) {
    CHECK(render_one(mysql(), [&](Operations& op) { op.drop_constraint("n", "t", type); }) ==
          expected);
  }
  // A constraint of no type, as a revision that does not know it would send.
  CHECK(mysql_error([](Operations& op) {
          op.drop_constraint("n", "t", static_cast<ConstraintType>(0));
        }) == "no generic drop constraint in mysql: give the type of constraint 'n' of table 't'");
}

TEST_CASE("mysql drops an index on its table and refuses to without one", "[dialect][mysql]") {
  CHECK(render_one(mysql(), [](Operations& op) { op.drop_index("ix", "t"); }) ==
        "DROP INDEX ix ON t");
  CHECK(mysql_error([](Operations& op) { op.drop_index("ix"); }) ==
        "mysql drops index 'ix' from its table: pass the table name to drop_index");
}

TEST_CASE("mysql refuses partial and expression indexes", "[dialect][mysql]") {
  CHECK(
      mysql_error([](Operations& op) { op.create_index("ix", "t", {"c"}, {.where = "c > 0"}); }) ==
      "index 'ix' of table 't' is partial (WHERE), which mysql and "
      "mariadb cannot index; index the whole column");
  CHECK(
      mysql_error([](Operations& op) { op.create_index("ix", "t", {retort::sql("lower(c)")}); }) ==
      "index 'ix' of table 't' indexes an expression, which mariadb "
      "cannot; index a generated column instead");
}

// MySQL and MariaDB count an identifier's length in characters: 64 at most.
TEST_CASE("mysql refuses an identifier longer than 64 characters, naming it and the limit",
          "[dialect][mysql][errors]") {
  const std::string longest(64, 'c');
  CHECK(add_column_sql(Column(longest, retort::Integer())) ==
        "ALTER TABLE t ADD COLUMN " + longest + " INTEGER");
  std::string accented;
  for (int i = 0; i < 64; ++i) accented += "\xc3\xa9";
  CHECK(add_column_sql(Column(accented, retort::Integer())) ==
        "ALTER TABLE t ADD COLUMN `" + accented + "` INTEGER");
  const std::string too_long(65, 'c');
  CHECK(add_column_error(Column(too_long, retort::Integer())) ==
        "identifier '" + too_long +
            "' exceeds maximum length of 64 characters (it has 65); choose a shorter name");
}
