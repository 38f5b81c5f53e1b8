// The PostgreSQL dialect (dialects/postgresql), loaded from the built plugin
// and driven through the host's Dialect wrapper (core/src/plugin/host_dialect.cpp). The
// full chain's script is in tests/golden/postgresql; these cover the rules
// that script does not show.
#include "dialect_test_support.hpp"

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

using namespace dialect_test;
using retort::Column;
using retort::Dialect;
using retort::Operations;

const Dialect& postgresql() { return loaded_dialect("postgresql"); }

std::string add_column_sql(const Column& column) {
  return render_one(postgresql(), [&](Operations& op) { op.add_column("t", column); });
}

std::string drop_table_sql(std::string_view table) {
  return render_one(postgresql(), [&](Operations& op) { op.drop_table(table); });
}

std::string connection_string(const std::string& url) {
  return dialect_test::connection_string(postgresql(), url);
}

std::string connection_error(const std::string& url) {
  return dialect_test::connection_error(postgresql(), url);
}

// INSERT of one value into column c of `type`.
std::string insert_sql(const retort::Type& type, const retort::Value& value) {
  return render_one(postgresql(), [&](Operations& op) {
    op.bulk_insert("t", {Column("c", type)}, {retort::Row{value}});
  });
}

const char* const kInsertPrefix = "INSERT INTO t (c) VALUES (";

}  // namespace

// ---- Loading and connections -------------------------------------------------

TEST_CASE("postgresql dialect loads with transactional ddl and serves both url schemes",
          "[dialect][postgresql]") {
  const Dialect& d = postgresql();
  CHECK(d.name() == "postgresql");
  CHECK(d.url_schemes() == std::vector<std::string>{"postgresql", "postgres"});
  CHECK(d.capabilities().transactional_ddl);
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator().empty());
  CHECK(d.begin_transaction() == "BEGIN");
  CHECK(d.commit_transaction() == "COMMIT");

  retort::Config cfg;
  for (const char* url : {"postgresql://u@h/db", "postgres://u@h/db", "PostgreSQL+odbc://u@h/db"}) {
    retort::Expected<Dialect> found = dialect_test::dialect_for(url, cfg);
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
        "Pwd={migpw};Protocol=7.4-1");
  CHECK(connection_string("postgres://mig@db.example.com/migdb") ==
        "Driver={PostgreSQL Unicode};Server=db.example.com;Port=5432;Database=migdb;Uid=mig;"
        "Protocol=7.4-1");
  CHECK(connection_string("postgresql://[::1]/migdb") ==
        "Driver={PostgreSQL Unicode};Server=::1;Port=5432;Database=migdb;Protocol=7.4-1");
}

TEST_CASE(
    "postgresql connection string braces a percent-decoded password holding semicolon { } @ : / %",
    "[dialect][postgresql]") {
  CHECK(
      connection_string("postgresql://retort:re%40t%3Apw%2F1%25%3Bx@127.0.0.1:55432/retort_test") ==
      "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=55432;Database=retort_test;"
      "Uid=retort;Pwd={re@t:pw/1%;x};Protocol=7.4-1");
  CHECK(connection_string("postgresql://u:a%7Db%7Bc@h/d") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd={a}}b{c};"
        "Protocol=7.4-1");
}

// psqlODBC URL-decodes a Pwd that is not braced, and keeps the braces of
// every other value (issue 15, item 11; connection_string.hpp).
TEST_CASE("postgresql connection string braces every password and writes the user name as it is",
          "[dialect][postgresql]") {
  CHECK(connection_string("postgresql://u%2B%25:pw%252B+x@h/d") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u+%;Pwd={pw%2B+x};"
        "Protocol=7.4-1");
  CHECK(connection_string("postgresql://a{b}c:p@h/d") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=a{b}c;Pwd={p};"
        "Protocol=7.4-1");
  auto refused = [](const std::string& url) {
    retort::Expected<std::string> text = dialect_test::connect_to(postgresql(), url);
    REQUIRE_FALSE(text);
    CHECK(text.error().category() == retort::ErrorCategory::kConfig);
    CHECK_THAT(text.error().message(), !Catch::Contains("s3cret"));
    return text.error().message();
  };
  CHECK(refused("postgresql://a%3Bb:s3cret@h/d") ==
        "dialect 'postgresql' cannot connect to 'postgresql://a%3Bb:***@h/d': the user name 'a;b' "
        "cannot be written for this ODBC driver, which reads no braces in it: it may not hold ';' "
        "or start with '{'");
  CHECK_THAT(refused("postgresql://u:s3cret@h/%7Bd%7D"),
             Catch::EndsWith(": the database '{d}' cannot be written for this ODBC driver, which "
                             "reads no braces in it: it may not hold ';' or start with '{'"));
  CHECK_THAT(refused("postgresql://u:s3cret%00@h/d"),
             Catch::EndsWith(": the URL's password cannot hold a NUL character"));
}

