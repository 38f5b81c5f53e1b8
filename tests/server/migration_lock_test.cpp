// The migration lock on real servers: a second runner waits, names the
// holder, times out with its own error category, and gets the lock once the
// first lets go.
#include "migration_lock.hpp"
#include "server_support.hpp"

#include <retort/config.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>

using namespace retort;
using namespace std::chrono_literals;

namespace {

void check_lock(const std::string& url, const std::string& holder_prefix) {
  Config cfg;
  auto dialect = Dialect::for_url(url, cfg);
  INFO((dialect ? std::string() : dialect.error().message()));
  REQUIRE(dialect);
  const std::string name = migration_lock_name(url, "retort_version_lock_test");
  CHECK(name.find("retort_test:retort_version_lock_test") != std::string::npos);
  CHECK(name.find("re@t") == std::string::npos);  // no password in the name

  std::ostringstream log;
  auto first = MigrationLock::acquire(*dialect, url, name, 1s, log);
  INFO((first ? std::string() : first.error().message()));
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK(log.str().empty());

  {
    const auto start = std::chrono::steady_clock::now();
    auto second = MigrationLock::acquire(*dialect, url, name, 600ms, log);
    REQUIRE_FALSE(second);
    CHECK(std::chrono::steady_clock::now() - start >= 600ms);
    CHECK(second.error().category() == ErrorCategory::kLockTimeout);
    CHECK_THAT(second.error().message(),
               Catch::StartsWith("timed out after 0.6 s waiting for the migration lock '" + name +
                                 "', held by " + holder_prefix));
    CHECK_THAT(log.str(), Catch::StartsWith("waiting for the migration lock '" + name +
                                            "', held by " + holder_prefix));
  }

  first->reset();  // releases
  auto third = MigrationLock::acquire(*dialect, url, name, 1s, log);
  INFO((third ? std::string() : third.error().message()));
  REQUIRE(third);
  CHECK(third->has_value());
}

}  // namespace

TEST_CASE("a second runner waits for the PostgreSQL migration lock, names its holder and times out",
          "[server][postgresql][lock]") {
  check_lock(test::server_env("RETORT_TEST_POSTGRESQL_URL"), "retort@127.0.0.1 pid ");
}

TEST_CASE("a second runner waits for the MariaDB migration lock, names its holder and times out",
          "[server][mariadb][lock]") {
  check_lock(test::server_env("RETORT_TEST_MARIADB_URL"), "retort@127.0.0.1:");
}
