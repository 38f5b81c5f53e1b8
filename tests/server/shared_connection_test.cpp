// An application that runs the migrations on its own ODBC connection, inside
// its own transaction (Config::attributes().set_connection), on a real
// PostgreSQL: the application commits or rolls back, and the migration lock
// is taken and released on that connection.
#include "app_connection.hpp"
#include "e2e_harness.hpp"
#include "server_support.hpp"

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

const char* const kReset =
    "DROP TABLE IF EXISTS app_table, shared_note, retort_version, retort_history CASCADE";

// Drops what the test made when it ends, however it ends: other tests
// expect a schema without these tables.
struct DropAfter {
  ~DropAfter() {
    auto connection = retort::OdbcConnection::connect(server_env("RETORT_TEST_POSTGRESQL_ODBC"),
                                                      "the test database");
    if (connection) (void)connection->execute(kReset);
  }
};

// Two revisions: one creates a table, one fills the application's table.
void make_shared_chain(const fs::path& dir) {
  static std::optional<ScratchDir> built;
  if (!built) {
    built.emplace();
    const fs::path& src = built->path();
    CliRun init = run_retort(src, "init migrations");
    INFO(init.err);
    REQUIRE(init.status == 0);
    const fs::path versions = src / "migrations" / "versions";
    REQUIRE(run_retort(src, "revision -m 'create note' --rev-id sc000001").status == 0);
    write_revision_body(revision_source(versions, "sc000001"),
                        R"~(  op.create_table("shared_note", {
      retort::Column("id", retort::Integer()).primary_key(),
  });)~",
                        R"~(  op.drop_table("shared_note");)~");
    REQUIRE(run_retort(src, "revision -m 'fill the app table' --rev-id sc000002").status == 0);
    write_revision_body(revision_source(versions, "sc000002"),
                        R"~(  op.execute("INSERT INTO app_table (id) VALUES (4)");)~",
                        R"~(  op.execute("DELETE FROM app_table WHERE id = 4");)~");
    CliRun build = run_retort(src, "build");
    INFO(build.err);
    REQUIRE(build.status == 0);
  }
  const std::string copy = "cp -a '" + built->path().string() + "/.' '" + dir.string() + "'";
  REQUIRE(std::system(copy.c_str()) == 0);
}

retort::Config config_for(const fs::path& dir, bool with_url, std::ostream& out) {
  retort::Config cfg;
  cfg.set_main_option("script_location", (dir / "migrations").string());
  if (with_url) {
    // Set values are interpolated: the encoded password's '%' is written '%%'.
    std::string url;
    for (char c : server_env("RETORT_TEST_POSTGRESQL_URL"))
      url += c == '%' ? std::string("%%") : std::string(1, c);
    cfg.set_main_option("url", url);
  }
  cfg.set_output(out);
  return cfg;
}

}  // namespace

TEST_CASE(
    "a migration on the application's postgresql connection is rolled back with its transaction",
    "[server][postgresql][shared_connection]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  db.execute(kReset);
  DropAfter drop_after;
  ScratchDir scratch;
  make_shared_chain(scratch.path());

  {
    AppConnection app(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
    app.begin();
    app.execute("CREATE TABLE app_table (id integer)");
    std::ostringstream out;
    retort::Config cfg = config_for(scratch.path(), /*with_url=*/true, out);
    cfg.attributes().set_connection(app.handle());
    retort::Error err = retort::command::upgrade(cfg, "head");
    INFO(err.message());
    REQUIRE_FALSE(err);
    CHECK_THAT(out.str(),
               Catch::Contains("Running upgrade sc000001 -> sc000002, fill the app table"));
    CHECK(app.value("SELECT id FROM app_table") == "4");
    CHECK(app.value("SELECT version_num FROM retort_version") == "sc000002");
    // Nothing is visible outside the application's transaction yet.
    CHECK(db.value("SELECT COUNT(*) FROM pg_tables WHERE tablename IN ('app_table', "
                   "'shared_note', 'retort_version')") == "0");
    app.rollback();
  }
  CHECK(db.value("SELECT COUNT(*) FROM pg_tables WHERE tablename IN ('app_table', 'shared_note', "
                 "'retort_version', 'retort_history')") == "0");
}

TEST_CASE("a migration on the application's postgresql connection is committed by the application",
          "[server][postgresql][shared_connection]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  db.execute(kReset);
  DropAfter drop_after;
  ScratchDir scratch;
  make_shared_chain(scratch.path());

  AppConnection app(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  app.begin();
  app.execute("CREATE TABLE app_table (id integer)");
  // No url: the driver's product name chooses the dialect.
  std::ostringstream out;
  retort::Config cfg = config_for(scratch.path(), /*with_url=*/false, out);
  cfg.attributes().set_connection(app.handle());
  retort::Error err = retort::command::upgrade(cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  // The lock was taken and released on the application's session.
  CHECK(app.value("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                  "pg_backend_pid()") == "0");
  app.commit();
  CHECK(db.value("SELECT id FROM app_table") == "4");
  CHECK(db.value("SELECT version_num FROM retort_version") == "sc000002");
  CHECK(db.value("SELECT COUNT(*) FROM retort_history WHERE event = 'done'") == "2");

  // A runner of its own may take the lock at once: nothing holds it.
  std::ostringstream own_out;
  retort::Config own = config_for(scratch.path(), /*with_url=*/true, own_out);
  retort::Error down = retort::command::downgrade(own, "sc000001", {.lock_timeout_seconds = 0});
  INFO(down.message());
  REQUIRE_FALSE(down);
  CHECK(db.value("SELECT COUNT(*) FROM app_table") == "0");
}

TEST_CASE("a migration on the application's postgresql connection in autocommit commits each step",
          "[server][postgresql][shared_connection]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  db.execute(kReset);
  DropAfter drop_after;
  ScratchDir scratch;
  make_shared_chain(scratch.path());

  AppConnection app(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  app.execute("CREATE TABLE app_table (id integer)");
  std::ostringstream out;
  retort::Config cfg = config_for(scratch.path(), /*with_url=*/true, out);
  cfg.attributes().set_connection(app.handle());
  retort::Error err = retort::command::upgrade(cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK(app.autocommit());
  CHECK(db.value("SELECT version_num FROM retort_version") == "sc000002");
  CHECK(db.value("SELECT id FROM app_table") == "4");
}
