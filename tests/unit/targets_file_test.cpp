// The targets file of a fleet run (fleet/targets_file.cpp), sharding, the
// fleet's exit code and the runner's scheduling (fleet/fleet_runner.cpp).
#include <retort/exit_codes.hpp>
#include <retort/fleet.hpp>

#include "fleet/fleet_runner.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <sstream>

using retort::FleetTarget;
using retort::parse_targets;

namespace {

retort::EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::vector<FleetTarget> parse_ok(const std::string& text,
                                  std::map<std::string, std::string> vars = {}) {
  auto targets = parse_targets(text, "t.txt", "/srv/fleet", fake_env(std::move(vars)));
  INFO(targets.error().message());
  REQUIRE(targets);
  return *targets;
}

std::string parse_error(const std::string& text) {
  auto targets = parse_targets(text, "t.txt", "/srv/fleet", fake_env({}));
  REQUIRE_FALSE(targets);
  return targets.error().message();
}

}  // namespace

TEST_CASE("a targets file holds URLs and name = URL pairs and section names", "[fleet]") {
  auto targets = parse_ok(
      "# the fleet\n"
      "\n"
      "sqlite:///%(here)s/a.db\n"
      "  eu-1 = postgresql://app@db1/app   # a comment\n"
      "[us-east]\n"
      "tenant_7\n");
  REQUIRE(targets.size() == 4);
  CHECK(targets[0].name == "sqlite:////srv/fleet/a.db");
  CHECK(targets[0].url == "sqlite:////srv/fleet/a.db");
  CHECK(targets[0].origin == "t.txt:3");
  CHECK(targets[1].name == "eu-1");
  CHECK(targets[1].url == "postgresql://app@db1/app");
  CHECK(targets[1].section.empty());
  CHECK(targets[2].name == "us-east");
  CHECK(targets[2].section == "us-east");
  CHECK(targets[2].url.empty());
  CHECK(targets[3].section == "tenant_7");
}

TEST_CASE("a targets file takes secrets from the environment and never names them", "[fleet]") {
  auto targets = parse_ok("postgresql://app:${DB_PASSWORD}@db1/app\n", {{"DB_PASSWORD", "s3cret"}});
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].url == "postgresql://app:s3cret@db1/app");
  CHECK(targets[0].name.find("s3cret") == std::string::npos);
  CHECK(targets[0].name == "postgresql://app:***@db1/app");
}

TEST_CASE("a targets file keeps percent escapes of URLs and reads %% as one %", "[fleet]") {
  auto targets = parse_ok("a = postgresql://app:p%40ss@db1/app\nb = sqlite:///%(here)s/100%%.db\n");
  CHECK(targets[0].url == "postgresql://app:p%40ss@db1/app");
  CHECK(targets[1].url == "sqlite:////srv/fleet/100%.db");
}

TEST_CASE("a targets file refuses a bad line naming the file and line", "[fleet]") {
  CHECK(parse_error("sqlite:///a.db\nnot a url at all\n") ==
        "t.txt:2: 'not a url at all' is not a URL, a 'name = URL' pair or a section name");
  CHECK(parse_error("x = postgresql://${UNSET_SECRET}@db/app\n") ==
        "t.txt:1: environment variable 'UNSET_SECRET' is not set");
  CHECK(parse_error("x = sqlite:///%(root)s/a.db\n") == "t.txt:1: unknown reference '%(root)s'");
  CHECK(parse_error("a = sqlite:///a.db\n\na = sqlite:///b.db\n") ==
        "t.txt:3: target 'a' is listed twice (first at t.txt:1)");
  CHECK(parse_error("bad name = sqlite:///a.db\n") == "t.txt:1: 'bad name' is not a target name");
}

TEST_CASE("a refused line never shows a password", "[fleet]") {
  const std::string message = parse_error("postgresql//app:hunter2@db1/app\n");
  CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("sharding picks every M-th target starting with the K-th", "[fleet]") {
  std::vector<FleetTarget> targets;
  for (int i = 1; i <= 7; ++i) targets.push_back({"t" + std::to_string(i), "sqlite:///x", "", ""});
  auto names = [](const std::vector<FleetTarget>& ts) {
    std::vector<std::string> out;
    for (const FleetTarget& t : ts) out.push_back(t.name);
    return out;
  };
  CHECK(names(retort::select_shard(targets, {1, 3})) == std::vector<std::string>{"t1", "t4", "t7"});
  CHECK(names(retort::select_shard(targets, {2, 3})) == std::vector<std::string>{"t2", "t5"});
  CHECK(names(retort::select_shard(targets, {3, 3})) == std::vector<std::string>{"t3", "t6"});
  CHECK(names(retort::select_shard(targets, {1, 1})).size() == 7);
}

TEST_CASE("a shard is K/M with K between 1 and M", "[fleet]") {
  auto shard = retort::parse_shard("2/5");
  REQUIRE(shard);
  CHECK(shard->index == 2);
  CHECK(shard->count == 5);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "/3", "1/", "-1/3"}) {
    INFO(bad);
    auto refused = retort::parse_shard(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().category() == retort::ErrorCategory::kUsage);
  }
}

