#include "runtime/run_session.hpp"

#include <retort/log.hpp>

#include <fmt/format.h>

#include <chrono>

namespace retort::detail {
namespace {

// The version rows an offline script starts from.
Expected<std::vector<std::string>> starting_heads(const RevisionMap& map,
                                                  const std::optional<std::string>& start) {
  if (!start || start->empty() || *start == "base") return std::vector<std::string>{};
  auto rev = map.resolve(*start);
  if (!rev) return rev.take_error();
  if (*rev == nullptr) return std::vector<std::string>{};
  return std::vector<std::string>{(*rev)->id};
}

}  // namespace

Error RunSession::open(const Config& cfg, const Database& db, const RevisionMap& map,
                       const SessionOptions& options) {
  const std::string versions = version_table(cfg, db);
  const std::string lock_name = migration_lock_name(versions);
  if (options.sql) {
    auto heads = starting_heads(map, options.start);
    if (!heads) return heads.take_error();
    context_.emplace(MigrationContext::offline(db.dialect, cfg.output_buffer(), versions,
                                               std::move(*heads),
                                               options.script_lock ? lock_name : std::string()));
    follow_environment(db, options);
    return Error::success();
  }
  if (!(options.lock_timeout_seconds >= 0)) {
    return Error(ErrorCategory::kUsage, "--lock-timeout must be a number of seconds, 0 or more");
  }
  auto history = history_table(cfg);
  if (!history) return history.take_error();
  auto ctx = connect(db, versions);
  if (!ctx) return ctx.take_error();
  context_.emplace(std::move(*ctx));
  follow_environment(db, options);

  // The lock comes before the version table is read.
  const auto timeout =
      std::chrono::milliseconds(static_cast<long long>(options.lock_timeout_seconds * 1000));
  if (db.shared != nullptr) {
    if (Error err = lock_shared(db, lock_name, timeout)) return err;
  } else if (db.dialect.capabilities().lock_is_transaction) {
    auto lock = MigrationLock::acquire_transaction(db.dialect, context_->connection(), lock_name,
                                                   timeout, progress_stream());
    if (!lock) return lock.take_error();
    lock_.emplace(std::move(*lock));
    context_->set_run_transaction(true);
  } else {
    auto lock = MigrationLock::acquire(db.dialect, db.url, lock_name, timeout, progress_stream());
    if (!lock) return lock.take_error();
    if (*lock) {
      lock_.emplace(std::move(**lock));
    } else {
      log(LogLevel::kDebug, fmt::format("dialect '{}' has no migration lock; runners are not "
                                        "serialized",
                                        db.dialect.name()));
    }
  }
  if (options.checksums && options.shared_checksums != nullptr) {
    shared_ = options.shared_checksums;
  } else if (options.checksums) {
    checksums_ = RevisionChecksums::compute(db.dialect, map);
  }
  // The history table is written with operations ABI 1.1 added.
  if (!db.dialect.capabilities().history) {
    log(LogLevel::kWarning,
        fmt::format("dialect '{}' predates ABI 1.1 and cannot write the history table; this run "
                    "is not recorded and checksums are not checked",
                    db.dialect.name()));
    return Error::success();
  }
  HistoryTable table(db.dialect, *history);
  if (Error why = table.renderable()) {
    log(LogLevel::kWarning,
        fmt::format("dialect '{}' cannot write the history table, so this run is not recorded "
                    "and checksums are not checked: {}",
                    db.dialect.name(), why.message()));
    return Error::success();
  }
  context_->record_history(std::move(table), checksums());
  return Error::success();
}

void RunSession::follow_environment(const Database& db, const SessionOptions& options) {
  context_->set_database_name(options.database_name);
  if (!db.env) return;
  context_->set_version_table_schema(db.env->version_table_schema.value_or(""));
  context_->set_transaction_per_migration(db.env->transaction_per_migration);
  context_->set_on_version_apply(db.env->on_version_apply);
}

Error RunSession::lock_shared(const Database& db, const std::string& lock_name,
                              std::chrono::milliseconds timeout) {
  OdbcConnection& connection = context_->connection();
  if (!db.dialect.capabilities().transactional_ddl && !context_->journals_apart()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("dialect '{}' commits DDL at once, and sharing the application's "
                             "connection then needs the url as well",
                             db.dialect.name()),
                 "set url too: the history table's progress is written on a connection of its own");
  }
  auto autocommit = connection.autocommit();
  if (!autocommit) return autocommit.take_error();
  // Autocommit off is a transaction the application opened, ODBC's way.
  bool in_application_transaction = !*autocommit;
  if (db.dialect.capabilities().lock_is_transaction) {
    if (!in_application_transaction) {
      auto lock = MigrationLock::acquire_transaction(db.dialect, connection, lock_name, timeout,
                                                     progress_stream());
      if (lock) {
        lock_.emplace(std::move(*lock));
        context_->set_run_transaction(true);
        return Error::success();
      }
      // SQLite: an explicit BEGIN of the application's is already open.
      if (lock.error().message().find("within a transaction") == std::string::npos) {
        return lock.take_error();
      }
    }
    // The application's transaction is the lock: it excludes other writers
    // from the migration's first write on, and it alone commits.
    log(LogLevel::kDebug, "running inside the application's transaction, which is the lock");
    context_->set_run_transaction(true);
    return Error::success();
  }
  auto lock =
      MigrationLock::acquire_on(db.dialect, connection, lock_name, timeout, progress_stream());
  if (!lock) return lock.take_error();
  if (*lock) lock_.emplace(std::move(**lock));
  if (in_application_transaction && db.dialect.capabilities().transactional_ddl) {
    // Each step a savepoint in the application's transaction, which it ends.
    context_->set_run_transaction(true);
  } else {
    // Each step its own transaction, as on a connection of retort's own.
    restore_autocommit_ = *autocommit;
  }
  return Error::success();
}

Expected<AppliedCheck> RunSession::check(const std::vector<std::string>& rows,
                                         const RevisionMap& map) {
  auto events = context_->history_events();
  if (!events) return events.take_error();
  return check_applied(*events, rows, map, checksums());
}

Error RunSession::close(Error err) {
  Error released;
  if (lock_) {
    released = lock_->release();
    lock_.reset();
  }
  if (restore_autocommit_) {
    Error restored = context_->connection().set_autocommit(true);
    if (!released) released = std::move(restored);
  }
  return err ? std::move(err) : std::move(released);
}

}  // namespace retort::detail
