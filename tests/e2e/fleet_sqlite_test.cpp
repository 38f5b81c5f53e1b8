// Fleet runs on SQLite files: one command over many databases, each target
// an ordinary run with its own lock, history and checks, and one report.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"
#include "killed_runner_fixture.hpp"

#include <retort/config.hpp>
#include <retort/fleet.hpp>
#include <retort/log.hpp>

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// `count` targets t1..tN, each its own SQLite file beside the list.
void write_targets(const fs::path& file, int count, const std::string& extra = {}) {
  std::ofstream out(file);
  out << "# the fleet\n";
  for (int i = 1; i <= count; ++i) out << "t" << i << " = sqlite:///%(here)s/t" << i << ".db\n";
  out << extra;
}

std::string version_of(const fs::path& db) {
  return sqlite(db, "SELECT version_num FROM retort_version");
}

// Holds a SQLite file's write lock from another process, as a runner in
// the middle of its run would, until the end of the scope.
class HeldLock {
 public:
  HeldLock(const fs::path& db, const fs::path& dir) : pid_file_(dir / "holder.pid") {
    const fs::path ready = dir / "holder.ready";
    const std::string script = "import sqlite3, time; c = sqlite3.connect('" + db.string() +
                               "', isolation_level=None); c.execute('BEGIN IMMEDIATE'); open('" +
                               ready.string() + "', 'w').close(); time.sleep(120)";
    const std::string command =
        "python3 -c \"" + script + "\" >/dev/null 2>&1 & echo $! > '" + pid_file_.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    for (int i = 0; i < 300 && !fs::exists(ready); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(fs::exists(ready));
  }
  ~HeldLock() {
    const std::string pid = read_text(pid_file_);
    ::kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
  }

 private:
  fs::path pid_file_;
};

}  // namespace

TEST_CASE("a fleet upgrades 50 SQLite files at -j 8 to head and then has nothing to do",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_targets(dir / "targets.txt", 50);

  CliRun run = run_retort(dir, "upgrade head --targets targets.txt -j 8");
  INFO(run.err);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Catch::StartsWith("target  from  to        steps  time") &&
                          Catch::Contains("50 targets, 0 failed or not run; exit code 0"));
  for (int i = 1; i <= 50; ++i) {
    INFO("t" << i);
    CHECK(version_of(dir / ("t" + std::to_string(i) + ".db")) == "cccc0003\n");
  }
  CHECK(run.out.find("t17     base  cccc0003  3") != std::string::npos);

  CliRun again = run_retort(dir, "upgrade head --targets targets.txt -j 8 --json");
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(py(dir, again.out, "sorted(set(t['outcome'] for t in d['targets']))") ==
        R"(["nothing to do"])");
  CHECK(py(dir, again.out, "len(d['targets'])") == "50");

  CliRun current = run_retort(dir, "current --targets targets.txt -j 8 --json");
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK(py(dir, current.out, "sorted(set(','.join(t['to']) for t in d['targets']))") ==
        R"(["cccc0003"])");

  CliRun check = run_retort(dir, "check --targets targets.txt -j 4");
  INFO(check.err);
  CHECK(check.status == 0);
}

