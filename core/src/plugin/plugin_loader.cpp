#include "plugin/plugin_loader.hpp"

#include "plugin/host_services.hpp"

// Boost.DLL 1.74 needs these before its own headers (see docs/notes).
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>

namespace retort {
namespace {

// Libraries are never unloaded: revisions, dialect tables and the strings
// they hand out are used until the process ends (and a C++ plugin may not
// be safely unloadable at all).
std::deque<boost::dll::shared_library>& loaded_libraries() {
  static std::deque<boost::dll::shared_library> libraries;
  return libraries;
}
std::mutex& loader_mutex() {
  static std::mutex m;
  return m;
}
size_t files_opened = 0;  // guarded by loader_mutex()

Error refuse(const std::string& path, const std::string& reason, std::string hint = {}) {
  return Error(ErrorCategory::kPlugin, fmt::format("cannot load '{}': {}", path, reason),
               std::move(hint));
}

// Boost.DLL 1.74 reports a failed dlopen as
//   "boost::dll::shared_library::load() failed (dlerror system message: D): C"
// where D is dlerror's text, "PATH: reason", and C the error code's message.
// Keep only dlerror's reason.
std::string dl_reason(const std::string& path, const std::system_error& e) {
  constexpr std::string_view kMarker = "(dlerror system message: ";
  const std::string suffix = "): " + e.code().message();
  std::string reason = e.what();
  const size_t begin = reason.find(kMarker);
  if (begin == std::string::npos || !reason.ends_with(suffix)) return reason;
  reason =
      reason.substr(begin + kMarker.size(), reason.size() - suffix.size() - begin - kMarker.size());
  if (auto pos = reason.find(path + ": "); pos != std::string::npos) {
    reason.erase(0, pos + path.size() + 2);
  }
  return reason;
}

}  // namespace

std::string kind_name(uint32_t kind) {
  switch (kind) {
    case RETORT_KIND_DIALECT:
      return "dialect plugin";
    case RETORT_KIND_REVISIONS:
      return "revision module";
    case RETORT_KIND_MODEL:
      return "model module";
    case RETORT_KIND_ENVIRONMENT:
      return "environment module";
  }
  return fmt::format("plugin of kind {}", kind);
}

size_t plugin_files_opened() {
  std::lock_guard<std::mutex> lock(loader_mutex());
  return files_opened;
}

Expected<LoadedPlugin> load_plugin(const std::string& path, uint32_t expected_kind) {
  std::lock_guard<std::mutex> lock(loader_mutex());
  std::error_code exists_error;
  if (!std::filesystem::exists(path, exists_error) && !exists_error) {
    return refuse(path, "no such file");
  }
  boost::dll::shared_library library;
  ++files_opened;
  try {
    library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::system_error& e) {
    return refuse(path, fmt::format("not a loadable shared object ({})", dl_reason(path, e)));
  } catch (const std::exception& e) {
    return refuse(path, fmt::format("not a loadable shared object ({})", e.what()));
  }
  if (!library.has(RETORT_ENTRY_SYMBOL)) {
    return refuse(path,
                  fmt::format("no {} symbol; this is not a retort plugin", RETORT_ENTRY_SYMBOL),
                  "build revisions with 'retort build' and plugins against the retort SDK");
  }
  auto& entry = library.get<const retort_plugin*(const retort_host*)>(RETORT_ENTRY_SYMBOL);
  const retort_plugin* raw = nullptr;
  RefusalScope refusal;
  try {
    raw = entry(host_services());
  } catch (...) {
    return refuse(path, "its entry point threw a C++ exception across the C boundary");
  }
  if (raw == nullptr && !refusal.reason().empty()) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("plugin '{}' refused to load: {}", path, refusal.reason()));
  }
  if (raw == nullptr) return refuse(path, "its entry point returned no descriptor");

  constexpr uint32_t kMinimumSize = offsetof(retort_plugin, table) + sizeof(void*);
  // The first four fields (size, kind, ABI major/minor) keep their places in
  // every ABI version: a short descriptor of another major is named as such.
  constexpr uint32_t kVersionSize = offsetof(retort_plugin, abi_minor) + sizeof(uint16_t);
  if (raw->struct_size < kMinimumSize && raw->struct_size >= kVersionSize &&
      raw->abi_major != RETORT_ABI_MAJOR) {
    return Error(
        ErrorCategory::kPlugin,
        fmt::format("cannot load {} from '{}': built for ABI {}.{}, host supports {}.x",
                    kind_name(raw->kind), path, raw->abi_major, raw->abi_minor, RETORT_ABI_MAJOR),
        "rebuild the plugin against this retort SDK");
  }
  if (raw->struct_size < kMinimumSize) {
    return refuse(path, fmt::format("its descriptor is {} bytes, smaller than ABI 1.0's {}",
                                    raw->struct_size, kMinimumSize));
  }
  LoadedPlugin plugin;
  plugin.path = path;
  std::memcpy(&plugin.descriptor, raw, std::min<size_t>(raw->struct_size, sizeof(retort_plugin)));
  const retort_plugin& d = plugin.descriptor;
  const std::string what =
      fmt::format("{} '{}'", kind_name(d.kind), d.name != nullptr ? d.name : "(unnamed)");

  if (d.abi_major != RETORT_ABI_MAJOR) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("cannot load {} from '{}': built for ABI {}.{}, host supports {}.x",
                             what, path, d.abi_major, d.abi_minor, RETORT_ABI_MAJOR),
                 "rebuild the plugin against this retort SDK");
  }
  if (d.abi_minor > RETORT_ABI_MINOR) {
    return Error(
        ErrorCategory::kPlugin,
        fmt::format("cannot load {} from '{}': built for ABI {}.{}, host supports up to {}.{}",
                    what, path, d.abi_major, d.abi_minor, RETORT_ABI_MAJOR, RETORT_ABI_MINOR),
        "upgrade retort, or rebuild the plugin against this host's SDK");
  }
  if (d.kind != expected_kind) {
    return refuse(path,
                  fmt::format("it is a {}, not a {}", kind_name(d.kind), kind_name(expected_kind)));
  }
  if (d.name == nullptr || d.table == nullptr) {
    return refuse(path, "its descriptor has no name or no function table");
  }
  loaded_libraries().push_back(std::move(library));
  return plugin;
}

}  // namespace retort
