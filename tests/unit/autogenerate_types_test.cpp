// The type-equivalence tables of autogenerate, per dialect: a model type
// against the spellings each catalog gives back (reference/autogenerate.md
// section 2). Each dialect answers through its compare_type (ABI 1.3).
#include "dialect_test_support.hpp"

#include <retort/schema.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

struct Case {
  retort::Type model;
  std::string reflected;
  bool differs;
};

void check_table(const char* dialect_name, const std::vector<Case>& cases) {
  const retort::Dialect& dialect = dialect_test::loaded_dialect(dialect_name);
  for (const Case& c : cases) {
    const retort::Column column("c", c.model);
    const std::optional<bool> answer = dialect.type_differs(column.c(), c.reflected);
    INFO(dialect_name << ": type code " << c.model.code << " against " << c.reflected);
    REQUIRE(answer.has_value());
    CHECK(*answer == c.differs);
  }
}

}  // namespace

using namespace retort;

TEST_CASE("sqlite compares declared types as written", "[autogenerate][types][sqlite]") {
  check_table("sqlite", {
                            {Integer(), "INTEGER", false},
                            {Integer(), "INT", false},
                            {Integer(), "BIGINT", true},
                            {String(50), "VARCHAR(50)", false},
                            {String(50), "VARCHAR", false},
                            {String(50), "VARCHAR(60)", true},
                            {String(50), "TEXT", true},
                            {Numeric(10, 2), "NUMERIC(10, 2)", false},
                            {Numeric(10, 2), "DECIMAL(10,2)", false},
                            {Boolean(), "BOOLEAN", false},
                            {Boolean(), "INTEGER", true},
                            {UUID(), "CHAR(32)", false},
                            {DateTime(), "DATETIME", false},
                        });
}

TEST_CASE("postgresql compares its internal and formatted type names",
          "[autogenerate][types][postgresql]") {
  check_table("postgresql", {
                                {Integer(), "integer", false},
                                {Integer(), "int4", false},
                                {SmallInteger(), "smallint", false},
                                {BigInteger(), "bigint", false},
                                {Integer(), "bigint", true},
                                {String(30), "character varying(30)", false},
                                {String(30), "character varying(40)", true},
                                {String(30), "character varying", false},
                                {String(30), "text", true},
                                {Numeric(10, 2), "numeric(10,2)", false},
                                {Numeric(10, 2), "numeric(10,3)", true},
                                {Float(), "double precision", false},
                                {Boolean(), "boolean", false},
                                {DateTime(), "timestamp without time zone", false},
                                {Date(), "date", false},
                                {Time(), "time without time zone", false},
                                {JSON(), "json", false},
                                {UUID(), "uuid", false},
                                {LargeBinary(), "bytea", false},
                            });
}

TEST_CASE("mysql reads tinyint(1) as a boolean and longtext as json",
          "[autogenerate][types][mysql]") {
  check_table("mysql", {
                           {Integer(), "int(11)", false},
                           {BigInteger(), "bigint(20)", false},
                           {Boolean(), "tinyint(1)", false},
                           {Boolean(), "tinyint(4)", true},
                           {String(50), "varchar(50)", false},
                           {String(50), "varchar(80)", true},
                           {Numeric(10, 2), "decimal(10,2)", false},
                           {JSON(), "longtext", false},
                           {DateTime(), "datetime", false},
                           {Text(), "text", false},
                           {LargeBinary(), "longblob", false},
                       });
}

TEST_CASE("mssql compares n-types with their plain twins", "[autogenerate][types][mssql]") {
  check_table("mssql", {
                           {Integer(), "int", false},
                           {String(50), "nvarchar(50)", false},
                           {String(50), "varchar(50)", false},
                           {String(50), "varchar(60)", true},
                           {Numeric(10, 2), "decimal(10,2)", false},
                           {Boolean(), "bit", false},
                           {UUID(), "uniqueidentifier", false},
                       });
}

TEST_CASE("oracle takes number for every integer and decimal type",
          "[autogenerate][types][oracle]") {
  check_table("oracle", {
                            {Integer(), "NUMBER", false},
                            {BigInteger(), "NUMBER(19,0)", false},
                            {Numeric(10, 2), "NUMBER(10,2)", false},
                            {String(50), "VARCHAR2(50)", false},
                            {String(50), "VARCHAR2(60)", true},
                            {Text(), "CLOB", false},
                            {LargeBinary(), "BLOB", false},
                        });
}

TEST_CASE("an enum type is never compared", "[autogenerate][types]") {
  const Column column("mood", Enum("mood", 5));
  CHECK_FALSE(
      dialect_test::loaded_dialect("postgresql").type_differs(column.c(), "mood").has_value());
}
