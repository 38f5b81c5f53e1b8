// A runner killed (SIGKILL) between two statements of a revision, on real
// servers. PostgreSQL runs each revision in a transaction, which dies with
// the runner. MariaDB commits each DDL statement as it runs: the history
// table's events say how far the step got, the runner refuses to go on
// (exit code 5), and `retort resolve` records the operator's decision.
#include "killed_runner_fixture.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;
using Lines = std::vector<std::string>;

namespace {

void reset(Catalog& db) {
  for (const char* table : {"kill_version", "kill_history", "kill_three", "kill_two", "kill_one"}) {
    db.execute(std::string("DROP TABLE IF EXISTS ") + table);
  }
}

// Starts `upgrade head` with the pause marker set, waits until k2 has run
// two of its three statements, and kills the runner there.
void kill_during_k2(const fs::path& dir) {
  const fs::path marker = dir / "paused";
  BackgroundRun runner(dir, "upgrade head", {{kPauseMarkerVariable, marker.string()}});
  runner.wait_for(marker, std::chrono::seconds(60));
  runner.kill();
}

// The kill tables that exist, by name.
Lines kill_tables(Catalog& db, const std::string& schema_expression) {
  return db.rows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema_expression +
      " AND table_name IN ('kill_one', 'kill_two', 'kill_three') ORDER BY table_name");
}

Lines mariadb_tables(Catalog& db) { return kill_tables(db, "DATABASE()"); }

Lines mariadb_index(Catalog& db) {
  return db.rows(
      "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = "
      "DATABASE() AND table_name = 'kill_two' AND index_name = 'ix_kill_two_name'");
}

// A project of the kill revisions on MariaDB, k1 applied, then a runner
// killed after k2's second statement.
void mariadb_killed_during_k2(Catalog& db, const fs::path& dir) {
  reset(db);
  make_kill_project(dir, "kill_version", "kill_history", server_env("RETORT_TEST_MARIADB_URL"));
  CliRun first = run_retort(dir, "upgrade k1");
  INFO(first.err);
  REQUIRE(first.status == 0);
  kill_during_k2(dir);
}

const char* const kK2Events =
    "[(e['direction'], e['event'], e['statements_done']) for e in "
    "d['events'] if e['revision'] == 'k2']";

}  // namespace

TEST_CASE("a runner killed during a PostgreSQL revision leaves the revision's transaction undone",
          "[server][postgresql][killed]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  reset(db);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "kill_version", "kill_history", server_env("RETORT_TEST_POSTGRESQL_URL"));
  CliRun first = run_retort(dir, "upgrade k1");
  INFO(first.err);
  REQUIRE(first.status == 0);

  kill_during_k2(dir);

  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k1"});
  CHECK(kill_tables(db, "current_schema()") == Lines{"kill_one"});
  CHECK(run_retort(dir, "current").out == "k1\n");
  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out, "[(e['revision'], e['event']) for e in d['events']]") ==
        R"([["k1","done"]])");
  CHECK(run_retort(dir, "check").status == 0);

  // The next runner waits for the killed one's lock to go with its session.
  CliRun again = run_retort(dir, "upgrade head");
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(again.out == "Running upgrade k1 -> k2, three statements\n");
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
  CHECK(kill_tables(db, "current_schema()") == Lines{"kill_one", "kill_three", "kill_two"});
  CHECK(db.rows("SELECT indexname FROM pg_indexes WHERE tablename = 'kill_two' AND indexname = "
                "'ix_kill_two_name'") == Lines{"ix_kill_two_name"});
  CliRun after = run_retort(dir, "log --json");
  CHECK(py(dir, after.out, "[(e['revision'], e['event']) for e in d['events']]") ==
        R"([["k1","done"],["k2","done"]])");
  reset(db);
}