TEST_CASE("in a fleet an unreachable and a changed and a locked target fail alone and are named",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_targets(dir / "targets.txt", 3,
                "unreachable = sqlite:////nonexistent-dir/x.db\n"
                "changed = sqlite:///%(here)s/changed.db\n"
                "locked = sqlite:///%(here)s/locked.db?Timeout=100\n");
  // locked: its lock attempts give up after about 0.2 s (twice the driver's
  // Timeout, sqlite_dialect.cpp) rather than the default 2 s, so that a
  // --lock-timeout under a second sees several and says it waits.
  // changed: applied, then its history says aaaa0001 rendered otherwise.
  std::ofstream(dir / "one.txt") << "sqlite:///%(here)s/changed.db\nsqlite:///%(here)s/locked.db\n";
  REQUIRE(run_retort(dir, "upgrade bbbb0002 --targets one.txt").status == 0);
  sqlite(dir / "changed.db", "UPDATE retort_history SET checksum = 'v1:sha256:" +
                                 std::string(64, '0') + "' WHERE revision = 'aaaa0001'");
  HeldLock held(dir / "locked.db", dir);

  CliRun run = run_retort(dir, "upgrade head --targets targets.txt -j 3 --lock-timeout 0.5 --json");
  INFO(run.err);
  CHECK(run.status == 3);  // the checksum outranks the failure (1) and the lock timeout (4)
  const std::string outcomes =
      "{t['target']: [t['outcome'], t['exit_code']] for t in d['targets']}";
  CHECK(py(dir, run.out, outcomes) ==
        R"({"changed":["failed",3],"locked":["failed",4],"t1":["done",0],"t2":["done",0],)"
        R"("t3":["done",0],"unreachable":["failed",1]})");
  CHECK(py(dir, run.out, "d['exit_code']") == "3");
  CHECK_THAT(py(dir, run.out, "d['targets'][3]['error']"), Catch::Contains("x.db"));
  CHECK_THAT(py(dir, run.out, "d['targets'][4]['error']"),
             Catch::Contains("'aaaa0001'") && Catch::Contains("changed since it was applied"));
  CHECK_THAT(py(dir, run.out, "d['targets'][5]['error']"),
             Catch::Contains("timed out after 0.5 s waiting for the migration lock"));
  CHECK(version_of(dir / "t2.db") == "cccc0003\n");
  CHECK(version_of(dir / "changed.db") == "bbbb0002\n");

  SECTION("the table names the same targets and reasons") {
    CliRun table = run_retort(dir, "upgrade head --targets targets.txt -j 3 --lock-timeout 0.5");
    CHECK(table.status == 3);
    CHECK_THAT(table.out, Catch::Contains("t1           cccc0003  cccc0003  0      ") &&
                              Catch::Contains("nothing to do"));
    CHECK_THAT(table.out, Catch::Matches("(.|\n)*changed +bbbb0002 +bbbb0002 +0 +[0-9.]+s +failed "
                                         "+revision 'aaaa0001' (.|\n)*"));
    CHECK_THAT(table.out, Catch::Matches("(.|\n)*locked +- +- +0 +[0-9.]+s +failed +timed out "
                                         "after 0.5 s(.|\n)*"));
  }
  SECTION("a target's log lines are its own and name it") {
    CliRun text = run_retort(dir, "upgrade head --targets targets.txt -j 3 --lock-timeout 1");
    CHECK(text.status == 3);
    CHECK_THAT(text.err, Catch::Contains("\nlocked: info: waiting for the migration lock "
                                         "'retort:retort_version'") ||
                             Catch::StartsWith("locked: info: waiting for the migration lock"));
    CliRun json =
        run_retort(dir, "upgrade head --targets targets.txt -j 3 --lock-timeout 1 --json");
    CHECK_THAT(py(dir, json.out, "d['targets'][5]['log']"),
               Catch::Contains("info: waiting for the migration lock"));
    CHECK(py(dir, json.out, "d['targets'][0]['log']") == "[]");
  }
  SECTION("with --fail-fast no target starts after the first failure") {
    CliRun fast = run_retort(dir,
                             "upgrade head --targets targets.txt -j 1 --lock-timeout 0.5 "
                             "--fail-fast --json");
    CHECK(fast.status == 1);
    CHECK(
        py(dir, fast.out, "[t['outcome'] for t in d['targets']]") ==
        R"(["nothing to do","nothing to do","nothing to do","failed","not started","not started"])");
  }
}

TEST_CASE("a fleet's targets may be config sections with their own options",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  std::ofstream(dir / "retort.ini", std::ios::app)
      << "\n[tenant_a]\nurl = sqlite:///%(here)s/a.db\nversion_table = a_version\n";
  std::ofstream(dir / "targets.txt") << "tenant_a\n[tenant_b]\n";

  CliRun missing = run_retort(dir, "upgrade head --targets targets.txt");
  CHECK(missing.status == 1);
  CHECK(missing.err ==
        "error: targets.txt:2: no section [tenant_b] in 'retort.ini'\n"
        "hint: add the section with its url, or write the target as name = URL\n");
  CHECK_FALSE(fs::exists(dir / "a.db"));

  std::ofstream(dir / "targets.txt") << "tenant_a\n";
  CliRun run = run_retort(dir, "upgrade head --targets targets.txt");
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(sqlite(dir / "a.db", "SELECT version_num FROM a_version") == "cccc0003\n");
}

TEST_CASE("a fleet reads its targets from stdin and shards them", "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_targets(dir / "targets.txt", 5);
  CliRun first = run_retort(dir, "upgrade head --targets - --shard 1/2 --json < targets.txt");
  INFO(first.err);
  CHECK(first.status == 0);
  CHECK(py(dir, first.out, "[t['target'] for t in d['targets']]") == R"(["t1","t3","t5"])");
  CHECK_FALSE(fs::exists(dir / "t2.db"));
  CliRun second = run_retort(dir, "upgrade head --targets targets.txt --shard 2/2 --json");
  CHECK(py(dir, second.out, "[t['target'] for t in d['targets']]") == R"(["t2","t4"])");
  CHECK(version_of(dir / "t4.db") == "cccc0003\n");

  CliRun bad = run_retort(dir, "upgrade head --targets targets.txt --shard 3/2");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("--shard '3/2' is not K/M with 1 <= K <= M"));
  CliRun alone = run_retort(dir, "upgrade head -j 4");
  CHECK(alone.status == 2);
  CHECK_THAT(alone.err, Catch::Contains("add --targets FILE"));
}

