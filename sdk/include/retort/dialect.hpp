// The C++ layer for dialect authors. A dialect is a subclass of SqlDialect
// that states its traits and overrides only what its database does
// differently from the generic (ANSI, SQLAlchemy-like) rendering here:
//
//   #include <retort/dialect.hpp>
//
//   class MyDialect : public retort::SqlDialect {
//    public:
//     static constexpr const char* kUrlSchemes[] = {"mydb", nullptr};
//     static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL;
//     std::string connection_string(const retort::Url& url) const override;
//   };
//
//   RETORT_DIALECT(MyDialect, "mydb", "1.0.0")
//
// Every method may throw DialectError (the dialect cannot do it, or the input
// is malformed); the entry thunks turn it into a status for the host. Nothing
// here calls the host: the SDK is compiled into each plugin.
//
// Threads (abi.h, beside retort_dialect): the host calls one instance's
// methods from several threads at once, e.g. a fleet run's targets. Every
// method is const and must be reentrant: keep no state across calls, or
// guard it (mutable members behind a mutex, as the SQLite dialect's table
// model is). The SDK keeps a call's own context per thread (query()'s sink)
// and writes nothing shared after the entry point's first call. A
// constructor that throws makes the entry point refuse to load, with the
// exception's message as the reason the host shows.
// The guard differs from core/src/dialect.hpp's, so one file may include both.
#ifndef RETORT_SDK_DIALECT_HPP
#define RETORT_SDK_DIALECT_HPP

#include <retort/abi.h>
#include <retort/connection_string.hpp>
#include <retort/dialect_error.hpp>
#include <retort/dialect_types.hpp>
#include <retort/plugin_host.hpp>
#include <retort/sink.hpp>
#include <retort/url.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

using Statements = std::vector<std::string>;

namespace detail {

// A copy of a growable struct that honours its struct_size: fields beyond
// it read as zero (abi.h, rule 2).
template <typename T>
T sized_copy(const T& in) {
  T out{};
  std::memcpy(&out, &in, std::min<size_t>(in.struct_size, sizeof(T)));
  out.struct_size = sizeof(T);
  return out;
}

// Words that generic SQL reserves, sorted. Quoting a word that needs no
// quotes is harmless; leaving a reserved one bare breaks the statement, so
// the list leans towards words reserved in most databases.
// clang-format off
inline constexpr std::string_view kSqlReservedWords[] = {
    "all", "alter", "and", "any", "array", "as", "asc", "authorization", "between", "both", "by",
    "case", "cast", "check", "collate", "column", "constraint", "create", "cross", "current_date",
    "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable",
    "delete", "desc", "distinct", "drop", "else", "end", "except", "exists", "false", "fetch",
    "for", "foreign", "from", "full", "grant", "group", "having", "in", "initially", "inner",
    "insert", "intersect", "into", "is", "join", "lateral", "leading", "left", "like", "limit",
    "localtime", "localtimestamp", "natural", "not", "null", "offset", "on", "only", "or",
    "order", "outer", "overlaps", "primary", "references", "returning", "right", "select",
    "session_user", "set", "similar", "some", "symmetric", "table", "then", "to", "trailing",
    "true", "union", "unique", "update", "user", "using", "values", "when", "where", "window",
    "with"};
// clang-format on
static_assert(std::is_sorted(std::begin(kSqlReservedWords), std::end(kSqlReservedWords)));

// Whether a sorted word list holds `word`.
template <size_t N>
bool contains(const std::string_view (&sorted)[N], std::string_view word) {
  return std::binary_search(std::begin(sorted), std::end(sorted), word);
}

inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// `text` between `open` and `close`, each `close` inside it doubled, so
// nothing in it can end the quoting early.
inline std::string enclose(std::string_view text, char open, char close) {
  std::string out(1, open);
  for (char c : text) {
    out += c;
    if (c == close) out += close;
  }
  out += close;
  return out;
}

inline std::string enclose(std::string_view text, char quote) {
  return enclose(text, quote, quote);
}

template <typename D>
struct DialectInstance;

}  // namespace detail

