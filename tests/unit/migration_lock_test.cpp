// The migration lock without a server: the wait (wait_for_lock) driven by a
// scripted attempt, the SQLite lock (a write transaction) between two real
// connections to a temporary file, and dialects that have no lock. The
// PostgreSQL and MariaDB session locks run in tests/server/migration_lock_test.cpp;
// what each dialect renders is in dialect_lock_test.cpp.
#include "runtime/migration_lock.hpp"

#include "dialect_test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;
using std::chrono::milliseconds;

namespace {

const std::string kName = "retort:retort_version";

// An attempt that finds the lock held `held` times, then takes it; it counts
// the attempts and the questions about the holder.
struct ScriptedLock {
  int held = 0;
  int attempts = 0;
  int asked = 0;

  Error wait(milliseconds timeout) {
    return wait_for_lock(
        kName, timeout, log, [this]() -> Expected<bool> { return ++attempts > held; },
        [this] {
          ++asked;
          return std::string("pid 4242 on build-7");
        });
  }
  std::ostringstream log;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A SQLite file in the temporary folder, removed at the end, and
// connections to it whose lock attempts give up at once (Timeout=1 ms: the
// default Timeout=1000 makes each attempt on a held lock take 2 s).
struct SqliteFile {
  SqliteFile() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("retort-lock-" + std::to_string(rd()) + ".db");
  }
  ~SqliteFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  OdbcConnection connect() {
    auto cs = dialect_test::connect_to(dialect(), "sqlite:///" + path.string() + "?Timeout=1");
    INFO(cs.error().message());
    REQUIRE(cs);
    auto connection = OdbcConnection::connect(*cs, path.string());
    INFO(connection.error().message());
    REQUIRE(connection);
    return std::move(*connection);
  }
  static const Dialect& dialect() { return dialect_test::loaded_dialect("sqlite"); }

  fs::path path;
};

Expected<MigrationLock> lock_on(OdbcConnection& connection, milliseconds timeout,
                                std::ostream& log) {
  return MigrationLock::acquire_transaction(SqliteFile::dialect(), connection, kName, timeout, log);
}

}  // namespace

TEST_CASE("a lock taken at the first attempt writes nothing and never asks for the holder",
          "[migration_lock]") {
  ScriptedLock lock;
  CHECK_FALSE(lock.wait(milliseconds(5000)));
  CHECK(lock.attempts == 1);
  CHECK(lock.asked == 0);
  CHECK(lock.log.str().empty());
}

TEST_CASE("a held lock is polled every 200 ms with one line naming its holder until it is free",
          "[migration_lock]") {
  ScriptedLock lock;
  lock.held = 2;
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(lock.wait(milliseconds(5000)));
  const double took = seconds_since(start);
  CHECK(lock.attempts == 3);
  CHECK(lock.log.str() ==
        "waiting for the migration lock 'retort:retort_version', held by pid 4242 on build-7\n");
  CHECK(took >= 0.39);
  CHECK(took < 1.5);  // loose: a loaded machine oversleeps; attempts pin the polls
}

TEST_CASE("a lock still held at the timeout gives up with an error naming the lock and its holder",
          "[migration_lock]") {
  ScriptedLock lock;
  lock.held = 1000;
  const auto start = std::chrono::steady_clock::now();
  Error err = lock.wait(milliseconds(300));
  const double took = seconds_since(start);
  REQUIRE(err);
  CHECK(err.category() == ErrorCategory::kLockTimeout);
  CHECK(err.message() ==
        "timed out after 0.3 s waiting for the migration lock 'retort:retort_version', held by "
        "pid 4242 on build-7");
  CHECK(err.hint() ==
        "another runner is migrating this database; run again when it has finished, or wait "
        "longer with --lock-timeout");
  // Polled at 0, 200 and just after 300 ms (the last sleep ends at the
  // deadline); a loaded machine that oversleeps the first may skip the second.
  CHECK(lock.attempts >= 2);
  CHECK(lock.attempts <= 3);
  CHECK(took >= 0.3);
  CHECK(took < 1.5);  // loose, as above
  CHECK(lock.log.str() ==
        "waiting for the migration lock 'retort:retort_version', held by pid 4242 on build-7\n");
}

TEST_CASE("a zero timeout tries the lock once and gives up without a waiting line",
          "[migration_lock]") {
  ScriptedLock lock;
  lock.held = 1;
  Error err = lock.wait(milliseconds(0));
  REQUIRE(err);
  CHECK(err.message() ==
        "timed out after 0 s waiting for the migration lock 'retort:retort_version', held by pid "
        "4242 on build-7");
  CHECK(lock.attempts == 1);
  CHECK(lock.log.str().empty());
}

