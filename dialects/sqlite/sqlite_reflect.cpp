// Reading a table's definition from the database, online, for the batch
// rebuild: sqlite_master (the CREATE TABLE text, the indexes' SQL), PRAGMA
// table_info, index_list, index_info and foreign_key_list. The names of
// constraints and CHECK constraints live only in the CREATE TABLE text, so
// that is parsed too. And the checks around a rebuild: PRAGMA foreign_keys,
// triggers and views, and a rehearsal that runs PRAGMA foreign_key_check.
#include "sqlite_dialect.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace retort_sqlite {

using retort::DialectError;
using retort::in_quotes;
using retort::Rows;
using retort::Statements;

namespace {

bool is_keyword(const Token& t, std::string_view word) {
  return t.kind == Token::kWord && same_name(t.text, word);
}

// The index of the ')' that closes the '(' at `open`.
size_t closing(const std::vector<Token>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].kind != Token::kPunctuation) continue;
    if (tokens[i].text == "(") ++depth;
    if (tokens[i].text == ")" && --depth == 0) return i;
  }
  return tokens.size();
}

// The first name of each comma-separated element in the parentheses at `open`.
std::vector<std::string> name_list(const std::vector<Token>& tokens, size_t open) {
  std::vector<std::string> names;
  const size_t close = closing(tokens, open);
  bool want = true;
  int depth = 0;
  for (size_t i = open + 1; i < close; ++i) {
    const Token& t = tokens[i];
    if (t.text == "(" && t.kind == Token::kPunctuation) ++depth;
    if (t.text == ")" && t.kind == Token::kPunctuation) --depth;
    if (depth == 0 && t.kind == Token::kPunctuation && t.text == ",") {
      want = true;
    } else if (want && (t.kind == Token::kWord || t.kind == Token::kIdentifier)) {
      names.push_back(t.text);
      want = false;
    }
  }
  return names;
}

size_t next_paren(const std::vector<Token>& tokens, size_t from, size_t end) {
  for (size_t i = from; i < end; ++i) {
    if (tokens[i].kind == Token::kPunctuation && tokens[i].text == "(") return i;
  }
  return end;
}

// The text between the parentheses at `open`, as written.
std::string inside(std::string_view sql, const std::vector<Token>& tokens, size_t open) {
  const size_t close = closing(tokens, open);
  if (close >= tokens.size()) return {};
  const size_t begin = tokens[open].end;
  return std::string(sql.substr(begin, tokens[close].begin - begin));
}

// One column definition: its AUTOINCREMENT and its column constraints.
void parse_column(std::string_view sql, const std::vector<Token>& tokens, size_t begin, size_t end,
                  ParsedTable& out, std::vector<ParsedItem>& column_items) {
  const std::string column = tokens[begin].text;
  std::string name;
  for (size_t i = begin + 1; i < end; ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::kPunctuation && t.text == "(") {
      i = closing(tokens, i);
      continue;
    }
    if (is_keyword(t, "AUTOINCREMENT")) out.autoincrement_columns.push_back(column);
    if (is_keyword(t, "COLLATE") && i + 1 < end) {
      out.collations.emplace_back(column, tokens[++i].text);
      continue;
    }
    if (is_keyword(t, "CONSTRAINT") && i + 1 < end) {
      name = tokens[++i].text;
      continue;
    }
    uint32_t kind = 0;
    if (is_keyword(t, "PRIMARY")) kind = RETORT_CONSTRAINT_PRIMARY_KEY;
    if (is_keyword(t, "UNIQUE")) kind = RETORT_CONSTRAINT_UNIQUE;
    if (is_keyword(t, "REFERENCES")) kind = RETORT_CONSTRAINT_FOREIGN_KEY;
    if (is_keyword(t, "CHECK")) {
      const size_t open = next_paren(tokens, i, end);
      column_items.push_back({RETORT_CONSTRAINT_CHECK, name, {}, inside(sql, tokens, open)});
      name.clear();
      i = closing(tokens, open);
      continue;
    }
    if (kind != 0) {
      column_items.push_back({kind, name, {column}, {}});
      name.clear();
    }
  }
}

}  // namespace

