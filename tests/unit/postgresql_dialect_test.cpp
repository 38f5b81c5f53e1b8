// The PostgreSQL dialect (dialects/postgresql), loaded from the built plugin
// and driven through the host's Dialect wrapper (core/src/dialect.cpp). The
// full chain's script is in tests/golden/postgresql; these cover the rules
// that script does not show.
#include "dialect.hpp"

#include <retort/abi.h>
#include <retort/config.hpp>
#include <retort/operations.hpp>
#include <retort/url.hpp>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using retort::Column;
using retort::Dialect;

const Dialect& postgresql() {
  static const Dialect dialect = [] {
    retort::Expected<Dialect> loaded = Dialect::load(RETORT_TEST_DIALECT_DIR "/postgresql.so");
    INFO(loaded.error().message());
    REQUIRE(loaded);
    return *loaded;
  }();
  return dialect;
}

// An operation and everything it points to.
class PgOp {
 public:
  PgOp(uint32_t kind, std::string_view table, std::vector<Column> columns = {})
      : columns_(std::move(columns)) {
    op_.struct_size = sizeof(retort_operation);
    op_.kind = kind;
    op_.table = retort::to_str(table);
    for (const Column& column : columns_) pointers_.push_back(&column.c());
    op_.columns = pointers_.data();
    op_.column_count = pointers_.size();
  }
  PgOp(const PgOp&) = delete;
  PgOp& operator=(const PgOp&) = delete;

  retort_operation& c() { return op_; }

  PgOp& name(std::string_view name) {
    op_.name = retort::to_str(name);
    return *this;
  }
  PgOp& schema(std::string_view schema) {
    op_.schema = retort::to_str(schema);
    return *this;
  }
  PgOp& condition(std::string_view condition) {
    op_.condition = retort::to_str(condition);
    return *this;
  }
  PgOp& alter(uint32_t parts) {
    op_.alter = parts;
    return *this;
  }
  // One row of bulk_insert values, one per column.
  PgOp& row(std::vector<retort_value> values) {
    values_ = std::move(values);
    op_.values = values_.data();
    op_.row_count = 1;
    return *this;
  }

 private:
  std::vector<Column> columns_;
  std::vector<const retort_column*> pointers_;
  std::vector<retort_value> values_;
  retort_operation op_{};
};

std::vector<std::string> render(PgOp& op) {
  retort::Expected<std::vector<std::string>> statements = postgresql().render(op.c());
  INFO(statements.error().message());
  REQUIRE(statements);
  return *statements;
}

std::string render_one(PgOp& op) {
  std::vector<std::string> statements = render(op);
  REQUIRE(statements.size() == 1);
  return statements[0];
}

std::string render_error(PgOp& op) {
  retort::Expected<std::vector<std::string>> statements = postgresql().render(op.c());
  REQUIRE_FALSE(statements);
  return statements.error().message();
}

std::string add_column_sql(Column column) {
  PgOp op(RETORT_OP_ADD_COLUMN, "t", {std::move(column)});
  return render_one(op);
}

std::string drop_table_sql(std::string_view table) {
  PgOp op(RETORT_OP_DROP_TABLE, table);
  return render_one(op);
}

std::string connection_string(const std::string& url) {
  retort::Expected<std::string> text = postgresql().connection_string(url);
  INFO(text.error().message());
  REQUIRE(text);
  return *text;
}

std::string connection_error(const std::string& url) {
  retort::Expected<std::string> text = postgresql().connection_string(url);
  REQUIRE_FALSE(text);
  return text.error().message();
}

retort_value text_value(std::string_view text) {
  retort_value v{};
  v.kind = RETORT_VALUE_TEXT;
  v.text = retort::to_str(text);
  return v;
}

retort_value binary_value(std::string_view bytes) {
  retort_value v = text_value(bytes);
  v.kind = RETORT_VALUE_BINARY;
  return v;
}

retort_value boolean_value(bool on) {
  retort_value v{};
  v.kind = RETORT_VALUE_BOOLEAN;
  v.integer = on ? 1 : 0;
  return v;
}

