// Fleet runs against real servers: 20 PostgreSQL databases at -j 8, two
// fleet processes over the same 20 (each revision applied exactly once per
// database, by whichever process took that database's lock first), and a
// MariaDB target whose connection is killed mid-revision while the others
// finish.
#include "e2e_harness.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;
using Lines = std::vector<std::string>;

namespace {

constexpr int kPostgresTargets = 20;

// `url` (or an ODBC string: `key` is then "Database=") naming `database`
// instead of the test database.
std::string on_database(const std::string& text, const std::string& database) {
  const std::string test_db = "retort_test";
  const size_t at = text.rfind(test_db);
  REQUIRE(at != std::string::npos);
  return text.substr(0, at) + database + text.substr(at + test_db.size());
}

// Three revisions; the second runs `pause_sql` (a sleep) between the others.
void make_project(const fs::path& dir, const std::string& pause_sql) {
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  std::ofstream(dir / "migrations" / "versions" / "fleet.cpp") << R"~(#include <retort/revision.hpp>
namespace {
using namespace retort;
void up1(Operations& op) { op.create_table("fleet_one", {Column("id", Integer()).primary_key()}); }
void down1(Operations& op) { op.drop_table("fleet_one"); }
void up2(Operations& op) { op.execute(")~" << pause_sql << R"~("); }
void down2(Operations&) {}
void up3(Operations& op) { op.create_table("fleet_three", {Column("id", Integer()).primary_key()}); }
void down3(Operations& op) { op.drop_table("fleet_three"); }
}  // namespace
RETORT_REVISION(.revision = "fleet_a", .down_revision = nullptr, .message = "one",
                .upgrade = up1, .downgrade = down1)
RETORT_REVISION(.revision = "fleet_b", .down_revision = "fleet_a", .message = "pause",
                .upgrade = up2, .downgrade = down2)
RETORT_REVISION(.revision = "fleet_c", .down_revision = "fleet_b", .message = "three",
                .upgrade = up3, .downgrade = down3)
)~";
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
}

std::string pg_database(int i) { return "fleet_pg_" + std::to_string(i); }

// Fresh databases fleet_pg_1..20 owned by the test role, and their list.
void make_postgres_fleet(const fs::path& dir) {
  Catalog admin(server_env("RETORT_TEST_POSTGRESQL_ADMIN_ODBC"));
  const std::string url = server_env("RETORT_TEST_POSTGRESQL_URL");
  std::ofstream targets(dir / "targets.txt");
  for (int i = 1; i <= kPostgresTargets; ++i) {
    admin.execute("DROP DATABASE IF EXISTS " + pg_database(i));
    admin.execute("CREATE DATABASE " + pg_database(i) + " OWNER retort");
    // The password is percent-encoded; a lone % stays itself in a targets file.
    targets << "pg" << i << " = " << on_database(url, pg_database(i)) << "\n";
  }
}

// Each revision's "done" events in one database's history, and its version.
void check_applied_once(int i) {
  Catalog db(on_database(server_env("RETORT_TEST_POSTGRESQL_ODBC"), pg_database(i)));
  INFO(pg_database(i));
  CHECK(db.rows("SELECT revision, COUNT(*) FROM retort_history WHERE event = 'done' "
                "GROUP BY revision ORDER BY revision") ==
        Lines{"fleet_a|1", "fleet_b|1", "fleet_c|1"});
  CHECK(db.rows("SELECT version_num FROM retort_version") == Lines{"fleet_c"});
}

void drop_postgres_fleet() {
  Catalog admin(server_env("RETORT_TEST_POSTGRESQL_ADMIN_ODBC"));
  for (int i = 1; i <= kPostgresTargets; ++i)
    admin.execute("DROP DATABASE IF EXISTS " + pg_database(i));
}

}  // namespace

