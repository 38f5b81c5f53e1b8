// Reading the catalog: the rows of the REFLECT_* queries (and of ODBC's
// catalog functions) into tables, and the queries each dialect renders.
#include "autogenerate/reflection.hpp"
#include "dialect_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace ag = retort::autogenerate;

namespace {

using Cell = std::optional<std::string>;
const Cell null;
Cell s(const char* text) { return std::string(text); }

std::vector<std::string> reflect_sql(const char* dialect_name, uint32_t kind, const char* table) {
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = kind;
  op.table = table == nullptr ? retort_str{nullptr, 0} : retort::to_str(table);
  auto statements = dialect_test::loaded_dialect(dialect_name).render(op);
  INFO(statements.error().message());
  REQUIRE(statements);
  return *statements;
}

bool holds(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("composite keys are told apart by their positions", "[autogenerate][reflection]") {
  // SQLite gives no foreign-key names: two keys follow each other.
  const retort::Rows constraints = {
      {s("f"), null, s("1"), s("a"), null, s("p"), s("x"), null, s("1"), null},
      {s("f"), null, s("2"), s("b"), null, s("p"), s("y"), null, s("1"), null},
      {s("f"), null, s("1"), s("c"), null, s("q"), s("id"), null, null, null},
  };
  auto table = ag::table_from_rows("t", null, {}, constraints, {});
  REQUIRE(table);
  REQUIRE(table->foreign_keys.size() == 2);
  CHECK(table->foreign_keys[0].columns == std::vector<std::string>{"a", "b"});
  CHECK(table->foreign_keys[0].referred_columns == std::vector<std::string>{"x", "y"});
  CHECK(table->foreign_keys[0].on_delete == retort::Referential::kCascade);
  CHECK(table->foreign_keys[1].referred_table == "q");
}

TEST_CASE("a catalog row without its columns is refused with the table named",
          "[autogenerate][reflection]") {
  auto table = ag::table_from_rows("account", null, {{s("id"), s("INTEGER")}}, {}, {});
  REQUIRE_FALSE(table);
  CHECK(table.error().message() == "the catalog of table 'account' has a malformed column row");
}

TEST_CASE("odbc catalog rows become rows of the dialect layout", "[autogenerate][reflection]") {
  // SQLColumns: ..., COLUMN_NAME 3, DATA_TYPE 4, TYPE_NAME 5, ..., NULLABLE 10, REMARKS 11,
  // COLUMN_DEF 12.
  const retort::Rows columns = {{null, null, s("t"), s("id"), s("4"), s("INTEGER"), s("10"), null,
                                 s("0"), s("10"), s("0"), null, null}};
  const retort::Rows rows = ag::odbc_columns_as_rows(columns);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::vector<Cell>{s("id"), s("INTEGER"), s("0"), null, null, s("0")});
  // SQLForeignKeys: PKTABLE_NAME 2, PKCOLUMN_NAME 3, FKCOLUMN_NAME 7, KEY_SEQ 8, rules 9 and 10,
  // FK_NAME 11.
  const retort::Rows fks = {{null, null, s("p"), s("id"), null, null, s("t"), s("p_id"), s("1"),
                             s("3"), s("0"), s("fk_t_p"), null, s("7")}};
  auto table = ag::table_from_rows("t", null, {}, ag::odbc_keys_as_rows({}, fks), {});
  REQUIRE(table);
  REQUIRE(table->foreign_keys.size() == 1);
  CHECK(table->foreign_keys[0].name == "fk_t_p");
  CHECK(table->foreign_keys[0].on_update == retort::Referential::kNoAction);
  CHECK(table->foreign_keys[0].on_delete == retort::Referential::kCascade);
}

TEST_CASE("postgresql reads its catalog from pg_catalog",
          "[autogenerate][reflection][postgresql]") {
  CHECK(holds(reflect_sql("postgresql", RETORT_OP_REFLECT_TABLES, nullptr)[0],
              "n.nspname = current_schema()"));
  const auto columns = reflect_sql("postgresql", RETORT_OP_REFLECT_COLUMNS, "Account");
  REQUIRE(columns.size() == 1);
  CHECK(holds(columns[0], "format_type(a.atttypid, a.atttypmod)"));
  CHECK(holds(columns[0], "a.attrelid = '\"Account\"'::regclass"));
  CHECK(holds(reflect_sql("postgresql", RETORT_OP_REFLECT_CONSTRAINTS, "t")[0],
              "FROM pg_constraint c"));
  CHECK(holds(reflect_sql("postgresql", RETORT_OP_REFLECT_INDEXES, "t")[0],
              "c.conindid = i.indexrelid"));
}

TEST_CASE("mysql reads its catalog from information_schema", "[autogenerate][reflection][mysql]") {
  CHECK(holds(reflect_sql("mysql", RETORT_OP_REFLECT_TABLES, nullptr)[0],
              "TABLE_SCHEMA = DATABASE()"));
  CHECK(holds(reflect_sql("mysql", RETORT_OP_REFLECT_COLUMNS, "account")[0],
              "COLUMN_TYPE, CASE WHEN IS_NULLABLE = 'YES'"));
  const auto constraints = reflect_sql("mysql", RETORT_OP_REFLECT_CONSTRAINTS, "account");
  REQUIRE(constraints.size() == 2);
  CHECK(holds(constraints[1], "LEVEL = 'Table'"));
  CHECK(holds(reflect_sql("mysql", RETORT_OP_REFLECT_INDEXES, "account")[0],
              "CONSTRAINT_TYPE IN ('UNIQUE', 'FOREIGN KEY')"));
}

TEST_CASE("mssql reads its catalog from the sys views", "[autogenerate][reflection][mssql]") {
  CHECK(reflect_sql("mssql", RETORT_OP_REFLECT_TABLES, nullptr) ==
        std::vector<std::string>{
            "SELECT t.name, CAST(ep.value AS NVARCHAR(4000)) FROM sys.tables t LEFT JOIN "
            "sys.extended_properties ep ON ep.class = 1 AND ep.major_id = t.object_id AND "
            "ep.minor_id = 0 AND ep.name = 'MS_Description' WHERE t.schema_id = SCHEMA_ID() ORDER "
            "BY t.name"});
  const auto columns = reflect_sql("mssql", RETORT_OP_REFLECT_COLUMNS, "account");
  REQUIRE(columns.size() == 1);
  INFO(columns[0]);
  CHECK(holds(columns[0], "WHERE c.object_id = OBJECT_ID('account') AND c.is_computed = 0"));
  CHECK(holds(columns[0], "CAST(c.max_length / 2 AS VARCHAR(10))"));
  const auto constraints = reflect_sql("mssql", RETORT_OP_REFLECT_CONSTRAINTS, "account");
  REQUIRE(constraints.size() == 3);
  CHECK(holds(constraints[1], "FROM sys.foreign_keys fk"));
  CHECK(holds(constraints[2], "FROM sys.check_constraints cc"));
  CHECK(
      holds(reflect_sql("mssql", RETORT_OP_REFLECT_INDEXES, "account")[0], "i.filter_definition"));
}

TEST_CASE("oracle reads its catalog from the all views in the stored case",
          "[autogenerate][reflection][oracle]") {
  CHECK(holds(reflect_sql("oracle", RETORT_OP_REFLECT_TABLES, nullptr)[0],
              "WHERE t.owner = SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')"));
  const auto columns = reflect_sql("oracle", RETORT_OP_REFLECT_COLUMNS, "account");
  REQUIRE(columns.size() == 1);
  CHECK(holds(columns[0], "c.table_name = 'ACCOUNT'"));
  CHECK(holds(columns[0], "FROM all_tab_cols c"));
  CHECK(holds(reflect_sql("oracle", RETORT_OP_REFLECT_COLUMNS, "Mixed")[0],
              "c.table_name = 'Mixed'"));
  CHECK(holds(reflect_sql("oracle", RETORT_OP_REFLECT_CONSTRAINTS, "account")[0],
              "NOT (c.constraint_type = 'C' AND c.generated = 'GENERATED NAME')"));
  CHECK(
      holds(reflect_sql("oracle", RETORT_OP_REFLECT_INDEXES, "account")[0], "FROM all_indexes i"));
}

TEST_CASE("sqlite cannot read its constraints offline", "[autogenerate][reflection][sqlite]") {
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = RETORT_OP_REFLECT_CONSTRAINTS;
  op.table = retort::to_str("account");
  auto statements = dialect_test::loaded_dialect("sqlite").render(op);
  REQUIRE_FALSE(statements);
  CHECK(holds(statements.error().message(), "reading the catalog needs a database"));
}
