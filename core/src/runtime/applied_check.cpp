#include "runtime/applied_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace retort {
namespace {

bool runs_revision(const HistoryEvent& e) {
  return e.direction == Direction::kUpgrade || e.direction == Direction::kDowngrade;
}

bool is_partial(const HistoryEvent& last) {
  if (last.event == StepEvent::kStarted || last.event == StepEvent::kStatement) return true;
  return last.event == StepEvent::kFailed && last.statements_done > 0;
}

std::string short_checksum(const std::optional<std::string>& c) {
  if (!c) return "none";
  constexpr size_t kShown = 10 + 12;  // "v1:sha256:" and 12 digits
  return c->size() > kShown ? c->substr(0, kShown) + "..." : *c;
}

}  // namespace

AppliedRevisions applied_revisions(const std::vector<std::string>& rows, const RevisionMap& map,
                                   const RevisionChecksums& checksums) {
  AppliedRevisions out;
  out.rows = rows;
  std::vector<std::string> known;
  for (const std::string& row : rows) {
    (map.find(row) != nullptr ? known : out.unknown).push_back(row);
  }
  auto down = map.downgrade_revisions(known, "base");
  if (!down) return out;
  out.applied.reserve(down->size());
  for (auto it = down->rbegin(); it != down->rend(); ++it) {
    out.applied.emplace_back(*it, checksums.summary((*it)->id));
  }
  return out;
}

bool AppliedCheck::has_checksum_problem() const {
  return std::any_of(revisions.begin(), revisions.end(), [](const RevisionCheck& r) {
    return r.state == CheckState::kChanged || r.state == CheckState::kMissing;
  });
}

AppliedCheck check_applied(const std::vector<HistoryEvent>& events,
                           const std::vector<std::string>& rows, const RevisionMap& map,
                           const RevisionChecksums& checksums) {
  return check_applied_revisions(events, applied_revisions(rows, map, checksums), map, checksums);
}

AppliedCheck check_applied_revisions(const std::vector<HistoryEvent>& events,
                                     const AppliedRevisions& applied, const RevisionMap& map,
                                     const RevisionChecksums& checksums, CheckDetail detail) {
  // Per revision: its latest event, the first event and the statements of
  // the step that event belongs to, and the checksum it was last applied
  // with. Keys and values point into `events`.
  struct Track {
    const HistoryEvent* last = nullptr;
    const HistoryEvent* first = nullptr;
    std::vector<const std::string*> ran;
    const std::string* recorded = nullptr;  // the checksum it is applied with
  };
  std::unordered_map<std::string_view, Track> tracks;
  tracks.reserve(map.revisions().size());
  std::vector<std::string_view> order;  // revisions in order of first event
  for (const HistoryEvent& e : events) {
    if (!runs_revision(e)) continue;
    auto [it, fresh] = tracks.try_emplace(e.revision);
    if (fresh) order.push_back(e.revision);
    Track& track = it->second;
    const HistoryEvent* previous = track.last;
    track.last = &e;
    const bool same_step =
        previous != nullptr && previous->run == e.run && previous->direction == e.direction &&
        (previous->event == StepEvent::kStarted || previous->event == StepEvent::kStatement);
    if (!same_step) {
      track.first = &e;
      track.ran.clear();
    }
    if (e.event == StepEvent::kStatement && e.sql) track.ran.push_back(&*e.sql);
    const bool completed = e.event == StepEvent::kDone || e.event == StepEvent::kApplied;
    if (completed && e.direction == Direction::kUpgrade) {
      if (e.checksum) track.recorded = &*e.checksum;
    } else if (completed && e.direction == Direction::kDowngrade) {
      track.recorded = nullptr;
    }
  }
  auto recorded_checksum = [&](std::string_view id) -> std::optional<std::string> {
    auto it = tracks.find(id);
    if (it == tracks.end() || it->second.recorded == nullptr) return std::nullopt;
    return *it->second.recorded;
  };

  AppliedCheck out;
  std::vector<std::string> unknown = applied.unknown;
  if (detail == CheckDetail::kAll) out.revisions.reserve(applied.applied.size());
  size_t recorded_applied = 0;
  for (const auto& [rev, now] : applied.applied) {
    const std::string& id = rev->id;
    auto it = tracks.find(id);
    const std::string* recorded = it == tracks.end() ? nullptr : it->second.recorded;
    if (recorded != nullptr) ++recorded_applied;
    // Told without a copy: unrecorded, unchecked or unchanged.
    const bool fine = recorded == nullptr || now == nullptr || *recorded == now->checksum;
    if (fine && detail == CheckDetail::kProblems) continue;
    RevisionCheck r{id, CheckState::kUnrecorded,
                    recorded != nullptr ? std::optional<std::string>(*recorded) : std::nullopt,
                    std::nullopt};
    if (now != nullptr) r.current = std::string(now->checksum);
    if (r.recorded && !r.current) {
      r.state = CheckState::kUnchecked;
    } else if (r.recorded) {
      r.state = *r.recorded == *r.current ? CheckState::kOk : CheckState::kChanged;
    }
    if (r.state == CheckState::kChanged) {
      out.problems.push_back(
          fmt::format("revision '{}' changed since it was applied: recorded {}, now {}", id,
                      short_checksum(r.recorded), short_checksum(r.current)));
    }
    out.revisions.push_back(std::move(r));
  }
  // Applied, by the version table or by the history, yet gone from the
  // scripts; those only the history names, in order of id.
  // When every revision the history holds as applied is applied by the
  // version table, none is gone.
  std::vector<std::string_view> gone;
  const size_t recorded = std::count_if(tracks.begin(), tracks.end(),
                                        [](const auto& t) { return t.second.recorded != nullptr; });
  if (recorded != recorded_applied) {
    for (const auto& [id, track] : tracks) {
      if (track.recorded != nullptr && map.find(id) == nullptr) gone.push_back(id);
    }
  }
  std::sort(gone.begin(), gone.end());
  for (std::string_view id : gone) {
    if (std::find(unknown.begin(), unknown.end(), id) == unknown.end()) unknown.emplace_back(id);
  }
  for (const std::string& id : unknown) {
    out.revisions.push_back({id, CheckState::kMissing, recorded_checksum(id), std::nullopt});
    out.problems.push_back(
        fmt::format("revision '{}' is applied to the database but is not in the scripts", id));
  }
  for (std::string_view id : order) {
    const Track& track = tracks.at(id);
    if (!is_partial(*track.last)) continue;
    PartialStep step{*track.last, {}, track.first->checksum};
    for (const std::string* sql : track.ran) step.ran.push_back(*sql);
    out.problems.push_back(describe_partial(step, checksums));
    auto it = std::find_if(out.revisions.begin(), out.revisions.end(),
                           [&](const RevisionCheck& r) { return r.revision == id; });
    if (it != out.revisions.end()) {
      it->state = CheckState::kPartial;
    } else {
      const RevisionSummary* now = checksums.summary(id);
      out.revisions.push_back(
          {std::string(id), CheckState::kPartial, step.checksum,
           now != nullptr ? std::optional<std::string>(now->checksum) : std::nullopt});
    }
    out.partial.push_back(std::move(step));
  }
  return out;
}

