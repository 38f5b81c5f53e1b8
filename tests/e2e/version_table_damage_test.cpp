// A damaged version table (issue 15, item 16): a NULL row, a row together
// with its own ancestor, a row the scripts lack. Every command that reads the
// table refuses the same damage with the same one line (and a hint), and
// leaves the table as it found it; none reads past it as current used to.
// Beside it, the history table: a word retort does not know is refused in one
// line naming it, and columns are read by name, wherever they stand.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// The commands that read the version table.
const std::vector<std::string> kReaders = {"current",      "history -i",         "check",
                                           "stamp head",   "upgrade head",       "downgrade -1",
                                           "show current", "history -r current:"};

std::string rows(const fs::path& db) {
  return sqlite(db, "SELECT quote(version_num) FROM retort_version ORDER BY 1");
}

// The chain applied up to cccc0003, then the version table rebuilt without
// its constraints (as a hand-made or foreign table may be) and `damage` run.
fs::path damaged(const fs::path& dir, const std::string& damage) {
  make_chain(dir);
  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  const fs::path db = dir / "retort.db";
  sqlite(db,
         "ALTER TABLE retort_version RENAME TO intact; "
         "CREATE TABLE retort_version (version_num VARCHAR(32)); "
         "INSERT INTO retort_version SELECT version_num FROM intact; DROP TABLE intact; " +
             damage);
  return db;
}

// Checks that `run` failed with exit code 1, its error in one line followed
// by at most a hint line; returns the error line.
std::string one_error(const CliRun& run) {
  INFO("stdout: " << run.out);
  INFO("stderr: " << run.err);
  CHECK(run.status == 1);
  size_t begin = 0;
  if (!run.err.starts_with("error: ")) {
    const size_t found = run.err.find("\nerror: ");
    REQUIRE(found != std::string::npos);
    begin = found + 1;
  }
  const size_t end = run.err.find('\n', begin);
  REQUIRE(end != std::string::npos);
  const std::string rest = run.err.substr(end + 1);
  CHECK((rest.empty() || (rest.starts_with("hint: ") && rest.find('\n') == rest.size() - 1)));
  return run.err.substr(begin, end - begin);
}

// Every reader refuses with `expected`, and the table stays as it was.
void every_reader_refuses(const fs::path& dir, const fs::path& db, const std::string& expected) {
  const std::string before = rows(db);
  for (const std::string& command : kReaders) {
    INFO("retort " << command);
    CliRun run = run_retort(dir, command);
    CHECK(one_error(run) == expected);
    CHECK(run.out.empty());
    CHECK(rows(db) == before);
  }
}

}  // namespace

TEST_CASE("every command that reads the version table refuses a NULL row in one line",
          "[e2e][cli][sqlite][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = damaged(dir, "INSERT INTO retort_version VALUES (NULL);");
  REQUIRE(rows(db) == "'cccc0003'\nNULL\n");
  every_reader_refuses(dir, db,
                       "error: version table 'retort_version' holds a row whose version_num is "
                       "NULL");
  CHECK_THAT(run_retort(dir, "current").err,
             Catch::Contains("hint: delete it (DELETE FROM retort_version WHERE version_num IS "
                             "NULL), then run the command again"));

  // The hint's repair works.
  sqlite(db, "DELETE FROM retort_version WHERE version_num IS NULL");
  CliRun current = run_retort(dir, "current");
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK(current.out == "cccc0003 (head)\n");
}

TEST_CASE("a version table holding only a NULL row is refused, not read as empty",
          "[e2e][cli][sqlite][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = damaged(dir,
                              "DELETE FROM retort_version; INSERT INTO retort_version "
                              "VALUES (NULL);");
  REQUIRE(rows(db) == "NULL\n");
  every_reader_refuses(dir, db,
                       "error: version table 'retort_version' holds a row whose version_num is "
                       "NULL");
}

