#include "runtime/migration_context.hpp"

#include "util/text.hpp"

#include <retort/log.hpp>
#include <retort/sink.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ostream>

namespace retort {
namespace {

retort_operation version_op(uint32_t kind, const std::string& table) {
  retort_operation op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.table = to_str(table);
  return op;
}

}  // namespace

std::string describe_step(const MigrationStep& step) {
  if (step.stamp) {
    return fmt::format("stamp_revision {} -> {}", join(step.from_heads), join(step.to_heads));
  }
  const Revision& rev = *step.revision;
  if (step.upgrade) return fmt::format("upgrade {} -> {}", join(rev.down_revisions), rev.id);
  return fmt::format("downgrade {} -> {}", rev.id, join(rev.down_revisions));
}

Expected<MigrationContext> MigrationContext::connect(const Dialect& dialect, const DatabaseUrl& url,
                                                     std::string version_table) {
  auto connection_string = dialect.connection_string(url);
  if (!connection_string) return connection_string.take_error();
  auto connection = OdbcConnection::connect(*connection_string, url.shown());
  if (!connection) return connection.take_error();
  log(LogLevel::kDebug, fmt::format("connected to {}", url.shown()));
  MigrationContext ctx(dialect, std::move(version_table));
  ctx.connection_.emplace(std::move(*connection));
  ctx.connection_string_ = std::move(*connection_string);
  ctx.display_name_ = url.shown();
  return ctx;
}

MigrationContext MigrationContext::borrow(const Dialect& dialect, void* hdbc,
                                          std::string version_table, std::string connection_string,
                                          std::string display_name) {
  MigrationContext ctx(dialect, std::move(version_table));
  ctx.connection_.emplace(OdbcConnection::borrow(hdbc, display_name));
  ctx.connection_string_ = std::move(connection_string);
  ctx.display_name_ = std::move(display_name);
  return ctx;
}

MigrationContext MigrationContext::offline(const Dialect& dialect, std::ostream& script,
                                           std::string version_table,
                                           std::vector<std::string> starting_heads,
                                           std::string script_lock) {
  MigrationContext ctx(dialect, std::move(version_table));
  ctx.script_ = &script;
  ctx.offline_heads_ = std::move(starting_heads);
  ctx.script_lock_ = std::move(script_lock);
  return ctx;
}

retort_operation MigrationContext::version_table_op(uint32_t kind) const {
  retort_operation op = version_op(kind, version_table_);
  if (!version_schema_.empty()) op.schema = to_str(version_schema_);
  return op;
}

Expected<std::vector<std::string>> MigrationContext::current_heads() {
  if (is_offline()) return offline_heads_;
  auto exists = connection_->table_exists(version_table_, version_schema_);
  if (!exists) return exists.take_error();
  if (!*exists) return std::vector<std::string>{};
  auto statements = dialect_->render(version_table_op(RETORT_OP_SELECT_VERSIONS));
  if (!statements) return statements.take_error();
  if (statements->size() != 1) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("dialect '{}' rendered {} statements to read the version table",
                             dialect_->name(), statements->size()));
  }
  auto rows = connection_->query_column(statements->front());
  if (!rows) {
    return Error(ErrorCategory::kDatabase, fmt::format("cannot read version table '{}': {}",
                                                       version_table_, rows.error().message()));
  }
  // A NULL row is damage that no revision explains: refused here, for every
  // command, as RevisionMap::check_version_rows refuses the rest.
  std::vector<std::string> heads;
  for (auto& row : *rows) {
    if (!row) {
      return Error(
          ErrorCategory::kDatabase,
          fmt::format("version table '{}' holds a row whose version_num is NULL", version_table_),
          fmt::format("delete it (DELETE FROM {} WHERE version_num IS NULL), then run the "
                      "command again",
                      version_table_));
    }
    heads.push_back(std::move(*row));
  }
  return heads;
}

