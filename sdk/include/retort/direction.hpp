// Which way a step went: what on_version_apply is told (environment.hpp)
// and what the history table records. Its values are the ABI's
// RETORT_DIRECTION_* codes.
#ifndef RETORT_DIRECTION_HPP
#define RETORT_DIRECTION_HPP

#include <retort/abi.h>

namespace retort {
inline namespace abi1 {

enum class Direction {
  kUpgrade = RETORT_DIRECTION_UPGRADE,
  kDowngrade = RETORT_DIRECTION_DOWNGRADE,
  kStamp = RETORT_DIRECTION_STAMP,  // the version table moved, no revision ran
};

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIRECTION_HPP
