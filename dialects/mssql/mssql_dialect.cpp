// The SQL Server dialect: traits, FreeTDS connections, [bracket] quoting,
// T-SQL types (IDENTITY, BIT, DATETIME2, VARCHAR(max)...), literals (1/0,
// 0x.., N'...') and indexes. Columns, renames and comments are in
// mssql_alter.cpp.
#include "mssql_dialect.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace retort_mssql {
namespace {

using retort::ConnectionString;
using retort::DialectError;
using retort::in_quotes;
using retort::lower_ascii;
using retort::to_view;

// T-SQL's reserved keywords (learn.microsoft.com, "Reserved keywords"),
// sorted; the generic SQL list is consulted too.
// clang-format off
constexpr std::string_view kTsqlReservedWords[] = {
    "add", "all", "alter", "and", "any", "as", "asc", "authorization", "backup", "begin",
    "between", "break", "browse", "bulk", "by", "cascade", "case", "check", "checkpoint", "close",
    "clustered", "coalesce", "collate", "column", "commit", "compute", "constraint", "contains",
    "containstable", "continue", "convert", "create", "cross", "current", "current_date",
    "current_time", "current_timestamp", "current_user", "cursor", "database", "dbcc",
    "deallocate", "declare", "default", "delete", "deny", "desc", "disk", "distinct",
    "distributed", "double", "drop", "dump", "else", "end", "errlvl", "escape", "except", "exec",
    "execute", "exists", "exit", "external", "fetch", "file", "fillfactor", "for", "foreign",
    "freetext", "freetexttable", "from", "full", "function", "goto", "grant", "group", "having",
    "holdlock", "identity", "identity_insert", "identitycol", "if", "in", "index", "inner",
    "insert", "intersect", "into", "is", "join", "key", "kill", "left", "like", "lineno", "load",
    "merge", "national", "nocheck", "nonclustered", "not", "null", "nullif", "of", "off",
    "offsets", "on", "open", "opendatasource", "openquery", "openrowset", "openxml", "option",
    "or", "order", "outer", "over", "percent", "pivot", "plan", "precision", "primary", "print",
    "proc", "procedure", "public", "raiserror", "read", "readtext", "reconfigure", "references",
    "replication", "restore", "restrict", "return", "revert", "revoke", "right", "rollback",
    "rowcount", "rowguidcol", "rule", "save", "schema", "securityaudit", "select",
    "semantickeyphrasetable", "semanticsimilaritydetailstable", "semanticsimilaritytable",
    "session_user", "set", "setuser", "shutdown", "some", "statistics", "system_user", "table",
    "tablesample", "textsize", "then", "to", "top", "tran", "transaction", "trigger", "truncate",
    "try_convert", "tsequal", "union", "unique", "unpivot", "update", "updatetext", "use", "user",
    "values", "varying", "view", "waitfor", "when", "where", "while", "with", "writetext"};
// clang-format on
static_assert(std::is_sorted(std::begin(kTsqlReservedWords), std::end(kTsqlReservedWords)));

// Connection-string keys the URL itself sets; a query option may not.
constexpr std::string_view kUrlKeys[] = {"database", "driver", "dsn", "port",
                                         "pwd",      "server", "uid"};

// SQL Server's default port.
constexpr uint16_t kDefaultPort = 1433;

// What sqlcmd would read in a literal: a line break (the next line could be
// GO), and the '$' of "$(", which starts a scripting variable.
bool is_misread_by_sqlcmd(std::string_view text, size_t i) {
  return text[i] == '\n' || text[i] == '\r' ||
         (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '(');
}

// A literal can spell what sqlcmd misreads with CHAR(); a name, and the
// plain literals EXEC takes, cannot, and a script must read the same in
// sqlcmd as online.
void check_not_misread(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (!is_misread_by_sqlcmd(name, i)) continue;
    throw DialectError::invalid("name " + in_quotes(name) +
                                " holds a line break or '$(', which sqlcmd misreads in a "
                                "script; choose another name");
  }
}

