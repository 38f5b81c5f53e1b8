// The Oracle dialect (Oracle Database 12.2 and later: identity columns and
// 128-byte identifiers). It differs from generic SQL in:
//
// - Scripts: SQL*Plus style, as Alembic writes them. A statement has no ';'
//   (in SQL*Plus a ';' would run it and the '/' line would run it again) and
//   is followed by a line holding '/'. DDL commits implicitly, so there is no
//   BEGIN/COMMIT around a migration.
// - Connections: Oracle Instant Client's ODBC driver (see connection_string).
// - Names: unquoted names fold to UPPER case, so the generic rule (bare when
//   lower case, else quoted) works as SQLAlchemy's does. At most 128 bytes;
//   no '"' even when quoted.
// - Types: BIGINT is NUMBER(19), NUMERIC is NUMBER, STRING is VARCHAR2(n CHAR)
//   (character, not byte, semantics, as SQLAlchemy and Alembic's version
//   table use), UNICODE NVARCHAR2(n), TEXT CLOB, DATETIME TIMESTAMP, BINARY
//   BLOB or RAW(n), BOOLEAN SMALLINT holding 1/0 (no CHECK: SQLAlchemy 1.4
//   adds none either), JSON CLOB (the JSON type needs 21c; CLOB holds JSON
//   text on every release), UUID CHAR(32) (32 hex digits, as SQLAlchemy).
//   Oracle has no TIME type: a TIME column is INTERVAL DAY(0) TO SECOND(6),
//   the time since midnight (SQLAlchemy would emit TIME, which Oracle
//   refuses), and a time value is written INTERVAL '0 10:11:12' DAY TO SECOND.
// - Literals: booleans 1/0, bytes HEXTORAW('0aff'), DATE '...', TIMESTAMP '...'.
//   SQL*Plus reads a script line by line before the server sees it, and
//   under its defaults misreads a literal that spans lines (a blank line
//   ends the statement, and so do a line '/' and a line ending in ';') or
//   holds '&' (a substitution variable). The script cannot SET them off: the
//   ABI gives a dialect no prologue, and no BEGIN is written for Oracle. So
//   every literal is written on one line without '&': a line break or '&' in
//   a value stands outside the quotes as CHR(10) or CHR(38), joined with ||.
//   Only SQL the revision writes itself (execute, Check, sql(...)) is left
//   as it stands.
// - ALTER: ADD without COLUMN; MODIFY (c ...) for type, nullability and
//   default (DEFAULT NULL drops one); COMMENT ... IS '' drops a comment.
// - Indexes: expression indexes, but no partial ones; an index in another
//   schema is named with that schema.
// - Foreign keys: ON DELETE CASCADE or SET NULL only, no ON UPDATE.
#ifndef RETORT_DIALECTS_ORACLE_DIALECT_HPP
#define RETORT_DIALECTS_ORACLE_DIALECT_HPP

#include <retort/dialect.hpp>
#include <retort/text.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort_oracle {

using retort::Statements;

class OracleDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"oracle", nullptr};
  // Every DDL statement commits the transaction before and after it, so a
  // failed migration cannot be rolled back (Alembic: transactional_ddl=False).
  // Tables and columns carry comments, which autogenerate compares.
  static constexpr uint32_t kFlags = RETORT_DIALECT_COMMENTS;
  // SQL*Plus: no ';' after a statement, a '/' line runs it (Alembic's
  // command_terminator="" and batch_separator="/").
  static constexpr const char* kStatementTerminator = "";
  static constexpr const char* kBatchSeparator = "/";
  // Used only if a host forces a transaction: Alembic's Oracle text.
  static constexpr const char* kBeginTransaction = "SET TRANSACTION READ WRITE";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // Oracle 12.2 raised the limit from 30 bytes; the server refuses a longer
  // name (ORA-00972).
  static constexpr size_t kMaxIdentifierLength = 128;
  static constexpr retort::LengthUnit kIdentifierLengthUnit = retort::LengthUnit::kBytes;

  // ---- Connections (oracle_dialect.cpp).
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names and literals (oracle_dialect.cpp).
  // No '"' (Oracle names cannot hold one) and nothing SQL*Plus misreads.
  void check_identifier_characters(std::string_view name) const override;
  bool is_reserved_word(std::string_view lower_case_word) const override;
  // 'text', or ('a' || CHR(10) || 'b') when it holds a line break or '&':
  // an expression, which is fine wherever a value goes but not where Oracle
  // wants a literal (COMMENT ... IS; see sqlplus_safe).
  std::string quote_literal(std::string_view text) const override;

  // ---- Types, columns and literals (oracle_types.cpp).
  std::string type_name(const retort_column& column) const override;
  std::string version_column_type() const override { return "VARCHAR2(32 CHAR)"; }
  std::string boolean_literal(bool value) const override { return value ? "1" : "0"; }
  std::string binary_literal(std::string_view bytes) const override;
  std::string text_literal(std::string_view text, const retort_column& column) const override;

  // ---- Operations (oracle_alter.cpp).
  std::string add_column_keyword() const override { return "ADD"; }
  Statements render_alter_column(const retort_operation& op) const override;
  Statements render_create_index(const retort_operation& op) const override;
  std::string referential_action(uint32_t action) const override;
  std::string constraint_body(const retort_constraint& constraint) const override;
  std::string table_comment_statement(const retort_operation& op,
                                      retort_str comment) const override;
  std::string column_comment_statement(const retort_operation& op, std::string_view column,
                                       retort_str comment) const override;

  // ---- The migration lock (oracle_lock.cpp).
  Statements render_try_lock(const retort_operation& op) const override;
  Statements render_release_lock(const retort_operation& op) const override;
  Statements render_lock_holder(const retort_operation& op) const override;
  Statements render_wait_lock(const retort_operation& op) const override;

  // ---- Autogenerate: the catalog (oracle_catalog.cpp).
  Statements render_reflect_tables(const retort_operation& op) const override;
  Statements render_reflect_columns(const retort_operation& op) const override;
  Statements render_reflect_constraints(const retort_operation& op) const override;
  Statements render_reflect_indexes(const retort_operation& op) const override;
  // NUMBER stands for every integer and decimal type: they compare equal.
  std::optional<bool> type_differs(const retort_column& model,
                                   std::string_view reflected) const override;

 private:
  // `statement` as it stands, or, when SQL*Plus could misread it (a line
  // break or '&' in a literal it must keep as a literal), run by a PL/SQL
  // block whose EXECUTE IMMEDIATE gets its text as quote_literal spells it.
  std::string sqlplus_safe(const std::string& statement) const;
  // The lock's name as ALLOCATE_UNIQUE takes it, so a runner and a script
  // get the same handle and contend for the same lock.
  std::string lock_name_literal(const retort_operation& op) const {
    return quote_literal(required(op.name, "lock name"));
  }
};

}  // namespace retort_oracle

#endif  // RETORT_DIALECTS_ORACLE_DIALECT_HPP
