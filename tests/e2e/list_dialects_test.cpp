// retort list_dialects in a scratch project whose plugin_path holds a copy of
// the plain-C test dialect and a file that is not a shared object; with a
// rival plugin claiming its scheme; and in a directory with no retort.ini.
#include "e2e_harness.hpp"

#include <retort/abi.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using retort::test::run_retort;
using retort::test::ScratchDir;

namespace {

const std::string kTestPlugins = RETORT_TEST_PLUGIN_DIR;
// The ABI every plugin built with this tree reports: today's, e.g. "1.2".
const std::string kAbi = std::to_string(RETORT_ABI_MAJOR) + "." + std::to_string(RETORT_ABI_MINOR);

// One row of the plugin table: name, version, abi, schemes, status, file.
using Row = std::vector<std::string>;

struct Listing {
  std::string search_path;
  std::vector<Row> rows;               // without the header
  std::vector<std::string> conflicts;  // "SCHEME: plugins; verdict"
  std::vector<std::string> refused;    // "FILE: reason"
};

Listing parse(const std::string& out) {
  Listing listing;
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);
  REQUIRE(line.rfind("search path: ", 0) == 0);
  listing.search_path = line.substr(13);
  std::getline(lines, line);
  REQUIRE(line.rfind("NAME ", 0) == 0);
  std::vector<std::string>* section = nullptr;
  while (std::getline(lines, line)) {
    if (line == "conflicts:") {
      section = &listing.conflicts;
    } else if (line == "not loaded:") {
      section = &listing.refused;
    } else if (section != nullptr) {
      section->push_back(line);
    } else {
      std::istringstream words(line);
      Row row;
      for (std::string word; words >> word;) row.push_back(word);
      REQUIRE(row.size() == 6);
      listing.rows.push_back(row);
    }
  }
  return listing;
}

// The index of the first row naming `name`, or rows.size().
size_t find_row(const Listing& listing, const std::string& name) {
  size_t i = 0;
  while (i < listing.rows.size() && listing.rows[i][0] != name) ++i;
  return i;
}

// A project: retort.ini with plugin_path = plugins, and plugins/ holding
// copies of cdialect.so and not_elf.so.
void make_project(const fs::path& dir) {
  fs::create_directories(dir / "plugins");
  for (const char* file : {"cdialect.so", "not_elf.so"}) {
    fs::copy_file(kTestPlugins + "/" + file, dir / "plugins" / file);
  }
  std::ofstream(dir / "retort.ini") << "[retort]\nplugin_path = plugins\n";
}

