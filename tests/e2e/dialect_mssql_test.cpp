// The SQL Server dialect offline: the full chain as a script, compared with
// tests/golden/mssql/. Nothing connects: the URL's server need not exist.
#include "e2e_harness.hpp"
#include "full_chain.hpp"

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// The password is "s;cret"; set_database_url doubles the '%' for retort.ini.
constexpr const char* kUrl = "mssql://retort:s%3Bcret@127.0.0.1:1/retort_test";

}  // namespace

// fc0005's other schema is dbo, spelled out, so the golden shows a
// schema-qualified table; filtered indexes exist, expression indexes and
// intervals do not.
TEST_CASE("mssql writes the full chain as an offline upgrade and downgrade script",
          "[e2e][dialect][mssql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, kUrl);
  ChainEnv env("dbo", "partial_index");

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("mssql/full_chain_upgrade.sql", up.out));
  CHECK_THAT(up.out, Catch::StartsWith("BEGIN TRANSACTION;\n\n"));
  CHECK_THAT(up.out, Catch::Contains("CREATE TABLE dbo.event ("));
  CHECK_THAT(up.out, Catch::Contains("CREATE INDEX ix_purchase_open ON purchase (placed_on) "
                                     "WHERE quantity > 0;\n\nGO\n"));

  CliRun down = run_retort(dir, "downgrade fc0005:base --sql");
  INFO(down.err);
  REQUIRE(down.status == 0);
  CHECK(down.out == golden("mssql/full_chain_downgrade.sql", down.out));
  CHECK_THAT(down.out, Catch::Contains("DROP INDEX ix_event_kind ON dbo.event;\n\nGO\n"));
}

TEST_CASE("mssql refuses the chain's expression index with a one-line error",
          "[e2e][dialect][mssql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, kUrl);
  ChainEnv env("dbo", "expression_index");

  CliRun up = run_retort(dir, "upgrade head --sql");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("index expression 'lower(email)' cannot be indexed on SQL "
                                     "Server; index a computed column holding it instead"));
  CHECK(up.err.find("s;cret") == std::string::npos);
}

TEST_CASE("mssql refuses the chain's interval column with a one-line error",
          "[e2e][dialect][mssql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, kUrl);
  ChainEnv env("dbo", "interval");

  CliRun up = run_retort(dir, "upgrade head --sql");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("column 'duration' is an interval, which SQL Server has no "
                                     "type for; store a number of seconds (BIGINT) instead"));
}

// A PrimaryKey({...}) of columns that say nothing of nullability: SQL Server
// refuses a key over columns written NULL. And sqlcmd reads the script line
// by line, so a line GO inside a literal would end the batch in the middle of
// it. The golden is also parsed by tests/sqlcheck, which splits at GO lines
// as sqlcmd does.
TEST_CASE(
    "mssql script makes composite key columns NOT NULL and writes values so no line of "
    "them is GO",
    "[e2e][dialect][mssql][offline]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  set_database_url(dir, kUrl);
  CliRun rev = run_retort(dir, "revision -m 'keys and literals' --rev-id ms000001");
  INFO(rev.err);
  REQUIRE(rev.status == 0);
  write_revision_body(revision_source(dir / "migrations" / "versions", "ms000001"), R"~(
  using namespace retort;
  op.create_table("enrolment",
                  {Column("student_id", Integer()), Column("course_id", Integer()),
                   Column("note", Unicode(40)).comment("first line\nGO\nlast line")},
                  {PrimaryKey({"student_id", "course_id"}).name("pk_enrolment")});
  op.bulk_insert("enrolment",
                 {Column("student_id", Integer()), Column("course_id", Integer()),
                  Column("note", Unicode(40))},
                 {{1, 10, "a\nGO\nb"}, {2, 10, "costs $(price)"}});
  op.create_table("account", {Column("id", Integer()).primary_key().autoincrement(),
                              Column("name", String(40)).server_default("x\r\ngo")});
  op.bulk_insert("account", {Column("id", Integer()).autoincrement(), Column("name", String(40))},
                 {{7, "seven"}});
)~",
                      R"~(op.drop_table("account");
  op.drop_table("enrolment");)~");
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);

  CliRun up = run_retort(dir, "upgrade head --sql");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.out == golden("mssql/keys_and_literals_upgrade.sql", up.out));
  CHECK_THAT(up.out, Catch::Contains("    student_id INTEGER NOT NULL,\n"
                                     "    course_id INTEGER NOT NULL,\n"));
  CHECK(up.out.find("\nb'") == std::string::npos);
}
