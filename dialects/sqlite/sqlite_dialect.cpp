// The SQLite dialect. It differs from generic SQL in its URLs (a file path,
// no server), its type names, AUTOINCREMENT (inline, on the one INTEGER
// primary key), what ALTER TABLE ADD COLUMN accepts, where an index's schema
// goes, and which DEFAULT expressions need parentheses.
#include <retort/dialect.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::Statements;
using retort::to_view;

// SQLite's keywords (sqlite.org/lang_keywords.html), sorted. Some may stand
// bare in some places, but quoting them is always safe.
// clang-format off
constexpr std::string_view kSqliteKeywords[] = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc",
    "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast",
    "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross",
    "current", "current_date", "current_time", "current_timestamp", "database", "default",
    "deferrable", "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each",
    "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain", "fail",
    "filter", "first", "following", "for", "foreign", "from", "full", "generated", "glob",
    "group", "groups", "having", "if", "ignore", "immediate", "in", "index", "indexed",
    "initially", "inner", "insert", "instead", "intersect", "into", "is", "isnull", "join", "key",
    "last", "left", "like", "limit", "match", "materialized", "natural", "no", "not", "nothing",
    "notnull", "null", "nulls", "of", "offset", "on", "or", "order", "others", "outer", "over",
    "partition", "plan", "pragma", "preceding", "primary", "query", "raise", "range",
    "recursive", "references", "regexp", "reindex", "release", "rename", "replace", "restrict",
    "returning", "right", "rollback", "row", "rows", "savepoint", "select", "set", "table",
    "temp", "temporary", "then", "ties", "to", "transaction", "trigger", "unbounded", "union",
    "unique", "update", "using", "vacuum", "values", "view", "virtual", "when", "where",
    "window", "with", "without"};
// clang-format on
static_assert(std::is_sorted(std::begin(kSqliteKeywords), std::end(kSqliteKeywords)));

bool is_word(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// [+-]digits[.digits][e[+-]digits]: SQLite's signed-number.
bool is_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// One complete 'string literal', its inner quotes doubled.
bool is_string_literal(std::string_view text) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] != '\'') continue;
    if (i + 1 >= inner.size() || inner[i + 1] != '\'') return false;
    ++i;
  }
  return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return retort::detail::lower_ascii(x) == retort::detail::lower_ascii(y);
  });
}

class SqliteDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"sqlite", nullptr};
  // SQLite rolls CREATE, ALTER and DROP back with the transaction around
  // them (verified through the SQLite3 ODBC driver). Alembic turns this off
  // only because Python's sqlite3 module commits before DDL.
  static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL;
  static constexpr const char* kStatementTerminator = ";";
  // The sqlite3 shell runs a script statement by statement: no batches.
  static constexpr const char* kBatchSeparator = nullptr;
  static constexpr const char* kBeginTransaction = "BEGIN";
  static constexpr const char* kCommitTransaction = "COMMIT";

  // ---- Connections.
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names and types.
  bool is_reserved_word(std::string_view word) const override {
    return SqlDialect::is_reserved_word(word) || retort::detail::contains(kSqliteKeywords, word);
  }
  std::string type_name(const retort_column& column) const override;

  // ---- Columns.
  std::string column_definition(const retort_column& column) const override;
  std::string default_expression(std::string_view expression) const override;
  // The key goes inline, after NOT NULL (see column_definition).
  std::string autoincrement_clause(const retort_column& /*column*/) const override { return {}; }
  std::vector<std::string> table_constraints(const retort_operation& op) const override;

  // ---- Comments: SQLite has none, so they are left out, as Alembic does.
  Statements after_create_table(const retort_operation& /*op*/) const override { return {}; }
  Statements render_create_table_comment(const retort_operation& /*op*/) const override { return {}; }
  Statements render_drop_table_comment(const retort_operation& /*op*/) const override { return {}; }

  // ---- Literals: SQLite stores dates and times as text, and has no
  // DATE '...' syntax; booleans are 1 and 0.
  std::string boolean_literal(bool value) const override { return value ? "1" : "0"; }
  std::string text_literal(std::string_view text, const retort_column& column) const override;

  // ---- Operations.
  Statements render_create_table(const retort_operation& op) const override;
  Statements render_add_column(const retort_operation& op) const override;
  Statements render_create_index(const retort_operation& op) const override;
  // ALTER TABLE renames a column; every other change needs the table rebuilt.
  Statements render_alter_column(const retort_operation& op) const override;
  Statements render_create_constraint(const retort_operation& op) const override;
  Statements render_drop_constraint(const retort_operation& op) const override;
};

