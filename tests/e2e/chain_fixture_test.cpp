// The shared chain fixture: ctest runs this first ("e2e chain fixture",
// FIXTURES_SETUP), so that the tests that use the chain copy it instead of
// each compiling it again.
#include "chain_fixture.hpp"
#include "full_chain.hpp"

#include <fstream>

namespace fs = std::filesystem;
using namespace retort::test;

TEST_CASE("the shared chain fixture is built once for the test run", "[.chain_fixture]") {
  std::error_code ec;
  fs::remove(shared_chain_marker(), ec);
  fs::remove_all(shared_chain_dir(), ec);
  fs::create_directories(shared_chain_dir());
  build_chain(shared_chain_dir());
  CliRun heads = run_retort(shared_chain_dir(), "heads");
  REQUIRE(heads.out == "cccc0003 (head)\n");
  std::ofstream(shared_chain_marker()) << "built\n";
}

TEST_CASE("the shared full chain fixture is built once for the test run", "[.chain_fixture]") {
  std::error_code ec;
  fs::remove(shared_full_chain_marker(), ec);
  fs::remove_all(shared_full_chain_dir(), ec);
  fs::create_directories(shared_full_chain_dir());
  build_full_chain(shared_full_chain_dir());
  CliRun heads = run_retort(shared_full_chain_dir(), "heads");
  REQUIRE(heads.out == "fc0005 (head)\n");
  std::ofstream(shared_full_chain_marker()) << "built\n";
}
