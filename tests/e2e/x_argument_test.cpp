// -x KEY=VALUE: url replaces the ini's url; a key without a value is an
// error; a key nothing read is warned of after a command that succeeded.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace retort::test;

TEST_CASE("an x argument named url replaces the url of the ini file", "[e2e][sqlite][x_argument]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  const fs::path other = dir / "other.db";

  CliRun up = run_retort(dir, "-x url=sqlite:///" + other.string() + " upgrade bbbb0002");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(up.err.find("warning") == std::string::npos);
  CHECK(sqlite(other, "SELECT version_num FROM retort_version") == "bbbb0002\n");
  CHECK_FALSE(fs::exists(dir / "retort.db"));

  CliRun current = run_retort(dir, "-x url=sqlite:///" + other.string() + " current");
  CHECK(current.out == "bbbb0002\n");
  CHECK(run_retort(dir, "current").out.empty());
}

TEST_CASE("an x argument without a value is an error line with exit code 2", "[e2e][x_argument]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  // The command itself is taken as the argument of -x.
  CliRun bare = run_retort(dir, "-x current");
  CHECK(bare.status == 2);
  CHECK_THAT(bare.err, Catch::StartsWith("error: -x 'current' has no value; write -x KEY=VALUE"));

  CliRun key = run_retort(dir, "-x dbPath current");
  CHECK(key.status == 2);
  CHECK_THAT(key.err, Catch::StartsWith("error: -x 'dbPath' has no value"));

  CliRun empty_key = run_retort(dir, "-x =x current");
  CHECK(empty_key.status == 2);
  CHECK_THAT(empty_key.err, Catch::StartsWith("error: -x '=x' has no value"));

  // A url without '=' holds no key; its password is not shown.
  CliRun url = run_retort(dir, "-x postgresql://app:s3cret@db/app current");
  CHECK(url.status == 2);
  CHECK(url.err.find("s3cret") == std::string::npos);
}

TEST_CASE("x argument keys that nothing reads are named in a warning after the command",
          "[e2e][sqlite][x_argument]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  CliRun run = run_retort(dir, "-x dbPath=/tmp/x.db -x tenant=acme current");
  INFO(run.err);
  CHECK(run.status == 0);
  CHECK(run.err ==
        "warning: -x arguments 'dbPath', 'tenant' were not used: retort reads only -x url, which "
        "replaces the url option\n");

  // A command that does not connect does not read url either.
  CliRun heads = run_retort(dir, "-x url=sqlite:///x.db heads");
  CHECK(heads.out == "cccc0003 (head)\n");
  CHECK_THAT(heads.err, Catch::Contains("warning: -x argument 'url' was not used"));

  // A command that failed may not have reached what reads them: its error alone.
  CliRun failed = run_retort(dir, "-x dbPath=/tmp/x.db upgrade nope");
  CHECK(failed.status == 1);
  CHECK_THAT(failed.err, Catch::StartsWith("error: "));
  CHECK(failed.err.find("warning") == std::string::npos);
}
