// Pins ABI 1.0 and what 1.1 and 1.2 appended. A field reordered, retyped or
// inserted anywhere but at the end of its struct, or a status code
// renumbered, fails the build here; and the C compiler must lay every struct
// out as the C++ compiler does, since a plugin written in C is loaded by a
// host written in C++.
#include "abi/abi_layout.h"

#include <retort/abi.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#if defined(__x86_64__) && defined(__LP64__)
// Sizes are today's (ABI 1.2, which added no field: 1.1's); every offset ABI
// 1.0 had is unchanged.
// Offsets and sizes on x86_64 (LP64, System V). When ABI 1.N appends a field,
// add its offset and update the struct's size; no existing number changes.
TEST_CASE("abi 1.0 structs keep their x86_64 layout", "[abi]") {
  STATIC_REQUIRE(sizeof(retort_str) == 16);
  STATIC_REQUIRE(offsetof(retort_str, data) == 0);
  STATIC_REQUIRE(offsetof(retort_str, size) == 8);

  STATIC_REQUIRE(sizeof(retort_sink) == 24);
  STATIC_REQUIRE(offsetof(retort_sink, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_sink, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_sink, write) == 16);

  STATIC_REQUIRE(sizeof(retort_host) == 32);
  STATIC_REQUIRE(offsetof(retort_host, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_host, abi_major) == 4);
  STATIC_REQUIRE(offsetof(retort_host, abi_minor) == 6);
  STATIC_REQUIRE(offsetof(retort_host, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_host, log) == 16);
  STATIC_REQUIRE(offsetof(retort_host, refuse) == 24);  // ABI 1.4

  STATIC_REQUIRE(sizeof(retort_plugin) == 40);
  STATIC_REQUIRE(offsetof(retort_plugin, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_plugin, kind) == 4);
  STATIC_REQUIRE(offsetof(retort_plugin, abi_major) == 8);
  STATIC_REQUIRE(offsetof(retort_plugin, abi_minor) == 10);
  STATIC_REQUIRE(offsetof(retort_plugin, name) == 16);
  STATIC_REQUIRE(offsetof(retort_plugin, version) == 24);
  STATIC_REQUIRE(offsetof(retort_plugin, table) == 32);

  STATIC_REQUIRE(sizeof(retort_column) == 96);
  STATIC_REQUIRE(offsetof(retort_column, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_column, name) == 8);
  STATIC_REQUIRE(offsetof(retort_column, type) == 24);
  STATIC_REQUIRE(offsetof(retort_column, length) == 28);
  STATIC_REQUIRE(offsetof(retort_column, precision) == 32);
  STATIC_REQUIRE(offsetof(retort_column, scale) == 36);
  STATIC_REQUIRE(offsetof(retort_column, type_name) == 40);
  STATIC_REQUIRE(offsetof(retort_column, flags) == 56);
  STATIC_REQUIRE(offsetof(retort_column, server_default) == 64);

  STATIC_REQUIRE(sizeof(retort_operation) == 248);
  STATIC_REQUIRE(offsetof(retort_operation, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_operation, kind) == 4);
  STATIC_REQUIRE(offsetof(retort_operation, schema) == 8);
  STATIC_REQUIRE(offsetof(retort_operation, table) == 24);
  STATIC_REQUIRE(offsetof(retort_operation, name) == 40);
  STATIC_REQUIRE(offsetof(retort_operation, columns) == 56);
  STATIC_REQUIRE(offsetof(retort_operation, column_count) == 64);
  STATIC_REQUIRE(offsetof(retort_operation, column_names) == 72);
  STATIC_REQUIRE(offsetof(retort_operation, column_name_count) == 80);
  STATIC_REQUIRE(offsetof(retort_operation, flags) == 88);
  STATIC_REQUIRE(offsetof(retort_operation, sql) == 96);
  STATIC_REQUIRE(offsetof(retort_operation, version) == 112);
  STATIC_REQUIRE(offsetof(retort_operation, old_version) == 128);

  STATIC_REQUIRE(sizeof(retort_statement_sink) == 32);
  STATIC_REQUIRE(offsetof(retort_statement_sink, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_statement_sink, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_statement_sink, statement) == 16);

  STATIC_REQUIRE(sizeof(retort_dialect) == 88);  // 80 up to ABI 1.2
  STATIC_REQUIRE(offsetof(retort_dialect, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_dialect, url_schemes) == 8);
  STATIC_REQUIRE(offsetof(retort_dialect, flags) == 16);
  STATIC_REQUIRE(offsetof(retort_dialect, statement_terminator) == 24);
  STATIC_REQUIRE(offsetof(retort_dialect, batch_separator) == 32);
  STATIC_REQUIRE(offsetof(retort_dialect, begin_transaction) == 40);
  STATIC_REQUIRE(offsetof(retort_dialect, commit_transaction) == 48);
  STATIC_REQUIRE(offsetof(retort_dialect, connection_string) == 56);
  STATIC_REQUIRE(offsetof(retort_dialect, render) == 64);
  STATIC_REQUIRE(offsetof(retort_dialect, redact_url) == 72);
  STATIC_REQUIRE(offsetof(retort_dialect, compare_type) == 80);  // ABI 1.3

  STATIC_REQUIRE(sizeof(retort_model) == 16);  // ABI 1.3
  STATIC_REQUIRE(offsetof(retort_model, declare) == 8);

  STATIC_REQUIRE(sizeof(retort_environment) == 16);  // ABI 1.4
  STATIC_REQUIRE(offsetof(retort_environment, configure) == 8);
  STATIC_REQUIRE(sizeof(retort_env_host) == 112);  // ABI 1.4
  STATIC_REQUIRE(offsetof(retort_env_host, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_env_host, flags) == 16);
  STATIC_REQUIRE(offsetof(retort_env_host, get_main_option) == 24);
  STATIC_REQUIRE(offsetof(retort_env_host, set_include_object) == 104);

  STATIC_REQUIRE(sizeof(retort_operations) == 56);  // 40 up to ABI 1.3
  STATIC_REQUIRE(offsetof(retort_operations, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_operations, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_operations, submit) == 16);

  STATIC_REQUIRE(sizeof(retort_revision) == 72);
  STATIC_REQUIRE(offsetof(retort_revision, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_revision, id) == 8);
  STATIC_REQUIRE(offsetof(retort_revision, down_revisions) == 16);
  STATIC_REQUIRE(offsetof(retort_revision, branch_labels) == 24);
  STATIC_REQUIRE(offsetof(retort_revision, depends_on) == 32);
  STATIC_REQUIRE(offsetof(retort_revision, message) == 40);
  STATIC_REQUIRE(offsetof(retort_revision, create_date) == 48);
  STATIC_REQUIRE(offsetof(retort_revision, upgrade) == 56);
  STATIC_REQUIRE(offsetof(retort_revision, downgrade) == 64);

  STATIC_REQUIRE(sizeof(retort_revision_module) == 24);
  STATIC_REQUIRE(offsetof(retort_revision_module, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_revision_module, revision_count) == 8);
  STATIC_REQUIRE(offsetof(retort_revision_module, revisions) == 16);
}