// A value decoded from the URL can hold a PWD= that was %-encoded there
// (found by fuzz_dialects): the message quotes the value with it hidden.
TEST_CASE("postgresql refuses a database holding an encoded PWD= without showing it",
          "[dialect][postgresql]") {
  retort::Expected<std::string> text =
      dialect_test::connect_to(postgresql(), "postgresql://u@h/app%3BPWD%3Ds3cret%3Bx=1");
  REQUIRE_FALSE(text);
  CHECK_THAT(text.error().message(),
             Catch::EndsWith(": the database 'app;PWD=***;x=1' cannot be written for this ODBC "
                             "driver, which reads no braces in it: it may not hold ';' or start "
                             "with '{'"));
  retort::Expected<std::string> option =
      dialect_test::connect_to(postgresql(), "postgresql://u@h/d?x%3BPassword%3Ds3cret=1");
  REQUIRE_FALSE(option);
  CHECK_THAT(option.error().message(), Catch::Contains("option 'x;Password=***'"));
}

TEST_CASE("postgresql connection string passes sslmode and driver options through",
          "[dialect][postgresql]") {
  CHECK(connection_string("postgresql://u:p@h/d?sslmode=verify-full&ReadOnly=0") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd={p};Protocol=7.4-1;"
        "SSLmode=verify-full;ReadOnly=0");
  CHECK(connection_string("postgresql://u:p@h/d?ConnSettings=SET%20a%3D1%3B") ==
        "Driver={PostgreSQL Unicode};Server=h;Port=5432;Database=d;Uid=u;Pwd={p};Protocol=7.4-1;"
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
  CHECK(insert_sql(retort::Text(), "C:\\dir\\") ==
        std::string(kInsertPrefix) + "E'C:\\\\dir\\\\')");
}

TEST_CASE("postgresql dialect writes bytea, boolean, date, time and json literals",
          "[dialect][postgresql]") {
  using namespace retort;
  CHECK(insert_sql(LargeBinary(), Bytes{std::string("\x00\x0a\xff", 3)}) ==
        std::string(kInsertPrefix) + "decode('000aff', 'hex'))");
  CHECK(insert_sql(LargeBinary(), Bytes{""}) == std::string(kInsertPrefix) + "decode('', 'hex'))");
  CHECK(insert_sql(Boolean(), true) == std::string(kInsertPrefix) + "true)");
  CHECK(insert_sql(Boolean(), false) == std::string(kInsertPrefix) + "false)");
  CHECK(insert_sql(Date(), "2026-01-02") == std::string(kInsertPrefix) + "DATE '2026-01-02')");
  CHECK(insert_sql(DateTime(), "2026-01-02 03:04:05") ==
        std::string(kInsertPrefix) + "TIMESTAMP '2026-01-02 03:04:05')");
  CHECK(insert_sql(Time(), "03:04:05") == std::string(kInsertPrefix) + "TIME '03:04:05')");
  CHECK(insert_sql(JSON(), "{\"a\": \"it's\"}") ==
        std::string(kInsertPrefix) + "'{\"a\": \"it''s\"}')");
  CHECK(insert_sql(UUID(), "0b6c7e1e-7e34-4bd6-9d1e-3a1b1c0f7e11") ==
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
  CHECK(render_one(postgresql(),
                   [](Operations& op) {
                     op.create_table("t", {Column("id", BigInteger()).primary_key().autoincrement(),
                                           Column("n", Integer())});
                   }) ==
        "CREATE TABLE t (\n"
        "    id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
        "    n INTEGER,\n"
        "    PRIMARY KEY (id)\n"
        ")");
}

TEST_CASE("postgresql dialect refuses an identity column that is not an integer or has a default",
          "[dialect][postgresql]") {
  using namespace retort;
  CHECK(render_error(postgresql(),
                     [](Operations& op) {
                       op.add_column("t", Column("code", String(5)).autoincrement());
                     }) ==
        "dialect 'postgresql' cannot render add_column: column 'code' cannot autoincrement: "
        "an identity column must be smallint, integer or bigint");
  CHECK(render_error(postgresql(),
                     [](Operations& op) {
                       op.add_column("t",
                                     Column("id", Integer()).autoincrement().server_default("1"));
                     }) ==
        "dialect 'postgresql' cannot render add_column: column 'id' has both a server default "
        "and autoincrement: drop one of them");
}

// ---- Alter column and indexes ------------------------------------------------

TEST_CASE("postgresql dialect changes a column's type first, with USING, then the other parts",
          "[dialect][postgresql]") {
  using namespace retort;
  CHECK(render_all(postgresql(),
                   [](Operations& op) {
                     op.alter_column(in_schema("analytics", "t"), "amount",
                                     {.type = Integer(),
                                      .nullable = false,
                                      .server_default = sql("0"),
                                      .new_column_name = "total",
                                      .using_expression = "amount::integer"});
                   }) == std::vector<std::string>{
                             "ALTER TABLE analytics.t ALTER COLUMN amount TYPE INTEGER USING "
                             "amount::integer",
                             "ALTER TABLE analytics.t ALTER COLUMN amount SET NOT NULL",
                             "ALTER TABLE analytics.t ALTER COLUMN amount SET DEFAULT 0",
                             "ALTER TABLE analytics.t RENAME COLUMN amount TO total",
                         });
}

TEST_CASE("postgresql dialect drops an index in another schema by its qualified name",
          "[dialect][postgresql]") {
  CHECK(render_one(postgresql(), [](Operations& op) {
          op.drop_index("ix_event_kind", retort::in_schema("analytics", "event"));
        }) == "DROP INDEX analytics.ix_event_kind");
  CHECK(render_one(postgresql(), [](Operations& op) { op.drop_index("ix_event_kind", "event"); }) ==
        "DROP INDEX ix_event_kind");
}

// PostgreSQL keeps NAMEDATALEN - 1 = 63 bytes of a name and drops the rest
// with only a NOTICE, so two long index names can become one.
TEST_CASE("postgresql refuses an identifier longer than 63 bytes, naming it and the limit",
          "[dialect][postgresql][errors]") {
  const std::string longest(63, 'i');
  CHECK(render_one(postgresql(), [&](Operations& op) {
          op.create_index(longest, "account", {"email"});
        }) == "CREATE INDEX " + longest + " ON account (email)");
  const std::string index = "ix_account_email_lower_created_at_and_a_few_more_words_to_be_long";
  REQUIRE(index.size() == 65);
  CHECK(render_error(postgresql(),
                     [&](Operations& op) { op.create_index(index, "account", {"email"}); }) ==
        "dialect 'postgresql' cannot render create_index: identifier '" + index +
            "' exceeds maximum length of 63 bytes (it has 65); choose a shorter name");
  // Bytes, not characters: 32 two-byte characters are 64 bytes.
  std::string accented;
  for (int i = 0; i < 32; ++i) accented += "\xc3\xa9";
  CHECK_THAT(
      render_error(postgresql(),
                   [&](Operations& op) {
                     op.add_column(retort::in_schema("sales", "t"),
                                   Column(accented, retort::Integer()));
                   }),
      Catch::EndsWith("exceeds maximum length of 63 bytes (it has 64); choose a shorter name"));
  CHECK_THAT(render_error(postgresql(),
                          [&](Operations& op) {
                            op.drop_table(retort::in_schema(std::string(64, 's'), "t"));
                          }),
             Catch::EndsWith("(it has 64); choose a shorter name"));
}
