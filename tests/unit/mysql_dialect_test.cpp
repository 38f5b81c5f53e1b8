// The MySQL/MariaDB dialect, loaded from the built plugin and driven through
// the host's Dialect wrapper: the rules the full chain's golden scripts do not
// show (tests/golden/mysql/ shows the rest).
#include "dialect.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using retort::Column;
using retort::Dialect;

const Dialect& mysql() {
  static const Dialect dialect = [] {
    retort::Expected<Dialect> loaded = Dialect::load(RETORT_TEST_DIALECT_DIR "/mysql.so");
    INFO(loaded.error().message());
    REQUIRE(loaded);
    return *loaded;
  }();
  return dialect;
}

// An operation and everything it points to.
class Op {
 public:
  Op(uint32_t kind, std::string_view table, std::vector<Column> columns = {})
      : columns_(std::move(columns)) {
    op_.struct_size = sizeof(retort_operation);
    op_.kind = kind;
    op_.table = retort::to_str(table);
    for (const Column& column : columns_) pointers_.push_back(&column.c());
    op_.columns = pointers_.data();
    op_.column_count = pointers_.size();
  }
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  retort_operation& c() { return op_; }

  Op& name(std::string_view name) {
    op_.name = retort::to_str(name);
    return *this;
  }
  Op& no_table() {
    op_.table = retort_str{nullptr, 0};
    return *this;
  }
  Op& index_columns(std::vector<std::string> names, uint32_t element_flags = 0) {
    index_names_ = std::move(names);
    for (const std::string& n : index_names_) {
      index_strs_.push_back(retort::to_str(n));
      element_flags_.push_back(element_flags);
    }
    op_.column_names = index_strs_.data();
    op_.column_name_count = index_strs_.size();
    op_.column_name_flags = element_flags_.data();
    return *this;
  }
  Op& where(std::string_view condition) {
    op_.condition = retort::to_str(condition);
    return *this;
  }
  Op& constraint(uint32_t kind, std::string_view name) {
    constraint_.struct_size = sizeof(retort_constraint);
    constraint_.kind = kind;
    constraint_.name = retort::to_str(name);
    constraint_pointer_ = &constraint_;
    op_.constraints = &constraint_pointer_;
    op_.constraint_count = 1;
    return *this;
  }
  // alter_column: what changes (new values in the first column) and what the
  // revision states about the existing column.
  Op& alter(uint32_t changes, uint32_t stated = 0, std::optional<Column> existing = {}) {
    op_.alter = changes;
    op_.existing = stated;
    existing_ = std::move(existing);
    op_.existing_column = existing_ ? &existing_->c() : nullptr;
    return *this;
  }

 private:
  std::vector<Column> columns_;
  std::vector<const retort_column*> pointers_;
  std::vector<std::string> index_names_;
  std::vector<retort_str> index_strs_;
  std::vector<uint32_t> element_flags_;
  retort_constraint constraint_{};
  const retort_constraint* constraint_pointer_ = nullptr;
  std::optional<Column> existing_;
  retort_operation op_{};
};

std::string render_one(Op& op) {
  retort::Expected<std::vector<std::string>> statements = mysql().render(op.c());
  INFO(statements.error().message());
  REQUIRE(statements);
  REQUIRE(statements->size() == 1);
  return (*statements)[0];
}

// The dialect's own message, after the host's "dialect 'mysql' cannot
// render <operation>: ".
std::string render_error(Op& op) {
  retort::Expected<std::vector<std::string>> statements = mysql().render(op.c());
  REQUIRE_FALSE(statements);
  const std::string message = statements.error().message();
  REQUIRE_THAT(message, Catch::StartsWith("dialect 'mysql' cannot render "));
  return message.substr(message.find(": ") + 2);
}

std::string add_column_sql(Column column) {
  Op op(RETORT_OP_ADD_COLUMN, "t", {std::move(column)});
  return render_one(op);
}

std::string add_column_error(Column column) {
  Op op(RETORT_OP_ADD_COLUMN, "t", {std::move(column)});
  return render_error(op);
}

std::string connection_string(const std::string& url) {
  retort::Expected<std::string> text = mysql().connection_string(url);
  INFO(text.error().message());
  REQUIRE(text);
  return *text;
}

}  // namespace

// ---- Traits and connections --------------------------------------------------

TEST_CASE("mysql dialect serves mysql and mariadb URLs and has no transactional ddl",
          "[dialect][mysql]") {
  const Dialect& d = mysql();
  CHECK(d.name() == "mysql");
  CHECK(d.url_schemes() == std::vector<std::string>{"mysql", "mariadb"});
  CHECK_FALSE(d.transactional_ddl());
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator().empty());
  CHECK(d.begin_transaction() == "START TRANSACTION");
}

TEST_CASE(
    "mysql connection strings name the mariadb driver, default the port and brace-quote values",
    "[dialect][mysql]") {
  CHECK(connection_string("mysql://mig:migpw@127.0.0.1:53306/migdb") ==
        "Driver={MariaDB Unicode};Server=127.0.0.1;Port=53306;Database=migdb;Uid=mig;Pwd=migpw");
  CHECK(connection_string("mariadb://u@db.example/app") ==
        "Driver={MariaDB Unicode};Server=db.example;Port=3306;Database=app;Uid=u");
  CHECK(connection_string("mysql://u:re%40t%3Apw%2F1%25%3Bx@h/d") ==
        "Driver={MariaDB Unicode};Server=h;Port=3306;Database=d;Uid=u;Pwd={re@t:pw/1%;x}");
  CHECK(connection_string("mysql://u:p@h/d?driver=MySQL ODBC 8.0 Unicode Driver&SSLVERIFY=1") ==
        "Driver={MySQL ODBC 8.0 Unicode Driver};Server=h;Port=3306;Database=d;Uid=u;Pwd=p;"
        "SSLVERIFY=1");
}

