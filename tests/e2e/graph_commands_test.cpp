// The graph commands against real SQLite files: stamp, merge, branches,
// show, history ranges, heads, current with dependencies, and a version
// table with several heads. Scenarios after Alembic's test_command.py and
// test_version_table.py.
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

std::string rows(const fs::path& db) {
  return sqlite(db, "SELECT version_num FROM retort_version ORDER BY version_num");
}

std::string revision_tables(const fs::path& db) {
  return sqlite(db,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' "
                "ESCAPE '\\' ORDER BY name");
}

// retort init, then one pack holding `revisions`, built.
void make_env(const fs::path& dir, const std::vector<PackRevision>& revisions) {
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  write_pack(dir / "migrations" / "versions", "pack", revisions);
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
}

CliRun ok(const fs::path& dir, const std::string& args) {
  CliRun run = run_retort(dir, args);
  INFO("retort " << args << "\n" << run.err);
  REQUIRE(run.status == 0);
  return run;
}

// a <- b <- c
const std::vector<PackRevision> kThree = {{"aaaa", {}}, {"bbbb", {"aaaa"}}, {"cccc", {"bbbb"}}};

// a <- b <- c, b <- d <- e, b <- f: heads c, e, f
const std::vector<PackRevision> kMultiHeads = {{"aaaa", {}},       {"bbbb", {"aaaa"}},
                                               {"cccc", {"bbbb"}}, {"dddd", {"bbbb"}},
                                               {"eeee", {"dddd"}}, {"ffff", {"bbbb"}}};

}  // namespace

TEST_CASE("stamp sets the version table without running any revision", "[e2e][graph][stamp]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  make_env(dir, kThree);

  ok(dir, "stamp head");
  CHECK(rows(db) == "cccc\n");
  CHECK(revision_tables(db) == "");
  ok(dir, "stamp aaaa");
  CHECK(rows(db) == "aaaa\n");
  ok(dir, "stamp bbbb");
  ok(dir, "stamp bbbb");
  CHECK(rows(db) == "bbbb\n");
  ok(dir, "stamp base");
  CHECK(rows(db) == "");
  CHECK(revision_tables(db) == "");

  CliRun sql = ok(dir, "stamp aaaa:head --sql");
  CHECK_THAT(sql.out, Catch::Contains("UPDATE retort_version SET version_num='cccc' WHERE "
                                      "retort_version.version_num = 'aaaa';"));
  CHECK_THAT(sql.out, !Catch::Contains("CREATE TABLE retort_version"));
  CHECK_THAT(ok(dir, "stamp head --sql").out,
             Catch::Contains("CREATE TABLE retort_version") &&
                 Catch::Contains("INSERT INTO retort_version (version_num) VALUES ('cccc');"));
}

TEST_CASE("stamp with several heads inserts, updates and purges rows as Alembic does",
          "[e2e][graph][stamp]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  make_env(dir, kMultiHeads);

  CliRun heads_sql = ok(dir, "stamp heads --sql");
  for (const char* id : {"cccc", "eeee", "ffff"}) {
    CHECK_THAT(
        heads_sql.out,
        Catch::Contains(std::string("INSERT INTO retort_version (version_num) VALUES ('") + id));
  }
  CliRun from_b = ok(dir, "stamp bbbb:heads --sql");
  CHECK_THAT(from_b.out, Catch::Contains("UPDATE retort_version SET version_num="));
  CHECK_THAT(from_b.out, Catch::Contains("WHERE retort_version.version_num = 'bbbb';"));

  CliRun two_starts = run_retort(dir, "stamp bbbb:cccc aaaa:eeee --sql");
  CHECK(two_starts.status == 2);
  CHECK(two_starts.err ==
        "error: Stamp operation with --sql only supports a single starting revision at a time\n");
  CliRun purge_sql = run_retort(dir, "stamp heads --purge --sql");
  CHECK(purge_sql.status == 2);
  CHECK(purge_sql.err == "error: Can't use --purge with --sql mode\n");

  ok(dir, "stamp aaaa");
  ok(dir, "stamp eeee ffff");
  CHECK(rows(db) == "eeee\nffff\n");
  ok(dir, "stamp cccc eeee");
  CHECK(rows(db) == "cccc\neeee\nffff\n");

  // A row this script directory does not know: a clear message and the way out.
  sqlite(db, "UPDATE retort_version SET version_num = 'fake' WHERE version_num = 'cccc'");
  CliRun unknown = run_retort(dir, "upgrade heads");
  CHECK(unknown.status == 1);
  CHECK_THAT(unknown.err, Catch::Contains("'fake'") && Catch::Contains("stamp --purge"));
  CliRun current = run_retort(dir, "current");
  CHECK(current.status == 1);
  CHECK_THAT(current.err, Catch::Contains("'fake'"));

  ok(dir, "stamp heads --purge");
  CHECK(rows(db) == "cccc\neeee\nffff\n");
  CHECK(revision_tables(db) == "");
}