// How a database counts the length of an identifier.
enum class LengthUnit {
  kBytes,       // of its UTF-8 spelling
  kCharacters,  // Unicode characters (code points)
};

// The characters an identifier is quoted with: "name", `name`, [name].
struct IdentifierQuotes {
  char open = '"';
  char close = '"';
};

class SqlDialect {
 public:
  // ---- Traits. RETORT_DIALECT reads them as static members of the dialect
  // class, so a subclass replaces one by declaring a member of the same name.
  // kUrlSchemes ({"name", nullptr}) has no default: each dialect names its own.

  // Generic SQL makes no promise that DDL rolls back with a transaction.
  static constexpr uint32_t kFlags = 0;
  static constexpr const char* kStatementTerminator = ";";
  // Only scripts for tools that run batches (sqlcmd's GO, SQL*Plus's /) need one.
  static constexpr const char* kBatchSeparator = nullptr;
  static constexpr const char* kBeginTransaction = "BEGIN";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // The longest identifier the database keeps, in kIdentifierLengthUnit; 0
  // for no limit. check_identifier refuses a longer one when it is rendered,
  // as SQLAlchemy does, instead of leaving it to a server that may shorten
  // it without a word (PostgreSQL does). The entry point copies both traits
  // into the dialect's one instance.
  static constexpr size_t kMaxIdentifierLength = 0;
  static constexpr LengthUnit kIdentifierLengthUnit = LengthUnit::kBytes;

  SqlDialect() = default;
  SqlDialect(const SqlDialect&) = delete;
  SqlDialect& operator=(const SqlDialect&) = delete;
  virtual ~SqlDialect() = default;

  // ---- Connections.
  // The ODBC connection string for a URL of one of kUrlSchemes.
  virtual std::string connection_string(const Url& url) const = 0;
  // The URL with its password hidden; the generic rule suits most dialects.
  virtual std::string redact_url(std::string_view url) const { return redact(url); }

  // ---- Rendering. render() normalises the operation (struct sizes, NULL
  // arrays) and calls the render_* method for its kind.
  Statements render(const retort_operation& op) const;

  virtual Statements render_create_table(const retort_operation& op) const;
  virtual Statements render_drop_table(const retort_operation& op) const;
  virtual Statements render_add_column(const retort_operation& op) const;
  // The one column an add_column carries; refuses an operation with another
  // number of columns.
  static const retort_column& added_column(const retort_operation& op);
  // What follows ALTER TABLE t to add a column: "ADD COLUMN", or "ADD" where
  // the database has no COLUMN keyword there (SQL Server, Oracle).
  virtual std::string add_column_keyword() const { return "ADD COLUMN"; }
  virtual Statements render_drop_column(const retort_operation& op) const;
  virtual Statements render_create_index(const retort_operation& op) const;
  virtual Statements render_drop_index(const retort_operation& op) const;
  virtual Statements render_execute(const retort_operation& op) const;
  // Added in ABI 1.1.
  virtual Statements render_rename_table(const retort_operation& op) const;
  // One statement per changed part: nullability, default, type, comment,
  // then the new name, as Alembic orders them.
  virtual Statements render_alter_column(const retort_operation& op) const;
  virtual Statements render_create_constraint(const retort_operation& op) const;
  virtual Statements render_drop_constraint(const retort_operation& op) const;
  virtual Statements render_create_table_comment(const retort_operation& op) const;
  virtual Statements render_drop_table_comment(const retort_operation& op) const;
  // One INSERT per row, the values written as literals of their columns' types.
  virtual Statements render_bulk_insert(const retort_operation& op) const;