TEST_CASE("an attempt that fails stops the wait with the database's reason", "[migration_lock]") {
  std::ostringstream log;
  int attempts = 0;
  Error err = wait_for_lock(
      kName, milliseconds(5000), log,
      [&]() -> Expected<bool> {
        if (++attempts == 1) return false;
        return Error(ErrorCategory::kDatabase,
                     "permission denied for function pg_try_advisory_lock");
      },
      [] { return std::string("another session"); });
  REQUIRE(err);
  CHECK(err.category() == ErrorCategory::kDatabase);
  CHECK(err.message() ==
        "cannot take the migration lock 'retort:retort_version': permission denied for function "
        "pg_try_advisory_lock");
  CHECK(err.hint() == "check that this database user may take the dialect's session locks");
  CHECK(attempts == 2);
}

TEST_CASE("a second sqlite connection waits for the migration lock and times out naming the first",
          "[migration_lock][sqlite]") {
  SqliteFile db;
  OdbcConnection first = db.connect();
  OdbcConnection second = db.connect();
  std::ostringstream log;
  auto held = lock_on(first, milliseconds(0), log);
  INFO(held.error().message());
  REQUIRE(held);

  auto refused = lock_on(second, milliseconds(300), log);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().category() == ErrorCategory::kLockTimeout);
  CHECK_THAT(refused.error().message(),
             Catch::StartsWith("timed out after 0.3 s waiting for the migration lock "
                               "'retort:retort_version', held by another connection (") &&
                 Catch::Contains("database is locked"));
  CHECK_THAT(log.str(), Catch::StartsWith("waiting for the migration lock "
                                          "'retort:retort_version', held by another connection ("));
}

TEST_CASE("releasing the sqlite migration lock commits the run and lets the next runner in",
          "[migration_lock][sqlite]") {
  SqliteFile db;
  OdbcConnection first = db.connect();
  OdbcConnection second = db.connect();
  std::ostringstream log;
  auto held = lock_on(first, milliseconds(0), log);
  REQUIRE(held);
  REQUIRE_FALSE(first.execute("CREATE TABLE account (id INTEGER)"));
  CHECK_FALSE(held->release());
  // Released once: a second release does nothing.
  CHECK_FALSE(held->release());

  auto next = lock_on(second, milliseconds(0), log);
  INFO(next.error().message());
  REQUIRE(next);
  auto exists = second.table_exists("account");
  REQUIRE(exists);
  CHECK(*exists);
  CHECK(log.str().empty());
}

TEST_CASE("the sqlite migration lock is released when its holder leaves by an exception",
          "[migration_lock][sqlite]") {
  SqliteFile db;
  OdbcConnection first = db.connect();
  OdbcConnection second = db.connect();
  std::ostringstream log;
  try {
    auto held = lock_on(first, milliseconds(0), log);
    REQUIRE(held);
    throw std::runtime_error("a revision threw");
  } catch (const std::runtime_error&) {
  }
  auto next = lock_on(second, milliseconds(0), log);
  INFO(next.error().message());
  CHECK(next);
}

TEST_CASE("a moved sqlite migration lock is released once by its new owner",
          "[migration_lock][sqlite]") {
  SqliteFile db;
  OdbcConnection first = db.connect();
  OdbcConnection second = db.connect();
  std::ostringstream log;
  std::optional<MigrationLock> kept;
  {
    auto held = lock_on(first, milliseconds(0), log);
    REQUIRE(held);
    kept.emplace(std::move(*held));
  }
  // The moved-from lock released nothing when it went.
  CHECK_FALSE(lock_on(second, milliseconds(0), log));
  kept.reset();
  CHECK(lock_on(second, milliseconds(0), log));
}

TEST_CASE("a dialect that predates the lock operations or renders none runs without a lock",
          "[migration_lock]") {
  const std::string plugins = RETORT_TEST_PLUGIN_DIR;
  std::ostringstream log;
  for (const std::string& path :
       {plugins + "/v1_0/dialects/v10sqlite.so", plugins + "/cdialect.so"}) {
    auto dialect = Dialect::load(path);
    INFO(path << ": " << dialect.error().message());
    REQUIRE(dialect);
    auto url = DatabaseUrl::parse(dialect->url_schemes().front() + ":///nowhere/x.db");
    REQUIRE(url);
    // No connection is opened: the database does not exist.
    auto lock = MigrationLock::acquire(*dialect, *url, kName, milliseconds(0), log);
    INFO(lock.error().message());
    REQUIRE(lock);
    CHECK_FALSE(lock->has_value());
  }
  CHECK(log.str().empty());
}
