// The host's service table (retort_host) as a plugin's C++ code uses it: the
// pointer the entry point keeps, and its log and refuse, each used only
// when the host's struct is long enough to hold it (abi.h, rule 2), so a
// plugin built against this SDK still talks to an older host.
// Part of the SDK's entry points (dialect.hpp, model.hpp, revision.hpp).
#ifndef RETORT_PLUGIN_HOST_HPP
#define RETORT_PLUGIN_HOST_HPP

#include <retort/abi.h>

#include <cstddef>
#include <string_view>

namespace retort {
inline namespace abi1 {
namespace detail {

// The host's service table, as the first entry call handed it. Kept once:
// a later entry call (the file loaded again) may run while other threads
// read it (abi.h: threads), so it is never written again.
inline const retort_host* plugin_host(const retort_host* first = nullptr) {
  static const retort_host* const host = first;
  return host;
}

// Whether `host` is long enough to hold the member ending at `end`.
inline bool host_has(const retort_host* host, size_t end) {
  return host != nullptr && host->struct_size >= end;
}

inline void host_log(const retort_host* host, int level, std::string_view message) noexcept {
  if (!host_has(host, offsetof(retort_host, log) + sizeof(host->log)) || host->log == nullptr) {
    return;
  }
  host->log(host->ctx, level, message.data(), message.size());
}

// Tells the host why the entry point returns no descriptor: through
// refuse (ABI 1.4), or as a warning in the log of an older host.
inline void refuse_load(const retort_host* host, std::string_view reason) noexcept {
  if (host_has(host, offsetof(retort_host, refuse) + sizeof(host->refuse)) &&
      host->refuse != nullptr) {
    host->refuse(host->ctx, reason.data(), reason.size());
    return;
  }
  host_log(host, RETORT_LOG_WARNING, reason);
}

}  // namespace detail
}  // namespace abi1
}  // namespace retort

#endif  // RETORT_PLUGIN_HOST_HPP
