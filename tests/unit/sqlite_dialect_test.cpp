// The SQLite dialect, loaded from the built plugin and driven through the
// host's Dialect wrapper (core/src/plugin/host_dialect.cpp), plus the URL helpers every
// dialect uses (sdk/include/retort/url.hpp).
#include "dialect_test_support.hpp"

#include <retort/abi.h>
#include <retort/config.hpp>
#include <retort/operations.hpp>
#include <retort/url.hpp>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace dialect_test;
using retort::Column;
using retort::Dialect;
using retort::Operations;

const Dialect& sqlite() { return loaded_dialect("sqlite"); }

std::string add_column_sql(const Column& column) {
  return render_one(sqlite(), [&](Operations& op) { op.add_column("t", column); });
}

std::string add_column_error(const Column& column) {
  return render_error(sqlite(), [&](Operations& op) { op.add_column("t", column); });
}

std::string drop_table_sql(std::string_view table) {
  return render_one(sqlite(), [&](Operations& op) { op.drop_table(table); });
}

// The host's version-table operations, which Operations never sends.
retort_operation version_operation(uint32_t kind, std::string_view table,
                                   std::string_view version = {}) {
  retort_operation op = raw_operation(kind, table);
  if (!version.empty()) op.version = retort::to_str(version);
  return op;
}

std::string connection_string(const std::string& url) {
  return dialect_test::connection_string(sqlite(), url);
}

std::string parse_error(std::string_view url) {
  try {
    retort::parse_url(url);
  } catch (const retort::DialectError& e) {
    CHECK(e.status() == RETORT_INVALID);
    return e.what();
  }
  FAIL("parse_url accepted " << url);
  return {};
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_.empty()) {
      unsetenv(name_);
    } else {
      setenv(name_, old_.c_str(), 1);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
};

}  // namespace

// ---- Loading and traits ------------------------------------------------------

TEST_CASE("sqlite dialect loads with its traits", "[dialect][sqlite]") {
  const Dialect& d = sqlite();
  CHECK(d.name() == "sqlite");
  CHECK(d.url_schemes() == std::vector<std::string>{"sqlite"});
  CHECK(d.capabilities().transactional_ddl);
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator().empty());
  CHECK(d.begin_transaction() == "BEGIN");
  CHECK(d.commit_transaction() == "COMMIT");
}

TEST_CASE("dialect lookup finds the sqlite dialect for sqlite and sqlite+odbc URLs",
          "[dialect][sqlite]") {
  retort::Config cfg;
  for (const char* url : {"sqlite:///app.db", "SQLite+odbc:////tmp/app.db", "sqlite://"}) {
    retort::Expected<Dialect> d = dialect_test::dialect_for(url, cfg);
    INFO(url << ": " << d.error().message());
    REQUIRE(d);
    CHECK(d->name() == "sqlite");
  }
}

TEST_CASE("dialect lookup reports an unknown URL scheme with the searched directories",
          "[dialect]") {
  retort::Config cfg;
  retort::Expected<Dialect> d = dialect_test::dialect_for("foo://user:s3cret@host/db", cfg);
  REQUIRE_FALSE(d);
  const retort::Error error = d.error();
  CHECK(error.category() == retort::ErrorCategory::kPlugin);
  CHECK(error.message() == "no dialect serves URL scheme 'foo'");
  CHECK_THAT(error.hint(), Catch::Contains(RETORT_TEST_DIALECT_DIR));
  CHECK_THAT(error.hint(), !Catch::Contains("s3cret"));
}

TEST_CASE("dialect lookup refuses a URL without a valid scheme, hiding its password", "[dialect]") {
  retort::Config cfg;
  retort::Expected<Dialect> d = dialect_test::dialect_for("user:s3cret@host/db", cfg);
  REQUIRE_FALSE(d);
  CHECK(d.error().message() == "database URL 'user:***@host/db' has no valid scheme");
  retort::Expected<Dialect> traversal = dialect_test::dialect_for("../../tmp/evil://x", cfg);
  REQUIRE_FALSE(traversal);
  CHECK(traversal.error().message() == "database URL '../../tmp/evil://x' has no valid scheme");
}

TEST_CASE("dialect search path reads the environment, then plugin_path, then built-in places",
          "[dialect]") {
  ScopedEnv env("RETORT_PLUGIN_PATH", "/opt/a::/opt/b");
  retort::Config cfg;
  cfg.set_main_option("plugin_path", "/opt/c:/opt/a");
  const std::vector<std::string> dirs = retort::dialect_search_path(cfg);
  REQUIRE(dirs.size() >= 4);
  CHECK(dirs[0] == "/opt/a");
  CHECK(dirs[1] == "/opt/b");
  CHECK(dirs[2] == "/opt/c");
  CHECK(dirs.back() == RETORT_TEST_DIALECT_DIR);
}

TEST_CASE("dialect lookup scans every plugin of a directory, skipping those that do not load",
          "[dialect]") {
  // The test plugin directory holds a plain-C dialect beside files the
  // loader refuses (not ELF, wrong kind, another ABI, a throwing entry).
  ScopedEnv env("RETORT_PLUGIN_PATH", RETORT_TEST_PLUGIN_DIR);
  retort::Config cfg;
  retort::Expected<Dialect> found = dialect_test::dialect_for("cdialect:///x", cfg);
  INFO(found.error().message());
  REQUIRE(found);
  CHECK(found->name() == "cdialect");
  CHECK(found->path() == RETORT_TEST_PLUGIN_DIR "/cdialect.so");

  retort::Expected<Dialect> missing = dialect_test::dialect_for("nothere://x", cfg);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() == "no dialect serves URL scheme 'nothere'");
  CHECK_THAT(missing.error().hint(), Catch::StartsWith("install a dialect plugin for 'nothere' "
                                                       "in one of: " RETORT_TEST_PLUGIN_DIR ", "));
}

