// The PostgreSQL dialect. The generic rendering is already PostgreSQL's
// (ALTER COLUMN ... TYPE ... USING, SET/DROP NOT NULL, COMMENT ON, identity
// columns, DROP INDEX schema.name), so this differs only in its URLs, its
// reserved words, some type names, string and bytea literals, and the checks
// PostgreSQL makes on identity columns.
#include <retort/dialect.hpp>
#include <retort/text.hpp>

#include "postgresql_catalog.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::in_quotes_redacted;
using retort::Statements;
using retort::to_view;

// PostgreSQL 15's reserved key words, those that may be a function or type
// name included (postgresql.org/docs/15/sql-keywords-appendix.html), with
// SQLAlchemy's extras (new, old, off, ...), sorted. Non-reserved words such
// as "time" or "values" stand bare as column names.
// clang-format off
constexpr std::string_view kPostgresqlReservedWords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "binary", "both", "case", "cast", "check", "collate", "collation",
    "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
    "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in",
    "initially", "inner", "intersect", "into", "is", "isnull", "join", "lateral", "leading",
    "left", "like", "limit", "localtime", "localtimestamp", "natural", "new", "not", "notnull",
    "null", "of", "off", "offset", "old", "on", "only", "or", "order", "outer", "over",
    "overlaps", "placing", "primary", "references", "returning", "right", "select",
    "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then",
    "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
    "where", "window", "with"};
// clang-format on
static_assert(std::is_sorted(std::begin(kPostgresqlReservedWords),
                             std::end(kPostgresqlReservedWords)));

// The psqlODBC options a URL may set besides sslmode, lower case. A list of
// those allowed rather than of those refused: psqlODBC also reads short
// aliases (A1 is Protocol) and pqopt (any libpq setting, host included),
// which would quietly override what connection_string writes.
constexpr std::string_view kDriverOptions[] = {"boolsaschar",         "byteaaslongvarbinary",
                                               "connsettings",        "fetch",
                                               "keepaliveinterval",   "keepalivetime",
                                               "lowercaseidentifier", "maxlongvarcharsize",
                                               "maxvarcharsize",      "readonly",
                                               "textaslongvarchar",   "unknownsaslongvarchar",
                                               "usedeclarefetch",     "useserversideprepare"};

// libpq's sslmode values; psqlODBC's SSLmode takes the same.
constexpr std::string_view kSslModes[] = {"disable", "allow",     "prefer",
                                          "require", "verify-ca", "verify-full"};

template <size_t N>
bool holds(const std::string_view (&words)[N], std::string_view word) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

class PostgresqlDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"postgresql", "postgres", nullptr};
  // PostgreSQL rolls CREATE, ALTER and DROP back with the transaction around
  // them, as Alembic's transactional_ddl = True says (verified through psqlODBC).
  // Tables and columns carry comments, which autogenerate compares.
  static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL | RETORT_DIALECT_COMMENTS;
  static constexpr const char* kStatementTerminator = ";";
  // psql runs a script statement by statement: no batches.
  static constexpr const char* kBatchSeparator = nullptr;
  static constexpr const char* kBeginTransaction = "BEGIN";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // NAMEDATALEN - 1: the server keeps the first 63 bytes of a longer name
  // and drops the rest with only a NOTICE, so two long names can become one.
  static constexpr size_t kMaxIdentifierLength = 63;

  // ---- Connections.
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names and literals.
  bool is_reserved_word(std::string_view word) const override {
    return SqlDialect::is_reserved_word(word) ||
           retort::detail::contains(kPostgresqlReservedWords, word);
  }
  std::string quote_literal(std::string_view text) const override;
  std::string binary_literal(std::string_view bytes) const override;

  // ---- Types and columns.
  std::string type_name(const retort_column& column) const override;
  std::string column_definition(const retort_column& column) const override;

  // ---- Operations.
  Statements render_alter_column(const retort_operation& op) const override;

  // ---- The migration lock: a session advisory lock, keyed by two int4
  // hashes (ours, then the lock's name within the database and schema the
  // session is in), held on the runner's own connection, or on the session
  // of an offline script (render_wait_lock).
  Statements render_try_lock(const retort_operation& op) const override;
  Statements render_release_lock(const retort_operation& op) const override;
  Statements render_lock_holder(const retort_operation& op) const override;
  Statements render_wait_lock(const retort_operation& op) const override;

  // ---- Autogenerate: the catalog (postgresql_catalog.cpp).
  Statements render_reflect_tables(const retort_operation& op) const override {
    const std::string schema =
        retort::is_absent(op.schema) ? "current_schema()" : quote_literal(to_view(op.schema));
    return {retort_postgresql::reflect_tables_sql(schema)};
  }
  Statements render_reflect_columns(const retort_operation& op) const override {
    return {retort_postgresql::reflect_columns_sql(relation(op))};
  }
  Statements render_reflect_constraints(const retort_operation& op) const override {
    return {retort_postgresql::reflect_constraints_sql(relation(op))};
  }
  Statements render_reflect_indexes(const retort_operation& op) const override {
    return {retort_postgresql::reflect_indexes_sql(relation(op))};
  }

 private:
  // The table of a REFLECT_* operation as an OID: '"t"'::regclass.
  std::string relation(const retort_operation& op) const {
    return quote_literal(qualified_name(op.schema, required(op.table, "table name"))) +
           "::regclass";
  }

  // The second key: the name joined to the database and schema as the
  // server names them, however the URL reached them. Advisory locks are per
  // database already; the schema (current_schema(), NULL when no schema of
  // the search_path exists, which concat_ws skips) is where the unqualified
  // version table lives, so runners of two schemas, each with its own
  // version table, do not meet.
  std::string lock_name_hash(const retort_operation& op) const {
    return "hashtext(concat_ws('/', current_database(), current_schema(), " +
           quote_literal(required(op.name, "lock name")) + "))";
  }
  std::string lock_key(const retort_operation& op) const {
    return "hashtext('retort'), " + lock_name_hash(op);
  }
};

