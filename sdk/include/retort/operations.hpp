// The operations a revision calls: op.create_table(...), op.add_column(...).
// Each call becomes a plain C retort_operation handed to the host, which has
// the dialect render it and runs or prints the SQL.
#ifndef RETORT_OPERATIONS_HPP
#define RETORT_OPERATIONS_HPP

#include <retort/abi.h>
#include <retort/sink.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

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
inline Type LargeBinary() { return {RETORT_TYPE_BINARY}; }
inline Type JSON() { return {RETORT_TYPE_JSON}; }
inline Type UUID() { return {RETORT_TYPE_UUID}; }
// A type the generic set lacks, spelled as the dialect spells it.
inline Type Custom(std::string spelling) { return {RETORT_TYPE_CUSTOM, 0, 0, 0, std::move(spelling)}; }

// SQL text used as it stands, e.g. server_default(sql("CURRENT_TIMESTAMP")).
struct Sql {
  std::string text;
};
inline Sql sql(std::string text) { return Sql{std::move(text)}; }

class Column {
 public:
  Column(std::string name, Type type) : name_(std::move(name)), type_(std::move(type)) {}

  Column& primary_key(bool on = true) { return set(RETORT_COLUMN_PRIMARY_KEY, on); }
  Column& nullable(bool on) { return set(RETORT_COLUMN_NOT_NULL, !on); }
  Column& autoincrement(bool on = true) { return set(RETORT_COLUMN_AUTOINCREMENT, on); }
  Column& unique(bool on = true) { return set(RETORT_COLUMN_UNIQUE, on); }
  // A literal default, quoted by the dialect: server_default("0").
  Column& server_default(std::string literal) {
    default_ = std::move(literal);
    return set(RETORT_COLUMN_DEFAULT_IS_EXPRESSION, false);
  }
  // An SQL expression default: server_default(sql("CURRENT_TIMESTAMP")).
  Column& server_default(Sql expression) {
    default_ = std::move(expression.text);
    return set(RETORT_COLUMN_DEFAULT_IS_EXPRESSION, true);
  }

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
  std::optional<std::string> default_;
  mutable retort_column c_{};
};

// create_index(..., {.unique = true})
struct IndexOptions {
  bool unique = false;
};

namespace detail {
// Thrown inside a revision when the host refused an operation; the SDK's
// entry thunk turns it into RETORT_ABORTED. Never crosses the C boundary.
struct HostAborted {
  int status;
};
}  // namespace detail

// What upgrade() and downgrade() receive. Each call is run (or printed, with
// --sql) before the next one starts; a failure stops the revision.
class Operations {
 public:
  explicit Operations(const retort_operations* host) : host_(host) {}

  void create_table(std::string_view table, const std::vector<Column>& columns) {
    std::vector<const retort_column*> cols;
    cols.reserve(columns.size());
    for (const Column& c : columns) cols.push_back(&c.c());
    retort_operation op = make(RETORT_OP_CREATE_TABLE, table);
    op.columns = cols.data();
    op.column_count = cols.size();
    submit(op);
  }

  void drop_table(std::string_view table) { submit(make(RETORT_OP_DROP_TABLE, table)); }

  void add_column(std::string_view table, const Column& column) {
    const retort_column* cols[] = {&column.c()};
    retort_operation op = make(RETORT_OP_ADD_COLUMN, table);
    op.columns = cols;
    op.column_count = 1;
    submit(op);
  }

  void drop_column(std::string_view table, std::string_view column) {
    retort_operation op = make(RETORT_OP_DROP_COLUMN, table);
    op.name = to_str(column);
    submit(op);
  }

  void create_index(std::string_view name, std::string_view table,
                    const std::vector<std::string>& columns, IndexOptions options = {}) {
    std::vector<retort_str> names;
    names.reserve(columns.size());
    for (const std::string& c : columns) names.push_back(to_str(c));
    retort_operation op = make(RETORT_OP_CREATE_INDEX, table);
    op.name = to_str(name);
    op.column_names = names.data();
    op.column_name_count = names.size();
    op.flags = options.unique ? RETORT_INDEX_UNIQUE : 0;
    submit(op);
  }

  // table may be left empty; dialects whose indexes belong to a table need it.
  void drop_index(std::string_view name, std::string_view table = {}) {
    retort_operation op = make(RETORT_OP_DROP_INDEX, table);
    if (table.empty()) op.table = retort_str{nullptr, 0};
    op.name = to_str(name);
    submit(op);
  }

  // Runs SQL as written: the dialect does not touch it.
  void execute(std::string_view sql_text) {
    retort_operation op = make(RETORT_OP_EXECUTE, {});
    op.table = retort_str{nullptr, 0};
    op.sql = to_str(sql_text);
    submit(op);
  }

 private:
  static retort_operation make(uint32_t kind, std::string_view table) {
    retort_operation op{};
    op.struct_size = sizeof(retort_operation);
    op.kind = kind;
    op.table = to_str(table);
    return op;
  }

  void submit(const retort_operation& op) {
    int status = host_->submit(host_->ctx, &op);
    if (status != RETORT_OK) throw detail::HostAborted{status};
  }

  const retort_operations* host_;
};

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_OPERATIONS_HPP