// Sets (or, with nullptr, unsets) RETORT_PLUGIN_PATH for one scope.
class PluginPath {
 public:
  explicit PluginPath(const char* value) {
    if (const char* old = std::getenv("RETORT_PLUGIN_PATH")) old_ = old;
    if (value != nullptr) {
      setenv("RETORT_PLUGIN_PATH", value, 1);
    } else {
      unsetenv("RETORT_PLUGIN_PATH");
    }
  }
  ~PluginPath() {
    if (old_) {
      setenv("RETORT_PLUGIN_PATH", old_->c_str(), 1);
    } else {
      unsetenv("RETORT_PLUGIN_PATH");
    }
  }
  PluginPath(const PluginPath&) = delete;
  PluginPath& operator=(const PluginPath&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE(
    "list_dialects shows plugin_path's plugins, then the five built-ins with schemes and "
    "ABI, then the files that could not be loaded",
    "[e2e][list_dialects]") {
  ScratchDir dir;
  PluginPath unset(nullptr);
  make_project(dir.path());
  const auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const Listing listing = parse(run.out);
  const std::string plugins = (dir.path() / "plugins").string();
  CHECK(listing.search_path.rfind(plugins + ":", 0) == 0);

  const size_t c = find_row(listing, "cdialect");
  REQUIRE(c < listing.rows.size());
  CHECK(listing.rows[c] ==
        Row{"cdialect", "1.0.0", kAbi, "cdialect", "active", plugins + "/cdialect.so"});
  const std::vector<std::pair<std::string, std::string>> builtins = {
      {"sqlite", "sqlite"},
      {"postgresql", "postgresql,postgres"},
      {"mysql", "mysql,mariadb"},
      {"mssql", "mssql"},
      {"oracle", "oracle"}};
  for (const auto& [name, schemes] : builtins) {
    INFO(name);
    const size_t i = find_row(listing, name);
    REQUIRE(i < listing.rows.size());
    CHECK(i > c);  // plugin_path comes before the built-in directory
    CHECK(listing.rows[i][2] == kAbi);
    CHECK(listing.rows[i][3] == schemes);
    CHECK(listing.rows[i][4] == "active");
    CHECK(fs::path(listing.rows[i][5]).filename() == name + ".so");
  }
  CHECK(listing.refused ==
        std::vector<std::string>{plugins + "/not_elf.so: not a loadable shared object (invalid ELF "
                                           "header)"});
}

TEST_CASE(
    "list_dialects puts RETORT_PLUGIN_PATH's plugins first and marks the later plugin of "
    "the same name shadowed",
    "[e2e][list_dialects]") {
  ScratchDir dir;
  make_project(dir.path());
  const fs::path env_dir = dir.path() / "env";
  fs::create_directories(env_dir);
  fs::copy_file(kTestPlugins + "/cdialect.so", env_dir / "cdialect.so");
  PluginPath path(env_dir.c_str());
  const auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const Listing listing = parse(run.out);
  CHECK(listing.search_path.rfind(env_dir.string() + ":" + (dir.path() / "plugins").string() + ":",
                                  0) == 0);
  REQUIRE(listing.rows.size() >= 2);
  CHECK(listing.rows[0] ==
        Row{"cdialect", "1.0.0", kAbi, "cdialect", "active", (env_dir / "cdialect.so").string()});
  CHECK(listing.rows[1] == Row{"cdialect", "1.0.0", kAbi, "cdialect", "shadowed",
                               (dir.path() / "plugins" / "cdialect.so").string()});
}

TEST_CASE("list_dialects fails with exit status 1 on a broken config", "[e2e][list_dialects]") {
  ScratchDir dir;
  std::ofstream(dir.path() / "retort.ini") << "[retort]\nplugin_path = %(nowhere)s\n";
  const auto run = run_retort(dir.path(), "list_dialects");
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(run.err.rfind("error: ", 0) == 0);
}

TEST_CASE(
    "list_dialects without a retort.ini lists RETORT_PLUGIN_PATH's plugins and the built-in "
    "ones",
    "[e2e][list_dialects]") {
  ScratchDir dir;
  const fs::path env_dir = dir.path() / "env";
  fs::create_directories(env_dir);
  fs::copy_file(kTestPlugins + "/cdialect.so", env_dir / "cdialect.so");
  PluginPath path(env_dir.c_str());
  REQUIRE_FALSE(fs::exists(dir.path() / "retort.ini"));
  const auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const Listing listing = parse(run.out);
  CHECK(listing.search_path.rfind(env_dir.string() + ":", 0) == 0);
  REQUIRE(listing.rows.size() >= 6);
  CHECK(listing.rows[0] ==
        Row{"cdialect", "1.0.0", kAbi, "cdialect", "active", (env_dir / "cdialect.so").string()});
  CHECK(find_row(listing, "sqlite") < listing.rows.size());
  CHECK(listing.conflicts.empty());
}

TEST_CASE("list_dialects marks two plugins claiming one scheme and says the file named for it wins",
          "[e2e][list_dialects]") {
  ScratchDir dir;
  PluginPath unset(nullptr);
  make_project(dir.path());
  const fs::path plugins = dir.path() / "plugins";
  fs::copy_file(kTestPlugins + "/rival/rival_cdialect.so", plugins / "rival_cdialect.so");
  const auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  const Listing listing = parse(run.out);
  const size_t c = find_row(listing, "cdialect");
  const size_t r = find_row(listing, "rival_cdialect");
  REQUIRE(r < listing.rows.size());
  REQUIRE(c < listing.rows.size());
  CHECK(listing.rows[c][4] == "conflict");
  CHECK(listing.rows[r][4] == "conflict");
  CHECK(listing.rows[r][3] == "cdialect,rival");
  CHECK(listing.rows[find_row(listing, "sqlite")][4] == "active");
  CHECK(listing.conflicts ==
        std::vector<std::string>{"cdialect: cdialect ('" + (plugins / "cdialect.so").string() +
                                 "'), rival_cdialect ('" +
                                 (plugins / "rival_cdialect.so").string() +
                                 "'); cdialect wins, its file is named for the scheme"});
}

TEST_CASE("list_dialects says the dialect key settles a conflict or that nothing does",
          "[e2e][list_dialects]") {
  ScratchDir dir;
  PluginPath unset(nullptr);
  const fs::path plugins = dir.path() / "plugins";
  fs::create_directories(plugins);
  // Neither file is named for the scheme.
  fs::copy_file(kTestPlugins + "/cdialect.so", plugins / "c_one.so");
  fs::copy_file(kTestPlugins + "/rival/rival_cdialect.so", plugins / "rival_cdialect.so");
  const std::string both = "cdialect: cdialect ('" + (plugins / "c_one.so").string() +
                           "'), rival_cdialect ('" + (plugins / "rival_cdialect.so").string() +
                           "'); ";
  std::ofstream(dir.path() / "retort.ini") << "[retort]\nplugin_path = plugins\n";
  auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  CHECK(parse(run.out).conflicts ==
        std::vector<std::string>{
            both + "none wins, a command refuses the scheme until the dialect key names one"});

  std::ofstream(dir.path() / "retort.ini")
      << "[retort]\nplugin_path = plugins\ndialect = rival_cdialect\n";
  run = run_retort(dir.path(), "list_dialects");
  REQUIRE(run.status == 0);
  CHECK(parse(run.out).conflicts ==
        std::vector<std::string>{both + "rival_cdialect wins, the dialect key names it"});
}

TEST_CASE("list_dialects shows the reason a plugin gave for refusing to load",
          "[e2e][list_dialects]") {
  ScratchDir dir;
  PluginPath unset(nullptr);
  const fs::path plugins = dir.path() / "plugins";
  fs::create_directories(plugins);
  fs::copy_file(kTestPlugins + "/refusing_entry.so", plugins / "refusing_entry.so");
  std::ofstream(dir.path() / "retort.ini") << "[retort]\nplugin_path = plugins\n";
  const auto run = run_retort(dir.path(), "list_dialects");
  INFO(run.out << run.err);
  REQUIRE(run.status == 0);
  CHECK(parse(run.out).refused ==
        std::vector<std::string>{(plugins / "refusing_entry.so").string() +
                                 ": refused to load: needs libfoo 2, found 1; install libfoo 2"});
}
