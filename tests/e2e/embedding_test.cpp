// An application driving retort through its C++ API, without the CLI.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/log.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

TEST_CASE("an application upgrades to head from retort.ini and checks it at start-up",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());

  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  REQUIRE_FALSE(cfg.load_error());
  std::ostringstream out;
  cfg.set_output(out);

  auto before = retort::command::current_revisions(cfg);
  REQUIRE(before);
  CHECK(before->empty());

  retort::Error err = retort::command::upgrade(cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK_THAT(out.str(), Catch::Contains("Running upgrade bbbb0002 -> cccc0003, create ledger\n"));

  auto current = retort::command::current_revisions(cfg);
  auto heads = retort::command::head_revisions(cfg);
  REQUIRE(current);
  REQUIRE(heads);
  CHECK(*current == std::vector<std::string>{"cccc0003"});
  CHECK(*current == *heads);
}

TEST_CASE("an application configures retort in code, without an ini file",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  const fs::path db = scratch.path() / "inmemory-config.db";

  retort::Config cfg;
  cfg.set_main_option("script_location", (scratch.path() / "migrations").string());
  cfg.set_main_option("url", "sqlite:///" + db.string());
  cfg.set_main_option("version_table", "app_schema_version");
  std::ostringstream out;
  cfg.set_output(out);

  REQUIRE_FALSE(retort::command::upgrade(cfg, "bbbb0002"));
  CHECK(sqlite(db, "SELECT version_num FROM app_schema_version") == "bbbb0002\n");

  std::ostringstream script;
  cfg.set_output(script);
  REQUIRE_FALSE(retort::command::upgrade(cfg, "bbbb0002:head", {.sql = true}));
  CHECK_THAT(script.str(),
             Catch::Contains("-- Running upgrade bbbb0002 -> cccc0003\n") &&
                 Catch::Contains("UPDATE app_schema_version SET version_num='cccc0003'"));
}

TEST_CASE("an application gets an error value, not an exception, for a bad target",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  retort::Error err = retort::command::upgrade(cfg, "nope");
  REQUIRE(err);
  CHECK(err.category() == retort::ErrorCategory::kRevision);
  CHECK_THAT(err.message(), Catch::Contains("'nope'"));
}

TEST_CASE("a log level of error keeps the running lines in the application's output",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  const retort::LogLevel saved = retort::log_level();
  retort::set_log_level(retort::LogLevel::kError);
  retort::Error err = retort::command::upgrade(cfg, "head");
  retort::set_log_level(saved);
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK_THAT(out.str(), Catch::Contains("Running upgrade  -> aaaa0001, create account table\n"));
  CHECK_THAT(out.str(), Catch::Contains("Running upgrade bbbb0002 -> cccc0003, create ledger\n"));
}

TEST_CASE("an application's log sink gets the log and nothing is written to stderr",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  std::vector<std::pair<retort::LogLevel, std::string>> lines;
  cfg.set_log_sink([&](retort::LogLevel level, std::string_view text) {
    lines.emplace_back(level, std::string(text));
  });

  const retort::LogLevel saved = retort::log_level();
  retort::set_log_level(retort::LogLevel::kDebug);
  std::ostringstream err_stream;
  std::streambuf* saved_cerr = std::cerr.rdbuf(err_stream.rdbuf());
  retort::Error err = retort::command::upgrade(cfg, "head", {.json = true});
  std::cerr.rdbuf(saved_cerr);
  retort::set_log_level(saved);
  INFO(err.message());
  REQUIRE_FALSE(err);

  CHECK(err_stream.str().empty());
  auto has = [&](retort::LogLevel level, const std::string& text) {
    for (const auto& [l, t] : lines) {
      if (l == level && t.find(text) != std::string::npos) return true;
    }
    return false;
  };
  CHECK(has(retort::LogLevel::kDebug, "connected to sqlite:///"));
  CHECK(has(retort::LogLevel::kDebug, "executing CREATE TABLE ledger"));
  // With --json the output is the document; the running lines are progress.
  CHECK(has(retort::LogLevel::kInfo, "Running upgrade bbbb0002 -> cccc0003, create ledger"));
  CHECK_THAT(out.str(), Catch::StartsWith("{\"direction\":\"upgrade\""));
}

TEST_CASE("an application's offline sql goes to the output buffer and its text to the output",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out, script;
  cfg.set_output(out);
  cfg.set_output_buffer(script);
  REQUIRE_FALSE(retort::command::upgrade(cfg, "head", {.sql = true}));
  CHECK_THAT(script.str(), Catch::Contains("-- Running upgrade bbbb0002 -> cccc0003\n") &&
                               Catch::Contains("CREATE TABLE ledger"));
  CHECK(out.str().find("CREATE TABLE") == std::string::npos);
  REQUIRE_FALSE(retort::command::heads(cfg));
  CHECK(out.str() == "cccc0003 (head)\n");
}

TEST_CASE("an application's log sink gets the compiler's progress and diagnostics",
          "[e2e][embedding][sqlite]") {
  ScratchDir scratch;
  make_chain(scratch.path());
  add_revision(scratch.path(), {"dddd0004", "broken", "  this does not compile;", ""});
  retort::Config cfg{(scratch.path() / "retort.ini").string()};
  std::ostringstream out;
  cfg.set_output(out);
  std::vector<std::pair<retort::LogLevel, std::string>> lines;
  cfg.set_log_sink([&](retort::LogLevel level, std::string_view text) {
    lines.emplace_back(level, std::string(text));
  });

  std::ostringstream err_stream;
  std::streambuf* saved_cerr = std::cerr.rdbuf(err_stream.rdbuf());
  retort::Error err = retort::command::upgrade(cfg, "head");
  std::cerr.rdbuf(saved_cerr);
  REQUIRE(err);
  CHECK(err.category() == retort::ErrorCategory::kBuild);
  CHECK(err_stream.str().empty());
  bool diagnostics = false, progress = false;
  for (const auto& [level, text] : lines) {
    if (level == retort::LogLevel::kError && text.find("dddd0004") != std::string::npos &&
        text.find("error") != std::string::npos) {
      diagnostics = true;
    }
    if (level == retort::LogLevel::kInfo && text.rfind("compiled ", 0) == 0) progress = true;
  }
  CHECK(diagnostics);
  CHECK(progress);
}
