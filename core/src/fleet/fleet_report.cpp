// A fleet's report: the outcome names, the exit code, the table, the JSON.
#include <retort/exit_codes.hpp>
#include <retort/fleet.hpp>

#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace retort {
namespace {

std::string revisions(const std::optional<std::vector<std::string>>& rows) {
  if (!rows) return "-";
  const std::vector<std::string>& ids = *rows;
  return ids.empty() ? std::string("base") : fmt::format("{}", fmt::join(ids, ","));
}

std::string one_line(const Error& err) {
  if (!err) return {};
  std::string line = err.message();
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

int target_exit_code(const TargetResult& t) {
  if (t.outcome == TargetOutcome::kNotStarted) return kExitFailure;
  if (t.outcome == TargetOutcome::kInterrupted) return kExitFailure;
  return exit_code(t.error);
}

}  // namespace

const char* outcome_name(TargetOutcome outcome) {
  switch (outcome) {
    case TargetOutcome::kNotStarted:
      return "not started";
    case TargetOutcome::kDone:
      return "done";
    case TargetOutcome::kNothingToDo:
      return "nothing to do";
    case TargetOutcome::kFailed:
      return "failed";
    case TargetOutcome::kInterrupted:
      return "interrupted";
    case TargetOutcome::kDrifted:
      return "drift";
  }
  return "unknown";
}

int fleet_severity(int code) {
  switch (code) {
    case kExitOk:
      return 0;
    case kExitLockTimeout:
      return 1;
    case kExitUsage:
      return 2;
    case kExitFailure:
      return 3;
    // A database known to differ from its model outranks one that could not
    // be checked, and yields to a changed or half-applied revision.
    case kExitDrift:
      return 4;
    case kExitChecksum:
      return 5;
    case kExitPartialStep:
      return 6;
    default:
      return 3;
  }
}

int FleetReport::exit_code() const {
  int worst = kExitOk;
  for (const TargetResult& t : targets) {
    const int code = target_exit_code(t);
    if (fleet_severity(code) > fleet_severity(worst)) worst = code;
  }
  return worst;
}

void write_fleet_table(std::ostream& out, const FleetReport& report) {
  const std::vector<std::string> head = {"target", "from",    "to",   "steps",
                                         "time",   "outcome", "error"};
  std::vector<std::vector<std::string>> rows;
  for (const TargetResult& t : report.targets) {
    rows.push_back({t.name, revisions(t.from), revisions(t.to), fmt::format("{}", t.steps),
                    fmt::format("{:.1f}s", t.seconds), outcome_name(t.outcome), one_line(t.error)});
  }
  std::vector<size_t> width(head.size());
  for (size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      text += cells[c];
      if (c + 1 < cells.size()) text += std::string(width[c] - cells[c].size() + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
  size_t failed = 0;
  for (const TargetResult& t : report.targets) {
    if (target_exit_code(t) != kExitOk) ++failed;
  }
  out << fmt::format("{} target{}, {} failed or not run; exit code {}\n", report.targets.size(),
                     report.targets.size() == 1 ? "" : "s", failed, report.exit_code());
}

void write_fleet_json(std::ostream& out, const FleetReport& report) {
  JsonWriter json(out);
  json.begin_object();
  json.key("command").string(report.command);
  json.key("targets").begin_array();
  for (const TargetResult& t : report.targets) {
    json.begin_object();
    json.key("target").string(t.name);
    json.key("url").string(t.url);
    json.key("from");
    t.from ? json.strings(*t.from) : json.null();
    json.key("to");
    t.to ? json.strings(*t.to) : json.null();
    json.key("steps").integer(static_cast<long long>(t.steps));
    json.key("seconds").number(t.seconds);
    json.key("outcome").string(outcome_name(t.outcome));
    json.key("exit_code").integer(target_exit_code(t));
    json.key("log").strings(t.log);
    json.key("drift").strings(t.drift);
    json.key("error");
    if (t.error) {
      json.string(one_line(t.error));
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
  json.key("exit_code").integer(report.exit_code());
  json.end_object();
  out << "\n";
}

}  // namespace retort
