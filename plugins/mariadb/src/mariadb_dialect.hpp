// mariadb_native: a retort dialect for MariaDB 10.5 and later that makes
// migrations re-runnable. MariaDB cannot roll DDL back, so a revision that
// fails half-way leaves its first statements applied; every DDL statement
// here carries MariaDB's IF [NOT] EXISTS (which MySQL lacks for columns and
// indexes), so running the revision again skips what is already done.
// Private to the plugin; only retort_plugin_entry is exported.
#ifndef MARIADB_NATIVE_DIALECT_HPP
#define MARIADB_NATIVE_DIALECT_HPP

#include <retort/dialect.hpp>

#include <string>
#include <string_view>

namespace mariadb_native {

class MariadbDialect : public retort::SqlDialect {
 public:
  // "mariadbx" is this plugin's own. "mariadb" is also served by the built-in
  // mysql dialect, on purpose: the host's configuration chooses between them.
  static constexpr const char* kUrlSchemes[] = {"mariadbx", "mariadb", nullptr};
  // A CREATE or ALTER commits the open transaction and survives ROLLBACK.
  static constexpr uint32_t kFlags = 0;
  static constexpr const char* kBeginTransaction = "START TRANSACTION";

  std::string connection_string(const retort::Url& url) const override;

  // IF [NOT] EXISTS everywhere: re-running a half-applied revision is safe.
  retort::Statements render_create_table(const retort_operation& op) const override;
  retort::Statements render_drop_table(const retort_operation& op) const override;
  retort::Statements render_add_column(const retort_operation& op) const override;
  retort::Statements render_drop_column(const retort_operation& op) const override;
  retort::Statements render_create_index(const retort_operation& op) const override;
  retort::Statements render_drop_index(const retort_operation& op) const override;

  // Left to the built-in mysql dialect: refused with a hint.
  retort::Statements render_rename_table(const retort_operation& op) const override;
  retort::Statements render_alter_column(const retort_operation& op) const override;
  retort::Statements render_create_constraint(const retort_operation& op) const override;
  retort::Statements render_drop_constraint(const retort_operation& op) const override;
  retort::Statements render_create_table_comment(const retort_operation& op) const override;
  retort::Statements render_drop_table_comment(const retort_operation& op) const override;
  retort::Statements render_bulk_insert(const retort_operation& op) const override;

  // `name` with ` doubled, always: no reserved-word list to keep current.
  bool requires_quotes(std::string_view) const override { return true; }
  retort::IdentifierQuotes identifier_quotes() const override { return {'`', '`'}; }
  // 'text' with ' and \ doubled (backslash escapes are on by default).
  bool backslash_escapes() const override { return true; }
  std::string type_name(const retort_column& column) const override;
  std::string column_definition(const retort_column& column) const override;
  std::string default_expression(std::string_view expression) const override;
  std::string autoincrement_clause(const retort_column& column) const override;
};

}  // namespace mariadb_native

#endif  // MARIADB_NATIVE_DIALECT_HPP
