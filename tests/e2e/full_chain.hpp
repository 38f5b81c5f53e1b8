// The full chain (tests/fixtures/full_chain) in a scratch project: every
// dialect's tests run these same five revisions.
#ifndef RETORT_TESTS_E2E_FULL_CHAIN_HPP
#define RETORT_TESTS_E2E_FULL_CHAIN_HPP

#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace retort::test {

// Points retort.ini in `dir` at `url`, each '%' of its escapes doubled as
// the ini file's interpolation requires.
inline void set_database_url(const std::filesystem::path& dir, const std::string& url) {
  const std::filesystem::path ini = dir / "retort.ini";
  std::string escaped;
  for (char c : url) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  // '$' would be special in the replacement text; a URL's '$' stays itself.
  const std::string replacement = std::regex_replace(escaped, std::regex("\\$"), "$$$$");
  const std::string text = std::regex_replace(read_text(ini), std::regex("\nurl = [^\n]*"),
                                              "\nurl = " + replacement);
  std::ofstream(ini) << text;
}

// `retort init migrations` in `dir`, the chain's sources copied into its
// versions folder, `url` written into retort.ini, and `retort build`.
inline void make_full_chain(const std::filesystem::path& dir, const std::string& url) {
  namespace fs = std::filesystem;
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  const fs::path fixture = fs::path(RETORT_FIXTURE_DIR) / "full_chain" / "versions";
  for (const fs::directory_entry& entry : fs::directory_iterator(fixture)) {
    fs::copy_file(entry.path(), dir / "migrations" / "versions" / entry.path().filename());
  }
  set_database_url(dir, url);
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
}

// Sets the variables that adapt the chain to a dialect for the retort runs
// of one test (the revisions read them), e.g.
// ChainEnv env("analytics", "partial_index,expression_index").
class ChainEnv {
 public:
  ChainEnv(const std::string& schema, const std::string& features) {
    ::setenv("RETORT_TEST_SCHEMA", schema.c_str(), 1);
    ::setenv("RETORT_TEST_FEATURES", features.c_str(), 1);
  }
  ~ChainEnv() {
    ::unsetenv("RETORT_TEST_SCHEMA");
    ::unsetenv("RETORT_TEST_FEATURES");
  }
  ChainEnv(const ChainEnv&) = delete;
  ChainEnv& operator=(const ChainEnv&) = delete;
};

}  // namespace retort::test

#endif  // RETORT_TESTS_E2E_FULL_CHAIN_HPP
