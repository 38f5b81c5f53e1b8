// What the history table says about the database, checked against the
// scripts: each applied revision's recorded checksum against today's, the
// revisions applied but gone from the scripts, and the steps that stopped
// partway (a runner died, or a statement failed where DDL commits at once)
// and wait for an operator's `retort resolve`.
#ifndef RETORT_APPLIED_CHECK_HPP
#define RETORT_APPLIED_CHECK_HPP

#include <retort/error.hpp>

#include "revision/revision_map.hpp"
#include "runtime/history_table.hpp"
#include "runtime/history_words.hpp"
#include "runtime/revision_checksums.hpp"

#include <optional>
#include <string>
#include <vector>

namespace retort {

// A step whose latest event is started or statement (its runner stopped),
// or failed after some of its statements ran and stayed.
struct PartialStep {
  HistoryEvent last;                    // the step's latest event
  std::vector<std::string> ran;         // the statements its events name, in order
  std::optional<std::string> checksum;  // from the step's first event
};

struct RevisionCheck {
  std::string revision;
  CheckState state = CheckState::kUnrecorded;
  std::optional<std::string> recorded;
  std::optional<std::string> current;
};

struct AppliedCheck {
  std::vector<RevisionCheck> revisions;  // applied ones, oldest first; then the rest
  std::vector<PartialStep> partial;
  std::vector<std::string> problems;  // one line each

  bool has_checksum_problem() const;
};

// The revisions the version table's `rows` say are applied, oldest first,
// each with today's checksum (nullptr: none), and the rows the scripts do
// not know: what the history is checked against. The map and the checksums
// must outlive it.
struct AppliedRevisions {
  std::vector<std::string> rows;
  std::vector<std::pair<const Revision*, const RevisionSummary*>> applied;
  std::vector<std::string> unknown;
};
AppliedRevisions applied_revisions(const std::vector<std::string>& rows, const RevisionMap& map,
                                   const RevisionChecksums& checksums);

// `rows` are the version table's rows.
AppliedCheck check_applied(const std::vector<HistoryEvent>& events,
                           const std::vector<std::string>& rows, const RevisionMap& map,
                           const RevisionChecksums& checksums);
// What a check keeps in AppliedCheck::revisions: every applied revision, or
// only those with something to say (changed, gone, partial), which is all
// a run needs to know whether it may go on, at a fraction of the cost for
// thousands of revisions.
enum class CheckDetail { kAll, kProblems };

// The same, with the applied revisions worked out already.
AppliedCheck check_applied_revisions(const std::vector<HistoryEvent>& events,
                                     const AppliedRevisions& applied, const RevisionMap& map,
                                     const RevisionChecksums& checksums,
                                     CheckDetail detail = CheckDetail::kAll);

// The line that explains a partial step and what to do about it.
std::string describe_partial(const PartialStep& step, const RevisionChecksums& checksums);

// Why a command that runs revisions must not: a partial step
// (kPartialStep), else a checksum problem (kChecksum) unless ignored.
Error refuse_to_run(const AppliedCheck& check, const RevisionChecksums& checksums,
                    bool ignore_checksums);

}  // namespace retort

#endif  // RETORT_APPLIED_CHECK_HPP
