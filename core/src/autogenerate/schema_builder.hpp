// Builds a Schema from operations: the CREATE_TABLE and CREATE_INDEX a model
// declares (retort/model.hpp's Table::declare, or a model module's declare).
// One reader of the C view serves both, so an application's tables and a
// compiled model come out the same.
#ifndef RETORT_SCHEMA_BUILDER_HPP
#define RETORT_SCHEMA_BUILDER_HPP

#include <retort/abi.h>
#include <retort/autogenerate.hpp>
#include <retort/error.hpp>

namespace retort::autogenerate {

class SchemaBuilder {
 public:
  SchemaBuilder();
  SchemaBuilder(const SchemaBuilder&) = delete;
  SchemaBuilder& operator=(const SchemaBuilder&) = delete;

  // Where the model submits its operations.
  const retort_operations* operations() const { return &ops_; }
  // Why the last submit failed; empty when none did.
  const Error& error() const { return error_; }
  Schema take() { return std::move(schema_); }

 private:
  static int submit(void* ctx, const retort_operation* op);
  Error add(const retort_operation& op);

  retort_operations ops_{};
  Schema schema_;
  Error error_;
};

// A C column as the comparison sees it.
ColumnInfo column_info(const retort_column& column);

}  // namespace retort::autogenerate

#endif  // RETORT_SCHEMA_BUILDER_HPP