// INSERT of one value into column c of `type`.
std::string insert_sql(retort::Type type, retort_value value) {
  PgOp op(RETORT_OP_BULK_INSERT, "t", {Column("c", std::move(type))});
  op.row({value});
  return render_one(op);
}

const char* const kInsertPrefix = "INSERT INTO t (c) VALUES (";

}  // namespace

// ---- Loading and connections -------------------------------------------------

TEST_CASE("postgresql dialect loads with transactional ddl and serves both url schemes",
          "[dialect][postgresql]") {
  const Dialect& d = postgresql();
  CHECK(d.name() == "postgresql");
  CHECK(d.url_schemes() == std::vector<std::string>{"postgresql", "postgres"});
  CHECK(d.transactional_ddl());
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator().empty());
  CHECK(d.begin_transaction() == "BEGIN");
  CHECK(d.commit_transaction() == "COMMIT");

  retort::Config cfg;
  for (const char* url : {"postgresql://u@h/db", "postgres://u@h/db", "PostgreSQL+odbc://u@h/db"}) {
    retort::Expected<Dialect> found = Dialect::for_url(url, cfg);
    INFO(url << ": " << found.error().message());
    REQUIRE(found);
    CHECK(found->name() == "postgresql");
  }
}

TEST_CASE(
    "postgresql connection string names the driver, defaults the port and rolls back "
    "the whole transaction on error",
    "[dialect][postgresql]") {
  CHECK(connection_string("postgresql://mig:migpw@127.0.0.1:55432/migdb") ==
        "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=55432;Database=migdb;Uid=mig;"
        "Pwd=migpw;Protocol=7.4-1");
  CHECK(connection_string("postgres://mig@db.example.com/migdb") ==
        "Driver={PostgreSQL Unicode};Server=db.example.com;Port=5432;Database=migdb;Uid=mig;"
        "Protocol=7.4-1");
  CHECK(connection_string("postgresql://[::1]/migdb") ==
        "Driver={PostgreSQL Unicode};Server=::1;Port=5432;Database=migdb;Protocol=7.4-1");
}

TEST_CASE("postgresql connection string braces a percent-decoded password holding ; { } @ : / %",
          "[dialect][postgresql]") {
  CHECK(
      connection_string("postgresql://retort:re%40t%3Apw%2F1%25%3Bx@127.0.0.1:55432/retort_test") ==
      "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=55432;Database=retort_test;"
      "Uid=retort;Pwd={re@t:pw/1%;x};Protocol=7.4-1");
  CHECK(connection_string("postgresql://u:a%7Db%7Bc@h/d") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd={a}}b{c};"
        "Protocol=7.4-1");
}

TEST_CASE("postgresql connection string passes sslmode and driver options through",
          "[dialect][postgresql]") {
  CHECK(connection_string("postgresql://u:p@h/d?sslmode=verify-full&ReadOnly=0") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd=p;Protocol=7.4-1;"
        "SSLmode=verify-full;ReadOnly=0");
  CHECK(connection_string("postgresql://u:p@h/d?ConnSettings=SET%20a%3D1%3B") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd=p;Protocol=7.4-1;"
        "ConnSettings={SET a=1;}");
}

TEST_CASE(
    "postgresql connection string refuses options that would override its own and "
    "never shows the password",
    "[dialect][postgresql]") {
  for (const char* key : {"Pwd", "server", "PROTOCOL", "A1", "pqopt", "Driver", "dsn", "a b"}) {
    INFO(key);
    const std::string error =
        connection_error(std::string("postgresql://u:s3cret@h/d?") + key + "=x");
    CHECK(error.find("postgresql URL option '" + std::string(key) +
                     "' is not supported: use sslmode or a psqlODBC option such as ReadOnly or "
                     "ConnSettings") != std::string::npos);
    CHECK(error.find("s3cret") == std::string::npos);
  }
  const std::string ssl = connection_error("postgresql://u:s3cret@h/d?sslmode=sometimes");
  CHECK(ssl.find("sslmode='sometimes' is not one of disable, allow, prefer, require, "
                 "verify-ca, verify-full") != std::string::npos);
  CHECK(ssl.find("s3cret") == std::string::npos);
}