  // The version table, with Alembic's statement shapes.
  virtual Statements render_create_version_table(const retort_operation& op) const;
  virtual Statements render_insert_version(const retort_operation& op) const;
  virtual Statements render_update_version(const retort_operation& op) const;
  virtual Statements render_delete_version(const retort_operation& op) const;
  virtual Statements render_select_versions(const retort_operation& op) const;
  // The migration lock (ABI 1.1). Generic SQL has none: the defaults render
  // nothing, and the host then runs without a lock and says so.
  virtual Statements render_try_lock(const retort_operation& /*op*/) const { return {}; }
  virtual Statements render_release_lock(const retort_operation& /*op*/) const { return {}; }
  virtual Statements render_lock_holder(const retort_operation& /*op*/) const { return {}; }
  // Added in ABI 1.2: the lock as an offline script takes it (--sql --lock).
  virtual Statements render_wait_lock(const retort_operation& /*op*/) const { return {}; }
  // Added in ABI 1.3: the catalog queries of autogenerate, whose rows abi.h
  // lays out. The defaults render nothing: the host then reads ODBC's
  // catalog functions.
  virtual Statements render_reflect_tables(const retort_operation& /*op*/) const { return {}; }
  virtual Statements render_reflect_columns(const retort_operation& /*op*/) const { return {}; }
  virtual Statements render_reflect_constraints(const retort_operation& /*op*/) const { return {}; }
  virtual Statements render_reflect_indexes(const retort_operation& /*op*/) const { return {}; }
  // Added in ABI 1.3: whether a model column's type differs from a type as
  // the catalog spells it; nullopt when it cannot tell. As Alembic does, the
  // model's type is first rendered as this dialect writes it (type_name),
  // then both spellings are read back (dialect_types.hpp) and compared.
  virtual std::optional<bool> type_differs(const retort_column& model,
                                           std::string_view reflected) const {
    if (model.type == RETORT_TYPE_ENUM) return std::nullopt;  // value lists are not compared
    return generic_types_differ(reflected_type(type_name(model)), reflected_type(reflected));
  }
  // A catalog's spelling as a generic type; a dialect adds its own names.
  virtual Type reflected_type(std::string_view spelling) const {
    return generic_type(split_type(spelling));
  }

  // ---- Names and literals.
  // Bare when `name` needs no quotes, else between identifier_quotes() with
  // the closing one doubled; refused first by check_identifier, then by
  // check_identifier_characters.
  virtual std::string quote_identifier(std::string_view name) const;
  // "..." unless the database quotes names otherwise (`name`, [name]).
  virtual IdentifierQuotes identifier_quotes() const { return {}; }
  // Refuses characters that this database, or the tool that runs its
  // scripts, cannot take in a name. None by default.
  virtual void check_identifier_characters(std::string_view /*name*/) const {}
  // True unless name matches [a-z_][a-z0-9_$]* and is not a reserved word.
  virtual bool requires_quotes(std::string_view name) const;
  virtual bool is_reserved_word(std::string_view lower_case_word) const;
  // schema.name, each part quoted as needed; an absent schema is left out.
  virtual std::string qualified_name(retort_str schema, std::string_view name) const;
  // 'text' with ' doubled, and \ too where backslash_escapes(). Rejects
  // NUL, which no SQL string can hold.
  virtual std::string quote_literal(std::string_view text) const;
  // Whether the database reads \ as an escape inside '...' (MySQL's default).
  virtual bool backslash_escapes() const { return false; }

  // ---- Types and columns.
  virtual std::string type_name(const retort_column& column) const;
  // "name TYPE [DEFAULT d] [identity] [NOT NULL] [UNIQUE]"; a primary key
  // column is NOT NULL, as SQLAlchemy makes it.
  virtual std::string column_definition(const retort_column& column) const;
  // "DEFAULT ..." or "" when the column has no server default.
  virtual std::string default_clause(const retort_column& column) const;
  // An expression default as written after DEFAULT.
  virtual std::string default_expression(std::string_view expression) const;
  // What an AUTOINCREMENT column gets after its default.
  virtual std::string autoincrement_clause(const retort_column& column) const;
  // CREATE TABLE's lines after the columns: the primary key of the columns
  // flagged PRIMARY_KEY, then each of the operation's constraints.
  virtual std::vector<std::string> table_constraints(const retort_operation& op) const;
  // Statements run right after CREATE TABLE: the generic COMMENT ON for the
  // table's and its columns' comments.
  virtual Statements after_create_table(const retort_operation& op) const;

