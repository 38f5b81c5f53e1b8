// `retort revision --autogenerate` through the CLI on real PostgreSQL and
// MariaDB databases (autogenerate_cli.hpp). The database is emptied first:
// drift is measured against every table of it.
#include "autogenerate_cli.hpp"
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace retort::test;

TEST_CASE("revision --autogenerate on postgresql leaves no drift and downgrades cleanly",
          "[server][postgresql][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  for (const std::string& table :
       db.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
    db.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
  }
  ScratchDir scratch;
  REQUIRE(run_retort(scratch.path(), "init migrations").status == 0);
  set_database_url(scratch.path(), server_env("RETORT_TEST_POSTGRESQL_URL"));
  autogenerate_cli::check_workflow(scratch.path());
}

TEST_CASE("revision --autogenerate on mariadb leaves no drift and downgrades cleanly",
          "[server][mariadb][autogenerate]") {
  Catalog db(server_env("RETORT_TEST_MARIADB_ODBC"));
  db.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const std::string& table : db.rows("SELECT TABLE_NAME FROM information_schema.TABLES "
                                          "WHERE TABLE_SCHEMA = DATABASE()")) {
    db.execute("DROP TABLE `" + table + "`");
  }
  db.execute("SET FOREIGN_KEY_CHECKS = 1");
  ScratchDir scratch;
  REQUIRE(run_retort(scratch.path(), "init migrations").status == 0);
  set_database_url(scratch.path(), server_env("RETORT_TEST_MARIADB_URL"));
  autogenerate_cli::check_workflow(scratch.path());
}
