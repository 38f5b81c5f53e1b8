// retort run as a new user would, against a SQLite file.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

std::string tables(const fs::path& db) {
  return sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
}

std::string versions(const fs::path& db) {
  return sqlite(db, "SELECT version_num FROM retort_version ORDER BY version_num");
}

}  // namespace

TEST_CASE(
    "a new user's session: init, revision, build, upgrade, current, history, downgrade, upgrade +1",
    "[e2e][cli][sqlite]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";

  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  CHECK(fs::exists(dir / "retort.ini"));
  CHECK(fs::is_directory(dir / "migrations" / "versions"));
  CHECK(fs::exists(dir / "migrations" / "script.cpp.tmpl"));

  for (const RevisionText* r : {&kAccount, &kBalance, &kLedger}) add_revision(dir, *r);
  const fs::path versions_dir = dir / "migrations" / "versions";
  CHECK(revision_source(versions_dir, "aaaa0001").filename() ==
        "aaaa0001_create_account_table.cpp");
  CHECK_THAT(read_text(revision_source(versions_dir, "aaaa0001")),
             Catch::Contains(".down_revision = nullptr,") && Catch::Contains("// Revises: <base>"));
  CHECK_THAT(read_text(revision_source(versions_dir, "cccc0003")),
             Catch::Contains(".down_revision = \"bbbb0002\",") &&
                 Catch::Contains("// create ledger\n") &&
                 Catch::Contains("// Revision ID: cccc0003"));

  // Writing revisions compiled nothing: the graph came from the sources.
  CHECK_FALSE(fs::exists(versions_dir / "build" / ".retort" / "units"));
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
  CHECK_THAT(build.out, Catch::Contains("compiled 3 revision sources into"));
  CliRun rebuild = run_retort(dir, "build");
  CHECK(rebuild.out == "3 revision sources are up to date\n");

  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(upgrade.out ==
        "Running upgrade  -> aaaa0001, create account table\n"
        "Running upgrade aaaa0001 -> bbbb0002, add balance to account\n"
        "Running upgrade bbbb0002 -> cccc0003, create ledger\n");
  CHECK(tables(db) == "account\nledger\nretort_history\nretort_version\n");
  CHECK(versions(db) == "cccc0003\n");
  CHECK(sqlite(db, "SELECT name FROM pragma_table_info('account') ORDER BY cid") ==
        "id\nname\ncreated\nbalance\n");
  CHECK(
      sqlite(db,
             "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_account_name'") ==
      "ix_account_name\n");
  CHECK(sqlite(db, "SELECT note FROM ledger") == "opened\n");

  CliRun current = run_retort(dir, "current");
  CHECK(current.status == 0);
  CHECK(current.out == "cccc0003 (head)\n");

  CliRun history = run_retort(dir, "history");
  CHECK(history.status == 0);
  CHECK(history.out ==
        "bbbb0002 -> cccc0003 (head), create ledger\n"
        "aaaa0001 -> bbbb0002, add balance to account\n"
        "<base> -> aaaa0001, create account table\n");

  CliRun down = run_retort(dir, "downgrade base");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out ==
        "Running downgrade cccc0003 -> bbbb0002, create ledger\n"
        "Running downgrade bbbb0002 -> aaaa0001, add balance to account\n"
        "Running downgrade aaaa0001 -> , create account table\n");
  CHECK(tables(db) == "retort_history\nretort_version\n");
  CHECK(versions(db) == "");
  CHECK(run_retort(dir, "current").out == "");

  CliRun one = run_retort(dir, "upgrade +1");
  REQUIRE(one.status == 0);
  CHECK(tables(db) == "account\nretort_history\nretort_version\n");
  CHECK(versions(db) == "aaaa0001\n");
  CHECK(run_retort(dir, "current").out == "aaaa0001\n");

  // A unique four-character prefix names a revision.
  REQUIRE(run_retort(dir, "upgrade bbbb").status == 0);
  CHECK(versions(db) == "bbbb0002\n");
  CliRun minus = run_retort(dir, "downgrade -1");
  INFO(minus.err);
  REQUIRE(minus.status == 0);
  CHECK(versions(db) == "aaaa0001\n");
  CHECK(sqlite(db, "SELECT name FROM pragma_table_info('account') ORDER BY cid") ==
        "id\nname\ncreated\n");
}

TEST_CASE("when revision 3 of 5 fails, 1-2 stay applied and recorded and 3 is rolled back",
          "[e2e][cli][sqlite]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  add_revision(
      dir, {"r1", "one", R"~(  op.create_table("t1", {retort::Column("id", retort::Integer())});)~",
            R"~(  op.drop_table("t1");)~"});
  add_revision(
      dir, {"r2", "two", R"~(  op.create_table("t2", {retort::Column("id", retort::Integer())});)~",
            R"~(  op.drop_table("t2");)~"});
  // The first statement succeeds; the second is not SQL: both must vanish.
  add_revision(dir, {"r3", "three",
                     R"~(  op.create_table("t3", {retort::Column("id", retort::Integer())});
  op.execute("CREATE TABLE broken (");)~",
                     R"~(  op.drop_table("t3");)~"});
  add_revision(dir, {"r4", "four",
                     R"~(  op.create_table("t4", {retort::Column("id", retort::Integer())});)~",
                     R"~(  op.drop_table("t4");)~"});
  add_revision(dir, {"r5", "five",
                     R"~(  op.create_table("t5", {retort::Column("id", retort::Integer())});)~",
                     R"~(  op.drop_table("t5");)~"});

  build(dir);
  CliRun upgrade = run_retort(dir, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK_THAT(upgrade.err, Catch::StartsWith("error: revision 'r3' failed (upgrade r2 -> r3): ") &&
                              Catch::Contains("incomplete input"));
  CHECK_THAT(upgrade.err, Catch::Contains("hint: the statement was: CREATE TABLE broken ("));
  CHECK(tables(db) == "retort_history\nretort_version\nt1\nt2\n");
  CHECK(versions(db) == "r2\n");
  CHECK(run_retort(dir, "current").out == "r2\n");
}

