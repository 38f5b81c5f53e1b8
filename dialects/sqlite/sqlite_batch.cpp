// The batch rebuild ("move and copy", as Alembic's batch mode does it on
// SQLite) for what SQLite's ALTER TABLE cannot do: change a column's type,
// nullability or default, add or drop a constraint, add a column with a key,
// UNIQUE or a non-constant default. It renders
//
//   CREATE TABLE _retort_tmp_<t> (<the new definition>)
//   INSERT INTO _retort_tmp_<t> (<columns>) SELECT <columns> FROM <t>
//   DROP TABLE <t>
//   ALTER TABLE _retort_tmp_<t> RENAME TO <t>
//   <the table's CREATE INDEX statements>
//
// inside the revision's transaction. Online the definition is read from the
// database (sqlite_reflect.cpp) and, when the new table has foreign keys, the
// statements are rehearsed in a savepoint to run PRAGMA foreign_key_check;
// offline the definition comes from the model of this run (sqlite_model.cpp).
#include "sqlite_dialect.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace retort_sqlite {

using retort::DialectError;
using retort::in_quotes;
using retort::is_absent;
using retort::Statements;
using retort::to_view;

namespace {

bool contains_word(const std::string& upper, std::string_view part) {
  return upper.find(part) != std::string::npos;
}

// SQLite's type affinity of a declared type (sqlite.org/datatype3.html, 3.1).
std::string affinity(std::string_view type) {
  std::string upper(type);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (contains_word(upper, "INT")) return "INTEGER";
  if (contains_word(upper, "CHAR") || contains_word(upper, "CLOB") ||
      contains_word(upper, "TEXT")) {
    return "TEXT";
  }
  if (upper.empty() || contains_word(upper, "BLOB")) return "BLOB";
  if (contains_word(upper, "REAL") || contains_word(upper, "FLOA") ||
      contains_word(upper, "DOUB")) {
    return "REAL";
  }
  return "NUMERIC";
}

// A default ALTER TABLE ADD COLUMN accepts on a table with rows: a literal,
// a number, NULL, TRUE or FALSE (not CURRENT_TIMESTAMP, not an expression).
bool is_constant_default(const retort_column& column) {
  if (is_absent(column.server_default)) return true;
  if ((column.flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) == 0) return true;
  const std::string_view text = to_view(column.server_default);
  return is_number(text) || is_string_literal(text) || same_name(text, "NULL") ||
         same_name(text, "TRUE") || same_name(text, "FALSE");
}

std::string kind_name(uint32_t kind) {
  switch (kind) {
    case RETORT_CONSTRAINT_PRIMARY_KEY:
      return "primary key";
    case RETORT_CONSTRAINT_UNIQUE:
      return "unique";
    case RETORT_CONSTRAINT_FOREIGN_KEY:
      return "foreign key";
    case RETORT_CONSTRAINT_CHECK:
      return "check";
  }
  return "constraint";
}

}  // namespace

TableModel SqliteDialect::current_table(const retort_operation& op, std::string_view why) const {
  const std::string table(required(op.table, "table name"));
  if (!to_view(op.schema).empty() && !same_name(to_view(op.schema), "main")) {
    // The indexes' SQL would name no schema, and land in main.
    throw DialectError::unsupported("cannot " + std::string(why) + " on table " + in_quotes(table) +
                                    " in schema " + in_quotes(to_view(op.schema)) +
                                    ": sqlite rebuilds tables of the main schema only");
  }
  if (can_query()) {
    TableModel model = reflect("", table);
    check_rebuild_allowed(model);
    return model;
  }
  std::optional<TableModel> model = known_table(table_key(op));
  if (!model) {
    throw DialectError::unsupported(
        "cannot " + std::string(why) + " on table " + in_quotes(table) +
        " offline: sqlite must rebuild the table, and its definition is unknown to this "
        "script; run this range online, or offline from base so that the script creates the "
        "table first");
  }
  for (ColumnModel& c : model->columns) c.source = c.name;
  return *model;
}

