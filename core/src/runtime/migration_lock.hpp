// The migration lock: before a command that writes reads the version table,
// the runner takes a per-database lock on a connection of its own, and holds
// it until the command ends. A second runner waits, says who it waits for,
// and gives up after its timeout. The lock is the database's own session
// lock (rendered by the dialect), so a runner that dies releases it with its
// connection: there is no lock row to get stuck.
#ifndef RETORT_MIGRATION_LOCK_HPP
#define RETORT_MIGRATION_LOCK_HPP

#include <retort/error.hpp>

#include "db/database_url.hpp"
#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>

namespace retort {

class MigrationLock {
 public:
  // Takes the lock named `name` for the database at `url`, waiting up to
  // `timeout` (polling) and writing one "waiting for ..." line to `log` if it
  // must wait. nullopt when the dialect has no lock to offer.
  static Expected<std::optional<MigrationLock>> acquire(const Dialect& dialect,
                                                        const DatabaseUrl& url,
                                                        const std::string& name,
                                                        std::chrono::milliseconds timeout,
                                                        std::ostream& log);
  // The same session lock taken on `connection`, the application's
  // (Config::attributes().set_connection), which must outlive the lock:
  // released by the dialect's release query, never by closing it.
  static Expected<std::optional<MigrationLock>> acquire_on(const Dialect& dialect,
                                                           OdbcConnection& connection,
                                                           const std::string& name,
                                                           std::chrono::milliseconds timeout,
                                                           std::ostream& log);
  // The same for a dialect whose lock is a transaction
  // (RETORT_DIALECT_LOCK_IS_TRANSACTION): taken on `migration`, the
  // connection the command runs on, which must outlive the lock. Releasing
  // it commits that transaction.
  static Expected<MigrationLock> acquire_transaction(const Dialect& dialect,
                                                     OdbcConnection& migration,
                                                     const std::string& name,
                                                     std::chrono::milliseconds timeout,
                                                     std::ostream& log);

  // A moved-from lock releases nothing.
  MigrationLock(MigrationLock&& other) noexcept
      : dialect_(std::exchange(other.dialect_, nullptr)),
        owned_(std::move(other.owned_)),
        connection_(owned_ ? &*owned_ : std::exchange(other.connection_, nullptr)),
        transaction_(other.transaction_),
        name_(std::move(other.name_)) {
    other.owned_.reset();
    other.connection_ = nullptr;
  }
  MigrationLock& operator=(MigrationLock&&) = delete;
  // Releases the lock (closing the connection would release it too). For a
  // transaction lock this commits the run: call release() to see the error.
  ~MigrationLock();
  Error release();

  const std::string& name() const { return name_; }

 private:
  MigrationLock(const Dialect& dialect, std::optional<OdbcConnection> owned,
                OdbcConnection* borrowed, bool transaction, std::string name)
      : dialect_(&dialect),
        owned_(std::move(owned)),
        connection_(owned_ ? &*owned_ : borrowed),
        transaction_(transaction),
        name_(std::move(name)) {}

  const Dialect* dialect_;
  std::optional<OdbcConnection> owned_;  // a connection of its own, or none
  OdbcConnection* connection_;           // owned_, or the migration's
  bool transaction_;                     // a transaction lock: release commits
  std::string name_;
};

// The lock's name: "retort:<version table>". It holds nothing of the URL:
// the dialect keys the lock on the database its session is connected to, as
// the server names it (abi.h, RETORT_OP_TRY_LOCK), so that runners reaching
// one database as 127.0.0.1 and as localhost meet, and runners of two
// databases do not.
std::string migration_lock_name(const std::string& version_table);

// How every acquire waits: calls `attempt` (true: the lock is taken, false:
// another session holds it) until it takes the lock or `timeout` has passed,
// every 200 ms. The first time it must wait it writes one line to `log`,
// naming the lock and `holder_of()`; a timeout names them too. An attempt
// that fails stops the wait with its error.
Error wait_for_lock(const std::string& name, std::chrono::milliseconds timeout, std::ostream& log,
                    const std::function<Expected<bool>()>& attempt,
                    const std::function<std::string()>& holder_of);

}  // namespace retort

#endif  // RETORT_MIGRATION_LOCK_HPP
