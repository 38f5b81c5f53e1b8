// The SQL Server dialect, loaded from the built plugin and driven through the
// host's Dialect wrapper: the rules the full chain's golden script does not
// show (tests/golden/mssql/ shows the rest).
#include "dialect_test_support.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using namespace dialect_test;
using retort::Column;
using retort::Dialect;
using retort::Operations;

const Dialect& mssql() { return loaded_dialect("mssql"); }

std::string add_column_sql(const Column& column) {
  return render_one(mssql(), [&](Operations& op) { op.add_column("t", column); });
}

std::string connection_string(const std::string& url) {
  return dialect_test::connection_string(mssql(), url);
}

}  // namespace

TEST_CASE("mssql dialect loads with transactional DDL and a GO after each statement",
          "[dialect][mssql]") {
  const Dialect& d = mssql();
  CHECK(d.name() == "mssql");
  CHECK(d.url_schemes() == std::vector<std::string>{"mssql"});
  CHECK(d.capabilities().transactional_ddl);
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator() == "GO");
  CHECK(d.begin_transaction() == "BEGIN TRANSACTION");
  CHECK(d.commit_transaction() == "COMMIT");
}

TEST_CASE("mssql connects through FreeTDS on port 1433 with a decoded user and password, braced",
          "[dialect][mssql]") {
  CHECK(connection_string("mssql://retort:p%40ss%3Bword@db.example.com/app") ==
        "Driver={FreeTDS};Server=db.example.com;Port=1433;Database=app;Uid={retort};"
        "Pwd={p@ss;word};TDS_Version=7.4");
  CHECK(connection_string("mssql://sa:x@127.0.0.1:14330/db?TDS_Version=8.0") ==
        "Driver={FreeTDS};Server=127.0.0.1;Port=14330;Database=db;Uid={sa};Pwd={x};"
        "TDS_Version=8.0");
  retort::Expected<std::string> hostless =
      dialect_test::connect_to(mssql(), "mssql://sa:s3cret@/db");
  REQUIRE_FALSE(hostless);
  CHECK(hostless.error().message() ==
        "dialect 'mssql' cannot connect to 'mssql://sa:***@/db': an mssql URL needs a server: "
        "write mssql://user:pass@host:1433/db");
  retort::Expected<std::string> sneaky =
      dialect_test::connect_to(mssql(), "mssql://sa:s3cret@h/db?Pwd=other");
  REQUIRE_FALSE(sneaky);
  CHECK_THAT(sneaky.error().message(),
             Catch::Contains("mssql URL option 'Pwd' is not a driver option"));
  CHECK_THAT(sneaky.error().message(), !Catch::Contains("s3cret"));
}

TEST_CASE("mssql brackets reserved and unusual names, doubling a closing bracket",
          "[dialect][mssql]") {
  const std::vector<std::string> statements = render_all(mssql(), [](Operations& op) {
    op.drop_column(retort::in_schema("user", "odd]table"), "key");
  });
  REQUIRE(statements.size() == 2);
  CHECK(statements[1] == "ALTER TABLE [user].[odd]]table] DROP COLUMN [key]");
  CHECK_THAT(statements[0], Catch::Contains("OBJECT_ID(N'[user].[odd]]table]')"));
}