Statements SqliteDialect::rebuild(const TableModel& after, Statements before) const {
  const std::string tmp_name = "_retort_tmp_" + after.name;
  const retort_str schema =
      after.schema.empty() ? retort_str{nullptr, 0} : retort::to_str(after.schema);
  const std::string table = qualified_name(schema, after.name);
  const std::string tmp = qualified_name(schema, tmp_name);

  std::vector<std::string> targets, sources;
  for (const ColumnModel& c : after.columns) {
    if (c.source.empty()) continue;
    targets.push_back(quote_identifier(c.name));
    const std::string from = quote_identifier(c.source);
    const std::string cast = affinity(c.type);
    sources.push_back(c.cast && cast != "BLOB" ? "CAST(" + from + " AS " + cast + ")" : from);
  }
  Statements out = std::move(before);
  out.push_back(create_statement(after, tmp_name));
  std::optional<size_t> copy;
  if (!targets.empty()) {
    copy = out.size();
    out.push_back("INSERT INTO " + tmp + " (" + retort::detail::join(targets, ", ") + ") SELECT " +
                  retort::detail::join(sources, ", ") + " FROM " + table);
  }
  out.push_back("DROP TABLE " + table);
  const bool views = can_query() && views_refer_to(after);
  if (views) out.push_back("PRAGMA legacy_alter_table = ON");
  out.push_back("ALTER TABLE " + tmp + " RENAME TO " + quote_identifier(after.name));
  if (views) out.push_back("PRAGMA legacy_alter_table = OFF");
  for (const IndexModel& index : after.indexes) out.push_back(index.sql);
  // Only foreign keys can find rows the new definition breaks after the
  // copy (a NOT NULL, UNIQUE or CHECK fails the INSERT itself), so only
  // then is the rebuild rehearsed, which copies the rows twice.
  const bool has_foreign_key =
      std::any_of(after.constraints.begin(), after.constraints.end(),
                  [](const ConstraintModel& c) { return c.kind == RETORT_CONSTRAINT_FOREIGN_KEY; });
  if (can_query() && has_foreign_key) rehearse(after, out, copy);
  remember(after);
  return out;
}

// ---- Columns -------------------------------------------------------------------

// SQLite's ALTER TABLE ADD COLUMN refuses PRIMARY KEY and UNIQUE outright,
// and a non-constant default (CURRENT_TIMESTAMP, an expression) on a table
// with rows: those rebuild the table, whether or not it has rows, so that an
// offline script does not depend on them.
Statements SqliteDialect::render_add_column(const retort_operation& op) const {
  retort_column column = added_column(op);
  column.comment = retort_str{nullptr, 0};  // SQLite keeps no comments
  const bool key = (column.flags & (RETORT_COLUMN_PRIMARY_KEY | RETORT_COLUMN_AUTOINCREMENT)) != 0;
  const bool unique = (column.flags & RETORT_COLUMN_UNIQUE) != 0;
  const bool rebuilds = key || unique || !is_constant_default(column);
  const std::string what = "add column " + in_quotes(column_name(column));
  if (!rebuilds) {
    const retort_column* columns[] = {&column};
    retort_operation plain = op;
    plain.columns = columns;
    Statements out = SqlDialect::render_add_column(plain);
    if (std::optional<TableModel> table = known_table(table_key(op))) {
      table->columns.push_back(column_model(column));
      remember(std::move(*table));
    }
    return out;
  }
  TableModel table = current_table(op, what);
  if (table.column(column_name(column)) != nullptr) {
    throw DialectError::invalid("table " + in_quotes(table.name) + " already has a column " +
                                in_quotes(column_name(column)));
  }
  ColumnModel added = column_model(column);
  if (key) {
    if (table.primary_key() != nullptr) {
      throw DialectError::unsupported("cannot " + what + " as a primary key: table " +
                                      in_quotes(table.name) + " already has one; drop it first");
    }
    table.constraints.insert(table.constraints.begin(),
                             {RETORT_CONSTRAINT_PRIMARY_KEY, "", {added.name}});
  }
  if (unique) table.constraints.push_back({RETORT_CONSTRAINT_UNIQUE, "", {added.name}});
  table.columns.push_back(std::move(added));
  return rebuild(table);
}

