#include "runtime/migration_lock.hpp"

#include <retort/log.hpp>
#include <retort/sink.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ostream>
#include <thread>

namespace retort {
namespace {

retort_operation lock_op(uint32_t kind, const std::string& name) {
  retort_operation op{};
  op.struct_size = sizeof op;
  op.kind = kind;
  op.name = to_str(name);
  return op;
}

// The one statement the dialect renders for `kind`, or nullopt for none.
Expected<std::optional<std::string>> rendered(const Dialect& dialect, uint32_t kind,
                                              const std::string& name) {
  auto statements = dialect.render(lock_op(kind, name));
  if (!statements) return statements.take_error();
  if (statements->empty()) return std::optional<std::string>();
  if (statements->size() > 1) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("dialect '{}' rendered {} statements for one lock query",
                             dialect.name(), statements->size()));
  }
  return std::optional<std::string>(statements->front());
}

// Runs the try-lock query: true when this session now holds the lock.
Expected<bool> try_lock(OdbcConnection& connection, const std::string& sql) {
  auto rows = connection.query(sql);
  if (!rows) return rows.take_error();
  return !rows->empty() && !rows->front().empty() && rows->front().front() == "1";
}

// Who holds the lock, as the database describes it; "another session" when
// the dialect or the database cannot tell.
std::string holder(const Dialect& dialect, OdbcConnection& connection, const std::string& name) {
  auto sql = rendered(dialect, RETORT_OP_LOCK_HOLDER, name);
  if (!sql || !*sql) return "another session";
  auto rows = connection.query(**sql);
  if (!rows || rows->empty() || rows->front().empty() || !rows->front().front()) {
    return "another session";
  }
  return *rows->front().front();
}

}  // namespace

std::string migration_lock_name(const std::string& version_table) {
  return "retort:" + version_table;
}

Error wait_for_lock(const std::string& name, std::chrono::milliseconds timeout, std::ostream& log,
                    const std::function<Expected<bool>()>& attempt,
                    const std::function<std::string()>& holder_of) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool said = false;
  for (;;) {
    Expected<bool> taken = attempt();
    if (!taken) {
      return Error(
          ErrorCategory::kDatabase,
          fmt::format("cannot take the migration lock '{}': {}", name, taken.error().message()),
          "check that this database user may take the dialect's session locks");
    }
    if (*taken) return Error::success();
    const std::string who = holder_of();
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error(
          ErrorCategory::kLockTimeout,
          fmt::format("timed out after {} s waiting for the migration lock '{}', held by {}",
                      std::chrono::duration<double>(timeout).count(), name, who),
          "another runner is migrating this database; run again when it has finished, "
          "or wait longer with --lock-timeout");
    }
    if (!said) {
      log << fmt::format("waiting for the migration lock '{}', held by {}", name, who) << std::endl;
      said = true;
    }
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(200), std::chrono::duration_cast<std::chrono::milliseconds>(
                                            deadline - std::chrono::steady_clock::now()) +
                                            std::chrono::milliseconds(1)));
  }
}

namespace {

// Whether a failed statement failed because another connection holds the
// database (SQLite: "database is locked"), not for a reason waiting cures.
bool is_lock_conflict(const Error& err) {
  std::string text = err.message();
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find("locked") != std::string::npos || text.find("busy") != std::string::npos;
}

}  // namespace

Expected<std::optional<MigrationLock>> MigrationLock::acquire(const Dialect& dialect,
                                                              const DatabaseUrl& url,
                                                              const std::string& name,
                                                              std::chrono::milliseconds timeout,
                                                              std::ostream& log) {
  // A plugin built for ABI 1.0 does not know the lock operations.
  if (!dialect.capabilities().lock) return std::optional<MigrationLock>();
  // A dialect that renders nothing, or refuses the operation (a plugin that
  // predates it), has no lock to offer: the command runs without one.
  auto sql = rendered(dialect, RETORT_OP_TRY_LOCK, name);
  if (!sql) {
    retort::log(LogLevel::kDebug, "no migration lock: " + sql.error().message());
    return std::optional<MigrationLock>();
  }
  if (!*sql) return std::optional<MigrationLock>();

  auto connection_string = dialect.connection_string(url);
  if (!connection_string) return connection_string.take_error();
  auto connection = OdbcConnection::connect(*connection_string, url.shown());
  if (!connection) return connection.take_error();
  Error err = wait_for_lock(
      name, timeout, log, [&] { return try_lock(*connection, **sql); },
      [&] { return holder(dialect, *connection, name); });
  if (err) return err;
  return std::optional<MigrationLock>(
      MigrationLock(dialect, std::move(*connection), nullptr, /*transaction=*/false, name));
}

Expected<std::optional<MigrationLock>> MigrationLock::acquire_on(const Dialect& dialect,
                                                                 OdbcConnection& connection,
                                                                 const std::string& name,
                                                                 std::chrono::milliseconds timeout,
                                                                 std::ostream& log) {
  if (!dialect.capabilities().lock) return std::optional<MigrationLock>();
  auto sql = rendered(dialect, RETORT_OP_TRY_LOCK, name);
  if (!sql) {
    retort::log(LogLevel::kDebug, "no migration lock: " + sql.error().message());
    return std::optional<MigrationLock>();
  }
  if (!*sql) return std::optional<MigrationLock>();
  Error err = wait_for_lock(
      name, timeout, log, [&] { return try_lock(connection, **sql); },
      [&] { return holder(dialect, connection, name); });
  if (err) return err;
  return std::optional<MigrationLock>(
      MigrationLock(dialect, std::nullopt, &connection, /*transaction=*/false, name));
}

Expected<MigrationLock> MigrationLock::acquire_transaction(const Dialect& dialect,
                                                           OdbcConnection& migration,
                                                           const std::string& name,
                                                           std::chrono::milliseconds timeout,
                                                           std::ostream& log) {
  auto statements = dialect.render(lock_op(RETORT_OP_TRY_LOCK, name));
  if (!statements) return statements.take_error();
  if (statements->empty()) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("dialect '{}' locks with a transaction but rendered no statement to "
                             "begin it",
                             dialect.name()));
  }
  std::string conflict;
  Error err = wait_for_lock(
      name, timeout, log,
      [&]() -> Expected<bool> {
        for (const std::string& statement : *statements) {
          if (Error failed = migration.execute(statement)) {
            if (!is_lock_conflict(failed)) return failed;
            conflict = failed.message();
            return false;
          }
        }
        return true;
      },
      [&] { return fmt::format("another connection ({})", conflict); });
  if (err) return err;
  return MigrationLock(dialect, std::nullopt, &migration, /*transaction=*/true, name);
}

MigrationLock::~MigrationLock() {
  if (Error err = release()) {
    retort::log(LogLevel::kError, err.message());
  }
}

Error MigrationLock::release() {
  OdbcConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr || dialect_ == nullptr) return Error::success();
  auto statements = dialect_->render(lock_op(RETORT_OP_RELEASE_LOCK, name_));
  if (!statements) return statements.take_error();
  for (const std::string& statement : *statements) {
    // A session lock is released by a query, and closing its connection
    // releases it anyway; a transaction lock commits the run.
    if (!transaction_) {
      (void)connection->query(statement);
    } else if (Error err = connection->execute(statement)) {
      return Error(ErrorCategory::kDatabase,
                   fmt::format("cannot commit the run and release the migration lock '{}': {}",
                               name_, err.message()));
    }
  }
  return Error::success();
}

}  // namespace retort
