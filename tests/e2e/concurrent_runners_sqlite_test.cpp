// Two runners on one SQLite file. SQLite has no session lock, so the lock is
// the run's own BEGIN IMMEDIATE transaction: a second runner waits for it,
// says so, and either gives up at its --lock-timeout (exit code 4) or, once
// the first has committed, finds nothing left to do. Readers never wait.
#include "e2e_harness.hpp"
#include "killed_runner_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

TEST_CASE("a second SQLite runner waits for the first one's transaction, then finds nothing to do",
          "[e2e][sqlite][lock]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "pair_version", "pair_history");
  REQUIRE(run_retort(dir, "upgrade k1").status == 0);

  const fs::path marker = dir / "paused";
  BackgroundRun first(dir, "upgrade head",
                      {{kPauseMarkerVariable, marker.string()}, {kPauseSecondsVariable, "3"}});
  first.wait_for(marker, std::chrono::seconds(60));
  // Readers go on while the first runner holds the database.
  CHECK(run_retort(dir, "current").out == "k1\n");

  CliRun second = run_retort(dir, "upgrade head");
  INFO(second.err);
  CHECK(second.status == 0);
  CHECK_THAT(second.err, Catch::Contains("waiting for the migration lock") &&
                             Catch::Contains("database is locked"));
  CHECK(second.out.empty());  // nothing left to run
  CHECK(first.wait() == 0);
  CHECK(first.out() == "Running upgrade k1 -> k2, three statements\n");

  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  CHECK(py(dir, log.out, "[(e['revision'], e['event']) for e in d['events']]") ==
        R"([["k1","done"],["k2","done"]])");
}

TEST_CASE("a second SQLite runner gives up at its lock timeout with exit code 4",
          "[e2e][sqlite][lock]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "pair_version", "pair_history");

  const fs::path marker = dir / "paused";
  BackgroundRun first(dir, "upgrade head", {{kPauseMarkerVariable, marker.string()}});
  first.wait_for(marker, std::chrono::seconds(60));

  CliRun second = run_retort(dir, "upgrade head --lock-timeout 0.5");
  CHECK(second.status == 4);
  CHECK_THAT(second.err, Catch::Contains("error: timed out after 0.5 s waiting for the migration "
                                         "lock") &&
                             Catch::Contains("pair_version"));
  first.kill();
  CliRun after = run_retort(dir, "upgrade head");
  INFO(after.err);
  CHECK(after.status == 0);
  CHECK(run_retort(dir, "current").out == "k2 (head)\n");
}