TEST_CASE("dialect wrapper reports a plugin's render failure with the operation's name",
          "[dialect]") {
  retort::Expected<Dialect> c = Dialect::load(RETORT_TEST_PLUGIN_DIR "/cdialect.so");
  REQUIRE(c);
  CHECK(render_error(*c, [](Operations& op) { op.drop_column("t", "c"); }) ==
        "dialect 'cdialect' cannot render drop_column: cdialect cannot render this operation");
}

TEST_CASE("dialect wrapper never lets a plugin's redaction show the password", "[dialect]") {
  // cdialect's redact_url echoes the URL: the host falls back to its own.
  retort::Expected<Dialect> c = Dialect::load(RETORT_TEST_PLUGIN_DIR "/cdialect.so");
  REQUIRE(c);
  CHECK(dialect_test::redacted(*c, "cdialect://u:s3cret@h/x") == "cdialect://u:***@h/x");
  CHECK(dialect_test::redacted(*c, "cdialect:///x") == "cdialect:///x");
}

// ---- Identifiers and literals ------------------------------------------------

TEST_CASE("sqlite dialect leaves plain lower-case names bare", "[dialect][sqlite]") {
  CHECK(drop_table_sql("account") == "DROP TABLE account");
  CHECK(drop_table_sql("_tmp$1") == "DROP TABLE _tmp$1");
}

TEST_CASE("sqlite dialect quotes reserved words, mixed case and unusual characters",
          "[dialect][sqlite]") {
  CHECK(drop_table_sql("order") == "DROP TABLE \"order\"");
  CHECK(drop_table_sql("user") == "DROP TABLE \"user\"");
  CHECK(drop_table_sql("pragma") == "DROP TABLE \"pragma\"");  // SQLite's own keyword
  CHECK(drop_table_sql("Account") == "DROP TABLE \"Account\"");
  CHECK(drop_table_sql("my table") == "DROP TABLE \"my table\"");
  CHECK(drop_table_sql("1st") == "DROP TABLE \"1st\"");
  CHECK(drop_table_sql("naïve") == "DROP TABLE \"naïve\"");
}

TEST_CASE("sqlite dialect quotes a table name containing a double quote", "[dialect][sqlite]") {
  CHECK(drop_table_sql("a\"b") == "DROP TABLE \"a\"\"b\"");
  CHECK(drop_table_sql("a\"; DROP TABLE x; --") == "DROP TABLE \"a\"\"; DROP TABLE x; --\"");
  CHECK(drop_table_sql("\"") == "DROP TABLE \"\"\"\"");
}

TEST_CASE("sqlite dialect quotes injected column and index names", "[dialect][sqlite]") {
  CHECK(render_one(sqlite(), [](Operations& op) {
          op.drop_column("t", "c\" TEXT); DROP TABLE x; --");
        }) == "ALTER TABLE t DROP COLUMN \"c\"\" TEXT); DROP TABLE x; --\"");

  CHECK(render_one(sqlite(), [](Operations& op) { op.create_index("ix\"", "t", {"a\"b"}); }) ==
        "CREATE INDEX \"ix\"\"\" ON t (\"a\"\"b\")");
}

TEST_CASE("sqlite dialect refuses empty names", "[dialect][sqlite]") {
  CHECK(render_error(sqlite(), [](Operations& op) { op.drop_table(""); }) ==
        "dialect 'sqlite' cannot render drop_table: the operation has no "
        "table name");
  // Raw: drop_index always sends a name, if an empty one; this one has none.
  CHECK(render_error(sqlite(), raw_operation(RETORT_OP_DROP_INDEX, "t")) ==
        "dialect 'sqlite' cannot render drop_index: the operation has no "
        "index name");
}

TEST_CASE("sqlite dialect doubles single quotes in literals", "[dialect][sqlite]") {
  CHECK(render_one(sqlite(), version_operation(RETORT_OP_INSERT_VERSION, "retort_version",
                                               "a'); DROP TABLE x; --")) ==
        "INSERT INTO retort_version (version_num) VALUES ('a''); DROP TABLE x; --')");
  CHECK(add_column_sql(Column("note", retort::Text()).server_default("it's")) ==
        "ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'it''s'");
  CHECK(add_column_sql(Column("note", retort::Text()).server_default("")) ==
        "ALTER TABLE t ADD COLUMN note TEXT DEFAULT ''");
}

TEST_CASE("sqlite dialect refuses a NUL character in a literal", "[dialect][sqlite]") {
  const std::string version("a\0b", 3);
  CHECK(render_error(sqlite(),
                     version_operation(RETORT_OP_INSERT_VERSION, "retort_version", version)) ==
        "dialect 'sqlite' cannot render insert_version: a string "
        "literal cannot hold a NUL character");
}

// ---- Types and columns -------------------------------------------------------