// ABI 1.1 appended these; ABI 1.0 readers never see them (rule 2).
TEST_CASE("abi 1.1 fields come after every abi 1.0 field", "[abi]") {
  STATIC_REQUIRE(offsetof(retort_column, comment) == 80);
  STATIC_REQUIRE(sizeof(retort_constraint) == 112);
  STATIC_REQUIRE(offsetof(retort_constraint, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_constraint, kind) == 4);
  STATIC_REQUIRE(offsetof(retort_constraint, name) == 8);
  STATIC_REQUIRE(offsetof(retort_constraint, columns) == 24);
  STATIC_REQUIRE(offsetof(retort_constraint, column_count) == 32);
  STATIC_REQUIRE(offsetof(retort_constraint, referred_schema) == 40);
  STATIC_REQUIRE(offsetof(retort_constraint, referred_table) == 56);
  STATIC_REQUIRE(offsetof(retort_constraint, referred_columns) == 72);
  STATIC_REQUIRE(offsetof(retort_constraint, referred_column_count) == 80);
  STATIC_REQUIRE(offsetof(retort_constraint, on_delete) == 88);
  STATIC_REQUIRE(offsetof(retort_constraint, on_update) == 92);
  STATIC_REQUIRE(offsetof(retort_constraint, condition) == 96);
  STATIC_REQUIRE(sizeof(retort_value) == 40);
  STATIC_REQUIRE(offsetof(retort_value, kind) == 0);
  STATIC_REQUIRE(offsetof(retort_value, integer) == 8);
  STATIC_REQUIRE(offsetof(retort_value, real) == 16);
  STATIC_REQUIRE(offsetof(retort_value, text) == 24);
  STATIC_REQUIRE(offsetof(retort_operation, constraints) == 144);
  STATIC_REQUIRE(offsetof(retort_operation, constraint_count) == 152);
  STATIC_REQUIRE(offsetof(retort_operation, comment) == 160);
  STATIC_REQUIRE(offsetof(retort_operation, existing_comment) == 176);
  STATIC_REQUIRE(offsetof(retort_operation, condition) == 192);
  STATIC_REQUIRE(offsetof(retort_operation, column_name_flags) == 208);
  STATIC_REQUIRE(offsetof(retort_operation, alter) == 216);
  STATIC_REQUIRE(offsetof(retort_operation, existing) == 220);
  STATIC_REQUIRE(offsetof(retort_operation, existing_column) == 224);
  STATIC_REQUIRE(offsetof(retort_operation, values) == 232);
  STATIC_REQUIRE(offsetof(retort_operation, row_count) == 240);
  STATIC_REQUIRE(sizeof(retort_row_sink) == 24);
  STATIC_REQUIRE(offsetof(retort_row_sink, struct_size) == 0);
  STATIC_REQUIRE(offsetof(retort_row_sink, ctx) == 8);
  STATIC_REQUIRE(offsetof(retort_row_sink, row) == 16);
  STATIC_REQUIRE(offsetof(retort_statement_sink, query) == 24);
  STATIC_REQUIRE(offsetof(retort_operations, flags) == 24);
  STATIC_REQUIRE(offsetof(retort_operations, query) == 32);
  STATIC_REQUIRE(offsetof(retort_operations, database_name) == 40);  // ABI 1.4
}
#endif

