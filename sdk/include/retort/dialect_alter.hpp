// SqlDialect's generic rendering of what ABI 1.1 added: constraints,
// comments, index expressions, rename_table and alter_column. The generic
// forms are standard SQL as PostgreSQL spells it; other dialects override.
// Part of dialect.hpp; include that.
#ifndef RETORT_DIALECT_ALTER_HPP
#define RETORT_DIALECT_ALTER_HPP

#include <retort/dialect.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

// ---- Constraints -------------------------------------------------------------

inline std::string SqlDialect::column_list(const retort_str* names, size_t count,
                                           std::string_view what) const {
  if (count == 0) throw DialectError::invalid(std::string(what) + " has no columns");
  std::vector<std::string> quoted;
  for (size_t i = 0; i < count; ++i)
    quoted.push_back(quote_identifier(required(names[i], "column name")));
  return "(" + detail::join(quoted, ", ") + ")";
}

inline std::string SqlDialect::referential_action(uint32_t action) const {
  switch (action) {
    case RETORT_REFERENTIAL_UNSPECIFIED:
      return {};
    case RETORT_REFERENTIAL_CASCADE:
      return "CASCADE";
    case RETORT_REFERENTIAL_SET_NULL:
      return "SET NULL";
    case RETORT_REFERENTIAL_SET_DEFAULT:
      return "SET DEFAULT";
    case RETORT_REFERENTIAL_RESTRICT:
      return "RESTRICT";
    case RETORT_REFERENTIAL_NO_ACTION:
      return "NO ACTION";
  }
  throw DialectError::unsupported("unknown referential action " + std::to_string(action));
}

inline std::string SqlDialect::constraint_body(const retort_constraint& c) const {
  const std::string what =
      is_absent(c.name) ? std::string("a constraint") : "constraint " + in_quotes(to_view(c.name));
  switch (c.kind) {
    case RETORT_CONSTRAINT_PRIMARY_KEY:
      return "PRIMARY KEY " + column_list(c.columns, c.column_count, what);
    case RETORT_CONSTRAINT_UNIQUE:
      return "UNIQUE " + column_list(c.columns, c.column_count, what);
    case RETORT_CONSTRAINT_FOREIGN_KEY: {
      if (c.column_count != c.referred_column_count) {
        throw DialectError::invalid(what + " has " + std::to_string(c.column_count) +
                                    " columns but refers to " +
                                    std::to_string(c.referred_column_count));
      }
      std::string out =
          "FOREIGN KEY " + column_list(c.columns, c.column_count, what) + " REFERENCES " +
          qualified_name(c.referred_schema, required(c.referred_table, "referred table")) + " " +
          column_list(c.referred_columns, c.referred_column_count, what);
      if (std::string action = referential_action(c.on_delete); !action.empty()) {
        out += " ON DELETE " + action;
      }
      if (std::string action = referential_action(c.on_update); !action.empty()) {
        out += " ON UPDATE " + action;
      }
      return out;
    }
    case RETORT_CONSTRAINT_CHECK:
      return "CHECK (" + std::string(required(c.condition, "check condition")) + ")";
  }
  throw DialectError::unsupported(what + " has unknown kind " + std::to_string(c.kind));
}

inline std::string SqlDialect::constraint_definition(const retort_constraint& c) const {
  std::string body = constraint_body(c);
  if (is_absent(c.name)) return body;
  return "CONSTRAINT " + quote_identifier(required(c.name, "constraint name")) + " " + body;
}

inline std::string SqlDialect::constraint_name(const retort_constraint& c,
                                               std::string_view what) const {
  return quote_identifier(required(c.name, std::string(what) + " name"));
}

inline Statements SqlDialect::render_create_constraint(const retort_operation& op) const {
  if (op.constraint_count != 1) throw DialectError::invalid("the operation has no constraint");
  return {"ALTER TABLE " + table_name(op) + " ADD " + constraint_definition(*op.constraints[0])};
}

inline Statements SqlDialect::render_drop_constraint(const retort_operation& op) const {
  if (op.constraint_count != 1) throw DialectError::invalid("the operation has no constraint");
  return {"ALTER TABLE " + table_name(op) + " DROP CONSTRAINT " +
          constraint_name(*op.constraints[0], "constraint")};
}

