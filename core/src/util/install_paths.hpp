// Where retort finds what it ships beside itself: the SDK headers that
// revisions compile against, the scaffold templates and the built-in
// dialects. No path of the tree retort was built in is compiled in. Each is
// taken from a setting (a key of the config's main section, an environment
// variable), else from the install that holds the running code: relative to
// the running executable, then to the module holding retort's core (the
// executable itself when libretort_core.a is linked in), as bin/ lies beside
// include/, share/retort/scaffold/ and lib/retort/dialects/. The build tree
// has the same layout, so retort runs from it as from an install, and an
// install can be moved as a whole.
#ifndef RETORT_INSTALL_PATHS_HPP
#define RETORT_INSTALL_PATHS_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include <string>
#include <vector>

namespace retort {

// The directory of the running executable, or "" if it cannot be told.
std::string executable_dir();
// The directory of the executable or shared library holding retort's core
// code, or "" if it cannot be told.
std::string core_module_dir();

// The directory holding retort/abi.h, the first of: cfg's sdk_include
// (relative to the ini file's directory), $RETORT_SDK_INCLUDE, the include/
// directory of the install. A setting naming a directory without
// retort/abi.h is an error, as is finding none.
Expected<std::string> find_sdk_include(const Config& cfg);
// find_sdk_include for callers without a Config: $RETORT_SDK_INCLUDE as it
// is, else the install's include/ directory; "" if there is none.
std::string sdk_include_dir();

// The directory holding templates/<name>/, the first of: $RETORT_SCAFFOLD_DIR,
// the share/retort/scaffold/ directory of the install. A setting naming a
// directory without templates/ is an error, as is finding none.
Expected<std::string> find_scaffold_dir();

// The install's built-in dialect directories that exist: beside the
// executable, then beside the core's module if that is another install.
std::vector<std::string> builtin_dialect_dirs();

}  // namespace retort

#endif  // RETORT_INSTALL_PATHS_HPP
