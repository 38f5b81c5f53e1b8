// The dialect search: the order of the search path, the one file a command
// loads (named for the scheme), PATH-like shadowing of a plugin name, two
// plugins claiming one URL scheme, the config's `dialect` key, and files the
// loader refuses. Each test builds scratch directories of
// copies of real plugins: the built-in dialects, and the test plugins of
// tests/plugins/ (rival_cdialect claims cdialect's scheme under another name).
#include "plugin/dialect_catalog.hpp"
#include "plugin/host_dialect.hpp"
#include "plugin/plugin_loader.hpp"

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
using retort::Dialect;
using retort::Expected;

namespace {

const std::string kPlugins = RETORT_TEST_PLUGIN_DIR;
const std::string kBuiltins = RETORT_TEST_DIALECT_DIR;
const std::string kRival = kPlugins + "/rival/rival_cdialect.so";

// A fresh directory, removed at scope exit.
class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    path_ =
        fs::temp_directory_path() / fmt::format("retort-dialect-search-{}-{:08x}", getpid(), rd());
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // A subdirectory, created.
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

// Copies `source` into `dir` (as `name`, else its own name); returns the copy.
std::string copy_into(const std::string& source, const std::string& dir, std::string name = {}) {
  if (name.empty()) name = fs::path(source).filename().string();
  const fs::path target = fs::path(dir) / name;
  fs::copy_file(source, target, fs::copy_options::overwrite_existing);
  return target.string();
}

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

// The file of the dialect chosen for `url`; fails the test on an error.
std::string chosen_file(const std::string& url, const Config& cfg) {
  auto parsed = retort::DatabaseUrl::parse(url);
  REQUIRE(parsed);
  Expected<Dialect> dialect = Dialect::for_url(*parsed, cfg);
  INFO(url << ": " << dialect.error().message());
  REQUIRE(dialect);
  return dialect->path();
}

retort::Error lookup_error(const std::string& url, const Config& cfg) {
  auto parsed = retort::DatabaseUrl::parse(url);
  REQUIRE(parsed);
  Expected<Dialect> dialect = Dialect::for_url(*parsed, cfg);
  REQUIRE_FALSE(dialect);
  CHECK(dialect.error().category() == retort::ErrorCategory::kPlugin);
  return dialect.error();
}

}  // namespace

TEST_CASE(
    "dialect search path is RETORT_PLUGIN_PATH, then plugin_path from the ini's "
    "directory, then the built-in directory",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", "/opt/env1::/opt/env2");
  const Config cfg(scratch.ini("plugin_path = local/plugins:/opt/abs:%(here)s/here\n"));
  const std::vector<std::string> dirs = retort::dialect_search_path(cfg);
  const std::string root = fs::path(cfg.config_file_name()).parent_path().string();
  CHECK(dirs == std::vector<std::string>{"/opt/env1", "/opt/env2", root + "/local/plugins",
                                         "/opt/abs", root + "/here", kBuiltins});
}

TEST_CASE(
    "dialect search finds a plugin in RETORT_PLUGIN_PATH before plugin_path, and "
    "plugin_path before the built-in directory",
    "[dialect_search]") {
  Scratch scratch;
  const std::string env_copy = copy_into(kBuiltins + "/sqlite.so", scratch.dir("env"));
  const std::string ini_copy = copy_into(kBuiltins + "/sqlite.so", scratch.dir("ini"));
  const Config cfg(scratch.ini("plugin_path = ini\n"));
  {
    EnvOverride env("RETORT_PLUGIN_PATH", scratch.dir("env").c_str());
    CHECK(chosen_file("sqlite:///app.db", cfg) == env_copy);
  }
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  CHECK(chosen_file("sqlite:///app.db", cfg) == ini_copy);
  CHECK(chosen_file("sqlite:///app.db", Config()) == kBuiltins + "/sqlite.so");
}

TEST_CASE(
    "dialect search takes the same plugin name in two directories as no conflict: "
    "the earlier directory wins and the later one is shadowed",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string first = copy_into(kPlugins + "/cdialect.so", scratch.dir("a"));
  // Another file name, the same plugin name: shadowing goes by the name.
  const std::string second = copy_into(kPlugins + "/cdialect.so", scratch.dir("b"), "other.so");
  const Config cfg(scratch.ini("plugin_path = a:b\n"));
  CHECK(chosen_file("cdialect:///x", cfg) == first);

  Expected<retort::DialectCatalog> catalog = retort::dialect_catalog(cfg);
  REQUIRE(catalog);
  std::vector<std::string> seen;
  for (const retort::FoundDialect& found : catalog->dialects) {
    if (found.dialect.name() != "cdialect") continue;
    seen.push_back(found.dialect.path() + " shadowed by '" + found.shadowed_by + "'");
  }
  CHECK(seen == std::vector<std::string>{first + " shadowed by ''",
                                         second + " shadowed by '" + first + "'"});
}

