// The schema an application expects, declared once in C++ with the
// vocabulary of the Operations API, for autogenerate and `retort check`.
// A model.cpp in script_location looks like:
//
//   #include <retort/model.hpp>
//
//   RETORT_MODEL(
//       retort::Table("account",
//                     {retort::Column("id", retort::Integer()).primary_key(),
//                      retort::Column("name", retort::String(50)).nullable(false)},
//                     {retort::Unique({"name"}).name("uq_account_name"),
//                      retort::Index("ix_account_name", {"name"})},
//                     {.comment = "who pays"}))
//
// RETORT_MODEL also takes a std::vector<retort::Table>, so an application's
// own header can declare the tables and model.cpp only name them. Including
// this header defines no symbol; only RETORT_MODEL does.
#ifndef RETORT_MODEL_HPP
#define RETORT_MODEL_HPP

#include <retort/abi.h>
#include <retort/operations.hpp>
#include <retort/schema.hpp>
#include <retort/sink.hpp>

#include <exception>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace retort {
inline namespace abi1 {

// An index of a model's table: Index("ix_account_name", {"name"}), or
// Index("ix_lower_email", {sql("lower(email)")}, {.unique = true}).
class Index {
 public:
  Index(std::string name, std::vector<IndexElement> elements, IndexOptions options = {})
      : name_(std::move(name)), elements_(std::move(elements)), options_(std::move(options)) {}

  const std::string& name() const { return name_; }
  const std::vector<IndexElement>& elements() const { return elements_; }
  const IndexOptions& options() const { return options_; }

 private:
  std::string name_;
  std::vector<IndexElement> elements_;
  IndexOptions options_;
};

// What follows a table's columns: its constraints and its indexes, in one list.
using TableItem = std::variant<Constraint, Index>;

// A table of the model: what create_table would be given, plus its indexes.
class Table {
 public:
  Table(TableName name, std::vector<Column> columns, std::vector<TableItem> items = {},
        TableOptions options = {})
      : name_(std::move(name)), columns_(std::move(columns)), options_(std::move(options)) {
    for (TableItem& item : items) {
      if (auto* c = std::get_if<Constraint>(&item)) {
        constraints_.push_back(std::move(*c));
      } else {
        indexes_.push_back(std::get<Index>(std::move(item)));
      }
    }
  }

  const TableName& name() const { return name_; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<Constraint>& constraints() const { return constraints_; }
  const std::vector<Index>& indexes() const { return indexes_; }
  const TableOptions& options() const { return options_; }

  // States the table through `op`: create_table, then create_index for each
  // index. This is how a model module hands its tables to the host.
  void declare(Operations& op) const {
    op.create_table(name_, columns_, constraints_, options_);
    for (const Index& index : indexes_) {
      op.create_index(index.name(), name_, index.elements(), index.options());
    }
  }

 private:
  TableName name_;
  std::vector<Column> columns_;
  std::vector<Constraint> constraints_;
  std::vector<Index> indexes_;
  TableOptions options_;
};

namespace detail {

using ModelFn = const std::vector<Table>& (*)();

// The model module's descriptor and table; `tables` gives the model.
struct ModelModule {
  static ModelFn& tables() {
    static ModelFn fn = nullptr;
    return fn;
  }

  // The boundary: nothing thrown by the model's code escapes into C.
  static int declare(const retort_operations* ops, const retort_sink* error) noexcept {
    return at_c_boundary(error, "the model", [&] {
      Operations op(ops);
      for (const Table& table : tables()()) table.declare(op);
      return RETORT_OK;
    });
  }

  // Built by the first call; a later one (the file loaded again) returns
  // the same descriptor without writing anything (abi.h: the entry point).
  static const retort_plugin* entry(ModelFn fn) noexcept {
    static const retort_model table{sizeof(retort_model), &ModelModule::declare};
    static const retort_plugin descriptor = [fn] {
      tables() = fn;
      return retort_plugin{sizeof(retort_plugin),
                           RETORT_KIND_MODEL,
                           RETORT_ABI_MAJOR,
                           RETORT_ABI_MINOR,
                           "model",
                           "1",
                           &table};
    }();
    return &descriptor;
  }
};

}  // namespace detail
}  // namespace abi1
}  // namespace retort

// Declares the model: any number of retort::Table, or one std::vector of
// them. Use it once, in the model's own module (model.cpp).
#define RETORT_MODEL(...)                                                                 \
  namespace {                                                                             \
  const std::vector<::retort::Table>& retort_model_tables() {                             \
    static const std::vector<::retort::Table> tables{__VA_ARGS__};                        \
    return tables;                                                                        \
  }                                                                                       \
  }                                                                                       \
  extern "C" RETORT_EXPORT const retort_plugin* retort_plugin_entry(const retort_host*) { \
    return ::retort::detail::ModelModule::entry(&retort_model_tables);                    \
  }

#endif  // RETORT_MODEL_HPP
