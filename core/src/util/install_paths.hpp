// Where retort finds what it ships beside itself: the SDK headers that
// revisions compile against, the scaffold templates and built-in dialects.
// Each is looked for next to the running executable first (an installed
// tree: bin/ beside include/, share/retort/, lib/retort/dialects/), then in
// the source and build trees this host was compiled from.
#ifndef RETORT_INSTALL_PATHS_HPP
#define RETORT_INSTALL_PATHS_HPP

#include <string>

namespace retort {

// The directory of the running executable, or "" if it cannot be told.
std::string executable_dir();
// The directory holding retort/abi.h; $RETORT_SDK_INCLUDE overrides.
std::string sdk_include_dir();
// The directory holding templates/<name>/.
std::string scaffold_dir();
// The directory of the built-in dialect plugins.
std::string builtin_dialect_dir();

}  // namespace retort

#endif  // RETORT_INSTALL_PATHS_HPP
