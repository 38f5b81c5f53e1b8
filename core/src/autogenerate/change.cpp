#include <retort/autogenerate.hpp>

#include <fmt/format.h>

#include <utility>

namespace retort::autogenerate {

std::string describe(const Change& c) {
  using Kind = Change::Kind;
  // A table of a named schema is written schema.table.
  const std::string t = c.schema ? *c.schema + "." + c.table : c.table;
  switch (c.kind) {
    case Kind::kAddTable:
      return fmt::format("add_table {}", t);
    case Kind::kDropTable:
      return fmt::format("drop_table {}", t);
    case Kind::kAddColumn:
      return fmt::format("add_column {}.{}", t, c.column.name);
    case Kind::kDropColumn:
      return fmt::format("drop_column {}.{}", t, c.column.name);
    case Kind::kAlterColumn: {
      std::vector<std::string> what;
      if (c.alter & Change::kType) what.push_back("type");
      if (c.alter & Change::kNullable) what.push_back("nullable");
      if (c.alter & Change::kDefault) what.push_back("server_default");
      if (c.alter & Change::kComment) what.push_back("comment");
      return fmt::format("alter_column {}.{} ({})", t, c.column.name, fmt::join(what, ", "));
    }
    case Kind::kAddIndex:
      return fmt::format("add_index {} on {}", c.index.name, t);
    case Kind::kDropIndex:
      return fmt::format("drop_index {} on {}", c.index.name, t);
    case Kind::kAddUnique:
      return fmt::format("add_unique {} on {}({})", c.key.name.value_or("(unnamed)"), t,
                         fmt::join(c.key.columns, ", "));
    case Kind::kDropUnique:
      return fmt::format("drop_unique {} on {}", c.key.name.value_or("(unnamed)"), t);
    case Kind::kAddForeignKey:
      return fmt::format("add_foreign_key {}({}) -> {}({})", t,
                         fmt::join(c.foreign_key.columns, ", "), c.foreign_key.referred_table,
                         fmt::join(c.foreign_key.referred_columns, ", "));
    case Kind::kDropForeignKey:
      return fmt::format("drop_foreign_key {}({}) -> {}({})", t,
                         fmt::join(c.foreign_key.columns, ", "), c.foreign_key.referred_table,
                         fmt::join(c.foreign_key.referred_columns, ", "));
    case Kind::kAddCheck:
      return fmt::format("add_check {} on {}", c.check.name.value_or("(unnamed)"), t);
    case Kind::kDropCheck:
      return fmt::format("drop_check {} on {}", c.check.name.value_or("(unnamed)"), t);
    case Kind::kSetTableComment:
      return c.comment ? fmt::format("set_table_comment {}", t)
                       : fmt::format("drop_table_comment {}", t);
  }
  return "unknown change";
}

Change reverse(const Change& change) {
  using Kind = Change::Kind;
  Change r = change;
  switch (change.kind) {
    case Kind::kAddTable:
      r.kind = Kind::kDropTable;
      break;
    case Kind::kDropTable:
      r.kind = Kind::kAddTable;
      break;
    case Kind::kAddColumn:
      r.kind = Kind::kDropColumn;
      break;
    case Kind::kDropColumn:
      r.kind = Kind::kAddColumn;
      break;
    case Kind::kAlterColumn:
      std::swap(r.column, r.existing);
      break;
    case Kind::kAddIndex:
      r.kind = Kind::kDropIndex;
      break;
    case Kind::kDropIndex:
      r.kind = Kind::kAddIndex;
      break;
    case Kind::kAddUnique:
      r.kind = Kind::kDropUnique;
      break;
    case Kind::kDropUnique:
      r.kind = Kind::kAddUnique;
      break;
    case Kind::kAddForeignKey:
      r.kind = Kind::kDropForeignKey;
      break;
    case Kind::kDropForeignKey:
      r.kind = Kind::kAddForeignKey;
      break;
    case Kind::kAddCheck:
      r.kind = Kind::kDropCheck;
      break;
    case Kind::kDropCheck:
      r.kind = Kind::kAddCheck;
      break;
    case Kind::kSetTableComment:
      std::swap(r.comment, r.existing_comment);
      break;
  }
  return r;
}

}  // namespace retort::autogenerate