TEST_CASE("postgresql connection string refuses a url without a host or a database",
          "[dialect][postgresql]") {
  CHECK(
      connection_error("postgresql://u:s3cret@/d")
          .find(
              "a postgresql URL needs a host: write postgresql://user:password@host:port/database "
              "(unix sockets are not supported)") != std::string::npos);
  CHECK(connection_error("postgresql://u:s3cret@h").find("a postgresql URL needs a database") !=
        std::string::npos);
}

// ---- Identifiers and literals ------------------------------------------------

TEST_CASE("postgresql dialect quotes its own reserved words and leaves non-reserved ones bare",
          "[dialect][postgresql]") {
  for (const char* word : {"analyse", "verbose", "ilike", "variadic", "placing", "user", "order",
                           "concurrently", "tablesample"}) {
    INFO(word);
    CHECK(drop_table_sql(word) == std::string("DROP TABLE \"") + word + "\"");
  }
  for (const char* word : {"time", "name", "type", "data", "event"}) {
    INFO(word);
    CHECK(drop_table_sql(word) == std::string("DROP TABLE ") + word);
  }
  CHECK(drop_table_sql("Account") == "DROP TABLE \"Account\"");
  CHECK(drop_table_sql("a\"; DROP TABLE x; --") == "DROP TABLE \"a\"\"; DROP TABLE x; --\"");
}

TEST_CASE("postgresql dialect writes a string holding a backslash as an E'' literal",
          "[dialect][postgresql]") {
  CHECK(add_column_sql(Column("c", retort::Text()).server_default("it's")) ==
        "ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'it''s'");
  CHECK(add_column_sql(Column("c", retort::Text()).server_default("a\\'b")) ==
        "ALTER TABLE t ADD COLUMN c TEXT DEFAULT E'a\\\\''b'");
  CHECK(insert_sql(retort::Text(), text_value("C:\\dir\\")) ==
        std::string(kInsertPrefix) + "E'C:\\\\dir\\\\')");
}

TEST_CASE("postgresql dialect writes bytea, boolean, date, time and json literals",
          "[dialect][postgresql]") {
  using namespace retort;
  CHECK(insert_sql(LargeBinary(), binary_value(std::string("\x00\x0a\xff", 3))) ==
        std::string(kInsertPrefix) + "decode('000aff', 'hex'))");
  CHECK(insert_sql(LargeBinary(), binary_value("")) ==
        std::string(kInsertPrefix) + "decode('', 'hex'))");
  CHECK(insert_sql(Boolean(), boolean_value(true)) == std::string(kInsertPrefix) + "true)");
  CHECK(insert_sql(Boolean(), boolean_value(false)) == std::string(kInsertPrefix) + "false)");
  CHECK(insert_sql(Date(), text_value("2026-01-02")) ==
        std::string(kInsertPrefix) + "DATE '2026-01-02')");
  CHECK(insert_sql(DateTime(), text_value("2026-01-02 03:04:05")) ==
        std::string(kInsertPrefix) + "TIMESTAMP '2026-01-02 03:04:05')");
  CHECK(insert_sql(Time(), text_value("03:04:05")) ==
        std::string(kInsertPrefix) + "TIME '03:04:05')");
  CHECK(insert_sql(JSON(), text_value("{\"a\": \"it's\"}")) ==
        std::string(kInsertPrefix) + "'{\"a\": \"it''s\"}')");
  CHECK(insert_sql(UUID(), text_value("0b6c7e1e-7e34-4bd6-9d1e-3a1b1c0f7e11")) ==
        std::string(kInsertPrefix) + "'0b6c7e1e-7e34-4bd6-9d1e-3a1b1c0f7e11')");
}

// ---- Types and columns -------------------------------------------------------

