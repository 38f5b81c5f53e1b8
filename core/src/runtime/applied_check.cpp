#include "runtime/applied_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace retort {
namespace {

bool runs_revision(const HistoryEvent& e) { return e.direction == "upgrade" || e.direction == "downgrade"; }

bool is_partial(const HistoryEvent& last) {
  if (last.event == "started" || last.event == "statement") return true;
  return last.event == "failed" && last.statements_done > 0;
}

// The revisions the version table's rows imply, oldest first; rows the
// scripts do not know are put in `unknown`.
std::vector<std::string> applied_revisions(const std::vector<std::string>& rows, const RevisionMap& map,
                                           std::vector<std::string>& unknown) {
  std::vector<std::string> known;
  for (const std::string& row : rows) {
    (map.find(row) != nullptr ? known : unknown).push_back(row);
  }
  std::vector<std::string> applied;
  auto plan = map.downgrade_plan(known, "base");
  if (!plan) return applied;
  for (auto it = plan->rbegin(); it != plan->rend(); ++it) {
    if (!it->stamp && it->revision != nullptr) applied.push_back(it->revision->id);
  }
  return applied;
}

std::string short_checksum(const std::optional<std::string>& c) {
  if (!c) return "none";
  constexpr size_t kShown = 10 + 12;  // "v1:sha256:" and 12 digits
  return c->size() > kShown ? c->substr(0, kShown) + "..." : *c;
}

}  // namespace

bool AppliedCheck::has_checksum_problem() const {
  return std::any_of(revisions.begin(), revisions.end(), [](const RevisionCheck& r) {
    return r.state == "changed" || r.state == "missing";
  });
}

AppliedCheck check_applied(const std::vector<HistoryEvent>& events,
                           const std::vector<std::string>& rows, const RevisionMap& map,
                           const RevisionChecksums& checksums) {
  // Per revision: its latest event, the checksum it was last applied with,
  // and the statements of the step its latest event belongs to.
  std::map<std::string, const HistoryEvent*> last;
  std::map<std::string, std::string> recorded;
  std::map<std::string, PartialStep> steps;
  std::vector<std::string> order;  // revisions in order of first event
  for (const HistoryEvent& e : events) {
    if (!runs_revision(e)) continue;
    if (!last.count(e.revision)) order.push_back(e.revision);
    const HistoryEvent* previous = last[e.revision];
    last[e.revision] = &e;
    PartialStep& step = steps[e.revision];
    const bool same_step = previous != nullptr && previous->run == e.run &&
                           previous->direction == e.direction &&
                           (previous->event == "started" || previous->event == "statement");
    if (!same_step) step = PartialStep{e, {}, e.checksum};
    step.last = e;
    if (e.event == "statement" && e.sql) step.ran.push_back(*e.sql);
    const bool completed = e.event == "done" || e.event == "applied";
    if (completed && e.direction == "upgrade") {
      if (e.checksum) recorded[e.revision] = *e.checksum;
    } else if (completed && e.direction == "downgrade") {
      recorded.erase(e.revision);
    }
  }

  AppliedCheck out;
  std::set<std::string> reported;
  std::vector<std::string> unknown;
  for (const std::string& id : applied_revisions(rows, map, unknown)) {
    RevisionCheck r{id, "unrecorded", std::nullopt, std::nullopt};
    if (auto it = recorded.find(id); it != recorded.end()) r.recorded = it->second;
    if (const RevisionFingerprint* f = checksums.find(id)) r.current = f->checksum;
    if (r.recorded && !r.current) {
      r.state = "unchecked";
    } else if (r.recorded) {
      r.state = *r.recorded == *r.current ? "ok" : "changed";
    }
    if (r.state == "changed") {
      out.problems.push_back(fmt::format(
          "revision '{}' changed since it was applied: recorded {}, now {}", id,
          short_checksum(r.recorded), short_checksum(r.current)));
    }
    reported.insert(id);
    out.revisions.push_back(std::move(r));
  }
  // Applied, by the version table or by the history, yet gone from the scripts.
  for (const auto& [id, checksum] : recorded) {
    if (map.find(id) == nullptr && std::find(unknown.begin(), unknown.end(), id) == unknown.end()) {
      unknown.push_back(id);
    }
  }
  for (const std::string& id : unknown) {
    std::optional<std::string> was;
    if (auto it = recorded.find(id); it != recorded.end()) was = it->second;
    out.revisions.push_back({id, "missing", was, std::nullopt});
    out.problems.push_back(fmt::format(
        "revision '{}' is applied to the database but is not in the scripts", id));
    reported.insert(id);
  }
  for (const std::string& id : order) {
    const HistoryEvent& e = *last[id];
    if (!is_partial(e)) continue;
    out.partial.push_back(steps[id]);
    out.problems.push_back(describe_partial(steps[id], checksums));
    auto it = std::find_if(out.revisions.begin(), out.revisions.end(),
                           [&](const RevisionCheck& r) { return r.revision == id; });
    if (it != out.revisions.end()) {
      it->state = "partial";
    } else {
      const RevisionFingerprint* f = checksums.find(id);
      out.revisions.push_back({id, "partial", steps[id].checksum,
                               f != nullptr ? std::optional<std::string>(f->checksum) : std::nullopt});
    }
  }
  return out;
}

std::string describe_partial(const PartialStep& step, const RevisionChecksums& checksums) {
  const HistoryEvent& e = step.last;
  const long long done = e.statements_done;
  std::string total = e.statements_total ? fmt::format(" of {}", *e.statements_total) : "";
  std::string what = e.event == "failed"
                         ? fmt::format("failed after statement {}{}: {}", done, total,
                                       e.error.value_or("no reason recorded"))
                         : fmt::format("stopped after statement {}{} and never finished", done, total);
  std::string ran;
  for (size_t i = 0; i < step.ran.size(); ++i) {
    ran += fmt::format("{}[{}] {}", i == 0 ? "; ran and not rolled back: " : "; ", i + 1, step.ran[i]);
  }
  std::string not_run;
  const RevisionFingerprint* f = e.direction == "upgrade" ? checksums.find(e.revision) : nullptr;
  if (f != nullptr) {
    for (size_t i = static_cast<size_t>(done); i < f->statements.size(); ++i) {
      not_run += fmt::format("{}[{}] {}", i == static_cast<size_t>(done) ? "; not run: " : "; ",
                             i + 1, f->statements[i]);
    }
  }
  return fmt::format("revision '{}' stopped partway through its {} (run {} by {}, at {}): it {}{}{}",
                     e.revision, e.direction, e.run, e.who, e.at, what, ran, not_run);
}

Error refuse_to_run(const AppliedCheck& check, const RevisionChecksums& checksums,
                    bool ignore_checksums) {
  if (!check.partial.empty()) {
    const PartialStep& step = check.partial.front();
    const std::string& id = step.last.revision;
    return Error(ErrorCategory::kPartialStep, describe_partial(step, checksums),
                 fmt::format("finish or undo those statements by hand, then record what you did "
                             "with 'retort resolve {0} --applied' or 'retort resolve {0} --rolled-back'",
                             id));
  }
  if (ignore_checksums || !check.has_checksum_problem()) return Error::success();
  std::string lines;
  for (const std::string& p : check.problems) lines += (lines.empty() ? "" : "; ") + p;
  return Error(ErrorCategory::kChecksum, lines,
               "restore the revisions as they were applied ('retort check' lists them), or run "
               "with --ignore-checksums");
}

}  // namespace retort
