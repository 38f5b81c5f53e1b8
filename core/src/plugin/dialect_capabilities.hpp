// What a loaded dialect plugin can do, computed once when it is loaded from
// the ABI minor it was built for and the flags of its table. Everything the
// host decides by a plugin's age (abi.h's "Added in ABI 1.N") is decided
// here and asked by name elsewhere: no other file compares ABI versions.
#ifndef RETORT_DIALECT_CAPABILITIES_HPP
#define RETORT_DIALECT_CAPABILITIES_HPP

#include <retort/abi.h>

#include <cstdint>

namespace retort {

struct DialectCapabilities {
  // DDL rolls back with its transaction (RETORT_DIALECT_TRANSACTIONAL_DDL).
  bool transactional_ddl = false;
  // It knows the migration lock's operations: TRY_LOCK, RELEASE_LOCK and
  // LOCK_HOLDER (ABI 1.1). It may still render nothing: no lock.
  bool lock = false;
  // The lock is a transaction on the migration's connection (ABI 1.2 flag).
  bool lock_is_transaction = false;
  // It knows WAIT_LOCK, the lock of an offline script (ABI 1.2).
  bool script_lock = false;
  // It knows what the history table needs: the operations and column types
  // of ABI 1.1.
  bool history = false;
  // It knows the REFLECT_* catalog queries of autogenerate (ABI 1.3).
  bool catalog = false;
  // Its tables and columns carry comments (ABI 1.3 flag).
  bool comments = false;
  // Its table has compare_type (ABI 1.3), possibly NULL.
  bool compare_type = false;

  // From a dialect built for ABI `major`.`minor` whose table, `table_size`
  // bytes long, has `flags` (RETORT_DIALECT_*). A flag its ABI did not
  // define yet is ignored: it can only be garbage.
  static DialectCapabilities of(uint16_t major, uint16_t minor, uint32_t flags,
                                uint32_t table_size);

  // Whether operation `kind` (RETORT_OP_*) exists in the plugin's ABI.
  static bool knows_operation(uint16_t major, uint16_t minor, uint32_t kind);
};

}  // namespace retort

#endif  // RETORT_DIALECT_CAPABILITIES_HPP