TEST_CASE(
    "a runner killed during a MariaDB revision leaves its statements so far and a partial step",
    "[server][mariadb][killed]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  mariadb_killed_during_k2(db, dir);

  // DDL commits as it runs: statements 1 and 2 stay, the version stays k1.
  CHECK(mariadb_tables(db) == Lines{"kill_one", "kill_three", "kill_two"});
  CHECK(mariadb_index(db).empty());
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k1"});

  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out, kK2Events) ==
        R"([["upgrade","started",0],["upgrade","statement",1],["upgrade","statement",2]])");
  const std::string last = "[e for e in d['events'] if e['revision'] == 'k2'][-1]";
  CHECK(py(dir, log.out, last + "['statements_total']") == "3");
  CHECK_THAT(py(dir, log.out, last + "['sql']"), Catch::Contains("kill_three"));
  CHECK_THAT(py(dir, log.out, last + "['dialect']"), Catch::StartsWith("mysql "));

  CliRun upgrade = run_retort(dir, "upgrade head");
  CHECK(upgrade.status == 5);
  CHECK_THAT(upgrade.err, Catch::Contains("revision 'k2' stopped partway") &&
                              Catch::Contains("after statement 2 of 3") &&
                              Catch::Contains("retort resolve k2 --applied") &&
                              Catch::Contains("--rolled-back"));
  CHECK(mariadb_index(db).empty());  // it did not go on
  CliRun check = run_retort(dir, "check --json");
  CHECK(check.status == 5);
  CHECK(py(dir, check.out, "[[r['revision'], r['state']] for r in d['revisions']]") ==
        R"([["k1","ok"],["k2","partial"]])");
  CHECK(run_retort(dir, "downgrade base").status == 5);

  SECTION("the operator finishes the step by hand and resolves it as applied") {
    db.execute("CREATE INDEX ix_kill_two_name ON kill_two (name)");
    CliRun resolve = run_retort(dir, "resolve k2 --applied");
    INFO(resolve.err);
    CHECK(resolve.status == 0);
    CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
    CHECK(run_retort(dir, "check").status == 0);

    CliRun nothing = run_retort(dir, "upgrade head");
    INFO(nothing.err);
    CHECK(nothing.status == 0);
    CHECK(nothing.out.empty());
    CliRun after = run_retort(dir, "log --json");
    CHECK(py(dir, after.out, "[(e['revision'], e['event']) for e in d['events']][-1]") ==
          R"(["k2","applied"])");

    // Nothing is partial any more.
    CliRun twice = run_retort(dir, "resolve k2 --applied");
    CHECK(twice.status == 1);
    // One line of error, and perhaps one of hint.
    CHECK_THAT(twice.err, Catch::Matches("error: [^\n]*'k2'[^\n]*\n(hint: [^\n]*\n)?"));
  }

  SECTION("the operator undoes the step by hand and resolves it as rolled back") {
    db.execute("DROP TABLE kill_three");
    db.execute("DROP TABLE kill_two");
    CliRun resolve = run_retort(dir, "resolve k2 --rolled-back");
    INFO(resolve.err);
    CHECK(resolve.status == 0);
    CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k1"});

    CliRun upgrade = run_retort(dir, "upgrade head");
    INFO(upgrade.err);
    CHECK(upgrade.status == 0);
    CHECK(upgrade.out == "Running upgrade k1 -> k2, three statements\n");
    CHECK(mariadb_tables(db) == Lines{"kill_one", "kill_three", "kill_two"});
    CHECK(mariadb_index(db) == Lines{"ix_kill_two_name"});
    CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
    CliRun after = run_retort(dir, "log --json");
    CHECK(py(dir, after.out, "[e['event'] for e in d['events'] if e['revision'] == 'k2']") ==
          R"(["started","statement","statement","rolled-back","started","statement","statement",)"
          R"("statement","done"])");
  }
  reset(db);
}

TEST_CASE(
    "a runner killed during a MariaDB downgrade leaves a partial downgrade that resolve "
    "--applied completes",
    "[server][mariadb][killed]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  reset(db);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "kill_version", "kill_history", server_env("RETORT_TEST_MARIADB_URL"));
  REQUIRE(run_retort(dir, "upgrade head").status == 0);
  const fs::path marker = dir / "paused";
  BackgroundRun runner(dir, "downgrade k1", {{kPauseMarkerVariable, marker.string()}});
  runner.wait_for(marker, std::chrono::seconds(60));
  runner.kill();

  // The index is dropped, the tables are not, the version is still k2.
  CHECK(mariadb_index(db).empty());
  CHECK(mariadb_tables(db) == Lines{"kill_one", "kill_three", "kill_two"});
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
  CliRun upgrade = run_retort(dir, "upgrade head");
  CHECK(upgrade.status == 5);
  CHECK_THAT(upgrade.err, Catch::Contains("revision 'k2' stopped partway through its downgrade") &&
                              Catch::Contains("after statement 1 and never finished") &&
                              Catch::Contains("[1] DROP INDEX ix_kill_two_name"));

  // The operator finishes the downgrade by hand; resolve moves the version.
  db.execute("DROP TABLE kill_three");
  db.execute("DROP TABLE kill_two");
  CliRun resolve = run_retort(dir, "resolve k2 --applied");
  INFO(resolve.err);
  CHECK(resolve.status == 0);
  CHECK(resolve.out == "Recorded the downgrade of revision 'k2' as applied\n");
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k1"});
  CliRun check = run_retort(dir, "check --json");
  CHECK(check.status == 0);
  CHECK(py(dir, check.out, "[[r['revision'], r['state']] for r in d['revisions']]") ==
        R"([["k1","ok"]])");

  CliRun again = run_retort(dir, "upgrade head");
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(mariadb_index(db) == Lines{"ix_kill_two_name"});
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
  reset(db);
}

TEST_CASE("resolve refuses a revision with no step stopped partway", "[server][mariadb][killed]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  reset(db);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "kill_version", "kill_history", server_env("RETORT_TEST_MARIADB_URL"));
  REQUIRE(run_retort(dir, "upgrade head").status == 0);
  for (const char* args : {"resolve k2 --applied", "resolve k1 --rolled-back"}) {
    CliRun resolve = run_retort(dir, args);
    INFO(args);
    CHECK(resolve.status == 1);
    CHECK_THAT(resolve.err, Catch::Matches("error: [^\n]*\n(hint: [^\n]*\n)?"));
  }
  CHECK(db.rows("SELECT version_num FROM kill_version") == Lines{"k2"});
  reset(db);
}
