// The MySQL/MariaDB dialect: traits, connections, names, literals, types,
// columns and tables. Comments, constraints, indexes and alter_column are in
// mysql_alter.cpp.
#include "mysql_dialect.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace retort_mysql {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::in_quotes_redacted;
using retort::is_word;
using retort::to_view;

// MySQL 8.0's reserved words (dev.mysql.com/doc/refman/8.0/en/keywords.html,
// those marked R) and MariaDB 10.11's, sorted. Quoting a word that needs no
// quotes is harmless, so the list is their union.
// clang-format off
constexpr std::string_view kMysqlReservedWords[] = {
    "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "asensitive", "before",
    "between", "bigint", "binary", "blob", "both", "by", "call", "cascade", "case", "change",
    "char", "character", "check", "collate", "column", "condition", "constraint", "continue",
    "convert", "create", "cross", "cube", "cume_dist", "current_date", "current_role",
    "current_time", "current_timestamp", "current_user", "cursor", "database", "databases",
    "day_hour", "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare",
    "default", "delayed", "delete", "delete_domain_id", "dense_rank", "desc", "describe",
    "deterministic", "distinct", "distinctrow", "div", "do_domain_ids", "double", "drop", "dual",
    "each", "else", "elseif", "empty", "enclosed", "escaped", "except", "exists", "exit",
    "explain", "false", "fetch", "first_value", "float", "float4", "float8", "for", "force",
    "foreign", "from", "fulltext", "function", "general", "generated", "get", "grant", "group",
    "grouping", "groups", "having", "high_priority", "hour_microsecond", "hour_minute",
    "hour_second", "if", "ignore", "ignore_domain_ids", "ignore_server_ids", "in", "index",
    "infile", "inner", "inout", "insensitive", "insert", "int", "int1", "int2", "int3", "int4",
    "int8", "integer", "intersect", "interval", "into", "io_after_gtids", "io_before_gtids", "is",
    "iterate", "join", "json_table", "key", "keys", "kill", "lag", "last_value", "lateral", "lead",
    "leading", "leave", "left", "like", "limit", "linear", "lines", "load", "localtime",
    "localtimestamp", "lock", "long", "longblob", "longtext", "loop", "low_priority",
    "master_bind", "master_heartbeat_period", "master_ssl_verify_server_cert", "match", "maxvalue",
    "mediumblob", "mediumint", "mediumtext", "middleint", "minute_microsecond", "minute_second",
    "mod", "modifies", "natural", "no_write_to_binlog", "not", "nth_value", "ntile", "null",
    "numeric", "of", "offset", "on", "optimize", "optimizer_costs", "option", "optionally", "or",
    "order", "out", "outer", "outfile", "over", "page_checksum", "parse_vcol_expr", "partition",
    "percent_rank", "position", "precision", "primary", "procedure", "purge", "range", "rank",
    "read", "read_write", "reads", "real", "recursive", "ref_system_id", "references", "regexp",
    "release", "rename", "repeat", "replace", "require", "resignal", "restrict", "return",
    "returning", "revoke", "right", "rlike", "row", "row_number", "rows", "schema", "schemas",
    "second_microsecond", "select", "sensitive", "separator", "set", "show", "signal", "slow",
    "smallint", "spatial", "specific", "sql", "sql_big_result", "sql_calc_found_rows",
    "sql_small_result", "sqlexception", "sqlstate", "sqlwarning", "ssl", "starting",
    "stats_auto_recalc", "stats_persistent", "stats_sample_pages", "stored", "straight_join",
    "system", "table", "terminated", "then", "tinyblob", "tinyint", "tinytext", "to", "trailing",
    "trigger", "true", "undo", "union", "unique", "unlock", "unsigned", "update", "usage", "use",
    "using", "utc_date", "utc_time", "utc_timestamp", "values", "varbinary", "varchar",
    "varcharacter", "varying", "virtual", "when", "where", "while", "window", "with", "write",
    "xor", "year_month", "zerofill"
};
// clang-format on
static_assert(std::is_sorted(std::begin(kMysqlReservedWords), std::end(kMysqlReservedWords)));

