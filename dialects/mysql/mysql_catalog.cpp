// The catalog queries of autogenerate (ABI 1.3's REFLECT_*), read from
// information_schema: COLUMN_TYPE keeps "tinyint(1)", "decimal(10,2)" and
// "int(11)" whole, where ODBC's SQLColumns gives only the base name.
#include "mysql_dialect.hpp"

namespace retort_mysql {
namespace {

// information_schema's UPDATE_RULE/DELETE_RULE as RETORT_REFERENTIAL_* numbers.
std::string rule(std::string_view column) {
  const std::string c(column);
  return "CASE " + c + " WHEN 'CASCADE' THEN '1' WHEN 'SET NULL' THEN '2' " +
         "WHEN 'SET DEFAULT' THEN '3' WHEN 'RESTRICT' THEN '4' WHEN 'NO ACTION' THEN '5' END";
}

}  // namespace

// The schema of a REFLECT_* operation: the database the session uses, or the one named.
static std::string schema_of(const MysqlDialect& d, const retort_operation& op) {
  return retort::is_absent(op.schema) ? std::string("DATABASE()")
                                      : d.quote_literal(retort::to_view(op.schema));
}

Statements MysqlDialect::render_reflect_tables(const retort_operation& op) const {
  return {"SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
          schema_of(*this, op) + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"};
}

Statements MysqlDialect::render_reflect_columns(const retort_operation& op) const {
  // COLUMN_DEFAULT is the word NULL for a nullable column without default.
  return {
      "SELECT COLUMN_NAME, COLUMN_TYPE, CASE WHEN IS_NULLABLE = 'YES' THEN '1' ELSE '0' END, "
      "CASE WHEN COLUMN_DEFAULT = 'NULL' THEN NULL ELSE COLUMN_DEFAULT END, COLUMN_COMMENT, "
      "CASE WHEN EXTRA LIKE '%auto_increment%' THEN '1' ELSE '0' END "
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
      schema_of(*this, op) +
      " AND TABLE_NAME = " + quote_literal(required(op.table, "table name")) +
      " AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION"};
}

Statements MysqlDialect::render_reflect_constraints(const retort_operation& op) const {
  const std::string schema = schema_of(*this, op);
  const std::string table = quote_literal(required(op.table, "table name"));
  // Keys, one row per column; then the table-level CHECKs (MariaDB also
  // lists column-level ones and the json_valid() of every JSON column,
  // which no model declares: LEVEL = 'Table' leaves them out).
  return {
      "SELECT CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' "
      "ELSE 'f' END, tc.CONSTRAINT_NAME, CAST(k.ORDINAL_POSITION AS CHAR), k.COLUMN_NAME, NULL, "
      "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, " +
          rule("rc.UPDATE_RULE") + ", " + rule("rc.DELETE_RULE") +
          ", NULL FROM information_schema.TABLE_CONSTRAINTS tc "
          "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = "
          "tc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = "
          "tc.CONSTRAINT_NAME "
          "LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = "
          "tc.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = tc.TABLE_NAME AND rc.CONSTRAINT_NAME = "
          "tc.CONSTRAINT_NAME "
          "WHERE tc.TABLE_SCHEMA = " +
          schema + " AND tc.TABLE_NAME = " + table +
          " AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') "
          "ORDER BY tc.CONSTRAINT_TYPE, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      "SELECT 'c', CONSTRAINT_NAME, '1', NULL, NULL, NULL, NULL, NULL, NULL, CHECK_CLAUSE "
      "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
          schema + " AND TABLE_NAME = " + table + " AND LEVEL = 'Table' ORDER BY CONSTRAINT_NAME"};
}

Statements MysqlDialect::render_reflect_indexes(const retort_operation& op) const {
  // Indexes a UNIQUE or FOREIGN KEY constraint owns are left out: InnoDB
  // creates one, named after the key, for a foreign key without one.
  return {
      "SELECT s.INDEX_NAME, CASE WHEN s.NON_UNIQUE = 0 THEN '1' ELSE '0' END, "
      "CAST(s.SEQ_IN_INDEX AS CHAR), s.COLUMN_NAME, '0', NULL "
      "FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = " +
      schema_of(*this, op) +
      " AND s.TABLE_NAME = " + quote_literal(required(op.table, "table name")) +
      " AND s.INDEX_NAME <> 'PRIMARY' AND NOT EXISTS (SELECT 1 FROM "
      "information_schema.TABLE_CONSTRAINTS tc WHERE tc.TABLE_SCHEMA = s.TABLE_SCHEMA AND "
      "tc.TABLE_NAME = s.TABLE_NAME AND tc.CONSTRAINT_NAME = s.INDEX_NAME AND "
      "tc.CONSTRAINT_TYPE IN ('UNIQUE', 'FOREIGN KEY')) ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX"};
}

std::optional<bool> MysqlDialect::type_differs(const retort_column& model,
                                               std::string_view reflected) const {
  // A JSON column is a LONGTEXT with a json_valid() CHECK in MariaDB.
  if (model.type == RETORT_TYPE_JSON && retort::split_type(reflected).base == "longtext")
    return false;
  return SqlDialect::type_differs(model, reflected);
}

retort::Type MysqlDialect::reflected_type(std::string_view spelling) const {
  const retort::TypeSpelling t = retort::split_type(spelling);
  // BOOL is TINYINT(1); the display width is all that tells it apart.
  if (t.base == "tinyint" && t.args.size() == 1 && t.args[0] == 1) return retort::Boolean();
  return retort::generic_type(t);
}

}  // namespace retort_mysql
