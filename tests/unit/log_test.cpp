// The log: a Config's sink receives the lines of that Config's commands, on
// the thread running them; without a sink, stderr as before.
#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/log.hpp>

#include "util/log_scope.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using retort::LogLevel;

namespace {

struct Line {
  LogLevel level;
  std::string text;
};

// Restores the process-wide threshold a test changes.
struct ThresholdGuard {
  explicit ThresholdGuard(LogLevel level) : saved(retort::log_level()) {
    retort::set_log_level(level);
  }
  ~ThresholdGuard() { retort::set_log_level(saved); }
  LogLevel saved;
};

// An environment with no revisions and an SQLite database of its own.
struct EmptyEnvironment {
  EmptyEnvironment() {
    std::random_device rd;
    dir = fs::temp_directory_path() / fmt::format("retort-log-{}", rd());
    fs::create_directories(dir / "versions");
    cfg.set_main_option("script_location", dir.string());
    cfg.set_main_option("url", "sqlite:///" + (dir / "app.db").string());
    cfg.set_main_option("plugin_path", RETORT_TEST_DIALECT_DIR);
    cfg.set_output(out);
    cfg.set_log_sink([this](LogLevel level, std::string_view text) {
      lines.push_back({level, std::string(text)});
    });
  }
  ~EmptyEnvironment() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  fs::path dir;
  retort::Config cfg;
  std::ostringstream out;
  std::vector<Line> lines;
};

}  // namespace

TEST_CASE("a log scope sends the log and progress lines to its sink at their levels", "[log]") {
  ThresholdGuard threshold(LogLevel::kInfo);
  std::vector<Line> lines;
  retort::LogSink sink = [&](LogLevel level, std::string_view text) {
    lines.push_back({level, std::string(text)});
  };
  {
    retort::LogScope scope(sink);
    retort::log(LogLevel::kWarning, "lock held by pid 42");
    retort::log(LogLevel::kDebug, "below the threshold");
    retort::progress_stream() << "compiled 2/3\n  done in 1.2 s\nunfinished";
    retort::log_text(LogLevel::kError, "a.cpp:1: error: expected ';'\n");
  }
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].level == LogLevel::kWarning);
  CHECK(lines[0].text == "lock held by pid 42");
  CHECK(lines[1].level == LogLevel::kInfo);
  CHECK(lines[1].text == "compiled 2/3");
  CHECK(lines[2].text == "  done in 1.2 s");
  CHECK(lines[3].level == LogLevel::kError);
  CHECK(lines[3].text == "a.cpp:1: error: expected ';'");
  // A partial line is handed over when the scope ends.
  CHECK(lines[4].text == "unfinished");
  CHECK(retort::LogScope::current() == nullptr);
}

TEST_CASE("a nested log scope restores the outer sink when it ends", "[log]") {
  ThresholdGuard threshold(LogLevel::kInfo);
  std::vector<std::string> outer, inner;
  retort::LogScope outer_scope(
      retort::LogSink([&](LogLevel, std::string_view text) { outer.emplace_back(text); }));
  {
    retort::LogScope inner_scope(
        retort::LogSink([&](LogLevel, std::string_view text) { inner.emplace_back(text); }));
    retort::log(LogLevel::kInfo, "inner");
  }
  retort::log(LogLevel::kInfo, "outer");
  CHECK(inner == std::vector<std::string>{"inner"});
  CHECK(outer == std::vector<std::string>{"outer"});
}

TEST_CASE("a worker thread that inherits a route logs to the command's sink", "[log]") {
  ThresholdGuard threshold(LogLevel::kInfo);
  std::vector<std::string> lines;
  retort::LogScope scope(
      retort::LogSink([&](LogLevel, std::string_view text) { lines.emplace_back(text); }));
  const retort::LogRoute* route = retort::LogScope::current();
  std::thread worker([route] {
    retort::LogScope inherit(route);
    retort::log(LogLevel::kInfo, "from the worker");
  });
  worker.join();
  // A thread that inherits nothing has no sink.
  std::thread stranger([] { CHECK(retort::LogScope::current() == nullptr); });
  stranger.join();
  CHECK(lines == std::vector<std::string>{"from the worker"});
}

TEST_CASE("two commands on two threads with two configs each log to their own sink",
          "[log][sqlite]") {
  ThresholdGuard threshold(LogLevel::kDebug);
  EmptyEnvironment first, second;
  auto run = [](EmptyEnvironment& env) {
    for (int i = 0; i < 20; ++i) {
      retort::Error err = retort::command::current(env.cfg);
      if (err) env.lines.push_back({LogLevel::kError, err.message()});
    }
  };
  std::thread a(run, std::ref(first));
  std::thread b(run, std::ref(second));
  a.join();
  b.join();
  auto count = [](const EmptyEnvironment& env, const fs::path& dir) {
    size_t n = 0;
    for (const Line& line : env.lines) {
      if (line.text.find(dir.string()) != std::string::npos) ++n;
    }
    return n;
  };
  INFO((first.lines.empty() ? std::string() : first.lines.front().text));
  CHECK(count(first, first.dir) >= 20);  // "connected to sqlite:///<dir>/app.db", each run
  CHECK(count(first, second.dir) == 0);
  CHECK(count(second, second.dir) >= 20);
  CHECK(count(second, first.dir) == 0);
  for (const Line& line : first.lines) CHECK(line.level != LogLevel::kError);
}

TEST_CASE("a command's sink is uninstalled when the command returns", "[log][sqlite]") {
  ThresholdGuard threshold(LogLevel::kDebug);
  EmptyEnvironment env;
  REQUIRE_FALSE(retort::command::current(env.cfg));
  const size_t during = env.lines.size();
  CHECK(during > 0);
  CHECK(retort::LogScope::current() == nullptr);
  std::ostringstream err;
  std::streambuf* saved = std::cerr.rdbuf(err.rdbuf());
  retort::log(LogLevel::kInfo, "after the command");
  std::cerr.rdbuf(saved);
  CHECK(env.lines.size() == during);
  CHECK(err.str() == "info: after the command\n");
}