TEST_CASE("mysql connection strings refuse query options the URL itself sets, without the password",
          "[dialect][mysql]") {
  retort::Expected<std::string> text = mysql().connection_string("mysql://u:s3cret@h/d?pwd=x");
  REQUIRE_FALSE(text);
  CHECK(text.error().message() ==
        "dialect 'mysql' cannot connect to 'mysql://u:***@h/d?pwd=x': mysql URL option 'pwd' is "
        "not a driver option; write it in the URL itself");
  CHECK_THAT(text.error().message(), !Catch::Contains("s3cret"));
}

// ---- Names and literals ------------------------------------------------------

TEST_CASE("mysql quotes identifiers with backticks, doubling backticks inside",
          "[dialect][mysql]") {
  Op plain(RETORT_OP_DROP_TABLE, "account");
  CHECK(render_one(plain) == "DROP TABLE account");
  Op reserved(RETORT_OP_DROP_TABLE, "rank");  // reserved in MySQL 8 only
  CHECK(render_one(reserved) == "DROP TABLE `rank`");
  Op odd(RETORT_OP_DROP_TABLE, "we`ird Name");
  CHECK(render_one(odd) == "DROP TABLE `we``ird Name`");
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
  Op set(RETORT_OP_ALTER_COLUMN, "t", {Column("c", retort::Integer()).server_default("5")});
  set.name("c").alter(RETORT_ALTER_DEFAULT);
  CHECK(render_one(set) == "ALTER TABLE t ALTER COLUMN c SET DEFAULT '5'");
}

TEST_CASE("mysql alter_column that must restate the column asks for existing_type",
          "[dialect][mysql]") {
  Op op(RETORT_OP_ALTER_COLUMN, "t", {Column("c", retort::Integer()).nullable(false)});
  op.name("c").alter(RETORT_ALTER_NULLABLE);
  CHECK(render_error(op) ==
        "all mysql change/modify column operations require the existing type: pass "
        "existing_type to alter_column of column 'c' of table 't'");
}

TEST_CASE(
    "mysql alter_column restates the existing parts in MODIFY, NULL when nullability is unknown",
    "[dialect][mysql]") {
  Op op(RETORT_OP_ALTER_COLUMN, "t", {Column("c", retort::Unicode(80)).comment("new")});
  op.name("c").alter(RETORT_ALTER_COMMENT, RETORT_ALTER_TYPE | RETORT_ALTER_DEFAULT,
                     Column("c", retort::Unicode(80)).server_default("x"));
  CHECK(render_one(op) == "ALTER TABLE t MODIFY c VARCHAR(80) NULL DEFAULT 'x' COMMENT 'new'");
}

TEST_CASE("mysql alter_column keeps an existing autoincrement and renames with CHANGE",
          "[dialect][mysql]") {
  Op op(RETORT_OP_ALTER_COLUMN, "t", {Column("ident", retort::BigInteger())});
  op.name("id").alter(RETORT_ALTER_NAME | RETORT_ALTER_TYPE,
                      RETORT_ALTER_NULLABLE | RETORT_ALTER_AUTOINCREMENT,
                      Column("id", retort::Integer()).nullable(false).autoincrement());
  CHECK(render_one(op) == "ALTER TABLE t CHANGE id ident BIGINT NOT NULL AUTO_INCREMENT");
}

// ---- Constraints and indexes -------------------------------------------------

TEST_CASE("mysql drops each kind of constraint its own way", "[dialect][mysql]") {
  const std::pair<uint32_t, const char*> cases[] = {
      {RETORT_CONSTRAINT_FOREIGN_KEY, "ALTER TABLE t DROP FOREIGN KEY n"},
      {RETORT_CONSTRAINT_UNIQUE, "ALTER TABLE t DROP INDEX n"},
      {RETORT_CONSTRAINT_CHECK, "ALTER TABLE t DROP CONSTRAINT n"},
      {RETORT_CONSTRAINT_PRIMARY_KEY, "ALTER TABLE t DROP PRIMARY KEY"},
  };
  for (const auto& [kind, expected] : cases) {
    Op op(RETORT_OP_DROP_CONSTRAINT, "t");
    op.constraint(kind, "n");
    CHECK(render_one(op) == expected);
  }
  Op untyped(RETORT_OP_DROP_CONSTRAINT, "t");
  untyped.constraint(0, "n");
  CHECK(render_error(untyped) ==
        "no generic drop constraint in mysql: give the type of constraint 'n' of table 't'");
}

TEST_CASE("mysql drops an index on its table and refuses to without one", "[dialect][mysql]") {
  Op op(RETORT_OP_DROP_INDEX, "t");
  op.name("ix");
  CHECK(render_one(op) == "DROP INDEX ix ON t");
  Op tableless(RETORT_OP_DROP_INDEX, "");
  tableless.name("ix").no_table();
  CHECK(render_error(tableless) ==
        "mysql drops index 'ix' from its table: pass the table name to drop_index");
}

TEST_CASE("mysql refuses partial and expression indexes", "[dialect][mysql]") {
  Op partial(RETORT_OP_CREATE_INDEX, "t");
  partial.name("ix").index_columns({"c"}).where("c > 0");
  CHECK(render_error(partial) ==
        "index 'ix' of table 't' is partial (WHERE), which mysql and "
        "mariadb cannot index; index the whole column");
  Op expression(RETORT_OP_CREATE_INDEX, "t");
  expression.name("ix").index_columns({"lower(c)"}, RETORT_ELEMENT_EXPRESSION);
  CHECK(render_error(expression) ==
        "index 'ix' of table 't' indexes an expression, which mariadb "
        "cannot; index a generated column instead");
}