Error MigrationContext::emit(const std::string& statement, long long* affected) {
  if (!is_offline()) {
    if (log_enabled(LogLevel::kDebug))
      log(LogLevel::kDebug, fmt::format("executing {}", statement));
    Error err = connection_->execute(statement, affected);
    if (err) {
      failed_statement_ = statement;
      return err;
    }
    step_statements_.push_back(statement);
    if (current_step_ == nullptr) return Error::success();
    ++revision_statements_;
    if (!journal_ || dialect_->capabilities().transactional_ddl) return Error::success();
    // DDL commits at once here: say so in the history before going on.
    HistoryEvent event = journal_->event(*current_step_, StepEvent::kStatement);
    event.statements_done = revision_statements_;
    event.sql = statement;
    return journal_->write_now(std::move(event));
  }
  *script_ << statement << dialect_->statement_terminator() << "\n\n";
  if (std::string separator = dialect_->batch_separator(); !separator.empty()) {
    *script_ << separator << "\n\n";
  }
  return Error::success();
}

Error MigrationContext::apply(const retort_operation& op) {
  const Dialect::QueryFn query = [this](const std::string& sql) { return connection_->query(sql); };
  auto statements = dialect_->render(op, is_offline() ? nullptr : &query);
  if (!statements) return statements.take_error();
  for (const std::string& statement : *statements) {
    if (auto err = emit(statement)) {
      return Error(err.category(), err.message(), fmt::format("the statement was: {}", statement));
    }
  }
  return Error::success();
}

int MigrationContext::submit(void* ctx, const retort_operation* op) {
  auto* self = static_cast<MigrationContext*>(ctx);
  self->op_error_ = self->apply(*op);
  return self->op_error_ ? RETORT_ERROR : RETORT_OK;
}

int MigrationContext::query(void* ctx, const char* sql, size_t size, const retort_row_sink* rows) {
  auto* self = static_cast<MigrationContext*>(ctx);
  if (self->is_offline()) {
    self->op_error_ =
        Error(ErrorCategory::kMigration, "a revision cannot run a query in --sql mode",
              "check op.is_offline() before op.query()");
    return RETORT_UNSUPPORTED;
  }
  return forward_rows(self->connection_->query(std::string(sql, size)), rows, self->op_error_);
}

// What a failed step leaves behind where DDL does not roll back: the
// statements that ran before the failure, named so they can be undone.
std::string MigrationContext::not_rolled_back() const {
  if (is_offline() || step_statements_.empty()) return {};
  if (dialect_->capabilities().transactional_ddl) return {};
  std::string out = fmt::format(
      "; {} statement{} of this revision ran and {} not rolled back, as DDL on {} commits at "
      "once: ",
      step_statements_.size(), step_statements_.size() == 1 ? "" : "s",
      step_statements_.size() == 1 ? "was" : "were", dialect_->name());
  for (size_t i = 0; i < step_statements_.size(); ++i) {
    if (i > 0) out += "; ";
    out += fmt::format("[{}] {}", i + 1, step_statements_[i]);
  }
  return out;
}

Error MigrationContext::begin_step() {
  if (run_transaction_) return connection_->execute("SAVEPOINT retort_step");
  return connection_->begin();
}

Error MigrationContext::commit_step() {
  if (run_transaction_) return connection_->execute("RELEASE SAVEPOINT retort_step");
  return connection_->commit();
}

void MigrationContext::rollback_step() {
  if (run_transaction_) {
    (void)connection_->execute("ROLLBACK TO SAVEPOINT retort_step");
    (void)connection_->execute("RELEASE SAVEPOINT retort_step");
    return;
  }
  (void)connection_->rollback();
}

template <typename Body>
Error MigrationContext::in_transaction(Body body) {
  if (auto err = begin_step()) return err;
  if (Error err = body()) {
    rollback_step();
    return err;
  }
  return commit_step();
}

Error MigrationContext::ensure_version_table() {
  return in_transaction([&]() -> Error {
    if (auto err = apply(version_table_op(RETORT_OP_CREATE_VERSION_TABLE))) {
      return Error(err.category(), fmt::format("cannot create version table '{}': {}",
                                               version_table_, err.message()));
    }
    return Error::success();
  });
}

void MigrationContext::record_history(HistoryTable history, const RevisionChecksums& checksums) {
  journal_.emplace(*dialect_, std::move(history), checksums, connection_string_, display_name_);
}

Expected<std::vector<HistoryEvent>> MigrationContext::history_events() {
  if (is_offline() || !journal_) return std::vector<HistoryEvent>{};
  return journal_->table().read(*connection_);
}

