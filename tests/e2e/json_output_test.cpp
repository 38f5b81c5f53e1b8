// --json, -q, --log-level and the exit codes, as a script or an operations
// team uses them: every JSON document is parsed by Python's json module and
// its fields compared, so what is checked is what a real parser reads.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// A revision whose upgrade sleeps, so that it takes more than a second.
void add_slow_revision(const fs::path& dir, const RevisionText& r) {
  add_revision(dir, r);
  const fs::path source = revision_source(dir / "migrations" / "versions", r.id);
  const std::string text = read_text(source);
  std::ofstream(source) << "#include <chrono>\n#include <thread>\n" << text;
}

}  // namespace

TEST_CASE("current, heads and history print one JSON document with --json", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  REQUIRE(run_retort(dir, "upgrade bbbb0002").status == 0);

  CliRun current = run_retort(dir, "current --json");
  INFO(current.err);
  REQUIRE(current.status == 0);
  CHECK(py(dir, current.out, "d") == R"({"revisions":[{"is_head":false,"revision":"bbbb0002"}]})");

  CliRun heads = run_retort(dir, "heads --json");
  REQUIRE(heads.status == 0);
  CHECK(py(dir, heads.out, "d") ==
        R"({"heads":[{"branch_labels":[],"message":"create ledger","revision":"cccc0003"}]})");

  CliRun history = run_retort(dir, "history --json");
  REQUIRE(history.status == 0);
  CHECK(py(dir, history.out, "[r['revision'] for r in d['revisions']]") ==
        R"(["cccc0003","bbbb0002","aaaa0001"])");
  CHECK(py(dir, history.out, "d['revisions'][2]") ==
        R"({"branch_labels":[],"down_revisions":[],"is_branch_point":false,"is_head":false,)"
        R"("is_merge":false,"message":"create account table","revision":"aaaa0001"})");
  CHECK(py(dir, history.out, "[r['is_head'] for r in d['revisions']]") == "[true,false,false]");
  CHECK(py(dir, history.out, "d['revisions'][0]['down_revisions']") == R"(["bbbb0002"])");
  CHECK(py(dir, history.out, "any('current' in r for r in d['revisions'])") == "false");

  CliRun indicated = run_retort(dir, "history -i --json");
  REQUIRE(indicated.status == 0);
  CHECK(py(dir, indicated.out, "[r['current'] for r in d['revisions']]") == "[false,true,false]");

  CliRun at_head = run_retort(dir, "current --json --check-heads");
  CHECK(at_head.status == 1);
  CHECK(py(dir, at_head.out, "d['revisions'][0]['revision']") == "bbbb0002");
}

TEST_CASE("heads and history --json show branches, merges and labels", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  write_pack(dir / "migrations" / "versions", "pack",
             {{"a", {}},
              {"b1", {"a"}, {"left"}},
              {"b2", {"a"}},
              {"m", {"b1", "b2"}},
              {"c", {"m"}},
              {"x", {"c"}, {"side"}},
              {"y", {"c"}}});
  build(dir);

  CliRun heads = run_retort(dir, "heads --json");
  INFO(heads.err);
  REQUIRE(heads.status == 0);
  CHECK(py(dir, heads.out, "sorted(h['revision'] for h in d['heads'])") == R"(["x","y"])");
  // Labels as `retort heads` shows them: declared, and propagated along the line.
  CHECK(py(dir, heads.out, "[h['branch_labels'] for h in d['heads'] if h['revision'] == 'x'][0]") ==
        R"(["left","side"])");

  CliRun history = run_retort(dir, "history --json");
  REQUIRE(history.status == 0);
  CHECK(py(dir, history.out, "{r['revision']: r['is_merge'] for r in d['revisions']}['m']") ==
        "true");
  CHECK(py(dir, history.out, "{r['revision']: r['down_revisions'] for r in d['revisions']}['m']") ==
        R"(["b1","b2"])");
  CHECK(py(dir, history.out,
           "sorted(r['revision'] for r in d['revisions'] if r['is_branch_point'])") ==
        R"(["a","c"])");
  CHECK(py(dir, history.out, "sorted(r['revision'] for r in d['revisions'] if r['is_head'])") ==
        R"(["x","y"])");
}