TEST_CASE("mssql maps generic types to T-SQL ones", "[dialect][mssql]") {
  using namespace retort;
  CHECK(add_column_sql(Column("c", Boolean())) == "ALTER TABLE t ADD c BIT NULL");
  CHECK(add_column_sql(Column("c", DateTime()).nullable(false)) ==
        "ALTER TABLE t ADD c DATETIME2 NOT NULL");
  CHECK(add_column_sql(Column("c", String())) == "ALTER TABLE t ADD c VARCHAR(max) NULL");
  CHECK(add_column_sql(Column("c", Unicode(30)).unique()) ==
        "ALTER TABLE t ADD c NVARCHAR(30) NULL UNIQUE");
  CHECK(add_column_sql(Column("c", Unicode(9)).server_default("Zoë")) ==
        "ALTER TABLE t ADD c NVARCHAR(9) DEFAULT N'Zoë' NULL");
  CHECK(add_column_sql(Column("c", LargeBinary(16))) == "ALTER TABLE t ADD c VARBINARY(16) NULL");
  CHECK(add_column_sql(Column("c", Enum("mood", 10))) == "ALTER TABLE t ADD c VARCHAR(10) NULL");
  CHECK(add_column_sql(Column("c", BigInteger()).primary_key().autoincrement()) ==
        "ALTER TABLE t ADD c BIGINT IDENTITY(1,1) NOT NULL");
  CHECK(render_error(mssql(),
                     [](Operations& op) { op.add_column("t", Column("c", String(9000))); }) ==
        "dialect 'mssql' cannot render add_column: column 'c' is VARCHAR(9000), longer than SQL "
        "Server's 8000; give no length for "
        "VARCHAR(max)");
}

TEST_CASE("mssql alter_column restates the type and refuses a nullability change without one",
          "[dialect][mssql]") {
  CHECK(
      render_error(mssql(),
                   [](Operations& op) { op.alter_column("tag", "label", {.nullable = false}); }) ==
      "dialect 'mssql' cannot render alter_column: the nullability of column 'label' of table "
      "'tag' cannot change without its type, which SQL Server's ALTER COLUMN restates; pass "
      "existing_type");

  CHECK(render_all(mssql(), [](Operations& op) {
          op.alter_column("tag", "label", {.nullable = false, .existing_type = retort::String(50)});
        }) == std::vector<std::string>{"ALTER TABLE tag ALTER COLUMN label VARCHAR(50) NOT NULL"});
}

TEST_CASE("mssql alter_column replaces a default constraint, then renames, in a schema",
          "[dialect][mssql]") {
  const std::vector<std::string> statements = render_all(mssql(), [](Operations& op) {
    op.alter_column(retort::in_schema("sales", "t"), "qty",
                    {.server_default = "0", .new_column_name = "total"});
  });
  REQUIRE(statements.size() == 3);
  CHECK(statements[0] ==
        "DECLARE @sql NVARCHAR(max) = (\n"
        "    SELECT N'ALTER TABLE sales.t DROP CONSTRAINT ' + QUOTENAME(name)\n"
        "    FROM sys.default_constraints\n"
        "    WHERE parent_object_id = OBJECT_ID(N'sales.t')\n"
        "    AND COL_NAME(parent_object_id, parent_column_id) = N'qty');\n"
        "IF @sql IS NOT NULL EXEC sp_executesql @sql");
  CHECK(statements[1] == "ALTER TABLE sales.t ADD DEFAULT '0' FOR qty");
  CHECK(statements[2] == "EXEC sp_rename N'sales.t.qty', N'total', 'COLUMN'");
}

TEST_CASE("mssql drops a default without adding one, and renames tables with sp_rename",
          "[dialect][mssql]") {
  const std::vector<std::string> statements = render_all(
      mssql(), [](Operations& op) { op.alter_column("t", "qty", {.drop_server_default = true}); });
  REQUIRE(statements.size() == 1);
  CHECK_THAT(statements[0], Catch::StartsWith("DECLARE @sql NVARCHAR(max)"));

  CHECK(render_all(mssql(), [](Operations& op) {
          op.rename_table(retort::in_schema("sales", "old"), "new");
        }) == std::vector<std::string>{"EXEC sp_rename N'sales.old', N'new'"});
}