TEST_CASE("every command that reads the version table refuses a row with its own ancestor",
          "[e2e][cli][sqlite][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = damaged(dir, "INSERT INTO retort_version VALUES ('aaaa0001');");
  REQUIRE(rows(db) == "'aaaa0001'\n'cccc0003'\n");
  every_reader_refuses(
      dir, db,
      "error: Requested revision cccc0003 overlaps with other requested revisions aaaa0001");
  CHECK_THAT(run_retort(dir, "current").err,
             Catch::Contains("hint: the version table should hold only the newest applied "
                             "revision of each branch; delete the row that is below 'cccc0003', "
                             "or reset the table with 'retort stamp --purge <revision>'"));

  // stamp --purge is the repair: it empties the table before it reads it.
  CliRun purge = run_retort(dir, "stamp --purge cccc0003");
  INFO(purge.err);
  CHECK(purge.status == 0);
  CHECK(rows(db) == "'cccc0003'\n");
  CHECK(run_retort(dir, "current").out == "cccc0003 (head)\n");
}

TEST_CASE("a revision in two rows reads as one, as upgrade has always read it",
          "[e2e][cli][sqlite][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = damaged(dir, "INSERT INTO retort_version VALUES ('cccc0003');");
  REQUIRE(rows(db) == "'cccc0003'\n'cccc0003'\n");
  CliRun current = run_retort(dir, "current");
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK(current.out == "cccc0003 (head)\n");
  CHECK(run_retort(dir, "check").status == 0);
  CHECK(run_retort(dir, "upgrade head").status == 0);
}

TEST_CASE("every command that reads the version table refuses a revision the scripts lack alike",
          "[e2e][cli][sqlite][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = damaged(dir, "UPDATE retort_version SET version_num = 'zzzz9999';");
  const std::string before = rows(db);
  // check reports such a row as missing (exit code 3) rather than refusing it.
  for (const std::string& command : kReaders) {
    if (command == "check") continue;
    INFO("retort " << command);
    CliRun run = run_retort(dir, command);
    CHECK(one_error(run) ==
          "error: can't locate revision identified by 'zzzz9999' in the version table");
    CHECK(rows(db) == before);
  }
  CliRun check = run_retort(dir, "check");
  CHECK(check.status == 3);
  CHECK_THAT(check.out, Catch::Contains("zzzz9999  missing"));
}

TEST_CASE("a history row holding a direction retort does not know is refused in one line naming it",
          "[e2e][cli][sqlite][history_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  const fs::path db = dir / "retort.db";
  sqlite(db, "UPDATE retort_history SET direction = 'sideways' WHERE revision = 'bbbb0002'");
  for (const std::string command : {"log", "check", "upgrade head"}) {
    INFO("retort " << command);
    CHECK(one_error(run_retort(dir, command)) ==
          "error: history table 'retort_history' holds a row retort did not write: its direction "
          "'sideways', a word this retort does not know");
  }
}

TEST_CASE("a column added to the history table later shifts none of the others",
          "[e2e][cli][sqlite][history_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  REQUIRE(run_retort(dir, "upgrade bbbb0002").status == 0);
  const fs::path db = dir / "retort.db";
  // Rebuilt with a new first column and the old ones in another order.
  sqlite(db,
         "CREATE TABLE moved AS SELECT 'x' AS added, error_text, sql_text, dialect, who, "
         "duration_ms, started_at, recorded_at, checksum, statements_total, statements_done, "
         "event, direction, revision, seq, run_id FROM retort_history; DROP TABLE retort_history; "
         "ALTER TABLE moved RENAME TO retort_history");
  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CliRun log = run_retort(dir, "log --json");
  INFO(log.err);
  REQUIRE(log.status == 0);
  CHECK(
      py(dir, log.out, "[(e['revision'], e['direction'], e['event']) for e in d['events']]") ==
      R"([["aaaa0001","upgrade","done"],["bbbb0002","upgrade","done"],["cccc0003","upgrade","done"]])");
  CHECK(run_retort(dir, "check").status == 0);
}
