// The commands, callable from an application as the CLI calls them:
//
//   retort::Config cfg{"retort.ini"};
//   if (auto err = retort::command::upgrade(cfg, "head")) { ... err.message() ... }
//
// What a command prints goes to cfg.output() (--sql scripts to
// cfg.output_buffer()); progress and the log go to cfg's log sink, else
// stderr, at the level set by retort::set_log_level (retort/log.hpp).
// With cfg.attributes().set_connection(hdbc), commands that connect run on
// the application's connection (README, "Sharing the application's
// connection").
//
// With `json` set, a command prints one JSON document instead of its text
// (the shapes are in README.md). upgrade, downgrade and stamp then write
// their "Running ..." lines to the log at info, and on failure still print
// the document, with "status":"failed" and the error, before returning it.
#ifndef RETORT_COMMAND_HPP
#define RETORT_COMMAND_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include <string>
#include <vector>

namespace retort::command {

// Creates an environment in `directory` from a template in scaffold/, and
// retort.ini beside it (in the directory of cfg's file, else the current one).
Error init(const Config& cfg, const std::string& directory,
           const std::string& template_name = "generic");
Error list_templates(const Config& cfg);
// Prints the dialect search path; each plugin found, in search order, with its
// name, version, ABI version, URL schemes, status ("active", or "shadowed" by
// an earlier plugin of the same name) and file; then each *.so that could
// not be loaded, with the reason. Fails only when the config is broken.
Error list_dialects(const Config& cfg);

struct RevisionOptions {
  std::string message;
  std::string rev_id;         // empty: a new random 12-digit hex id
  std::string head = "head";  // the parent: a head, "base", "label@head", ...
  bool splice = false;        // allow a parent that is not a head
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;  // ids, prefixes or labels
  std::string version_path;             // which version location, if several
  // Fill upgrade() and downgrade() with the model's differences from the
  // database, which must be at every head (retort/autogenerate.hpp).
  bool autogenerate = false;
};
// Writes a new revision source; returns its path.
Expected<std::string> revision(const Config& cfg, const RevisionOptions& options);

struct MergeOptions {
  std::string message;
  std::string rev_id;
  std::vector<std::string> branch_labels;
};
// Writes a revision that merges `revisions` (e.g. {"heads"}); returns its path.
Expected<std::string> merge(const Config& cfg, const std::vector<std::string>& revisions,
                            const MergeOptions& options);

struct BuildOptions {
  // When set, also writes a prebuilt deploy there for machines without a
  // compiler: modules/<stem>.so and manifest.json, replacing the folder whole.
  std::string deploy_dir;
};
// Compiles revision sources whose module is missing or older than the
// source, then loads every module and checks it against its sources.
Error build(const Config& cfg, const BuildOptions& options = {});

// How long a command that writes waits for another runner's migration lock.
inline constexpr double kDefaultLockTimeoutSeconds = 60;

struct RunOptions {
  bool sql = false;   // print the SQL script instead of connecting
  bool json = false;  // print the steps run as JSON; not with sql
  double lock_timeout_seconds = kDefaultLockTimeoutSeconds;
  bool script_lock = false;       // with sql: the script takes the migration lock
  bool ignore_checksums = false;  // run although applied revisions changed
  // Run a module older than its source, with a warning, when no compiler
  // can rebuild it (else that is an error).
  bool allow_stale = false;
  // --tag: an argument for the environment (env.cpp), as Alembic's; empty
  // is none.
  std::string tag;
};
Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options = {});
Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options = {});

struct StampOptions {
  bool sql = false;    // print the statements instead of connecting
  bool purge = false;  // empty the version table first
  bool json = false;   // print the steps run as JSON; not with sql
  double lock_timeout_seconds = kDefaultLockTimeoutSeconds;
  bool script_lock = false;  // with sql: the script takes the migration lock
  std::string tag;           // --tag, for the environment (env.cpp)
};
// Sets the version table to `revisions` without running any revision.
Error stamp(const Config& cfg, const std::vector<std::string>& revisions,
            const StampOptions& options = {});

// Compares the checksum recorded for each applied revision in the history
// table with the revision's today, and lists the revisions applied but gone
// from the scripts and the steps that stopped partway. Fails with
// ErrorCategory::kPartialStep or kChecksum (exit codes 5 and 3). Then, when
// a model is declared (model.cpp), compares it with the database and fails
// with kDrift (exit code 6) listing the differences.
struct CheckOptions {
  bool json = false;
};
Error check(const Config& cfg, const CheckOptions& options = {});

// Prints the history table's events, oldest first.
struct LogOptions {
  bool json = false;
};
Error log(const Config& cfg, const LogOptions& options = {});

// Records what an operator made of a step that stopped partway: `applied`
// (finished by hand; the version table moves as the step would have) or
// rolled back (undone by hand; the next upgrade runs it again).
struct ResolveOptions {
  bool applied = false;
  double lock_timeout_seconds = kDefaultLockTimeoutSeconds;
};
Error resolve(const Config& cfg, const std::string& revision, const ResolveOptions& options);

struct CurrentOptions {
  bool verbose = false;
  bool check_heads = false;  // fail unless the database is at every head
  bool json = false;
};
Error current(const Config& cfg, const CurrentOptions& options = {});

struct HistoryOptions {
  std::string range;  // "[start]:[end]"; "current" is the database's revision
  bool verbose = false;
  bool indicate_current = false;  // mark the database's revisions (connects)
  bool json = false;
};
Error history(const Config& cfg, const HistoryOptions& options = {});

struct HeadsOptions {
  bool verbose = false;
  bool resolve_dependencies = false;  // hide heads that others depend on
  bool json = false;
};
Error heads(const Config& cfg, const HeadsOptions& options = {});
// Every branch point and the revisions it branches into.
Error branches(const Config& cfg, bool verbose = false);
// The revisions an identifier names, in full ("current": the database's).
Error show(const Config& cfg, const std::string& revision);

// For an application's start-up check: the revisions the database is at
// (its version table's rows; empty when it has none) and the script
// directory's heads, each sorted by id, so that two lists of the same
// revisions compare equal.
Expected<std::vector<std::string>> current_revisions(const Config& cfg);
Expected<std::vector<std::string>> head_revisions(const Config& cfg);
// True when the database is at every head and nothing else: its rows are
// the heads, whatever their order. Fails as `retort current` does, e.g. on a
// row the scripts do not have.
Expected<bool> is_at_head(const Config& cfg);

}  // namespace retort::command

#endif  // RETORT_COMMAND_HPP
