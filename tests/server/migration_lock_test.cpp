// The migration lock on real servers: a second runner waits, names the
// holder, times out with its own error category, and gets the lock once the
// first lets go; an offline script's lock keeps a runner out the same way.
#include "runtime/migration_lock.hpp"
#include "server_support.hpp"

#include <retort/config.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

using namespace retort;
using namespace std::chrono_literals;

namespace {

void check_lock(const std::string& text, const std::string& holder_prefix) {
  const DatabaseUrl url = test::database_url(text);
  Config cfg;
  auto dialect = Dialect::for_url(url, cfg);
  INFO((dialect ? std::string() : dialect.error().message()));
  REQUIRE(dialect);
  const std::string name = migration_lock_name("retort_version_lock_test");
  CHECK(name == "retort:retort_version_lock_test");

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

// The statements the dialect renders for `kind` on the lock `name`.
std::vector<std::string> lock_statements(const Dialect& dialect, uint32_t kind,
                                         const std::string& name) {
  retort_operation op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.name = to_str(name);
  auto statements = dialect.render(op);
  INFO((statements ? std::string() : statements.error().message()));
  REQUIRE(statements);
  return *statements;
}

// An offline script's lock (--sql --lock), run on a session of its own as a
// client runs the script: while it holds the lock (`held`, a query on that
// session, gives 1), a runner times out; once released, a runner gets it.
void check_script_lock(const std::string& text, const std::string& held) {
  const DatabaseUrl url = test::database_url(text);
  Config cfg;
  auto dialect = Dialect::for_url(url, cfg);
  INFO((dialect ? std::string() : dialect.error().message()));
  REQUIRE(dialect);
  const std::string name = migration_lock_name("retort_version_lock_test");
  auto odbc = dialect->connection_string(url);
  REQUIRE(odbc);
  test::Catalog script(*odbc);

  for (const std::string& sql : lock_statements(*dialect, RETORT_OP_WAIT_LOCK, name)) {
    script.execute(sql);
  }
  CHECK(script.value(held) == "1");
  std::ostringstream log;
  {
    auto runner = MigrationLock::acquire(*dialect, url, name, 300ms, log);
    REQUIRE_FALSE(runner);
    CHECK(runner.error().category() == ErrorCategory::kLockTimeout);
  }

  for (const std::string& sql : lock_statements(*dialect, RETORT_OP_RELEASE_LOCK, name)) {
    script.execute(sql);
  }
  CHECK(script.value(held) == "0");
  auto runner = MigrationLock::acquire(*dialect, url, name, 1s, log);
  INFO((runner ? std::string() : runner.error().message()));
  REQUIRE(runner);
  CHECK(runner->has_value());
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

TEST_CASE("an offline script holds the PostgreSQL migration lock, keeping a runner out",
          "[server][postgresql][lock]") {
  check_script_lock(test::server_env("RETORT_TEST_POSTGRESQL_URL"),
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                    "pid = pg_backend_pid()");
}

TEST_CASE("an offline script holds the MariaDB migration lock, keeping a runner out",
          "[server][mariadb][lock]") {
  const std::string url = test::server_env("RETORT_TEST_MARIADB_URL");
  const std::string name = migration_lock_name("retort_version_lock_test");
  // The key as mysql_lock.cpp computes it on the server.
  check_script_lock(url,
                    "SELECT COALESCE(IS_USED_LOCK(CONCAT('retort:', SHA1(CONCAT_WS('/', "
                    "DATABASE(), '" +
                        name + "')))) = CONNECTION_ID(), 0)");
}

TEST_CASE("an offline script stops with an error naming the MariaDB lock it cannot take",
          "[server][mariadb][lock]") {
  const DatabaseUrl url = test::database_url(test::server_env("RETORT_TEST_MARIADB_URL"));
  Config cfg;
  auto dialect = Dialect::for_url(url, cfg);
  REQUIRE(dialect);
  const std::string name = migration_lock_name("retort_version_lock_test");
  std::ostringstream log;
  auto runner = MigrationLock::acquire(*dialect, url, name, 1s, log);
  REQUIRE(runner);
  REQUIRE(runner->has_value());

  // The script's statement with its year-long wait cut to none, so that it
  // fails at once instead of waiting for the runner.
  std::string sql = lock_statements(*dialect, RETORT_OP_WAIT_LOCK, name).at(0);
  const size_t wait = sql.find(", 31536000)");
  REQUIRE(wait != std::string::npos);
  sql.replace(wait, 11, ", 0)");
  auto odbc = dialect->connection_string(url);
  REQUIRE(odbc);
  auto script = OdbcConnection::connect(*odbc, "the script's session");
  REQUIRE(script);
  const Error err = script->execute(sql);
  REQUIRE(err);
  CHECK_THAT(err.message(), Catch::Contains("Variable 'sql_mode' can't be set to the value of "
                                            "'cannot take the migration lock " +
                                            name + "'"));
}

// GET_LOCK is per server: the key's DATABASE() keeps runners of two
// databases apart, as the URL's database in the name used to.
TEST_CASE("runners of two MariaDB databases on one server do not wait for each other",
          "[server][mariadb][lock]") {
  const DatabaseUrl url = test::database_url(test::server_env("RETORT_TEST_MARIADB_URL"));
  const DatabaseUrl other = test::database_url(url.text().substr(0, url.text().rfind('/') + 1) +
                                               test::server_env("RETORT_TEST_MARIADB_SCHEMA"));
  Config cfg;
  auto dialect = Dialect::for_url(url, cfg);
  REQUIRE(dialect);
  const std::string name = migration_lock_name("retort_version_lock_test");
  std::ostringstream log;
  auto first = MigrationLock::acquire(*dialect, url, name, 1s, log);
  INFO((first ? std::string() : first.error().message()));
  REQUIRE(first);
  REQUIRE(first->has_value());
  auto second = MigrationLock::acquire(*dialect, other, name, 300ms, log);
  INFO((second ? std::string() : second.error().message()));
  REQUIRE(second);
  CHECK(second->has_value());
  CHECK(log.str().empty());
}