// A word, or a call with no or numeric arguments: CURRENT_TIMESTAMP, NOW(),
// CURRENT_TIMESTAMP(6). Both servers take these bare after DEFAULT.
bool is_bare_default(std::string_view text) {
  const size_t open = text.find('(');
  if (open == std::string_view::npos) return is_word(text);
  if (!is_word(text.substr(0, open)) || text.back() != ')') return false;
  const std::string_view inside = text.substr(open + 1, text.size() - open - 2);
  return std::all_of(inside.begin(), inside.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One complete 'string literal' with its quotes doubled or escaped.
bool is_string_literal(std::string_view text) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return false;
  const std::string_view inner = text.substr(1, text.size() - 2);
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\') {
      ++i;
      continue;
    }
    if (inner[i] != '\'') continue;
    if (i + 1 >= inner.size() || inner[i + 1] != '\'') return false;
    ++i;
  }
  return true;
}

// Connection-string keys the URL itself sets; a query option may not.
constexpr std::string_view kUrlKeys[] = {"database", "db",  "driver", "dsn", "password",
                                         "port",     "pwd", "server", "uid", "user"};

}  // namespace

// ---- Connections -------------------------------------------------------------

// mysql://user:pass@host:port/db or mariadb://..., e.g.
//   Driver={MariaDB Unicode};Server=127.0.0.1;Port=3306;Database=db;Uid={u};Pwd={p;w}
// The MariaDB Connector/ODBC serves both servers. ?driver=NAME names another
// registered ODBC driver; any other query option passes through as a driver
// option (e.g. ?SSLVERIFY=1). OPTION=67108864 (multiple statements per call)
// is deliberately not set: retort sends one statement per call, and with it
// every result would have to be drained with SQLMoreResults. A "+driver"
// suffix (mysql+pymysql://) is ignored: retort always connects through ODBC.
std::string MysqlDialect::connection_string(const retort::Url& url) const {
  retort::require_scheme(url, kUrlSchemes);
  const std::string driver = url.query_value("driver").value_or("MariaDB Unicode");
  if (driver.empty() || driver.find_first_of(std::string_view("{}\0", 3)) != std::string::npos) {
    throw DialectError::invalid(
        "the driver option of the URL must name an ODBC driver, without "
        "braces");
  }
  retort::ConnectionString out(driver);
  out.add("Server", url.host.empty() ? "localhost" : url.host);
  out.append("Port", std::to_string(url.port.value_or(3306)));
  if (!url.database.empty()) out.add("Database", url.database);
  out.add_credentials(url);
  out.add_options(url, {.dialect = "mysql", .url_keys = kUrlKeys, .read_by_dialect = "driver"});
  return out.str();
}

// ---- Names and literals ------------------------------------------------------

bool MysqlDialect::is_reserved_word(std::string_view word) const {
  return SqlDialect::is_reserved_word(word) || retort::detail::contains(kMysqlReservedWords, word);
}

// Dates and times as plain strings, which every temporal type reads. A UUID
// loses its dashes to fit CHAR(32), as SQLAlchemy stores it.
std::string MysqlDialect::text_literal(std::string_view text, const retort_column& column) const {
  if (column.type == RETORT_TYPE_UUID && text.size() == 36) {
    std::string hex;
    for (char c : text) {
      if (c != '-') hex += c;
    }
    if (hex.size() == 32) return quote_literal(hex);
  }
  if (column.type == RETORT_TYPE_DATE || column.type == RETORT_TYPE_TIME ||
      column.type == RETORT_TYPE_DATETIME) {
    return quote_literal(text);
  }
  return SqlDialect::text_literal(text, column);
}

// ---- Types and columns -------------------------------------------------------

std::string MysqlDialect::type_name(const retort_column& column) const {
  const std::string name = in_quotes(column_name(column));
  switch (column.type) {
    // VARCHAR has no default length in MySQL.
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_UNICODE:
    case RETORT_TYPE_ENUM:
      if (column.length == 0) {
        throw DialectError::invalid("column " + name +
                                    " needs a length: mysql's VARCHAR has none; give one, or use "
                                    "Text()");
      }
      // The ABI carries no enum values, so an enum is a VARCHAR; Unicode
      // relies on the table's character set (utf8mb4 by default in MySQL 8).
      return retort::detail::sized_type("VARCHAR", column);
    case RETORT_TYPE_BOOLEAN:
      return "BOOL";  // TINYINT(1)
    case RETORT_TYPE_DATETIME:
      return "DATETIME";
    case RETORT_TYPE_INTERVAL:
      throw DialectError::unsupported("column " + name +
                                      " is an interval, which mysql has no type for; store the "
                                      "seconds in a BIGINT instead");
    // Unbounded binary is LONGBLOB (up to 4 GB), not SQLAlchemy's BLOB,
    // which holds only 64 KB and fails (or, outside strict mode, silently
    // truncates) beyond that. It costs two bytes more per value.
    case RETORT_TYPE_BINARY:
      if (column.length == 0) return "LONGBLOB";
      return retort::detail::sized_type("VARBINARY", column);
  }
  return SqlDialect::type_name(column);
}

