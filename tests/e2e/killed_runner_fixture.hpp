// The revisions the killed-runner tests kill a runner in, written out in full:
//
//   k1  create kill_one      kill_one(id)
//   k2  three statements     1: kill_two(id, name)  2: kill_three(id)
//                            3: index ix_kill_two_name on kill_two(name)
//
// Between statements 2 and 3 of k2's upgrade (and 1 and 2 of its
// downgrade), a runner whose environment names a file in
// RETORT_TEST_PAUSE_MARKER writes that file and sleeps for 120 s (or
// RETORT_TEST_PAUSE_SECONDS): the test waits for the file and kills the
// runner there, or starts a second runner. Only online: the offline
// rendering (--sql, checksums) never pauses.
#ifndef RETORT_TESTS_E2E_KILLED_RUNNER_FIXTURE_HPP
#define RETORT_TESTS_E2E_KILLED_RUNNER_FIXTURE_HPP

#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace retort::test {

inline constexpr const char* kPauseMarkerVariable = "RETORT_TEST_PAUSE_MARKER";
inline constexpr const char* kPauseSecondsVariable = "RETORT_TEST_PAUSE_SECONDS";

inline const char* const kKillRevisions = R"~(#include <retort/revision.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace {
using namespace retort;

void up1(Operations& op) { op.create_table("kill_one", {Column("id", Integer()).primary_key()}); }
void down1(Operations& op) { op.drop_table("kill_one"); }

void pause(const Operations& op, const char* where) {
  const char* marker = std::getenv("RETORT_TEST_PAUSE_MARKER");
  if (marker == nullptr || op.is_offline()) return;
  std::ofstream(marker) << where << "\n";
  const char* seconds = std::getenv("RETORT_TEST_PAUSE_SECONDS");
  std::this_thread::sleep_for(std::chrono::seconds(seconds != nullptr ? std::atoi(seconds) : 120));
}

void up2(Operations& op) {
  op.create_table("kill_two", {Column("id", Integer()).primary_key(), Column("name", String(40))});
  op.create_table("kill_three", {Column("id", Integer()).primary_key()});
  pause(op, "upgrade, after statement 2");
  op.create_index("ix_kill_two_name", "kill_two", {"name"});
}
void down2(Operations& op) {
  op.drop_index("ix_kill_two_name", "kill_two");
  pause(op, "downgrade, after statement 1");
  op.drop_table("kill_three");
  op.drop_table("kill_two");
}
}  // namespace

RETORT_REVISION(.revision = "k1", .down_revision = nullptr, .message = "create kill_one",
                .upgrade = up1, .downgrade = down1)
RETORT_REVISION(.revision = "k2", .down_revision = "k1", .message = "three statements",
                .upgrade = up2, .downgrade = down2)
)~";

// `retort init migrations` in `dir`, the two revisions above, the version and
// history tables named in retort.ini (so tests sharing a database do not
// meet), and `retort build`. The database is the ini's own SQLite file
// unless a `url` is given.
inline void make_kill_project(const std::filesystem::path& dir, const std::string& version_table,
                              const std::string& history_table, const std::string& url = "") {
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  std::ofstream(dir / "migrations" / "versions" / "kill.cpp") << kKillRevisions;
  if (!url.empty()) set_database_url(dir, url);
  // The appended keys land in the [retort] section: it is the last one.
  std::ofstream(dir / "retort.ini", std::ios::app)
      << "version_table = " << version_table << "\nhistory_table = " << history_table << "\n";
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
}

}  // namespace retort::test

#endif  // RETORT_TESTS_E2E_KILLED_RUNNER_FIXTURE_HPP