// SQLite's ALTER TABLE cannot change what `what` needs changed.
[[noreturn]] void needs_rebuild(const retort_operation& op, const std::string& what) {
  throw DialectError::unsupported(
      "sqlite cannot " + what + " on table " + in_quotes(to_view(op.table)) +
      " with ALTER TABLE; the table must be rebuilt (create the new table, copy the rows, drop "
      "the old one, rename), which this dialect does not do yet");
}

// ---- Connections -------------------------------------------------------------

// sqlite:///relative/path.db (from the current directory), sqlite:////abs.db,
// sqlite:// and sqlite:///:memory: (a new in-memory database per connection).
// Query parameters pass through as options of the SQLite3 ODBC driver, e.g.
// ?Timeout=5000 or ?FKSupport=1.
std::string SqliteDialect::connection_string(const retort::Url& url) const {
  if (url.scheme != "sqlite") {
    throw DialectError::invalid("URL scheme " + in_quotes(url.scheme) + " is not sqlite");
  }
  if (!url.host.empty() || url.port || url.username || url.password) {
    throw DialectError::invalid(
        "a sqlite URL names a file, not a server: write sqlite:///relative/path.db or "
        "sqlite:////absolute/path.db");
  }
  std::string path = url.database;
  if (path.empty() || path == ":memory:") {
    path = ":memory:";
  } else if (path.front() != '/') {
    path = (std::filesystem::current_path() / path).string();
  }
  // The SQLite3 ODBC driver reads a value up to the next ';' and knows no
  // {braces}: `Database={/x.db}` fails, while `Database=/a{b}/x.db ` opens
  // that very path, trailing space included (libsqlite3odbc 0.9998). So a
  // path is written as it is, and one holding ';' cannot be opened at all.
  if (path.find_first_of(std::string_view(";\0", 2)) != std::string::npos) {
    throw DialectError::invalid("the SQLite ODBC driver cannot open " + in_quotes(url.database) +
                                ": the path holds ';' or a NUL character");
  }
  std::string out = "Driver=SQLite3;Database=" + path;
  for (const auto& [key, value] : url.query) {
    if (!is_word(key) || equals_ignoring_case(key, "driver") ||
        equals_ignoring_case(key, "database") || equals_ignoring_case(key, "dsn")) {
      throw DialectError::invalid("sqlite URL option " + in_quotes(key) +
                                  " is not a driver option");
    }
    if (value.find_first_of(std::string_view(";\0", 2)) != std::string::npos) {
      throw DialectError::invalid("the value of sqlite URL option " + in_quotes(key) +
                                  " holds ';' or a NUL character");
    }
    out += ";" + key + "=" + value;
  }
  return out;
}

// ---- Types and columns -------------------------------------------------------

std::string SqliteDialect::type_name(const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_DATETIME:
      return "DATETIME";
    // No interval type: like SQLAlchemy, store the DATETIME epoch + interval.
    case RETORT_TYPE_INTERVAL:
      return "DATETIME";
    // SQLite ignores a blob's length.
    case RETORT_TYPE_BINARY:
      if (column.length < 0) {
        throw DialectError::invalid("column " + in_quotes(column_name(column)) +
                                    " has a negative length");
      }
      return "BLOB";
  }
  return SqlDialect::type_name(column);
}

// An AUTOINCREMENT column is `INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`:
// SQLite accepts the keyword only there, inline, on exactly "INTEGER" (its
// integers are all 64-bit, so SMALLINT and BIGINT lose nothing).
std::string SqliteDialect::column_definition(const retort_column& column) const {
  if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) == 0) {
    return SqlDialect::column_definition(column);
  }
  retort_column integer = column;
  integer.type = RETORT_TYPE_INTEGER;
  return SqlDialect::column_definition(integer) + " PRIMARY KEY AUTOINCREMENT";
}

// After DEFAULT, SQLite takes a literal, a signed number or a keyword such as
// CURRENT_TIMESTAMP bare; any other expression must be parenthesised.
std::string SqliteDialect::default_expression(std::string_view expression) const {
  if (is_word(expression) || is_number(expression) || is_string_literal(expression)) {
    return std::string(expression);
  }
  return "(" + std::string(expression) + ")";
}

