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
// Without a cache file beside the modules, the database is not even opened:
// a run refused for its modules must not open it (SQLite would create it).
// With one, an earlier run opened the database already, and it is read
// while another thread reads the cache and works out what is applied when
// the database is at the heads, as it mostly is.
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

#include <optional>
#include <thread>

namespace retort::detail {
namespace {

// What the check needs of the database: its version-table rows and its
// history.
struct Applied {
  std::vector<std::string> rows;
  std::vector<HistoryEvent> events;
};

// The database's rows and history when the plan from those rows to the
// target is empty; nullopt when it is not, or on any error.
std::optional<Applied> read_applied(const Config& cfg, const Database& db,
                                    const HistoryTable& table, const RevisionMap& map,
                                    const Range& range, bool upgrade) {
  auto ctx = connect(db, version_table(cfg));
  if (!ctx) return std::nullopt;
  auto rows = ctx->current_heads();
  if (!rows || map.check_version_rows(*rows)) return std::nullopt;
  auto plan = upgrade ? map.upgrade_plan(*rows, range.end) : map.downgrade_plan(*rows, range.end);
  if (!plan || !plan->empty()) return std::nullopt;
  auto events = table.read(ctx->connection(), HistoryTable::Columns::kForCheck);
  if (!events) return std::nullopt;
  return Applied{std::move(*rows), std::move(*events)};
}

}  // namespace

bool nothing_to_run(const Config& cfg, const ScriptDirectory& scripts, const RevisionMap& map,
                    const ModuleFiles& files, const Range& range,
                    const command::RunOptions& options, bool upgrade) {
  if (options.sql || range.start) return false;
  // One database, as the config names it: an environment (env.cpp, or the
  // application's function) or several databases take the usual way.
  if (cfg.attributes().environment() != nullptr || find_environment(scripts.dir())) return false;
  auto names = database_names(cfg);
  if (!names || !names->empty()) return false;
  auto db = database(cfg);
  if (!db || db->shared != nullptr) return false;
  if (!db->dialect.capabilities().history) return false;
  auto history = history_table(cfg);
  if (!history) return false;
  HistoryTable table(db->dialect, *history);
  if (table.renderable()) return false;
  if (!ChecksumCache::exists_beside(files, db->dialect.name())) return false;

  std::optional<RevisionChecksums> checksums;
  std::optional<AppliedRevisions> at_heads;
  auto read_cache = [&] {
    checksums = RevisionChecksums::cached(db->dialect, map, files);
    if (checksums) at_heads = applied_revisions(map.heads(), map, *checksums);
  };
  std::optional<std::jthread> reader;  // joined on every way out
  try {
    reader.emplace([&read_cache, route = LogScope::current()] {
      LogScope inherit(route);
      try {
        read_cache();
      } catch (const std::exception&) {  // no checksums: the usual way
      }
    });
  } catch (const std::system_error&) {  // no thread to be had: the cache first
    read_cache();
    if (!checksums) return false;
  }
  std::optional<Applied> applied = read_applied(cfg, *db, table, map, range, upgrade);
  if (reader) reader->join();
  if (!checksums || !applied) return false;

  const AppliedCheck check =
      at_heads && at_heads->rows == applied->rows
          ? check_applied_revisions(applied->events, *at_heads, map, *checksums)
          : check_applied(applied->events, applied->rows, map, *checksums);
  if (!check.partial.empty() || !check.problems.empty() ||
      refuse_to_run(check, *checksums, options.ignore_checksums)) {
    return false;
  }
  log(LogLevel::kDebug,
      fmt::format("nothing to run to '{}': no revision module loaded", range.end));
  return true;
}

}  // namespace retort::detail