TEST_CASE("dialect search loads only the file named for the scheme when it serves it",
          "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string dir = scratch.dir("many");
  for (const char* file : {"cdialect.so", "cxx_dialect.so", "not_elf.so"}) {
    copy_into(kPlugins + "/" + file, dir);
  }
  copy_into(kRival, dir);
  const Config cfg(scratch.ini("plugin_path = many\n"));
  size_t before = retort::plugin_files_opened();
  CHECK(chosen_file("cdialect:///x", cfg) == dir + "/cdialect.so");
  CHECK(retort::plugin_files_opened() - before == 1);

  before = retort::plugin_files_opened();
  CHECK(chosen_file("sqlite:///app.db", cfg) == kBuiltins + "/sqlite.so");
  CHECK(retort::plugin_files_opened() - before == 1);

  // No file is named "rival": every file of the search path is loaded.
  size_t builtins = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(kBuiltins)) {
    builtins += entry.path().extension() == ".so" ? 1 : 0;
  }
  REQUIRE(builtins >= 5);
  before = retort::plugin_files_opened();
  CHECK(chosen_file("rival:///x", cfg) == dir + "/rival_cdialect.so");
  CHECK(retort::plugin_files_opened() - before == 4 + builtins);
}

TEST_CASE(
    "dialect search takes the plugin in the file named for the scheme when another plugin "
    "claims it too",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  // The rival comes first in the search path; the file's name decides.
  const std::string rival = copy_into(kRival, scratch.dir("a"));
  const std::string cdialect = copy_into(kPlugins + "/cdialect.so", scratch.dir("b"));
  const Config cfg(scratch.ini("plugin_path = a:b\n"));
  CHECK(chosen_file("cdialect:///x", cfg) == cdialect);
  CHECK(chosen_file("rival:///x", cfg) == rival);
}

TEST_CASE(
    "dialect search refuses two plugins claiming one scheme when no file is named for it "
    "naming both with their files and the dialect key that chooses",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string cdialect = copy_into(kPlugins + "/cdialect.so", scratch.dir("a"), "c_one.so");
  const std::string rival = copy_into(kRival, scratch.dir("b"));
  const Config cfg(scratch.ini("plugin_path = a:b\n"));
  const retort::Error error = lookup_error("cdialect:///x", cfg);
  CHECK(error.message() ==
        fmt::format("URL scheme 'cdialect' is served by 2 dialect plugins: 'cdialect' ('{}') and "
                    "'rival_cdialect' ('{}')",
                    cdialect, rival));
  CHECK(error.hint() == fmt::format("choose one in the [retort] section of '{}': "
                                    "dialect = cdialect, or dialect = rival_cdialect",
                                    cfg.config_file_name()));
  // A scheme only one of them claims is not in conflict.
  CHECK(chosen_file("rival:///x", cfg) == rival);
}

TEST_CASE(
    "dialect search uses the plugin the dialect key names, whatever else claims the "
    "scheme",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string cdialect = copy_into(kPlugins + "/cdialect.so", scratch.dir("a"));
  const std::string rival = copy_into(kRival, scratch.dir("b"));
  CHECK(chosen_file("cdialect:///x",
                    Config(scratch.ini("plugin_path = a:b\ndialect = rival_cdialect\n"))) == rival);
  CHECK(chosen_file("cdialect:///x",
                    Config(scratch.ini("plugin_path = a:b\ndialect = cdialect\n"))) == cdialect);
  // The key applies to every scheme: a built-in it names is used as usual.
  CHECK(chosen_file("sqlite:///app.db",
                    Config(scratch.ini("plugin_path = a:b\ndialect = sqlite\n"))) ==
        kBuiltins + "/sqlite.so");
}

TEST_CASE(
    "dialect search fails when the dialect key names a plugin that does not serve the "
    "scheme, or no plugin at all",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string rival = copy_into(kRival, scratch.dir("b"));
  const Config cfg(scratch.ini("plugin_path = b\ndialect = rival_cdialect\n"));
  const retort::Error wrong = lookup_error("sqlite:///app.db", cfg);
  CHECK(wrong.message() == fmt::format("dialect plugin 'rival_cdialect' ('{}'), named by the "
                                       "dialect key, does not serve URL scheme 'sqlite'",
                                       rival));
  CHECK(wrong.hint() == fmt::format("it serves cdialect, rival; set dialect in the [retort] "
                                    "section of '{}' to a plugin serving 'sqlite', or remove it",
                                    cfg.config_file_name()));

  const Config missing(scratch.ini("plugin_path = b\ndialect = mariadb_native\n"));
  const retort::Error absent = lookup_error("mysql://u@h/db", missing);
  CHECK(absent.message() ==
        "no dialect plugin named 'mariadb_native' (the dialect key) in the search path");
  CHECK_THAT(absent.hint(), Catch::StartsWith("install 'mariadb_native' in one of: " +
                                              fs::path(rival).parent_path().string() + ", "));
  CHECK_THAT(absent.hint(), Catch::EndsWith("to a plugin serving 'mysql': mysql"));
}