Statements SqliteDialect::render_alter_column(const retort_operation& op) const {
  if (op.column_count != 1) throw DialectError::invalid("alter_column needs the changed column");
  const retort_column& target = *op.columns[0];
  const std::string old_name(required(op.name, "column name"));
  const uint32_t other_changes = op.alter & ~(RETORT_ALTER_NAME | RETORT_ALTER_COMMENT);
  Statements out;
  if ((op.alter & RETORT_ALTER_NAME) != 0) {
    retort_operation rename = op;
    rename.alter = RETORT_ALTER_NAME;
    out = SqlDialect::render_alter_column(rename);
  }
  if (other_changes == 0) {
    if (std::optional<TableModel> table = known_table(table_key(op));
        table && (op.alter & RETORT_ALTER_NAME) != 0) {
      rename_column(*table, old_name, column_name(target));
      remember(std::move(*table));
    }
    return out;  // a comment alone renders nothing: SQLite keeps none
  }
  TableModel table = current_table(op, "alter column " + in_quotes(old_name));
  std::string name = old_name;
  if ((op.alter & RETORT_ALTER_NAME) != 0) {
    // RENAME COLUMN runs first, and also rewrites indexes, checks and the
    // foreign keys of other tables; the copy then reads the new name.
    name = std::string(column_name(target));
    if (table.column(old_name) == nullptr) {
      throw DialectError::invalid("table " + in_quotes(table.name) + " has no column " +
                                  in_quotes(old_name));
    }
    rename_column(table, old_name, name);
    table.column(name)->source = name;
  }
  ColumnModel* column = table.column(name);
  if (column == nullptr) {
    throw DialectError::invalid("table " + in_quotes(table.name) + " has no column " +
                                in_quotes(old_name));
  }
  if ((op.alter & RETORT_ALTER_TYPE) != 0) {
    const std::string type = type_name(target);
    column->cast = column->cast || type != column->type;
    column->type = column->autoincrement ? "INTEGER" : type;
  }
  if ((op.alter & RETORT_ALTER_NULLABLE) != 0) {
    column->not_null = (target.flags & RETORT_COLUMN_NOT_NULL) != 0;
  }
  if ((op.alter & RETORT_ALTER_DEFAULT) != 0) {
    const std::string clause = default_clause(target);
    column->default_sql.reset();
    if (!clause.empty()) column->default_sql = clause.substr(std::string_view("DEFAULT ").size());
  }
  return rebuild(table, std::move(out));
}

// ---- Constraints ---------------------------------------------------------------

Statements SqliteDialect::render_create_constraint(const retort_operation& op) const {
  if (op.constraint_count != 1) throw DialectError::invalid("the operation has no constraint");
  ConstraintModel added = constraint_from(*op.constraints[0]);
  // Renders it once, for the same errors as CREATE TABLE gives.
  constraint_definition(*op.constraints[0]);
  const std::string what = "add " + kind_name(added.kind) + " constraint" +
                           (added.name.empty() ? std::string() : " " + in_quotes(added.name));
  TableModel table = current_table(op, what);
  for (const std::string& c : added.columns) {
    if (table.column(c) == nullptr) {
      throw DialectError::invalid("cannot " + what + ": table " + in_quotes(table.name) +
                                  " has no column " + in_quotes(c));
    }
  }
  if (added.kind == RETORT_CONSTRAINT_PRIMARY_KEY) {
    if (table.primary_key() != nullptr) {
      throw DialectError::unsupported("cannot " + what + ": table " + in_quotes(table.name) +
                                      " already has a primary key; drop it first");
    }
    table.constraints.insert(table.constraints.begin(), std::move(added));
  } else {
    table.constraints.push_back(std::move(added));
  }
  return rebuild(table);
}

Statements SqliteDialect::render_drop_constraint(const retort_operation& op) const {
  if (op.constraint_count != 1) throw DialectError::invalid("the operation has no constraint");
  const retort_constraint& c = *op.constraints[0];
  const std::string name(required(c.name, "constraint name"));
  const std::string what = "drop " + kind_name(c.kind) + " constraint " + in_quotes(name);
  TableModel table = current_table(op, what);
  auto& constraints = table.constraints;
  auto found = std::find_if(constraints.begin(), constraints.end(), [&](const ConstraintModel& m) {
    return same_name(m.name, name) && (c.kind == 0 || m.kind == c.kind);
  });
  if (found == constraints.end()) {
    throw DialectError::invalid("cannot " + what + ": table " + in_quotes(table.name) + " has no " +
                                kind_name(c.kind) + " constraint of that name");
  }
  if (found->kind == RETORT_CONSTRAINT_PRIMARY_KEY) {
    for (ColumnModel& column : table.columns) column.autoincrement = false;
  }
  constraints.erase(found);
  return rebuild(table);
}

}  // namespace retort_sqlite
