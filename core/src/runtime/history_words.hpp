// The words of the history table: a step's direction, the events a step
// writes, and what a check makes of an applied revision. Code handles them
// as enums; they become text only where they leave the process, in the
// history table's columns (history_table.cpp) and in what the commands
// print (text and --json). The text is persisted: a word is never changed,
// only new ones added.
#ifndef RETORT_HISTORY_WORDS_HPP
#define RETORT_HISTORY_WORDS_HPP

#include <retort/direction.hpp>

#include <optional>
#include <string_view>

namespace retort {

// Direction (upgrade, downgrade, stamp) is the SDK's: retort/direction.hpp.

// In the order a step writes them (history_table.hpp says when each is written).
enum class StepEvent {
  kStarted,     // started
  kStatement,   // statement
  kDone,        // done
  kFailed,      // failed
  kApplied,     // applied: `retort resolve --applied`
  kRolledBack,  // rolled-back: `retort resolve --rolled-back`
};

// What `retort check` makes of a revision (applied_check.hpp).
enum class CheckState {
  kOk,          // ok: the checksum recorded when applied is today's
  kChanged,     // changed: it is not
  kMissing,     // missing: applied, not in the scripts
  kUnrecorded,  // unrecorded: applied before the history table, or stamped
  kUnchecked,   // unchecked: no checksum today (its upgrade does not render offline)
  kPartial,     // partial: a step stopped partway
};

std::string_view to_text(Direction direction);
std::string_view to_text(StepEvent event);
std::string_view to_text(CheckState state);

// The enum a word names; nullopt for any other text.
std::optional<Direction> direction_from_text(std::string_view text);
std::optional<StepEvent> step_event_from_text(std::string_view text);

}  // namespace retort

#endif  // RETORT_HISTORY_WORDS_HPP
