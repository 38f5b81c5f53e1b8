// The commands that touch a database, on one database whose revisions are
// already loaded: the single-target commands call them after loading the
// environment, and a fleet (command/fleet.cpp) calls them once per target
// with the environment it loaded once.
#ifndef RETORT_DATABASE_RUN_HPP
#define RETORT_DATABASE_RUN_HPP

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/error.hpp>

#include "revision/revision_map.hpp"
#include "runtime/applied_check.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/revision_checksums.hpp"
#include "runtime/run_config.hpp"
#include "script/script_directory.hpp"

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

// What a fleet adds to one target's run; the single-target commands leave
// it empty.
struct TargetRun {
  const RevisionChecksums* checksums = nullptr;  // shared by the fleet's targets
  RunHooks hooks;
  std::optional<std::vector<std::string>>* from = nullptr;  // receives the version table's rows
  // The database's name in an environment of several (the databases key).
  std::string database_name;
};

// upgrade TARGET / downgrade TARGET ([start:]end with --sql).
struct Range {
  std::optional<std::string> start;
  std::string end;
};
Expected<Range> parse_range(const std::string& target, bool sql, bool upgrade);
Error run_revisions(const Config& cfg, const RevisionMap& map, const Database& db,
                    const Range& range, const command::RunOptions& options, bool upgrade,
                    std::vector<StepOutcome>* outcomes, const TargetRun& run = {});
// What nothing_to_run needs of the database (its version-table rows and
// its history), read on another thread while the command reads the sources
// and looks at the modules (command/nothing_to_run.cpp). Started only when
// nothing_to_run could use it; waits for the thread when destroyed.
class DatabasePrefetch {
 public:
  DatabasePrefetch(const Config& cfg, const Range& range, const command::RunOptions& options);
  ~DatabasePrefetch();
  DatabasePrefetch(const DatabasePrefetch&) = delete;
  DatabasePrefetch& operator=(const DatabasePrefetch&) = delete;

  struct State;
  // What the reading was started with (the database and its dialect);
  // nullptr when it was not started.
  const State* started() const { return state_.get(); }
  // Waits for the reading; nullptr when nothing was read.
  const State* wait();
  // Done with what was read: the reading thread frees it (the destructor
  // releases it too).
  void release();

 private:
  std::unique_ptr<State> state_;
};

// True when an online run to `range.end` would run nothing and refuse
// nothing, told from a graph whose revisions have no module loaded, the
// files of their modules and what `prefetch` read (command/nothing_to_run.cpp).
// False in any doubt.
bool nothing_to_run(DatabasePrefetch& prefetch, const RevisionMap& map, const ModuleFiles& files,
                    const Range& range, const command::RunOptions& options, bool upgrade);

// stamp REV...: the revisions to stamp, and with --sql the one start.
struct StampRequest {
  std::optional<std::string> start;
  std::vector<std::string> targets;
};
Expected<StampRequest> parse_stamp(const std::vector<std::string>& revisions,
                                   const command::StampOptions& options);
Error stamp_revisions(const Config& cfg, const RevisionMap& map, const Database& db,
                      const StampRequest& request, const command::StampOptions& options,
                      std::vector<StepOutcome>* outcomes, const TargetRun& run = {});

// check: the history against the scripts; `table` is the history table's name.
Error check_database(const Config& cfg, const RevisionMap& map, const Database& db,
                     const command::CheckOptions& options, std::string& table, AppliedCheck& out,
                     const TargetRun& run = {});

// current: the version table's rows, refused when damaged.
Expected<std::vector<std::string>> database_heads(const Config& cfg, const RevisionMap& map,
                                                  const Database& db);

}  // namespace retort::detail

#endif  // RETORT_DATABASE_RUN_HPP
