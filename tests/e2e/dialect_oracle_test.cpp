// The Oracle dialect end to end, offline: no Oracle server runs here, so the
// full chain's scripts are compared with reviewed golden files, and the
// rules the chain does not show go through the CLI with a tiny revision.
#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using retort::test::CliRun;
using retort::test::golden;
using retort::test::run_retort;
using retort::test::ScratchDir;

namespace {

// Oracle has expression indexes and intervals, but no partial indexes.
constexpr const char* kFeatures = "expression_index,interval";

}  // namespace

TEST_CASE("oracle full chain upgrade and downgrade scripts match the reviewed golden files",
          "[e2e][dialect][oracle][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  retort::test::ChainEnv env("analytics", kFeatures);
  retort::test::make_full_chain(dir, "oracle://scott:tiger@db.example.com:1521/ORCLPDB1");

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("oracle/full_chain_upgrade.sql", up.out));

  CliRun down = run_retort(dir, "downgrade fc0005:base --sql");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out == golden("oracle/full_chain_downgrade.sql", down.out));
}

TEST_CASE("oracle full chain script has no semicolons and a slash line after every statement",
          "[e2e][dialect][oracle][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  retort::test::ChainEnv env("analytics", kFeatures);
  retort::test::make_full_chain(dir, "oracle://scott:tiger@db.example.com/ORCLPDB1");
  CliRun up = run_retort(dir, "upgrade head --sql");
  REQUIRE(up.status == 0);
  CHECK(up.out.find("BEGIN") == std::string::npos);
  CHECK(up.out.find(";\n") == std::string::npos);
  CHECK(up.out.find("\n/\n") != std::string::npos);
  CHECK(up.out.find("TIME,") == std::string::npos);  // Oracle has no TIME type
}

TEST_CASE("oracle chain with a partial index fails with one line naming the index",
          "[e2e][dialect][oracle][offline][errors]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  retort::test::ChainEnv env("analytics", "partial_index,expression_index,interval");
  retort::test::make_full_chain(dir, "oracle://scott:tiger@db.example.com/ORCLPDB1");
  CliRun up = run_retort(dir, "upgrade head --sql");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("index 'ix_purchase_open' has a WHERE clause, but oracle "
                                     "has no partial indexes"));
  CHECK(up.err.find("tiger") == std::string::npos);
}

// SQL*Plus reads the script line by line before the server sees it, and
// under its defaults (SQLBLANKLINES OFF, DEFINE ON) a blank line or a '/'
// line inside a literal ends the statement there, and '&' prompts for a
// substitution variable. The golden is also parsed by tests/sqlcheck.
TEST_CASE(
    "oracle script writes values and comments so SQL*Plus cannot misread a blank line, a "
    "slash or an ampersand in them",
    "[e2e][dialect][oracle][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  retort::test::set_database_url(dir, "oracle://scott:tiger@db.example.com:1521/ORCLPDB1");
  CliRun rev = run_retort(dir, "revision -m hazards --rev-id ora00001");
  INFO(rev.err);
  REQUIRE(rev.status == 0);
  retort::test::write_revision_body(
      retort::test::revision_source(dir / "migrations" / "versions", "ora00001"), R"~(
  using namespace retort;
  op.create_table("t", {Column("v", Text()).comment("R&D\n\nnotes"), Column("w", String(20))},
                  {}, {.comment = "terms & conditions"});
  op.bulk_insert("t", {Column("v", Text()), Column("w", String(20))},
                 {{"x\n\nDROP TABLE account\n/\n", "AT&T"}, {"a\nGO\nb", "ends;\n"}});
)~",
      R"~(op.drop_table("t");)~");
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("oracle/literals_upgrade.sql", up.out));
  CHECK(up.out.find('&') == std::string::npos);
  CHECK(up.out.find("\n/\n") != std::string::npos);
  CHECK(up.out.find("account\n/") == std::string::npos);
}