Error MigrationContext::ensure_history_table() {
  const HistoryTable& history = journal_->table();
  auto exists = connection_->table_exists(history.name());
  if (!exists) return exists.take_error();
  if (*exists) return Error::success();
  auto statements = history.create_statements();
  if (!statements) return statements.take_error();
  return in_transaction([&]() -> Error {
    for (const std::string& statement : *statements) {
      if (auto err = connection_->execute(statement)) {
        return Error(err.category(), fmt::format("cannot create history table '{}': {}",
                                                 history.name(), err.message()));
      }
    }
    return Error::success();
  });
}

// The rows a step replaces become the rows that replace them, as Alembic's
// HeadMaintainer writes it: a base inserts, a branch removed deletes, a merge
// deletes all but one parent and updates that one, an unmerge the reverse.
std::vector<retort_operation> MigrationContext::version_changes(const MigrationStep& step) const {
  const auto& from = step.from_heads;
  const auto& to = step.to_heads;
  auto op = [&](uint32_t kind, const std::string* old_version, const std::string& version) {
    retort_operation o = version_table_op(kind);
    if (old_version != nullptr) o.old_version = to_str(*old_version);
    o.version = to_str(version);
    return o;
  };
  std::vector<retort_operation> ops;
  if (from.empty()) {
    for (const std::string& id : to) ops.push_back(op(RETORT_OP_INSERT_VERSION, nullptr, id));
    return ops;
  }
  if (to.empty()) {
    for (const std::string& id : from) ops.push_back(op(RETORT_OP_DELETE_VERSION, nullptr, id));
    return ops;
  }
  for (size_t i = 0; i + 1 < from.size(); ++i)
    ops.push_back(op(RETORT_OP_DELETE_VERSION, nullptr, from[i]));
  for (size_t i = 0; i + 1 < to.size(); ++i)
    ops.push_back(op(RETORT_OP_INSERT_VERSION, nullptr, to[i]));
  ops.push_back(op(RETORT_OP_UPDATE_VERSION, &from.back(), to.back()));
  return ops;
}

Error MigrationContext::update_version_table(const MigrationStep& step) {
  for (const retort_operation& op : version_changes(step)) {
    auto statements = dialect_->render(op);
    if (!statements) return statements.take_error();
    for (const std::string& statement : *statements) {
      long long affected = 1;
      if (auto err = emit(statement, &affected)) return err;
      // An UPDATE or DELETE that does not touch exactly one row means the
      // table is not what this run read; stop rather than guess.
      const bool update = op.kind == RETORT_OP_UPDATE_VERSION;
      if (is_offline() || (!update && op.kind != RETORT_OP_DELETE_VERSION) || affected == 1)
        continue;
      std::string what = update ? fmt::format("updating '{}' to '{}'", to_view(op.old_version),
                                              to_view(op.version))
                                : fmt::format("deleting '{}'", to_view(op.version));
      return Error(ErrorCategory::kMigration,
                   fmt::format("online migration expected to match one row when {} in version "
                               "table '{}'; {} found",
                               what, version_table_, affected),
                   "another runner may have changed the version table; run 'retort current'");
    }
  }
  return Error::success();
}

Error MigrationContext::version_applied(const MigrationStep& step) {
  if (!on_version_apply_) return Error::success();
  if (step.stamp) {
    return on_version_apply_(join(step.to_heads), StepDirection::kStamp);
  }
  return on_version_apply_(step.revision->id,
                           step.upgrade ? StepDirection::kUpgrade : StepDirection::kDowngrade);
}

Error MigrationContext::run_step(const MigrationStep& step) {
  if (step.stamp) {
    if (auto err = update_version_table(step)) return err;
    return version_applied(step);
  }
  const Revision& rev = *step.revision;
  if (rev.module == nullptr) {
    return Error(ErrorCategory::kMigration,
                 fmt::format("revision '{}' has no module to run", rev.id));
  }
  retort_operations ops{sizeof(retort_operations),
                        this,
                        &MigrationContext::submit,
                        is_offline() ? RETORT_OPERATIONS_OFFLINE : 0u,
                        &MigrationContext::query,
                        database_name_.empty() ? retort_str{nullptr, 0} : to_str(database_name_)};
  StringSink message;
  op_error_ = Error::success();
  step_statements_.clear();
  retort_migrate_fn fn = step.upgrade ? rev.module->upgrade : rev.module->downgrade;
  current_step_ = is_offline() ? nullptr : &step;
  revision_statements_ = 0;
  int status = fn != nullptr ? fn(rev.module, &ops, message.get()) : RETORT_UNSUPPORTED;
  current_step_ = nullptr;
  if (status == RETORT_OK) {
    if (auto err = update_version_table(step)) return err;
    return version_applied(step);
  }

  std::string reason = op_error_                ? op_error_.message()
                       : !message.str().empty() ? message.str()
                                                : fmt::format("status {}", status);
  std::string hint = op_error_ ? op_error_.hint() : std::string();
  std::string leftovers = not_rolled_back();
  if (!leftovers.empty()) {
    hint = fmt::format(
        "the version table still names the revisions before '{}'; undo or finish "
        "those statements by hand, then run the command again",
        rev.id);
  }
  return Error(ErrorCategory::kMigration,
               fmt::format("revision '{}' failed ({}): {}{}", rev.id, describe_step(step), reason,
                           leftovers),
               hint);
}

