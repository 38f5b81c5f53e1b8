// The SQLite dialect. It differs from generic SQL in its URLs (a file path,
// no server), its type names, AUTOINCREMENT (inline, on the one INTEGER
// primary key), what ALTER TABLE ADD COLUMN accepts, where an index's schema
// goes, and which DEFAULT expressions need parentheses. What its ALTER TABLE
// cannot do, the batch rebuild does (sqlite_batch.cpp).
#include "sqlite_dialect.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace retort_sqlite {

using retort::DialectError;
using retort::in_quotes;
using retort::in_quotes_redacted;
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

// ---- Connections -------------------------------------------------------------

// sqlite:///relative/path.db (from the current directory), sqlite:////abs.db,
// sqlite:// and sqlite:///:memory: (a new in-memory database per connection).
// Query parameters pass through as options of the SQLite3 ODBC driver, e.g.
// ?Timeout=5000 or ?FKSupport=1.
//
// Timeout=1000 is added unless the URL gives a Timeout (in any case): the
// host polls the migration lock (BEGIN IMMEDIATE) and says whom it waits
// for, so each attempt should be short, and the driver's default waits 200 s.
// Measured with libsqlite3odbc 0.9998: BEGIN IMMEDIATE against a held lock
// fails after about twice the Timeout (default 100000: 200 s; 1000: 2 s; 500:
// 1 s) with SQLSTATE HY000, native error 5, "[SQLite]database is locked (5)";
// Timeout=0 means the default.
constexpr std::string_view kLockAttemptTimeout = "1000";

// Connection-string keys the URL itself sets; a query option may not.
constexpr std::string_view kUrlKeys[] = {"database", "driver", "dsn"};

std::string SqliteDialect::connection_string(const retort::Url& url) const {
  retort::require_scheme(url, kUrlSchemes);
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
    throw DialectError::invalid("the SQLite ODBC driver cannot open " +
                                in_quotes_redacted(url.database) +
                                ": the path holds ';' or a NUL character");
  }
  retort::ConnectionString out("SQLite3");
  out.append("Database", path);
  // The driver reads no braces in an option's value either.
  out.add_options(url, {.dialect = "sqlite",
                        .url_keys = kUrlKeys,
                        .refusal = "is not a driver option",
                        .values = retort::Braces::kKept});
  if (!retort::ConnectionString::has_option(url, "Timeout")) {
    out.append("Timeout", kLockAttemptTimeout);
  }
  return out.str();
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
      retort::checked_length(column);
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
  Statements out = SqlDialect::render_create_table(op);
  remember(model_from_create(op));
  return out;
}

bool SqliteDialect::is_reserved_word(std::string_view word) const {
  return SqlDialect::is_reserved_word(word) || retort::detail::contains(kSqliteKeywords, word);
}

}  // namespace retort_sqlite

using retort_sqlite::SqliteDialect;
RETORT_DIALECT(SqliteDialect, "sqlite", "1.0.0")