TEST_CASE("sqlite dialect names every generic type", "[dialect][sqlite]") {
  using namespace retort;
  const std::vector<std::pair<Type, std::string>> cases = {
      {Integer(), "INTEGER"},
      {SmallInteger(), "SMALLINT"},
      {BigInteger(), "BIGINT"},
      {Numeric(), "NUMERIC"},
      {Numeric(10), "NUMERIC(10)"},
      {Numeric(10, 2), "NUMERIC(10, 2)"},
      {Float(), "FLOAT"},
      {String(), "VARCHAR"},
      {String(50), "VARCHAR(50)"},
      {Text(), "TEXT"},
      {Unicode(20), "VARCHAR(20)"},
      {Boolean(), "BOOLEAN"},
      {Date(), "DATE"},
      {DateTime(), "DATETIME"},
      {Time(), "TIME"},
      {Interval(), "DATETIME"},
      {LargeBinary(), "BLOB"},
      {Type{RETORT_TYPE_BINARY, 16}, "BLOB"},
      {JSON(), "JSON"},
      {UUID(), "CHAR(32)"},
      {Type{RETORT_TYPE_ENUM, 0, 0, 0, "mood"}, "VARCHAR"},
      {Custom("DECIMAL(8, 3) CHECK (c > 0)"), "DECIMAL(8, 3) CHECK (c > 0)"},
  };
  for (const auto& [type, name] : cases) {
    INFO(name);
    CHECK(add_column_sql(Column("c", type)) == "ALTER TABLE t ADD COLUMN c " + name);
  }
}

TEST_CASE("sqlite dialect refuses an unknown type and a custom type without a name",
          "[dialect][sqlite]") {
  CHECK(add_column_error(Column("c", retort::Type{99})) ==
        "dialect 'sqlite' cannot render add_column: column 'c' has unknown type code 99");
  CHECK(add_column_error(Column("c", retort::Custom(""))) ==
        "dialect 'sqlite' cannot render add_column: column 'c' has a "
        "custom type with no type name");
  CHECK(add_column_error(Column("c", retort::String(-1))) ==
        "dialect 'sqlite' cannot render add_column: column 'c' has a negative length");
}

TEST_CASE("sqlite dialect parenthesises expression defaults unless they are a keyword or number",
          "[dialect][sqlite]") {
  using retort::sql;
  auto with_default = [](const std::string& expression) {
    const std::string statement = render_one(sqlite(), [&](Operations& op) {
      op.create_table("defaults", {Column("c", retort::Integer()).server_default(sql(expression))});
    });
    const std::string head = "CREATE TABLE defaults (\n    ";
    REQUIRE(statement.rfind(head, 0) == 0);
    return statement.substr(head.size(), statement.size() - head.size() - 2);
  };
  CHECK(with_default("CURRENT_TIMESTAMP") == "c INTEGER DEFAULT CURRENT_TIMESTAMP");
  CHECK(with_default("0") == "c INTEGER DEFAULT 0");
  CHECK(with_default("-1.5e3") == "c INTEGER DEFAULT -1.5e3");
  CHECK(with_default("'x'") == "c INTEGER DEFAULT 'x'");
  CHECK(with_default("datetime('now')") == "c INTEGER DEFAULT (datetime('now'))");
  CHECK(with_default("1 + 1") == "c INTEGER DEFAULT (1 + 1)");
  CHECK(with_default("'a' || 'b'") == "c INTEGER DEFAULT ('a' || 'b')");
}

// ---- Tables ------------------------------------------------------------------

TEST_CASE("sqlite dialect renders create_table with primary key, not null and defaults",
          "[dialect][sqlite]") {
  using namespace retort;
  CHECK(render_one(sqlite(),
                   [](Operations& op) {
                     op.create_table(
                         "account",
                         {Column("id", Integer()).primary_key(), Column("name", String(50)),
                          Column("email", String(120)).nullable(false).unique(),
                          Column("balance", Numeric(10, 2)).nullable(false).server_default("0"),
                          Column("created", DateTime()).server_default(sql("CURRENT_TIMESTAMP"))});
                   }) ==
        "CREATE TABLE account (\n"
        "    id INTEGER NOT NULL,\n"
        "    name VARCHAR(50),\n"
        "    email VARCHAR(120) NOT NULL UNIQUE,\n"
        "    balance NUMERIC(10, 2) DEFAULT '0' NOT NULL,\n"
        "    created DATETIME DEFAULT CURRENT_TIMESTAMP,\n"
        "    PRIMARY KEY (id)\n"
        ")");
}

TEST_CASE("sqlite dialect renders a composite primary key as a table constraint",
          "[dialect][sqlite]") {
  using namespace retort;
  CHECK(render_one(sqlite(),
                   [](Operations& op) {
                     op.create_table(in_schema("main", "membership"),
                                     {Column("user_id", Integer()).primary_key(),
                                      Column("group", Integer()).primary_key()});
                   }) ==
        "CREATE TABLE main.membership (\n"
        "    user_id INTEGER NOT NULL,\n"
        "    \"group\" INTEGER NOT NULL,\n"
        "    PRIMARY KEY (user_id, \"group\")\n"
        ")");
}

// SQLite takes NULL in a key column that does not say NOT NULL, and then
// two rows with a NULL "key" do not clash: a PrimaryKey({...}) constraint makes
// its columns NOT NULL, as SQLAlchemy does, unless one says nullable(true).
TEST_CASE(
    "sqlite dialect makes the columns of a PrimaryKey constraint NOT NULL unless they say "
    "nullable(true)",
    "[dialect][sqlite]") {
  using namespace retort;
  CHECK(render_one(sqlite(),
                   [](Operations& op) {
                     op.create_table(
                         "enrolment",
                         {Column("student_id", Integer()), Column("course_id", Integer()),
                          Column("term", Integer()).nullable(true), Column("note", Text())},
                         {PrimaryKey({"student_id", "course_id", "term"}).name("pk_enrolment")});
                   }) ==
        "CREATE TABLE enrolment (\n"
        "    student_id INTEGER NOT NULL,\n"
        "    course_id INTEGER NOT NULL,\n"
        "    term INTEGER,\n"
        "    note TEXT,\n"
        "    CONSTRAINT pk_enrolment PRIMARY KEY (student_id, course_id, term)\n"
        ")");
}

