// Two runners started together against one database, as two pods of one
// deployment would: the migration lock lets one apply while the other waits,
// names its holder, and then finds nothing left to do; or, with a short
// --lock-timeout, gives up with exit code 4.
#include "chain_fixture.hpp"
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;
using Lines = std::vector<std::string>;

namespace {

// A project of two revisions whose first sleeps `sleep_sql` while holding
// its step open; its own version table, so other tests' tables are untouched.
// Built once per process for each `sleep_sql` and copied (chain_fixture.hpp):
// both pods of every SECTION run the same modules.
void make_project(const fs::path& dir, const std::string& url, const std::string& sleep_sql) {
  copy_of_project(dir, sleep_sql, [&](const fs::path& built) {
    CliRun init = run_retort(built, "init migrations");
    REQUIRE(init.status == 0);
    std::ofstream(built / "migrations" / "versions" / "runners.cpp")
        << R"~(#include <retort/revision.hpp>
namespace {
using namespace retort;
void up1(Operations& op) {
  op.create_table("runner_probe", {Column("id", Integer()).primary_key()});
  op.execute(")~"
        << sleep_sql << R"~(");
}
void down1(Operations& op) { op.drop_table("runner_probe"); }
void up2(Operations& op) { op.create_table("runner_probe2", {Column("id", Integer()).primary_key()}); }
void down2(Operations& op) { op.drop_table("runner_probe2"); }
}  // namespace
RETORT_REVISION(.revision = "run00001", .down_revision = nullptr, .message = "slow",
                .upgrade = up1, .downgrade = down1)
RETORT_REVISION(.revision = "run00002", .down_revision = "run00001", .message = "quick",
                .upgrade = up2, .downgrade = down2)
)~";
    // The appended keys must land in the [retort] section: it is the last one.
    std::ofstream(built / "retort.ini", std::ios::app)
        << "version_table = runner_version\nhistory_table = runner_history\n";
    CliRun build = run_retort(built, "build");
    INFO(build.err);
    REQUIRE(build.status == 0);
  });
  set_database_url(dir, url);
}

// `url` with its host 127.0.0.1 replaced by `host`.
std::string with_host(const std::string& url, const std::string& host) {
  const size_t at = url.find("@127.0.0.1:");
  REQUIRE(at != std::string::npos);
  return url.substr(0, at + 1) + host + url.substr(at + 10);
}

void reset(Catalog& db) {
  for (const char* table : {"runner_version", "runner_history", "runner_probe2", "runner_probe"}) {
    db.execute(std::string("DROP TABLE IF EXISTS ") + table);
  }
}

// The history shows each revision applied once, whichever runner applied it.
void check_applied_once(const fs::path& dir) {
  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out,
           "[(e['revision'], e['direction']) for e in d['events'] if e['event'] == 'done']") ==
        R"([["run00001","upgrade"],["run00002","upgrade"]])");
}

// Pod a reaches the database at `url_a`, pod b at `url_b`: the same URL, or
// the same database by another name of its host (the lock is keyed on the
// database as the server knows it, not on the URL).
void two_runners(const std::string& url_a, const std::string& url_b, const std::string& odbc,
                 const std::string& sleep_sql) {
  Catalog db(odbc);
  reset(db);
  ScratchDir pod_a, pod_b;
  make_project(pod_a.path(), url_a, sleep_sql);
  make_project(pod_b.path(), url_b, sleep_sql);

  SECTION("one applies, the other waits for it and finds nothing to do") {
    auto a =
        std::async(std::launch::async, [&] { return run_retort(pod_a.path(), "upgrade head"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));  // a holds the lock, sleeping
    CliRun b = run_retort(pod_b.path(), "upgrade head");
    CliRun first = a.get();
    INFO(first.err);
    INFO(b.err);
    CHECK(first.status == 0);
    CHECK(first.out ==
          "Running upgrade  -> run00001, slow\nRunning upgrade run00001 -> run00002, quick\n");
    CHECK(b.status == 0);
    CHECK(b.out.empty());  // nothing left to run
    CHECK_THAT(b.err, Catch::Contains("waiting for the migration lock 'retort:runner_version', "
                                      "held by retort@127.0.0.1"));
    CHECK(db.rows("SELECT version_num FROM runner_version") == Lines{"run00002"});
    check_applied_once(pod_b.path());
  }

  SECTION("the other gives up after --lock-timeout with exit code 4") {
    auto a =
        std::async(std::launch::async, [&] { return run_retort(pod_a.path(), "upgrade head"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    CliRun b = run_retort(pod_b.path(), "upgrade head --lock-timeout 0.5");
    CliRun first = a.get();
    INFO(first.err);
    CHECK(first.status == 0);
    CHECK(b.status == 4);
    CHECK_THAT(b.err, Catch::StartsWith("waiting for the migration lock") &&
                          Catch::Contains("error: timed out after 0.5 s waiting for the migration "
                                          "lock") &&
                          Catch::Contains("hint: another runner is migrating this database"));
    CHECK(db.rows("SELECT version_num FROM runner_version") == Lines{"run00002"});
    check_applied_once(pod_b.path());
  }
  reset(db);
}

}  // namespace

TEST_CASE("two runners on one PostgreSQL database: one applies, the other waits or times out",
          "[server][postgresql][lock]") {
  const std::string url = server_env("RETORT_TEST_POSTGRESQL_URL");
  two_runners(url, url, server_env("RETORT_TEST_POSTGRESQL_ODBC"), "SELECT pg_sleep(2.5)");
}

TEST_CASE(
    "runners reaching one PostgreSQL database as 127.0.0.1 and as localhost exclude each other",
    "[server][postgresql][lock]") {
  const std::string url = server_env("RETORT_TEST_POSTGRESQL_URL");
  two_runners(url, with_host(url, "localhost"), server_env("RETORT_TEST_POSTGRESQL_ODBC"),
              "SELECT pg_sleep(2.5)");
}

TEST_CASE("two runners on one MariaDB database: one applies, the other waits or times out",
          "[server][mariadb][lock]") {
  const std::string url = server_env("RETORT_TEST_MARIADB_URL");
  two_runners(url, url, server_env("RETORT_TEST_MARIADB_ODBC"), "SELECT SLEEP(2.5)");
}

// MariaDB's Connector/ODBC reads "localhost" as its Unix socket, so the other
// name of the loopback host is 127.1.
TEST_CASE("runners reaching one MariaDB database as 127.0.0.1 and as 127.1 exclude each other",
          "[server][mariadb][lock]") {
  const std::string url = server_env("RETORT_TEST_MARIADB_URL");
  two_runners(url, with_host(url, "127.1"), server_env("RETORT_TEST_MARIADB_ODBC"),
              "SELECT SLEEP(2.5)");
}
