#include "util/install_paths.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace retort {
namespace {

// `relative` under the executable's directory if `probe` exists there, else
// the compiled-in fallback.
std::string beside_executable_or(const std::string& relative, const std::string& probe,
                                 const std::string& fallback) {
  std::string exe = executable_dir();
  if (!exe.empty()) {
    std::error_code ec;
    fs::path candidate = fs::weakly_canonical(fs::path(exe) / relative, ec);
    if (!ec && fs::exists(candidate / probe, ec)) return candidate.string();
  }
  return fallback;
}

}  // namespace

std::string executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string sdk_include_dir() {
  if (const char* env = std::getenv("RETORT_SDK_INCLUDE"); env != nullptr && *env != '\0') return env;
  return beside_executable_or(RETORT_INSTALL_REL_INCLUDE, "retort/abi.h", RETORT_SOURCE_SDK_INCLUDE_DIR);
}

std::string scaffold_dir() {
  return beside_executable_or(RETORT_INSTALL_REL_SCAFFOLD, "templates", RETORT_SOURCE_SCAFFOLD_DIR);
}

std::string builtin_dialect_dir() {
  return beside_executable_or(RETORT_INSTALL_REL_DIALECTS, ".", RETORT_BUILD_DIALECT_DIR);
}

}  // namespace retort