// ---- Connections -------------------------------------------------------------

// postgresql://user:password@host[:port]/database[?option=value&...], and
// postgres://, as libpq and SQLAlchemy take them. psqlODBC reads braces only
// in Pwd, and URL-decodes a Pwd without them: the password is always braced,
// and the host, database and user name are written as they are (one that
// holds ';' or starts with '{' is refused), as connection_string.hpp says.
// Options: sslmode (libpq's values) and the psqlODBC options of
// kDriverOptions (e.g. ReadOnly, ConnSettings), spelt in any case.
std::string PostgresqlDialect::connection_string(const retort::Url& url) const {
  retort::require_scheme(url, kUrlSchemes);
  if (url.host.empty()) {
    throw DialectError::invalid(
        "a postgresql URL needs a host: write postgresql://user:password@host:port/database "
        "(unix sockets are not supported)");
  }
  if (url.database.empty()) {
    throw DialectError::invalid(
        "a postgresql URL needs a database: write postgresql://user:password@host:port/database");
  }
  retort::ConnectionString out("PostgreSQL Unicode");
  out.add_plain("Server", url.host, "host");
  out.append("Port", std::to_string(url.port.value_or(5432)));
  out.add_plain("Database", url.database, "database");
  out.add_credentials(url, {.user = retort::Braces::kKept});
  // psqlODBC's default (Protocol=7.4-2) wraps each statement in a savepoint
  // and rolls back only a failed one, so a migration would carry on past a
  // failed step and could commit half of a revision. 7.4-1 rolls the whole
  // transaction back on any error, as Alembic's run on psycopg2 ends: what
  // the transaction held is applied entirely or not at all. (7.4-0 would
  // leave the aborted transaction for retort to roll back; 7.4-1 does not
  // depend on that.)
  out.append("Protocol", "7.4-1");
  for (const auto& [key, value] : url.query) {
    const std::string name = retort::lower_ascii(key);
    if (name != "sslmode" && !holds(kDriverOptions, name)) {
      throw DialectError::invalid("postgresql URL option " + in_quotes_redacted(key) +
                                  " is not supported: use sslmode or a psqlODBC option such as "
                                  "ReadOnly or ConnSettings");
    }
    if (name == "sslmode") {
      if (!holds(kSslModes, value)) {
        throw DialectError::invalid("postgresql URL option sslmode=" + in_quotes_redacted(value) +
                                    " is not one of disable, allow, prefer, require, verify-ca, "
                                    "verify-full");
      }
      out.append("SSLmode", value);
      continue;
    }
    out.add(key, value);
  }
  return out.str();
}

// ---- Names and literals ------------------------------------------------------

// 'text' with ' doubled; a text holding a backslash becomes E'...' with the
// backslashes doubled too, so it reads the same whether or not the server
// has standard_conforming_strings on (with it off, a bare \' would end the
// quoting early).
std::string PostgresqlDialect::quote_literal(std::string_view text) const {
  const std::string quoted = SqlDialect::quote_literal(text);
  if (text.find('\\') == std::string_view::npos) return quoted;
  std::string out = "E";
  for (char c : quoted) {
    out += c;
    if (c == '\\') out += '\\';
  }
  return out;
}

