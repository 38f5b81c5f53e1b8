// Runs a plan against a database, or writes it as an SQL script. Both paths
// render every operation through the dialect, so they always agree.
#ifndef RETORT_MIGRATION_CONTEXT_HPP
#define RETORT_MIGRATION_CONTEXT_HPP

#include <retort/error.hpp>

#include "config/environment_settings.hpp"
#include "db/database_url.hpp"
#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"
#include "revision/revision_map.hpp"
#include "runtime/history_journal.hpp"
#include "runtime/history_table.hpp"
#include "runtime/revision_checksums.hpp"

#include <atomic>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace retort {

// What became of one step of an online run: how long it took, and whether it
// failed (the run's error says why). It owns its strings: it outlives the
// RevisionMap the step came from.
struct StepOutcome {
  std::string revision;  // empty when stamping to base
  std::string message;
  std::vector<std::string> from_heads;
  std::vector<std::string> to_heads;
  double duration_ms = 0;
  bool failed = false;
};

// What a fleet's run of one target watches (fleet.hpp): each step as it
// begins, and a flag that stops the run before its next step.
struct RunHooks {
  std::function<void(size_t index, size_t total, const MigrationStep& step)> on_step;
  const std::atomic<bool>* stop = nullptr;
};

// internal: see revision/revision_map.hpp.
inline namespace internal {

class MigrationContext {
 public:
  // Online: connects to `url` through the dialect.
  static Expected<MigrationContext> connect(const Dialect& dialect, const DatabaseUrl& url,
                                            std::string version_table);
  // Online on the application's connection `hdbc`, which it keeps owning.
  // `connection_string`, if not empty, opens the history journal's own
  // connection where DDL commits at once.
  static MigrationContext borrow(const Dialect& dialect, void* hdbc, std::string version_table,
                                 std::string connection_string, std::string display_name);
  // Offline: statements are written to `script`; `starting_heads` stand in
  // for the version table's rows. With a `script_lock` name, the script
  // waits for the migration lock first and releases it last.
  static MigrationContext offline(const Dialect& dialect, std::ostream& script,
                                  std::string version_table,
                                  std::vector<std::string> starting_heads,
                                  std::string script_lock = {});

  bool is_offline() const { return script_ != nullptr; }

  // Online: the connection the command runs on.
  OdbcConnection& connection() { return *connection_; }
  // Whether the history journal can open a connection of its own.
  bool journals_apart() const { return !connection_string_.empty(); }
  // Online: the command runs inside one transaction that the migration lock
  // opened (RETORT_DIALECT_LOCK_IS_TRANSACTION); each step is a savepoint.
  void set_run_transaction(bool on) { run_transaction_ = on; }
  // Online: records each step run in `history` (history_table.hpp), creating
  // it with the version table. `checksums` must outlive the context.
  void record_history(HistoryTable history, const RevisionChecksums& checksums);
  // The events of the history table given to record_history.
  Expected<std::vector<HistoryEvent>> history_events();
  // What an operator decided about a step that stopped partway (`retort
  // resolve`): an "applied" or "rolled-back" event, and for "applied" the
  // version-table change of `step`, in one transaction.
  Error resolve(const HistoryEvent& last, const std::optional<std::string>& checksum, bool applied,
                const MigrationStep* step);

  // The version table's rows (online), or the starting heads (offline). A
  // database without a version table has none; it is not created here. A
  // NULL row is refused; the commands check the rest against the scripts
  // with RevisionMap::check_version_rows.
  Expected<std::vector<std::string>> current_heads();

  // Runs the steps in order, each in its own transaction where the dialect's
  // DDL is transactional, the version table updated in the same transaction.
  // A failing step is rolled back and ends the run; earlier steps stay.
  // `log` receives one "Running upgrade a -> b, message" line per step;
  // `progress`, if given, a "  done in 1.2 s" line after each step that took
  // kSlowStepSeconds or more; `outcomes`, if given, one entry per step begun.
  Error run(const std::vector<MigrationStep>& steps, std::ostream& log,
            std::ostream* progress = nullptr, std::vector<StepOutcome>* outcomes = nullptr);
  static constexpr double kSlowStepSeconds = 1.0;
  // Online: `hooks` watch the steps of run() from now on.
  void set_hooks(RunHooks hooks) { hooks_ = std::move(hooks); }
  // What an environment (env.cpp) decided: the version table's schema
  // (empty: the connection's default), whether each step has a transaction
  // of its own (false: run() is one transaction, or one savepoint inside the
  // run's, where DDL is transactional), a callback after each step applied,
  // inside its transaction, and the name of the database in an environment
  // of several, which revisions see (Operations::database_name).
  void set_version_table_schema(std::string schema) { version_schema_ = std::move(schema); }
  void set_transaction_per_migration(bool on) { transaction_per_migration_ = on; }
  void set_on_version_apply(std::function<Error(const std::string& revision, StepDirection)> fn) {
    on_version_apply_ = std::move(fn);
  }
  void set_database_name(std::string name) { database_name_ = std::move(name); }

  // Deletes `rows` from the version table (stamp --purge), in one
  // transaction. Online only.
  Error purge(const std::vector<std::string>& rows);

 private:
  MigrationContext(const Dialect& dialect, std::string version_table)
      : dialect_(&dialect), version_table_(std::move(version_table)) {}

  // Renders an operation and runs or writes each statement.
  Error apply(const retort_operation& op);
  Error run_online_step(const MigrationStep& step);
  // One transaction, or a savepoint inside the run's transaction.
  Error begin_step();
  Error commit_step();
  void rollback_step();
  template <typename Body>
  Error in_transaction(Body body);
  Error ensure_history_table();
  Error emit(const std::string& statement, long long* affected = nullptr);
  Error run_step(const MigrationStep& step);
  Error version_applied(const MigrationStep& step);
  Error run_online_steps(const std::vector<MigrationStep>& steps, std::ostream& log,
                         std::ostream* progress, std::vector<StepOutcome>* outcomes);
  retort_operation version_table_op(uint32_t kind) const;
  std::vector<retort_operation> version_changes(const MigrationStep& step) const;
  Error update_version_table(const MigrationStep& step);
  Error ensure_version_table();
  static int submit(void* ctx, const retort_operation* op);
  static int query(void* ctx, const char* sql, size_t size, const retort_row_sink* rows);
  std::string not_rolled_back() const;

  const Dialect* dialect_;
  std::string version_table_;
  std::optional<OdbcConnection> connection_;
  std::ostream* script_ = nullptr;
  std::vector<std::string> offline_heads_;
  std::string script_lock_;
  Error op_error_;                            // why the last submit or query failed
  std::vector<std::string> step_statements_;  // run so far in the current step
  std::string failed_statement_;              // the last statement that failed
  bool run_transaction_ = false;

  // History (online, with record_history).
  std::string connection_string_;  // for the journal's own connection
  std::string display_name_;
  std::optional<HistoryJournal> journal_;
  const MigrationStep* current_step_ = nullptr;  // while a revision runs
  long long revision_statements_ = 0;            // that it ran so far
  RunHooks hooks_;

  // The environment's (set_transaction_per_migration and the rest).
  std::string version_schema_;
  bool transaction_per_migration_ = true;
  std::function<Error(const std::string&, StepDirection)> on_version_apply_;
  std::string database_name_;
};

}  // namespace internal

// "upgrade a -> b" / "downgrade b -> a", as Alembic's log and comments put it.
std::string describe_step(const MigrationStep& step);

}  // namespace retort

#endif  // RETORT_MIGRATION_CONTEXT_HPP