std::string MysqlDialect::column_definition(const retort_column& column) const {
  return full_definition(column, false);
}

// "name TYPE [NULL|NOT NULL] [DEFAULT d] [AUTO_INCREMENT] [UNIQUE]
// [COMMENT '...']", in the order MySQL's grammar lists them.
std::string MysqlDialect::full_definition(const retort_column& column, bool explicit_null) const {
  if (column_name(column).empty()) throw DialectError::invalid("a column has no name");
  std::string out = quote_identifier(column_name(column)) + " " + type_name(column);
  if ((column.flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) != 0) {
    out += " NOT NULL";
  } else if (explicit_null) {
    out += " NULL";
  }
  retort::detail::append_clause(out, default_clause(column));
  if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) != 0) {
    retort::detail::append_clause(out, autoincrement_clause(column));
  }
  if ((column.flags & RETORT_COLUMN_UNIQUE) != 0) out += " UNIQUE";
  if (!retort::is_absent(column.comment))
    out += " COMMENT " + quote_literal(to_view(column.comment));
  return out;
}

// Both servers take a literal, a number or CURRENT_TIMESTAMP-like calls
// bare after DEFAULT; MySQL 8 wants any other expression in parentheses.
std::string MysqlDialect::default_expression(std::string_view expression) const {
  if (is_bare_default(expression) || retort::detail::is_sql_number(expression) ||
      is_string_literal(expression)) {
    return std::string(expression);
  }
  return "(" + std::string(expression) + ")";
}

// ---- Tables and columns ------------------------------------------------------

// AUTO_INCREMENT needs an integer column that is a key; one per table.
// The table's comment is a table option after the closing parenthesis.
Statements MysqlDialect::render_create_table(const retort_operation& op) const {
  const retort_column* autoincrement = nullptr;
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) == 0) continue;
    if (autoincrement != nullptr) {
      throw DialectError::unsupported("table " + in_quotes(to_view(op.table)) +
                                      " has more than one autoincrement column");
    }
    autoincrement = &column;
    const bool key = (column.flags & (RETORT_COLUMN_PRIMARY_KEY | RETORT_COLUMN_UNIQUE)) != 0;
    if (!key || !is_integer_type(column.type)) {
      throw DialectError::unsupported("column " + in_quotes(column_name(column)) + " of table " +
                                      in_quotes(to_view(op.table)) +
                                      " cannot autoincrement: make it an integer primary key");
    }
  }
  Statements out = SqlDialect::render_create_table(op);
  if (!retort::is_absent(op.comment)) out[0] += " COMMENT=" + quote_literal(to_view(op.comment));
  return out;
}

// One statement: the comment is part of the definition, and a primary key
// column says so inline (ADD COLUMN id INT NOT NULL AUTO_INCREMENT PRIMARY KEY).
Statements MysqlDialect::render_add_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  const retort_column& column = added_column(op);
  const bool key = (column.flags & RETORT_COLUMN_PRIMARY_KEY) != 0;
  if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) != 0 &&
      (!is_integer_type(column.type) || (!key && (column.flags & RETORT_COLUMN_UNIQUE) == 0))) {
    throw DialectError::unsupported("column " + in_quotes(column_name(column)) + " of table " +
                                    in_quotes(to_view(op.table)) +
                                    " cannot autoincrement: make it an integer primary key");
  }
  return {"ALTER TABLE " + table + " ADD COLUMN " + column_definition(column) +
          (key ? " PRIMARY KEY" : "")};
}

// RENAME TABLE with both names qualified: an unqualified new name would
// move the table into the connection's default database.
Statements MysqlDialect::render_rename_table(const retort_operation& op) const {
  return {"RENAME TABLE " + table_name(op) + " TO " +
          qualified_name(op.schema, required(op.name, "new table name"))};
}

}  // namespace retort_mysql

RETORT_DIALECT(retort_mysql::MysqlDialect, "mysql", "1.0.0")