std::string describe_partial(const PartialStep& step, const RevisionChecksums& checksums) {
  const HistoryEvent& e = step.last;
  const long long done = e.statements_done;
  std::string total = e.statements_total ? fmt::format(" of {}", *e.statements_total) : "";
  std::string what =
      e.event == StepEvent::kFailed
          ? fmt::format("failed after statement {}{}: {}", done, total,
                        e.error.value_or("no reason recorded"))
          : fmt::format("stopped after statement {}{} and never finished", done, total);
  std::string ran;
  for (size_t i = 0; i < step.ran.size(); ++i) {
    ran +=
        fmt::format("{}[{}] {}", i == 0 ? "; ran and not rolled back: " : "; ", i + 1, step.ran[i]);
  }
  std::string not_run;
  const RevisionFingerprint* f =
      e.direction == Direction::kUpgrade ? checksums.find(e.revision) : nullptr;
  if (f != nullptr) {
    for (size_t i = static_cast<size_t>(done); i < f->statements.size(); ++i) {
      not_run += fmt::format("{}[{}] {}", i == static_cast<size_t>(done) ? "; not run: " : "; ",
                             i + 1, f->statements[i]);
    }
  }
  return fmt::format(
      "revision '{}' stopped partway through its {} (run {} by {}, at {}): it {}{}{}", e.revision,
      to_text(e.direction), e.run, e.who, e.at, what, ran, not_run);
}

Error refuse_to_run(const AppliedCheck& check, const RevisionChecksums& checksums,
                    bool ignore_checksums) {
  if (!check.partial.empty()) {
    const PartialStep& step = check.partial.front();
    const std::string& id = step.last.revision;
    Error err(
        ErrorCategory::kPartialStep, describe_partial(step, checksums),
        fmt::format("finish or undo those statements by hand, then record what you did "
                    "with 'retort resolve {0} --applied' or 'retort resolve {0} --rolled-back'",
                    id));
    return std::move(err).with_detail(UnresolvedStep{id, std::string(to_text(step.last.direction)),
                                                     step.last.run, step.last.statements_done});
  }
  if (ignore_checksums || !check.has_checksum_problem()) return Error::success();
  std::string lines;
  for (const std::string& p : check.problems) lines += (lines.empty() ? "" : "; ") + p;
  ChecksumMismatch mismatch;
  for (const RevisionCheck& r : check.revisions) {
    if (r.state == CheckState::kChanged) mismatch.changed.push_back(r.revision);
    if (r.state == CheckState::kMissing) mismatch.missing.push_back(r.revision);
  }
  Error err(ErrorCategory::kChecksum, lines,
            "restore the revisions as they were applied ('retort check' lists them), or run "
            "with --ignore-checksums");
  return std::move(err).with_detail(std::move(mismatch));
}

}  // namespace retort