TEST_CASE("postgresql dialect names every generic type", "[dialect][postgresql]") {
  using namespace retort;
  const std::vector<std::pair<Type, std::string>> cases = {
      {Integer(), "INTEGER"},
      {SmallInteger(), "SMALLINT"},
      {BigInteger(), "BIGINT"},
      {Numeric(10, 2), "NUMERIC(10, 2)"},
      {Float(), "FLOAT"},
      {String(), "VARCHAR"},
      {String(50), "VARCHAR(50)"},
      {Text(), "TEXT"},
      {Unicode(20), "VARCHAR(20)"},
      {Boolean(), "BOOLEAN"},
      {Date(), "DATE"},
      {DateTime(), "TIMESTAMP WITHOUT TIME ZONE"},
      {Time(), "TIME WITHOUT TIME ZONE"},
      {Interval(), "INTERVAL"},
      {LargeBinary(), "BYTEA"},
      {LargeBinary(16), "BYTEA"},
      {JSON(), "JSON"},
      {UUID(), "UUID"},
      {Enum("mood", 12), "VARCHAR(12)"},
      {Custom("JSONB"), "JSONB"},
  };
  for (const auto& [type, name] : cases) {
    INFO(name);
    CHECK(add_column_sql(Column("c", type)) == "ALTER TABLE t ADD COLUMN c " + name);
  }
}

TEST_CASE("postgresql dialect renders autoincrement as an identity column before NOT NULL",
          "[dialect][postgresql]") {
  using namespace retort;
  PgOp op(RETORT_OP_CREATE_TABLE, "t",
          {Column("id", BigInteger()).primary_key().autoincrement(), Column("n", Integer())});
  CHECK(render_one(op) ==
        "CREATE TABLE t (\n"
        "    id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
        "    n INTEGER,\n"
        "    PRIMARY KEY (id)\n"
        ")");
}

TEST_CASE("postgresql dialect refuses an identity column that is not an integer or has a default",
          "[dialect][postgresql]") {
  using namespace retort;
  PgOp text(RETORT_OP_ADD_COLUMN, "t", {Column("code", String(5)).autoincrement()});
  CHECK(render_error(text) ==
        "dialect 'postgresql' cannot render add_column: column 'code' cannot autoincrement: "
        "an identity column must be smallint, integer or bigint");
  PgOp defaulted(RETORT_OP_ADD_COLUMN, "t",
                 {Column("id", Integer()).autoincrement().server_default("1")});
  CHECK(render_error(defaulted) ==
        "dialect 'postgresql' cannot render add_column: column 'id' has both a server default "
        "and autoincrement: drop one of them");
}

// ---- Alter column and indexes ------------------------------------------------

TEST_CASE("postgresql dialect changes a column's type first, with USING, then the other parts",
          "[dialect][postgresql]") {
  using namespace retort;
  PgOp op(RETORT_OP_ALTER_COLUMN, "t",
          {Column("total", Integer()).nullable(false).server_default(sql("0"))});
  op.name("amount")
      .schema("analytics")
      .condition("amount::integer")
      .alter(RETORT_ALTER_TYPE | RETORT_ALTER_NULLABLE | RETORT_ALTER_DEFAULT | RETORT_ALTER_NAME);
  CHECK(render(op) == std::vector<std::string>{
                          "ALTER TABLE analytics.t ALTER COLUMN amount TYPE INTEGER USING "
                          "amount::integer",
                          "ALTER TABLE analytics.t ALTER COLUMN amount SET NOT NULL",
                          "ALTER TABLE analytics.t ALTER COLUMN amount SET DEFAULT 0",
                          "ALTER TABLE analytics.t RENAME COLUMN amount TO total",
                      });
}

TEST_CASE("postgresql dialect drops an index in another schema by its qualified name",
          "[dialect][postgresql]") {
  PgOp op(RETORT_OP_DROP_INDEX, "event");
  op.name("ix_event_kind").schema("analytics");
  CHECK(render_one(op) == "DROP INDEX analytics.ix_event_kind");
  PgOp plain(RETORT_OP_DROP_INDEX, "event");
  plain.name("ix_event_kind");
  CHECK(render_one(plain) == "DROP INDEX ix_event_kind");
}
