// The migration lock on MySQL/MariaDB: GET_LOCK(name, 0) for a runner, a
// waiting GET_LOCK for an offline script; the lock belongs to the session and
// survives COMMIT and DDL's implicit commits.
#include "mysql_dialect.hpp"

#include <string>

namespace retort_mysql {

// GET_LOCK's locks belong to the server, not to a database, so the key joins
// the host's name (which names no database) to DATABASE(), the database the
// session is in as the server names it: runners reaching one database by two
// host names meet, runners of two databases do not. Hashed, it is 47
// characters whatever the names, within MySQL's limit of 64.
std::string MysqlDialect::lock_key(const retort_operation& op) const {
  return "CONCAT('retort:', SHA1(CONCAT_WS('/', DATABASE(), " +
         quote_literal(required(op.name, "lock name")) + ")))";
}

retort::Statements MysqlDialect::render_try_lock(const retort_operation& op) const {
  // NULL (an error such as running out of memory) counts as not taken.
  return {"SELECT COALESCE(GET_LOCK(" + lock_key(op) + ", 0), 0)"};
}

retort::Statements MysqlDialect::render_release_lock(const retort_operation& op) const {
  return {"SELECT RELEASE_LOCK(" + lock_key(op) + ")"};
}

// The script's lock. GET_LOCK reports failure as 0 or NULL, never as an
// error, and only a compound statement may SIGNAL (MySQL has no anonymous
// block, and the client would split one at its ';'). So the result chooses
// the value of a session variable: once the lock is granted, sql_mode is set
// to itself; if not, to "cannot take the migration lock <name>", which the
// server refuses with ERROR 1231 "Variable 'sql_mode' can't be set to the
// value of 'cannot take the migration lock <name>'" (the name cut at a first
// ',', sql_mode being a list), and the client stops the script there.
// (A failing branch such as a subquery of two rows does not work: MariaDB
// evaluates a constant subquery before the IF, lock granted or not.)
// The wait is a year, the longest lock_wait_timeout of both servers: MySQL
// reads a negative timeout as no limit, but MariaDB 10.11 returns NULL with
// warning 1411 "Incorrect timeout value".
retort::Statements MysqlDialect::render_wait_lock(const retort_operation& op) const {
  return {"SET SESSION sql_mode = IF(COALESCE(GET_LOCK(" + lock_key(op) +
          ", 31536000), 0) = 1, "
          "@@SESSION.sql_mode, " +
          quote_literal("cannot take the migration lock " +
                        std::string(required(op.name, "lock name"))) +
          ")"};
}

// The holder's connection id always; its user, host and state when this
// user may see it in the process list.
retort::Statements MysqlDialect::render_lock_holder(const retort_operation& op) const {
  const std::string name = lock_key(op);
  return {
      "SELECT COALESCE((SELECT CONCAT(USER, '@', HOST, ' connection ', ID, ', ', TIME, "
      "' s in its current state') FROM information_schema.PROCESSLIST WHERE ID = "
      "IS_USED_LOCK(" +
      name + ")), CONCAT('connection ', IS_USED_LOCK(" + name +
      "))) "
      "FROM DUAL WHERE IS_USED_LOCK(" +
      name + ") IS NOT NULL"};
}

}  // namespace retort_mysql
