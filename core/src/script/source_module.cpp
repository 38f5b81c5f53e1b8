#include "script/source_module.hpp"

#include "script/module_builder.hpp"
#include "util/install_paths.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace retort {
namespace {

// In module_time's terms (module_builder.hpp): nanoseconds of st_mtim.
int64_t source_time(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

Expected<std::string> source_module(const Config& cfg, const std::string& source,
                                    const std::string& what, std::ostream& progress) {
  const std::string location = fs::path(source).parent_path().string();
  const int64_t written = source_time(source);
  for (const BuildUnit& unit : read_units(location)) {
    if (std::find(unit.sources.begin(), unit.sources.end(), source) == unit.sources.end()) continue;
    if (module_time(unit) >= written) return unit.module;
  }
  const auto compiler = find_compiler();
  if (!compiler) {
    return Error(
        ErrorCategory::kBuild,
        fmt::format("{} '{}' is not compiled and no C++ compiler was found", what, source),
        fmt::format("install a C++ compiler or set CXX, or set the {} key to a built module",
                    what));
  }
  auto sdk = find_sdk_include(cfg);
  if (!sdk) return sdk.take_error();
  // A module of its own: never batched with revisions.
  auto built = build_units(location, {source}, Toolchain{*compiler, *sdk, 1}, progress);
  if (!built) return built.take_error();
  if (built->empty()) {
    return Error(ErrorCategory::kBuild, fmt::format("{} '{}' built no module", what, source));
  }
  return built->front().module;
}

}  // namespace retort
