// The SQL Server (T-SQL) dialect's class, shared by its two sources:
// mssql_dialect.cpp (traits, connections, names, types, literals, indexes)
// and mssql_alter.cpp (columns, defaults, renames and comments, which SQL
// Server changes through constraints and stored procedures).
//
// Literals: sqlcmd reads a script line by line before the server sees it. A
// line GO inside a literal would end the batch there (so would EXIT, QUIT,
// :r and sqlcmd's other line commands), and $(name) anywhere is a scripting
// variable. So a value never starts a line: its line breaks stand outside
// the quotes as CHAR(10) (NCHAR(10) beside N'...'), joined by CONCAT, and so
// does the '$' of a "$(". Where T-SQL takes only a literal or a variable
// (EXEC's arguments), such a value goes through a variable.
#ifndef RETORT_DIALECTS_MSSQL_DIALECT_HPP
#define RETORT_DIALECTS_MSSQL_DIALECT_HPP

#include <retort/dialect.hpp>
#include <retort/text.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort_mssql {

using retort::Statements;

// What a revision knows of the comment an operation replaces.
enum class Known { kAbsent, kPresent, kUnknown };

class MssqlDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"mssql", nullptr};
  // SQL Server rolls CREATE, ALTER and DROP back with the transaction.
  // Tables and columns carry comments (MS_Description), which autogenerate compares.
  static constexpr uint32_t kFlags = RETORT_DIALECT_TRANSACTIONAL_DDL | RETORT_DIALECT_COMMENTS;
  static constexpr const char* kStatementTerminator = ";";
  // sqlcmd and SSMS run a script batch by batch; a GO after every statement
  // (as Alembic writes) lets each DECLARE block below start a fresh batch.
  static constexpr const char* kBatchSeparator = "GO";
  static constexpr const char* kBeginTransaction = "BEGIN TRANSACTION";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // A name is a sysname, NVARCHAR(128); the server refuses a longer one.
  static constexpr size_t kMaxIdentifierLength = 128;
  static constexpr retort::LengthUnit kIdentifierLengthUnit = retort::LengthUnit::kCharacters;

  // ---- Connections (mssql_dialect.cpp).
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names, types and literals (mssql_dialect.cpp).
  // [name] with ']' doubled, only when needed, as Alembic's mssql writes
  // names; never one that sqlcmd would misread.
  retort::IdentifierQuotes identifier_quotes() const override { return {'[', ']'}; }
  void check_identifier_characters(std::string_view name) const override;
  bool is_reserved_word(std::string_view word) const override;
  std::string type_name(const retort_column& column) const override;
  std::string column_definition(const retort_column& column) const override;
  std::string default_clause(const retort_column& column) const override;
  std::string autoincrement_clause(const retort_column& column) const override;
  std::string referential_action(uint32_t action) const override;
  std::string index_element(retort_str element, uint32_t flags) const override;
  // 'text', or CONCAT('a', CHAR(10), 'b') as the top of this file says.
  std::string quote_literal(std::string_view text) const override;
  std::string boolean_literal(bool value) const override { return value ? "1" : "0"; }
  std::string binary_literal(std::string_view bytes) const override;
  std::string text_literal(std::string_view text, const retort_column& column) const override;

  Statements render_drop_index(const retort_operation& op) const override;
  // Values for an IDENTITY column (marked autoincrement among bulk_insert's
  // columns) need SET IDENTITY_INSERT around the INSERTs.
  Statements render_bulk_insert(const retort_operation& op) const override;

  // ---- Columns, renames and comments (mssql_alter.cpp).
  Statements render_add_column(const retort_operation& op) const override;
  Statements render_drop_column(const retort_operation& op) const override;
  Statements render_alter_column(const retort_operation& op) const override;
  Statements render_rename_table(const retort_operation& op) const override;
  Statements after_create_table(const retort_operation& op) const override;
  Statements render_create_table_comment(const retort_operation& op) const override;
  Statements render_drop_table_comment(const retort_operation& op) const override;

  // ---- The migration lock (mssql_lock.cpp).
  Statements render_try_lock(const retort_operation& op) const override;
  Statements render_release_lock(const retort_operation& op) const override;
  Statements render_lock_holder(const retort_operation& op) const override;
  Statements render_wait_lock(const retort_operation& op) const override;

  // ---- Autogenerate: the catalog (mssql_catalog.cpp).
  Statements render_reflect_tables(const retort_operation& op) const override;
  Statements render_reflect_columns(const retort_operation& op) const override;
  Statements render_reflect_constraints(const retort_operation& op) const override;
  Statements render_reflect_indexes(const retort_operation& op) const override;

 private:
  // Online, refuses values for the table's identity column when none of
  // bulk_insert's columns is marked autoincrement.
  void check_no_identity(const retort_operation& op) const;
  // The lock's application resource, as sp_getapplock and sp_releaseapplock
  // take it, so a runner and a script contend for the same lock.
  std::string lock_resource(const retort_operation& op) const {
    return plain_unicode_literal(required(op.name, "lock name"));
  }
  // N'text', a Unicode string literal, or CONCAT(N'a', NCHAR(10), N'b') as
  // quote_literal writes one.
  std::string unicode_literal(std::string_view text) const;
  // N'text' as it stands, for what takes only a literal (EXEC's arguments,
  // THROW's message): names and lock names, never a value. Refuses text
  // that sqlcmd would misread, as names are refused.
  std::string plain_unicode_literal(std::string_view text) const;
  // CONCAT('a', CHAR(10), 'b'): `text` spelled as the top of this file says,
  // each piece `prefix`'a', each spelled character `spell`(n), and the first
  // piece CAST to `max_type` when the whole could pass 8000 bytes.
  std::string spelled_literal(std::string_view text, std::string_view prefix,
                              std::string_view spell, std::string_view max_type) const;
  // The T-SQL block that drops the default constraint of `column`, if any:
  // its name is chosen by the server, so it is looked up at run time.
  std::string drop_default_block(const retort_operation& op, std::string_view column) const;
  // Sets (comment present) or drops (absent) the MS_Description extended
  // property of the table, or of its column when `column` is not empty.
  std::string comment_statement(const retort_operation& op, std::string_view column,
                                retort_str comment, Known existing) const;
};

}  // namespace retort_mssql

#endif  // RETORT_DIALECTS_MSSQL_DIALECT_HPP