// The key of an AUTOINCREMENT column is inline (column_definition), so the
// table's PRIMARY KEY line is left out; its other constraints stay.
std::vector<std::string> SqliteDialect::table_constraints(const retort_operation& op) const {
  bool inline_key = false;
  for (size_t i = 0; i < op.column_count; ++i) {
    if ((op.columns[i]->flags & RETORT_COLUMN_AUTOINCREMENT) != 0) inline_key = true;
  }
  std::vector<std::string> lines = SqlDialect::table_constraints(op);
  if (inline_key && !lines.empty() && lines.front().rfind("PRIMARY KEY (", 0) == 0) {
    lines.erase(lines.begin());
  }
  return lines;
}

std::string SqliteDialect::text_literal(std::string_view text, const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_DATE:
    case RETORT_TYPE_TIME:
    case RETORT_TYPE_DATETIME:
      return quote_literal(text);
  }
  return SqlDialect::text_literal(text, column);
}

// ---- Tables and columns ------------------------------------------------------

Statements SqliteDialect::render_create_table(const retort_operation& op) const {
  const retort_column* autoincrement = nullptr;
  size_t keys = 0;
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    if ((column.flags & RETORT_COLUMN_PRIMARY_KEY) != 0) ++keys;
    if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) == 0) continue;
    if (autoincrement != nullptr) {
      throw DialectError::unsupported("table " + in_quotes(to_view(op.table)) +
                                      " has more than one autoincrement column");
    }
    autoincrement = &column;
  }
  if (autoincrement != nullptr) {
    const bool ok = (autoincrement->flags & RETORT_COLUMN_PRIMARY_KEY) != 0 && keys == 1 &&
                    is_integer_type(autoincrement->type);
    if (!ok) {
      throw DialectError::unsupported(
          "column " + in_quotes(column_name(*autoincrement)) + " of table " +
          in_quotes(to_view(op.table)) +
          " cannot autoincrement: only a table's one integer primary key column can");
    }
  }
  return SqlDialect::render_create_table(op);
}

// SQLite's ALTER TABLE ADD COLUMN refuses PRIMARY KEY and UNIQUE outright.
// (NOT NULL without a default and non-constant defaults fail only when the
// table has rows, so they are left to the database.)
Statements SqliteDialect::render_add_column(const retort_operation& op) const {
  if (op.column_count == 1) {
    const retort_column& column = *op.columns[0];
    const std::string what =
        "column " + in_quotes(column_name(column)) + " to table " + in_quotes(to_view(op.table));
    if ((column.flags & (RETORT_COLUMN_PRIMARY_KEY | RETORT_COLUMN_AUTOINCREMENT)) != 0) {
      throw DialectError::unsupported("cannot add primary key " + what +
                                      "; recreate the table with the new column");
    }
    if ((column.flags & RETORT_COLUMN_UNIQUE) != 0) {
      throw DialectError::unsupported("cannot add unique " + what +
                                      "; add it without unique, then create a unique index on it");
    }
  }
  if (op.column_count == 1 && !retort::is_absent(op.columns[0]->comment)) {
    retort_column column = *op.columns[0];
    column.comment = retort_str{nullptr, 0};
    const retort_column* columns[] = {&column};
    retort_operation without_comment = op;
    without_comment.columns = columns;
    return SqlDialect::render_add_column(without_comment);
  }
  return SqlDialect::render_add_column(op);
}

Statements SqliteDialect::render_alter_column(const retort_operation& op) const {
  const uint32_t other_changes = op.alter & ~(RETORT_ALTER_NAME | RETORT_ALTER_COMMENT);
  if (other_changes != 0) needs_rebuild(op, "alter column " + in_quotes(to_view(op.name)));
  if ((op.alter & RETORT_ALTER_NAME) == 0) return {};  // a comment alone: SQLite keeps none
  retort_operation rename = op;
  rename.alter = RETORT_ALTER_NAME;
  return SqlDialect::render_alter_column(rename);
}

Statements SqliteDialect::render_create_constraint(const retort_operation& op) const {
  needs_rebuild(op, "add a constraint");
}

Statements SqliteDialect::render_drop_constraint(const retort_operation& op) const {
  needs_rebuild(op, "drop a constraint");
}

// ---- Indexes -----------------------------------------------------------------

// SQLite qualifies the index, not the table: CREATE INDEX main.ix ON t (c).
Statements SqliteDialect::render_create_index(const retort_operation& op) const {
  const std::string index = qualified_name(op.schema, required(op.name, "index name"));
  const std::string table = quote_identifier(required(op.table, "table name"));
  const char* create =
      (op.flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  std::string statement = create + index + " ON " + table + " " + index_elements(op);
  if (!retort::is_absent(op.condition)) statement += " WHERE " + std::string(to_view(op.condition));
  return {statement};
}

}  // namespace

RETORT_DIALECT(SqliteDialect, "sqlite", "1.0.0")