TEST_CASE("mssql keeps comments as MS_Description extended properties", "[dialect][mssql]") {
  // Raw: alter_column's existing_comment can say "unknown" or "this comment",
  // not "known to have none", which is what makes this a plain add.
  const Column target = Column("c", retort::Integer()).comment("it's new");
  const Column existing("c", retort::Integer());
  const retort_column* columns[] = {&target.c()};
  retort_operation set = raw_operation(RETORT_OP_ALTER_COLUMN, "t");
  set.schema = retort::to_str("sales");
  set.name = retort::to_str("c");
  set.columns = columns;
  set.column_count = 1;
  set.alter = RETORT_ALTER_COMMENT;
  set.existing = RETORT_ALTER_COMMENT;
  set.existing_column = &existing.c();
  CHECK(render_all(mssql(), set) ==
        std::vector<std::string>{
            "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'it''s new', "
            "@level0type = N'SCHEMA', @level0name = N'sales', @level1type = N'TABLE', "
            "@level1name = N't', @level2type = N'COLUMN', @level2name = N'c'"});

  CHECK(render_all(mssql(),
                   [](Operations& op) { op.alter_column("t", "c", {.drop_comment = true}); }) ==
        std::vector<std::string>{
            "DECLARE @schema sysname = SCHEMA_NAME();\n"
            "IF EXISTS (SELECT 1 FROM sys.fn_listextendedproperty(N'MS_Description', N'SCHEMA', "
            "@schema, N'TABLE', N't', N'COLUMN', N'c'))\n"
            "    EXEC sp_dropextendedproperty @name = N'MS_Description', @level0type = N'SCHEMA', "
            "@level0name = @schema, @level1type = N'TABLE', @level1name = N't', "
            "@level2type = N'COLUMN', @level2name = N'c'"});
}

TEST_CASE("mssql drops an index on its table and refuses one without a table", "[dialect][mssql]") {
  CHECK(render_all(mssql(), [](Operations& op) { op.drop_index("ix_t_c", "t"); }) ==
        std::vector<std::string>{"DROP INDEX ix_t_c ON t"});
  CHECK(render_error(mssql(), [](Operations& op) { op.drop_index("ix_t_c"); }) ==
        "dialect 'mssql' cannot render drop_index: index 'ix_t_c' has no table, which SQL Server "
        "needs to drop it; pass the table name");
}

TEST_CASE("mssql writes bulk_insert values as T-SQL literals", "[dialect][mssql]") {
  using namespace retort;
  CHECK(render_all(
            mssql(),
            [](Operations& op) {
              op.bulk_insert(
                  "t",
                  {Column("flag", Boolean()), Column("data", LargeBinary()),
                   Column("name", Unicode(20)), Column("day", Date()), Column("code", String(5))},
                  {{false, Bytes{std::string("\x01\xab", 2)}, "Zoë", "2026-01-02", "a'b"}});
            }) == std::vector<std::string>{
                      "INSERT INTO t (flag, data, name, day, code) VALUES (0, 0x01ab, N'Zoë', "
                      "'2026-01-02', 'a''b')"});
}

TEST_CASE("mssql wraps bulk_insert into an identity column in SET IDENTITY_INSERT",
          "[dialect][mssql]") {
  using namespace retort;
  CHECK(render_all(
            mssql(),
            [](Operations& op) {
              op.bulk_insert(in_schema("dbo", "account"),
                             {Column("id", Integer()).autoincrement(), Column("name", String(20))},
                             {{1, "ada"}, {2, "bob"}});
            }) == std::vector<std::string>{"SET IDENTITY_INSERT dbo.account ON",
                                           "INSERT INTO dbo.account (id, name) VALUES (1, 'ada')",
                                           "INSERT INTO dbo.account (id, name) VALUES (2, 'bob')",
                                           "SET IDENTITY_INSERT dbo.account OFF"});
}

TEST_CASE("mssql alter_column of a type alone leaves nullability out when it is unknown",
          "[dialect][mssql]") {
  CHECK(render_all(mssql(), [](Operations& op) {
          op.alter_column("purchase", "amount", {.type = retort::Numeric(14, 2)});
        }) == std::vector<std::string>{"ALTER TABLE purchase ALTER COLUMN amount NUMERIC(14, 2)"});
  CHECK(render_error(mssql(),
                     [](Operations& op) {
                       op.alter_column(
                           "purchase", "amount",
                           {.type = retort::Numeric(14, 2), .using_expression = "amount::numeric"});
                     }) ==
        "dialect 'mssql' cannot render alter_column: the type change of column 'amount' of table "
        "'purchase' has a USING expression, which SQL Server does not know; convert the values "
        "with execute first");
}