Error MigrationContext::purge(const std::vector<std::string>& rows) {
  if (is_offline()) return Error(ErrorCategory::kUsage, "Can't use --purge with --sql mode");
  if (rows.empty()) return Error::success();
  return in_transaction([&]() -> Error {
    for (const std::string& row : rows) {
      retort_operation op = version_table_op(RETORT_OP_DELETE_VERSION);
      op.version = to_str(row);
      if (auto err = apply(op)) return err;
    }
    return Error::success();
  });
}

// One step online: its transaction (or savepoint), and its history events.
// Where DDL commits at once, "started" and a "statement" per statement are
// written as they happen; "done" commits with the version-table change;
// "failed" follows the rollback and counts what ran and stayed.
Error MigrationContext::run_online_step(const MigrationStep& step) {
  const auto started = std::chrono::steady_clock::now();
  const std::string started_at = utc_timestamp();
  // Statements outlive a rollback.
  const bool lasting = !dialect_->capabilities().transactional_ddl;
  if (journal_ && lasting && !step.stamp) {
    if (auto err = journal_->write_now(journal_->event(step, StepEvent::kStarted))) return err;
  }
  failed_statement_.clear();
  revision_statements_ = 0;
  Error err = begin_step();
  if (!err) {
    err = run_step(step);
    if (!err && journal_) {
      HistoryEvent done = journal_->event(step, StepEvent::kDone);
      done.statements_done = revision_statements_;
      done.started_at = started_at;
      done.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
      err = journal_->write(*connection_, std::move(done));
    }
    if (err) {
      rollback_step();
    } else {
      err = commit_step();
    }
  }
  if (!err || !journal_) return err;

  HistoryEvent failed = journal_->event(step, StepEvent::kFailed);
  failed.statements_done = lasting ? revision_statements_ : 0;
  failed.started_at = started_at;
  failed.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  if (!failed_statement_.empty()) failed.sql = failed_statement_;
  failed.error = err.message();
  Error recorded =
      lasting ? journal_->write_now(std::move(failed))
              : in_transaction([&] { return journal_->write(*connection_, std::move(failed)); });
  if (recorded) log(LogLevel::kWarning, recorded.message());
  return err;
}

Error MigrationContext::resolve(const HistoryEvent& last,
                                const std::optional<std::string>& checksum, bool applied,
                                const MigrationStep* step) {
  return in_transaction([&]() -> Error {
    if (applied && step != nullptr) {
      if (auto err = update_version_table(*step)) return err;
    }
    HistoryEvent e;
    e.revision = last.revision;
    e.direction = last.direction;
    e.event = applied ? StepEvent::kApplied : StepEvent::kRolledBack;
    e.statements_done = last.statements_done;
    e.statements_total = last.statements_total;
    e.checksum = checksum;
    return journal_->write(*connection_, std::move(e));
  });
}