  // ---- Constraints (ABI 1.1).
  // "CONSTRAINT name UNIQUE (a, b)", as in CREATE TABLE or ADD.
  virtual std::string constraint_definition(const retort_constraint& constraint) const;
  // The clause body after the optional CONSTRAINT name.
  virtual std::string constraint_body(const retort_constraint& constraint) const;
  // "CASCADE", "SET NULL", ...; "" for RETORT_REFERENTIAL_UNSPECIFIED.
  virtual std::string referential_action(uint32_t action) const;

  // ---- Comments (ABI 1.1).
  // COMMENT ON TABLE/COLUMN ... IS '...' (or IS NULL when comment is absent).
  virtual std::string table_comment_statement(const retort_operation& op, retort_str comment) const;
  virtual std::string column_comment_statement(const retort_operation& op, std::string_view column,
                                               retort_str comment) const;

  // ---- Indexes (ABI 1.1).
  // A column name quoted, or an expression element as written.
  virtual std::string index_element(retort_str element, uint32_t flags) const;

  // ---- Literals (ABI 1.1), for bulk_insert.
  virtual std::string literal(const retort_value& value, const retort_column& column) const;
  virtual std::string boolean_literal(bool value) const { return value ? "true" : "false"; }
  // X'0aff': bytes as hexadecimal.
  virtual std::string binary_literal(std::string_view bytes) const;
  // A text value for a column of `column`'s type: DATE '...', a bare number
  // for numeric columns, a quoted string otherwise.
  virtual std::string text_literal(std::string_view text, const retort_column& column) const;
  // The version table's one column.
  virtual std::string version_column_type() const { return "VARCHAR(32)"; }

 protected:
  static std::string_view column_name(const retort_column& column) { return to_view(column.name); }
  // A name the operation must have; `what` says which ("table name").
  static std::string_view required(retort_str value, std::string_view what);
  // The operation's table, schema-qualified when a schema is given.
  std::string table_name(const retort_operation& op) const;
  // "(a, b)": the operation's column names, quoted.
  std::string index_columns(const retort_operation& op) const;
  // The version id the operation writes or deletes, as a literal.
  std::string version_literal(retort_str version, std::string_view what) const;
  // A constraint name the operation must have, quoted.
  std::string constraint_name(const retort_constraint& constraint, std::string_view what) const;
  // "(a, b)": names quoted; `what` names the list in errors.
  std::string column_list(const retort_str* names, size_t count, std::string_view what) const;
  // The index elements with their flags: "(a, lower(b))".
  std::string index_elements(const retort_operation& op) const;
  // The existing column's part, when the revision stated it (ABI 1.1).
  static bool knows(const retort_operation& op, uint32_t part) {
    return op.existing_column != nullptr && (op.existing & part) != 0;
  }
  // True while rendering for a database that can be read (online): query()
  // then runs SQL there, e.g. to read the catalog. Offline it cannot.
  bool can_query() const;
  Rows query(std::string_view sql) const;
  // Writes to the host's log (RETORT_LOG_*); silently dropped before entry.
  void log(int level, std::string_view message) const;
  static bool is_integer_type(uint32_t type) {
    return type == RETORT_TYPE_INTEGER || type == RETORT_TYPE_SMALLINT ||
           type == RETORT_TYPE_BIGINT;
  }
  // Refuses a name no identifier of this database can be: empty, holding a
  // NUL, or longer than kMaxIdentifierLength. quote_identifier calls it, and
  // so must any override of it.
  void check_identifier(std::string_view name) const;

 private:
  template <typename D>
  friend struct detail::DialectInstance;
  // The dialect class's kMaxIdentifierLength and kIdentifierLengthUnit.
  size_t max_identifier_length_ = 0;
  LengthUnit identifier_length_unit_ = LengthUnit::kBytes;
};

// ---- Dispatch ----------------------------------------------------------------

