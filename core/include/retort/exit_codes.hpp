// The exit codes of the retort command, one place for all of them, and the
// one function that maps an Error to its code. Scripts and operators rely on
// these numbers: never reuse or renumber one.
#ifndef RETORT_EXIT_CODES_HPP
#define RETORT_EXIT_CODES_HPP

#include <retort/error.hpp>

namespace retort {

constexpr int kExitOk = 0;        // the command succeeded
constexpr int kExitFailure = 1;   // the command ran and failed: database, migration, config, build
constexpr int kExitUsage = 2;     // bad arguments: unknown command or option, missing argument
constexpr int kExitChecksum = 3;  // an applied revision changed since it was applied, or is gone
constexpr int kExitLockTimeout = 4;  // the migration lock was not acquired in time
constexpr int kExitPartialStep = 5;  // a step stopped partway: `retort resolve` it first
constexpr int kExitDrift = 6;  // the database differs from the declared model (`retort check`)

// A fleet run (retort/fleet.hpp) exits with the most severe of its
// targets' codes, in this order, most severe first: kExitPartialStep,
// kExitChecksum, kExitDrift, kExitFailure (also a target interrupted or not
// started), kExitUsage, kExitLockTimeout; fleet_severity() ranks them.

// The exit code for an error of `category`; kExitOk for kNone. Configuration
// errors (kConfig) stay kExitFailure, as they always have been.
constexpr int exit_code(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kNone:
      return kExitOk;
    case ErrorCategory::kUsage:
      return kExitUsage;
    case ErrorCategory::kLockTimeout:
      return kExitLockTimeout;
    case ErrorCategory::kChecksum:
      return kExitChecksum;
    case ErrorCategory::kPartialStep:
      return kExitPartialStep;
    case ErrorCategory::kDrift:
      return kExitDrift;
    default:
      return kExitFailure;
  }
}

inline int exit_code(const Error& err) { return exit_code(err.category()); }

}  // namespace retort

#endif  // RETORT_EXIT_CODES_HPP
