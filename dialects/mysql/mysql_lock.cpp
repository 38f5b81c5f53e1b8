// The migration lock on MySQL/MariaDB: GET_LOCK(name, 0), which belongs to
// the session and survives COMMIT and DDL's implicit commits.
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
