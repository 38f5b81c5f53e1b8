// The Oracle dialect's traits, connections and names; the entry point.
// oracle_dialect.hpp says how Oracle differs from generic SQL.
#include "oracle_dialect.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace retort_oracle {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::in_quotes_redacted;
using retort::is_word;

// Oracle's reserved words (SQL Language Reference, "Oracle SQL Reserved
// Words"), lower case and sorted. Keywords that are not reserved (e.g. "key")
// may stand bare; SQLAlchemy quotes the same list.
// clang-format off
constexpr std::string_view kOracleReservedWords[] = {
    "access", "add", "all", "alter", "and", "any", "as", "asc", "audit", "between", "by", "char",
    "check", "cluster", "column", "column_value", "comment", "compress", "connect", "create",
    "current", "date", "decimal", "default", "delete", "desc", "distinct", "drop", "else",
    "exclusive", "exists", "file", "float", "for", "from", "grant", "group", "having",
    "identified", "immediate", "in", "increment", "index", "initial", "insert", "integer",
    "intersect", "into", "is", "level", "like", "lock", "long", "maxextents", "minus", "mlslabel",
    "mode", "modify", "nested_table_id", "noaudit", "nocompress", "not", "nowait", "null",
    "number", "of", "offline", "on", "online", "option", "or", "order", "pctfree", "prior",
    "public", "raw", "rename", "resource", "revoke", "row", "rowid", "rownum", "rows", "select",
    "session", "set", "share", "size", "smallint", "start", "successful", "synonym", "sysdate",
    "table", "then", "to", "trigger", "uid", "union", "unique", "update", "user", "validate",
    "values", "varchar", "varchar2", "view", "whenever", "where", "with"};
// clang-format on
static_assert(std::is_sorted(std::begin(kOracleReservedWords), std::end(kOracleReservedWords)));

// The ODBC driver Oracle's Instant Client installs under its default name.
constexpr std::string_view kDefaultDriver = "Oracle 21 ODBC driver";

// What SQL*Plus, under its defaults, reads differently inside a literal: a
// line break (the next line may be blank, '/', or end in ';') and '&'.
bool is_misread_by_sqlplus(char c) { return c == '\n' || c == '\r' || c == '&'; }

// Connection attributes the URL itself sets, which an option may not repeat.
constexpr std::string_view kUrlKeys[] = {"database", "dbq",    "driver", "dsn",
                                         "pwd",      "server", "uid"};

}  // namespace

// ---- Connections -------------------------------------------------------------

// oracle://user:pass@host[:port]/service connects through Oracle Instant
// Client's ODBC driver with the EZConnect address //host:port/service (port
// 1521 unless given); oracle://user:pass@/alias uses a tnsnames.ora alias.
// ?driver=NAME names the ODBC driver as odbcinst.ini does (default "Oracle 21
// ODBC driver"); any other ?Key=value passes through as a driver attribute,
// e.g. ?DBA=R. Values holding ';', '{' or '}' are {braced}; the user name
// and password always are.
std::string OracleDialect::connection_string(const retort::Url& url) const {
  retort::require_scheme(url, kUrlSchemes);
  if (url.database.empty()) {
    throw DialectError::invalid(
        "an oracle URL needs a service name or TNS alias: write "
        "oracle://user:password@host:1521/service or oracle://user:password@/alias");
  }
  std::string address;
  if (url.host.empty()) {
    if (url.port) {
      throw DialectError::invalid(
          "an oracle URL with a port needs a host: write "
          "oracle://user:password@host:1521/service");
    }
    address = url.database;
  } else {
    const bool ipv6 = url.host.find(':') != std::string::npos;
    address = "//" + (ipv6 ? "[" + url.host + "]" : url.host) + ":" +
              std::to_string(url.port.value_or(1521)) + "/" + url.database;
  }
  const std::string driver = url.query_value("driver").value_or(std::string(kDefaultDriver));
  if (driver.empty()) throw DialectError::invalid("oracle URL option 'driver' is empty");
  retort::ConnectionString out(driver);
  out.add("DBQ", address);
  out.add_credentials(url, {.user_key = "UID", .password_key = "PWD"});
  out.add_options(url, {.dialect = "oracle",
                        .url_keys = kUrlKeys,
                        .read_by_dialect = "driver",
                        .refusal = "is not a driver attribute; the URL sets it"});
  return out.str();
}

// ---- Names -------------------------------------------------------------------

// Oracle allows no '"' in a name, quoted or not, so it cannot be doubled.
void OracleDialect::check_identifier_characters(std::string_view name) const {
  if (name.find('"') != std::string_view::npos) {
    throw DialectError::invalid("identifier " + in_quotes(name) +
                                " holds a double quote, which oracle names cannot hold");
  }
  // A literal can spell such characters with CHR(); a name cannot, and a
  // script must read the same in SQL*Plus as online.
  if (std::any_of(name.begin(), name.end(), is_misread_by_sqlplus)) {
    throw DialectError::invalid("identifier " + in_quotes(name) +
                                " holds a line break or '&', which SQL*Plus misreads in a "
                                "script; choose another name");
  }
}

bool OracleDialect::is_reserved_word(std::string_view word) const {
  return SqlDialect::is_reserved_word(word) || retort::detail::contains(kOracleReservedWords, word);
}

// ---- Literals ----------------------------------------------------------------

std::string OracleDialect::quote_literal(std::string_view text) const {
  const std::vector<std::string> pieces = retort::detail::spelled_pieces(
      text, [](std::string_view t, size_t i) { return is_misread_by_sqlplus(t[i]); },
      [this](std::string_view piece) { return SqlDialect::quote_literal(piece); },
      [](char c) { return "CHR(" + std::to_string(static_cast<unsigned char>(c)) + ")"; });
  if (pieces.size() == 1) return pieces[0];
  return "(" + retort::detail::join(pieces, " || ") + ")";
}

std::string OracleDialect::sqlplus_safe(const std::string& statement) const {
  if (std::none_of(statement.begin(), statement.end(), is_misread_by_sqlplus)) return statement;
  return "BEGIN EXECUTE IMMEDIATE " + quote_literal(statement) + "; END;";
}

}  // namespace retort_oracle

RETORT_DIALECT(retort_oracle::OracleDialect, "oracle", "1.0.0")