TEST_CASE("the C and C++ compilers lay out every abi struct alike", "[abi]") {
  static const retort_abi_layout_entry kCxxLayout[] = {
      RETORT_ABI_LAYOUT(RETORT_ABI_LAYOUT_SIZE, RETORT_ABI_LAYOUT_OFFSET)};
  size_t c_count = 0;
  const retort_abi_layout_entry* c_layout = retort_abi_c99_layout(&c_count);
  REQUIRE(c_count == std::size(kCxxLayout));
  for (size_t i = 0; i < c_count; ++i) {
    INFO(kCxxLayout[i].what);
    CHECK(std::string(c_layout[i].what) == kCxxLayout[i].what);
    CHECK(c_layout[i].value == kCxxLayout[i].value);
  }
}

TEST_CASE("abi 1.0 codes keep their numbers", "[abi]") {
  STATIC_REQUIRE(RETORT_ABI_MAJOR == 1);
  STATIC_REQUIRE(std::string_view(RETORT_ENTRY_SYMBOL) == "retort_plugin_entry");

  STATIC_REQUIRE(RETORT_OK == 0);
  STATIC_REQUIRE(RETORT_ERROR == 1);
  STATIC_REQUIRE(RETORT_UNSUPPORTED == 2);
  STATIC_REQUIRE(RETORT_INVALID == 3);
  STATIC_REQUIRE(RETORT_ABORTED == 4);

  STATIC_REQUIRE(RETORT_LOG_DEBUG == 10);
  STATIC_REQUIRE(RETORT_LOG_INFO == 20);
  STATIC_REQUIRE(RETORT_LOG_WARNING == 30);

  STATIC_REQUIRE(RETORT_KIND_DIALECT == 1);
  STATIC_REQUIRE(RETORT_KIND_REVISIONS == 2);

  STATIC_REQUIRE(RETORT_TYPE_INTEGER == 1);
  STATIC_REQUIRE(RETORT_TYPE_SMALLINT == 2);
  STATIC_REQUIRE(RETORT_TYPE_BIGINT == 3);
  STATIC_REQUIRE(RETORT_TYPE_NUMERIC == 4);
  STATIC_REQUIRE(RETORT_TYPE_FLOAT == 5);
  STATIC_REQUIRE(RETORT_TYPE_STRING == 6);
  STATIC_REQUIRE(RETORT_TYPE_TEXT == 7);
  STATIC_REQUIRE(RETORT_TYPE_UNICODE == 8);
  STATIC_REQUIRE(RETORT_TYPE_BOOLEAN == 9);
  STATIC_REQUIRE(RETORT_TYPE_DATE == 10);
  STATIC_REQUIRE(RETORT_TYPE_DATETIME == 11);
  STATIC_REQUIRE(RETORT_TYPE_TIME == 12);
  STATIC_REQUIRE(RETORT_TYPE_INTERVAL == 13);
  STATIC_REQUIRE(RETORT_TYPE_BINARY == 14);
  STATIC_REQUIRE(RETORT_TYPE_JSON == 15);
  STATIC_REQUIRE(RETORT_TYPE_UUID == 16);
  STATIC_REQUIRE(RETORT_TYPE_ENUM == 17);
  STATIC_REQUIRE(RETORT_TYPE_CUSTOM == 18);

  STATIC_REQUIRE(RETORT_COLUMN_PRIMARY_KEY == 0x1u);
  STATIC_REQUIRE(RETORT_COLUMN_NOT_NULL == 0x2u);
  STATIC_REQUIRE(RETORT_COLUMN_AUTOINCREMENT == 0x4u);
  STATIC_REQUIRE(RETORT_COLUMN_UNIQUE == 0x8u);
  STATIC_REQUIRE(RETORT_COLUMN_DEFAULT_IS_EXPRESSION == 0x10u);

  STATIC_REQUIRE(RETORT_OP_CREATE_TABLE == 1);
  STATIC_REQUIRE(RETORT_OP_DROP_TABLE == 2);
  STATIC_REQUIRE(RETORT_OP_ADD_COLUMN == 3);
  STATIC_REQUIRE(RETORT_OP_DROP_COLUMN == 4);
  STATIC_REQUIRE(RETORT_OP_CREATE_INDEX == 5);
  STATIC_REQUIRE(RETORT_OP_DROP_INDEX == 6);
  STATIC_REQUIRE(RETORT_OP_EXECUTE == 7);
  STATIC_REQUIRE(RETORT_OP_CREATE_VERSION_TABLE == 100);
  STATIC_REQUIRE(RETORT_OP_INSERT_VERSION == 101);
  STATIC_REQUIRE(RETORT_OP_UPDATE_VERSION == 102);
  STATIC_REQUIRE(RETORT_OP_DELETE_VERSION == 103);
  STATIC_REQUIRE(RETORT_OP_SELECT_VERSIONS == 104);

  STATIC_REQUIRE(RETORT_INDEX_UNIQUE == 0x1u);
  STATIC_REQUIRE(RETORT_DIALECT_TRANSACTIONAL_DDL == 0x1u);
}

