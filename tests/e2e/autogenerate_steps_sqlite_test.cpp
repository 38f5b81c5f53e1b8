// Issue 13's proof on SQLite: each change to the model, one step at a time
// (autogenerate_steps.hpp).
#include "autogenerate_steps.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

using namespace retort::test;

TEST_CASE("on sqlite each model change autogenerates its operations and round-trips",
          "[e2e][sqlite][autogenerate]") {
  ScratchDir scratch;
  autogenerate_steps::check_steps(scratch.path(),
                                  "sqlite:///" + (scratch.path() / "steps.db").string(),
                                  /*comments=*/false);
}
