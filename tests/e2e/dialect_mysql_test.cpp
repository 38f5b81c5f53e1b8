// The MySQL/MariaDB dialect offline: the full chain as a script, compared
// with tests/golden/mysql/. Nothing connects: the URL's server need not exist.
#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using namespace retort::test;

// MySQL has no schemas but databases: fc0005's other schema is a second
// database. No partial or expression indexes, no interval type.
TEST_CASE("mysql writes the full chain as an offline upgrade and downgrade script",
          "[e2e][dialect][mysql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, "mysql://retort:secret@127.0.0.1:1/retort_test");
  ChainEnv env("retort_test2", "");

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("mysql/full_chain_upgrade.sql", up.out));
  CHECK(up.out.find("START TRANSACTION") == std::string::npos);

  CliRun down = run_retort(dir, "downgrade fc0005:base --sql");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out == golden("mysql/full_chain_downgrade.sql", down.out));
}

TEST_CASE("a mariadb URL picks the mysql dialect", "[e2e][dialect][mysql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, "mariadb://retort@127.0.0.1:1/retort_test");
  ChainEnv env("retort_test2", "");

  CliRun up = run_retort(dir, "upgrade fc0001 --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK_THAT(up.out, Catch::Contains("    id INTEGER NOT NULL AUTO_INCREMENT,\n"));
}

TEST_CASE("mysql refuses the chain's interval column with a one-line error",
          "[e2e][dialect][mysql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, "mysql://retort@127.0.0.1:1/retort_test");
  ChainEnv env("retort_test2", "interval");

  CliRun up = run_retort(dir, "upgrade head --sql");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("column 'duration' is an interval, which mysql has no type "
                                     "for; store the seconds in a BIGINT instead"));
}
