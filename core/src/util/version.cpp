#include <retort/version.hpp>

namespace retort {

const char* version() { return RETORT_VERSION; }

}  // namespace retort