inline Statements SqlDialect::render(const retort_operation& raw) const {
  retort_operation op = detail::sized_copy(raw);
  if (op.column_count > 0 && op.columns == nullptr) {
    throw DialectError::invalid("the operation counts columns but gives none");
  }
  if (op.column_name_count > 0 && op.column_names == nullptr) {
    throw DialectError::invalid("the operation counts column names but gives none");
  }
  std::vector<retort_column> columns;
  columns.reserve(op.column_count);
  for (size_t i = 0; i < op.column_count; ++i) {
    if (op.columns[i] == nullptr) throw DialectError::invalid("the operation has a null column");
    columns.push_back(detail::sized_copy(*op.columns[i]));
  }
  std::vector<const retort_column*> pointers;
  for (const retort_column& column : columns) pointers.push_back(&column);
  op.columns = pointers.data();

  if (op.constraint_count > 0 && op.constraints == nullptr) {
    throw DialectError::invalid("the operation counts constraints but gives none");
  }
  std::vector<retort_constraint> constraints;
  constraints.reserve(op.constraint_count);
  for (size_t i = 0; i < op.constraint_count; ++i) {
    if (op.constraints[i] == nullptr)
      throw DialectError::invalid("the operation has a null constraint");
    constraints.push_back(detail::sized_copy(*op.constraints[i]));
    const retort_constraint& c = constraints.back();
    if ((c.column_count > 0 && c.columns == nullptr) ||
        (c.referred_column_count > 0 && c.referred_columns == nullptr)) {
      throw DialectError::invalid("a constraint counts columns but gives none");
    }
  }
  std::vector<const retort_constraint*> constraint_pointers;
  for (const retort_constraint& c : constraints) constraint_pointers.push_back(&c);
  op.constraints = constraint_pointers.data();

  retort_column existing{};
  if (op.existing_column != nullptr) {
    existing = detail::sized_copy(*op.existing_column);
    op.existing_column = &existing;
  }
  if (op.row_count > 0 && op.column_count > 0 && op.values == nullptr) {
    throw DialectError::invalid("the operation counts rows but gives no values");
  }

  switch (op.kind) {
    case RETORT_OP_CREATE_TABLE:
      return render_create_table(op);
    case RETORT_OP_DROP_TABLE:
      return render_drop_table(op);
    case RETORT_OP_ADD_COLUMN:
      return render_add_column(op);
    case RETORT_OP_DROP_COLUMN:
      return render_drop_column(op);
    case RETORT_OP_CREATE_INDEX:
      return render_create_index(op);
    case RETORT_OP_DROP_INDEX:
      return render_drop_index(op);
    case RETORT_OP_EXECUTE:
      return render_execute(op);
    case RETORT_OP_RENAME_TABLE:
      return render_rename_table(op);
    case RETORT_OP_ALTER_COLUMN:
      return render_alter_column(op);
    case RETORT_OP_CREATE_CONSTRAINT:
      return render_create_constraint(op);
    case RETORT_OP_DROP_CONSTRAINT:
      return render_drop_constraint(op);
    case RETORT_OP_CREATE_TABLE_COMMENT:
      return render_create_table_comment(op);
    case RETORT_OP_DROP_TABLE_COMMENT:
      return render_drop_table_comment(op);
    case RETORT_OP_BULK_INSERT:
      return render_bulk_insert(op);
    case RETORT_OP_CREATE_VERSION_TABLE:
      return render_create_version_table(op);
    case RETORT_OP_INSERT_VERSION:
      return render_insert_version(op);
    case RETORT_OP_UPDATE_VERSION:
      return render_update_version(op);
    case RETORT_OP_DELETE_VERSION:
      return render_delete_version(op);
    case RETORT_OP_SELECT_VERSIONS:
      return render_select_versions(op);
    case RETORT_OP_TRY_LOCK:
      return render_try_lock(op);
    case RETORT_OP_RELEASE_LOCK:
      return render_release_lock(op);
    case RETORT_OP_LOCK_HOLDER:
      return render_lock_holder(op);
    case RETORT_OP_WAIT_LOCK:
      return render_wait_lock(op);
    case RETORT_OP_REFLECT_TABLES:
      return render_reflect_tables(op);
    case RETORT_OP_REFLECT_COLUMNS:
      return render_reflect_columns(op);
    case RETORT_OP_REFLECT_CONSTRAINTS:
      return render_reflect_constraints(op);
    case RETORT_OP_REFLECT_INDEXES:
      return render_reflect_indexes(op);
  }
  throw DialectError::unsupported("unknown operation kind " + std::to_string(op.kind));
}

