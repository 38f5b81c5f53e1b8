// The catalog queries of autogenerate (ABI 1.3's REFLECT_*) for SQL Server,
// from the sys views: sys.columns' max_length is in bytes (-1 for max,
// halved for the n-types), defaults live in sys.default_constraints and
// comments in sys.extended_properties as MS_Description.
#include "mssql_dialect.hpp"

namespace retort_mssql {
namespace {

// sys.foreign_keys' *_referential_action as RETORT_REFERENTIAL_* numbers:
// 0 no action, 1 cascade, 2 set null, 3 set default.
std::string rule(std::string_view column) {
  const std::string c(column);
  return "CASE " + c + " WHEN 0 THEN '5' WHEN 1 THEN '1' WHEN 2 THEN '2' WHEN 3 THEN '3' END";
}

std::string comment_of(std::string_view major, std::string_view minor) {
  return "LEFT JOIN sys.extended_properties ep ON ep.class = 1 AND ep.major_id = " +
         std::string(major) + " AND ep.minor_id = " + std::string(minor) +
         " AND ep.name = 'MS_Description' ";
}

}  // namespace

// The table of a REFLECT_* operation as an object id.
static std::string object_of(const MssqlDialect& d, const retort_operation& op) {
  return "OBJECT_ID(" + d.quote_literal(d.qualified_name(op.schema, retort::to_view(op.table))) +
         ")";
}

Statements MssqlDialect::render_reflect_tables(const retort_operation& op) const {
  const std::string schema = retort::is_absent(op.schema)
                                 ? std::string("SCHEMA_ID()")
                                 : "SCHEMA_ID(" + quote_literal(retort::to_view(op.schema)) + ")";
  return {"SELECT t.name, CAST(ep.value AS NVARCHAR(4000)) FROM sys.tables t " +
          comment_of("t.object_id", "0") + "WHERE t.schema_id = " + schema + " ORDER BY t.name"};
}

Statements MssqlDialect::render_reflect_columns(const retort_operation& op) const {
  required(op.table, "table name");
  return {
      "SELECT c.name, TYPE_NAME(c.user_type_id) + CASE "
      "WHEN TYPE_NAME(c.user_type_id) IN ('varchar', 'char', 'varbinary', 'binary') THEN '(' + "
      "CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length AS VARCHAR(10)) END + ')' "
      "WHEN TYPE_NAME(c.user_type_id) IN ('nvarchar', 'nchar') THEN '(' + "
      "CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length / 2 AS VARCHAR(10)) END + ')' "
      "WHEN TYPE_NAME(c.user_type_id) IN ('decimal', 'numeric') THEN '(' + "
      "CAST(c.precision AS VARCHAR(10)) + ',' + CAST(c.scale AS VARCHAR(10)) + ')' ELSE '' END, "
      "CASE WHEN c.is_nullable = 1 THEN '1' ELSE '0' END, dc.definition, "
      "CAST(ep.value AS NVARCHAR(4000)), CASE WHEN c.is_identity = 1 THEN '1' ELSE '0' END "
      "FROM sys.columns c LEFT JOIN sys.default_constraints dc ON dc.object_id = "
      "c.default_object_id " +
      comment_of("c.object_id", "c.column_id") + "WHERE c.object_id = " + object_of(*this, op) +
      " AND c.is_computed = 0 ORDER BY c.column_id"};
}

Statements MssqlDialect::render_reflect_constraints(const retort_operation& op) const {
  required(op.table, "table name");
  const std::string object = object_of(*this, op);
  return {
      "SELECT CASE WHEN i.is_primary_key = 1 THEN 'p' ELSE 'u' END, i.name, "
      "CAST(ic.key_ordinal AS VARCHAR(10)), c.name, NULL, NULL, NULL, NULL, NULL, NULL "
      "FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND "
      "ic.index_id = i.index_id JOIN sys.columns c ON c.object_id = ic.object_id AND "
      "c.column_id = ic.column_id WHERE i.object_id = " +
          object +
          " AND (i.is_primary_key = 1 OR i.is_unique_constraint = 1) AND ic.is_included_column = 0 "
          "ORDER BY i.is_primary_key DESC, i.name, ic.key_ordinal",
      "SELECT 'f', fk.name, CAST(fkc.constraint_column_id AS VARCHAR(10)), pc.name, NULL, rt.name, "
      "rc.name, " +
          rule("fk.update_referential_action") + ", " + rule("fk.delete_referential_action") +
          ", NULL FROM sys.foreign_keys fk JOIN sys.foreign_key_columns fkc ON "
          "fkc.constraint_object_id = fk.object_id JOIN sys.columns pc ON pc.object_id = "
          "fkc.parent_object_id AND pc.column_id = fkc.parent_column_id JOIN sys.tables rt ON "
          "rt.object_id = fkc.referenced_object_id JOIN sys.columns rc ON rc.object_id = "
          "fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id "
          "WHERE fk.parent_object_id = " +
          object + " ORDER BY fk.name, fkc.constraint_column_id",
      "SELECT 'c', cc.name, '1', NULL, NULL, NULL, NULL, NULL, NULL, cc.definition "
      "FROM sys.check_constraints cc WHERE cc.parent_object_id = " +
          object + " ORDER BY cc.name"};
}

Statements MssqlDialect::render_reflect_indexes(const retort_operation& op) const {
  required(op.table, "table name");
  return {
      "SELECT i.name, CASE WHEN i.is_unique = 1 THEN '1' ELSE '0' END, "
      "CAST(ic.key_ordinal AS VARCHAR(10)), c.name, '0', i.filter_definition "
      "FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND "
      "ic.index_id = i.index_id JOIN sys.columns c ON c.object_id = ic.object_id AND "
      "c.column_id = ic.column_id WHERE i.object_id = " +
      object_of(*this, op) +
      " AND i.is_primary_key = 0 AND i.is_unique_constraint = 0 AND i.type > 0 "
      "AND ic.is_included_column = 0 ORDER BY i.name, ic.key_ordinal"};
}

}  // namespace retort_mssql