// ---- Hardening (issue 15) -----------------------------------------------------

TEST_CASE("mssql makes the columns of a PrimaryKey constraint NOT NULL, not NULL",
          "[dialect][mssql]") {
  using namespace retort;
  CHECK(render_one(mssql(),
                   [](Operations& op) {
                     op.create_table("enrolment",
                                     {Column("student_id", Integer()),
                                      Column("course_id", Integer()), Column("grade", String(2))},
                                     {PrimaryKey({"student_id", "course_id"})});
                   }) ==
        "CREATE TABLE enrolment (\n"
        "    student_id INTEGER NOT NULL,\n"
        "    course_id INTEGER NOT NULL,\n"
        "    grade VARCHAR(2) NULL,\n"
        "    PRIMARY KEY (student_id, course_id)\n"
        ")");
}

TEST_CASE("mssql refuses an identifier longer than 128 characters, naming it and the limit",
          "[dialect][mssql][errors]") {
  const std::string longest(128, 'a');
  CHECK(render_one(mssql(), [&](Operations& op) { op.drop_table(longest); }) ==
        "DROP TABLE " + longest);
  // Characters, not bytes: 128 two-byte characters fit.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "\xc3\xa9";
  CHECK(render_one(mssql(), [&](Operations& op) { op.drop_table(accented); }) ==
        "DROP TABLE [" + accented + "]");
  const std::string too_long(129, 'a');
  CHECK(render_error(mssql(), [&](Operations& op) { op.drop_table(too_long); }) ==
        "dialect 'mssql' cannot render drop_table: identifier '" + too_long +
            "' exceeds maximum length of 128 characters (it has 129); choose a shorter name");
  CHECK_THAT(render_error(mssql(), [&](Operations& op) { op.rename_table("t", too_long); }),
             Catch::EndsWith("exceeds maximum length of 128 characters (it has 129); choose a "
                             "shorter name"));
}

TEST_CASE("mssql refuses a name that sqlcmd would misread in a script",
          "[dialect][mssql][errors]") {
  // A literal spells a line break with CHAR(10); a name cannot, and a line
  // GO inside it would end the batch.
  CHECK(render_error(mssql(), [](Operations& op) { op.drop_table("a\nGO\nb"); }) ==
        "dialect 'mssql' cannot render drop_table: name 'a\\x0aGO\\x0ab' holds a line break or "
        "'$(', which sqlcmd misreads in a script; choose another name");
  CHECK_THAT(render_error(mssql(), [](Operations& op) { op.rename_table("t", "$(x)"); }),
             Catch::EndsWith("name '$(x)' holds a line break or '$(', which sqlcmd misreads in a "
                             "script; choose another name"));
  // sp_rename takes the old name as a plain literal: refused the same way.
  CHECK_THAT(render_error(mssql(), [](Operations& op) { op.rename_table("a\rb", "c"); }),
             Catch::Contains("holds a line break"));
  // '$' alone is an ordinary character.
  CHECK(render_one(mssql(), [](Operations& op) { op.drop_table("a$b"); }) == "DROP TABLE a$b");
}

