// The model of the tables the batch rebuild works from, and the operations
// that only keep it up to date. Online a rebuild reads the table from the
// database (sqlite_reflect.cpp); offline (--sql) there is no database, so
// every operation rendered in this run updates the model of its table, and
// a rebuild starts from that.
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

// ---- Text ----------------------------------------------------------------------

namespace {

// A character of a bare name in SQLite's tokenizer: wider than
// retort::is_word_char ('$' and any byte of a UTF-8 character).
bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// The end of a quoted run starting at `i` (its opening character), the
// closing quote doubled to escape it, except for [brackets].
size_t quoted_end(std::string_view sql, size_t i) {
  const char close = sql[i] == '[' ? ']' : sql[i];
  for (size_t j = i + 1; j < sql.size(); ++j) {
    if (sql[j] != close) continue;
    if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
      ++j;
      continue;
    }
    return j + 1;
  }
  return sql.size();
}

std::string unquote(std::string_view text) {
  if (text.size() < 2) return std::string(text);
  const char open = text.front();
  if (open == '[') return std::string(text.substr(1, text.size() - 2));
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == open && text[i + 1] == open) ++i;
  }
  return out;
}

}  // namespace

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '"' || c == '`' || c == '[') {
      const size_t end = quoted_end(sql, i);
      tokens.push_back({Token::kIdentifier, unquote(sql.substr(i, end - i)), i, end});
      i = end;
    } else if (c == '\'') {
      const size_t end = quoted_end(sql, i);
      tokens.push_back({Token::kString, std::string(sql.substr(i, end - i)), i, end});
      i = end;
    } else if (is_identifier_char(c)) {
      size_t end = i;
      while (end < sql.size() && is_identifier_char(sql[end])) ++end;
      tokens.push_back({Token::kWord, std::string(sql.substr(i, end - i)), i, end});
      i = end;
    } else {
      tokens.push_back({Token::kPunctuation, std::string(1, c), i, i + 1});
      ++i;
    }
  }
  return tokens;
}

std::string rename_identifier(std::string_view sql, std::string_view from, std::string_view to,
                              Scope scope) {
  const std::vector<Token> tokens = tokenize(sql);
  std::string out;
  size_t copied = 0;
  bool after_paren = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::kPunctuation && t.text == "(") after_paren = true;
    if (t.kind != Token::kWord && t.kind != Token::kIdentifier) continue;
    if (!same_name(t.text, from)) continue;
    if (scope == Scope::kAfterParen && !after_paren) continue;
    if (scope == Scope::kBeforeParen && after_paren) continue;
    // A bare word followed by '(' is a function call, not a column.
    const bool call = t.kind == Token::kWord && i + 1 < tokens.size() && tokens[i + 1].text == "(";
    if (call) continue;
    out.append(sql.substr(copied, t.begin - copied));
    out.append(to);
    copied = t.end;
  }
  out.append(sql.substr(copied));
  return out;
}

// ---- The model -----------------------------------------------------------------

ColumnModel* TableModel::column(std::string_view wanted) {
  for (ColumnModel& c : columns) {
    if (same_name(c.name, wanted)) return &c;
  }
  return nullptr;
}

const ConstraintModel* TableModel::primary_key() const {
  for (const ConstraintModel& c : constraints) {
    if (c.kind == RETORT_CONSTRAINT_PRIMARY_KEY) return &c;
  }
  return nullptr;
}

// Names compare without case in SQLite; "main" is the default schema.
std::string SqliteDialect::table_key(std::string_view schema, std::string_view table) {
  std::string key;
  if (!schema.empty() && !same_name(schema, "main")) key = std::string(schema) + ".";
  key += table;
  return retort::lower_ascii(key);
}

std::string SqliteDialect::table_key(const retort_operation& op) {
  return table_key(to_view(op.schema), to_view(op.table));
}

ColumnModel SqliteDialect::column_model(const retort_column& column) const {
  ColumnModel out;
  out.name = std::string(column_name(column));
  out.autoincrement = (column.flags & RETORT_COLUMN_AUTOINCREMENT) != 0;
  out.type = out.autoincrement ? "INTEGER" : type_name(column);
  out.not_null = (column.flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) != 0;
  if (const std::string clause = default_clause(column); !clause.empty()) {
    out.default_sql = clause.substr(std::string_view("DEFAULT ").size());
  }
  return out;
}

