// What a dialect can do, computed once from its ABI minor and flags
// (plugin/dialect_capabilities.hpp), and the same value on loaded plugins
// built against ABI 1.0, 1.1 and today's.
#include "plugin/dialect_capabilities.hpp"
#include "plugin/host_dialect.hpp"

#include <retort/abi.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>

using retort::DialectCapabilities;

namespace {

constexpr uint32_t kAllFlags =
    RETORT_DIALECT_TRANSACTIONAL_DDL | RETORT_DIALECT_LOCK_IS_TRANSACTION | RETORT_DIALECT_COMMENTS;

DialectCapabilities caps_of(uint16_t minor, uint32_t flags = kAllFlags) {
  return DialectCapabilities::of(1, minor, flags, sizeof(retort_dialect));
}

retort::Dialect load(const std::string& path) {
  retort::Expected<retort::Dialect> dialect = retort::Dialect::load(path);
  INFO(dialect.error().message());
  REQUIRE(dialect);
  return std::move(*dialect);
}

}  // namespace

TEST_CASE("dialect capabilities grow with the abi minor the plugin was built for",
          "[dialect_capabilities]") {
  const DialectCapabilities v10 = caps_of(0);
  CHECK_FALSE(v10.lock);
  CHECK_FALSE(v10.history);
  CHECK_FALSE(v10.script_lock);
  CHECK_FALSE(v10.catalog);

  const DialectCapabilities v11 = caps_of(1);
  CHECK(v11.lock);
  CHECK(v11.history);
  CHECK_FALSE(v11.script_lock);
  CHECK_FALSE(v11.catalog);

  const DialectCapabilities v12 = caps_of(2);
  CHECK(v12.script_lock);
  CHECK(v12.lock_is_transaction);
  CHECK_FALSE(v12.catalog);
  CHECK_FALSE(v12.comments);

  const DialectCapabilities v13 = caps_of(3);
  CHECK(v13.catalog);
  CHECK(v13.comments);
  CHECK(v13.compare_type);
}

TEST_CASE("dialect capabilities ignore a flag that the plugin's abi did not define yet",
          "[dialect_capabilities]") {
  // A 1.1 plugin's bits 0x2 and 0x4 meant nothing when it was built.
  const DialectCapabilities v11 = caps_of(1);
  CHECK(v11.transactional_ddl);
  CHECK_FALSE(v11.lock_is_transaction);
  CHECK_FALSE(v11.comments);
  CHECK_FALSE(caps_of(3, RETORT_DIALECT_COMMENTS).transactional_ddl);
}

TEST_CASE("dialect capabilities have compare_type only when the table is long enough to hold it",
          "[dialect_capabilities]") {
  const uint32_t short_table = offsetof(retort_dialect, compare_type);
  CHECK_FALSE(DialectCapabilities::of(1, 3, 0, short_table).compare_type);
  CHECK(DialectCapabilities::of(1, 3, 0, sizeof(retort_dialect)).compare_type);
}

TEST_CASE("dialect capabilities know each operation from the abi minor that added it",
          "[dialect_capabilities]") {
  CHECK(DialectCapabilities::knows_operation(1, 0, RETORT_OP_EXECUTE));
  CHECK(DialectCapabilities::knows_operation(1, 0, RETORT_OP_SELECT_VERSIONS));
  CHECK_FALSE(DialectCapabilities::knows_operation(1, 0, RETORT_OP_RENAME_TABLE));
  CHECK(DialectCapabilities::knows_operation(1, 1, RETORT_OP_BULK_INSERT));
  CHECK_FALSE(DialectCapabilities::knows_operation(1, 1, RETORT_OP_WAIT_LOCK));
  CHECK(DialectCapabilities::knows_operation(1, 2, RETORT_OP_WAIT_LOCK));
  CHECK_FALSE(DialectCapabilities::knows_operation(1, 2, RETORT_OP_REFLECT_INDEXES));
  CHECK(DialectCapabilities::knows_operation(1, 3, RETORT_OP_REFLECT_INDEXES));
  CHECK_FALSE(DialectCapabilities::knows_operation(1, 3, 99));
  CHECK_FALSE(DialectCapabilities::knows_operation(2, 0, RETORT_OP_EXECUTE));
}

TEST_CASE("a loaded dialect's capabilities are those of the abi it was built against",
          "[dialect_capabilities][abi]") {
  const std::string plugins = RETORT_TEST_PLUGIN_DIR;
  const retort::Dialect v10 = load(plugins + "/v1_0/dialects/v10sqlite.so");
  CHECK(v10.capabilities().transactional_ddl);
  CHECK_FALSE(v10.capabilities().lock);
  CHECK_FALSE(v10.capabilities().history);
  CHECK_FALSE(v10.capabilities().compare_type);

  const retort::Dialect v11 = load(plugins + "/v1_1/v1_1_dialect.so");
  CHECK(v11.capabilities().lock);
  CHECK(v11.capabilities().history);
  CHECK_FALSE(v11.capabilities().script_lock);

  const retort::Dialect sqlite = load(std::string(RETORT_TEST_DIALECT_DIR) + "/sqlite.so");
  CHECK(sqlite.capabilities().lock_is_transaction);
  CHECK(sqlite.capabilities().catalog);
  CHECK(sqlite.capabilities().compare_type);
  CHECK_FALSE(sqlite.capabilities().comments);
}