// Past this many bytes a split value's concatenation could exceed 8000 bytes
// of VARCHAR (4000 characters of NVARCHAR), where SQL Server cuts it off
// without a word unless one operand is a (max) type.
constexpr size_t kMaxShortConcatenation = 4000;

// CONCAT(a, b, ...), nested where there are more arguments than the 254 it
// takes. CONCAT rather than a + b: a DEFAULT takes a function call, where
// the T-SQL grammar has no room for an operator.
std::string concat(std::vector<std::string> arguments) {
  constexpr size_t kMaxArguments = 254;
  while (arguments.size() > kMaxArguments) {
    std::vector<std::string> nested;
    for (size_t i = 0; i < arguments.size(); i += kMaxArguments) {
      const size_t end = std::min(arguments.size(), i + kMaxArguments);
      if (end - i == 1) {
        nested.push_back(std::move(arguments[i]));
        continue;
      }
      const std::vector<std::string> group(arguments.begin() + i, arguments.begin() + end);
      nested.push_back("CONCAT(" + retort::detail::join(group, ", ") + ")");
    }
    arguments = std::move(nested);
  }
  return "CONCAT(" + retort::detail::join(arguments, ", ") + ")";
}

// VARCHAR(n) up to `limit`, VARCHAR(max) without a length: a bare VARCHAR
// in T-SQL DDL means VARCHAR(1).
std::string sized_or_max(std::string_view base, const retort_column& column, int64_t limit) {
  const std::string name = in_quotes(to_view(column.name));
  if (retort::checked_length(column) == 0) return std::string(base) + "(max)";
  if (column.length > limit) {
    throw DialectError::unsupported("column " + name + " is " + std::string(base) + "(" +
                                    std::to_string(column.length) + "), longer than SQL Server's " +
                                    std::to_string(limit) + "; give no length for " +
                                    std::string(base) + "(max)");
  }
  return std::string(base) + "(" + std::to_string(column.length) + ")";
}

}  // namespace

// ---- Connections -------------------------------------------------------------

// mssql://user:pass@host[:port]/database[?Option=value...] through FreeTDS.
// Query options pass through as driver options; TDS_Version=7.4 unless given.
// FreeTDS 1.3 reads braces but not "}}", so a user name or password holding
// '}' logs in only with FreeTDS 1.4 or later (connection_string.hpp).
std::string MssqlDialect::connection_string(const retort::Url& url) const {
  retort::require_scheme(url, kUrlSchemes);
  if (url.host.empty()) {
    throw DialectError::invalid(
        "an mssql URL needs a server: write mssql://user:pass@host:1433/db");
  }
  retort::ConnectionString out("FreeTDS");
  out.add("Server", url.host);
  out.append("Port", std::to_string(url.port.value_or(kDefaultPort)));
  if (!url.database.empty()) out.add("Database", url.database);
  out.add_credentials(url);
  out.add_options(url, {.dialect = "mssql", .url_keys = kUrlKeys});
  if (!ConnectionString::has_option(url, "TDS_Version")) out.append("TDS_Version", "7.4");
  return out.str();
}

// ---- Names -------------------------------------------------------------------

// A name sqlcmd would misread is refused (check_not_misread).
void MssqlDialect::check_identifier_characters(std::string_view name) const {
  check_not_misread(name);
}

bool MssqlDialect::is_reserved_word(std::string_view word) const {
  return SqlDialect::is_reserved_word(word) || retort::detail::contains(kTsqlReservedWords, word);
}

// ---- Types and columns -------------------------------------------------------