ParsedTable parse_create_table(std::string_view sql) {
  ParsedTable out;
  const std::vector<Token> tokens = tokenize(sql);
  const size_t open = next_paren(tokens, 0, tokens.size());
  const size_t close = closing(tokens, open);
  std::vector<ParsedItem> column_items;
  size_t begin = open + 1;
  int depth = 0;
  for (size_t i = open + 1; i <= close && i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::kPunctuation && t.text == "(") ++depth;
    if (t.kind == Token::kPunctuation && t.text == ")" && i != close) --depth;
    const bool item_end =
        i == close || (depth == 0 && t.kind == Token::kPunctuation && t.text == ",");
    if (!item_end) continue;
    size_t k = begin;
    begin = i + 1;
    if (k >= i) continue;
    std::string name;
    if (is_keyword(tokens[k], "CONSTRAINT") && k + 2 < i) {
      name = tokens[k + 1].text;
      k += 2;
    }
    const size_t paren = next_paren(tokens, k, i);
    if (is_keyword(tokens[k], "PRIMARY")) {
      out.items.push_back({RETORT_CONSTRAINT_PRIMARY_KEY, name, name_list(tokens, paren), {}});
    } else if (is_keyword(tokens[k], "UNIQUE")) {
      out.items.push_back({RETORT_CONSTRAINT_UNIQUE, name, name_list(tokens, paren), {}});
    } else if (is_keyword(tokens[k], "FOREIGN")) {
      out.items.push_back({RETORT_CONSTRAINT_FOREIGN_KEY, name, name_list(tokens, paren), {}});
    } else if (is_keyword(tokens[k], "CHECK")) {
      out.items.push_back({RETORT_CONSTRAINT_CHECK, name, {}, inside(sql, tokens, paren)});
    } else {
      parse_column(sql, tokens, k, i, out, column_items);
    }
  }
  for (ParsedItem& item : column_items) out.items.push_back(std::move(item));
  if (close + 1 < tokens.size()) {
    size_t last = tokens.size();
    if (tokens[last - 1].text == ";") --last;
    if (close + 1 < last) {
      const size_t begin = tokens[close + 1].begin;
      out.options = std::string(sql.substr(begin, tokens[last - 1].end - begin));
    }
  }
  return out;
}

namespace {

uint32_t action_code(const std::optional<std::string>& text) {
  const std::string_view a = text ? std::string_view(*text) : std::string_view();
  if (same_name(a, "CASCADE")) return RETORT_REFERENTIAL_CASCADE;
  if (same_name(a, "SET NULL")) return RETORT_REFERENTIAL_SET_NULL;
  if (same_name(a, "SET DEFAULT")) return RETORT_REFERENTIAL_SET_DEFAULT;
  if (same_name(a, "RESTRICT")) return RETORT_REFERENTIAL_RESTRICT;
  // SQLite shows NO ACTION for a foreign key without the clause, too.
  return RETORT_REFERENTIAL_UNSPECIFIED;
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const std::string& x, const std::string& y) { return same_name(x, y); });
}

// The name the CREATE TABLE text gives a constraint of `kind` on `columns`;
// each parsed item names one constraint only.
std::string name_of(std::vector<ParsedItem>& items, uint32_t kind,
                    const std::vector<std::string>& columns) {
  for (ParsedItem& item : items) {
    if (item.kind != kind || !same_names(item.columns, columns)) continue;
    item.kind = 0;
    return item.name;
  }
  return {};
}

std::string text(const std::optional<std::string>& value) { return value ? *value : std::string(); }

}  // namespace

