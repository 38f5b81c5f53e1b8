// The migration lock on Oracle: DBMS_LOCK, requested with
// release_on_commit => FALSE so that it survives the implicit commit of every
// DDL statement. DBMS_LOCK's functions take PL/SQL BOOLEANs and
// ALLOCATE_UNIQUE commits, so the query wraps them in an inline function
// (Oracle 12c's WITH FUNCTION) run as an autonomous transaction. Without
// EXECUTE on DBMS_LOCK the database refuses the query, and the host shows
// its message (PLS-00201: identifier 'DBMS_LOCK' must be declared).
#include "oracle_dialect.hpp"

#include <string>

namespace retort_oracle {
namespace {

// REQUEST's results: 0 granted, 4 already held by this session.
constexpr const char* kTryLock =
    "WITH FUNCTION retort_try_lock(lock_name VARCHAR2) RETURN NUMBER IS "
    "PRAGMA AUTONOMOUS_TRANSACTION; handle VARCHAR2(128); result INTEGER; "
    "BEGIN DBMS_LOCK.ALLOCATE_UNIQUE(lock_name, handle); "
    "result := DBMS_LOCK.REQUEST(handle, DBMS_LOCK.X_MODE, 0, FALSE); "
    "RETURN CASE WHEN result IN (0, 4) THEN 1 ELSE 0 END; END; ";

constexpr const char* kReleaseLock =
    "WITH FUNCTION retort_release_lock(lock_name VARCHAR2) RETURN NUMBER IS "
    "PRAGMA AUTONOMOUS_TRANSACTION; handle VARCHAR2(128); "
    "BEGIN DBMS_LOCK.ALLOCATE_UNIQUE(lock_name, handle); "
    "RETURN DBMS_LOCK.RELEASE(handle); END; ";

}  // namespace

Statements OracleDialect::render_try_lock(const retort_operation& op) const {
  return {std::string(kTryLock) + "SELECT retort_try_lock(" + lock_name_literal(op) +
          ") FROM dual"};
}

Statements OracleDialect::render_release_lock(const retort_operation& op) const {
  return {std::string(kReleaseLock) + "SELECT retort_release_lock(" + lock_name_literal(op) +
          ") FROM dual"};
}

// The script's lock: an anonymous block (the '/' line after it runs it in
// SQL*Plus) that waits without limit. ALLOCATE_UNIQUE commits, which is
// harmless before the script's first statement. Any result but 0 (granted)
// or 4 (this session holds it already) raises an error naming the lock;
// under WHENEVER SQLERROR EXIT, SQL*Plus stops the script there.
Statements OracleDialect::render_wait_lock(const retort_operation& op) const {
  const std::string refused =
      quote_literal("cannot take the migration lock " +
                    std::string(required(op.name, "lock name")) + ": DBMS_LOCK.REQUEST returned ");
  return {
      "DECLARE handle VARCHAR2(128); result INTEGER; "
      "BEGIN DBMS_LOCK.ALLOCATE_UNIQUE(" +
      lock_name_literal(op) +
      ", handle); "
      "result := DBMS_LOCK.REQUEST(handle, lockmode => DBMS_LOCK.X_MODE, "
      "timeout => DBMS_LOCK.MAXWAIT, release_on_commit => FALSE); "
      "IF result NOT IN (0, 4) THEN RAISE_APPLICATION_ERROR(-20001, " +
      refused + " || result); END IF; END;"};
}

// Who holds a DBMS_LOCK lock is only in V$LOCK, which a migration user
// rarely may read: the host says only that another session holds it.
Statements OracleDialect::render_lock_holder(const retort_operation& /*op*/) const { return {}; }

}  // namespace retort_oracle