TEST_CASE("abi 1.1 codes keep their numbers", "[abi]") {
  STATIC_REQUIRE(RETORT_OP_RENAME_TABLE == 8);
  STATIC_REQUIRE(RETORT_OP_ALTER_COLUMN == 9);
  STATIC_REQUIRE(RETORT_OP_CREATE_CONSTRAINT == 10);
  STATIC_REQUIRE(RETORT_OP_DROP_CONSTRAINT == 11);
  STATIC_REQUIRE(RETORT_OP_CREATE_TABLE_COMMENT == 12);
  STATIC_REQUIRE(RETORT_OP_DROP_TABLE_COMMENT == 13);
  STATIC_REQUIRE(RETORT_OP_BULK_INSERT == 14);
  STATIC_REQUIRE(RETORT_OP_TRY_LOCK == 105);
  STATIC_REQUIRE(RETORT_OP_RELEASE_LOCK == 106);
  STATIC_REQUIRE(RETORT_OP_LOCK_HOLDER == 107);

  STATIC_REQUIRE(RETORT_CONSTRAINT_PRIMARY_KEY == 1);
  STATIC_REQUIRE(RETORT_CONSTRAINT_UNIQUE == 2);
  STATIC_REQUIRE(RETORT_CONSTRAINT_FOREIGN_KEY == 3);
  STATIC_REQUIRE(RETORT_CONSTRAINT_CHECK == 4);

  STATIC_REQUIRE(RETORT_REFERENTIAL_UNSPECIFIED == 0);
  STATIC_REQUIRE(RETORT_REFERENTIAL_CASCADE == 1);
  STATIC_REQUIRE(RETORT_REFERENTIAL_SET_NULL == 2);
  STATIC_REQUIRE(RETORT_REFERENTIAL_SET_DEFAULT == 3);
  STATIC_REQUIRE(RETORT_REFERENTIAL_RESTRICT == 4);
  STATIC_REQUIRE(RETORT_REFERENTIAL_NO_ACTION == 5);

  STATIC_REQUIRE(RETORT_VALUE_NULL == 0);
  STATIC_REQUIRE(RETORT_VALUE_INTEGER == 1);
  STATIC_REQUIRE(RETORT_VALUE_REAL == 2);
  STATIC_REQUIRE(RETORT_VALUE_TEXT == 3);
  STATIC_REQUIRE(RETORT_VALUE_BOOLEAN == 4);
  STATIC_REQUIRE(RETORT_VALUE_BINARY == 5);

  STATIC_REQUIRE(RETORT_ELEMENT_EXPRESSION == 0x1u);
  STATIC_REQUIRE(RETORT_ALTER_TYPE == 0x1u);
  STATIC_REQUIRE(RETORT_ALTER_NULLABLE == 0x2u);
  STATIC_REQUIRE(RETORT_ALTER_DEFAULT == 0x4u);
  STATIC_REQUIRE(RETORT_ALTER_NAME == 0x8u);
  STATIC_REQUIRE(RETORT_ALTER_COMMENT == 0x10u);
  STATIC_REQUIRE(RETORT_ALTER_AUTOINCREMENT == 0x20u);
  STATIC_REQUIRE(RETORT_OPERATIONS_OFFLINE == 0x1u);
}

TEST_CASE("abi 1.2 codes keep their numbers", "[abi]") {
  STATIC_REQUIRE(RETORT_ABI_MINOR >= 2);
  STATIC_REQUIRE(RETORT_OP_WAIT_LOCK == 108);
  // Beside 1.0's flag, which it must not collide with.
  STATIC_REQUIRE(RETORT_DIALECT_TRANSACTIONAL_DDL == 0x1u);
  STATIC_REQUIRE(RETORT_DIALECT_LOCK_IS_TRANSACTION == 0x2u);
}

TEST_CASE("abi 1.4 codes keep their numbers", "[abi]") {
  STATIC_REQUIRE(RETORT_ABI_MINOR >= 4);
  STATIC_REQUIRE(RETORT_KIND_ENVIRONMENT == 4);
  STATIC_REQUIRE(RETORT_DIRECTION_UPGRADE == 1);
  STATIC_REQUIRE(RETORT_DIRECTION_DOWNGRADE == 2);
  STATIC_REQUIRE(RETORT_DIRECTION_STAMP == 3);
  STATIC_REQUIRE(RETORT_ENV_OFFLINE == 0x1u);
}