TEST_CASE("upgrade heads and downgrade base keep one row per head", "[e2e][graph][version_table]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path db = dir / "retort.db";
  make_env(dir, kMultiHeads);

  CliRun head = run_retort(dir, "upgrade head");
  CHECK(head.status == 1);
  CHECK_THAT(head.err, Catch::StartsWith("error: Multiple head revisions are present for given "
                                         "argument 'head'; please specify a specific target "
                                         "revision, '<branchname>@head' to narrow to a specific "
                                         "head, or 'heads' for all heads"));
  ok(dir, "upgrade eeee");
  CHECK(rows(db) == "eeee\n");
  CHECK(revision_tables(db) == "t_aaaa\nt_bbbb\nt_dddd\nt_eeee\n");
  ok(dir, "upgrade heads");
  CHECK(rows(db) == "cccc\neeee\nffff\n");
  CHECK(revision_tables(db) == "t_aaaa\nt_bbbb\nt_cccc\nt_dddd\nt_eeee\nt_ffff\n");
  CHECK(ok(dir, "current").out == "cccc (head)\neeee (head)\nffff (head)\n");
  ok(dir, "current --check-heads");

  ok(dir, "downgrade dddd");
  CHECK(rows(db) == "cccc\ndddd\nffff\n");
  ok(dir, "downgrade bbbb");
  CHECK(rows(db) == "bbbb\n");
  CHECK(revision_tables(db) == "t_aaaa\nt_bbbb\n");
  CliRun not_at_heads = run_retort(dir, "current --check-heads");
  CHECK(not_at_heads.status == 1);
  CHECK_THAT(not_at_heads.err, Catch::StartsWith("error: Database is not on all head revisions\n"));
  ok(dir, "downgrade base");
  CHECK(rows(db) == "");
  CHECK(revision_tables(db) == "");
}

TEST_CASE("heads, branches, history ranges and show print Alembic's formats", "[e2e][graph]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_env(dir, kMultiHeads);

  CHECK(ok(dir, "heads").out == "cccc (head)\neeee (head)\nffff (head)\n");
  CHECK(ok(dir, "branches").out ==
        "bbbb (branchpoint)\n"
        "     -> cccc (head)\n"
        "     -> dddd\n"
        "     -> ffff (head)\n"
        "\n");
  CHECK(ok(dir, "history -r aaaa:bbbb").out ==
        "aaaa -> bbbb (branchpoint), revision bbbb\n"
        "<base> -> aaaa, revision aaaa\n");
  CHECK(ok(dir, "history -r :dddd").out ==
        "bbbb -> dddd, revision dddd\n"
        "aaaa -> bbbb (branchpoint), revision bbbb\n"
        "<base> -> aaaa, revision aaaa\n");

  ok(dir, "stamp dddd");
  CHECK(ok(dir, "history -r current:").out ==
        "dddd -> eeee (head), revision eeee\n"
        "bbbb -> dddd, revision dddd\n");
  CHECK_THAT(ok(dir, "history -i").out, Catch::Contains("bbbb -> dddd (current), revision dddd\n"));

  CliRun show = ok(dir, "show bbbb");
  CHECK_THAT(show.out, Catch::StartsWith("Rev: bbbb (branchpoint)\n"
                                         "Parent: aaaa\n"
                                         "Branches into: cccc, dddd, ffff\n"
                                         "Path: "));
  CliRun range = run_retort(dir, "history -r bbbb");
  CHECK(range.status == 2);
  CHECK(range.err == "error: History range requires [start]:[end], [start]:, or :[end]\n");
}

