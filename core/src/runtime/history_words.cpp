#include "runtime/history_words.hpp"

#include <array>
#include <utility>

namespace retort {
namespace {

template <typename Enum, size_t N>
using Words = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Words<Direction, 3> kDirections{{
    {Direction::kUpgrade, "upgrade"},
    {Direction::kDowngrade, "downgrade"},
    {Direction::kStamp, "stamp"},
}};

constexpr Words<StepEvent, 6> kStepEvents{{
    {StepEvent::kStarted, "started"},
    {StepEvent::kStatement, "statement"},
    {StepEvent::kDone, "done"},
    {StepEvent::kFailed, "failed"},
    {StepEvent::kApplied, "applied"},
    {StepEvent::kRolledBack, "rolled-back"},
}};

constexpr Words<CheckState, 6> kCheckStates{{
    {CheckState::kOk, "ok"},
    {CheckState::kChanged, "changed"},
    {CheckState::kMissing, "missing"},
    {CheckState::kUnrecorded, "unrecorded"},
    {CheckState::kUnchecked, "unchecked"},
    {CheckState::kPartial, "partial"},
}};

template <typename Enum, size_t N>
std::string_view word(const Words<Enum, N>& words, Enum value) {
  for (const auto& [e, text] : words) {
    if (e == value) return text;
  }
  return {};
}

template <typename Enum, size_t N>
std::optional<Enum> from_word(const Words<Enum, N>& words, std::string_view text) {
  for (const auto& [e, w] : words) {
    if (w == text) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_text(Direction direction) { return word(kDirections, direction); }
std::string_view to_text(StepEvent event) { return word(kStepEvents, event); }
std::string_view to_text(CheckState state) { return word(kCheckStates, state); }

std::optional<Direction> direction_from_text(std::string_view text) {
  return from_word(kDirections, text);
}
std::optional<StepEvent> step_event_from_text(std::string_view text) {
  return from_word(kStepEvents, text);
}

}  // namespace retort