TEST_CASE("dialect search skips files the loader refuses and keeps each refusal",
          "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string dir = scratch.dir("mixed");
  const std::string cdialect = copy_into(kPlugins + "/cdialect.so", dir);
  const std::string not_elf = copy_into(kPlugins + "/not_elf.so", dir);
  const std::string no_entry = copy_into(kPlugins + "/no_entry.so", dir);
  const std::string abi2 = copy_into(kPlugins + "/abi_major2.so", dir);
  copy_into(kPlugins + "/cdialect.so", dir, "cdialect.so.txt");  // not *.so: ignored
  const Config cfg(scratch.ini("plugin_path = mixed\n"));
  CHECK(chosen_file("cdialect:///x", cfg) == cdialect);

  Expected<retort::DialectCatalog> catalog = retort::dialect_catalog(cfg);
  REQUIRE(catalog);
  std::vector<std::string> refused;
  for (const retort::RefusedFile& file : catalog->refused) refused.push_back(file.error.message());
  REQUIRE(refused.size() == 3);
  CHECK(refused[0] == fmt::format("cannot load dialect plugin 'future' from '{}': built for "
                                  "ABI 2.0, host supports 1.x",
                                  abi2));
  CHECK(refused[1] == fmt::format("cannot load '{}': no retort_plugin_entry symbol; this is not "
                                  "a retort plugin",
                                  no_entry));
  CHECK_THAT(refused[2], Catch::StartsWith(fmt::format(
                             "cannot load '{}': not a loadable shared object (", not_elf)));
}

TEST_CASE(
    "dialect search reports the refusal of a file named after the scheme when nothing "
    "serves it",
    "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string file = copy_into(kPlugins + "/abi_major2.so", scratch.dir("p"), "foo.so");
  const Config cfg(scratch.ini("plugin_path = p\n"));
  CHECK(lookup_error("foo://x", cfg).message() ==
        fmt::format("cannot load dialect plugin 'future' from '{}': built for ABI 2.0, host "
                    "supports 1.x",
                    file));
  const retort::Error other = lookup_error("bar://x", cfg);
  CHECK(other.message() == "no dialect serves URL scheme 'bar'");
  CHECK_THAT(other.hint(), Catch::EndsWith("; 1 file(s) could not be loaded, 'retort "
                                           "list_dialects' says why"));
}

TEST_CASE("dialect search gives the reason of a plugin named after the scheme that refused to load",
          "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", nullptr);
  const std::string file = copy_into(kPlugins + "/refusing_entry.so", scratch.dir("p"), "foo.so");
  const Config cfg(scratch.ini("plugin_path = p\n"));
  CHECK(
      lookup_error("foo://x", cfg).message() ==
      fmt::format("plugin '{}' refused to load: needs libfoo 2, found 1; install libfoo 2", file));
}

TEST_CASE("dialect search fails on a config it cannot read", "[dialect_search]") {
  Scratch scratch;
  const Config broken(scratch.ini("plugin_path = %(nope)s\n"));
  Expected<retort::DialectCatalog> catalog = retort::dialect_catalog(broken);
  REQUIRE_FALSE(catalog);
  CHECK(catalog.error().category() == retort::ErrorCategory::kConfig);
}

TEST_CASE("dialect search hints name only the directories of the search path that exist",
          "[dialect_search]") {
  Scratch scratch;
  EnvOverride env("RETORT_PLUGIN_PATH", "/nonexistent/retort-env-plugins");
  const std::string here = scratch.dir("here");
  const retort::Error unserved =
      lookup_error("nothere://x", Config(scratch.ini("plugin_path = missing:here\n")));
  CHECK(unserved.hint() == fmt::format("install a dialect plugin for 'nothere' in one of: {}, {}; "
                                       "or add its directory to RETORT_PLUGIN_PATH or the "
                                       "plugin_path option",
                                       here, kBuiltins));
  const retort::Error unnamed = lookup_error(
      "nothere://x", Config(scratch.ini("plugin_path = missing:here\ndialect = absent\n")));
  CHECK(unnamed.hint() == fmt::format("install 'absent' in one of: {}, {}", here, kBuiltins));
}
