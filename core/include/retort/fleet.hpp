// Fleet runs: one command over many databases. Each target is one ordinary
// run (its own connection, lock, history, checksum check and partial-step
// refusal); the revision modules and dialects are loaded once and shared.
//
//   auto targets = retort::read_targets("targets.txt");
//   auto report = retort::command::upgrade_targets(cfg, *targets, "head", {}, {.jobs = 8});
//   for (const retort::TargetResult& t : report->targets) { ... t.outcome ... }
//
// A targets file has one target a line: a URL; `name = URL`; or the name of
// a section of the config, whose `url` and other options override the main
// section's for that target. `%(here)s` is the file's directory, `${VAR}` an
// environment variable (for secrets), `%%` a literal %. `#` starts a comment.
#ifndef RETORT_FLEET_HPP
#define RETORT_FLEET_HPP

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/error.hpp>

#include <atomic>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

struct FleetTarget {
  std::string name;     // as reported: the name given, the section, else the URL redacted
  std::string url;      // references expanded; may hold a password: never print it
  std::string section;  // a section of the config whose options apply, or ""
  std::string origin;   // "file:line", for messages
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

// Parses a targets file's text. `origin` names it in messages ("-" is
// "stdin"); `here` is what %(here)s becomes. A bad line is refused with
// "origin:line: ...". Two targets of the same name are refused too.
Expected<std::vector<FleetTarget>> parse_targets(std::string_view text, const std::string& origin,
                                                 const std::string& here,
                                                 const EnvLookup& env = process_environment());
// Reads and parses `file`; "-" reads standard input (%(here)s is then the
// current directory).
Expected<std::vector<FleetTarget>> read_targets(const std::string& file);

// --shard K/M: the K-th of M shards, 1 <= K <= M.
struct Shard {
  int index = 1;
  int count = 1;
};
Expected<Shard> parse_shard(std::string_view text);
// Every M-th target starting with the K-th (the 1st, M+1-th, ... for K = 1).
std::vector<FleetTarget> select_shard(const std::vector<FleetTarget>& targets, Shard shard);

// What became of one target.
enum class TargetOutcome {
  kNotStarted,   // the fleet stopped first (--fail-fast, or interrupted)
  kDone,         // steps ran; for current and check: the answer was given
  kNothingToDo,  // already where the command would take it
  kFailed,       // the error says why; steps before the failure stay
  kInterrupted,  // stopped between steps by SIGINT/SIGTERM
  kDrifted,      // check: the database differs from the declared model (exit 6)
};
const char* outcome_name(TargetOutcome outcome);  // "not started", "done", ...

struct TargetResult {
  std::string name;
  std::string url;  // redacted
  // The database's revisions before and after; none when the version table
  // was never read (the target failed first, or did not start).
  std::optional<std::vector<std::string>> from;
  std::optional<std::vector<std::string>> to;
  size_t steps = 0;  // steps that completed
  double seconds = 0;
  TargetOutcome outcome = TargetOutcome::kNotStarted;
  Error error;
  std::string output;  // what the command printed for this target (--sql: its script)
  // check, with a model declared: how the database differs from it, one
  // change a line as `retort check` prints them ("add_column t.c").
  std::vector<std::string> drift;
  // Its log lines ("warning: ..."), as the log sink received them. Without
  // live lines they also went, as "NAME: warning: ...", to the fleet
  // Config's log sink (else stderr) as they came.
  std::vector<std::string> log;
};

struct FleetReport {
  std::string command;                // "upgrade", "downgrade", "stamp", "current", "check"
  std::vector<TargetResult> targets;  // in the order given
  // 0 when every target succeeded; else the most severe exit code among
  // them (fleet_severity); a target not started counts as kExitFailure.
  int exit_code() const;
};

// The order in which a fleet's exit code picks among its targets' codes,
// most severe first: 5 (partial step), 3 (checksum), 6 (drift from the
// model), 1 (failure), 2 (usage), 4 (lock timeout). A larger number is more
// severe.
int fleet_severity(int exit_code);

// How the fleet runs.
struct FleetOptions {
  int jobs = 1;            // targets at once; --sql runs one at a time
  bool fail_fast = false;  // start no target after one fails
  // When set, a live line per target (waiting, running revision X of Y,
  // done, failed) is redrawn there: meant for a terminal.
  std::ostream* live = nullptr;
  // When it becomes true, no further target starts and running ones stop
  // after their current step (e.g. set from a SIGINT handler).
  const std::atomic<bool>* stop = nullptr;
};

// The end-of-run table: target, from, to, steps, time, outcome, error.
void write_fleet_table(std::ostream& out, const FleetReport& report);
// --json: {"command":"upgrade","targets":[{"target":..,"url":..,"from":[..],
// "to":[..],"steps":1,"seconds":0.5,"outcome":"done","exit_code":0,
// "log":["warning: ..."],"drift":[],"error":null}],"exit_code":0}
void write_fleet_json(std::ostream& out, const FleetReport& report);

}  // namespace retort

namespace retort::command {

// The commands over a fleet. They fail as a whole only when nothing can
// run (the scripts do not load, a target's section is missing); each
// target's own failure is in its result.
Expected<FleetReport> upgrade_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                      const std::string& revision, const RunOptions& options = {},
                                      const FleetOptions& fleet = {});
Expected<FleetReport> downgrade_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                        const std::string& revision, const RunOptions& options = {},
                                        const FleetOptions& fleet = {});
Expected<FleetReport> stamp_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                    const std::vector<std::string>& revisions,
                                    const StampOptions& options = {},
                                    const FleetOptions& fleet = {});
Expected<FleetReport> current_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                      const FleetOptions& fleet = {});
Expected<FleetReport> check_targets(const Config& cfg, const std::vector<FleetTarget>& targets,
                                    const FleetOptions& fleet = {});

}  // namespace retort::command

#endif  // RETORT_FLEET_HPP
