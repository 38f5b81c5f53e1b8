// An application that runs the migrations on its own ODBC connection, inside
// its own transaction (Config::attributes().set_connection), on SQLite.
#include "app_connection.hpp"
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <retort/command.hpp>
#include <retort/config.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// A revision that needs the table the application created in its transaction.
const RevisionText kUsesAppTable{"dddd0004", "fill the app table",
                                 R"~(  op.execute("INSERT INTO app_table (id) VALUES (4)");)~",
                                 R"~(  op.execute("DELETE FROM app_table WHERE id = 4");)~"};

// The chain and kUsesAppTable, built once per run and copied into `dir`.
void make_app_chain(const fs::path& dir) {
  static std::optional<ScratchDir> built;
  if (!built) {
    built.emplace();
    make_chain(built->path());
    add_revision(built->path(), kUsesAppTable);
    build(built->path());
  }
  const std::string copy = "cp -a '" + built->path().string() + "/.' '" + dir.string() + "'";
  REQUIRE(std::system(copy.c_str()) == 0);
}

std::string odbc_for(const fs::path& db) { return "Driver=SQLite3;Database=" + db.string(); }

}  // namespace

TEST_CASE("a migration on the application's connection is rolled back with its transaction",
          "[e2e][embedding][sqlite][shared_connection]") {
  ScratchDir scratch;
  make_app_chain(scratch.path());
  const fs::path db = scratch.path() / "retort.db";
  AppConnection app(odbc_for(db));
  app.begin();
  app.execute("CREATE TABLE app_table (id INTEGER)");

  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  cfg.attributes().set_connection(app.handle());
  retort::Error err = retort::command::upgrade(cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK_THAT(out.str(), Catch::Contains("Running upgrade cccc0003 -> dddd0004"));
  // The revision saw the table, and it all waits in the application's transaction.
  CHECK(app.value("SELECT id FROM app_table") == "4");
  CHECK(app.value("SELECT version_num FROM retort_version") == "dddd0004");
  CHECK_FALSE(app.autocommit());

  app.rollback();
  CHECK(sqlite(db,
               "SELECT name FROM sqlite_master WHERE name IN ('app_table', 'retort_version', "
               "'account')") == "");
}

TEST_CASE("a migration on the application's connection is committed by the application",
          "[e2e][embedding][sqlite][shared_connection]") {
  ScratchDir scratch;
  make_app_chain(scratch.path());
  const fs::path db = scratch.path() / "app.db";
  AppConnection app(odbc_for(db));
  app.begin();
  app.execute("CREATE TABLE app_table (id INTEGER)");

  // No url: the driver's product name chooses the dialect.
  retort::Config cfg;
  cfg.set_main_option("script_location", (scratch.path() / "migrations").string());
  std::ostringstream out;
  cfg.set_output(out);
  cfg.attributes().set_connection(app.handle());
  retort::Error err = retort::command::upgrade(cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  auto current = retort::command::current_revisions(cfg);
  REQUIRE(current);
  CHECK(*current == std::vector<std::string>{"dddd0004"});

  app.commit();
  CHECK(sqlite(db, "SELECT id FROM app_table") == "4\n");
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "dddd0004\n");
}

TEST_CASE("an application holding begin immediate migrates on its own connection",
          "[e2e][embedding][sqlite][shared_connection]") {
  ScratchDir scratch;
  make_app_chain(scratch.path());
  const fs::path db = scratch.path() / "retort.db";
  AppConnection app(odbc_for(db));
  app.execute("BEGIN IMMEDIATE");
  app.execute("CREATE TABLE app_table (id INTEGER)");

  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  // Without its connection, the application's own lock keeps retort out.
  retort::Error locked = retort::command::upgrade(cfg, "head", {.lock_timeout_seconds = 0});
  CHECK(locked.category() == retort::ErrorCategory::kLockTimeout);

  cfg.attributes().set_connection(app.handle());
  retort::Error err = retort::command::upgrade(cfg, "head", {.lock_timeout_seconds = 0});
  INFO(err.message());
  REQUIRE_FALSE(err);
  app.execute("COMMIT");
  CHECK(sqlite(db, "SELECT id FROM app_table") == "4\n");
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "dddd0004\n");
}

TEST_CASE("a migration on the application's connection in autocommit commits each step",
          "[e2e][embedding][sqlite][shared_connection]") {
  ScratchDir scratch;
  make_app_chain(scratch.path());
  const fs::path db = scratch.path() / "retort.db";
  AppConnection app(odbc_for(db));
  app.execute("CREATE TABLE app_table (id INTEGER)");

  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  cfg.attributes().set_connection(app.handle());
  REQUIRE_FALSE(retort::command::upgrade(cfg, "head"));
  // Committed, the connection left in autocommit and still open.
  CHECK(app.autocommit());
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "dddd0004\n");
  REQUIRE_FALSE(retort::command::downgrade(cfg, "cccc0003"));
  CHECK(app.value("SELECT COUNT(*) FROM app_table") == "0");
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "cccc0003\n");
}

TEST_CASE("a failed step inside the application's transaction leaves the application to decide",
          "[e2e][embedding][sqlite][shared_connection]") {
  ScratchDir scratch;
  make_app_chain(scratch.path());
  const fs::path db = scratch.path() / "retort.db";
  AppConnection app(odbc_for(db));
  app.begin();
  app.execute("CREATE TABLE other_table (id INTEGER)");

  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  cfg.attributes().set_connection(app.handle());
  // dddd0004 needs app_table, which this application never made.
  retort::Error err = retort::command::upgrade(cfg, "head");
  REQUIRE(err);
  CHECK_THAT(err.message(), Catch::Contains("revision 'dddd0004' failed"));
  // Only the failed step was undone; the transaction is still the application's.
  CHECK_FALSE(app.autocommit());
  CHECK(app.value("SELECT version_num FROM retort_version") == "cccc0003");

  app.commit();
  CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "cccc0003\n");
  CHECK(sqlite(db, "SELECT name FROM sqlite_master WHERE name = 'other_table'") == "other_table\n");
}