// decode('0aff', 'hex'): no backslash, so standard_conforming_strings does
// not matter.
std::string PostgresqlDialect::binary_literal(std::string_view bytes) const {
  return "decode('" + retort::detail::hex(bytes) + "', 'hex')";
}

// ---- Types and columns -------------------------------------------------------

std::string PostgresqlDialect::type_name(const retort_column& column) const {
  switch (column.type) {
    // SQLAlchemy's names for DateTime and Time on PostgreSQL.
    case RETORT_TYPE_DATETIME:
      return "TIMESTAMP WITHOUT TIME ZONE";
    case RETORT_TYPE_TIME:
      return "TIME WITHOUT TIME ZONE";
    // BYTEA has no length.
    case RETORT_TYPE_BINARY:
      retort::checked_length(column);
      return "BYTEA";
    case RETORT_TYPE_UUID:
      return "UUID";
    // JSON, as SQLAlchemy's JSON type renders (JSONB is a Custom type).
    case RETORT_TYPE_JSON:
      return "JSON";
    // A native ENUM needs CREATE TYPE with its values, which the ABI does not
    // carry: the generic VARCHAR(length) stands in (write the CREATE TYPE with
    // execute and use a Custom type for a real enum).
    case RETORT_TYPE_ENUM:
      break;
  }
  return SqlDialect::type_name(column);
}

// PostgreSQL takes GENERATED BY DEFAULT AS IDENTITY only on SMALLINT,
// INTEGER and BIGINT columns, and never together with a DEFAULT.
std::string PostgresqlDialect::column_definition(const retort_column& column) const {
  if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) != 0) {
    const std::string what = "column " + in_quotes(column_name(column));
    if (!is_integer_type(column.type)) {
      throw DialectError::unsupported(what +
                                      " cannot autoincrement: an identity column must be "
                                      "smallint, integer or bigint");
    }
    if (!retort::is_absent(column.server_default)) {
      throw DialectError::invalid(what +
                                  " has both a server default and autoincrement: drop one of them");
    }
  }
  return SqlDialect::column_definition(column);
}

// ---- Columns -----------------------------------------------------------------

// The generic statements, but the type change first, as Alembic's
// PostgresqlImpl orders them: the old default is cast along with the column,
// so a new default of the new type can then be set (set first, it would have
// to fit the old type).
Statements PostgresqlDialect::render_alter_column(const retort_operation& op) const {
  if ((op.alter & RETORT_ALTER_TYPE) == 0) return SqlDialect::render_alter_column(op);
  retort_operation type_only = op;
  type_only.alter = RETORT_ALTER_TYPE;
  Statements out = SqlDialect::render_alter_column(type_only);
  retort_operation rest = op;
  rest.alter = op.alter & ~RETORT_ALTER_TYPE;
  if (rest.alter == 0) return out;
  for (std::string& statement : SqlDialect::render_alter_column(rest)) {
    out.push_back(std::move(statement));
  }
  return out;
}

// ---- The migration lock ------------------------------------------------------

Statements PostgresqlDialect::render_try_lock(const retort_operation& op) const {
  return {"SELECT CASE WHEN pg_try_advisory_lock(" + lock_key(op) + ") THEN 1 ELSE 0 END"};
}

// The script's lock: the same key, waited for without limit (pg_advisory_lock
// blocks, and raises an error only if the wait is cancelled, e.g. by
// lock_timeout or statement_timeout, which stops psql -v ON_ERROR_STOP=1).
Statements PostgresqlDialect::render_wait_lock(const retort_operation& op) const {
  return {"SELECT pg_advisory_lock(" + lock_key(op) + ")"};
}

Statements PostgresqlDialect::render_release_lock(const retort_operation& op) const {
  return {"SELECT pg_advisory_unlock(" + lock_key(op) + ")"};
}

// Who holds it, from pg_locks (the two-key form stores the keys in classid
// and objid, with objsubid 2) of this database, joined to the session that
// holds it.
Statements PostgresqlDialect::render_lock_holder(const retort_operation& op) const {
  return {
      "SELECT a.usename || '@' || COALESCE(host(a.client_addr), 'local socket') || ' pid ' || "
      "a.pid || ' (' || COALESCE(NULLIF(a.application_name, ''), 'unnamed program') || "
      "') connected since ' || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND l.classid = hashtext('retort')::oid AND l.objid = " +
      lock_name_hash(op) + "::oid"};
}

}  // namespace

RETORT_DIALECT(PostgresqlDialect, "postgresql", "1.0.0")