TEST_CASE("a fleet upgrades 20 PostgreSQL databases at -j 8 to head",
          "[server][postgresql][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_project(dir, "SELECT pg_sleep(0.1)");
  make_postgres_fleet(dir);

  CliRun run = run_retort(dir, "upgrade head --targets targets.txt -j 8 --json");
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(py(dir, run.out, "sorted(set((t['outcome'], t['steps']) for t in d['targets']))") ==
        R"([["done",3]])");
  CHECK(py(dir, run.out, "len(d['targets'])") == "20");
  // The password never shows, though every URL holds one.
  CHECK(run.out.find("re%40t") == std::string::npos);
  CHECK(py(dir, run.out, "d['targets'][0]['url'].split('@')[0]") == "postgresql://retort:***");
  for (int i = 1; i <= kPostgresTargets; ++i) check_applied_once(i);

  CliRun current = run_retort(dir, "current --targets targets.txt -j 8");
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK_THAT(current.out, Catch::Contains("pg20    fleet_c  fleet_c  0      "));
  drop_postgres_fleet();
}

TEST_CASE("two fleet processes over the same 20 PostgreSQL databases apply each revision once",
          "[server][postgresql][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_project(dir, "SELECT pg_sleep(0.3)");
  make_postgres_fleet(dir);

  const std::string command = "upgrade head --targets targets.txt -j 8 --json";
  auto first = std::async(std::launch::async, [&] { return run_retort(dir, command); });
  auto second = std::async(std::launch::async, [&] { return run_retort(dir, command); });
  CliRun a = first.get();
  CliRun b = second.get();
  INFO(a.err);
  INFO(b.err);
  CHECK(a.status == 0);
  CHECK(b.status == 0);
  // Per database, one process ran the three steps and the other found
  // nothing to do.
  std::ofstream(dir / "both.json") << "[" << a.out << "," << b.out << "]";
  CHECK(py(dir, read_text(dir / "both.json"),
           "sorted(set(tuple(sorted([x['steps'], y['steps']])) for x, y in "
           "zip(d[0]['targets'], d[1]['targets'])))") == "[[0,3]]");
  for (int i = 1; i <= kPostgresTargets; ++i) check_applied_once(i);
  drop_postgres_fleet();
}

TEST_CASE("a MariaDB target killed mid-revision fails alone while the others finish",
          "[server][mariadb][fleet]") {
  Catalog admin(server_env("RETORT_TEST_MARIADB_ADMIN_ODBC"));
  const std::string url = server_env("RETORT_TEST_MARIADB_URL");
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  // Only the victim's database sleeps in fleet_b.
  make_project(dir, "SELECT SLEEP(IF(DATABASE() = 'fleet_my_2', 60, 0))");
  {
    std::ofstream targets(dir / "targets.txt");
    for (int i = 1; i <= 4; ++i) {
      const std::string name = "fleet_my_" + std::to_string(i);
      admin.execute("DROP DATABASE IF EXISTS " + name);
      admin.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
      admin.execute("GRANT ALL ON " + name + ".* TO 'retort'@'%'");
      targets << "my" << i << " = " << on_database(url, name) << "\n";
    }
  }

  BackgroundRun fleet(dir, "upgrade head --targets targets.txt -j 4 --json", {});
  std::string victim;
  for (int tries = 0; tries < 600 && victim.empty(); ++tries) {
    Lines ids = admin.rows(
        "SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND db = "
        "'fleet_my_2' AND info LIKE 'SELECT SLEEP(IF(DATABASE()%'");
    if (!ids.empty()) victim = ids.front();
    if (victim.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE_FALSE(victim.empty());
  admin.execute("KILL " + victim);

  const int status = fleet.wait();
  INFO(fleet.err());
  CHECK(status == 1);
  const std::string out = fleet.out();
  INFO(out);
  CHECK(py(dir, out, "{t['target']: [t['outcome'], t['to']] for t in d['targets']}") ==
        R"({"my1":["done",["fleet_c"]],"my2":["failed",["fleet_a"]],"my3":["done",["fleet_c"]],)"
        R"("my4":["done",["fleet_c"]]})");
  CHECK_THAT(py(dir, out, "d['targets'][1]['error']"),
             Catch::StartsWith("revision 'fleet_b' failed (upgrade fleet_a -> fleet_b)"));
  Catalog victim_db(on_database(server_env("RETORT_TEST_MARIADB_ODBC"), "fleet_my_2"));
  CHECK(victim_db.rows("SELECT version_num FROM retort_version") == Lines{"fleet_a"});
  for (int i = 1; i <= 4; ++i)
    admin.execute("DROP DATABASE IF EXISTS fleet_my_" + std::to_string(i));
}