TEST_CASE("sqlite dialect renders an autoincrement key inline", "[dialect][sqlite]") {
  using namespace retort;
  CHECK(render_one(sqlite(),
                   [](Operations& op) {
                     op.create_table("account",
                                     {Column("id", Integer()).primary_key().autoincrement(),
                                      Column("name", String(50))});
                   }) ==
        "CREATE TABLE account (\n"
        "    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "    name VARCHAR(50)\n"
        ")");
  // SQLite accepts AUTOINCREMENT only on "INTEGER"; its integers are all 64-bit.
  CHECK(render_one(sqlite(),
                   [](Operations& op) {
                     op.create_table("event",
                                     {Column("id", BigInteger()).primary_key().autoincrement()});
                   }) ==
        "CREATE TABLE event (\n"
        "    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\n"
        ")");
}

TEST_CASE("sqlite dialect refuses autoincrement outside a single integer primary key",
          "[dialect][sqlite]") {
  using namespace retort;
  const std::string expected =
      "dialect 'sqlite' cannot render create_table: column 'id' of table 'account' cannot "
      "autoincrement: only a table's one integer primary key column can";
  auto create_error = [](const std::vector<Column>& columns) {
    return render_error(sqlite(), [&](Operations& op) { op.create_table("account", columns); });
  };
  CHECK(create_error({Column("id", Text()).primary_key().autoincrement()}) == expected);
  CHECK(create_error({Column("id", Integer()).autoincrement()}) == expected);
  CHECK(create_error({Column("id", Integer()).primary_key().autoincrement(),
                      Column("region", Integer()).primary_key()}) == expected);
}

TEST_CASE("sqlite dialect refuses a table without columns", "[dialect][sqlite]") {
  CHECK(render_error(sqlite(), [](Operations& op) { op.create_table("empty", {}); }) ==
        "dialect 'sqlite' cannot render create_table: table 'empty' has no columns");
}

TEST_CASE("sqlite dialect renders drop_table, qualified by schema", "[dialect][sqlite]") {
  CHECK(render_one(sqlite(), [](Operations& op) {
          op.drop_table(retort::in_schema("Aux", "account"));
        }) == "DROP TABLE \"Aux\".account");
}

// ---- Columns -----------------------------------------------------------------

TEST_CASE("sqlite dialect adds and drops columns", "[dialect][sqlite]") {
  using namespace retort;
  CHECK(add_column_sql(Column("last_tx", DateTime())) ==
        "ALTER TABLE t ADD COLUMN last_tx DATETIME");
  CHECK(add_column_sql(Column("flag", Boolean()).nullable(false).server_default("0")) ==
        "ALTER TABLE t ADD COLUMN flag BOOLEAN DEFAULT '0' NOT NULL");
  CHECK(add_column_sql(Column("n", Integer()).server_default(sql("-1"))) ==
        "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT -1");
  CHECK(render_one(sqlite(), [](Operations& op) { op.drop_column("account", "last_tx"); }) ==
        "ALTER TABLE account DROP COLUMN last_tx");
}

TEST_CASE("sqlite dialect cannot rebuild offline a table this run did not create",
          "[dialect][sqlite][batch]") {
  using namespace retort;
  const std::string rest =
      " on table 'elsewhere' offline: sqlite must rebuild the table, and its definition is "
      "unknown to this script; run this range online, or offline from base so that the script "
      "creates the table first";
  auto error = [](const dialect_test::Revision& revision) {
    return render_error(sqlite(), revision);
  };
  CHECK(error([](Operations& op) {
          op.add_column("elsewhere", Column("email", String(50)).unique());
        }) == "dialect 'sqlite' cannot render add_column: cannot add column 'email'" + rest);
  CHECK(error([](Operations& op) {
          op.add_column("elsewhere", Column("id", Integer()).primary_key());
        }) == "dialect 'sqlite' cannot render add_column: cannot add column 'id'" + rest);
  CHECK(error([](Operations& op) {
          op.add_column("elsewhere",
                        Column("seen", DateTime()).server_default(sql("CURRENT_TIMESTAMP")));
        }) == "dialect 'sqlite' cannot render add_column: cannot add column 'seen'" + rest);
  CHECK(error([](Operations& op) {
          op.alter_column("elsewhere", "amount", {.type = Numeric(10, 2)});
        }) == "dialect 'sqlite' cannot render alter_column: cannot alter column 'amount'" + rest);
  CHECK(error([](Operations& op) {
          op.create_constraint("elsewhere", Check("amount > 0").name("ck_amount"));
        }) ==
        "dialect 'sqlite' cannot render create_constraint: cannot add check constraint "
        "'ck_amount'" +
            rest);
  CHECK(error([](Operations& op) {
          op.drop_constraint("ck_amount", "elsewhere", ConstraintType::kCheck);
        }) ==
        "dialect 'sqlite' cannot render drop_constraint: cannot drop check constraint "
        "'ck_amount'" +
            rest);
}

// ---- Batch rebuilds, offline: from the model of the tables this run created --

