// The PostgreSQL dialect run through the CLI offline: the full chain's
// scripts (tests/golden/postgresql), which nothing here connects to run.
#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// A password with every character that needs care in a URL or an ODBC
// connection string; it must never reach a script or a message.
// set_database_url doubles each '%' for retort.ini's interpolation.
const std::string kUrl =
    "postgresql://retort:s3cr%40t%3A%2F%25%3B%7Bx%7D@127.0.0.1:55432/retort_test";

}  // namespace

TEST_CASE("postgresql full chain renders the golden upgrade and downgrade scripts offline",
          "[e2e][dialect][postgresql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  ChainEnv env("analytics", "partial_index,expression_index,interval");
  make_full_chain(dir, kUrl);

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("postgresql/full_chain_upgrade.sql", up.out));
  CHECK(up.out.find("s3cr") == std::string::npos);
  CHECK(up.err.find("s3cr") == std::string::npos);

  CliRun down = run_retort(dir, "downgrade fc0005:base --sql");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out == golden("postgresql/full_chain_downgrade.sql", down.out));
  CHECK(down.out.find("s3cr") == std::string::npos);

  // postgres:// is the same dialect, so the same script.
  set_database_url(dir, "postgres://retort@127.0.0.1/retort_test");
  CliRun alias = run_retort(dir, "upgrade head --sql");
  INFO(alias.err);
  REQUIRE(alias.status == 0);
  CHECK(alias.out == up.out);
}

TEST_CASE("postgresql refuses an identity column of a non-integer type in one clear line",
          "[e2e][dialect][postgresql][errors]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  set_database_url(dir, kUrl);
  CliRun rev = run_retort(dir, "revision -m code --rev-id pg000001");
  INFO(rev.err);
  REQUIRE(rev.status == 0);
  const fs::path source = revision_source(dir / "migrations" / "versions", "pg000001");
  write_revision_body(source,
                      "op.create_table(\"t\", {retort::Column(\"code\", retort::String(5))"
                      ".primary_key().autoincrement()});",
                      "op.drop_table(\"t\");");
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);

  CliRun up = run_retort(dir, "upgrade head --sql");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("column 'code' cannot autoincrement: an identity column "
                                     "must be smallint, integer or bigint"));
  CHECK(up.err.find("s3cr") == std::string::npos);
}

TEST_CASE(
    "an offline postgresql script with --lock waits for the migration lock first and "
    "releases it last",
    "[e2e][dialect][postgresql][offline][lock]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  ChainEnv env("analytics", "partial_index,expression_index,interval");
  make_full_chain(dir, kUrl);

  CliRun plain = run_retort(dir, "upgrade head --sql");
  REQUIRE(plain.status == 0);
  CliRun locked = run_retort(dir, "upgrade head --sql --lock");
  INFO(locked.err);
  REQUIRE(locked.status == 0);
  // The lock is the one online runners take: the version table's name, keyed
  // on the server's database and schema where the script runs, so a script
  // and a runner never migrate together, however each names the host.
  const std::string key =
      "hashtext('retort'), hashtext(concat_ws('/', current_database(), current_schema(), "
      "'retort:retort_version'))";
  CHECK(locked.out == "SELECT pg_advisory_lock(" + key + ");\n\n" + plain.out +
                          "SELECT pg_advisory_unlock(" + key + ");\n\n");

  CliRun online = run_retort(dir, "upgrade head --lock");
  CHECK(online.status == 2);
  CHECK_THAT(online.err, Catch::Contains("--lock is for --sql scripts"));
}
