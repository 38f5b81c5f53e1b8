// A C++ plugin that breaks rule 5 of abi.h: its entry point lets an exception
// escape into the host. The host must catch it and refuse the plugin.
#include <retort/abi.h>

#include <stdexcept>

extern "C" RETORT_EXPORT const retort_plugin* retort_plugin_entry(const retort_host* /*host*/) {
  throw std::runtime_error("this plugin cannot start");
}