// ---- Comments ----------------------------------------------------------------

inline std::string SqlDialect::table_comment_statement(const retort_operation& op,
                                                       retort_str comment) const {
  return "COMMENT ON TABLE " + table_name(op) + " IS " +
         (is_absent(comment) ? std::string("NULL") : quote_literal(to_view(comment)));
}

inline std::string SqlDialect::column_comment_statement(const retort_operation& op,
                                                        std::string_view column,
                                                        retort_str comment) const {
  return "COMMENT ON COLUMN " + table_name(op) + "." + quote_identifier(column) + " IS " +
         (is_absent(comment) ? std::string("NULL") : quote_literal(to_view(comment)));
}

inline Statements SqlDialect::after_create_table(const retort_operation& op) const {
  Statements out;
  if (!is_absent(op.comment)) out.push_back(table_comment_statement(op, op.comment));
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    if (!is_absent(column.comment)) {
      out.push_back(column_comment_statement(op, column_name(column), column.comment));
    }
  }
  return out;
}

inline Statements SqlDialect::render_create_table_comment(const retort_operation& op) const {
  return {table_comment_statement(op, op.comment)};
}

inline Statements SqlDialect::render_drop_table_comment(const retort_operation& op) const {
  return {table_comment_statement(op, retort_str{nullptr, 0})};
}

// ---- Indexes -----------------------------------------------------------------

inline std::string SqlDialect::index_element(retort_str element, uint32_t flags) const {
  if ((flags & RETORT_ELEMENT_EXPRESSION) != 0) {
    return std::string(required(element, "index expression"));
  }
  return quote_identifier(required(element, "index column name"));
}

inline std::string SqlDialect::index_elements(const retort_operation& op) const {
  if (op.column_name_count == 0) {
    throw DialectError::invalid("index " + in_quotes(to_view(op.name)) + " has no columns");
  }
  std::vector<std::string> elements;
  for (size_t i = 0; i < op.column_name_count; ++i) {
    const uint32_t flags = op.column_name_flags != nullptr ? op.column_name_flags[i] : 0;
    elements.push_back(index_element(op.column_names[i], flags));
  }
  return "(" + detail::join(elements, ", ") + ")";
}

// ---- Tables and columns ------------------------------------------------------

inline Statements SqlDialect::render_rename_table(const retort_operation& op) const {
  return {"ALTER TABLE " + table_name(op) + " RENAME TO " +
          quote_identifier(required(op.name, "new table name"))};
}

inline Statements SqlDialect::render_alter_column(const retort_operation& op) const {
  if (op.column_count != 1) throw DialectError::invalid("alter_column needs the changed column");
  const retort_column& target = *op.columns[0];
  const std::string prefix = "ALTER TABLE " + table_name(op) + " ALTER COLUMN " +
                             quote_identifier(required(op.name, "column name")) + " ";
  Statements out;
  if ((op.alter & RETORT_ALTER_NULLABLE) != 0) {
    out.push_back(
        prefix + ((target.flags & RETORT_COLUMN_NOT_NULL) != 0 ? "SET NOT NULL" : "DROP NOT NULL"));
  }
  if ((op.alter & RETORT_ALTER_DEFAULT) != 0) {
    out.push_back(prefix + (is_absent(target.server_default) ? std::string("DROP DEFAULT")
                                                             : "SET " + default_clause(target)));
  }
  if ((op.alter & RETORT_ALTER_TYPE) != 0) {
    std::string statement = prefix + "TYPE " + type_name(target);
    if (!is_absent(op.condition)) statement += " USING " + std::string(to_view(op.condition));
    out.push_back(std::move(statement));
  }
  if ((op.alter & RETORT_ALTER_COMMENT) != 0) {
    out.push_back(column_comment_statement(op, to_view(op.name), target.comment));
  }
  if ((op.alter & RETORT_ALTER_NAME) != 0) {
    out.push_back("ALTER TABLE " + table_name(op) + " RENAME COLUMN " +
                  quote_identifier(to_view(op.name)) + " TO " +
                  quote_identifier(required(target.name, "new column name")));
  }
  if (out.empty()) {
    throw DialectError::invalid("alter_column of " + in_quotes(to_view(op.name)) +
                                " changes nothing");
  }
  return out;
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIALECT_ALTER_HPP