TEST_CASE("sqlite dialect rebuilds a table to add a column ALTER TABLE cannot add",
          "[dialect][sqlite][batch]") {
  using namespace retort;
  render_all(sqlite(), [](Operations& op) {
    op.create_table("batch_add", {Column("id", Integer()).primary_key().autoincrement(),
                                  Column("label", String(20)).nullable(false).server_default("x")});
    op.create_index("ix_batch_add_label", "batch_add", {"label"});
  });
  CHECK(render_all(sqlite(),
                   [](Operations& op) {
                     op.add_column("batch_add", Column("seen", DateTime())
                                                    .nullable(false)
                                                    .server_default(sql("CURRENT_TIMESTAMP")));
                   }) ==
        std::vector<std::string>{
            "CREATE TABLE _retort_tmp_batch_add (\n"
            "    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
            "    label VARCHAR(20) DEFAULT 'x' NOT NULL,\n"
            "    seen DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
            ")",
            "INSERT INTO _retort_tmp_batch_add (id, label) SELECT id, label FROM batch_add",
            "DROP TABLE batch_add",
            "ALTER TABLE _retort_tmp_batch_add RENAME TO batch_add",
            "CREATE INDEX ix_batch_add_label ON batch_add (label)",
        });
  const std::vector<std::string> statements = render_all(sqlite(), [](Operations& op) {
    op.add_column("batch_add", Column("code", String(5)).unique());
  });
  REQUIRE(statements.size() == 5);
  CHECK(statements[0] ==
        "CREATE TABLE _retort_tmp_batch_add (\n"
        "    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
        "    label VARCHAR(20) DEFAULT 'x' NOT NULL,\n"
        "    seen DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,\n"
        "    code VARCHAR(5),\n"
        "    UNIQUE (code)\n"
        ")");
  CHECK(statements[1] ==
        "INSERT INTO _retort_tmp_batch_add (id, label, seen) SELECT id, label, "
        "seen FROM batch_add");
  CHECK(render_error(sqlite(),
                     [](Operations& op) {
                       op.add_column("batch_add", Column("other", Integer()).primary_key());
                     }) ==
        "dialect 'sqlite' cannot render add_column: cannot add column 'other' as a primary key: "
        "table 'batch_add' already has one; drop it first");
}

TEST_CASE("sqlite dialect renames a column first, then rebuilds it with a cast to the new type",
          "[dialect][sqlite][batch]") {
  using namespace retort;
  render_all(sqlite(), [](Operations& op) {
    op.create_table("batch_alter",
                    {Column("id", Integer()).primary_key(), Column("price", String(10)),
                     Column("note", Text())},
                    {Check("price <> '' AND note <> 'price'").name("ck_price")});
    op.create_index("ix_price", "batch_alter", {"price", sql("lower(price)")});
  });

  CHECK(render_all(sqlite(),
                   [](Operations& op) {
                     op.alter_column(
                         "batch_alter", "price",
                         {.type = Numeric(10, 2), .nullable = false, .new_column_name = "amount"});
                   }) ==
        std::vector<std::string>{
            "ALTER TABLE batch_alter RENAME COLUMN price TO amount",
            "CREATE TABLE _retort_tmp_batch_alter (\n"
            "    id INTEGER NOT NULL,\n"
            "    amount NUMERIC(10, 2) NOT NULL,\n"
            "    note TEXT,\n"
            "    PRIMARY KEY (id),\n"
            "    CONSTRAINT ck_price CHECK (amount <> '' AND note <> 'price')\n"
            ")",
            "INSERT INTO _retort_tmp_batch_alter (id, amount, note) SELECT id, CAST(amount AS "
            "NUMERIC), note FROM batch_alter",
            "DROP TABLE batch_alter",
            "ALTER TABLE _retort_tmp_batch_alter RENAME TO batch_alter",
            "CREATE INDEX ix_price ON batch_alter (amount, lower(amount))",
        });

  // A default alone: no cast, the default replaced.
  const std::vector<std::string> statements = render_all(sqlite(), [](Operations& op) {
    op.alter_column("batch_alter", "note", {.server_default = "none"});
  });
  REQUIRE(statements.size() == 5);
  CHECK_THAT(statements[0], Catch::Contains("    note TEXT DEFAULT 'none',\n"));
  CHECK(statements[1] ==
        "INSERT INTO _retort_tmp_batch_alter (id, amount, note) SELECT id, "
        "amount, note FROM batch_alter");

  CHECK(render_error(
            sqlite(),
            [](Operations& op) { op.alter_column("batch_alter", "nope", {.type = Integer()}); }) ==
        "dialect 'sqlite' cannot render alter_column: table 'batch_alter' has no column 'nope'");
}