// sqlcmd reads a script line by line before the server sees it: a line GO
// (or EXIT, :r, ...) inside a literal would end the batch there, and $(name)
// anywhere is a scripting variable. No value may start a line, or hold $(.
// CONCAT, not +: a DEFAULT takes a function call but no operator.
TEST_CASE(
    "mssql writes line breaks in literals as CHAR(10), so no line of a value is GO for sqlcmd",
    "[dialect][mssql]") {
  using namespace retort;
  const std::vector<std::string> statements = render_all(mssql(), [](Operations& op) {
    op.bulk_insert("t", {Column("v", Text()), Column("n", Unicode(20)), Column("p", String(20))},
                   {{"a\nGO\nb", "x\r\nGO", "cost $(price)"}});
    op.add_column("t", Column("c", String(20)).server_default("one\ntwo"));
  });
  CHECK(statements ==
        std::vector<std::string>{
            "INSERT INTO t (v, n, p) VALUES (CONCAT('a', CHAR(10), 'GO', CHAR(10), 'b'), "
            "CONCAT(N'x', NCHAR(13), NCHAR(10), N'GO'), CONCAT('cost ', CHAR(36), '(price)'))",
            "ALTER TABLE t ADD c VARCHAR(20) DEFAULT CONCAT('one', CHAR(10), 'two') NULL"});
  // Past 4000 bytes, the concatenation starts as VARCHAR(max): SQL Server cuts
  // a concatenation of shorter strings at 8000 bytes without a word.
  const std::string long_line(5000, 'x');
  CHECK(render_one(mssql(),
                   [&](Operations& op) {
                     op.bulk_insert("t", {Column("v", Text())}, {{long_line + "\ny"}});
                   }) == "INSERT INTO t (v) VALUES (CONCAT(CAST('" + long_line +
                             "' AS VARCHAR(max)), CHAR(10), 'y'))");
  // CONCAT takes at most 254 arguments: 300 line breaks nest, 254 and 46.
  auto line_breaks = [](int n) {
    std::string out = "CONCAT(CHAR(10)";
    for (int i = 1; i < n; ++i) out += ", CHAR(10)";
    return out + ")";
  };
  CHECK(
      render_one(mssql(), [&](Operations& op) {
        op.bulk_insert("t", {Column("v", Text())}, {{std::string(300, '\n')}});
      }) == "INSERT INTO t (v) VALUES (CONCAT(" + line_breaks(254) + ", " + line_breaks(46) + "))");
}

// sp_addextendedproperty takes a literal or a variable, not an expression.
TEST_CASE("mssql passes a comment with a line break to its procedure through a variable",
          "[dialect][mssql]") {
  CHECK(render_all(mssql(),
                   [](Operations& op) {
                     op.create_table_comment(retort::in_schema("sales", "t"), "first\nGO", "old");
                   }) ==
        std::vector<std::string>{
            "DECLARE @comment NVARCHAR(4000) = CONCAT(N'first', NCHAR(10), N'GO');\n"
            "EXEC sp_updateextendedproperty @name = N'MS_Description', @value = @comment, "
            "@level0type = N'SCHEMA', @level0name = N'sales', @level1type = N'TABLE', "
            "@level1name = N't'"});
}

TEST_CASE(
    "mssql refuses online a bulk_insert into an identity column it was not told of, "
    "saying how to mark it",
    "[dialect][mssql][errors]") {
  using namespace retort;
  std::vector<std::string> asked;
  const Database database = [&](const std::string& sql) -> Rows {
    asked.push_back(sql);
    if (sql.find("sys.identity_columns") != std::string::npos) return {{std::string("ID")}};
    return {};
  };
  const auto insert_ids = [](Operations& op) {
    op.bulk_insert(in_schema("dbo", "account"),
                   {Column("id", Integer()), Column("name", String(20))}, {{1, "ada"}});
  };
  Rendered online = render_online(mssql(), database, insert_ids);
  CHECK(online.statements.empty());
  CHECK(online.error ==
        "dialect 'mssql' cannot render bulk_insert: bulk_insert into 'account' gives values for "
        "its identity column 'id', which SQL Server takes only with IDENTITY_INSERT on; mark the "
        "column in bulk_insert's columns: Column(\"id\", ...).autoincrement()");
  REQUIRE(asked.size() == 1);
  CHECK_THAT(asked[0], Catch::Contains("OBJECT_ID(N'dbo.account')"));

  // Offline there is no catalog to read: the script has the plain INSERT.
  CHECK(render_all(mssql(), insert_ids) ==
        std::vector<std::string>{"INSERT INTO dbo.account (id, name) VALUES (1, 'ada')"});
  // Marked, it needs no catalog either.
  asked.clear();
  CHECK(render_online(mssql(), database, [](Operations& op) {
          op.bulk_insert("account", {Column("id", Integer()).autoincrement()}, {{1}});
        }).statements.size() == 3);
  CHECK(asked.empty());
}
