// Where retort finds its SDK headers, scaffold and built-in dialects: the
// settings in their order, the errors for a setting that names the wrong
// directory, and the install found relative to the executable: the unit test
// binary sits in the build tree's bin/, and the build tree mirrors an install.
#include "util/install_paths.hpp"

#include <retort/config.hpp>

#include <fmt/format.h>

#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using retort::Config;
using retort::Expected;

namespace {

// A fresh directory, removed at scope exit.
class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    path_ =
        fs::temp_directory_path() / fmt::format("retort-install-paths-{}-{:08x}", getpid(), rd());
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // Creates `relative` (and its directories) as an empty file; returns the
  // scratch directory's path joined with `dir`.
  std::string with_file(const std::string& dir, const std::string& relative) const {
    fs::create_directories((path_ / dir / relative).parent_path());
    std::ofstream(path_ / dir / relative) << "";
    return (path_ / dir).string();
  }
  std::string dir(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }
  // Writes retort.ini with `body` under [retort]; returns its path.
  std::string ini(const std::string& body) const {
    const fs::path file = path_ / "retort.ini";
    std::ofstream(file) << "[retort]\n" << body;
    return file.string();
  }

 private:
  fs::path path_;
};

// Sets (or, with nullptr, unsets) an environment variable for one scope.
class EnvOverride {
 public:
  EnvOverride(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~EnvOverride() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  EnvOverride(const EnvOverride&) = delete;
  EnvOverride& operator=(const EnvOverride&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("sdk include is the ini's sdk_include, from the ini's directory, before the environment",
          "[install_paths]") {
  Scratch scratch;
  const std::string from_ini = scratch.with_file("ini_sdk", "retort/abi.h");
  const std::string from_env = scratch.with_file("env_sdk", "retort/abi.h");
  EnvOverride env("RETORT_SDK_INCLUDE", from_env.c_str());
  const Config cfg(scratch.ini("sdk_include = ini_sdk\n"));
  Expected<std::string> found = retort::find_sdk_include(cfg);
  INFO(found.error().message());
  REQUIRE(found);
  CHECK(*found == from_ini);
  CHECK(retort::sdk_include_dir() == from_env);

  Expected<std::string> without_key = retort::find_sdk_include(Config());
  REQUIRE(without_key);
  CHECK(*without_key == from_env);
}

TEST_CASE("sdk include is the include directory beside the executable when nothing is set",
          "[install_paths]") {
  EnvOverride env("RETORT_SDK_INCLUDE", nullptr);
  Expected<std::string> found = retort::find_sdk_include(Config());
  INFO(found.error().message());
  REQUIRE(found);
  CHECK(*found == RETORT_TEST_SDK_INCLUDE_DIR);
  CHECK(fs::exists(fs::path(*found) / "retort/abi.h"));
  CHECK(retort::sdk_include_dir() == *found);
}

TEST_CASE("sdk include setting that has no retort/abi.h is an error naming the setting",
          "[install_paths]") {
  Scratch scratch;
  const std::string empty = scratch.dir("empty");
  {
    EnvOverride env("RETORT_SDK_INCLUDE", nullptr);
    const Config cfg(scratch.ini("sdk_include = empty\n"));
    Expected<std::string> found = retort::find_sdk_include(cfg);
    REQUIRE_FALSE(found);
    CHECK(found.error().category() == retort::ErrorCategory::kConfig);
    CHECK(found.error().message() ==
          fmt::format("sdk_include in the [retort] section of '{}' is '{}', which has no "
                      "retort/abi.h",
                      cfg.config_file_name(), empty));
    CHECK(found.error().hint() == "set sdk_include to the include directory of a retort install");
  }
  EnvOverride env("RETORT_SDK_INCLUDE", empty.c_str());
  Expected<std::string> found = retort::find_sdk_include(Config());
  REQUIRE_FALSE(found);
  CHECK(found.error().message() ==
        fmt::format("RETORT_SDK_INCLUDE is '{}', which has no retort/abi.h", empty));
  CHECK(found.error().hint() ==
        "set RETORT_SDK_INCLUDE to the include directory of a retort install, or unset it");
}

TEST_CASE("scaffold is RETORT_SCAFFOLD_DIR, else share/retort/scaffold beside the executable",
          "[install_paths]") {
  Scratch scratch;
  {
    EnvOverride env("RETORT_SCAFFOLD_DIR", nullptr);
    Expected<std::string> found = retort::find_scaffold_dir();
    INFO(found.error().message());
    REQUIRE(found);
    CHECK(*found == RETORT_TEST_SCAFFOLD_DIR);
    CHECK(fs::exists(fs::path(*found) / "templates/generic/script.cpp.tmpl"));
  }
  const std::string mine = scratch.with_file("scaffold", "templates/mine/README");
  {
    EnvOverride env("RETORT_SCAFFOLD_DIR", mine.c_str());
    Expected<std::string> found = retort::find_scaffold_dir();
    REQUIRE(found);
    CHECK(*found == mine);
  }
  const std::string empty = scratch.dir("empty");
  EnvOverride env("RETORT_SCAFFOLD_DIR", empty.c_str());
  Expected<std::string> found = retort::find_scaffold_dir();
  REQUIRE_FALSE(found);
  CHECK(found.error().message() ==
        fmt::format("RETORT_SCAFFOLD_DIR is '{}', which has no templates directory", empty));
}

TEST_CASE("built-in dialects are lib/retort/dialects beside the executable, found once",
          "[install_paths]") {
  CHECK(retort::builtin_dialect_dirs() == std::vector<std::string>{RETORT_TEST_DIALECT_DIR});
  // libretort_core.a is linked into the test binary: its module is the executable.
  CHECK(retort::core_module_dir() == retort::executable_dir());
}
