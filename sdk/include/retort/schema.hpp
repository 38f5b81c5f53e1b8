// What a revision's operations are made of: table names, column types,
// columns, constraints and values. Each has a C view (abi.h) that stays valid
// while the C++ object lives and is not modified. Part of operations.hpp.
#ifndef RETORT_SCHEMA_HPP
#define RETORT_SCHEMA_HPP

#include <retort/abi.h>
#include <retort/sink.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace retort {
inline namespace abi1 {

// A table, optionally in a schema: "account", or in_schema("billing", "invoice").
struct TableName {
  TableName(const char* name) : name(name) {}
  TableName(std::string_view name) : name(name) {}
  TableName(std::string name) : name(std::move(name)) {}
  TableName(std::string schema, std::string name)
      : schema(std::move(schema)), name(std::move(name)) {}

  std::optional<std::string> schema;
  std::string name;
};

inline TableName in_schema(std::string schema, std::string table) {
  return TableName(std::move(schema), std::move(table));
}

// A column type, as a generic code plus its parameters.
struct Type {
  uint32_t code = RETORT_TYPE_INTEGER;
  int32_t length = 0;
  int32_t precision = 0;
  int32_t scale = 0;
  std::string name{};  // ENUM and CUSTOM only
};

inline Type Integer() { return {RETORT_TYPE_INTEGER}; }
inline Type SmallInteger() { return {RETORT_TYPE_SMALLINT}; }
inline Type BigInteger() { return {RETORT_TYPE_BIGINT}; }
inline Type Numeric(int32_t precision = 0, int32_t scale = 0) {
  return {RETORT_TYPE_NUMERIC, 0, precision, scale};
}
inline Type Float() { return {RETORT_TYPE_FLOAT}; }
inline Type String(int32_t length = 0) { return {RETORT_TYPE_STRING, length}; }
inline Type Text() { return {RETORT_TYPE_TEXT}; }
inline Type Unicode(int32_t length = 0) { return {RETORT_TYPE_UNICODE, length}; }
inline Type Boolean() { return {RETORT_TYPE_BOOLEAN}; }
inline Type Date() { return {RETORT_TYPE_DATE}; }
inline Type DateTime() { return {RETORT_TYPE_DATETIME}; }
inline Type Time() { return {RETORT_TYPE_TIME}; }
inline Type Interval() { return {RETORT_TYPE_INTERVAL}; }
// length 0 = unbounded.
inline Type LargeBinary(int32_t length = 0) { return {RETORT_TYPE_BINARY, length}; }
inline Type JSON() { return {RETORT_TYPE_JSON}; }
inline Type UUID() { return {RETORT_TYPE_UUID}; }
// An enumerated type named `name`; dialects without named enum types store text.
inline Type Enum(std::string name, int32_t length = 0) {
  return {RETORT_TYPE_ENUM, length, 0, 0, std::move(name)};
}
// A type the generic set lacks, spelled as the dialect spells it.
inline Type Custom(std::string spelling) {
  return {RETORT_TYPE_CUSTOM, 0, 0, 0, std::move(spelling)};
}

// SQL text used as it stands, e.g. server_default(sql("CURRENT_TIMESTAMP")).
struct Sql {
  std::string text;
};
inline Sql sql(std::string text) { return Sql{std::move(text)}; }

// A server default: a literal the dialect quotes, or an SQL expression.
struct Default {
  Default(const char* literal) : text(literal) {}
  Default(std::string literal) : text(std::move(literal)) {}
  Default(Sql expression) : text(std::move(expression.text)), expression(true) {}

  std::string text;
  bool expression = false;
};

class Column {
 public:
  Column(std::string name, Type type) : name_(std::move(name)), type_(std::move(type)) {}

  Column& primary_key(bool on = true) { return set(RETORT_COLUMN_PRIMARY_KEY, on); }
  Column& nullable(bool on) {
    nullability_stated_ = true;
    return set(RETORT_COLUMN_NOT_NULL, !on);
  }
  Column& autoincrement(bool on = true) { return set(RETORT_COLUMN_AUTOINCREMENT, on); }
  Column& unique(bool on = true) { return set(RETORT_COLUMN_UNIQUE, on); }
  // server_default("0") is a literal the dialect quotes;
  // server_default(sql("CURRENT_TIMESTAMP")) an expression it writes as is.
  Column& server_default(Default value) {
    default_ = std::move(value.text);
    return set(RETORT_COLUMN_DEFAULT_IS_EXPRESSION, value.expression);
  }
  Column& comment(std::string text) {
    comment_ = std::move(text);
    return *this;
  }

  const std::string& name() const { return name_; }
  // Whether nullable() was called. The C view cannot tell nullable(true) from
  // saying nothing (both leave NOT_NULL clear), and create_table needs to:
  // a column of a PrimaryKey({...}) is NOT NULL unless it says nullable(true).
  bool nullability_stated() const { return nullability_stated_; }

  // The C view; valid while this Column lives and is not modified.
  const retort_column& c() const {
    c_ = retort_column{};
    c_.struct_size = sizeof(retort_column);
    c_.name = to_str(name_);
    c_.type = type_.code;
    c_.length = type_.length;
    c_.precision = type_.precision;
    c_.scale = type_.scale;
    c_.type_name = type_.name.empty() ? retort_str{nullptr, 0} : to_str(type_.name);
    c_.flags = flags_;
    c_.server_default = default_ ? to_str(*default_) : retort_str{nullptr, 0};
    c_.comment = comment_ ? to_str(*comment_) : retort_str{nullptr, 0};
    return c_;
  }

 private:
  Column& set(uint32_t flag, bool on) {
    flags_ = on ? (flags_ | flag) : (flags_ & ~flag);
    return *this;
  }

  std::string name_;
  Type type_;
  uint32_t flags_ = 0;
  bool nullability_stated_ = false;
  std::optional<std::string> default_;
  std::optional<std::string> comment_;
  mutable retort_column c_{};
};

// What a foreign key does when the row it refers to is deleted or updated.
enum class Referential : uint32_t {
  kUnspecified = RETORT_REFERENTIAL_UNSPECIFIED,
  kCascade = RETORT_REFERENTIAL_CASCADE,
  kSetNull = RETORT_REFERENTIAL_SET_NULL,
  kSetDefault = RETORT_REFERENTIAL_SET_DEFAULT,
  kRestrict = RETORT_REFERENTIAL_RESTRICT,
  kNoAction = RETORT_REFERENTIAL_NO_ACTION,
};

// A table constraint; made by PrimaryKey, Unique, ForeignKey or Check below.
class Constraint {
 public:
  Constraint(uint32_t kind, std::vector<std::string> columns)
      : kind_(kind), columns_(std::move(columns)) {}

  Constraint& name(std::string value) {
    name_ = std::move(value);
    return *this;
  }
  Constraint& on_delete(Referential action) {
    on_delete_ = action;
    return *this;
  }
  Constraint& on_update(Referential action) {
    on_update_ = action;
    return *this;
  }
  Constraint& referred_schema(std::string schema) {
    referred_schema_ = std::move(schema);
    return *this;
  }

  // For ForeignKey and Check.
  Constraint& references(TableName table, std::vector<std::string> columns) {
    if (table.schema) referred_schema_ = std::move(*table.schema);
    referred_table_ = std::move(table.name);
    referred_columns_ = std::move(columns);
    return *this;
  }
  Constraint& condition(std::string sql_text) {
    condition_ = std::move(sql_text);
    return *this;
  }

  uint32_t kind() const { return kind_; }  // RETORT_CONSTRAINT_*
  const std::vector<std::string>& columns() const { return columns_; }

  // The C view; valid while this Constraint lives and is not modified.
  const retort_constraint& c() const {
    column_strs_.clear();
    for (const std::string& c : columns_) column_strs_.push_back(to_str(c));
    referred_strs_.clear();
    for (const std::string& c : referred_columns_) referred_strs_.push_back(to_str(c));
    c_ = retort_constraint{};
    c_.struct_size = sizeof(retort_constraint);
    c_.kind = kind_;
    c_.name = name_ ? to_str(*name_) : retort_str{nullptr, 0};
    c_.columns = column_strs_.data();
    c_.column_count = column_strs_.size();
    c_.referred_schema = referred_schema_ ? to_str(*referred_schema_) : retort_str{nullptr, 0};
    c_.referred_table = referred_table_.empty() ? retort_str{nullptr, 0} : to_str(referred_table_);
    c_.referred_columns = referred_strs_.data();
    c_.referred_column_count = referred_strs_.size();
    c_.on_delete = static_cast<uint32_t>(on_delete_);
    c_.on_update = static_cast<uint32_t>(on_update_);
    c_.condition = condition_.empty() ? retort_str{nullptr, 0} : to_str(condition_);
    return c_;
  }

 private:
  uint32_t kind_;
  std::vector<std::string> columns_;
  std::optional<std::string> name_;
  std::optional<std::string> referred_schema_;
  std::string referred_table_;
  std::vector<std::string> referred_columns_;
  Referential on_delete_ = Referential::kUnspecified;
  Referential on_update_ = Referential::kUnspecified;
  std::string condition_;
  mutable std::vector<retort_str> column_strs_, referred_strs_;
  mutable retort_constraint c_{};
};

inline Constraint PrimaryKey(std::vector<std::string> columns) {
  return Constraint(RETORT_CONSTRAINT_PRIMARY_KEY, std::move(columns));
}
inline Constraint Unique(std::vector<std::string> columns) {
  return Constraint(RETORT_CONSTRAINT_UNIQUE, std::move(columns));
}
// ForeignKey({"account_id"}, "account", {"id"}).on_delete(Referential::kCascade)
inline Constraint ForeignKey(std::vector<std::string> columns, TableName referred_table,
                             std::vector<std::string> referred_columns) {
  Constraint c(RETORT_CONSTRAINT_FOREIGN_KEY, std::move(columns));
  c.references(std::move(referred_table), std::move(referred_columns));
  return c;
}
// Check("amount >= 0")
inline Constraint Check(std::string condition) {
  Constraint c(RETORT_CONSTRAINT_CHECK, {});
  c.condition(std::move(condition));
  return c;
}

// Which kind of constraint drop_constraint removes; MySQL and SQLite need it.
enum class ConstraintType : uint32_t {
  kPrimaryKey = RETORT_CONSTRAINT_PRIMARY_KEY,
  kUnique = RETORT_CONSTRAINT_UNIQUE,
  kForeignKey = RETORT_CONSTRAINT_FOREIGN_KEY,
  kCheck = RETORT_CONSTRAINT_CHECK,
};

// Bytes for a binary column in bulk_insert.
struct Bytes {
  std::string data;
};

// One cell of bulk_insert: nullptr, a bool, an integer, a floating-point
// number, text (also dates, times, decimals and UUIDs as text), or Bytes.
class Value {
 public:
  Value(std::nullptr_t) {}
  Value(bool b) : kind_(RETORT_VALUE_BOOLEAN), integer_(b ? 1 : 0) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T i) : kind_(RETORT_VALUE_INTEGER), integer_(static_cast<int64_t>(i)) {}
  Value(double d) : kind_(RETORT_VALUE_REAL), real_(d) {}
  Value(const char* s) : kind_(RETORT_VALUE_TEXT), text_(s) {}
  Value(std::string s) : kind_(RETORT_VALUE_TEXT), text_(std::move(s)) {}
  Value(Bytes b) : kind_(RETORT_VALUE_BINARY), text_(std::move(b.data)) {}

  retort_value c() const {
    retort_value v{};
    v.kind = kind_;
    v.integer = integer_;
    v.real = real_;
    v.text = (kind_ == RETORT_VALUE_TEXT || kind_ == RETORT_VALUE_BINARY) ? to_str(text_)
                                                                          : retort_str{nullptr, 0};
    return v;
  }

 private:
  uint32_t kind_ = RETORT_VALUE_NULL;
  int64_t integer_ = 0;
  double real_ = 0;
  std::string text_;
};

using Row = std::vector<Value>;

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_SCHEMA_HPP