std::string MssqlDialect::type_name(const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_BOOLEAN:
      return "BIT";
    // DATETIME2 has DATETIME's range and a 100 ns precision; DATETIME rounds.
    case RETORT_TYPE_DATETIME:
      return "DATETIME2";
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_ENUM:  // no enum type: the revision may give the longest value's length
      return sized_or_max("VARCHAR", column, 8000);
    case RETORT_TYPE_TEXT:  // TEXT is deprecated
      return "VARCHAR(max)";
    case RETORT_TYPE_UNICODE:
      return sized_or_max("NVARCHAR", column, 4000);
    case RETORT_TYPE_BINARY:
      return sized_or_max("VARBINARY", column, 8000);
    // No JSON type before SQL Server 2025: JSON functions read NVARCHAR.
    case RETORT_TYPE_JSON:
      return "NVARCHAR(max)";
    case RETORT_TYPE_UUID:
      return "UNIQUEIDENTIFIER";
    case RETORT_TYPE_INTERVAL:
      throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                      " is an interval, which SQL Server has no type for; store "
                                      "a number of seconds (BIGINT) instead");
  }
  return SqlDialect::type_name(column);
}

// "name TYPE [DEFAULT d] [IDENTITY(1,1)] NULL|NOT NULL [UNIQUE]": NULL is
// explicit, since ANSI_NULL_DFLT_OFF would otherwise make a column NOT NULL.
std::string MssqlDialect::column_definition(const retort_column& column) const {
  std::string out = SqlDialect::column_definition(column);
  if ((column.flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) != 0) return out;
  const bool unique = (column.flags & RETORT_COLUMN_UNIQUE) != 0;
  if (unique) out.resize(out.size() - std::string_view(" UNIQUE").size());
  out += " NULL";
  if (unique) out += " UNIQUE";
  return out;
}

// A text default of an NVARCHAR column is N'...', like its values.
std::string MssqlDialect::default_clause(const retort_column& column) const {
  const bool unicode = column.type == RETORT_TYPE_UNICODE || column.type == RETORT_TYPE_JSON;
  if (!unicode || retort::is_absent(column.server_default) ||
      (column.flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) != 0) {
    return SqlDialect::default_clause(column);
  }
  return "DEFAULT " + unicode_literal(to_view(column.server_default));
}

std::string MssqlDialect::autoincrement_clause(const retort_column& column) const {
  if (!is_integer_type(column.type) && !(column.type == RETORT_TYPE_NUMERIC && column.scale == 0)) {
    throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                    " cannot autoincrement: SQL Server's IDENTITY needs an "
                                    "integer type");
  }
  return "IDENTITY(1,1)";
}

// SQL Server has no RESTRICT; its NO ACTION is checked at once (there are no
// deferred constraints), which is what RESTRICT means.
std::string MssqlDialect::referential_action(uint32_t action) const {
  if (action == RETORT_REFERENTIAL_RESTRICT) return "NO ACTION";
  return SqlDialect::referential_action(action);
}

// ---- Literals ----------------------------------------------------------------

std::string MssqlDialect::plain_unicode_literal(std::string_view text) const {
  check_not_misread(text);
  return "N" + SqlDialect::quote_literal(text);
}

std::string MssqlDialect::spelled_literal(std::string_view text, std::string_view prefix,
                                          std::string_view spell, std::string_view max_type) const {
  std::vector<std::string> pieces = retort::detail::spelled_pieces(
      text, is_misread_by_sqlcmd,
      [&](std::string_view piece) {
        return std::string(prefix) + SqlDialect::quote_literal(piece);
      },
      [&](char c) {
        return std::string(spell) + "(" + std::to_string(static_cast<unsigned char>(c)) + ")";
      });
  if (pieces.size() == 1) return pieces[0];
  if (text.size() > kMaxShortConcatenation) {
    pieces[0] = "CAST(" + pieces[0] + " AS " + std::string(max_type) + ")";
  }
  return concat(std::move(pieces));
}

std::string MssqlDialect::quote_literal(std::string_view text) const {
  return spelled_literal(text, "", "CHAR", "VARCHAR(max)");
}

std::string MssqlDialect::unicode_literal(std::string_view text) const {
  return spelled_literal(text, "N", "NCHAR", "NVARCHAR(max)");
}

