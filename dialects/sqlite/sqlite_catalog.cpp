// The catalog queries of autogenerate (ABI 1.3's REFLECT_*) for SQLite.
#include "sqlite_dialect.hpp"

#include <optional>
#include <string>
#include <vector>

namespace retort_sqlite {
namespace {

using Cell = std::optional<std::string>;

// A query whose rows are `rows`, each of `width` values: SELECT ... UNION
// ALL SELECT ..., or, for none, a SELECT that returns no row. Not VALUES:
// the SQLite ODBC driver gives a VALUES statement no result set.
std::string rows_query(const SqliteDialect& d, const std::vector<std::vector<Cell>>& rows,
                       size_t width) {
  auto cell = [&](const Cell& c) { return c ? d.quote_literal(*c) : std::string("NULL"); };
  if (rows.empty()) {
    std::string out = "SELECT NULL";
    for (size_t i = 1; i < width; ++i) out += ", NULL";
    return out + " WHERE 0";
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    out += r == 0 ? "SELECT " : " UNION ALL SELECT ";
    for (size_t i = 0; i < width; ++i) out += (i == 0 ? "" : ", ") + cell(rows[r][i]);
  }
  return out;
}

Cell name_or_null(const std::string& name) { return name.empty() ? Cell() : Cell(name); }

std::string schema_of(const retort_operation& op) {
  return std::string(retort::to_view(op.schema));
}

}  // namespace

retort::Statements SqliteDialect::render_reflect_tables(const retort_operation& op) const {
  const std::string prefix =
      retort::is_absent(op.schema) ? std::string() : quote_identifier(schema_of(op)) + ".";
  return {"SELECT name, NULL FROM " + prefix +
          "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY "
          "name"};
}

retort::Statements SqliteDialect::render_reflect_columns(const retort_operation& op) const {
  if (!can_query()) throw retort::DialectError::unsupported("reading the catalog needs a database");
  const TableModel table = reflect(schema_of(op), required(op.table, "table name"));
  std::vector<std::vector<Cell>> rows;
  for (const ColumnModel& c : table.columns) {
    rows.push_back({c.name, c.type, std::string(c.not_null ? "0" : "1"), c.default_sql, Cell(),
                    std::string(c.autoincrement ? "1" : "0")});
  }
  return {rows_query(*this, rows, 6)};
}

retort::Statements SqliteDialect::render_reflect_constraints(const retort_operation& op) const {
  if (!can_query()) throw retort::DialectError::unsupported("reading the catalog needs a database");
  const TableModel table = reflect(schema_of(op), required(op.table, "table name"));
  std::vector<std::vector<Cell>> rows;
  for (const ConstraintModel& c : table.constraints) {
    const Cell name = name_or_null(c.name);
    switch (c.kind) {
      case RETORT_CONSTRAINT_PRIMARY_KEY:
      case RETORT_CONSTRAINT_UNIQUE:
        for (size_t i = 0; i < c.columns.size(); ++i) {
          rows.push_back({std::string(c.kind == RETORT_CONSTRAINT_UNIQUE ? "u" : "p"), name,
                          std::to_string(i + 1), c.columns[i], Cell(), Cell(), Cell(), Cell(),
                          Cell(), Cell()});
        }
        break;
      case RETORT_CONSTRAINT_FOREIGN_KEY:
        for (size_t i = 0; i < c.columns.size(); ++i) {
          rows.push_back({std::string("f"), name, std::to_string(i + 1), c.columns[i], Cell(),
                          c.referred_table,
                          i < c.referred_columns.size() ? Cell(c.referred_columns[i]) : Cell(),
                          std::to_string(c.on_update), std::to_string(c.on_delete), Cell()});
        }
        break;
      case RETORT_CONSTRAINT_CHECK:
        rows.push_back({std::string("c"), name, std::string("1"), Cell(), Cell(), Cell(), Cell(),
                        Cell(), Cell(), c.condition});
        break;
    }
  }
  return {rows_query(*this, rows, 10)};
}

retort::Statements SqliteDialect::render_reflect_indexes(const retort_operation& op) const {
  // origin 'c': made by CREATE INDEX, not by a UNIQUE or PRIMARY KEY; a key
  // element whose cid is -2 is an expression, whose text the pragma does
  // not give.
  const std::string table = quote_literal(required(op.table, "table name"));
  const std::string schema = quote_literal(retort::is_absent(op.schema) ? "main" : schema_of(op));
  return {
      "SELECT il.name, CAST(il.\"unique\" AS TEXT), CAST(ix.seqno + 1 AS TEXT), ix.name, "
      "CASE WHEN ix.cid = -2 THEN '1' ELSE '0' END, NULL FROM pragma_index_list(" +
      table + ", " + schema + ") il, pragma_index_xinfo(il.name, " + schema +
      ") ix WHERE il.origin = 'c' AND ix.key = 1 ORDER BY il.name, ix.seqno"};
}

}  // namespace retort_sqlite
