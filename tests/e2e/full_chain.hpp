// The full chain (tests/fixtures/full_chain) in a scratch project: every
// dialect's tests run these same five revisions.
#ifndef RETORT_TESTS_E2E_FULL_CHAIN_HPP
#define RETORT_TESTS_E2E_FULL_CHAIN_HPP

#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
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
  const std::string text =
      std::regex_replace(read_text(ini), std::regex("\nurl = [^\n]*"), "\nurl = " + replacement);
  std::ofstream(ini) << text;
}

// `retort init migrations` in `dir`, the chain's sources copied into its
// versions folder, and `retort build`. The modules do not depend on the
// database: the revisions read the dialect's features at run time
// (ChainEnv).
inline void build_full_chain(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  const fs::path fixture = fs::path(RETORT_FIXTURE_DIR) / "full_chain" / "versions";
  for (const fs::directory_entry& entry : fs::directory_iterator(fixture)) {
    fs::copy_file(entry.path(), dir / "migrations" / "versions" / entry.path().filename());
  }
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  REQUIRE(build.status == 0);
}

// Where ctest's "e2e chain fixture" test builds the full chain once for the
// run, and the marker it leaves when done.
inline std::filesystem::path shared_full_chain_dir() {
  return std::filesystem::path(RETORT_E2E_CHAIN_DIR).concat("-full");
}
inline std::filesystem::path shared_full_chain_marker() {
  return std::filesystem::path(RETORT_E2E_CHAIN_DIR).concat("-full.ready");
}

// The full chain, built, copied into `dir` (modification times kept, so the
// copy's modules are as current as the original's) with `url` written into
// retort.ini: from ctest's shared fixture when it is there, else built once
// by this process.
inline void make_full_chain(const std::filesystem::path& dir, const std::string& url) {
  static std::optional<ScratchDir> local;
  static std::filesystem::path source;
  if (source.empty()) {
    if (std::filesystem::exists(shared_full_chain_marker())) {
      source = shared_full_chain_dir();
    } else {
      local.emplace();
      build_full_chain(local->path());
      source = local->path();
    }
  }
  const std::string copy = "cp -a '" + source.string() + "/.' '" + dir.string() + "'";
  REQUIRE(std::system(copy.c_str()) == 0);
  set_database_url(dir, url);
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