namespace {

ConstraintModel constraint_model(const retort_constraint& c) {
  ConstraintModel out;
  out.kind = c.kind;
  out.name = std::string(to_view(c.name));
  for (size_t i = 0; i < c.column_count; ++i) out.columns.emplace_back(to_view(c.columns[i]));
  out.referred_table = std::string(to_view(c.referred_table));
  for (size_t i = 0; i < c.referred_column_count; ++i) {
    out.referred_columns.emplace_back(to_view(c.referred_columns[i]));
  }
  out.on_delete = c.on_delete;
  out.on_update = c.on_update;
  out.condition = std::string(to_view(c.condition));
  return out;
}

}  // namespace

TableModel SqliteDialect::model_from_create(const retort_operation& op) const {
  TableModel table;
  if (!same_name(to_view(op.schema), "main")) table.schema = std::string(to_view(op.schema));
  table.name = std::string(to_view(op.table));
  ConstraintModel key{RETORT_CONSTRAINT_PRIMARY_KEY};
  std::vector<ConstraintModel> uniques;
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    table.columns.push_back(column_model(column));
    if ((column.flags & RETORT_COLUMN_PRIMARY_KEY) != 0) {
      key.columns.emplace_back(column_name(column));
    }
    if ((column.flags & RETORT_COLUMN_UNIQUE) != 0) {
      uniques.push_back({RETORT_CONSTRAINT_UNIQUE, "", {std::string(column_name(column))}});
    }
  }
  if (!key.columns.empty()) table.constraints.push_back(key);
  for (size_t i = 0; i < op.constraint_count; ++i) {
    table.constraints.push_back(constraint_model(*op.constraints[i]));
  }
  for (ConstraintModel& u : uniques) table.constraints.push_back(std::move(u));
  return table;
}

ConstraintModel SqliteDialect::constraint_from(const retort_constraint& c) {
  return constraint_model(c);
}

std::optional<TableModel> SqliteDialect::known_table(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tables_.find(key);
  if (it == tables_.end()) return std::nullopt;
  return it->second;
}

void SqliteDialect::remember(TableModel table) const {
  for (ColumnModel& c : table.columns) {
    c.source.clear();
    c.cast = false;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string key = table_key(table.schema, table.name);
  tables_[key] = std::move(table);
}

void SqliteDialect::forget(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  tables_.erase(key);
}

std::string SqliteDialect::create_statement(const TableModel& table, std::string_view name) const {
  std::vector<std::string> lines;
  bool inline_key = false;
  for (const ColumnModel& c : table.columns) {
    std::string line = quote_identifier(c.name);
    if (!c.type.empty()) line += " " + c.type;
    if (c.default_sql) line += " DEFAULT " + *c.default_sql;
    if (!c.collation.empty()) {
      line += " COLLATE " + (is_word(c.collation) ? c.collation : quote_identifier(c.collation));
    }
    if (c.not_null || c.autoincrement) line += " NOT NULL";
    if (c.autoincrement) {
      line += " PRIMARY KEY AUTOINCREMENT";
      inline_key = true;
    }
    lines.push_back(std::move(line));
  }
  for (const ConstraintModel& m : table.constraints) {
    if (m.kind == RETORT_CONSTRAINT_PRIMARY_KEY && inline_key) continue;
    std::vector<retort_str> columns, referred;
    for (const std::string& c : m.columns) columns.push_back(retort::to_str(c));
    for (const std::string& c : m.referred_columns) referred.push_back(retort::to_str(c));
    retort_constraint c{};
    c.struct_size = sizeof(retort_constraint);
    c.kind = m.kind;
    c.name = m.name.empty() ? retort_str{nullptr, 0} : retort::to_str(m.name);
    c.columns = columns.data();
    c.column_count = columns.size();
    c.referred_table = retort::to_str(m.referred_table);
    c.referred_columns = referred.data();
    c.referred_column_count = referred.size();
    c.on_delete = m.on_delete;
    c.on_update = m.on_update;
    c.condition = retort::to_str(m.condition);
    lines.push_back(constraint_definition(c));
  }
  const retort_str schema =
      table.schema.empty() ? retort_str{nullptr, 0} : retort::to_str(table.schema);
  return "CREATE TABLE " + qualified_name(schema, name) + " (\n    " +
         retort::detail::join(lines, ",\n    ") + "\n)" +
         (table.options.empty() ? std::string() : " " + table.options);
}

void SqliteDialect::rename_column(TableModel& table, std::string_view from,
                                  std::string_view to) const {
  const std::string quoted = quote_identifier(to);
  auto rename_in = [&](std::vector<std::string>& names) {
    for (std::string& n : names) {
      if (same_name(n, from)) n = std::string(to);
    }
  };
  if (ColumnModel* c = table.column(from)) c->name = std::string(to);
  for (ConstraintModel& c : table.constraints) {
    rename_in(c.columns);
    if (c.kind == RETORT_CONSTRAINT_CHECK) {
      c.condition = rename_identifier(c.condition, from, quoted, Scope::kAll);
    }
    if (c.kind == RETORT_CONSTRAINT_FOREIGN_KEY && same_name(c.referred_table, table.name)) {
      rename_in(c.referred_columns);
    }
  }
  for (IndexModel& index : table.indexes) {
    index.sql = rename_identifier(index.sql, from, quoted, Scope::kAfterParen);
  }
  // SQLite's RENAME COLUMN also rewrites the foreign keys that refer to it.
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, other] : tables_) {
    if (same_name(other.name, table.name) && same_name(other.schema, table.schema)) continue;
    for (ConstraintModel& c : other.constraints) {
      if (c.kind == RETORT_CONSTRAINT_FOREIGN_KEY && same_name(c.referred_table, table.name)) {
        rename_in(c.referred_columns);
      }
    }
  }
}