TEST_CASE("sqlite dialect adds and drops constraints by rebuilding the table",
          "[dialect][sqlite][batch]") {
  using namespace retort;
  render_all(sqlite(), [](Operations& op) {
    op.create_table("batch_parent", {Column("id", Integer()).primary_key()});
    op.create_table("batch_child", {Column("a", Integer()).nullable(false),
                                    Column("b", Integer()).nullable(false)});
  });
  // Revisions that add or drop one constraint of batch_child.
  auto create = [](const Constraint& constraint) {
    return [&constraint](Operations& op) { op.create_constraint("batch_child", constraint); };
  };
  auto drop = [](const char* name, ConstraintType type) {
    return [=](Operations& op) { op.drop_constraint(name, "batch_child", type); };
  };

  const Constraint key = PrimaryKey({"a", "b"}).name("pk_batch_child");
  const Constraint unique = Unique({"b"}).name("uq_batch_child_b");
  const Constraint fk = ForeignKey({"a"}, "batch_parent", {"id"})
                            .name("fk_batch_child_parent")
                            .on_delete(Referential::kCascade);
  render_all(sqlite(), create(key));
  render_all(sqlite(), create(unique));
  const std::vector<std::string> with_fk = render_all(sqlite(), create(fk));
  REQUIRE(with_fk.size() == 4);
  CHECK(with_fk[0] ==
        "CREATE TABLE _retort_tmp_batch_child (\n"
        "    a INTEGER NOT NULL,\n"
        "    b INTEGER NOT NULL,\n"
        "    CONSTRAINT pk_batch_child PRIMARY KEY (a, b),\n"
        "    CONSTRAINT uq_batch_child_b UNIQUE (b),\n"
        "    CONSTRAINT fk_batch_child_parent FOREIGN KEY (a) REFERENCES batch_parent (id) ON "
        "DELETE CASCADE\n"
        ")");
  CHECK(render_error(sqlite(), create(key)) ==
        "dialect 'sqlite' cannot render create_constraint: cannot add primary key constraint "
        "'pk_batch_child': table 'batch_child' already has a primary key; drop it first");
  CHECK(render_error(sqlite(), create(Unique({"c"}).name("uq_batch_child_c"))) ==
        "dialect 'sqlite' cannot render create_constraint: cannot add unique constraint "
        "'uq_batch_child_c': table 'batch_child' has no column 'c'");

  // A renamed parent is followed by the child's foreign key.
  render_all(sqlite(), [](Operations& op) { op.rename_table("batch_parent", "batch_mother"); });
  const std::vector<std::string> dropped =
      render_all(sqlite(), drop("pk_batch_child", ConstraintType::kPrimaryKey));
  REQUIRE(dropped.size() == 4);
  CHECK(dropped[0] ==
        "CREATE TABLE _retort_tmp_batch_child (\n"
        "    a INTEGER NOT NULL,\n"
        "    b INTEGER NOT NULL,\n"
        "    CONSTRAINT uq_batch_child_b UNIQUE (b),\n"
        "    CONSTRAINT fk_batch_child_parent FOREIGN KEY (a) REFERENCES batch_mother (id) ON "
        "DELETE CASCADE\n"
        ")");
  CHECK(render_error(sqlite(), drop("uq_batch_child_b", ConstraintType::kCheck)) ==
        "dialect 'sqlite' cannot render drop_constraint: cannot drop check constraint "
        "'uq_batch_child_b': table 'batch_child' has no check constraint of that name");
  render_all(sqlite(), drop("UQ_Batch_Child_B", ConstraintType::kUnique));
  CHECK_THAT(render_all(sqlite(), drop("fk_batch_child_parent", ConstraintType::kForeignKey))[0],
             Catch::EndsWith("    b INTEGER NOT NULL\n)"));

  // Dropped tables are forgotten.
  render_all(sqlite(), [](Operations& op) { op.drop_table("batch_child"); });
  CHECK_THAT(render_error(sqlite(), create(unique)),
             Catch::Contains("its definition is unknown to this script"));
}

// ---- Indexes and execute -----------------------------------------------------

TEST_CASE("sqlite dialect creates and drops indexes", "[dialect][sqlite]") {
  using retort::in_schema;
  CHECK(render_one(sqlite(), [](Operations& op) {
          op.create_index("ix_account_name", "account", {"name"});
        }) == "CREATE INDEX ix_account_name ON account (name)");

  CHECK(render_one(sqlite(), [](Operations& op) {
          op.create_index("uq_account", "account", {"region", "email"}, {.unique = true});
        }) == "CREATE UNIQUE INDEX uq_account ON account (region, email)");

  // SQLite puts the schema on the index, not on the table.
  CHECK(render_one(sqlite(), [](Operations& op) {
          op.create_index("ix", in_schema("aux", "account"), {"name"});
        }) == "CREATE INDEX aux.ix ON account (name)");

  CHECK(render_one(sqlite(), [](Operations& op) {
          op.drop_index("ix_account_name", "account");  // the table is ignored
        }) == "DROP INDEX ix_account_name");
  CHECK(render_one(sqlite(), [](Operations& op) { op.drop_index("ix", in_schema("aux", "")); }) ==
        "DROP INDEX aux.ix");
}

TEST_CASE("sqlite dialect refuses an index without columns", "[dialect][sqlite]") {
  CHECK(render_error(sqlite(), [](Operations& op) { op.create_index("ix", "account", {}); }) ==
        "dialect 'sqlite' cannot render create_index: index 'ix' has no columns");
}

TEST_CASE("sqlite dialect runs execute's SQL verbatim", "[dialect][sqlite]") {
  const std::string text = "UPDATE account SET name = 'x' WHERE id = 1; -- \"as is\"";
  CHECK(render_all(sqlite(), [&](Operations& op) { op.execute(text); }) ==
        std::vector<std::string>{text});
}

TEST_CASE("sqlite dialect reports an unknown operation kind", "[dialect][sqlite]") {
  CHECK(render_error(sqlite(), raw_operation(999, "t")) ==
        "dialect 'sqlite' cannot render operation 999: unknown operation kind 999");
}

// ---- The version table -------------------------------------------------------

TEST_CASE("sqlite dialect renders the version table statements exactly as alembic does",
          "[dialect][sqlite]") {
  CHECK(render_one(sqlite(), version_operation(RETORT_OP_CREATE_VERSION_TABLE, "retort_version")) ==
        "CREATE TABLE retort_version (\n"
        "    version_num VARCHAR(32) NOT NULL,\n"
        "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
        ")");
  CHECK(render_one(sqlite(), version_operation(RETORT_OP_INSERT_VERSION, "retort_version", "a1")) ==
        "INSERT INTO retort_version (version_num) VALUES ('a1')");
  retort_operation update = version_operation(RETORT_OP_UPDATE_VERSION, "retort_version", "b2");
  update.old_version = retort::to_str("a1");
  CHECK(render_one(sqlite(), update) ==
        "UPDATE retort_version SET version_num='b2' WHERE retort_version.version_num = 'a1'");
  CHECK(render_one(sqlite(), version_operation(RETORT_OP_DELETE_VERSION, "retort_version", "a1")) ==
        "DELETE FROM retort_version WHERE retort_version.version_num = 'a1'");
  CHECK(render_one(sqlite(), version_operation(RETORT_OP_SELECT_VERSIONS, "retort_version")) ==
        "SELECT version_num FROM retort_version");
}

