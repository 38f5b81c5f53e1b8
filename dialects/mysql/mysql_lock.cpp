// The migration lock on MySQL/MariaDB: GET_LOCK(name, 0) for a runner, a
// waiting GET_LOCK for an offline script; the lock belongs to the session and
// survives COMMIT and DDL's implicit commits.
#include "mysql_dialect.hpp"

#include <cstdint>
#include <string>

namespace retort_mysql {
namespace {

// MySQL refuses lock names over 64 characters: a longer name becomes a
// prefix and a 64-bit FNV-1a hash of the whole.
std::string lock_name(std::string_view name) {
  if (name.size() <= 64) return std::string(name);
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(name.substr(0, 47));
  out += '#';
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xf];
  return out;
}

}  // namespace

std::string MysqlDialect::lock_literal(const retort_operation& op) const {
  return quote_literal(lock_name(required(op.name, "lock name")));
}

retort::Statements MysqlDialect::render_try_lock(const retort_operation& op) const {
  // NULL (an error such as running out of memory) counts as not taken.
  return {"SELECT COALESCE(GET_LOCK(" + lock_literal(op) + ", 0), 0)"};
}

retort::Statements MysqlDialect::render_release_lock(const retort_operation& op) const {
  return {"SELECT RELEASE_LOCK(" + lock_literal(op) + ")"};
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
  const std::string name = lock_literal(op);
  return {"SET SESSION sql_mode = IF(COALESCE(GET_LOCK(" + name + ", 31536000), 0) = 1, "
          "@@SESSION.sql_mode, CONCAT('cannot take the migration lock ', " + name + "))"};
}

// The holder's connection id always; its user, host and state when this
// user may see it in the process list.
retort::Statements MysqlDialect::render_lock_holder(const retort_operation& op) const {
  const std::string name = lock_literal(op);
  return {"SELECT COALESCE((SELECT CONCAT(USER, '@', HOST, ' connection ', ID, ', ', TIME, "
          "' s in its current state') FROM information_schema.PROCESSLIST WHERE ID = "
          "IS_USED_LOCK(" + name + ")), CONCAT('connection ', IS_USED_LOCK(" + name + "))) "
          "FROM DUAL WHERE IS_USED_LOCK(" + name + ") IS NOT NULL"};
}

}  // namespace retort_mysql
