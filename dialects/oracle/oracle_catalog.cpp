// The catalog queries of autogenerate (ABI 1.3's REFLECT_*) for Oracle, from
// the ALL_* views. Oracle stores an unquoted name in upper case: names are
// looked up as stored and reported in lower case when they are all upper
// case, as SQLAlchemy normalises them, so that they meet the model's.
#include "oracle_dialect.hpp"

#include <cctype>

namespace retort_oracle {
namespace {

// A stored name as the model spells it.
std::string normal(std::string_view column) {
  const std::string c(column);
  return "CASE WHEN " + c + " = UPPER(" + c + ") THEN LOWER(" + c + ") ELSE " + c + " END";
}

std::string upper(std::string_view name) {
  std::string out(name);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

// The name a model's table or schema is stored under, as a literal.
static std::string stored(const OracleDialect& d, std::string_view name) {
  return d.quote_literal(d.requires_quotes(name) ? std::string(name) : upper(name));
}

static std::string owner_of(const OracleDialect& d, const retort_operation& op) {
  return retort::is_absent(op.schema) ? std::string("SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')")
                                      : stored(d, retort::to_view(op.schema));
}

Statements OracleDialect::render_reflect_tables(const retort_operation& op) const {
  return {"SELECT " + normal("t.table_name") +
          ", c.comments FROM all_tables t LEFT JOIN all_tab_comments c ON c.owner = t.owner AND "
          "c.table_name = t.table_name WHERE t.owner = " +
          owner_of(*this, op) +
          " AND t.nested = 'NO' AND t.secondary = 'N' AND t.dropped = 'NO' ORDER BY 1"};
}

Statements OracleDialect::render_reflect_columns(const retort_operation& op) const {
  // DATA_DEFAULT is a LONG: selected as is, never used in an expression.
  return {"SELECT " + normal("c.column_name") +
          ", c.data_type || CASE WHEN c.data_type IN ('VARCHAR2', 'NVARCHAR2', 'CHAR', 'NCHAR') "
          "THEN '(' || c.char_length || ')' WHEN c.data_type = 'NUMBER' AND c.data_precision IS "
          "NOT NULL THEN '(' || c.data_precision || ',' || c.data_scale || ')' WHEN c.data_type = "
          "'RAW' THEN '(' || c.data_length || ')' END, CASE WHEN c.nullable = 'Y' THEN '1' ELSE "
          "'0' END, c.data_default, cc.comments, CASE WHEN c.identity_column = 'YES' THEN '1' "
          "ELSE '0' END FROM all_tab_cols c LEFT JOIN all_col_comments cc ON cc.owner = c.owner "
          "AND cc.table_name = c.table_name AND cc.column_name = c.column_name WHERE c.owner = " +
          owner_of(*this, op) +
          " AND c.table_name = " + stored(*this, required(op.table, "table name")) +
          " AND c.hidden_column = 'NO' AND c.virtual_column = 'NO' ORDER BY c.column_id"};
}

Statements OracleDialect::render_reflect_constraints(const retort_operation& op) const {
  // NOT NULL is a CHECK with a generated name too: those are left out, and
  // with them unnamed checks, which the comparison ignores anyway. Oracle
  // has no ON UPDATE.
  return {
      "SELECT CASE c.constraint_type WHEN 'P' THEN 'p' WHEN 'U' THEN 'u' WHEN 'R' THEN 'f' "
      "ELSE 'c' END, " +
      normal("c.constraint_name") + ", TO_CHAR(NVL(cc.position, 1)), " + normal("cc.column_name") +
      ", NULL, " + normal("r.table_name") + ", " + normal("rc.column_name") +
      ", NULL, CASE c.delete_rule WHEN 'CASCADE' THEN '1' WHEN 'SET NULL' THEN '2' WHEN 'NO "
      "ACTION' THEN '5' END, CASE WHEN c.constraint_type = 'C' THEN c.search_condition_vc END "
      "FROM all_constraints c LEFT JOIN all_cons_columns cc ON cc.owner = c.owner AND "
      "cc.constraint_name = c.constraint_name AND c.constraint_type <> 'C' "
      "LEFT JOIN all_constraints r ON r.owner = c.r_owner AND r.constraint_name = "
      "c.r_constraint_name LEFT JOIN all_cons_columns rc ON rc.owner = r.owner AND "
      "rc.constraint_name = r.constraint_name AND rc.position = cc.position "
      "WHERE c.owner = " +
      owner_of(*this, op) +
      " AND c.table_name = " + stored(*this, required(op.table, "table name")) +
      " AND c.constraint_type IN ('P', 'U', 'R', 'C') AND NOT (c.constraint_type = 'C' AND "
      "c.generated = 'GENERATED NAME') ORDER BY 1, 2, 3"};
}

Statements OracleDialect::render_reflect_indexes(const retort_operation& op) const {
  // A function-based index's key is a hidden SYS_NC column.
  return {
      "SELECT " + normal("i.index_name") +
      ", CASE WHEN i.uniqueness = 'UNIQUE' THEN '1' ELSE '0' END, TO_CHAR(ic.column_position), " +
      normal("ic.column_name") +
      ", CASE WHEN ic.column_name LIKE 'SYS\\_NC%' ESCAPE '\\' THEN '1' ELSE '0' END, NULL "
      "FROM all_indexes i JOIN all_ind_columns ic ON ic.index_owner = i.owner AND "
      "ic.index_name = i.index_name WHERE i.table_owner = " +
      owner_of(*this, op) +
      " AND i.table_name = " + stored(*this, required(op.table, "table name")) +
      " AND NOT EXISTS (SELECT 1 FROM all_constraints c WHERE c.owner = i.table_owner AND "
      "c.table_name = i.table_name AND c.index_name = i.index_name AND c.constraint_type IN "
      "('P', 'U')) ORDER BY 1, ic.column_position"};
}

std::optional<bool> OracleDialect::type_differs(const retort_column& model,
                                                std::string_view reflected) const {
  auto numeric = [](uint32_t code) {
    return code == RETORT_TYPE_INTEGER || code == RETORT_TYPE_SMALLINT ||
           code == RETORT_TYPE_BIGINT || code == RETORT_TYPE_NUMERIC;
  };
  const retort::Type r = reflected_type(reflected);
  const retort::Type m = reflected_type(type_name(model));
  if (numeric(m.code) && numeric(r.code)) return false;
  return SqlDialect::type_differs(model, reflected);
}

}  // namespace retort_oracle