TEST_CASE("sqlite dialect qualifies and quotes a configured version table", "[dialect][sqlite]") {
  retort_operation create = version_operation(RETORT_OP_CREATE_VERSION_TABLE, "Versions");
  create.schema = retort::to_str("aux");
  CHECK(render_one(sqlite(), create) ==
        "CREATE TABLE aux.\"Versions\" (\n"
        "    version_num VARCHAR(32) NOT NULL,\n"
        "    CONSTRAINT \"Versions_pkc\" PRIMARY KEY (version_num)\n"
        ")");
  retort_operation update = version_operation(RETORT_OP_UPDATE_VERSION, "Versions", "b2");
  update.schema = retort::to_str("aux");
  update.old_version = retort::to_str("a1");
  CHECK(render_one(sqlite(), update) ==
        "UPDATE aux.\"Versions\" SET version_num='b2' WHERE aux.\"Versions\".version_num = 'a1'");
  CHECK(
      render_error(sqlite(), version_operation(RETORT_OP_UPDATE_VERSION, "retort_version", "b2")) ==
      "dialect 'sqlite' cannot render update_version: the operation has no old version");
}

// ---- Connection strings ------------------------------------------------------

TEST_CASE("sqlite dialect turns relative, absolute and memory URLs into connection strings",
          "[dialect][sqlite]") {
  const std::string cwd = std::filesystem::current_path().string();
  CHECK(connection_string("sqlite:///relative/path.db") ==
        "Driver={SQLite3};Database=" + cwd + "/relative/path.db;Timeout=1000");
  CHECK(connection_string("sqlite:////absolute/path.db") ==
        "Driver={SQLite3};Database=/absolute/path.db;Timeout=1000");
  CHECK(connection_string("sqlite://") == "Driver={SQLite3};Database=:memory:;Timeout=1000");
  CHECK(connection_string("sqlite:///:memory:") ==
        "Driver={SQLite3};Database=:memory:;Timeout=1000");
  CHECK(connection_string("sqlite+odbc:////tmp/my%20app.db") ==
        "Driver={SQLite3};Database=/tmp/my app.db;Timeout=1000");
}

TEST_CASE("sqlite dialect passes braces and spaces through, as the SQLite ODBC driver reads them",
          "[dialect][sqlite]") {
  // The driver takes a value up to the next ';' and does not understand {}.
  CHECK(connection_string("sqlite:////tmp/a{b}/c.db%20") ==
        "Driver={SQLite3};Database=/tmp/a{b}/c.db ;Timeout=1000");
  CHECK(connection_string("sqlite:////tmp/x.db?FKSupport=1") ==
        "Driver={SQLite3};Database=/tmp/x.db;FKSupport=1;Timeout=1000");
}

TEST_CASE("sqlite dialect sets the driver's busy Timeout to 1000 ms unless the URL gives one",
          "[dialect][sqlite]") {
  // The driver's default would wait 200 s before each lock attempt fails.
  CHECK(connection_string("sqlite:////tmp/x.db") ==
        "Driver={SQLite3};Database=/tmp/x.db;Timeout=1000");
  CHECK(connection_string("sqlite:////tmp/x.db?Timeout=5000&FKSupport=1") ==
        "Driver={SQLite3};Database=/tmp/x.db;Timeout=5000;FKSupport=1");
  CHECK(connection_string("sqlite:////tmp/x.db?timeout=0") ==
        "Driver={SQLite3};Database=/tmp/x.db;timeout=0");
  CHECK(connection_string("sqlite:////tmp/x.db?FKSupport=1&TIMEOUT=250") ==
        "Driver={SQLite3};Database=/tmp/x.db;FKSupport=1;TIMEOUT=250");
}

TEST_CASE("sqlite dialect refuses URLs the SQLite ODBC driver cannot open", "[dialect][sqlite]") {
  auto error = [](const std::string& url) {
    retort::Expected<std::string> text = dialect_test::connect_to(sqlite(), url);
    REQUIRE_FALSE(text);
    CHECK(text.error().category() == retort::ErrorCategory::kConfig);
    return text.error().message();
  };
  CHECK(error("sqlite:////tmp/a%3Bb.db") ==
        "dialect 'sqlite' cannot connect to 'sqlite:////tmp/a%3Bb.db': the SQLite ODBC driver "
        "cannot open '/tmp/a;b.db': the path holds ';' or a NUL character");
  CHECK(error("sqlite:////tmp/x.db?Database=/etc/passwd") ==
        "dialect 'sqlite' cannot connect to 'sqlite:////tmp/x.db?Database=/etc/passwd': sqlite URL "
        "option 'Database' is not a driver option");
  const std::string with_password = error("sqlite://admin:s3cret@host/app.db");
  CHECK(with_password ==
        "dialect 'sqlite' cannot connect to 'sqlite://admin:***@host/app.db': a sqlite URL names a "
        "file, not a server: write sqlite:///relative/path.db or sqlite:////absolute/path.db");
  CHECK_THAT(error("sqlite://admin:s3%cret@host/app.db"), !Catch::Contains("s3"));
}

