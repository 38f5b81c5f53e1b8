// The Oracle dialect, loaded from the built plugin (oracle.so) and driven
// through the host's Dialect wrapper. No Oracle server runs here: these pin
// the rules the full chain's golden files (tests/golden/oracle/) do not show.
#include "dialect_test_support.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace retort;
using namespace dialect_test;

const Dialect& oracle() { return loaded_dialect("oracle"); }

std::string add_column_sql(const Column& column) {
  return render_one(oracle(), [&](Operations& op) { op.add_column("t", column); });
}

std::string add_column_error(const Column& column) {
  return render_error(oracle(), [&](Operations& op) { op.add_column("t", column); });
}

std::string drop_table_sql(std::string_view table) {
  return render_one(oracle(), [&](Operations& op) { op.drop_table(table); });
}

std::string drop_table_error(std::string_view table) {
  return render_error(oracle(), [&](Operations& op) { op.drop_table(table); });
}

std::string insert_sql(const Column& column, const Value& value) {
  return render_one(oracle(), [&](Operations& op) { op.bulk_insert("t", {column}, {Row{value}}); });
}

std::string insert_error(const Column& column, const Value& value) {
  return render_error(oracle(),
                      [&](Operations& op) { op.bulk_insert("t", {column}, {Row{value}}); });
}

// alter_column of t.c.
std::vector<std::string> alter_sql(const TableName& table, const AlterColumn& change) {
  return render_all(oracle(), [&](Operations& op) { op.alter_column(table, "c", change); });
}

std::string connection_string(const std::string& url) {
  return dialect_test::connection_string(oracle(), url);
}

std::string connection_error(const std::string& url) {
  return dialect_test::connection_error(oracle(), url);
}

}  // namespace

// ---- Traits and connections --------------------------------------------------

TEST_CASE("oracle dialect writes SQL*Plus scripts without transactions", "[dialect][oracle]") {
  const Dialect& d = oracle();
  CHECK(d.name() == "oracle");
  CHECK(d.url_schemes() == std::vector<std::string>{"oracle"});
  CHECK_FALSE(d.capabilities().transactional_ddl);
  CHECK(d.statement_terminator().empty());
  CHECK(d.batch_separator() == "/");
}