Error MigrationContext::run(const std::vector<MigrationStep>& steps, std::ostream& log,
                            std::ostream* progress, std::vector<StepOutcome>* outcomes) {
  const bool transactional = dialect_->capabilities().transactional_ddl;
  if (is_offline()) {
    // The script's lock, where the dialect can write one, around it all.
    retort_operation lock = version_op(RETORT_OP_WAIT_LOCK, std::string());
    lock.table = retort_str{nullptr, 0};
    lock.name = to_str(script_lock_);
    bool locked = false;
    if (!script_lock_.empty() && !dialect_->capabilities().script_lock) {
      retort::log(LogLevel::kWarning,
                  fmt::format("dialect '{}' predates ABI 1.2 and cannot write the "
                              "migration lock into a script; the script has none",
                              dialect_->name()));
    } else if (!script_lock_.empty()) {
      auto wait = dialect_->render(lock);
      if (!wait) return wait.take_error();
      for (const std::string& statement : *wait) {
        if (auto err = emit(statement)) return err;
      }
      locked = !wait->empty();
    }
    if (transactional)
      *script_ << dialect_->begin_transaction() << dialect_->statement_terminator() << "\n\n";
    for (const MigrationStep& step : steps) {
      if (offline_heads_.empty()) {
        if (auto err = apply(version_table_op(RETORT_OP_CREATE_VERSION_TABLE))) return err;
      }
      *script_ << "-- Running " << describe_step(step) << "\n\n";
      if (auto err = run_step(step)) return err;
      std::erase_if(offline_heads_, [&](const std::string& id) {
        return std::find(step.from_heads.begin(), step.from_heads.end(), id) !=
               step.from_heads.end();
      });
      offline_heads_.insert(offline_heads_.end(), step.to_heads.begin(), step.to_heads.end());
    }
    if (transactional)
      *script_ << dialect_->commit_transaction() << dialect_->statement_terminator() << "\n\n";
    if (locked) {
      lock.kind = RETORT_OP_RELEASE_LOCK;
      if (auto err = apply(lock)) return err;
    }
    return Error::success();
  }

  if (transaction_per_migration_ || steps.empty()) {
    return run_online_steps(steps, log, progress, outcomes);
  }
  if (!transactional) {
    retort::log(LogLevel::kWarning,
                fmt::format("dialect '{}' commits DDL at once, so the run cannot be one "
                            "transaction; each revision runs in its own",
                            dialect_->name()));
    return run_online_steps(steps, log, progress, outcomes);
  }
  // One transaction for the whole run (the environment's
  // transaction_per_migration = false): a savepoint inside the run's own
  // transaction where there is one, else a transaction; steps nest in it.
  const bool nested = run_transaction_;
  Error begun = nested ? connection_->execute("SAVEPOINT retort_run") : connection_->begin();
  if (begun) return begun;
  run_transaction_ = true;
  Error err = run_online_steps(steps, log, progress, outcomes);
  run_transaction_ = nested;
  if (!err)
    return nested ? connection_->execute("RELEASE SAVEPOINT retort_run") : connection_->commit();
  if (nested) {
    (void)connection_->execute("ROLLBACK TO SAVEPOINT retort_run");
    (void)connection_->execute("RELEASE SAVEPOINT retort_run");
  } else {
    (void)connection_->rollback();
  }
  return Error(
      err.category(),
      fmt::format("{}; the run was one transaction, and nothing of it was applied", err.message()),
      err.hint());
}

Error MigrationContext::run_online_steps(const std::vector<MigrationStep>& steps, std::ostream& log,
                                         std::ostream* progress,
                                         std::vector<StepOutcome>* outcomes) {
  if (!steps.empty()) {
    auto exists = connection_->table_exists(version_table_, version_schema_);
    if (!exists) return exists.take_error();
    if (!*exists) {
      if (auto err = ensure_version_table()) return err;
    }
    if (journal_) {
      if (auto err = ensure_history_table()) return err;
    }
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const MigrationStep& step = steps[i];
    if (hooks_.stop != nullptr && hooks_.stop->load()) {
      return Error(ErrorCategory::kMigration,
                   fmt::format("interrupted before {} ({} of {} steps done)", describe_step(step),
                               i, steps.size()),
                   "run the command again to finish");
    }
    if (hooks_.on_step) hooks_.on_step(i, steps.size(), step);
    log << "Running " << describe_step(step);
    if (!step.stamp && !step.revision->message.empty()) log << ", " << step.revision->message;
    log << std::endl;
    const auto started = std::chrono::steady_clock::now();
    Error err = run_online_step(step);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    if (outcomes != nullptr) {
      outcomes->push_back({step.revision != nullptr ? step.revision->id : std::string(),
                           step.revision != nullptr ? step.revision->message : std::string(),
                           step.from_heads, step.to_heads, took.count() * 1000.0,
                           static_cast<bool>(err)});
    }
    if (err) return err;
    if (progress != nullptr && took.count() >= kSlowStepSeconds) {
      *progress << fmt::format("  done in {:.1f} s", took.count()) << std::endl;
    }
  }
  return Error::success();
}

}  // namespace retort