TEST_CASE("current shows the revisions a row depends on, and --check-heads compares with the heads",
          "[e2e][graph][depends_on]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  // a1 <- a2 <- a3; b1 <- b2 <- b3, and b2 depends on a2.
  make_env(dir, {{"aa01", {}},
                 {"aa02", {"aa01"}},
                 {"aa03", {"aa02"}},
                 {"bb01", {}},
                 {"bb02", {"bb01"}, {}, {"aa02"}},
                 {"bb03", {"bb02"}}});

  CHECK(ok(dir, "current").out == "");
  ok(dir, "stamp bb02");
  CHECK(ok(dir, "current").out == "aa02\nbb02\n");
  ok(dir, "upgrade bb03");
  CHECK(ok(dir, "current").out == "aa02\nbb03 (head)\n");
  CHECK(run_retort(dir, "current --check-heads").status == 1);
  ok(dir, "upgrade heads");
  ok(dir, "current --check-heads");
  CHECK_THAT(ok(dir, "history").out, Catch::Contains("bb01 (aa02) -> bb02, revision bb02\n"));
}

TEST_CASE("revision and merge write new heads from the command line", "[e2e][graph][revision]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = dir / "migrations" / "versions";
  make_env(dir, kMultiHeads);

  CliRun plain = run_retort(dir, "revision -m more");
  CHECK(plain.status == 1);
  CHECK_THAT(plain.err, Catch::StartsWith("error: Multiple heads are present; please specify the "
                                          "head revision on which the new revision should be "
                                          "based, or perform a merge"));
  CliRun not_head = run_retort(dir, "revision -m more --head bbbb");
  CHECK(not_head.status != 0);
  CHECK_THAT(not_head.err, Catch::Contains("bbbb") && Catch::Contains("--splice"));

  ok(dir,
     "revision -m 'after e' --head eeee --rev-id gggg --branch-label ebranch --depends-on aaa");
  std::string g = read_text(revision_source(versions, "gggg"));
  CHECK_THAT(g, Catch::Contains(".down_revision = \"eeee\",") &&
                    Catch::Contains(".branch_labels = \"ebranch\",") &&
                    Catch::Contains(".depends_on = \"aaaa\","));
  ok(dir, "revision -m splice --head bbbb --splice --rev-id hhhh");
  CHECK_THAT(read_text(revision_source(versions, "hhhh")),
             Catch::Contains(".down_revision = \"bbbb\","));

  ok(dir, "merge heads -m 'merge all' --rev-id mmmm");
  CHECK_THAT(read_text(revision_source(versions, "mmmm")),
             Catch::Contains(".down_revision = {\"gggg\", \"hhhh\", \"cccc\", \"ffff\"},") &&
                 Catch::Contains("// Revises: gggg, hhhh, cccc, ffff"));
  CHECK(ok(dir, "heads").out == "mmmm (ebranch) (head)\n");
  ok(dir, "upgrade head");
  CHECK(rows(dir / "retort.db") == "mmmm\n");
  CHECK(ok(dir, "upgrade ebranch@head").out == "");
}

TEST_CASE("several version locations: --version-path chooses where a new revision goes",
          "[e2e][graph][version_locations]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  ok(dir, "init migrations");
  fs::create_directories(dir / "model1");
  fs::create_directories(dir / "model2");
  std::ofstream(dir / "retort.ini", std::ios::app)
      << "version_locations = %(here)s/model1 %(here)s/model2\n";

  CliRun none = run_retort(dir, "revision -m first --rev-id aaaa");
  CHECK(none.status == 2);
  CHECK(none.err == "error: Multiple version locations present, please specify --version-path\n");
  CliRun bad = run_retort(dir, "revision -m first --rev-id aaaa --version-path foo/bar");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::StartsWith("error: Path foo/bar is not represented in current version "
                                        "locations\n"));

  ok(dir, "revision -m first --rev-id aaaa --version-path model1");
  CHECK(fs::exists(dir / "model1" / "aaaa_first.cpp"));
  ok(dir, "revision -m second --rev-id bbbb --version-path model2 --head base");
  CHECK(fs::exists(dir / "model2" / "bbbb_second.cpp"));
  // A new revision on an existing head goes where its parent is.
  ok(dir, "revision -m third --rev-id cccc --head bbbb");
  CHECK(fs::exists(dir / "model2" / "cccc_third.cpp"));

  CHECK(ok(dir, "heads").out == "aaaa (head)\ncccc (head)\n");
  ok(dir, "upgrade heads");
  CHECK(rows(dir / "retort.db") == "aaaa\ncccc\n");
}
