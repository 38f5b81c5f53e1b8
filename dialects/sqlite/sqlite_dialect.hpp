// The SQLite dialect's class, and the model of a table that its batch
// rebuild ("move and copy", Alembic's batch mode) works from. SQLite's ALTER
// TABLE only renames, adds and drops columns; every other change creates the
// new table, copies the rows, drops the old one and renames the new one.
//
// SQLite has no session lock, so the migration lock is the write transaction
// itself (RETORT_DIALECT_LOCK_IS_TRANSACTION): TRY_LOCK is BEGIN IMMEDIATE,
// RELEASE_LOCK is COMMIT. IMMEDIATE rather than EXCLUSIVE, because other
// connections may still read (`retort current` while a migration runs)
// while writers, another runner among them, are kept out; in WAL mode the
// two are the same.
#ifndef RETORT_DIALECTS_SQLITE_DIALECT_HPP
#define RETORT_DIALECTS_SQLITE_DIALECT_HPP

#include <retort/dialect.hpp>
#include <retort/text.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort_sqlite {

// ---- The model of a table -------------------------------------------------
// What a rebuild needs to write the table again: its columns, constraints
// and indexes, as SQL text. One per table name, read from the database
// online, or kept from the operations rendered earlier in this run offline.

struct ColumnModel {
  std::string name;
  std::string type;  // as SQLite shows it: "VARCHAR(200)", may be ""
  bool not_null = false;
  std::optional<std::string> default_sql;  // the SQL after DEFAULT: "'0'", "CURRENT_TIMESTAMP"
  bool autoincrement = false;              // INTEGER PRIMARY KEY AUTOINCREMENT, inline
  std::string collation;                   // COLLATE <name>, read online only
  // While a rebuild is rendered: the old column the rows come from ("" for a
  // new column), and whether the value is CAST to the new type.
  std::string source;
  bool cast = false;
};

struct ConstraintModel {
  uint32_t kind = 0;  // RETORT_CONSTRAINT_*
  std::string name;   // "" when unnamed
  std::vector<std::string> columns;
  std::string referred_table;
  std::vector<std::string> referred_columns;
  uint32_t on_delete = RETORT_REFERENTIAL_UNSPECIFIED;
  uint32_t on_update = RETORT_REFERENTIAL_UNSPECIFIED;
  std::string condition;  // CHECK
};

struct IndexModel {
  std::string name;
  std::string sql;  // the CREATE INDEX statement, replayed after a rebuild
};

struct TableModel {
  std::string schema;  // "" for main
  std::string name;
  std::vector<ColumnModel> columns;
  std::vector<ConstraintModel> constraints;  // the primary key, if any, first
  std::vector<IndexModel> indexes;
  std::string options;  // "WITHOUT ROWID", "STRICT", read online only

  ColumnModel* column(std::string_view name);
  const ConstraintModel* primary_key() const;
};

// ---- Text helpers (sqlite_model.cpp) --------------------------------------

// SQLite's lexical classes (sqlite_dialect.cpp); a word is retort::is_word.
using retort::is_word;
bool is_number(std::string_view text);
bool is_string_literal(std::string_view text);

// SQLite compares names without case (ASCII only, as SQLite folds them).
inline bool same_name(std::string_view a, std::string_view b) {
  return retort::equals_ignoring_case(a, b);
}

// A token of SQL text; an identifier's text is unquoted.
struct Token {
  enum Kind { kWord, kIdentifier, kString, kPunctuation } kind;
  std::string text;
  size_t begin, end;  // where it stands in the text
};
// Words, quoted identifiers, 'strings' and single punctuation characters;
// white space and comments are skipped.
std::vector<Token> tokenize(std::string_view sql);

// Where rename_identifier looks: everywhere, or only after (or before) the
// first '(' (a CREATE INDEX's columns, or its index and table names).
enum class Scope { kAll, kAfterParen, kBeforeParen };
// SQL with every identifier token equal to `from` (bare or quoted, not a
// function name) replaced by `to`, which is written as given.
std::string rename_identifier(std::string_view sql, std::string_view from, std::string_view to,
                              Scope scope);

// The parts of a CREATE TABLE statement (sqlite_reflect.cpp).
struct ParsedItem {
  uint32_t kind = 0;  // RETORT_CONSTRAINT_*, 0 for a column-level name we do not need
  std::string name;
  std::vector<std::string> columns;
  std::string condition;
};
struct ParsedTable {
  std::vector<ParsedItem> items;  // table constraints, then column-level ones
  std::vector<std::string> autoincrement_columns;
  std::vector<std::pair<std::string, std::string>> collations;  // column, COLLATE name
  std::string options;  // after the definition: "WITHOUT ROWID", "STRICT"
};
ParsedTable parse_create_table(std::string_view sql);

class SqliteDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"sqlite", nullptr};
  // SQLite rolls CREATE, ALTER and DROP back with the transaction around
  // them (verified through the SQLite3 ODBC driver). Alembic turns this off
  // only because Python's sqlite3 module commits before DDL. The migration
  // lock is a transaction (see the top of this file).
  static constexpr uint32_t kFlags =
      RETORT_DIALECT_TRANSACTIONAL_DDL | RETORT_DIALECT_LOCK_IS_TRANSACTION;
  static constexpr const char* kStatementTerminator = ";";
  // The sqlite3 shell runs a script statement by statement: no batches.
  static constexpr const char* kBatchSeparator = nullptr;
  static constexpr const char* kBeginTransaction = "BEGIN";
  static constexpr const char* kCommitTransaction = "COMMIT";

  // ---- Connections.
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names and types.
  bool is_reserved_word(std::string_view word) const override;
  std::string type_name(const retort_column& column) const override;

  // ---- Columns.
  std::string column_definition(const retort_column& column) const override;
  std::string default_expression(std::string_view expression) const override;
  // The key goes inline, after NOT NULL (see column_definition).
  std::string autoincrement_clause(const retort_column& /*column*/) const override { return {}; }
  std::vector<std::string> table_constraints(const retort_operation& op) const override;

  // ---- Comments: SQLite has none, so they are left out, as Alembic does.
  retort::Statements after_create_table(const retort_operation& /*op*/) const override {
    return {};
  }
  retort::Statements render_create_table_comment(const retort_operation& /*op*/) const override {
    return {};
  }
  retort::Statements render_drop_table_comment(const retort_operation& /*op*/) const override {
    return {};
  }

  // ---- Literals: SQLite stores dates and times as text, and has no
  // DATE '...' syntax; booleans are 1 and 0.
  std::string boolean_literal(bool value) const override { return value ? "1" : "0"; }
  std::string text_literal(std::string_view text, const retort_column& column) const override;

  // ---- Operations. Each one also updates the model of its table, which
  // an offline script rebuilds from (sqlite_model.cpp).
  retort::Statements render_create_table(const retort_operation& op) const override;
  retort::Statements render_drop_table(const retort_operation& op) const override;
  retort::Statements render_rename_table(const retort_operation& op) const override;
  retort::Statements render_add_column(const retort_operation& op) const override;
  retort::Statements render_drop_column(const retort_operation& op) const override;
  retort::Statements render_create_index(const retort_operation& op) const override;
  retort::Statements render_drop_index(const retort_operation& op) const override;
  // ALTER TABLE renames a column; every other change rebuilds the table
  // (sqlite_batch.cpp).
  retort::Statements render_alter_column(const retort_operation& op) const override;
  retort::Statements render_create_constraint(const retort_operation& op) const override;
  retort::Statements render_drop_constraint(const retort_operation& op) const override;

  // ---- The migration lock: a transaction (see the top of this file). The
  // host retries BEGIN IMMEDIATE while it fails with "database is locked".
  // SQLite keeps no record of who holds it.
  retort::Statements render_try_lock(const retort_operation& /*op*/) const override {
    return {"BEGIN IMMEDIATE"};
  }
  retort::Statements render_release_lock(const retort_operation& /*op*/) const override {
    return {"COMMIT"};
  }
  retort::Statements render_lock_holder(const retort_operation& /*op*/) const override {
    return {};
  }

  // ---- Autogenerate: the catalog (sqlite_catalog.cpp). Constraint names,
  // CHECKs and referential actions live only in the CREATE TABLE text, so
  // columns and constraints come from the table's model (reflect), written
  // back as rows of a VALUES query; the tables and indexes from the pragmas.
  retort::Statements render_reflect_tables(const retort_operation& op) const override;
  retort::Statements render_reflect_columns(const retort_operation& op) const override;
  retort::Statements render_reflect_constraints(const retort_operation& op) const override;
  retort::Statements render_reflect_indexes(const retort_operation& op) const override;

 private:
  // ---- The model (sqlite_model.cpp).
  static std::string table_key(std::string_view schema, std::string_view table);
  static std::string table_key(const retort_operation& op);
  TableModel model_from_create(const retort_operation& op) const;
  ColumnModel column_model(const retort_column& column) const;
  static ConstraintModel constraint_from(const retort_constraint& c);
  std::optional<TableModel> known_table(const std::string& key) const;
  void remember(TableModel table) const;
  void forget(const std::string& key) const;
  // CREATE TABLE <name> (...) for the model's columns and constraints.
  std::string create_statement(const TableModel& table, std::string_view name) const;
  // A column renamed everywhere the model mentions it, here and in the
  // foreign keys of other tables.
  void rename_column(TableModel& table, std::string_view from, std::string_view to) const;

  // ---- Reading the database (sqlite_reflect.cpp).
  TableModel reflect(std::string_view schema, std::string_view table) const;
  // Refuses when PRAGMA foreign_keys is on, and a table with triggers.
  void check_rebuild_allowed(const TableModel& table) const;
  // Whether a view mentions the table; the rename then runs with
  // PRAGMA legacy_alter_table on, and a warning is logged.
  bool views_refer_to(const TableModel& table) const;
  // Runs the rebuild in a savepoint, checks its foreign keys, rolls back.
  // `copy` is the INSERT ... SELECT among the statements.
  void rehearse(const TableModel& table, const retort::Statements& statements,
                std::optional<size_t> copy) const;

  // ---- The rebuild (sqlite_batch.cpp).
  // The table's model now: read online, remembered offline.
  TableModel current_table(const retort_operation& op, std::string_view why) const;
  // The rebuild to `after`, whose columns name their sources; `before` are
  // statements that run first (a RENAME COLUMN) and are rehearsed with it.
  retort::Statements rebuild(const TableModel& after, retort::Statements before = {}) const;

  // The model of every table this run created or changed, by table_key.
  // render() is const and may be called from several threads: the map is
  // mutable and guarded.
  mutable std::mutex mutex_;
  mutable std::map<std::string, TableModel> tables_;
};

}  // namespace retort_sqlite

#endif  // RETORT_DIALECTS_SQLITE_DIALECT_HPP
