#include "autogenerate/schema_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <new>
#include <string>

namespace retort::autogenerate {
namespace {

std::optional<std::string> optional_text(retort_str s) {
  if (is_absent(s)) return std::nullopt;
  return std::string(to_view(s));
}

std::vector<std::string> names(const retort_str* items, size_t count) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.emplace_back(to_view(items[i]));
  return out;
}

Referential referential(uint32_t code) {
  if (code > RETORT_REFERENTIAL_NO_ACTION) return Referential::kUnspecified;
  return static_cast<Referential>(code);
}

Error add_constraint(TableInfo& table, const retort_constraint& c) {
  const std::optional<std::string> name = optional_text(c.name);
  switch (c.kind) {
    case RETORT_CONSTRAINT_PRIMARY_KEY:
      table.primary_key = KeyInfo{name, names(c.columns, c.column_count)};
      return Error();
    case RETORT_CONSTRAINT_UNIQUE:
      table.uniques.push_back(KeyInfo{name, names(c.columns, c.column_count)});
      return Error();
    case RETORT_CONSTRAINT_FOREIGN_KEY:
      table.foreign_keys.push_back(
          ForeignKeyInfo{name, names(c.columns, c.column_count), optional_text(c.referred_schema),
                         std::string(to_view(c.referred_table)),
                         names(c.referred_columns, c.referred_column_count),
                         referential(c.on_update), referential(c.on_delete)});
      return Error();
    case RETORT_CONSTRAINT_CHECK:
      table.checks.push_back(CheckInfo{name, std::string(to_view(c.condition))});
      return Error();
  }
  return Error(ErrorCategory::kUsage,
               fmt::format("table '{}' of the model has a constraint of unknown kind {}",
                           table.name, c.kind),
               "rebuild the model against this retort SDK");
}

}  // namespace

ColumnInfo column_info(const retort_column& c) {
  ColumnInfo column;
  column.name = std::string(to_view(c.name));
  column.type = Type{c.type, c.length, c.precision, c.scale, std::string(to_view(c.type_name))};
  column.nullable = (c.flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) == 0;
  column.server_default = optional_text(c.server_default);
  column.default_is_expression = (c.flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) != 0;
  if (c.struct_size > offsetof(retort_column, comment)) column.comment = optional_text(c.comment);
  column.autoincrement = (c.flags & RETORT_COLUMN_AUTOINCREMENT) != 0;
  return column;
}

SchemaBuilder::SchemaBuilder() {
  ops_.struct_size = sizeof(retort_operations);
  ops_.ctx = this;
  ops_.submit = &SchemaBuilder::submit;
  ops_.flags = RETORT_OPERATIONS_OFFLINE;
  ops_.query = nullptr;
}

int SchemaBuilder::submit(void* ctx, const retort_operation* op) {
  auto* self = static_cast<SchemaBuilder*>(ctx);
  try {
    self->error_ = self->add(*op);
  } catch (const std::bad_alloc&) {
    self->error_ = Error(ErrorCategory::kUsage, "out of memory while reading the model");
  }
  return self->error_ ? RETORT_ERROR : RETORT_OK;
}

Error SchemaBuilder::add(const retort_operation& op) {
  const std::string table_name(to_view(op.table));
  if (op.kind == RETORT_OP_CREATE_TABLE) {
    if (schema_.table(optional_text(op.schema), table_name) != nullptr) {
      return Error(ErrorCategory::kUsage,
                   fmt::format("the model declares table '{}' twice", table_name),
                   "declare each table once");
    }
    TableInfo table;
    table.schema = optional_text(op.schema);
    table.name = table_name;
    KeyInfo column_key;
    for (size_t i = 0; i < op.column_count; ++i) {
      const retort_column& c = *op.columns[i];
      table.columns.push_back(column_info(c));
      if (c.flags & RETORT_COLUMN_PRIMARY_KEY)
        column_key.columns.push_back(table.columns.back().name);
      if (c.flags & RETORT_COLUMN_UNIQUE) {
        table.uniques.push_back(KeyInfo{std::nullopt, {table.columns.back().name}});
      }
    }
    if (!column_key.columns.empty()) table.primary_key = column_key;
    for (size_t i = 0; i < op.constraint_count; ++i) {
      if (auto err = add_constraint(table, *op.constraints[i])) return err;
    }
    if (table.primary_key) {
      for (ColumnInfo& column : table.columns) {
        const auto& key = table.primary_key->columns;
        if (std::find(key.begin(), key.end(), column.name) != key.end()) column.nullable = false;
      }
    }
    table.comment = optional_text(op.comment);
    schema_.tables.push_back(std::move(table));
    return Error();
  }
  if (op.kind == RETORT_OP_CREATE_INDEX) {
    auto it = std::find_if(schema_.tables.begin(), schema_.tables.end(), [&](const TableInfo& t) {
      return t.schema == optional_text(op.schema) && t.name == table_name;
    });
    if (it == schema_.tables.end()) {
      return Error(
          ErrorCategory::kUsage,
          fmt::format("index '{}' of the model is on table '{}', which it does not declare",
                      to_view(op.name), table_name),
          "declare the index in its table");
    }
    IndexInfo index;
    index.name = std::string(to_view(op.name));
    for (size_t i = 0; i < op.column_name_count; ++i) {
      index.elements.emplace_back(to_view(op.column_names[i]));
      index.expression.push_back(op.column_name_flags != nullptr &&
                                 (op.column_name_flags[i] & RETORT_ELEMENT_EXPRESSION) != 0);
    }
    index.unique = (op.flags & RETORT_INDEX_UNIQUE) != 0;
    index.where = std::string(to_view(op.condition));
    it->indexes.push_back(std::move(index));
    return Error();
  }
  return Error(ErrorCategory::kUsage,
               fmt::format("a model declares only tables and indexes, not operation {}", op.kind),
               "declare the model with retort::Table");
}

const ColumnInfo* TableInfo::column(const std::string& column_name) const {
  for (const ColumnInfo& c : columns) {
    if (c.name == column_name) return &c;
  }
  return nullptr;
}

const TableInfo* Schema::table(const std::string& table_name) const {
  for (const TableInfo& t : tables) {
    if (t.name == table_name) return &t;
  }
  return nullptr;
}

const TableInfo* Schema::table(const std::optional<std::string>& schema,
                               const std::string& table_name) const {
  for (const TableInfo& t : tables) {
    if (t.schema == schema && t.name == table_name) return &t;
  }
  return nullptr;
}

Expected<Schema> schema_of(const std::vector<Table>& model) {
  SchemaBuilder builder;
  try {
    Operations op(builder.operations());
    for (const Table& table : model) table.declare(op);
  } catch (const detail::HostAborted&) {
    return builder.error();
  }
  return builder.take();
}

}  // namespace retort::autogenerate
