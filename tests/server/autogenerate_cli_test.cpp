// `retort revision --autogenerate` through the CLI on real PostgreSQL and
// MariaDB databases (autogenerate_cli.hpp). The database is emptied before,
// as drift is measured against every table of it, and after, so that the
// version table this test leaves does not reach the other tests.
#include "autogenerate_cli.hpp"
#include "autogenerate_steps.hpp"
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>

using namespace retort::test;

namespace {

// Runs `empty` now and again at scope exit, whatever the test did.
class Emptied {
 public:
  explicit Emptied(std::function<void()> empty) : empty_(std::move(empty)) { empty_(); }
  ~Emptied() {
    try {
      empty_();
    } catch (...) {
      // A failure here is reported by the next test that needs the database.
    }
  }

 private:
  std::function<void()> empty_;
};

void empty_postgresql(Catalog& db) {
  for (const std::string& table :
       db.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
    db.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
  }
}

void empty_mariadb(Catalog& db) {
  db.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const std::string& table : db.rows("SELECT TABLE_NAME FROM information_schema.TABLES "
                                          "WHERE TABLE_SCHEMA = DATABASE()")) {
    db.execute("DROP TABLE `" + table + "`");
  }
  db.execute("SET FOREIGN_KEY_CHECKS = 1");
}

}  // namespace

TEST_CASE("revision --autogenerate on postgresql leaves no drift and downgrades cleanly",
          "[server][postgresql][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  Emptied emptied([&] { empty_postgresql(db); });
  ScratchDir scratch;
  REQUIRE(run_retort(scratch.path(), "init migrations").status == 0);
  set_database_url(scratch.path(), server_env("RETORT_TEST_POSTGRESQL_URL"));
  autogenerate_cli::check_workflow(scratch.path(), /*comments=*/true);
}

TEST_CASE("revision --autogenerate on mariadb leaves no drift and downgrades cleanly",
          "[server][mariadb][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  Emptied emptied([&] { empty_mariadb(db); });
  ScratchDir scratch;
  REQUIRE(run_retort(scratch.path(), "init migrations").status == 0);
  set_database_url(scratch.path(), server_env("RETORT_TEST_MARIADB_URL"));
  autogenerate_cli::check_workflow(scratch.path(), /*comments=*/true);
}

TEST_CASE("on postgresql each model change autogenerates its operations and round-trips",
          "[server][postgresql][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  Emptied emptied([&] { empty_postgresql(db); });
  ScratchDir scratch;
  autogenerate_steps::check_steps(scratch.path(), server_env("RETORT_TEST_POSTGRESQL_URL"),
                                  /*comments=*/true);
}

TEST_CASE("on mariadb each model change autogenerates its operations and round-trips",
          "[server][mariadb][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  Emptied emptied([&] { empty_mariadb(db); });
  ScratchDir scratch;
  autogenerate_steps::check_steps(scratch.path(), server_env("RETORT_TEST_MARIADB_URL"),
                                  /*comments=*/true);
}