TEST_CASE("a fleet's exit code is the most severe of its targets' codes", "[fleet]") {
  auto result = [](retort::TargetOutcome outcome, retort::ErrorCategory category) {
    retort::TargetResult r;
    r.outcome = outcome;
    if (category != retort::ErrorCategory::kNone) r.error = retort::Error(category, "x");
    return r;
  };
  using retort::ErrorCategory;
  using retort::TargetOutcome;
  retort::FleetReport report;
  report.targets = {result(TargetOutcome::kDone, ErrorCategory::kNone),
                    result(TargetOutcome::kNothingToDo, ErrorCategory::kNone)};
  CHECK(report.exit_code() == retort::kExitOk);
  report.targets.push_back(result(TargetOutcome::kFailed, ErrorCategory::kLockTimeout));
  CHECK(report.exit_code() == retort::kExitLockTimeout);
  report.targets.push_back(result(TargetOutcome::kFailed, ErrorCategory::kDatabase));
  CHECK(report.exit_code() == retort::kExitFailure);
  report.targets.push_back(result(TargetOutcome::kDrifted, ErrorCategory::kDrift));
  CHECK(report.exit_code() == retort::kExitDrift);
  report.targets.push_back(result(TargetOutcome::kFailed, ErrorCategory::kChecksum));
  CHECK(report.exit_code() == retort::kExitChecksum);
  report.targets.push_back(result(TargetOutcome::kFailed, ErrorCategory::kPartialStep));
  CHECK(report.exit_code() == retort::kExitPartialStep);

  retort::FleetReport not_started;
  not_started.targets = {result(TargetOutcome::kDone, ErrorCategory::kNone),
                         result(TargetOutcome::kNotStarted, ErrorCategory::kNone)};
  CHECK(not_started.exit_code() == retort::kExitFailure);
}

TEST_CASE("the fleet runner runs every target once on several threads", "[fleet]") {
  std::vector<retort::TargetResult> targets(40);
  std::atomic<int> runs{0};
  auto results = retort::fleet::run_fleet(targets, {.jobs = 4},
                                          [&](size_t i, retort::TargetResult& r, const auto&) {
                                            ++runs;
                                            r.steps = i;
                                            r.outcome = retort::TargetOutcome::kDone;
                                          });
  CHECK(runs == 40);
  for (size_t i = 0; i < results.size(); ++i) CHECK(results[i].steps == i);
}

TEST_CASE("with fail-fast the fleet runner starts no target after a failure", "[fleet]") {
  std::vector<retort::TargetResult> targets(10);
  auto results = retort::fleet::run_fleet(
      targets, {.jobs = 1, .fail_fast = true}, [&](size_t i, retort::TargetResult& r, const auto&) {
        r.outcome = i == 2 ? retort::TargetOutcome::kFailed : retort::TargetOutcome::kDone;
      });
  CHECK(results[1].outcome == retort::TargetOutcome::kDone);
  CHECK(results[2].outcome == retort::TargetOutcome::kFailed);
  CHECK(results[3].outcome == retort::TargetOutcome::kNotStarted);
  CHECK(results[9].outcome == retort::TargetOutcome::kNotStarted);
}

TEST_CASE("a stop request lets running targets finish and starts no other", "[fleet]") {
  std::vector<retort::TargetResult> targets(6);
  std::atomic<bool> stop{false};
  auto results = retort::fleet::run_fleet(targets, {.jobs = 1, .stop = &stop},
                                          [&](size_t i, retort::TargetResult& r, const auto&) {
                                            if (i == 1) stop = true;  // as SIGINT would
                                            r.outcome = retort::TargetOutcome::kDone;
                                          });
  CHECK(results[0].outcome == retort::TargetOutcome::kDone);
  CHECK(results[1].outcome == retort::TargetOutcome::kDone);
  CHECK(results[2].outcome == retort::TargetOutcome::kNotStarted);
  CHECK(results[5].outcome == retort::TargetOutcome::kNotStarted);
}

TEST_CASE("the live lines show each target's state on a terminal", "[fleet]") {
  std::vector<retort::TargetResult> targets(2);
  targets[0].name = "alpha";
  targets[1].name = "beta";
  std::ostringstream live;
  auto results = retort::fleet::run_fleet(
      targets, {.jobs = 1, .live = &live},
      [&](size_t i, retort::TargetResult& r, const auto& status) {
        status("running revision 1 of 1 (abc)");
        r.outcome = i == 0 ? retort::TargetOutcome::kDone : retort::TargetOutcome::kFailed;
        if (i == 1) r.error = retort::Error(retort::ErrorCategory::kDatabase, "cannot connect");
      });
  const std::string text = live.str();
  CHECK(text.find("alpha  waiting") != std::string::npos);
  CHECK(text.find("alpha  running revision 1 of 1 (abc)") != std::string::npos);
  CHECK(text.find("alpha  done") != std::string::npos);
  CHECK(text.find("beta   failed: cannot connect") != std::string::npos);
}
