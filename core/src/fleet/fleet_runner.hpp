// Runs one function per target on up to N threads, keeps each target's
// result, and draws the live lines of a terminal. Knows nothing of what a
// target's run does: the commands (command/fleet.cpp) give the function.
#ifndef RETORT_FLEET_RUNNER_HPP
#define RETORT_FLEET_RUNNER_HPP

#include <retort/fleet.hpp>

#include <functional>
#include <string>
#include <vector>

namespace retort::fleet {

// Sets the target's live line ("running revision 2 of 5 (ab12)").
using StatusFn = std::function<void(const std::string& text)>;
// Runs the target `index`, filling `result` (its name and URL are set).
using TargetFn = std::function<void(size_t index, TargetResult& result, const StatusFn& status)>;

// Runs `run` for each target in order of the list, `options.jobs` at once.
// A target not started (fail-fast, stop) keeps the outcome kNotStarted.
std::vector<TargetResult> run_fleet(std::vector<TargetResult> targets, const FleetOptions& options,
                                    const TargetFn& run);

}  // namespace retort::fleet

#endif  // RETORT_FLEET_RUNNER_HPP