std::string MssqlDialect::binary_literal(std::string_view bytes) const {
  return "0x" + retort::detail::hex(bytes);
}

// Dates and times are plain strings, which SQL Server converts; text for
// NVARCHAR columns is N'...', so characters outside the code page survive.
std::string MssqlDialect::text_literal(std::string_view text, const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_DATE:
    case RETORT_TYPE_TIME:
    case RETORT_TYPE_DATETIME:
    case RETORT_TYPE_UUID:
      return quote_literal(text);
    case RETORT_TYPE_UNICODE:
    case RETORT_TYPE_JSON:
      return unicode_literal(text);
  }
  return SqlDialect::text_literal(text, column);
}

// ---- Data --------------------------------------------------------------------

void MssqlDialect::check_no_identity(const retort_operation& op) const {
  const retort::Rows rows =
      query("SELECT name FROM sys.identity_columns WHERE object_id = OBJECT_ID(" +
            unicode_literal(table_name(op)) + ")");
  for (const auto& row : rows) {
    if (row.empty() || !row[0]) continue;
    for (size_t i = 0; i < op.column_count; ++i) {
      const std::string_view column = column_name(*op.columns[i]);
      if (lower_ascii(column) != lower_ascii(*row[0])) continue;
      const std::string what = "bulk_insert into " + in_quotes(to_view(op.table));
      throw DialectError::invalid(what + " gives values for its identity column " +
                                  in_quotes(column) +
                                  ", which SQL Server takes only with IDENTITY_INSERT on; mark "
                                  "the column in bulk_insert's columns: Column(\"" +
                                  std::string(column) + "\", ...).autoincrement()");
    }
  }
}

// ---- Indexes -----------------------------------------------------------------

// Filtered indexes (CREATE INDEX ... WHERE) exist; expression indexes do not.
std::string MssqlDialect::index_element(retort_str element, uint32_t flags) const {
  if ((flags & RETORT_ELEMENT_EXPRESSION) != 0) {
    throw DialectError::unsupported("index expression " + in_quotes(to_view(element)) +
                                    " cannot be indexed on SQL Server; index a computed column "
                                    "holding it instead");
  }
  return SqlDialect::index_element(element, flags);
}

// An index name is unique only within its table: DROP INDEX ix ON t.
Statements MssqlDialect::render_drop_index(const retort_operation& op) const {
  const std::string index = quote_identifier(required(op.name, "index name"));
  if (to_view(op.table).empty()) {
    throw DialectError::invalid("index " + in_quotes(to_view(op.name)) +
                                " has no table, which SQL Server needs to drop it; pass the "
                                "table name");
  }
  return {"DROP INDEX " + index + " ON " + table_name(op)};
}

// SQL Server takes a value for an IDENTITY column only while IDENTITY_INSERT
// is on, which is set around the INSERTs when one of bulk_insert's columns is
// marked autoincrement. An unmarked one is refused by the server; online the
// catalog says which column is the identity, so the refusal can say what to do.
Statements MssqlDialect::render_bulk_insert(const retort_operation& op) const {
  Statements inserts = SqlDialect::render_bulk_insert(op);
  bool identity = false;
  for (size_t i = 0; i < op.column_count; ++i) {
    if ((op.columns[i]->flags & RETORT_COLUMN_AUTOINCREMENT) != 0) identity = true;
  }
  if (!identity && !inserts.empty() && can_query()) check_no_identity(op);
  if (!identity || inserts.empty()) return inserts;
  Statements out;
  out.push_back("SET IDENTITY_INSERT " + table_name(op) + " ON");
  for (std::string& insert : inserts) out.push_back(std::move(insert));
  out.push_back("SET IDENTITY_INSERT " + table_name(op) + " OFF");
  return out;
}

}  // namespace retort_mssql

RETORT_DIALECT(retort_mssql::MssqlDialect, "mssql", "1.0.0")
