// The Oracle dialect, loaded from the built plugin (oracle.so) and driven
// through the host's Dialect wrapper. No Oracle server runs here: these pin
// the rules the full chain's golden files (tests/golden/oracle/) do not show.
#include "dialect.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace retort;

const Dialect& oracle() {
  static const Dialect dialect = [] {
    Expected<Dialect> loaded = Dialect::load(RETORT_TEST_DIALECT_DIR "/oracle.so");
    INFO(loaded.error().message());
    REQUIRE(loaded);
    return *loaded;
  }();
  return dialect;
}

// An operation with the columns, names, constraints and values it points to.
class Op {
 public:
  Op(uint32_t kind, std::string_view table, std::vector<Column> columns = {})
      : columns_(std::move(columns)) {
    op_.struct_size = sizeof(retort_operation);
    op_.kind = kind;
    op_.table = to_str(table);
    for (const Column& column : columns_) pointers_.push_back(&column.c());
    op_.columns = pointers_.data();
    op_.column_count = pointers_.size();
  }
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  retort_operation& c() { return op_; }
  Op& name(std::string_view name) {
    op_.name = to_str(name);
    return *this;
  }
  Op& schema(std::string_view schema) {
    op_.schema = to_str(schema);
    return *this;
  }
  Op& index(std::vector<std::string> elements, uint32_t element_flags = 0) {
    names_ = std::move(elements);
    for (const std::string& n : names_) {
      strs_.push_back(to_str(n));
      flags_.push_back(element_flags);
    }
    op_.column_names = strs_.data();
    op_.column_name_flags = flags_.data();
    op_.column_name_count = strs_.size();
    return *this;
  }
  Op& constraint(const Constraint& constraint) {
    constraint_ = &constraint.c();
    op_.constraints = &constraint_;
    op_.constraint_count = 1;
    return *this;
  }
  Op& rows(std::vector<Value> values) {
    values_.clear();
    for (const Value& v : values) values_.push_back(v.c());
    held_ = std::move(values);
    op_.values = values_.data();
    op_.row_count = values_.size() / std::max<size_t>(1, columns_.size());
    return *this;
  }

 private:
  std::vector<Column> columns_;
  std::vector<const retort_column*> pointers_;
  std::vector<std::string> names_;
  std::vector<retort_str> strs_;
  std::vector<uint32_t> flags_;
  const retort_constraint* constraint_ = nullptr;
  std::vector<Value> held_;
  std::vector<retort_value> values_;
  retort_operation op_{};
};

std::vector<std::string> render(Op& op) {
  Expected<std::vector<std::string>> statements = oracle().render(op.c());
  INFO(statements.error().message());
  REQUIRE(statements);
  return *statements;
}

std::string render_one(Op& op) {
  std::vector<std::string> statements = render(op);
  REQUIRE(statements.size() == 1);
  return statements[0];
}

std::string render_error(Op& op) {
  Expected<std::vector<std::string>> statements = oracle().render(op.c());
  REQUIRE_FALSE(statements);
  return statements.error().message();
}

std::string add_column_sql(Column column) {
  Op op(RETORT_OP_ADD_COLUMN, "t", {std::move(column)});
  return render_one(op);
}

std::string drop_table_sql(std::string_view table) {
  Op op(RETORT_OP_DROP_TABLE, table);
  return render_one(op);
}

std::string insert_sql(Column column, Value value) {
  Op op(RETORT_OP_BULK_INSERT, "t", {std::move(column)});
  op.rows({std::move(value)});
  return render_one(op);
}

std::string insert_error(Column column, Value value) {
  Op op(RETORT_OP_BULK_INSERT, "t", {std::move(column)});
  op.rows({std::move(value)});
  return render_error(op);
}

// alter_column of t.c to `target` changing `parts` (RETORT_ALTER_*).
Op& alter(Op& op, uint32_t parts) {
  op.name("c");
  op.c().alter = parts;
  return op;
}

std::string connection_string(const std::string& url) {
  Expected<std::string> text = oracle().connection_string(url);
  INFO(text.error().message());
  REQUIRE(text);
  return *text;
}

std::string connection_error(const std::string& url) {
  Expected<std::string> text = oracle().connection_string(url);
  REQUIRE_FALSE(text);
  return text.error().message();
}

}  // namespace

// ---- Traits and connections --------------------------------------------------

