// script/environment_module: which env.cpp declares an environment, read
// from its text as revisions are, without compiling it.
#include "script/environment_module.hpp"

#include <catch2/catch.hpp>

using retort::declares_environment;

TEST_CASE("env.cpp declares an environment when RETORT_ENVIRONMENT stands outside comments",
          "[environment_module]") {
  CHECK(
      declares_environment("void configure(retort::EnvironmentContext&) {}\n"
                           "RETORT_ENVIRONMENT(configure)\n"));
  CHECK(declares_environment("RETORT_ENVIRONMENT(configure)"));
  CHECK(declares_environment("/* off */ RETORT_ENVIRONMENT(configure) // on"));
}

TEST_CASE("a commented or quoted RETORT_ENVIRONMENT declares no environment",
          "[environment_module]") {
  CHECK_FALSE(
      declares_environment("void configure(retort::EnvironmentContext&) {}\n"
                           "// RETORT_ENVIRONMENT(configure)\n"));
  CHECK_FALSE(declares_environment("/* RETORT_ENVIRONMENT(configure) */"));
  CHECK_FALSE(declares_environment("/* unterminated RETORT_ENVIRONMENT(configure)"));
  CHECK_FALSE(declares_environment("const char* s = \"RETORT_ENVIRONMENT(x) \\\" \";"));
  CHECK_FALSE(declares_environment("MY_RETORT_ENVIRONMENT(configure) RETORT_ENVIRONMENTS"));
  CHECK_FALSE(declares_environment(""));
}
