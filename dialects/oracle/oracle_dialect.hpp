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
// - ALTER: ADD without COLUMN; MODIFY (c ...) for type, nullability and
//   default (DEFAULT NULL drops one); COMMENT ... IS '' drops a comment.
// - Indexes: expression indexes, but no partial ones; an index in another
//   schema is named with that schema.
// - Foreign keys: ON DELETE CASCADE or SET NULL only, no ON UPDATE.
#ifndef RETORT_DIALECTS_ORACLE_DIALECT_HPP
#define RETORT_DIALECTS_ORACLE_DIALECT_HPP

#include <retort/dialect.hpp>

#include <cstdint>
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
  static constexpr uint32_t kFlags = 0;
  // SQL*Plus: no ';' after a statement, a '/' line runs it (Alembic's
  // command_terminator="" and batch_separator="/").
  static constexpr const char* kStatementTerminator = "";
  static constexpr const char* kBatchSeparator = "/";
  // Used only if a host forces a transaction: Alembic's Oracle text.
  static constexpr const char* kBeginTransaction = "SET TRANSACTION READ WRITE";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // Oracle 12.2 raised the limit from 30 bytes.
  static constexpr size_t kMaxIdentifierBytes = 128;

  // ---- Connections (oracle_dialect.cpp).
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names (oracle_dialect.cpp).
  std::string quote_identifier(std::string_view name) const override;
  bool is_reserved_word(std::string_view lower_case_word) const override;

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

 private:
  // The lock's name as ALLOCATE_UNIQUE takes it, so a runner and a script
  // get the same handle and contend for the same lock.
  std::string lock_name_literal(const retort_operation& op) const {
    return quote_literal(required(op.name, "lock name"));
  }
};

}  // namespace retort_oracle

#endif  // RETORT_DIALECTS_ORACLE_DIALECT_HPP