TEST_CASE("sqlite dialect redacts the password of a URL", "[dialect][sqlite]") {
  CHECK(dialect_test::redacted(sqlite(), "sqlite://u:pw@h/db") == "sqlite://u:***@h/db");
  CHECK(dialect_test::redacted(sqlite(), "sqlite:////tmp/app.db") == "sqlite:////tmp/app.db");
}

// ---- URL parsing (sdk/include/retort/url.hpp) --------------------------------

TEST_CASE("url parser splits every part and percent-decodes", "[dialect][url]") {
  const retort::Url url = retort::parse_url(
      "PostgreSQL+odbc://mig%40corp:p%40ss%2Fw0rd@db.example.com:5432/my%20db?sslmode=require&"
      "application_name=retort%20cli&flag");
  CHECK(url.scheme == "postgresql");
  CHECK(url.driver == "odbc");
  CHECK(url.username == "mig@corp");
  CHECK(url.password == "p@ss/w0rd");
  CHECK(url.host == "db.example.com");
  CHECK(url.port == 5432);
  CHECK(url.database == "my db");
  REQUIRE(url.query.size() == 3);
  CHECK(url.query_value("sslmode") == "require");
  CHECK(url.query_value("application_name") == "retort cli");
  CHECK(url.query_value("flag") == "");
  CHECK_FALSE(url.query_value("missing"));
}

TEST_CASE("url parser handles missing parts, IPv6 hosts and raw specials in passwords",
          "[dialect][url]") {
  const retort::Url bare = retort::parse_url("sqlite://");
  CHECK(bare.scheme == "sqlite");
  CHECK(bare.host.empty());
  CHECK_FALSE(bare.username);
  CHECK_FALSE(bare.password);
  CHECK_FALSE(bare.port);
  CHECK(bare.database.empty());

  CHECK(retort::parse_url("sqlite:////abs/x.db").database == "/abs/x.db");
  CHECK(retort::parse_url("sqlite:///rel/x.db").database == "rel/x.db");

  const retort::Url v6 = retort::parse_url("mysql://u@[::1]:3306/db");
  CHECK(v6.username == "u");
  CHECK_FALSE(v6.password);
  CHECK(v6.host == "::1");
  CHECK(v6.port == 3306);

  const retort::Url raw = retort::parse_url("mssql://sa:p@ss/w?rd@host/db");
  CHECK(raw.username == "sa");
  CHECK(raw.password == "p@ss/w?rd");
  CHECK(raw.host == "host");
  CHECK(raw.database == "db");

  const retort::Url empty_password = retort::parse_url("pg://u:@h/db");
  CHECK(empty_password.password == "");
}

TEST_CASE("url parser errors name the URL without its password", "[dialect][url]") {
  CHECK(parse_error("no-scheme") == "invalid URL 'no-scheme': expected scheme://...");
  CHECK(parse_error("pg://u:s3cret@h:54x2/db") ==
        "invalid URL 'pg://u:***@h:54x2/db': the port is not a number from 1 to 65535");
  CHECK(parse_error("pg://u:s3cret%zz@h/db") ==
        "invalid URL 'pg://u:***@h/db': invalid percent-escape in the password");
  CHECK(parse_error("pg://h:70000/db") ==
        "invalid URL 'pg://h:70000/db': port '70000' is not a number from 1 to 65535");
  CHECK(parse_error("1pg://h/db") ==
        "invalid URL '1pg://h/db': the scheme must start with a letter");
}

TEST_CASE("url redaction hides the password and nothing else", "[dialect][url]") {
  CHECK(retort::redact("pg://u:s3cret@h:5432/db?x=1") == "pg://u:***@h:5432/db?x=1");
  CHECK(retort::redact("pg://u:p@ss/w?rd@host/db") == "pg://u:***@host/db");
  CHECK(retort::redact("pg://u:@h/db") == "pg://u:***@h/db");
  CHECK(retort::redact("pg://u@h/db") == "pg://u@h/db");
  CHECK(retort::redact("pg://h:5432/db") == "pg://h:5432/db");
  CHECK(retort::redact("sqlite:////tmp/a@b.db") == "sqlite:////tmp/a@b.db");
  CHECK(retort::redact("u:s3cret@h/db") == "u:***@h/db");
  CHECK(retort::redact("pg:/u:s3cret@h/db") == "pg:***@h/db");
  CHECK(retort::find_password("pg://u:s%40cret@h/db") == "s%40cret");
}

TEST_CASE("odbc values are braced only when the ODBC rules ask for it", "[dialect][url]") {
  CHECK(retort::odbc_value("plain") == "plain");
  CHECK(retort::odbc_value("") == "");
  CHECK(retort::odbc_value("a;b") == "{a;b}");
  CHECK(retort::odbc_value("a}b{") == "{a}}b{}");
  CHECK(retort::odbc_value(" padded ") == "{ padded }");
}

TEST_CASE("sqlite dialect takes an identifier of any length", "[dialect][sqlite]") {
  const std::string name(300, 'n');
  CHECK(drop_table_sql(name) == "DROP TABLE " + name);
}

TEST_CASE("a dialect refusing a 10 MB URL quotes a few hundred bytes of it", "[dialect][sqlite]") {
  const std::string url = "sqlite:////tmp/x.db?Timeout=" + std::string(10 << 20, '1') + ";";
  retort::Expected<std::string> text = dialect_test::connect_to(sqlite(), url);
  REQUIRE_FALSE(text);
  CHECK_THAT(
      text.error().message(),
      Catch::StartsWith("dialect 'sqlite' cannot connect to 'sqlite:////tmp/x.db?Timeout=111"));
  CHECK(text.error().message().size() < 1000);
}