TEST_CASE("upgrade, downgrade and stamp --json print the steps they ran", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);

  CliRun upgrade = run_retort(dir, "upgrade head --json");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(py(dir, upgrade.out, "[d['direction'], d['target'], d['status'], 'error' in d]") ==
        R"(["upgrade","head","ok",false])");
  CHECK(py(dir, upgrade.out,
           "[(s['revision'], s['from'], s['to'], s['outcome']) for s in d['steps']]") ==
        R"([["aaaa0001",[],["aaaa0001"],"done"],["bbbb0002",["aaaa0001"],["bbbb0002"],"done"],)"
        R"(["cccc0003",["bbbb0002"],["cccc0003"],"done"]])");
  CHECK(py(dir, upgrade.out, "[s['message'] for s in d['steps']]") ==
        R"(["create account table","add balance to account","create ledger"])");
  CHECK(py(dir, upgrade.out,
           "all(isinstance(s['duration_ms'], (int, float)) and s['duration_ms'] >= 0 for s in "
           "d['steps'])") == "true");
  // The progress lines still print, on stderr, so stdout is the document alone.
  CHECK_THAT(upgrade.err,
             Catch::Contains("Running upgrade  -> aaaa0001, create account table\n") &&
                 Catch::Contains("Running upgrade bbbb0002 -> cccc0003, create ledger\n"));
  CHECK(upgrade.out.find("Running") == std::string::npos);

  CliRun nothing = run_retort(dir, "upgrade head --json");
  REQUIRE(nothing.status == 0);
  CHECK(py(dir, nothing.out, "[d['status'], d['steps']]") == R"(["ok",[]])");

  CliRun down = run_retort(dir, "downgrade -2 --json");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(py(dir, down.out, "[d['direction'], d['target']]") == R"(["downgrade","-2"])");
  CHECK(py(dir, down.out, "[(s['revision'], s['from'], s['to']) for s in d['steps']]") ==
        R"([["cccc0003",["cccc0003"],["bbbb0002"]],["bbbb0002",["bbbb0002"],["aaaa0001"]]])");

  CliRun stamp = run_retort(dir, "stamp cccc0003 --json");
  INFO(stamp.err);
  REQUIRE(stamp.status == 0);
  CHECK(py(dir, stamp.out, "[d['direction'], d['target'], d['status']]") ==
        R"(["stamp","cccc0003","ok"])");
  CHECK(py(dir, stamp.out,
           "[(s['revision'], s['from'], s['to'], s['outcome']) for s in d['steps']]") ==
        R"([["cccc0003",["aaaa0001"],["cccc0003"],"done"]])");
  CHECK(run_retort(dir, "current").out == "cccc0003 (head)\n");
}