TEST_CASE("upgrade --sql prints the whole script without connecting",
          "[e2e][cli][sqlite][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("sqlite/upgrade_head.sql", up.out));

  CliRun down = run_retort(dir, "downgrade cccc0003:base --sql");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out == golden("sqlite/downgrade_base.sql", down.out));

  CliRun range = run_retort(dir, "upgrade aaaa0001:cccc --sql");
  REQUIRE(range.status == 0);
  CHECK(range.out == golden("sqlite/upgrade_range.sql", range.out));

  CHECK_FALSE(fs::exists(dir / "retort.db"));

  // The scripts run as they are, and do what the online commands do.
  const fs::path db = dir / "from-script.db";
  sqlite(db, up.out);
  CHECK(tables(db) == "account\nledger\nretort_version\n");
  CHECK(versions(db) == "cccc0003\n");
  sqlite(db, down.out);
  CHECK(tables(db) == "retort_version\n");
  CHECK(versions(db) == "");
}

TEST_CASE("bad input gets one clear line and a non-zero exit", "[e2e][cli][sqlite][errors]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();

  SECTION("no config file") {
    CliRun run = run_retort(dir, "current");
    CHECK(run.status == 1);
    CHECK_THAT(run.err, Catch::StartsWith("error: config file '") && Catch::Contains("not found"));
  }
  SECTION("a config without script_location") {
    std::ofstream(dir / "retort.ini") << "[retort]\nurl = sqlite:///x.db\n";
    CliRun run = run_retort(dir, "history");
    CHECK(run.status == 1);
    CHECK_THAT(run.err,
               Catch::StartsWith(
                   "error: no 'script_location' key found in section [retort] of config file '"));
  }
  SECTION("a command without its argument") {
    CliRun run = run_retort(dir, "upgrade");
    CHECK(run.status == 2);
    CHECK(run.err ==
          "error: 'upgrade' needs its <revision> argument\nhint: run 'retort --help' for usage\n");
  }
  SECTION("an unknown command") {
    CliRun run = run_retort(dir, "frobnicate");
    CHECK(run.status == 2);
    CHECK_THAT(run.err, Catch::StartsWith("error: unknown command 'frobnicate'\n"));
  }
}

TEST_CASE("bad input in a working environment gets one clear line and a non-zero exit",
          "[e2e][cli][sqlite][errors]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  SECTION("an unknown revision") {
    CliRun run = run_retort(dir, "upgrade zzzz9999");
    CHECK(run.status == 1);
    CHECK_THAT(run.err, Catch::StartsWith("error: ") && Catch::Contains("'zzzz9999'"));
  }
  SECTION("an ambiguous partial id lists the candidates") {
    add_revision(dir, {"cccc0004", "four", "", ""});
    build(dir);
    CliRun run = run_retort(dir, "upgrade cccc");
    CHECK(run.status == 1);
    CHECK_THAT(run.err, Catch::StartsWith(
                            "error: Multiple revisions start with 'cccc': 'cccc0003', 'cccc0004'"));
  }
  SECTION("a section the config file does not have") {
    CliRun run = run_retort(dir, "-x unused=1 -c retort.ini -n elsewhere current");
    CHECK(run.status == 1);
    CHECK_THAT(run.err,
               Catch::StartsWith("error: config file 'retort.ini' has no [elsewhere] section\n"));
  }
  SECTION("an unreachable database") {
    std::ofstream(dir / "other.ini") << "[retort]\nscript_location = %(here)s/migrations\n"
                                        "url = sqlite:////nonexistent/directory/x.db\n";
    CliRun unreachable = run_retort(dir, "-c other.ini upgrade head");
    CHECK(unreachable.status == 1);
    CHECK_THAT(
        unreachable.err,
        Catch::StartsWith("error: cannot connect to sqlite:////nonexistent/directory/x.db: "));
  }
  SECTION("downgrade --sql without a range") {
    CliRun run = run_retort(dir, "downgrade base --sql");
    CHECK(run.status == 2);
    CHECK(run.err == "error: downgrade with --sql requires <fromrev>:<torev>\n");
  }
  SECTION("a revision that does not compile") {
    add_revision(dir, {"dddd0004", "broken", "  this is not C++;", ""});
    CliRun run = run_retort(dir, "upgrade head");
    CHECK(run.status == 1);
    CHECK_THAT(run.err,
               Catch::Contains("error: cannot build revision '") &&
                   Catch::Contains("dddd0004_broken.cpp': the compiler exited with status 1"));
    CHECK_FALSE(fs::exists(dir / "retort.db"));
  }
}