TEST_CASE("a fleet's --sql writes one script per target and its table on stderr",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_targets(dir / "targets.txt", 2);
  CliRun run = run_retort(dir, "upgrade head --sql --targets targets.txt -j 4");
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK_THAT(run.out, Catch::StartsWith("-- target: t1\n\n") &&
                          Catch::Contains("-- target: t2\n\n") &&
                          Catch::Contains("CREATE TABLE ledger"));
  CHECK_THAT(run.err, Catch::Contains("2 targets, 0 failed or not run; exit code 0"));
  CHECK_FALSE(fs::exists(dir / "t1.db"));
}

TEST_CASE("a fleet's odbc targets each use the dialect their url names", "[e2e][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  // One scheme, two dialects: the fleet loads a dialect once per dialect,
  // not once per scheme.
  std::ofstream(dir / "targets.txt") << "lite = odbc://Nowhere?dialect=sqlite\n"
                                        "pg = odbc://Nowhere?dialect=postgresql\n";
  CliRun run = run_retort(dir, "upgrade head --sql --targets targets.txt -j 1");
  INFO(run.err);
  REQUIRE(run.status == 0);
  const size_t pg = run.out.find("-- target: pg\n");
  REQUIRE(pg != std::string::npos);
  const std::string lite_script = run.out.substr(0, pg);
  const std::string pg_script = run.out.substr(pg);
  CHECK_THAT(lite_script, Catch::StartsWith("-- target: lite\n") &&
                              Catch::Contains("created DATETIME DEFAULT CURRENT_TIMESTAMP"));
  CHECK_THAT(pg_script,
             Catch::Contains("created TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP"));
}

TEST_CASE("a fleet's report never shows a target's password", "[e2e][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  std::ofstream(dir / "targets.txt") << "postgresql://app:${FLEET_SECRET}@127.0.0.1:1/app\n";
  CliRun run = run_retort(dir, "upgrade head --targets targets.txt --json");
  CliRun text = run_retort(dir, "upgrade head --targets targets.txt");
  (void)text;
  const std::string all = run.out + run.err + text.out + text.err;
  CHECK(run.status == 1);
  CHECK_THAT(all, Catch::Contains("FLEET_SECRET"));  // unset: the line is refused
  std::ofstream(dir / "targets.txt") << "postgresql://app:hunter2@127.0.0.1:1/app\n";
  CliRun refused = run_retort(dir, "upgrade head --targets targets.txt --json");
  CliRun table = run_retort(dir, "upgrade head --targets targets.txt");
  CHECK(refused.status == 1);
  CHECK(py(dir, refused.out, "d['targets'][0]['target']") ==
        "postgresql://app:***@127.0.0.1:1/app");
  const std::string shown = refused.out + refused.err + table.out + table.err;
  CHECK(shown.find("hunter2") == std::string::npos);
}

TEST_CASE("an interrupted fleet lets the running target finish its step and starts no other",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_kill_project(dir, "kill_version", "kill_history");
  std::ofstream(dir / "targets.txt") << "a = sqlite:///%(here)s/a.db\nb = sqlite:///%(here)s/b.db\n"
                                        "c = sqlite:///%(here)s/c.db\n";
  const fs::path marker = dir / "paused";
  BackgroundRun fleet(dir, "upgrade head --targets targets.txt -j 1 --json",
                      {{kPauseMarkerVariable, marker.string()}, {kPauseSecondsVariable, "2"}});
  fleet.wait_for(marker, std::chrono::seconds(60));  // a is in k2, between two statements
  fleet.signal(SIGINT);
  const int status = fleet.wait();
  INFO(fleet.err());
  CHECK(status == 1);  // b and c did not run
  CHECK(py(dir, fleet.out(), "[[t['target'], t['outcome'], t['to']] for t in d['targets']]") ==
        R"([["a","done",["k2"]],["b","not started",null],["c","not started",null]])");
  CHECK(sqlite(dir / "a.db", "SELECT version_num FROM kill_version") == "k2\n");
  CHECK_FALSE(fs::exists(dir / "b.db"));
}

