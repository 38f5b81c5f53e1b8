// What every command that writes to the database holds while it runs: the
// migration context, the migration lock, and the checksums the history is
// written and checked with. Online it connects, takes the lock before the
// version table is read, and records history; offline (--sql) it writes a
// script, which takes the lock itself with --lock.
#ifndef RETORT_RUN_SESSION_HPP
#define RETORT_RUN_SESSION_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "runtime/applied_check.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/migration_lock.hpp"
#include "runtime/revision_checksums.hpp"
#include "runtime/run_config.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

struct SessionOptions {
  bool sql = false;          // write a script instead of connecting
  bool script_lock = false;  // with sql: the script takes the migration lock
  double lock_timeout_seconds = 60;
  // With sql: the revision the script starts from ("base" or none: empty).
  std::optional<std::string> start;
  // Online: every revision's checksum, rendered offline or read from the
  // checksum cache. Only commands that check the history or record
  // upgrades need them; stamp does not.
  bool checksums = true;
  // A fleet's: the checksums computed once for every target of this dialect
  // (they must outlive the session).
  const RevisionChecksums* shared_checksums = nullptr;
  // In an environment of several databases (multidb): this one's name, which
  // revisions see (Operations::database_name).
  std::string database_name;
};

class RunSession {
 public:
  RunSession() = default;
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  Error open(const Config& cfg, const Database& db, const RevisionMap& map,
             const SessionOptions& options);

  MigrationContext& context() { return *context_; }
  const RevisionChecksums& checksums() const { return shared_ != nullptr ? *shared_ : checksums_; }
  // The history checked against the scripts, for the version table's `rows`.
  Expected<AppliedCheck> check(const std::vector<std::string>& rows, const RevisionMap& map);

  // Ends the run: releases the lock, which commits the run where the lock is
  // a transaction. Returns `err`, or the release's error if `err` is none.
  // On the application's connection, leaves its autocommit mode as found.
  Error close(Error err);

 private:
  // What the database's environment (env.cpp) decided, handed to the context.
  void follow_environment(const Database& db, const SessionOptions& options);
  // The lock and the transactions on the application's connection (README,
  // "Sharing the application's connection").
  Error lock_shared(const Database& db, const std::string& lock_name,
                    std::chrono::milliseconds timeout);

  // Declared in order of need: the lock may use the context's connection,
  // and the context reads the checksums.
  RevisionChecksums checksums_;
  const RevisionChecksums* shared_ = nullptr;
  std::optional<MigrationContext> context_;
  std::optional<MigrationLock> lock_;
  bool restore_autocommit_ = false;  // the application's connection was in autocommit
};

}  // namespace retort::detail

#endif  // RETORT_RUN_SESSION_HPP
