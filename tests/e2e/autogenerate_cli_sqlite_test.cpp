// `retort revision --autogenerate` on SQLite, as a user runs it
// (autogenerate_cli.hpp).
#include "autogenerate_cli.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

using namespace retort::test;

TEST_CASE("revision --autogenerate writes revisions that leave no drift and downgrade cleanly",
          "[e2e][sqlite][autogenerate]") {
  ScratchDir scratch;
  REQUIRE(run_retort(scratch.path(), "init migrations").status == 0);
  autogenerate_cli::check_workflow(scratch.path(), /*comments=*/false);
}
