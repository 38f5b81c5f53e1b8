// An online upgrade or downgrade with nothing to run, told before any
// revision module is loaded. At 10,000 applied revisions, loading the
// modules is most of what such a run costs; a deploy runs it on every
// release, mostly to learn that there is nothing to do.
//
// The answer is "nothing to run" only when the full run would also do
// nothing and refuse nothing: the plan to the target is empty, no step is
// partial, and every applied revision's checksum agrees with the one the
// checksum cache holds for these very module files (checksum_cache.hpp:
// keyed on each file's identity, as an earlier run that loaded and
// rendered them recorded it). Any doubt (no cache for this plan, a
// damaged version table, the application's connection, a dialect without
// a history table, an env.cpp, several databases) answers false, and the
// command takes the usual way, which loads the modules and says what is
// wrong. No lock is taken: the answer is what a run would have found just
// before, or after, another.
//
// What the database holds is read on another thread (DatabasePrefetch)
// while the command reads the sources and looks at the modules, and only
// when a checksum cache lies where the modules are: then an earlier run
// opened the database already. Without one the database is not opened
// here, as a run refused for its modules must not open it (SQLite would
// create the file).
#include <retort/attributes.hpp>
#include <retort/log.hpp>

#include "command/database_run.hpp"
#include "runtime/applied_check.hpp"
#include "runtime/checksum_cache.hpp"
#include "runtime/history_table.hpp"
#include "runtime/revision_checksums.hpp"
#include "runtime/run_config.hpp"
#include "script/environment_module.hpp"
#include "util/log_scope.hpp"

#include <fmt/format.h>

#include <latch>
#include <optional>
#include <thread>

namespace retort::detail {

struct DatabasePrefetch::State {
  // Settled before the thread starts.
  Database db;
  HistoryTable table;
  std::string version_table;
  // Written by the thread before `read_done` counts down.
  std::optional<std::vector<std::string>> rows;
  std::optional<std::vector<HistoryEvent>> events;
  std::latch read_done{1};
  // Counted down once the command is done with what was read, which the
  // thread then frees.
  std::latch released{1};
  bool was_released = false;  // by the command's thread
  // Last: joined before the rest is destroyed.
  std::jthread reader;

  State(Database database, const std::string& history, std::string version)
      : db(std::move(database)), table(db.dialect, history), version_table(std::move(version)) {}

  // Reads through a connection left open in `open`: the thread closes it
  // after telling that the reading is done, as freeing a schema of
  // thousands of tables takes SQLite milliseconds, while the command
  // checks what was read.
  void read(std::optional<MigrationContext>& open) {
    auto ctx = connect(db, version_table);
    if (!ctx) return;
    MigrationContext& c = open.emplace(std::move(*ctx));
    auto heads = c.current_heads();
    if (!heads) return;
    auto history = table.read(c.connection(), HistoryTable::Columns::kForCheck);
    if (!history) return;
    rows = std::move(*heads);
    events = std::move(*history);
  }
};

DatabasePrefetch::DatabasePrefetch(const Config& cfg, const Range& range,
                                   const command::RunOptions& options) {
  if (options.sql || range.start) return;
  // One database, as the config names it: an environment (env.cpp, or the
  // application's function) or several databases take the usual way.
  if (cfg.attributes().environment() != nullptr) return;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return;
  if (auto env = command_environment(scripts->dir()); !env || *env) return;
  auto names = database_names(cfg);
  if (!names || !names->empty()) return;
  auto db = database(cfg);
  if (!db || db->shared != nullptr || !db->dialect.capabilities().history) return;
  if (!ChecksumCache::exists_in(scripts->module_dirs(), db->dialect.name())) return;
  auto history = history_table(cfg);
  if (!history) return;
  auto state = std::make_unique<State>(std::move(*db), *history, version_table(cfg));
  if (state->table.renderable()) return;
  try {
    state->reader = std::jthread([s = state.get(), route = LogScope::current()] {
      LogScope inherit(route);
      std::optional<MigrationContext> open;
      try {
        s->read(open);
      } catch (const std::exception&) {  // nothing read: the usual way
      }
      s->read_done.count_down();
      open.reset();
      s->released.wait();
      s->events.reset();
    });
  } catch (const std::system_error&) {  // no thread to be had: the usual way
    return;
  }
  state_ = std::move(state);
}

DatabasePrefetch::~DatabasePrefetch() { release(); }

void DatabasePrefetch::release() {
  if (!state_ || state_->was_released) return;
  state_->was_released = true;
  state_->released.count_down();
}

const DatabasePrefetch::State* DatabasePrefetch::wait() {
  if (!state_) return nullptr;
  state_->read_done.wait();
  return state_->rows && state_->events ? state_.get() : nullptr;
}

bool nothing_to_run(DatabasePrefetch& prefetch, const RevisionMap& map, const ModuleFiles& files,
                    const Range& range, const command::RunOptions& options, bool upgrade) {
  const DatabasePrefetch::State* started = prefetch.started();
  if (started == nullptr) return false;
  // While the database is read: the checksums from the cache, and what is
  // applied when the database is at the heads, as it mostly is.
  auto checksums = RevisionChecksums::cached(started->db.dialect, map, files);
  if (!checksums) return false;
  const AppliedRevisions at_heads = applied_revisions(map.heads(), map, *checksums);

  const DatabasePrefetch::State* read = prefetch.wait();
  if (read == nullptr || map.check_version_rows(*read->rows)) return false;
  const std::vector<std::string>& rows = *read->rows;
  auto plan = upgrade ? map.upgrade_plan(rows, range.end) : map.downgrade_plan(rows, range.end);
  if (!plan || !plan->empty()) return false;
  const AppliedCheck check = at_heads.rows == rows
                                 ? check_applied_revisions(*read->events, at_heads, map, *checksums,
                                                           CheckDetail::kProblems)
                                 : check_applied(*read->events, rows, map, *checksums);
  const bool go_on = check.partial.empty() && check.problems.empty() &&
                     !refuse_to_run(check, *checksums, options.ignore_checksums);
  prefetch.release();
  if (!go_on) return false;
  log(LogLevel::kDebug,
      fmt::format("nothing to run to '{}': no revision module loaded", range.end));
  return true;
}

}  // namespace retort::detail
