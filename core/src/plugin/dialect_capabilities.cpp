#include "plugin/dialect_capabilities.hpp"

#include <cstddef>

namespace retort {
namespace {

// The ABI minor that added operation `kind`; -1 for a kind no ABI defines.
int added_in(uint32_t kind) {
  if (kind >= RETORT_OP_CREATE_TABLE && kind <= RETORT_OP_EXECUTE) return 0;
  if (kind >= RETORT_OP_RENAME_TABLE && kind <= RETORT_OP_BULK_INSERT) return 1;
  if (kind >= RETORT_OP_CREATE_VERSION_TABLE && kind <= RETORT_OP_SELECT_VERSIONS) return 0;
  if (kind >= RETORT_OP_TRY_LOCK && kind <= RETORT_OP_LOCK_HOLDER) return 1;
  if (kind == RETORT_OP_WAIT_LOCK) return 2;
  if (kind >= RETORT_OP_REFLECT_TABLES && kind <= RETORT_OP_REFLECT_INDEXES) return 3;
  return -1;
}

// The ABI minor that defined dialect flag `flag`.
int flag_added_in(uint32_t flag) {
  switch (flag) {
    case RETORT_DIALECT_TRANSACTIONAL_DDL:
      return 0;
    case RETORT_DIALECT_LOCK_IS_TRANSACTION:
      return 2;
    case RETORT_DIALECT_COMMENTS:
      return 3;
  }
  return -1;
}

}  // namespace

bool DialectCapabilities::knows_operation(uint16_t major, uint16_t minor, uint32_t kind) {
  // The loader admits only this host's major; a later minor knows all ours.
  if (major != RETORT_ABI_MAJOR) return false;
  const int since = added_in(kind);
  return since >= 0 && minor >= since;
}

DialectCapabilities DialectCapabilities::of(uint16_t major, uint16_t minor, uint32_t flags,
                                            uint32_t table_size) {
  const auto has_flag = [&](uint32_t flag) {
    const int since = flag_added_in(flag);
    return (flags & flag) != 0 && major == RETORT_ABI_MAJOR && since >= 0 && minor >= since;
  };
  const auto knows = [&](uint32_t kind) { return knows_operation(major, minor, kind); };
  DialectCapabilities caps;
  caps.transactional_ddl = has_flag(RETORT_DIALECT_TRANSACTIONAL_DDL);
  caps.lock = knows(RETORT_OP_TRY_LOCK);
  caps.lock_is_transaction = has_flag(RETORT_DIALECT_LOCK_IS_TRANSACTION);
  caps.script_lock = knows(RETORT_OP_WAIT_LOCK);
  caps.history = knows(RETORT_OP_BULK_INSERT);
  caps.catalog = knows(RETORT_OP_REFLECT_TABLES);
  caps.comments = has_flag(RETORT_DIALECT_COMMENTS);
  caps.compare_type = table_size > offsetof(retort_dialect, compare_type);
  return caps;
}

}  // namespace retort