TEST_CASE("oracle URL becomes an Instant Client ODBC string with an EZConnect address",
          "[dialect][oracle]") {
  CHECK(connection_string("oracle://scott:tiger@db.example.com/ORCLPDB1") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//db.example.com:1521/ORCLPDB1;UID={scott};"
        "PWD={tiger}");
  CHECK(connection_string("oracle://scott:tiger@db:1522/svc?driver=Oracle%2019%20ODBC%20driver") ==
        "Driver={Oracle 19 ODBC driver};DBQ=//db:1522/svc;UID={scott};PWD={tiger}");
  CHECK(connection_string("oracle://u:p@[::1]/svc") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//[::1]:1521/svc;UID={u};PWD={p}");
  CHECK(connection_string("oracle://u:p@/PRODTNS") ==
        "Driver={Oracle 21 ODBC driver};DBQ=PRODTNS;UID={u};PWD={p}");
  CHECK(connection_string("oracle://u:p@h/svc?DBA=R") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//h:1521/svc;UID={u};PWD={p};DBA=R");
}

TEST_CASE("oracle URL braces a password holding a semicolon or braces", "[dialect][oracle]") {
  CHECK(connection_string("oracle://u:a%3Bb%7Dc@h/svc") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//h:1521/svc;UID={u};PWD={a;b}}c}");
}

TEST_CASE("oracle URL without a service or with a clashing option is refused without the password",
          "[dialect][oracle][errors]") {
  const std::string missing = connection_error("oracle://u:s3cret@h:1521");
  CHECK_THAT(missing, Catch::Contains("an oracle URL needs a service name or TNS alias"));
  CHECK_THAT(missing, !Catch::Contains("s3cret"));
  const std::string clash = connection_error("oracle://u:s3cret@h/svc?PWD=x");
  CHECK_THAT(clash, Catch::Contains("oracle URL option 'PWD' is not a driver attribute"));
  CHECK_THAT(clash, !Catch::Contains("s3cret"));
}

// ---- Names -------------------------------------------------------------------

TEST_CASE("oracle dialect leaves lower-case names bare and quotes its reserved words",
          "[dialect][oracle]") {
  CHECK(drop_table_sql("account") == "DROP TABLE account");
  CHECK(drop_table_sql("comment") == "DROP TABLE \"comment\"");
  CHECK(drop_table_sql("level") == "DROP TABLE \"level\"");
  CHECK(drop_table_sql("number") == "DROP TABLE \"number\"");
  CHECK(drop_table_sql("Account") == "DROP TABLE \"Account\"");
}

TEST_CASE("oracle dialect refuses names longer than 128 bytes and names with a double quote",
          "[dialect][oracle][errors]") {
  const std::string longest(128, 'a');
  CHECK(drop_table_sql(longest) == "DROP TABLE " + longest);
  // Bytes, not characters: 64 two-byte characters fit, 65 do not.
  std::string accented;
  for (int i = 0; i < 64; ++i) accented += "\xc3\xa9";
  CHECK(drop_table_sql(accented) == "DROP TABLE \"" + accented + "\"");
  CHECK_THAT(drop_table_error(accented + "\xc3\xa9"),
             Catch::EndsWith("exceeds maximum length of 128 bytes (it has 130); choose a shorter "
                             "name"));
  const std::string too_long(129, 'a');
  CHECK(drop_table_error(too_long) == "dialect 'oracle' cannot render drop_table: identifier '" +
                                          too_long +
                                          "' exceeds maximum length of 128 bytes (it has 129); "
                                          "choose a shorter name");
  CHECK(drop_table_error("a\"b") ==
        "dialect 'oracle' cannot render drop_table: identifier 'a\"b' "
        "holds a double quote, which oracle names cannot hold");
}

TEST_CASE("oracle refuses a name that SQL*Plus would misread in a script",
          "[dialect][oracle][errors]") {
  // A literal spells '&' and line breaks with CHR(); a name cannot. Under
  // SQL*Plus's defaults '&' prompts for a variable, and a blank line or '/'
  // inside the name would end the statement.
  CHECK(drop_table_error("AT&T") ==
        "dialect 'oracle' cannot render drop_table: identifier 'AT&T' holds a line break or '&', "
        "which SQL*Plus misreads in a script; choose another name");
  CHECK_THAT(drop_table_error("a\n/\nb"),
             Catch::Contains("identifier 'a\\x0a/\\x0ab' holds a line break"));
}

// ---- Types -------------------------------------------------------------------

TEST_CASE("oracle dialect names every generic type", "[dialect][oracle]") {
  const std::vector<std::pair<Type, std::string>> cases = {
      {Integer(), "INTEGER"},
      {SmallInteger(), "SMALLINT"},
      {BigInteger(), "NUMBER(19)"},
      {Numeric(), "NUMBER"},
      {Numeric(10), "NUMBER(10)"},
      {Numeric(10, 2), "NUMBER(10, 2)"},
      {Float(), "FLOAT"},
      {String(50), "VARCHAR2(50 CHAR)"},
      {Text(), "CLOB"},
      {Unicode(20), "NVARCHAR2(20)"},
      {Boolean(), "SMALLINT"},
      {Date(), "DATE"},
      {DateTime(), "TIMESTAMP"},
      {Time(), "INTERVAL DAY(0) TO SECOND(6)"},
      {Interval(), "INTERVAL DAY TO SECOND"},
      {LargeBinary(), "BLOB"},
      {LargeBinary(16), "RAW(16)"},
      {JSON(), "CLOB"},
      {UUID(), "CHAR(32)"},
      {Enum("mood", 10), "VARCHAR2(10 CHAR)"},
      {Custom("XMLTYPE"), "XMLTYPE"},
  };
  for (const auto& [type, name] : cases) {
    INFO(name);
    CHECK(add_column_sql(Column("c", type)) == "ALTER TABLE t ADD c " + name);
  }
}

TEST_CASE("oracle dialect refuses a string without a length and a precision over 38",
          "[dialect][oracle][errors]") {
  CHECK(add_column_error(Column("c", String())) ==
        "dialect 'oracle' cannot render add_column: column 'c' needs a "
        "length: oracle's VARCHAR2 has no default length");
  CHECK_THAT(add_column_error(Column("c", Unicode())),
             Catch::EndsWith("oracle's NVARCHAR2 has no default length"));
  CHECK_THAT(add_column_error(Column("c", Numeric(39, 2))),
             Catch::EndsWith("column 'c' has precision 39: oracle numbers hold at most 38 digits"));
}

TEST_CASE("oracle dialect puts DEFAULT before NOT NULL and the identity clause after the type",
          "[dialect][oracle]") {
  CHECK(add_column_sql(Column("c", Boolean()).nullable(false).server_default("1")) ==
        "ALTER TABLE t ADD c SMALLINT DEFAULT '1' NOT NULL");
  CHECK(add_column_sql(Column("id", BigInteger()).autoincrement().nullable(false)) ==
        "ALTER TABLE t ADD id NUMBER(19) GENERATED BY DEFAULT AS IDENTITY NOT NULL");
}

// ---- alter_column ------------------------------------------------------------

TEST_CASE("oracle alter_column uses MODIFY, one statement per part", "[dialect][oracle]") {
  using Statements = std::vector<std::string>;
  CHECK(alter_sql("t", {.nullable = false}) == Statements{"ALTER TABLE t MODIFY (c NOT NULL)"});
  CHECK(alter_sql("t", {.nullable = true}) == Statements{"ALTER TABLE t MODIFY (c NULL)"});
  CHECK(alter_sql("t", {.server_default = sql("0")}) ==
        Statements{"ALTER TABLE t MODIFY (c DEFAULT 0)"});
  CHECK(alter_sql("t", {.drop_server_default = true}) ==
        Statements{"ALTER TABLE t MODIFY (c DEFAULT NULL)"});
  CHECK(alter_sql(in_schema("app", "t"), {.type = String(80)}) ==
        Statements{"ALTER TABLE app.t MODIFY (c VARCHAR2(80 CHAR))"});
  CHECK(alter_sql("t", {.nullable = false, .new_column_name = "d", .drop_comment = true}) ==
        std::vector<std::string>{"ALTER TABLE t MODIFY (c NOT NULL)", "COMMENT ON COLUMN t.c IS ''",
                                 "ALTER TABLE t RENAME COLUMN c TO d"});
}

TEST_CASE("oracle alter_column refuses a USING conversion", "[dialect][oracle][errors]") {
  CHECK(render_error(oracle(),
                     [](Operations& op) {
                       op.alter_column("t", "c",
                                       {.type = Integer(), .using_expression = "c::integer"});
                     }) ==
        "dialect 'oracle' cannot render alter_column: alter_column of 'c' gives a USING "
        "expression, which oracle's MODIFY has not; convert the data with execute() instead");
}

// ---- Comments, indexes, constraints ------------------------------------------

TEST_CASE("oracle drops a comment by setting it to the empty string", "[dialect][oracle]") {
  CHECK(render_one(oracle(), [](Operations& op) { op.drop_table_comment("t"); }) ==
        "COMMENT ON TABLE t IS ''");
  CHECK(render_one(oracle(), [](Operations& op) { op.create_table_comment("t", "it's"); }) ==
        "COMMENT ON TABLE t IS 'it''s'");
}

TEST_CASE("oracle indexes: expressions yes, partial no, schema on the index name",
          "[dialect][oracle]") {
  CHECK(render_one(oracle(), [](Operations& op) {
          op.create_index("ix_lower", "account", {sql("lower(email)")}, {.unique = true});
        }) == "CREATE UNIQUE INDEX ix_lower ON account (lower(email))");

  CHECK(render_one(oracle(), [](Operations& op) {
          op.create_index("ix_kind", in_schema("analytics", "event"), {"kind"});
        }) == "CREATE INDEX analytics.ix_kind ON analytics.event (kind)");
  CHECK(render_one(oracle(), [](Operations& op) {
          op.drop_index("ix_kind", in_schema("analytics", "event"));
        }) == "DROP INDEX analytics.ix_kind");

  CHECK_THAT(render_error(oracle(),
                          [](Operations& op) {
                            op.create_index("ix_open", "t", {"a"}, {.where = "a > 0"});
                          }),
             Catch::Contains("index 'ix_open' has a WHERE clause, but oracle has no partial "
                             "indexes"));
}

TEST_CASE("oracle foreign keys take ON DELETE CASCADE or SET NULL and no ON UPDATE",
          "[dialect][oracle]") {
  const Constraint no_action =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_delete(Referential::kNoAction);
  CHECK(render_one(oracle(), [&](Operations& op) { op.create_constraint("t", no_action); }) ==
        "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)");

  const Constraint restrict =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_delete(Referential::kRestrict);
  CHECK_THAT(render_error(oracle(), [&](Operations& op) { op.create_constraint("t", restrict); }),
             Catch::EndsWith("oracle foreign keys cannot RESTRICT on delete: use CASCADE or SET "
                             "NULL, or no action to refuse the delete"));

  const Constraint update =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_update(Referential::kCascade);
  CHECK_THAT(render_error(oracle(), [&](Operations& op) { op.create_constraint("t", update); }),
             Catch::EndsWith("foreign key 'fk' has an ON UPDATE action, which oracle has not; "
                             "leave on_update unset or use a trigger"));
}

// ---- Literals ----------------------------------------------------------------

TEST_CASE("oracle literals: 1/0, HEXTORAW, DATE, TIMESTAMP and times as intervals",
          "[dialect][oracle]") {
  CHECK(insert_sql(Column("c", Boolean()), true) == "INSERT INTO t (c) VALUES (1)");
  CHECK(insert_sql(Column("c", Boolean()), false) == "INSERT INTO t (c) VALUES (0)");
  CHECK(insert_sql(Column("c", LargeBinary()), Bytes{std::string("\x01\xab", 2)}) ==
        "INSERT INTO t (c) VALUES (HEXTORAW('01ab'))");
  CHECK(insert_sql(Column("c", Date()), "2026-01-02") ==
        "INSERT INTO t (c) VALUES (DATE '2026-01-02')");
  CHECK(insert_sql(Column("c", DateTime()), "2026-01-02 03:04:05") ==
        "INSERT INTO t (c) VALUES (TIMESTAMP '2026-01-02 03:04:05')");
  CHECK(insert_sql(Column("c", Time()), "10:11:12.5") ==
        "INSERT INTO t (c) VALUES (INTERVAL '0 10:11:12.5' DAY TO SECOND)");
  CHECK_THAT(insert_error(Column("c", Time()), "10:11"),
             Catch::EndsWith("value '10:11' for column 'c' is not a time of day such as 10:11:12"));
}

TEST_CASE("oracle writes a long CLOB value in pieces and refuses a long VARCHAR2 literal",
          "[dialect][oracle]") {
  const std::string a(2000, 'a');
  const std::string text = a + a + std::string(10, 'b');
  CHECK(insert_sql(Column("c", Text()), text) == "INSERT INTO t (c) VALUES (TO_CLOB('" + a +
                                                     "') || TO_CLOB('" + a + "') || TO_CLOB('" +
                                                     std::string(10, 'b') + "'))");
  CHECK(insert_sql(Column("c", Text()), a + a) == "INSERT INTO t (c) VALUES ('" + a + a + "')");
  // A piece never ends inside a UTF-8 character.
  const std::string accents = std::string(1999, 'a') + "\xc3\xa9" + std::string(2000, 'z');
  CHECK_THAT(insert_sql(Column("c", JSON()), accents),
             Catch::Contains(std::string(1999, 'a') + "') || TO_CLOB('\xc3\xa9"));
  CHECK(insert_sql(Column("c", String(4000)), std::string(4000, 'x')).size() == 4000 + 29);
  CHECK_THAT(insert_error(Column("c", String(4000)), std::string(4001, 'x')),
             Catch::EndsWith("value for column 'c' is 4001 bytes long: oracle string literals "
                             "hold at most 4000 bytes"));
}

// SQL*Plus reads a script line by line before the server sees it: under its
// defaults a blank line ends the statement (SQLBLANKLINES OFF), so does a
// line '/' or one ending in ';', and '&' starts a substitution variable
// (DEFINE ON). So no value may start a line or hold '&'.
TEST_CASE("oracle writes line breaks and '&' in literals with CHR, so SQL*Plus cannot misread them",
          "[dialect][oracle]") {
  const std::vector<std::string> statements = render_all(oracle(), [](Operations& op) {
    op.bulk_insert("t", {Column("v", Text())},
                   {{"x\n\nDROP TABLE account\n/\n"}, {"AT&T"}, {"a\r\nb;\n"}});
    op.add_column("t", Column("c", String(20)).server_default("R&D"));
  });
  CHECK(statements ==
        std::vector<std::string>{
            "INSERT INTO t (v) VALUES (('x' || CHR(10) || CHR(10) || 'DROP TABLE account' || "
            "CHR(10) || '/' || CHR(10)))",
            "INSERT INTO t (v) VALUES (('AT' || CHR(38) || 'T'))",
            "INSERT INTO t (v) VALUES (('a' || CHR(13) || CHR(10) || 'b;' || CHR(10)))",
            "ALTER TABLE t ADD c VARCHAR2(20 CHAR) DEFAULT ('R' || CHR(38) || 'D')"});
  // A CLOB written in pieces: each piece spelled the same way.
  const std::string a(2000, 'a');
  CHECK(insert_sql(Column("c", Text()), a + a + "&") == "INSERT INTO t (c) VALUES (TO_CLOB('" + a +
                                                            "') || TO_CLOB('" + a +
                                                            "') || TO_CLOB(CHR(38)))");
}

// COMMENT ... IS takes only a literal, so a comment SQL*Plus could misread is
// set by a PL/SQL block whose dynamic statement is spelled as above.
TEST_CASE("oracle sets a comment holding '&' or a line break through EXECUTE IMMEDIATE",
          "[dialect][oracle]") {
  CHECK(render_all(oracle(),
                   [](Operations& op) {
                     op.create_table_comment("t", "terms & conditions");
                     op.add_column("t", Column("c", Integer()).comment("one\n\ntwo"));
                     op.create_table_comment("t", "plain");
                   }) ==
        std::vector<std::string>{
            "BEGIN EXECUTE IMMEDIATE ('COMMENT ON TABLE t IS ''terms ' || CHR(38) || "
            "' conditions'''); END;",
            "ALTER TABLE t ADD c INTEGER",
            "BEGIN EXECUTE IMMEDIATE ('COMMENT ON COLUMN t.c IS ''one' || CHR(10) || CHR(10) || "
            "'two'''); END;",
            "COMMENT ON TABLE t IS 'plain'"});
}

TEST_CASE("oracle version table uses VARCHAR2(32 CHAR) as Alembic's does", "[dialect][oracle]") {
  // The host's own operation: raw, as Operations never sends it.
  CHECK(render_one(oracle(), raw_operation(RETORT_OP_CREATE_VERSION_TABLE, "retort_version")) ==
        "CREATE TABLE retort_version (\n"
        "    version_num VARCHAR2(32 CHAR) NOT NULL,\n"
        "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
        ")");
}
