// The migration lock on SQL Server: sp_getapplock owned by the session, so it
// outlives the runner's transactions. sp_getapplock reports through its
// return code (0 or 1 granted, negative not), never by raising an error, so
// the code is read and turned into the 1/0 row the host expects.
#include "mssql_dialect.hpp"

#include <string>

namespace retort_mssql {

retort::Statements MssqlDialect::render_try_lock(const retort_operation& op) const {
  return {"DECLARE @result INT; EXEC @result = sp_getapplock @Resource = " + lock_resource(op) +
          ", @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; "
          "SELECT CASE WHEN @result >= 0 THEN 1 ELSE 0 END"};
}

retort::Statements MssqlDialect::render_release_lock(const retort_operation& op) const {
  return {"EXEC sp_releaseapplock @Resource = " + lock_resource(op) + ", @LockOwner = 'Session'"};
}

// The script's lock: the same resource, waited for without limit
// (@LockTimeout = -1). A negative return code (cancelled, chosen as a
// deadlock victim) becomes an error naming the lock, which ends the batch;
// sqlcmd -b then stops the script.
retort::Statements MssqlDialect::render_wait_lock(const retort_operation& op) const {
  const std::string refused = plain_unicode_literal("cannot take the migration lock " +
                                                    std::string(required(op.name, "lock name")));
  return {"DECLARE @result INT; EXEC @result = sp_getapplock @Resource = " + lock_resource(op) +
          ", @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; "
          "IF @result < 0 THROW 50000, " +
          refused + ", 1"};
}

// The granted application lock's session. The lock resource is shown as a
// hash plus the first 32 characters of its name, hence the LIKE.
retort::Statements MssqlDialect::render_lock_holder(const retort_operation& op) const {
  std::string prefix(required(op.name, "lock name").substr(0, 32));
  std::string pattern;
  for (char c : prefix) {
    if (c == '[' || c == '%' || c == '_') pattern += '[';
    pattern += c;
    if (c == '[' || c == '%' || c == '_') pattern += ']';
  }
  return {
      "SELECT TOP 1 CONCAT(s.login_name, '@', s.host_name, ' session ', s.session_id, ' (', "
      "s.program_name, ') logged in since ', CONVERT(VARCHAR(19), s.login_time, 120)) "
      "FROM sys.dm_tran_locks l JOIN sys.dm_exec_sessions s ON s.session_id = "
      "l.request_session_id WHERE l.resource_type = 'APPLICATION' AND l.request_status = "
      "'GRANT' AND l.resource_description LIKE " +
      unicode_literal("%" + pattern + "%")};
}

}  // namespace retort_mssql
