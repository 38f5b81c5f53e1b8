#include "autogenerate/revision_writer.hpp"

#include "script/revision_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace retort::autogenerate {
namespace {

using Kind = Change::Kind;

std::string cpp_string(const std::string& text) { return cpp_string_literal(text); }

std::string list(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + cpp_string(items[i]);
  return out + "}";
}

std::string type_code(const Type& t) {
  switch (t.code) {
    case RETORT_TYPE_INTEGER:
      return "retort::Integer()";
    case RETORT_TYPE_SMALLINT:
      return "retort::SmallInteger()";
    case RETORT_TYPE_BIGINT:
      return "retort::BigInteger()";
    case RETORT_TYPE_NUMERIC:
      if (t.precision == 0) return "retort::Numeric()";
      return fmt::format("retort::Numeric({}, {})", t.precision, t.scale);
    case RETORT_TYPE_FLOAT:
      return "retort::Float()";
    case RETORT_TYPE_STRING:
      return t.length == 0 ? "retort::String()" : fmt::format("retort::String({})", t.length);
    case RETORT_TYPE_TEXT:
      return "retort::Text()";
    case RETORT_TYPE_UNICODE:
      return t.length == 0 ? "retort::Unicode()" : fmt::format("retort::Unicode({})", t.length);
    case RETORT_TYPE_BOOLEAN:
      return "retort::Boolean()";
    case RETORT_TYPE_DATE:
      return "retort::Date()";
    case RETORT_TYPE_DATETIME:
      return "retort::DateTime()";
    case RETORT_TYPE_TIME:
      return "retort::Time()";
    case RETORT_TYPE_INTERVAL:
      return "retort::Interval()";
    case RETORT_TYPE_BINARY:
      return t.length == 0 ? "retort::LargeBinary()"
                           : fmt::format("retort::LargeBinary({})", t.length);
    case RETORT_TYPE_JSON:
      return "retort::JSON()";
    case RETORT_TYPE_UUID:
      return "retort::UUID()";
    case RETORT_TYPE_ENUM:
      return t.length == 0 ? fmt::format("retort::Enum({})", cpp_string(t.name))
                           : fmt::format("retort::Enum({}, {})", cpp_string(t.name), t.length);
  }
  return fmt::format("retort::Custom({})", cpp_string(t.name));
}

std::string default_code(const ColumnInfo& c) {
  if (c.default_is_expression) return fmt::format("retort::sql({})", cpp_string(*c.server_default));
  return cpp_string(*c.server_default);
}

std::string column_code(const ColumnInfo& c, bool in_key = false) {
  std::string out = fmt::format("retort::Column({}, {})", cpp_string(c.name), type_code(c.type));
  if (!c.nullable && !in_key) out += ".nullable(false)";
  if (c.autoincrement) out += ".autoincrement()";
  // An autoincrement column's default (nextval) comes with it.
  if (c.server_default && !c.autoincrement)
    out += fmt::format(".server_default({})", default_code(c));
  if (c.comment) out += fmt::format(".comment({})", cpp_string(*c.comment));
  return out;
}

std::string rule_code(Referential r) {
  switch (r) {
    case Referential::kCascade:
      return "retort::Referential::kCascade";
    case Referential::kSetNull:
      return "retort::Referential::kSetNull";
    case Referential::kSetDefault:
      return "retort::Referential::kSetDefault";
    case Referential::kRestrict:
      return "retort::Referential::kRestrict";
    case Referential::kNoAction:
      return "retort::Referential::kNoAction";
    case Referential::kUnspecified:
      break;
  }
  return "retort::Referential::kUnspecified";
}

std::string name_suffix(const std::optional<std::string>& name) {
  return name ? fmt::format(".name({})", cpp_string(*name)) : std::string();
}

std::string foreign_key_code(const ForeignKeyInfo& fk) {
  std::string out = fmt::format("retort::ForeignKey({}, {}, {})", list(fk.columns),
                                cpp_string(fk.referred_table), list(fk.referred_columns));
  out += name_suffix(fk.name);
  if (fk.on_delete != Referential::kUnspecified)
    out += ".on_delete(" + rule_code(fk.on_delete) + ")";
  if (fk.on_update != Referential::kUnspecified)
    out += ".on_update(" + rule_code(fk.on_update) + ")";
  return out;
}

// A table as the Operations API names it: "t", or retort::in_schema("s", "t").
std::string table_code(const std::optional<std::string>& schema, const std::string& table) {
  if (!schema) return cpp_string(table);
  return fmt::format("retort::in_schema({}, {})", cpp_string(*schema), cpp_string(table));
}

// `table` is the table's code (table_code).
std::string index_code(const std::string& table, const IndexInfo& index) {
  std::vector<std::string> elements;
  for (size_t i = 0; i < index.elements.size(); ++i) {
    const bool expression = i < index.expression.size() && index.expression[i];
    elements.push_back(expression ? fmt::format("retort::sql({})", cpp_string(index.elements[i]))
                                  : cpp_string(index.elements[i]));
  }
  std::string options;
  if (index.unique && !index.where.empty()) {
    options = fmt::format(", {{.unique = true, .where = {}}}", cpp_string(index.where));
  } else if (index.unique) {
    options = ", {.unique = true}";
  } else if (!index.where.empty()) {
    options = fmt::format(", {{.where = {}}}", cpp_string(index.where));
  }
  return fmt::format("op.create_index({}, {}, {{{}}}{});", cpp_string(index.name), table,
                     fmt::join(elements, ", "), options);
}

std::vector<std::string> create_table_code(const TableInfo& t) {
  std::vector<std::string> lines;
  std::vector<std::string> columns, items;
  for (const ColumnInfo& c : t.columns) columns.push_back(column_code(c, false));
  if (t.primary_key)
    items.push_back(fmt::format("retort::PrimaryKey({})", list(t.primary_key->columns)));
  for (const KeyInfo& k : t.uniques)
    items.push_back(fmt::format("retort::Unique({}){}", list(k.columns), name_suffix(k.name)));
  for (const ForeignKeyInfo& fk : t.foreign_keys) items.push_back(foreign_key_code(fk));
  for (const CheckInfo& c : t.checks)
    items.push_back(
        fmt::format("retort::Check({}){}", cpp_string(c.condition), name_suffix(c.name)));
  std::string call = fmt::format("op.create_table({}, {{{}}}", table_code(t.schema, t.name),
                                 fmt::join(columns, ", "));
  if (!items.empty() || t.comment) call += fmt::format(", {{{}}}", fmt::join(items, ", "));
  if (t.comment) call += fmt::format(", {{.comment = {}}}", cpp_string(*t.comment));
  lines.push_back(call + ");");
  for (const IndexInfo& index : t.indexes) {
    lines.push_back(index_code(table_code(t.schema, t.name), index));
  }
  return lines;
}

std::string alter_code(const Change& c) {
  std::vector<std::string> fields;
  if (c.alter & Change::kType) fields.push_back(".type = " + type_code(c.column.type));
  if (c.alter & Change::kNullable)
    fields.push_back(fmt::format(".nullable = {}", c.column.nullable));
  if (c.alter & Change::kDefault) {
    fields.push_back(c.column.server_default ? ".server_default = " + default_code(c.column)
                                             : std::string(".drop_server_default = true"));
  }
  if (c.alter & Change::kComment) {
    fields.push_back(c.column.comment ? ".comment = " + cpp_string(*c.column.comment)
                                      : std::string(".drop_comment = true"));
  }
  // What the column is now, for dialects that restate it whole (MySQL).
  fields.push_back(".existing_type = " + type_code(c.existing.type));
  fields.push_back(fmt::format(".existing_nullable = {}", c.existing.nullable));
  if (c.existing.server_default)
    fields.push_back(".existing_server_default = " + default_code(c.existing));
  if (c.existing.comment)
    fields.push_back(".existing_comment = " + cpp_string(*c.existing.comment));
  if (c.existing.autoincrement) fields.push_back(".existing_autoincrement = true");
  return fmt::format("op.alter_column({}, {}, {{{}}});", table_code(c.schema, c.table),
                     cpp_string(c.column.name), fmt::join(fields, ", "));
}

std::vector<std::string> change_code(const Change& c) {
  const std::string t = table_code(c.schema, c.table);
  switch (c.kind) {
    case Kind::kAddTable:
      return create_table_code(c.definition);
    case Kind::kDropTable:
      return {fmt::format("// Drops table {} and its rows; downgrade creates it again, empty.",
                          c.table),
              fmt::format("op.drop_table({});", t)};
    case Kind::kAddColumn:
      return {fmt::format("op.add_column({}, {});", t, column_code(c.column))};
    case Kind::kDropColumn:
      return {fmt::format("// Drops column {}.{} and its values; downgrade adds it again, empty.",
                          c.table, c.column.name),
              fmt::format("op.drop_column({}, {});", t, cpp_string(c.column.name))};
    case Kind::kAlterColumn:
      return {alter_code(c)};
    case Kind::kAddIndex:
      return {index_code(t, c.index)};
    case Kind::kDropIndex:
      return {fmt::format("op.drop_index({}, {});", cpp_string(c.index.name), t)};
    case Kind::kAddUnique:
      if (!c.key.name)
        return {
            fmt::format("op.create_constraint({}, retort::Unique({}));", t, list(c.key.columns))};
      return {fmt::format("op.create_unique_constraint({}, {}, {});", cpp_string(*c.key.name), t,
                          list(c.key.columns))};
    case Kind::kDropUnique:
      if (!c.key.name)
        return {fmt::format("// The unique constraint on {}({}) has no name to drop it by.",
                            c.table, fmt::join(c.key.columns, ", "))};
      return {fmt::format("op.drop_constraint({}, {}, retort::ConstraintType::kUnique);",
                          cpp_string(*c.key.name), t)};
    case Kind::kAddForeignKey:
      return {fmt::format("op.create_constraint({}, {});", t, foreign_key_code(c.foreign_key))};
    case Kind::kDropForeignKey:
      if (!c.foreign_key.name) {
        return {fmt::format(
            "// The foreign key {}({}) -> {} has no name to drop it by; name it in the model.",
            c.table, fmt::join(c.foreign_key.columns, ", "), c.foreign_key.referred_table)};
      }
      return {fmt::format("op.drop_constraint({}, {}, retort::ConstraintType::kForeignKey);",
                          cpp_string(*c.foreign_key.name), t)};
    case Kind::kAddCheck:
      return {fmt::format("op.create_check_constraint({}, {}, {});",
                          cpp_string(c.check.name.value_or("")), t, cpp_string(c.check.condition))};
    case Kind::kDropCheck:
      return {fmt::format("op.drop_constraint({}, {}, retort::ConstraintType::kCheck);",
                          cpp_string(c.check.name.value_or("")), t)};
    case Kind::kSetTableComment:
      if (c.comment) {
        return {c.existing_comment
                    ? fmt::format("op.create_table_comment({}, {}, {});", t, cpp_string(*c.comment),
                                  cpp_string(*c.existing_comment))
                    : fmt::format("op.create_table_comment({}, {});", t, cpp_string(*c.comment))};
      }
      return {c.existing_comment ? fmt::format("op.drop_table_comment({}, {});", t,
                                               cpp_string(*c.existing_comment))
                                 : fmt::format("op.drop_table_comment({});", t)};
  }
  return {};
}

// Tables where a column is both added and dropped: perhaps a rename.
std::vector<std::string> rename_notes(const std::vector<Change>& changes) {
  std::set<std::string> added, dropped;
  for (const Change& c : changes) {
    if (c.kind == Kind::kAddColumn) added.insert(c.table);
    if (c.kind == Kind::kDropColumn) dropped.insert(c.table);
  }
  std::vector<std::string> notes;
  for (const std::string& t : added) {
    if (dropped.count(t)) {
      notes.push_back(fmt::format(
          "// Table {} gains and loses columns: if one was renamed, use op.alter_column with "
          ".new_column_name instead, or its values are lost.",
          t));
    }
  }
  return notes;
}

std::string body(const std::vector<std::string>& lines) {
  if (lines.empty()) return "  (void)op;\n";
  std::string out;
  for (const std::string& line : lines) out += "  " + line + "\n";
  return out;
}

}  // namespace

std::string upgrade_body(const std::vector<Change>& changes) {
  std::vector<std::string> lines = rename_notes(changes);
  for (const Change& c : changes) {
    for (std::string& line : change_code(c)) lines.push_back(std::move(line));
  }
  return body(lines);
}

std::string downgrade_body(const std::vector<Change>& changes) {
  std::vector<std::string> lines;
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    const Change back = reverse(*it);
    // The comment on a drop belongs to upgrade; its inverse says what it cannot restore.
    if (it->kind == Kind::kDropTable || it->kind == Kind::kDropColumn) {
      lines.push_back(
          fmt::format("// Created again without the rows upgrade dropped from {}.", it->table));
    }
    for (std::string& line : change_code(back)) {
      if (line.rfind("// Drops", 0) == 0) continue;
      lines.push_back(std::move(line));
    }
  }
  return body(lines);
}

}  // namespace retort::autogenerate