TEST_CASE("an application upgrades a fleet through upgrade_targets and reads each target's result",
          "[e2e][embedding][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  retort::Config cfg{(dir / "retort.ini").string()};
  REQUIRE_FALSE(cfg.load_error());
  std::ostringstream out;
  cfg.set_output(out);
  std::vector<std::string> fleet_log;
  cfg.set_log_sink(
      [&](retort::LogLevel, std::string_view message) { fleet_log.emplace_back(message); });

  auto targets = retort::parse_targets(
      "a = sqlite:///%(here)s/a.db\nb = sqlite:///%(here)s/b.db\nc = "
      "sqlite:////nonexistent-dir/c.db\n",
      "app", dir.string());
  REQUIRE(targets);
  auto report = retort::command::upgrade_targets(cfg, *targets, "bbbb0002", {}, {.jobs = 2});
  REQUIRE(report);
  REQUIRE(report->targets.size() == 3);
  const retort::TargetResult& a = report->targets[0];
  CHECK(a.name == "a");
  CHECK(a.outcome == retort::TargetOutcome::kDone);
  CHECK(a.from == std::vector<std::string>{});
  CHECK(a.to == std::vector<std::string>{"bbbb0002"});
  CHECK(a.steps == 2);
  CHECK_THAT(a.output, Catch::Contains("Running upgrade aaaa0001 -> bbbb0002"));
  CHECK(report->targets[2].outcome == retort::TargetOutcome::kFailed);
  CHECK(report->targets[2].error.category() == retort::ErrorCategory::kDatabase);
  CHECK_FALSE(report->targets[2].from.has_value());
  CHECK(report->exit_code() == 1);
  CHECK(out.str().empty());  // each target printed into its own result
  CHECK(sqlite(dir / "b.db", "SELECT version_num FROM retort_version") == "bbbb0002\n");

  auto current = retort::command::current_targets(cfg, *targets);
  REQUIRE(current);
  CHECK(current->targets[1].to == std::vector<std::string>{"bbbb0002"});
}

TEST_CASE("a fleet downgrades and stamps every target as the single commands do",
          "[e2e][sqlite][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_targets(dir / "targets.txt", 3);
  REQUIRE(run_retort(dir, "upgrade head --targets targets.txt -j 3").status == 0);

  CliRun down = run_retort(dir, "downgrade aaaa0001 --targets targets.txt -j 3 --json");
  INFO(down.err);
  CHECK(down.status == 0);
  CHECK(py(dir, down.out,
           "[[t['from'], t['to'], t['steps'], t['outcome']] for t in d['targets']][0]") ==
        R"([["cccc0003"],["aaaa0001"],2,"done"])");
  CHECK(version_of(dir / "t3.db") == "aaaa0001\n");

  CliRun stamp = run_retort(dir, "stamp cccc0003 --targets targets.txt -j 2 --json");
  INFO(stamp.err);
  CHECK(stamp.status == 0);
  CHECK(py(dir, stamp.out, "sorted(set((tuple(t['to']), t['outcome']) for t in d['targets']))") ==
        R"([[["cccc0003"],"done"]])");
  CHECK(version_of(dir / "t1.db") == "cccc0003\n");
  // Stamped, never run: cccc0003's table is not there.
  CHECK(sqlite(dir / "t1.db", "SELECT count(*) FROM sqlite_master WHERE name = 'ledger'") == "0\n");
}

TEST_CASE("check over a fleet reports the drift from the model of each target and exits 6",
          "[e2e][sqlite][fleet][autogenerate]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  std::ofstream(dir / "migrations" / "model.cpp") << R"(#include <retort/model.hpp>

RETORT_MODEL(retort::Table("ag_item", {retort::Column("id", retort::Integer()).primary_key(),
                                       retort::Column("name", retort::String(40))}))
)";
  sqlite(dir / "same.db",
         "CREATE TABLE ag_item (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(40))");
  sqlite(dir / "drifted.db", "CREATE TABLE ag_item (id INTEGER NOT NULL PRIMARY KEY)");
  std::ofstream(dir / "targets.txt") << "same = sqlite:///%(here)s/same.db\n"
                                        "drifted = sqlite:///%(here)s/drifted.db\n"
                                        "unreachable = sqlite:////nonexistent-dir/x.db\n";

  CliRun run = run_retort(dir, "check --targets targets.txt -j 2");
  INFO(run.err);
  CHECK(run.status == 6);  // drift outranks the failure (1)
  CHECK_THAT(run.out, Catch::Contains("drift") &&
                          Catch::Contains("the database differs from the model in 1 way") &&
                          Catch::Contains("3 targets, 2 failed or not run; exit code 6"));

  CliRun json = run_retort(dir, "check --targets targets.txt --json");
  INFO(json.err);
  CHECK(json.status == 6);
  CHECK(py(dir, json.out, "{t['target']: [t['outcome'], t['exit_code']] for t in d['targets']}") ==
        R"({"drifted":["drift",6],"same":["done",0],"unreachable":["failed",1]})");
  CHECK(py(dir, json.out, "d['targets'][1]['drift']") == R"(["add_column ag_item.name"])");
  CHECK(py(dir, json.out, "d['targets'][0]['drift']") == "[]");
  CHECK(py(dir, json.out, "d['exit_code']") == "6");
}