TEST_CASE("a failing revision gives the failure shape and exit code 1 with --json", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  add_revision(
      dir, {"r1", "one", R"~(  op.create_table("t1", {retort::Column("id", retort::Integer())});)~",
            R"~(  op.drop_table("t1");)~"});
  add_revision(dir, {"r2", "two \"quoted\"", R"~(  op.execute("CREATE TABLE broken (");)~", ""});
  add_revision(dir, {"r3", "three", "", ""});
  build(dir);

  CliRun upgrade = run_retort(dir, "upgrade head --json");
  CHECK(upgrade.status == 1);
  CHECK(py(dir, upgrade.out, "[d['direction'], d['target'], d['status']]") ==
        R"(["upgrade","head","failed"])");
  CHECK(py(dir, upgrade.out, "[(s['revision'], s['outcome']) for s in d['steps']]") ==
        R"([["r1","done"],["r2","failed"]])");
  CHECK(py(dir, upgrade.out, "d['steps'][1]['message']") == "two \"quoted\"");
  CHECK(py(dir, upgrade.out, "d['steps'][1]['duration_ms'] >= 0") == "true");
  CHECK_THAT(
      py(dir, upgrade.out, "d['error']"),
      Catch::StartsWith("revision 'r2' failed (upgrade r1 -> r2): ") && !Catch::Contains("\n"));
  // The error is on stderr too, for whoever reads the terminal.
  CHECK_THAT(upgrade.err, Catch::Contains("error: revision 'r2' failed"));
  CHECK(run_retort(dir, "current").out == "r1\n");

  SECTION("a failure before any step has no steps") {
    CliRun unknown = run_retort(dir, "upgrade zzzz9999 --json");
    CHECK(unknown.status == 1);
    CHECK(py(dir, unknown.out, "[d['status'], d['steps'], d['target']]") ==
          R"(["failed",[],"zzzz9999"])");
    CHECK_THAT(py(dir, unknown.out, "d['error']"), Catch::Contains("zzzz9999"));
  }
}

TEST_CASE("upgrade refuses --json combined with --sql", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  for (const char* args : {"upgrade head --sql --json", "downgrade cccc0003:base --sql --json",
                           "stamp head --sql --json"}) {
    CliRun run = run_retort(dir, args);
    INFO(args);
    CHECK(run.status == 2);
    CHECK(run.out.empty());
    CHECK(run.err == "error: --json cannot be combined with --sql\n");
  }
}

TEST_CASE("quiet mode (-q) prints nothing on stderr for a successful upgrade, and errors still",
          "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  // A revision not built yet: the compiler's progress is quiet too.
  add_revision(dir, {"dddd0004", "four", "", ""});

  CliRun quiet = run_retort(dir, "-q upgrade head");
  INFO(quiet.err);
  CHECK(quiet.status == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out.empty());
  CHECK(run_retort(dir, "current").out == "dddd0004 (head)\n");

  CliRun json = run_retort(dir, "--quiet downgrade base --json");
  CHECK(json.status == 0);
  CHECK(json.err.empty());
  CHECK(py(dir, json.out, "[s['revision'] for s in d['steps']]") ==
        R"(["dddd0004","cccc0003","bbbb0002","aaaa0001"])");

  CliRun failed = run_retort(dir, "-q upgrade zzzz9999");
  CHECK(failed.status == 1);
  CHECK_THAT(failed.err, Catch::StartsWith("error: ") && Catch::Contains("'zzzz9999'"));

  // Answers on stdout are not progress: -q keeps them.
  CHECK(run_retort(dir, "-q heads").out == "dddd0004 (head)\n");
}

TEST_CASE("bad options and log levels exit with code 2", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  CliRun bogus = run_retort(dir, "upgrade head --bogus");
  CHECK(bogus.status == 2);
  CHECK_THAT(bogus.err, Catch::StartsWith("error: ") && Catch::Contains("bogus"));
  CHECK(run_retort(dir, "current --json --bogus").status == 2);
  CHECK(run_retort(dir, "--no-such-global current").status == 2);

  CliRun level = run_retort(dir, "--log-level loud current");
  CHECK(level.status == 2);
  CHECK(level.err ==
        "error: unknown log level 'loud'; use debug, info, warning or error\n"
        "hint: run 'retort --help' for usage\n");
}

TEST_CASE(
    "log level debug (--log-level debug) shows the runner's own lines and error hides progress",
    "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  CliRun debug = run_retort(dir, "--log-level debug upgrade aaaa0001");
  INFO(debug.err);
  REQUIRE(debug.status == 0);
  CHECK_THAT(debug.err, Catch::Contains("debug: connected to sqlite:///" +
                                        (dir / "retort.db").string() + "\n"));
  CHECK_THAT(debug.err, Catch::Contains("debug: executing CREATE TABLE account"));
  CHECK(debug.out == "Running upgrade  -> aaaa0001, create account table\n");

  CliRun info = run_retort(dir, "upgrade bbbb0002");
  CHECK(info.err.find("debug:") == std::string::npos);

  CliRun error = run_retort(dir, "--log-level error upgrade head");
  CHECK(error.status == 0);
  CHECK(error.err.empty());
  CHECK(error.out.empty());
}

TEST_CASE("a step that takes a second or more gets a 'done in' line", "[e2e][json]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  add_revision(dir, {"fast0001", "fast", "", ""});
  add_slow_revision(dir, {"slow0002", "slow",
                          "  std::this_thread::sleep_for(std::chrono::milliseconds(1100));", ""});
  build(dir);

  CliRun upgrade = run_retort(dir, "upgrade head --json");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(py(dir, upgrade.out, "d['steps'][1]['duration_ms'] >= 1100") == "true");
  CHECK(py(dir, upgrade.out, "d['steps'][0]['duration_ms'] < 1000") == "true");
  // One "done in" line, after the slow step's "Running" line only.
  const std::string running_slow = "Running upgrade fast0001 -> slow0002, slow\n";
  auto at = upgrade.err.find(running_slow);
  REQUIRE(at != std::string::npos);
  CHECK_THAT(upgrade.err.substr(at + running_slow.size()),
             Catch::Matches("  done in 1\\.[0-9] s\n"));
  CHECK(upgrade.err.find("done in") == upgrade.err.rfind("done in"));

  // Without --json the "Running" lines stay on stdout, the timing on stderr.
  REQUIRE(run_retort(dir, "downgrade base").status == 0);
  CliRun plain = run_retort(dir, "upgrade head");
  CHECK(plain.out ==
        "Running upgrade  -> fast0001, fast\n"
        "Running upgrade fast0001 -> slow0002, slow\n");
  CHECK_THAT(plain.err, Catch::Matches("  done in 1\\.[0-9] s\n"));
}