TEST_CASE("oracle dialect writes SQL*Plus scripts without transactions", "[dialect][oracle]") {
  const Dialect& d = oracle();
  CHECK(d.name() == "oracle");
  CHECK(d.url_schemes() == std::vector<std::string>{"oracle"});
  CHECK_FALSE(d.transactional_ddl());
  CHECK(d.statement_terminator().empty());
  CHECK(d.batch_separator() == "/");
}

TEST_CASE("oracle URL becomes an Instant Client ODBC string with an EZConnect address",
          "[dialect][oracle]") {
  CHECK(connection_string("oracle://scott:tiger@db.example.com/ORCLPDB1") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//db.example.com:1521/ORCLPDB1;UID=scott;PWD=tiger");
  CHECK(connection_string("oracle://scott:tiger@db:1522/svc?driver=Oracle%2019%20ODBC%20driver") ==
        "Driver={Oracle 19 ODBC driver};DBQ=//db:1522/svc;UID=scott;PWD=tiger");
  CHECK(connection_string("oracle://u:p@[::1]/svc") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//[::1]:1521/svc;UID=u;PWD=p");
  CHECK(connection_string("oracle://u:p@/PRODTNS") ==
        "Driver={Oracle 21 ODBC driver};DBQ=PRODTNS;UID=u;PWD=p");
  CHECK(connection_string("oracle://u:p@h/svc?DBA=R") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//h:1521/svc;UID=u;PWD=p;DBA=R");
}

TEST_CASE("oracle URL braces a password holding ';' or braces", "[dialect][oracle]") {
  CHECK(connection_string("oracle://u:a%3Bb%7Dc@h/svc") ==
        "Driver={Oracle 21 ODBC driver};DBQ=//h:1521/svc;UID=u;PWD={a;b}}c}");
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
  const std::string too_long(129, 'a');
  Op op(RETORT_OP_DROP_TABLE, too_long);
  CHECK(render_error(op) == "dialect 'oracle' cannot render drop_table: identifier '" + too_long +
                                "' is 129 bytes long: oracle identifiers are at most 128 bytes "
                                "(30 before 12.2); choose a shorter name");
  Op quote(RETORT_OP_DROP_TABLE, "a\"b");
  CHECK(render_error(quote) ==
        "dialect 'oracle' cannot render drop_table: identifier 'a\"b' "
        "holds a double quote, which oracle names cannot hold");
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
  Op string(RETORT_OP_ADD_COLUMN, "t", {Column("c", String())});
  CHECK(render_error(string) ==
        "dialect 'oracle' cannot render add_column: column 'c' needs a "
        "length: oracle's VARCHAR2 has no default length");
  Op unicode(RETORT_OP_ADD_COLUMN, "t", {Column("c", Unicode())});
  CHECK_THAT(render_error(unicode), Catch::EndsWith("oracle's NVARCHAR2 has no default length"));
  Op number(RETORT_OP_ADD_COLUMN, "t", {Column("c", Numeric(39, 2))});
  CHECK_THAT(render_error(number),
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
  Op nullable(RETORT_OP_ALTER_COLUMN, "t", {Column("c", Integer()).nullable(false)});
  CHECK(render_one(alter(nullable, RETORT_ALTER_NULLABLE)) == "ALTER TABLE t MODIFY (c NOT NULL)");
  Op null(RETORT_OP_ALTER_COLUMN, "t", {Column("c", Integer())});
  CHECK(render_one(alter(null, RETORT_ALTER_NULLABLE)) == "ALTER TABLE t MODIFY (c NULL)");
  Op set_default(RETORT_OP_ALTER_COLUMN, "t", {Column("c", Integer()).server_default(sql("0"))});
  CHECK(render_one(alter(set_default, RETORT_ALTER_DEFAULT)) ==
        "ALTER TABLE t MODIFY (c DEFAULT 0)");
  Op drop_default(RETORT_OP_ALTER_COLUMN, "t", {Column("c", Integer())});
  CHECK(render_one(alter(drop_default, RETORT_ALTER_DEFAULT)) ==
        "ALTER TABLE t MODIFY (c DEFAULT NULL)");
  Op type(RETORT_OP_ALTER_COLUMN, "t", {Column("c", String(80))});
  type.schema("app");
  CHECK(render_one(alter(type, RETORT_ALTER_TYPE)) ==
        "ALTER TABLE app.t MODIFY (c VARCHAR2(80 CHAR))");
  Op all(RETORT_OP_ALTER_COLUMN, "t", {Column("d", Integer()).nullable(false)});
  CHECK(render(alter(all, RETORT_ALTER_NULLABLE | RETORT_ALTER_COMMENT | RETORT_ALTER_NAME)) ==
        std::vector<std::string>{"ALTER TABLE t MODIFY (c NOT NULL)", "COMMENT ON COLUMN t.c IS ''",
                                 "ALTER TABLE t RENAME COLUMN c TO d"});
}

TEST_CASE("oracle alter_column refuses a USING conversion", "[dialect][oracle][errors]") {
  Op op(RETORT_OP_ALTER_COLUMN, "t", {Column("c", Integer())});
  op.c().condition = to_str("c::integer");
  CHECK(render_error(alter(op, RETORT_ALTER_TYPE)) ==
        "dialect 'oracle' cannot render alter_column: alter_column of 'c' gives a USING "
        "expression, which oracle's MODIFY has not; convert the data with execute() instead");
}

// ---- Comments, indexes, constraints ------------------------------------------

TEST_CASE("oracle drops a comment by setting it to the empty string", "[dialect][oracle]") {
  Op table(RETORT_OP_DROP_TABLE_COMMENT, "t");
  CHECK(render_one(table) == "COMMENT ON TABLE t IS ''");
  Op set(RETORT_OP_CREATE_TABLE_COMMENT, "t");
  set.c().comment = to_str("it's");
  CHECK(render_one(set) == "COMMENT ON TABLE t IS 'it''s'");
}

TEST_CASE("oracle indexes: expressions yes, partial no, schema on the index name",
          "[dialect][oracle]") {
  Op expression(RETORT_OP_CREATE_INDEX, "account");
  expression.name("ix_lower").index({"lower(email)"}, RETORT_ELEMENT_EXPRESSION);
  expression.c().flags = RETORT_INDEX_UNIQUE;
  CHECK(render_one(expression) == "CREATE UNIQUE INDEX ix_lower ON account (lower(email))");

  Op in_schema(RETORT_OP_CREATE_INDEX, "event");
  in_schema.name("ix_kind").schema("analytics").index({"kind"});
  CHECK(render_one(in_schema) == "CREATE INDEX analytics.ix_kind ON analytics.event (kind)");
  Op drop(RETORT_OP_DROP_INDEX, "event");
  drop.name("ix_kind").schema("analytics");
  CHECK(render_one(drop) == "DROP INDEX analytics.ix_kind");

  Op partial(RETORT_OP_CREATE_INDEX, "t");
  partial.name("ix_open").index({"a"});
  partial.c().condition = to_str("a > 0");
  CHECK_THAT(render_error(partial),
             Catch::Contains("index 'ix_open' has a WHERE clause, but oracle has no partial "
                             "indexes"));
}

TEST_CASE("oracle foreign keys take ON DELETE CASCADE or SET NULL and no ON UPDATE",
          "[dialect][oracle]") {
  const Constraint no_action =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_delete(Referential::kNoAction);
  Op plain(RETORT_OP_CREATE_CONSTRAINT, "t");
  plain.constraint(no_action);
  CHECK(render_one(plain) == "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)");

  const Constraint restrict =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_delete(Referential::kRestrict);
  Op refused(RETORT_OP_CREATE_CONSTRAINT, "t");
  refused.constraint(restrict);
  CHECK_THAT(render_error(refused),
             Catch::EndsWith("oracle foreign keys cannot RESTRICT on delete: use CASCADE or SET "
                             "NULL, or no action to refuse the delete"));

  const Constraint update =
      ForeignKey({"a"}, "p", {"id"}).name("fk").on_update(Referential::kCascade);
  Op on_update(RETORT_OP_CREATE_CONSTRAINT, "t");
  on_update.constraint(update);
  CHECK_THAT(render_error(on_update),
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

TEST_CASE("oracle version table uses VARCHAR2(32 CHAR) as Alembic's does", "[dialect][oracle]") {
  Op op(RETORT_OP_CREATE_VERSION_TABLE, "retort_version");
  CHECK(render_one(op) ==
        "CREATE TABLE retort_version (\n"
        "    version_num VARCHAR2(32 CHAR) NOT NULL,\n"
        "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
        ")");
}
