// A runner killed (SIGKILL) in the middle of a revision on SQLite: the whole
// command runs in one transaction, each revision in a savepoint, so the
// database is left exactly where the run began, and the next run starts
// over as if the killed one never happened.
#include "e2e_harness.hpp"
#include "killed_runner_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

TEST_CASE("a runner killed during a SQLite revision leaves the database where the run began",
          "[e2e][sqlite][killed]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  make_kill_project(dir, "kill_version", "kill_history");
  CliRun first = run_retort(dir, "upgrade k1");
  INFO(first.err);
  REQUIRE(first.status == 0);

  const fs::path marker = dir / "paused";
  BackgroundRun runner(dir, "upgrade head", {{kPauseMarkerVariable, marker.string()}});
  runner.wait_for(marker, std::chrono::seconds(60));
  runner.kill();
  INFO("the killed runner's stderr: " << runner.err());

  // k2's two statements that ran are gone with its transaction.
  CHECK(sqlite(db, "SELECT version_num FROM kill_version") == "k1\n");
  CHECK(sqlite(db, "SELECT name FROM sqlite_master WHERE name IN ('kill_two', 'kill_three')")
            .empty());
  CHECK(sqlite(db, "SELECT name FROM sqlite_master WHERE name = 'kill_one'") == "kill_one\n");
  CHECK(run_retort(dir, "current").out == "k1\n");

  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out, "d['history_table']") == "kill_history");
  CHECK(py(dir, log.out, "[(e['revision'], e['direction'], e['event']) for e in d['events']]") ==
        R"([["k1","upgrade","done"]])");

  CliRun again = run_retort(dir, "upgrade head");
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(again.out == "Running upgrade k1 -> k2, three statements\n");
  CHECK(sqlite(db, "SELECT version_num FROM kill_version") == "k2\n");
  CHECK(sqlite(db,
               "SELECT name FROM sqlite_master WHERE name IN ('kill_two', 'kill_three', "
               "'ix_kill_two_name') ORDER BY name") == "ix_kill_two_name\nkill_three\nkill_two\n");
  CliRun after = run_retort(dir, "log --json");
  CHECK(py(dir, after.out, "[(e['revision'], e['event']) for e in d['events']]") ==
        R"([["k1","done"],["k2","done"]])");
}

TEST_CASE("a SQLite runner killed in its second revision undoes the first one too",
          "[e2e][sqlite][killed]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  make_kill_project(dir, "kill_version", "kill_history");

  // One run from base: k1 is done, k2 is halfway, both in one transaction.
  const fs::path marker = dir / "paused";
  BackgroundRun runner(dir, "upgrade head", {{kPauseMarkerVariable, marker.string()}});
  runner.wait_for(marker, std::chrono::seconds(60));
  runner.kill();
  INFO("the killed runner's stderr: " << runner.err());

  CHECK(sqlite(db,
               "SELECT name FROM sqlite_master WHERE name LIKE 'kill_%' AND name NOT IN "
               "('kill_version', 'kill_history')")
            .empty());
  CHECK(run_retort(dir, "current").out.empty());
  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out, "d['events']") == "[]");

  CliRun again = run_retort(dir, "upgrade head");
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(sqlite(db, "SELECT version_num FROM kill_version") == "k2\n");
}

TEST_CASE("a SQLite runner records one done event per step, with its checksum and who ran it",
          "[e2e][sqlite][history]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "kill_version", "kill_history");

  CliRun empty = run_retort(dir, "log --json");
  INFO(empty.err);
  CHECK(empty.status == 0);
  CHECK(py(dir, empty.out, "d") == R"({"events":[],"history_table":"kill_history"})");

  REQUIRE(run_retort(dir, "upgrade head").status == 0);
  REQUIRE(run_retort(dir, "downgrade k1").status == 0);
  REQUIRE(run_retort(dir, "stamp head").status == 0);

  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(log.status == 0);
  CHECK(py(dir, log.out, "[(e['revision'], e['direction'], e['event']) for e in d['events']]") ==
        R"([["k1","upgrade","done"],["k2","upgrade","done"],["k2","downgrade","done"],)"
        R"(["k2","stamp","done"]])");
  const std::string upgrade_k2 = "[e for e in d['events'] if e['direction'] == 'upgrade'][1]";
  CHECK_THAT(py(dir, log.out, upgrade_k2 + "['checksum']"),
             Catch::Matches("v1:sha256:[0-9a-f]{64}"));
  CHECK_THAT(py(dir, log.out, upgrade_k2 + "['at']"),
             Catch::Matches("20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
                            "\\.[0-9]{6}Z"));
  CHECK(py(dir, log.out, "isinstance(" + upgrade_k2 + "['duration_ms'], int)") == "true");
  CHECK(py(dir, log.out, upgrade_k2 + "['started_at'] <= " + upgrade_k2 + "['at']") == "true");
  CHECK_THAT(py(dir, log.out, upgrade_k2 + "['who']"), Catch::Matches(".+@.+ pid [0-9]+"));
  CHECK_THAT(py(dir, log.out, upgrade_k2 + "['dialect']"), Catch::StartsWith("sqlite "));
  CHECK(py(dir, log.out, "[" + upgrade_k2 + "['error']]") == "[null]");
  // One runner's events share its run id; the next runner has another.
  CHECK(py(dir, log.out, "len({e['run'] for e in d['events']})") == "3");
  CHECK(py(dir, log.out, "d['events'][0]['run'] == d['events'][1]['run']") == "true");
  CHECK(py(dir, log.out, "all(int(e['run'], 16) >= 0 for e in d['events'])") == "true");
}
