// The MySQL/MariaDB dialect (MySQL 8, MariaDB 10.11): one plugin for the URL
// schemes mysql:// and mariadb://, through the MariaDB ODBC driver. It
// differs from generic SQL in its quoting (`backticks`, and '\' escapes in
// string literals), its types, AUTO_INCREMENT, comments written inside the
// DDL, alter_column restating the whole column (MODIFY/CHANGE), one DROP
// form per kind of constraint, and indexes dropped ON their table.
//
// Nothing here knows at render time whether the server is MySQL or MariaDB,
// so every statement is one that both accept.
#ifndef RETORT_DIALECTS_MYSQL_DIALECT_HPP
#define RETORT_DIALECTS_MYSQL_DIALECT_HPP

#include <retort/dialect.hpp>
#include <retort/text.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort_mysql {

using retort::Statements;

class MysqlDialect : public retort::SqlDialect {
 public:
  // ---- Traits.
  static constexpr const char* kUrlSchemes[] = {"mysql", "mariadb", nullptr};
  // CREATE, ALTER and DROP commit the open transaction implicitly and
  // survive ROLLBACK (seen through the MariaDB ODBC driver), as in Alembic's
  // MySQLImpl (transactional_ddl=False). The host then writes no BEGIN and
  // COMMIT around an offline script.
  // Tables and columns carry comments, which autogenerate compares.
  static constexpr uint32_t kFlags = RETORT_DIALECT_COMMENTS;
  static constexpr const char* kStatementTerminator = ";";
  // The mysql/mariadb clients run a script statement by statement.
  static constexpr const char* kBatchSeparator = nullptr;
  // Used only if a caller forces a transaction. START TRANSACTION is the
  // form both servers document; BEGIN means BEGIN ... END inside a stored
  // program.
  static constexpr const char* kBeginTransaction = "START TRANSACTION";
  static constexpr const char* kCommitTransaction = "COMMIT";
  // Both servers count a name's length in characters and refuse one longer
  // than 64 (ER_TOO_LONG_IDENT).
  static constexpr size_t kMaxIdentifierLength = 64;
  static constexpr retort::LengthUnit kIdentifierLengthUnit = retort::LengthUnit::kCharacters;

  // ---- Connections (mysql_dialect.cpp).
  std::string connection_string(const retort::Url& url) const override;

  // ---- Names and literals (mysql_dialect.cpp).
  // `name`, with ` doubled (MySQL's quoting; "..." is a string unless
  // ANSI_QUOTES is set).
  retort::IdentifierQuotes identifier_quotes() const override { return {'`', '`'}; }
  bool is_reserved_word(std::string_view word) const override;
  // Both servers read \ as an escape inside '...' unless sql_mode has
  // NO_BACKSLASH_ESCAPES (under which each backslash would be stored twice;
  // SQLAlchemy makes the same assumption).
  bool backslash_escapes() const override { return true; }
  std::string boolean_literal(bool value) const override { return value ? "1" : "0"; }
  std::string text_literal(std::string_view text, const retort_column& column) const override;

  // ---- Types and columns (mysql_dialect.cpp).
  std::string type_name(const retort_column& column) const override;
  std::string column_definition(const retort_column& column) const override;
  std::string default_expression(std::string_view expression) const override;
  std::string autoincrement_clause(const retort_column& /*column*/) const override {
    return "AUTO_INCREMENT";
  }
  // Comments go inside CREATE TABLE: nothing runs after it.
  Statements after_create_table(const retort_operation& /*op*/) const override { return {}; }

  // ---- Tables and columns (mysql_dialect.cpp).
  Statements render_create_table(const retort_operation& op) const override;
  Statements render_add_column(const retort_operation& op) const override;
  Statements render_rename_table(const retort_operation& op) const override;

  // ---- Comments, constraints, indexes, alter_column (mysql_alter.cpp).
  std::string table_comment_statement(const retort_operation& op,
                                      retort_str comment) const override;
  std::string column_comment_statement(const retort_operation& op, std::string_view column,
                                       retort_str comment) const override;
  std::string referential_action(uint32_t action) const override;
  Statements render_drop_constraint(const retort_operation& op) const override;
  Statements drop_foreign_key(const retort_operation& op, const std::string& prefix,
                              const std::string& name) const;
  Statements render_create_index(const retort_operation& op) const override;
  Statements render_drop_index(const retort_operation& op) const override;
  Statements render_alter_column(const retort_operation& op) const override;

  // ---- The migration lock (mysql_lock.cpp): GET_LOCK, server-wide, so the
  // key joins the host's name to the session's DATABASE().
  Statements render_try_lock(const retort_operation& op) const override;
  Statements render_release_lock(const retort_operation& op) const override;
  Statements render_lock_holder(const retort_operation& op) const override;
  Statements render_wait_lock(const retort_operation& op) const override;

  // ---- Autogenerate: the catalog, from information_schema (mysql_catalog.cpp).
  Statements render_reflect_tables(const retort_operation& op) const override;
  Statements render_reflect_columns(const retort_operation& op) const override;
  Statements render_reflect_constraints(const retort_operation& op) const override;
  Statements render_reflect_indexes(const retort_operation& op) const override;
  std::optional<bool> type_differs(const retort_column& model,
                                   std::string_view reflected) const override;
  retort::Type reflected_type(std::string_view spelling) const override;
  std::string lock_key(const retort_operation& op) const;

 private:
  // column_definition with an explicit NULL for a nullable column, as
  // MODIFY and CHANGE write it.
  std::string full_definition(const retort_column& column, bool explicit_null) const;
};

}  // namespace retort_mysql

#endif  // RETORT_DIALECTS_MYSQL_DIALECT_HPP
