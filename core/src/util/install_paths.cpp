#include "util/install_paths.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <link.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>

namespace fs = std::filesystem;

namespace retort {
namespace {

constexpr const char* kSdkProbe = "retort/abi.h";
constexpr const char* kScaffoldProbe = "templates";

// $name, or nullopt when it is unset or empty.
std::optional<std::string> env_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool holds(const fs::path& dir, const char* probe) {
  std::error_code ec;
  return fs::exists(dir / probe, ec);
}

// The directories holding `probe` at `relative` (a path from an install's
// bin/) in the install of the executable, then in that of the core's
// module; each once.
std::vector<std::string> in_install(const char* relative, const char* probe) {
  std::vector<std::string> found;
  for (const std::string& anchor : {executable_dir(), core_module_dir()}) {
    if (anchor.empty()) continue;
    std::error_code ec;
    const fs::path dir = fs::weakly_canonical(fs::path(anchor) / relative, ec);
    if (ec || !holds(dir, probe)) continue;
    if (std::find(found.begin(), found.end(), dir.string()) == found.end()) {
      found.push_back(dir.string());
    }
  }
  return found;
}

// "the [retort] section of 'retort.ini'": where a key goes, for hints.
std::string main_section_place(const Config& cfg) {
  const std::string& file = cfg.config_file_name();
  return fmt::format("the [{}] section of {}", cfg.config_ini_section(),
                     file.empty() ? std::string("the configuration") : "'" + file + "'");
}

}  // namespace

std::string executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string core_module_dir() {
  Dl_info info{};
  link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(&core_module_dir), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) == 0 ||
      map == nullptr) {
    return "";
  }
  // The main program's link map has no name (dli_fname would be argv[0]).
  if (map->l_name == nullptr || map->l_name[0] == '\0') return executable_dir();
  std::error_code ec;
  const fs::path module = fs::canonical(map->l_name, ec);
  return ec ? std::string() : module.parent_path().string();
}

Expected<std::string> find_sdk_include(const Config& cfg) {
  Expected<std::string> key = cfg.main_option("sdk_include", "");
  if (!key) return key.take_error();
  if (!key->empty()) {
    const fs::path dir = (fs::path(cfg.here()) / *key).lexically_normal();
    if (holds(dir, kSdkProbe)) return dir.string();
    return Error(ErrorCategory::kConfig,
                 fmt::format("sdk_include in {} is '{}', which has no retort/abi.h",
                             main_section_place(cfg), dir.string()),
                 "set sdk_include to the include directory of a retort install");
  }
  if (std::optional<std::string> env = env_value("RETORT_SDK_INCLUDE")) {
    if (holds(*env, kSdkProbe)) return *env;
    return Error(
        ErrorCategory::kConfig,
        fmt::format("RETORT_SDK_INCLUDE is '{}', which has no retort/abi.h", *env),
        "set RETORT_SDK_INCLUDE to the include directory of a retort install, or unset it");
  }
  const std::vector<std::string> found = in_install(RETORT_INSTALL_REL_INCLUDE, kSdkProbe);
  if (!found.empty()) return found.front();
  return Error(ErrorCategory::kConfig, "cannot find the retort SDK headers (retort/abi.h)",
               fmt::format("set sdk_include in {}, or RETORT_SDK_INCLUDE, to the include "
                           "directory of a retort install",
                           main_section_place(cfg)));
}

std::string sdk_include_dir() {
  if (std::optional<std::string> env = env_value("RETORT_SDK_INCLUDE")) return *env;
  const std::vector<std::string> found = in_install(RETORT_INSTALL_REL_INCLUDE, kSdkProbe);
  return found.empty() ? std::string() : found.front();
}

Expected<std::string> find_scaffold_dir() {
  if (std::optional<std::string> env = env_value("RETORT_SCAFFOLD_DIR")) {
    if (holds(*env, kScaffoldProbe)) return *env;
    return Error(
        ErrorCategory::kConfig,
        fmt::format("RETORT_SCAFFOLD_DIR is '{}', which has no templates directory", *env),
        "set RETORT_SCAFFOLD_DIR to the share/retort/scaffold directory of a retort install, "
        "or unset it");
  }
  const std::vector<std::string> found = in_install(RETORT_INSTALL_REL_SCAFFOLD, kScaffoldProbe);
  if (!found.empty()) return found.front();
  return Error(ErrorCategory::kConfig, "cannot find the retort scaffold (templates/)",
               "set RETORT_SCAFFOLD_DIR to the share/retort/scaffold directory of a retort "
               "install");
}

std::vector<std::string> builtin_dialect_dirs() {
  return in_install(RETORT_INSTALL_REL_DIALECTS, ".");
}

}  // namespace retort
