// The SQL Server dialect, loaded from the built plugin and driven through the
// host's Dialect wrapper: the rules the full chain's golden script does not
// show (tests/golden/mssql/ shows the rest).
#include "dialect.hpp"

#include <retort/abi.h>
#include <retort/schema.hpp>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using retort::Column;
using retort::Dialect;

const Dialect& mssql() {
  static const Dialect dialect = [] {
    retort::Expected<Dialect> loaded = Dialect::load(RETORT_TEST_DIALECT_DIR "/mssql.so");
    INFO(loaded.error().message());
    REQUIRE(loaded);
    return *loaded;
  }();
  return dialect;
}

// An operation, the columns it points to, and the existing column of an
// alter_column.
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
  Op& schema(std::string_view schema) {
    op_.schema = retort::to_str(schema);
    return *this;
  }
  Op& alter(uint32_t parts) {
    op_.alter = parts;
    return *this;
  }
  Op& existing(uint32_t parts, Column column) {
    existing_.emplace_back(std::move(column));
    op_.existing = parts;
    op_.existing_column = &existing_.back().c();
    return *this;
  }

 private:
  std::vector<Column> columns_;
  std::vector<const retort_column*> pointers_;
  std::vector<Column> existing_;
  retort_operation op_{};
};

std::vector<std::string> render(Op& op) {
  retort::Expected<std::vector<std::string>> statements = mssql().render(op.c());
  INFO(statements.error().message());
  REQUIRE(statements);
  return *statements;
}

std::string render_error(Op& op) {
  retort::Expected<std::vector<std::string>> statements = mssql().render(op.c());
  REQUIRE_FALSE(statements);
  return statements.error().message();
}

std::string add_column_sql(Column column) {
  Op op(RETORT_OP_ADD_COLUMN, "t", {std::move(column)});
  std::vector<std::string> statements = render(op);
  REQUIRE(statements.size() == 1);
  return statements[0];
}

std::string connection_string(const std::string& url) {
  retort::Expected<std::string> text = mssql().connection_string(url);
  INFO(text.error().message());
  REQUIRE(text);
  return *text;
}

}  // namespace

TEST_CASE("mssql dialect loads with transactional DDL and a GO after each statement",
          "[dialect][mssql]") {
  const Dialect& d = mssql();
  CHECK(d.name() == "mssql");
  CHECK(d.url_schemes() == std::vector<std::string>{"mssql"});
  CHECK(d.transactional_ddl());
  CHECK(d.statement_terminator() == ";");
  CHECK(d.batch_separator() == "GO");
  CHECK(d.begin_transaction() == "BEGIN TRANSACTION");
  CHECK(d.commit_transaction() == "COMMIT");
}

TEST_CASE("mssql connects through FreeTDS on port 1433 with a decoded, braced password",
          "[dialect][mssql]") {
  CHECK(connection_string("mssql://retort:p%40ss%3Bword@db.example.com/app") ==
        "Driver={FreeTDS};Server=db.example.com;Port=1433;Database=app;Uid=retort;"
        "Pwd={p@ss;word};TDS_Version=7.4");
  CHECK(connection_string("mssql://sa:x@127.0.0.1:14330/db?TDS_Version=8.0") ==
        "Driver={FreeTDS};Server=127.0.0.1;Port=14330;Database=db;Uid=sa;Pwd=x;TDS_Version=8.0");
  retort::Expected<std::string> hostless = mssql().connection_string("mssql://sa:s3cret@/db");
  REQUIRE_FALSE(hostless);
  CHECK(hostless.error().message() ==
        "dialect 'mssql' cannot connect to 'mssql://sa:***@/db': an mssql URL needs a server: "
        "write mssql://user:pass@host:1433/db");
  retort::Expected<std::string> sneaky =
      mssql().connection_string("mssql://sa:s3cret@h/db?Pwd=other");
  REQUIRE_FALSE(sneaky);
  CHECK_THAT(sneaky.error().message(),
             Catch::Contains("mssql URL option 'Pwd' is not a driver option"));
  CHECK_THAT(sneaky.error().message(), !Catch::Contains("s3cret"));
}

TEST_CASE("mssql brackets reserved and unusual names, doubling a closing bracket", "[dialect][mssql]") {
  Op op(RETORT_OP_DROP_COLUMN, "odd]table");
  op.name("key").schema("user");
  const std::vector<std::string> statements = render(op);
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
  Op long_string(RETORT_OP_ADD_COLUMN, "t", {Column("c", String(9000))});
  CHECK(render_error(long_string) ==
        "dialect 'mssql' cannot render add_column: column 'c' is VARCHAR(9000), longer than SQL "
        "Server's 8000; give no length for "
        "VARCHAR(max)");
}

TEST_CASE("mssql alter_column restates the type and refuses a nullability change without one",
          "[dialect][mssql]") {
  Op missing(RETORT_OP_ALTER_COLUMN, "tag", {Column("label", retort::String(50)).nullable(false)});
  missing.name("label").alter(RETORT_ALTER_NULLABLE);
  CHECK(render_error(missing) ==
        "dialect 'mssql' cannot render alter_column: the nullability of column 'label' of table "
        "'tag' cannot change without its type, which SQL Server's ALTER COLUMN restates; pass "
        "existing_type");

  Op known(RETORT_OP_ALTER_COLUMN, "tag", {Column("label", retort::String(50)).nullable(false)});
  known.name("label")
      .alter(RETORT_ALTER_NULLABLE)
      .existing(RETORT_ALTER_TYPE, Column("label", retort::String(50)));
  CHECK(render(known) ==
        std::vector<std::string>{"ALTER TABLE tag ALTER COLUMN label VARCHAR(50) NOT NULL"});
}