TableModel SqliteDialect::reflect(std::string_view schema, std::string_view table) const {
  const std::string prefix = schema.empty() ? std::string() : quote_identifier(schema) + ".";
  const std::string in_schema = quote_literal(schema.empty() ? "main" : schema);
  const Rows found = query("SELECT name, sql FROM " + prefix +
                           "sqlite_master WHERE type = 'table' AND name = " + quote_literal(table) +
                           " COLLATE NOCASE");
  if (found.empty() || !found[0][0] || !found[0][1]) {
    throw DialectError::invalid("table " + in_quotes(table) + " does not exist");
  }
  TableModel out;
  out.schema = std::string(schema);
  out.name = *found[0][0];
  const std::string name = quote_literal(out.name);
  ParsedTable parsed = parse_create_table(*found[0][1]);
  out.options = parsed.options;
  // PRAGMA table_info leaves generated columns out: a copy would lose them.
  const Rows generated = query("SELECT name FROM pragma_table_xinfo(" + name + ", " + in_schema +
                               ") WHERE hidden <> 0");
  if (!generated.empty()) {
    throw DialectError::unsupported(
        "cannot rebuild table " + in_quotes(out.name) + ": its column " +
        in_quotes(text(generated[0][0])) +
        " is generated (or hidden), and the copy would lose it; make this change with "
        "op.execute instead");
  }

  // Columns and the primary key.
  std::vector<std::pair<int, std::string>> key;
  for (const auto& row : query("SELECT name, type, \"notnull\", dflt_value, pk FROM "
                               "pragma_table_info(" +
                               name + ", " + in_schema + ") ORDER BY cid")) {
    ColumnModel c;
    c.name = text(row[0]);
    c.type = text(row[1]);
    c.not_null = text(row[2]) == "1";
    if (row[3]) c.default_sql = default_expression(*row[3]);
    c.autoincrement =
        std::any_of(parsed.autoincrement_columns.begin(), parsed.autoincrement_columns.end(),
                    [&](const std::string& a) { return same_name(a, c.name); });
    if (const int pk = std::stoi(text(row[4]).empty() ? "0" : text(row[4])); pk > 0) {
      key.emplace_back(pk, c.name);
    }
    for (const auto& [column, collation] : parsed.collations) {
      if (same_name(column, c.name)) c.collation = collation;
    }
    c.source = c.name;
    out.columns.push_back(std::move(c));
  }
  if (!key.empty()) {
    std::sort(key.begin(), key.end());
    ConstraintModel pk{RETORT_CONSTRAINT_PRIMARY_KEY};
    for (auto& [position, column] : key) pk.columns.push_back(column);
    pk.name = name_of(parsed.items, RETORT_CONSTRAINT_PRIMARY_KEY, pk.columns);
    out.constraints.push_back(std::move(pk));
  }

  // Unique constraints are the indexes SQLite made for them (origin 'u').
  for (const auto& row : query("SELECT name FROM pragma_index_list(" + name + ", " + in_schema +
                               ") WHERE origin = 'u' ORDER BY seq DESC")) {
    ConstraintModel u{RETORT_CONSTRAINT_UNIQUE};
    for (const auto& column :
         query("SELECT name FROM pragma_index_info(" + quote_literal(text(row[0])) + ", " +
               in_schema + ") ORDER BY seqno")) {
      u.columns.push_back(text(column[0]));
    }
    u.name = name_of(parsed.items, RETORT_CONSTRAINT_UNIQUE, u.columns);
    out.constraints.push_back(std::move(u));
  }

  // CHECK constraints, from the text only.
  for (const ParsedItem& item : parsed.items) {
    if (item.kind != RETORT_CONSTRAINT_CHECK) continue;
    ConstraintModel check{RETORT_CONSTRAINT_CHECK, item.name};
    check.condition = item.condition;
    out.constraints.push_back(std::move(check));
  }

  // Foreign keys: one id per constraint, id 0 the last declared.
  const Rows keys = query(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
      "pragma_foreign_key_list(" +
      name + ", " + in_schema + ") ORDER BY id DESC, seq");
  for (size_t i = 0; i < keys.size();) {
    ConstraintModel fk{RETORT_CONSTRAINT_FOREIGN_KEY};
    fk.referred_table = text(keys[i][1]);
    fk.on_update = action_code(keys[i][4]);
    fk.on_delete = action_code(keys[i][5]);
    bool implicit = false;
    const std::string id = text(keys[i][0]);
    for (; i < keys.size() && text(keys[i][0]) == id; ++i) {
      fk.columns.push_back(text(keys[i][2]));
      if (!keys[i][3]) implicit = true;
      fk.referred_columns.push_back(text(keys[i][3]));
    }
    if (implicit) {  // REFERENCES parent, without columns: its primary key
      fk.referred_columns.clear();
      for (const auto& row :
           query("SELECT name FROM pragma_table_info(" + quote_literal(fk.referred_table) + ", " +
                 in_schema + ") WHERE pk > 0 ORDER BY pk")) {
        fk.referred_columns.push_back(text(row[0]));
      }
    }
    fk.name = name_of(parsed.items, RETORT_CONSTRAINT_FOREIGN_KEY, fk.columns);
    out.constraints.push_back(std::move(fk));
  }

  // Indexes made by CREATE INDEX (those SQLite made have no SQL).
  for (const auto& row : query("SELECT name, sql FROM " + prefix +
                               "sqlite_master WHERE type = 'index' AND tbl_name = " + name +
                               " COLLATE NOCASE AND sql IS NOT NULL ORDER BY rowid")) {
    out.indexes.push_back({text(row[0]), text(row[1])});
  }
  return out;
}

