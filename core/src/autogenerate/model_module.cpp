#include "autogenerate/model_module.hpp"

#include "autogenerate/schema_builder.hpp"
#include "plugin/plugin_loader.hpp"
#include "script/deploy_manifest.hpp"
#include "script/module_builder.hpp"
#include "util/install_paths.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace retort::autogenerate {
namespace {

// In module_time's terms (module_builder.hpp): nanoseconds of st_mtim.
int64_t source_time(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

Expected<std::optional<std::string>> find_model(const Config& cfg,
                                                const std::string& script_location) {
  if (is_deploy_dir(script_location)) {
    auto deployed = deploy_model(script_location);
    if (!deployed || *deployed) return deployed;
  }
  if (auto key = cfg.get_main_option("model"); key && !key->empty()) {
    fs::path path(*key);
    if (path.is_relative()) path = fs::path(cfg.here()) / path;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return Error(ErrorCategory::kConfig, fmt::format("model '{}' does not exist", path.string()),
                   "fix the model key, or remove it to use <script_location>/model.cpp");
    }
    return std::optional<std::string>(fs::absolute(path).lexically_normal().string());
  }
  const fs::path default_path = fs::path(script_location) / "model.cpp";
  std::error_code ec;
  if (!fs::exists(default_path, ec)) return std::optional<std::string>();
  return std::optional<std::string>(fs::absolute(default_path).lexically_normal().string());
}

Expected<Schema> load_model_module(const std::string& path) {
  auto plugin = load_plugin(path, RETORT_KIND_MODEL);
  if (!plugin) return plugin.take_error();
  retort_model table{};
  const auto* raw = static_cast<const retort_model*>(plugin->descriptor.table);
  std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof(retort_model)));
  if (table.declare == nullptr) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("cannot load '{}': the model module has no declare function", path),
                 "rebuild the model against this retort SDK");
  }
  SchemaBuilder builder;
  StringSink error;
  const int status = table.declare(builder.operations(), error.get());
  if (status == RETORT_OK) return builder.take();
  if (builder.error()) return builder.error();
  return Error(ErrorCategory::kMigration,
               fmt::format("model '{}' failed: {}", path,
                           error.str().empty() ? fmt::format("status {}", status) : error.str()),
               "fix the model's declarations");
}

Expected<std::string> build_model(const Config& cfg, const std::string& path,
                                  std::ostream& progress) {
  if (fs::path(path).extension() != ".cpp") return path;
  const std::string location = fs::path(path).parent_path().string();
  const int64_t written = source_time(path);
  for (const BuildUnit& unit : read_units(location)) {
    if (std::find(unit.sources.begin(), unit.sources.end(), path) == unit.sources.end()) continue;
    if (module_time(unit) >= written) return unit.module;
  }
  const auto compiler = find_compiler();
  if (!compiler) {
    return Error(ErrorCategory::kBuild,
                 fmt::format("model '{}' is not compiled and no C++ compiler was found", path),
                 "install a C++ compiler or set CXX, or set the model key to a built module");
  }
  auto sdk = find_sdk_include(cfg);
  if (!sdk) return sdk.take_error();
  // One module of its own: the model is never batched with revisions.
  auto built = build_units(location, {path}, Toolchain{*compiler, *sdk, 1}, progress);
  if (!built) return built.take_error();
  if (built->empty()) {
    return Error(ErrorCategory::kBuild, fmt::format("model '{}' built no module", path));
  }
  return built->front().module;
}

Expected<Schema> load_model(const Config& cfg, const std::string& path, std::ostream& progress) {
  auto module = build_model(cfg, path, progress);
  if (!module) return module.take_error();
  return load_model_module(*module);
}

}  // namespace retort::autogenerate
