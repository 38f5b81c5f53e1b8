// Loads plugins (dialects, revision modules) through Boost.DLL and checks
// their descriptor before anything else is used. Loaded libraries are kept
// until the process exits, so every pointer taken from them stays valid.
#ifndef RETORT_PLUGIN_LOADER_HPP
#define RETORT_PLUGIN_LOADER_HPP

#include <retort/abi.h>
#include <retort/error.hpp>

#include <cstddef>
#include <string>

namespace retort {

struct LoadedPlugin {
  std::string path;
  // The descriptor's fields the host knows, zero where the plugin's struct
  // is shorter. The pointers inside stay valid until the process exits.
  retort_plugin descriptor{};
};

// Loads `path` and checks that it is a retort plugin of `expected_kind`
// (RETORT_KIND_*) built for an ABI this host supports. Each refusal is one
// line naming the file and the reason.
Expected<LoadedPlugin> load_plugin(const std::string& path, uint32_t expected_kind);

// How many files this process has handed to dlopen as plugins: what a test
// counts to see a command load the one dialect it needs, not the search path.
size_t plugin_files_opened();

// "dialect plugin", "revision module", or "plugin of kind N".
std::string kind_name(uint32_t kind);

}  // namespace retort

#endif  // RETORT_PLUGIN_LOADER_HPP
