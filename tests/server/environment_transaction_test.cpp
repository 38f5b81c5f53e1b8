// An environment's transaction_per_migration = false on a real PostgreSQL:
// the whole run is one transaction, so a failure in its last step leaves
// nothing of it behind.
#include "e2e_harness.hpp"
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

const char* const kReset =
    "DROP TABLE IF EXISTS retort_version, retort_history, env_a, env_b CASCADE";

// init, the url, an env.cpp with `env_body`, and three revisions: env_a,
// env_b, then one that fails.
void make_environment(const fs::path& dir, const std::string& url, const std::string& env_body) {
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  set_database_url(dir, url);
  std::ofstream(dir / "migrations" / "env.cpp")
      << "#include <retort/environment.hpp>\n\nvoid configure(retort::EnvironmentContext& "
         "context) {\n"
      << env_body << "\n}\n\nRETORT_ENVIRONMENT(configure)\n";
  const fs::path versions = dir / "migrations" / "versions";
  const struct {
    const char* id;
    const char* upgrade;
  } steps[] = {
      {"e1", R"(  op.create_table("env_a", {retort::Column("id", retort::Integer())});)"},
      {"e2", R"(  op.create_table("env_b", {retort::Column("id", retort::Integer())});)"},
      {"e3", R"~(  op.execute("INSERT INTO no_such_table VALUES (1)");)~"},
  };
  for (const auto& step : steps) {
    REQUIRE(run_retort(dir, std::string("revision -m step --rev-id ") + step.id).status == 0);
    write_revision_body(revision_source(versions, step.id), step.upgrade, "  (void)op;");
  }
}

}  // namespace

TEST_CASE("one transaction for the whole run on PostgreSQL leaves nothing when step 3 of 3 fails",
          "[server][postgresql][environment]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  db.execute(kReset);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_environment(dir, server_env("RETORT_TEST_POSTGRESQL_URL"),
                   "  context.set_transaction_per_migration(false);");

  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("no_such_table"));
  CHECK_THAT(up.err, Catch::Contains("nothing of it was applied"));
  CHECK(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                 "('env_a', 'env_b', 'retort_version')") == "0");

  // A transaction per migration (the default) keeps the two that worked.
  std::ofstream(dir / "migrations" / "env.cpp")
      << "#include <retort/environment.hpp>\n\nvoid configure(retort::EnvironmentContext&) {}\n\n"
         "RETORT_ENVIRONMENT(configure)\n";
  CliRun again = run_retort(dir, "upgrade head");
  CHECK(again.status != 0);
  CHECK(db.value("SELECT version_num FROM retort_version") == "e2");
  CHECK(db.value("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                 "('env_a', 'env_b')") == "2");
  db.execute(kReset);
}