// ---- Names and literals ------------------------------------------------------

inline std::string SqlDialect::quote_identifier(std::string_view name) const {
  check_identifier(name);
  check_identifier_characters(name);
  if (!requires_quotes(name)) return std::string(name);
  const IdentifierQuotes quotes = identifier_quotes();
  return detail::enclose(name, quotes.open, quotes.close);
}

inline void SqlDialect::check_identifier(std::string_view name) const {
  if (name.empty()) throw DialectError::invalid("an identifier cannot be empty");
  if (name.find('\0') != std::string_view::npos) {
    throw DialectError::invalid("an identifier cannot hold a NUL character");
  }
  if (max_identifier_length_ == 0) return;
  const bool bytes = identifier_length_unit_ == LengthUnit::kBytes;
  size_t length = name.size();
  if (!bytes) {
    // UTF-8: every byte but a continuation byte (10xxxxxx) starts a character.
    length = 0;
    for (char c : name) length += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
  }
  if (length <= max_identifier_length_) return;
  const std::string unit = bytes ? " bytes" : " characters";
  throw DialectError::invalid("identifier " + in_quotes(name) + " exceeds maximum length of " +
                              std::to_string(max_identifier_length_) + unit + " (it has " +
                              std::to_string(length) + "); choose a shorter name");
}

inline bool SqlDialect::requires_quotes(std::string_view name) const {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return true;
  for (char c : name) {
    const bool legal = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!legal) return true;
  }
  return is_reserved_word(name);
}

inline bool SqlDialect::is_reserved_word(std::string_view word) const {
  return detail::contains(detail::kSqlReservedWords, word);
}

inline std::string SqlDialect::qualified_name(retort_str schema, std::string_view name) const {
  if (is_absent(schema)) return quote_identifier(name);
  return quote_identifier(to_view(schema)) + "." + quote_identifier(name);
}

inline std::string SqlDialect::quote_literal(std::string_view text) const {
  if (text.find('\0') != std::string_view::npos) {
    throw DialectError::invalid("a string literal cannot hold a NUL character");
  }
  if (!backslash_escapes()) return detail::enclose(text, '\'');
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

inline std::string_view SqlDialect::required(retort_str value, std::string_view what) {
  if (to_view(value).empty()) {
    throw DialectError::invalid("the operation has no " + std::string(what));
  }
  return to_view(value);
}

inline std::string SqlDialect::table_name(const retort_operation& op) const {
  return qualified_name(op.schema, required(op.table, "table name"));
}

inline std::string SqlDialect::version_literal(retort_str version, std::string_view what) const {
  return quote_literal(required(version, what));
}

namespace detail {
// The statement sink of the render call in progress, for query().
inline const retort_statement_sink*& current_statement_sink() {
  thread_local const retort_statement_sink* sink = nullptr;
  return sink;
}
}  // namespace detail

inline bool SqlDialect::can_query() const {
  const retort_statement_sink* sink = detail::current_statement_sink();
  return sink != nullptr && sink->struct_size > offsetof(retort_statement_sink, query) &&
         sink->query != nullptr;
}

inline Rows SqlDialect::query(std::string_view sql) const {
  if (!can_query()) {
    throw DialectError::unsupported(
        "this operation must read the database, which an offline "
        "(--sql) script cannot do");
  }
  const retort_statement_sink* sink = detail::current_statement_sink();
  detail::RowCollector rows;
  const int status = sink->query(sink->ctx, sql.data(), sql.size(), rows.get());
  if (status != RETORT_OK) throw detail::HostAborted{status};
  return rows.take();
}

inline void SqlDialect::log(int level, std::string_view message) const {
  detail::host_log(detail::plugin_host(), level, message);
}

}  // namespace abi1
}  // namespace retort

#include <retort/dialect_alter.hpp>
#include <retort/dialect_entry.hpp>
#include <retort/dialect_literals.hpp>
#include <retort/dialect_render.hpp>

#endif  // RETORT_SDK_DIALECT_HPP