void SqliteDialect::check_rebuild_allowed(const TableModel& table) const {
  const std::string what = "table " + in_quotes(table.name);
  const Rows enforced = query("PRAGMA foreign_keys");
  if (!enforced.empty() && !enforced[0].empty() && text(enforced[0][0]) == "1") {
    throw DialectError::unsupported(
        "cannot rebuild " + what +
        " while PRAGMA foreign_keys is on: dropping the old table would delete or refuse the "
        "rows that refer to it, and the pragma cannot change inside the migration's "
        "transaction; connect without FKSupport=1 and do not turn foreign_keys on before "
        "migrating");
  }
  const std::string prefix =
      table.schema.empty() ? std::string() : quote_identifier(table.schema) + ".";
  const Rows triggers =
      query("SELECT name FROM " + prefix + "sqlite_master WHERE type = 'trigger' AND tbl_name = " +
            quote_literal(table.name) + " COLLATE NOCASE");
  if (!triggers.empty()) {
    throw DialectError::unsupported(
        "cannot rebuild " + what + ": its trigger " + in_quotes(text(triggers[0][0])) +
        " would be dropped with the old table; drop the trigger before this operation and "
        "create it again after");
  }
}

// SQLite's ALTER TABLE RENAME refuses to finish while a view refers to a
// table that does not exist, which the old table no longer does by then.
bool SqliteDialect::views_refer_to(const TableModel& table) const {
  const std::string prefix =
      table.schema.empty() ? std::string() : quote_identifier(table.schema) + ".";
  for (const auto& row : query("SELECT name, sql FROM " + prefix +
                               "sqlite_master WHERE type = 'view' AND sql IS NOT NULL")) {
    for (const Token& t : tokenize(text(row[1]))) {
      if ((t.kind == Token::kWord || t.kind == Token::kIdentifier) &&
          same_name(t.text, table.name)) {
        log(RETORT_LOG_WARNING, "view " + in_quotes(text(row[0])) + " refers to table " +
                                    in_quotes(table.name) +
                                    ", which is rebuilt: the rename runs with "
                                    "PRAGMA legacy_alter_table on so that the view is kept");
        return true;
      }
    }
  }
  return false;
}

void SqliteDialect::rehearse(const TableModel& table, const Statements& statements,
                             std::optional<size_t> copy) const {
  // The host's query() takes SQL_NO_DATA (an INSERT ... SELECT that copies
  // no row) for a failure, so an empty table's copy is left out here.
  const std::string prefix =
      table.schema.empty() ? std::string() : quote_identifier(table.schema) + ".";
  const Rows rows =
      query("SELECT EXISTS (SELECT 1 FROM " + prefix + quote_identifier(table.name) + ")");
  const bool empty = !rows.empty() && !rows[0].empty() && text(rows[0][0]) == "0";
  query("SAVEPOINT retort_batch");
  for (size_t i = 0; i < statements.size(); ++i) {
    if (!(empty && copy && i == *copy)) query(statements[i]);
  }
  const std::string in_schema = quote_literal(table.schema.empty() ? "main" : table.schema);
  const Rows broken = query("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check(" +
                            quote_literal(table.name) + ", " + in_schema + ")");
  query("ROLLBACK TO retort_batch");
  query("RELEASE retort_batch");
  if (broken.empty()) return;
  throw DialectError::invalid(
      "rebuilding table " + in_quotes(table.name) + " breaks " + std::to_string(broken.size()) +
      " foreign key reference" + (broken.size() == 1 ? "" : "s") + ", the first in row " +
      text(broken[0][1]) + " of " + in_quotes(text(broken[0][0])) + ", which has no row in " +
      in_quotes(text(broken[0][2])) + "; fix or delete those rows before this operation");
}

}  // namespace retort_sqlite