TEST_CASE("mssql alter_column replaces a default constraint, then renames, in a schema",
          "[dialect][mssql]") {
  Op op(RETORT_OP_ALTER_COLUMN, "t", {Column("total", retort::Integer()).server_default("0")});
  op.schema("sales").name("qty").alter(RETORT_ALTER_DEFAULT | RETORT_ALTER_NAME);
  const std::vector<std::string> statements = render(op);
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
  Op drop(RETORT_OP_ALTER_COLUMN, "t", {Column("qty", retort::Integer())});
  drop.name("qty").alter(RETORT_ALTER_DEFAULT);
  const std::vector<std::string> statements = render(drop);
  REQUIRE(statements.size() == 1);
  CHECK_THAT(statements[0], Catch::StartsWith("DECLARE @sql NVARCHAR(max)"));

  Op rename(RETORT_OP_RENAME_TABLE, "old");
  rename.schema("sales").name("new");
  CHECK(render(rename) == std::vector<std::string>{"EXEC sp_rename N'sales.old', N'new'"});
}

TEST_CASE("mssql keeps comments as MS_Description extended properties", "[dialect][mssql]") {
  Op set(RETORT_OP_ALTER_COLUMN, "t", {Column("c", retort::Integer()).comment("it's new")});
  set.schema("sales").name("c").alter(RETORT_ALTER_COMMENT);
  set.existing(RETORT_ALTER_COMMENT, Column("c", retort::Integer()));
  CHECK(render(set) ==
        std::vector<std::string>{
            "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'it''s new', "
            "@level0type = N'SCHEMA', @level0name = N'sales', @level1type = N'TABLE', "
            "@level1name = N't', @level2type = N'COLUMN', @level2name = N'c'"});

  Op drop(RETORT_OP_ALTER_COLUMN, "t", {Column("c", retort::Integer())});
  drop.name("c").alter(RETORT_ALTER_COMMENT);
  CHECK(render(drop) ==
        std::vector<std::string>{
            "DECLARE @schema sysname = SCHEMA_NAME();\n"
            "IF EXISTS (SELECT 1 FROM sys.fn_listextendedproperty(N'MS_Description', N'SCHEMA', "
            "@schema, N'TABLE', N't', N'COLUMN', N'c'))\n"
            "    EXEC sp_dropextendedproperty @name = N'MS_Description', @level0type = N'SCHEMA', "
            "@level0name = @schema, @level1type = N'TABLE', @level1name = N't', "
            "@level2type = N'COLUMN', @level2name = N'c'"});
}

TEST_CASE("mssql drops an index on its table and refuses one without a table", "[dialect][mssql]") {
  Op with_table(RETORT_OP_DROP_INDEX, "t");
  with_table.name("ix_t_c");
  CHECK(render(with_table) == std::vector<std::string>{"DROP INDEX ix_t_c ON t"});
  Op without(RETORT_OP_DROP_INDEX, "");
  without.name("ix_t_c");
  CHECK(render_error(without) ==
        "dialect 'mssql' cannot render drop_index: index 'ix_t_c' has no table, which SQL Server "
        "needs to drop it; pass the table name");
}

TEST_CASE("mssql writes bulk_insert values as T-SQL literals", "[dialect][mssql]") {
  using namespace retort;
  Op op(RETORT_OP_BULK_INSERT, "t",
        {Column("flag", Boolean()), Column("data", LargeBinary()), Column("name", Unicode(20)),
         Column("day", Date()), Column("code", String(5))});
  const retort_value values[] = {
      {RETORT_VALUE_BOOLEAN, 0, 0, {}},
      {RETORT_VALUE_BINARY, 0, 0, to_str(std::string_view("\x01\xab", 2))},
      {RETORT_VALUE_TEXT, 0, 0, to_str("Zoë")},
      {RETORT_VALUE_TEXT, 0, 0, to_str("2026-01-02")},
      {RETORT_VALUE_TEXT, 0, 0, to_str("a'b")},
  };
  op.c().values = values;
  op.c().row_count = 1;
  CHECK(render(op) == std::vector<std::string>{
                          "INSERT INTO t (flag, data, name, day, code) VALUES (0, 0x01ab, N'Zoë', "
                          "'2026-01-02', 'a''b')"});
}

TEST_CASE("mssql alter_column of a type alone leaves nullability out when it is unknown",
          "[dialect][mssql]") {
  Op op(RETORT_OP_ALTER_COLUMN, "purchase", {Column("amount", retort::Numeric(14, 2))});
  op.name("amount").alter(RETORT_ALTER_TYPE);
  CHECK(render(op) ==
        std::vector<std::string>{"ALTER TABLE purchase ALTER COLUMN amount NUMERIC(14, 2)"});
  op.c().condition = retort::to_str("amount::numeric");
  CHECK(render_error(op) ==
        "dialect 'mssql' cannot render alter_column: the type change of column 'amount' of table "
        "'purchase' has a USING expression, which SQL Server does not know; convert the values "
        "with execute first");
}
