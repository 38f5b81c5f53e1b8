// The multidb template: several databases in one environment, each named in
// retort.ini's databases option with a section of its own, each revision
// with an upgrade_<name>() and downgrade_<name>() per database.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// Replaces the body of `function` (as the template writes it, "(void)op;")
// in `source`.
void fill(const fs::path& source, const std::string& function, const std::string& body) {
  std::string text = read_text(source);
  const std::string empty = "void " + function + "(retort::Operations& op) {\n  (void)op;\n}";
  const size_t at = text.find(empty);
  REQUIRE(at != std::string::npos);
  text.replace(at, empty.size(),
               "void " + function + "(retort::Operations& op) {\n" + body + "\n}");
  std::ofstream(source) << text;
}

// init --template multidb, and two revisions: a1 creates one table in each
// database, b2 one more in engine1 and nothing in engine2.
void make_multidb(const fs::path& dir) {
  CliRun init = run_retort(dir, "init --template multidb migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  const fs::path versions = dir / "migrations" / "versions";
  REQUIRE(run_retort(dir, "revision -m 'first tables' --rev-id a1").status == 0);
  const fs::path a1 = revision_source(versions, "a1");
  fill(a1, "upgrade_engine1",
       R"(  op.create_table("orders", {retort::Column("id", retort::Integer()).primary_key()});)");
  fill(a1, "downgrade_engine1", R"(  op.drop_table("orders");)");
  fill(a1, "upgrade_engine2",
       R"(  op.create_table("audit", {retort::Column("id", retort::Integer()).primary_key()});)");
  fill(a1, "downgrade_engine2", R"(  op.drop_table("audit");)");
  REQUIRE(run_retort(dir, "revision -m 'order lines' --rev-id b2").status == 0);
  const fs::path b2 = revision_source(versions, "b2");
  fill(
      b2, "upgrade_engine1",
      R"(  op.create_table("order_line", {retort::Column("id", retort::Integer()).primary_key()});)");
  fill(b2, "downgrade_engine1", R"(  op.drop_table("order_line");)");
  build(dir);
}

std::string tables(const fs::path& db) {
  return sqlite(db,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'retort_%' "
                "ORDER BY name");
}

}  // namespace

TEST_CASE("the multidb template migrates each database with its own functions and version table",
          "[e2e][sqlite][multidb]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  copy_of_project(dir, "multidb", make_multidb);
  const fs::path engine1 = dir / "engine1.db";
  const fs::path engine2 = dir / "engine2.db";

  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.out << up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out ==
        "Database engine1\n"
        "Running upgrade  -> a1, first tables\nRunning upgrade a1 -> b2, order lines\n"
        "Database engine2\n"
        "Running upgrade  -> a1, first tables\nRunning upgrade a1 -> b2, order lines\n");
  CHECK(tables(engine1) == "order_line\norders\n");
  CHECK(tables(engine2) == "audit\n");
  CHECK(sqlite(engine1, "SELECT version_num FROM retort_version") == "b2\n");
  CHECK(sqlite(engine2, "SELECT version_num FROM retort_version") == "b2\n");
  CHECK(run_retort(dir, "current").out ==
        "Database engine1\nb2 (head)\nDatabase engine2\nb2 (head)\n");

  CliRun down = run_retort(dir, "downgrade base");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(tables(engine1).empty());
  CHECK(tables(engine2).empty());
  CHECK(sqlite(engine1, "SELECT count(*) FROM retort_version") == "0\n");
  CHECK(sqlite(engine2, "SELECT count(*) FROM retort_version") == "0\n");
}

TEST_CASE("a database of the databases option without a url section is an error naming it",
          "[e2e][sqlite][multidb]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  copy_of_project(dir, "multidb", make_multidb);
  std::string ini = read_text(dir / "retort.ini");
  ini.replace(ini.find("engine1, engine2"), 16, "engine1, engine3");
  std::ofstream(dir / "retort.ini") << ini;
  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::StartsWith("error: no 'url' key in section [engine3] of '"));
  CHECK_FALSE(fs::exists(dir / "engine1.db"));
}