// ---- Operations that only update the model ---------------------------------------

Statements SqliteDialect::render_drop_table(const retort_operation& op) const {
  Statements out = SqlDialect::render_drop_table(op);
  forget(table_key(op));
  return out;
}

Statements SqliteDialect::render_rename_table(const retort_operation& op) const {
  Statements out = SqlDialect::render_rename_table(op);
  const std::string old_name(to_view(op.table));
  const std::string new_name(to_view(op.name));
  if (std::optional<TableModel> table = known_table(table_key(op))) {
    forget(table_key(op));
    table->name = new_name;
    for (IndexModel& index : table->indexes) {
      index.sql =
          rename_identifier(index.sql, old_name, quote_identifier(new_name), Scope::kBeforeParen);
    }
    remember(std::move(*table));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, other] : tables_) {
    for (ConstraintModel& c : other.constraints) {
      if (c.kind == RETORT_CONSTRAINT_FOREIGN_KEY && same_name(c.referred_table, old_name)) {
        c.referred_table = new_name;
      }
    }
  }
  return out;
}

Statements SqliteDialect::render_drop_column(const retort_operation& op) const {
  Statements out = SqlDialect::render_drop_column(op);
  if (std::optional<TableModel> table = known_table(table_key(op))) {
    const std::string_view column = to_view(op.name);
    auto& columns = table->columns;
    columns.erase(std::remove_if(columns.begin(), columns.end(),
                                 [&](const ColumnModel& c) { return same_name(c.name, column); }),
                  columns.end());
    remember(std::move(*table));
  }
  return out;
}

// SQLite qualifies the index, not the table: CREATE INDEX main.ix ON t (c).
Statements SqliteDialect::render_create_index(const retort_operation& op) const {
  const std::string index = qualified_name(op.schema, required(op.name, "index name"));
  const std::string table = quote_identifier(required(op.table, "table name"));
  const char* create =
      (op.flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  std::string statement = create + index + " ON " + table + " " + index_elements(op);
  if (!is_absent(op.condition)) statement += " WHERE " + std::string(to_view(op.condition));
  if (std::optional<TableModel> model = known_table(table_key(op))) {
    model->indexes.push_back({std::string(to_view(op.name)), statement});
    remember(std::move(*model));
  }
  return {statement};
}

Statements SqliteDialect::render_drop_index(const retort_operation& op) const {
  Statements out = SqlDialect::render_drop_index(op);
  const std::string_view name = to_view(op.name);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, table] : tables_) {
    auto& indexes = table.indexes;
    indexes.erase(std::remove_if(indexes.begin(), indexes.end(),
                                 [&](const IndexModel& i) { return same_name(i.name, name); }),
                  indexes.end());
  }
  return out;
}

}  // namespace retort_sqlite
