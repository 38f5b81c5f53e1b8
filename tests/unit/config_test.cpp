#include "retort/config.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using retort::Config;
using retort::Error;
using retort::ErrorCategory;

namespace {

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "retort-config-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  // Writes `text` to `name` inside the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  fs::path path_;
};

// Reads `text` as retort.ini and fails the test if the file is refused.
Config load(const TempDir& dir, const std::string& text, const std::string& section = "retort") {
  Config config(dir.write("retort.ini", text), section);
  INFO(config.load_error().message());
  REQUIRE_FALSE(config.load_error());
  return config;
}

// The message of the error that refused `text`.
std::string load_failure(const TempDir& dir, const std::string& text) {
  auto config = Config::from_file(dir.write("retort.ini", text));
  REQUIRE_FALSE(config);
  CHECK(config.error().category() == ErrorCategory::kConfig);
  return config.error().message();
}

}  // namespace

TEST_CASE("config interpolates %(here)s to the ini file's directory", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\nscript_location = %(here)s/migrations\n");
  CHECK(config.here() == dir.path().string());
  CHECK(config.get_main_option("script_location") == dir.path().string() + "/migrations");
  CHECK(config.get_main_option("here") == dir.path().string());
}

TEST_CASE("config keeps a percent sign in the ini file's directory name", "[config]") {
  TempDir dir;
  const std::string file = dir.write("100%/retort.ini", "[retort]\nlocation = %(HERE)s/m\n");
  const Config config(file);
  REQUIRE_FALSE(config.load_error());
  CHECK(config.get_main_option("location") == (dir.path() / "100%").string() + "/m");
}

TEST_CASE("config resolves a relative file name to an absolute, normalised here", "[config]") {
  const Config config("some/../retort.ini");
  CHECK(config.here() == fs::current_path().string());
  CHECK(config.config_file_name() == "some/../retort.ini");
}

TEST_CASE("config reads %% as a literal percent sign", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\ndiscount = 100%% off\n");
  CHECK(config.get_main_option("discount") == "100% off");
}

TEST_CASE("config reads alembic's file_template back with its %(...)s intact", "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[retort]\n"
                             "file_template = %%(rev)s_%%(slug)s\n"
                             "dated = %%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s\n");
  CHECK(config.get_main_option("file_template") == "%(rev)s_%(slug)s");
  CHECK(config.get_main_option("dated") == "%(year)d_%(month).2d_%(day).2d-%(rev)s_%(slug)s");
}

TEST_CASE("config interpolates references to keys of the same section and of [DEFAULT]",
          "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[DEFAULT]\n"
                             "base = /srv\n"
                             "driver = sqlite\n"
                             "full = %(driver)s://%(base)s/%(name)s\n"
                             "[retort]\n"
                             "name = app\n"
                             "driver = postgresql\n"
                             "url = %(driver)s://%(BASE)s/%(name)s.db\n");
  CHECK(config.get_main_option("url") == "postgresql:///srv/app.db");
  // A [DEFAULT] value is expanded with the keys of the section it is read from.
  CHECK(config.get_main_option("full") == "postgresql:///srv/app");
  CHECK(config.get_main_option("base") == "/srv");
}

TEST_CASE("config reports a reference to a missing key with the key, section and reference",
          "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\nurl = sqlite:///%(foo)s\n");
  CHECK(config.get_main_option("url") == std::nullopt);
  CHECK(config.get_main_option("url", "fallback") == "fallback");
  const auto url = config.main_option("url");
  REQUIRE_FALSE(url);
  CHECK(url.error().category() == ErrorCategory::kConfig);
  CHECK(url.error().message() ==
        "bad interpolation in key 'url' of section [retort]: no option 'foo' for '%(foo)s'");
  CHECK_FALSE(url.error().hint().empty());
}

TEST_CASE("config stops interpolating after ten levels of references", "[config]") {
  TempDir dir;
  std::string chain = "[retort]\n";
  for (int i = 1; i <= 11; ++i) {
    chain += "a" + std::to_string(i) + " = %(a" + std::to_string(i + 1) + ")s\n";
  }
  const Config config = load(dir, chain + "a12 = end\n");
  // a2 needs ten expansions (a2 ... a11), a1 eleven: ConfigParser's limit.
  CHECK(config.get_main_option("a2") == "end");
  CHECK(config.get_main_option("a1") == std::nullopt);
  CHECK(config.main_option("a1").error().message() ==
        "bad interpolation in key 'a1' of section [retort]: recursion limit exceeded, "
        "the value cannot be substituted in 10 steps");

  const Config looped = load(dir, "[retort]\nurl = x%(url)s\n");
  CHECK(looped.main_option("url").error().message() ==
        "bad interpolation in key 'url' of section [retort]: recursion limit exceeded, "
        "the value cannot be substituted in 10 steps");
}

TEST_CASE("config reports a percent sign that starts no reference", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\ndiscount = 50% off\nref = %(name)d\nend = 5%\n");
  CHECK(config.get_main_option("discount") == std::nullopt);
  CHECK(config.main_option("discount").error().message() ==
        "bad interpolation in key 'discount' of section [retort]: "
        "'%' must be followed by '%' or '(', found '% off'");
  CHECK(config.main_option("ref").error().message() ==
        "bad interpolation in key 'ref' of section [retort]: "
        "bad interpolation variable reference '%(name)d'");
  CHECK(config.main_option("end").error().message() ==
        "bad interpolation in key 'end' of section [retort]: "
        "'%' must be followed by '%' or '(', found '%'");
}

// ------------------------------------------ hostile values (issue 15, items 7, 10, 17)

TEST_CASE("config refuses an interpolation that expands past 1 MiB (billion laughs)",
          "[config][interpolation]") {
  TempDir dir;
  // Nine levels of twelve references: 12^9 copies of "x", 5e9 bytes, within
  // ConfigParser's depth limit.
  std::string ini = "[retort]\nurl = sqlite:///%(l0)s.db\n";
  for (int level = 0; level < 9; ++level) {
    ini += fmt::format("l{} =", level);
    for (int k = 0; k < 12; ++k) ini += fmt::format(" %(l{})s", level + 1);
    ini += "\n";
  }
  const Config config = load(dir, ini + "l9 = x\n");
  const auto url = config.main_option("url");
  REQUIRE_FALSE(url);
  CHECK(url.error().category() == ErrorCategory::kConfig);
  CHECK(url.error().message() ==
        "bad interpolation in key 'url' of section [retort]: the value expands to more than 1 MiB");
  CHECK(url.error().hint() ==
        "look for %(...)s references that repeat other options many times, or write the value "
        "out");
  CHECK(config.main_option("l3").error().message() ==
        "bad interpolation in key 'l3' of section [retort]: the value expands to more than 1 MiB");
  // Four levels below l5 make 12^4 x's and the spaces between them: within the cap.
  CHECK(config.main_option("l5")->size() == 12 * 12 * 12 * 12 * 2 - 1);
  // get_section skips the refused keys instead of aborting.
  const auto all = config.get_section("retort");
  CHECK_FALSE(all.contains("url"));
  CHECK(all.contains("l9"));
}

TEST_CASE("config refuses an interpolation that reads too much without writing",
          "[config][interpolation]") {
  TempDir dir;
  // The same laughs with an empty leaf: nothing is written, 12^9 references
  // are still followed.
  std::string ini = "[retort]\n";
  for (int level = 0; level < 9; ++level) {
    ini += fmt::format("l{} = ", level);
    for (int k = 0; k < 12; ++k) ini += fmt::format("%(l{})s", level + 1);
    ini += "\n";
  }
  const Config config = load(dir, ini + "l9 =\n");
  CHECK(config.main_option("l0").error().message() ==
        "bad interpolation in key 'l0' of section [retort]: expanding the value reads more than "
        "16 MiB of option values");
}

TEST_CASE("config interpolation errors never quote a password", "[config][interpolation]") {
  TempDir dir;
  // A percent-encoded password whose % was not doubled for the ini file.
  const Config config = load(dir,
                             "[retort]\n"
                             "url = postgresql://u:pw%40Secret9@127.0.0.1:1/db\n"
                             "sqlalchemy.url = postgresql://u:pw%(nope)sSecret9@h/db\n"
                             "pw = s3%40cret\n"
                             "nested_url = postgresql://u:%(pw)s@h/db\n"
                             "other = mssql:///?odbc_connect=PWD%3Ds3cret\n");
  const auto url = config.main_option("url");
  REQUIRE_FALSE(url);
  CHECK(url.error().message() ==
        "bad interpolation in key 'url' of section [retort]: '%' must be followed by '%' or '(' "
        "in 'postgresql://u:***@127.0.0.1:1/db'");
  CHECK(url.error().hint() ==
        "write a literal '%' as '%%'; in a url, double each '%' of a percent-encoded password "
        "too (%%40)");
  CHECK(config.main_option("sqlalchemy.url").error().message() ==
        "bad interpolation in key 'sqlalchemy.url' of section [retort]: a %(...)s reference "
        "names no option in 'postgresql://u:***@h/db'");
  CHECK(config.main_option("nested_url").error().message() ==
        "bad interpolation in key 'nested_url' of section [retort]: '%' must be followed by '%' "
        "or '(' in 'postgresql://u:***@h/db'");
  CHECK(config.main_option("other").error().message() ==
        "bad interpolation in key 'other' of section [retort]: '%' must be followed by '%' or "
        "'(' in 'mssql:///?odbc_connect=PWD=***'");
  for (const char* key : {"url", "sqlalchemy.url", "nested_url", "other"}) {
    const Error err = config.main_option(key).error();
    INFO(key);
    CHECK(err.message().find("ecret") == std::string::npos);
    CHECK(err.hint().find("ecret") == std::string::npos);
  }
  // A value with no password is quoted from the bad '%' on, as before.
  CHECK(load(dir, "[retort]\nurl = sqlite:///x%.db\n").main_option("url").error().message() ==
        "bad interpolation in key 'url' of section [retort]: '%' must be followed by '%' or '(', "
        "found '%.db'");
}

TEST_CASE("config errors quote at most a few hundred bytes of a value", "[config][interpolation]") {
  TempDir dir;
  const std::string huge(10 << 20, 'x');
  const Config config = load(dir, "[retort]\nurl = postgresql://u:pw%40x@h/" + huge +
                                      "\nbig = " + huge + "%(nope)s\nlong = %(" + huge +
                                      ")s\nbad = " + huge + "%\nplain = " + huge + "%%\n");
  // The 1 MiB cap is on expansion: a value as long as written is kept.
  CHECK(config.main_option("plain")->size() == huge.size() + 1);
  for (const char* key : {"url", "big", "long", "bad"}) {
    const Error err = config.main_option(key).error();
    INFO(key << ": " << err.message().substr(0, 300));
    REQUIRE(err);
    CHECK(err.message().size() < 600);  // two quotes of at most 203 bytes
    CHECK(err.hint().size() < 600);
  }
  CHECK(config.main_option("url").error().message() ==
        "bad interpolation in key 'url' of section [retort]: '%' must be followed by '%' or '(' "
        "in 'postgresql://u:***@h/" +
            std::string(179, 'x') + "...'");
  CHECK(config.main_option("long").error().message() ==
        "bad interpolation in key 'long' of section [retort]: no option '" + std::string(200, 'x') +
            "...' for '%(" + std::string(198, 'x') + "...'");
  const std::string file = (dir.path() / "retort.ini").string();
  CHECK(load_failure(dir, "url = sqlite:///" + huge + "\n[retort]\n") ==
        "config file '" + file + "' contains no section header before line 1: 'url = sqlite:///" +
            std::string(184, 'x') + "...'");
  // Nor a password, nor a control character.
  CHECK(load_failure(dir, "url = postgresql://u:s3cret@h/db\x01\n") ==
        "config file '" + file +
            "' contains no section header before line 1: 'url = postgresql://u:***@h/db\\x01'");
}

TEST_CASE("config keys are case-insensitive and listed in lower case", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\nScript_Location = migrations\n");
  CHECK(config.get_main_option("script_location") == "migrations");
  CHECK(config.get_main_option("SCRIPT_LOCATION") == "migrations");
  CHECK(config.get_section("retort").count("script_location") == 1);
}

TEST_CASE("config ignores # and semicolon comment lines and even a commented-out option",
          "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "\xEF\xBB\xBF# retort configuration, with a byte order mark\r\n"
                             "[retort]\r\n"
                             "; the scripts\r\n"
                             "script_location = migrations\r\n"
                             "# url = sqlite:///old.db\r\n"
                             "    # an indented comment\r\n"
                             "level = 2 # not a comment\r\n");
  CHECK(config.get_main_option("url") == std::nullopt);
  CHECK(config.get_main_option("# url") == std::nullopt);
  CHECK(config.get_main_option("script_location") == "migrations");
  CHECK(config.get_main_option("level") == "2 # not a comment");
  const std::map<std::string, std::string> expected = {{"here", dir.path().string()},
                                                       {"level", "2 # not a comment"},
                                                       {"script_location", "migrations"}};
  CHECK(config.get_section("retort") == expected);
}

TEST_CASE("config joins continuation lines with a single space", "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[retort]\n"
                             "version_locations = one\n"
                             "    two\n"
                             "\n"
                             "# a comment inside the value\n"
                             "    three\n"
                             "hooks =\n"
                             "  black\n"
                             "  ruff\n"
                             "after = yes\n");
  CHECK(config.get_main_option("version_locations") == "one two three");
  CHECK(config.get_main_option("hooks") == "black ruff");
  CHECK(config.get_main_option("after") == "yes");
}

TEST_CASE("config accepts key: value as well as key = value", "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[retort]\n"
                             "script_location: migrations\n"
                             "url: postgresql://user:secret@host/db\n"
                             "sqlalchemy.url = driver://user:pass@localhost/dbname\n"
                             "ratio = 1:2\n");
  CHECK(config.get_main_option("script_location") == "migrations");
  CHECK(config.get_main_option("url") == "postgresql://user:secret@host/db");
  CHECK(config.get_main_option("sqlalchemy.url") == "driver://user:pass@localhost/dbname");
  CHECK(config.get_main_option("ratio") == "1:2");
}

TEST_CASE("config leaves ${...} alone as ConfigParser does", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\nhome = ${HOME}\nself = ${retort.home}\n");
  CHECK(config.get_main_option("home") == "${HOME}");
  CHECK(config.get_main_option("self") == "${retort.home}");
}

TEST_CASE("config reads an option whose name starts with a bracket as ConfigParser does",
          "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\n[odd = 1\nafter = 2\n");
  REQUIRE_FALSE(config.load_error());
  CHECK(config.get_main_option("[odd") == "1");
  CHECK(config.get_main_option("after") == "2");
  CHECK(config.sections() == std::vector<std::string>{"retort"});
}

TEST_CASE("config keeps dotted keys apart from dotted section names", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[a]\nb.c = in a\n[a.b]\nc = in a.b\n[A]\nb.c = in A\n");
  CHECK(config.get_section_option("a", "b.c") == "in a");
  CHECK(config.get_section_option("a.b", "c") == "in a.b");
  CHECK(config.get_section_option("A", "b.c") == "in A");
}

TEST_CASE("config reads another section when one is named, as -n does", "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[retort]\nurl = sqlite:///main.db\n"
                             "[reporting]\nurl = sqlite:///%(name)s.db\nname = reports\n",
                             "reporting");
  CHECK(config.config_ini_section() == "reporting");
  CHECK(config.get_main_option("url") == "sqlite:///reports.db");
  CHECK(config.get_section_option("retort", "url") == "sqlite:///main.db");
  CHECK(config.get_section_option("missing", "url") == std::nullopt);
}

TEST_CASE("config lists sections in file order, without [DEFAULT]", "[config]") {
  TempDir dir;
  Config config = load(dir, "[zeta]\n[DEFAULT]\nx = 1\n[alpha]\n[retort]\n");
  CHECK(config.sections() == std::vector<std::string>{"zeta", "alpha", "retort"});
  config.set_section_option("added", "k", "v");
  CHECK(config.sections() == std::vector<std::string>{"zeta", "alpha", "retort", "added"});
}

TEST_CASE("config stores set options raw, so %% reads back as %", "[config]") {
  Config config;
  config.set_main_option("pct", "100%%");
  config.set_main_option("Location", "%(here)s/migrations");
  config.set_main_option("bad", "50%");
  CHECK(config.get_main_option("pct") == "100%");
  CHECK(config.get_main_option("location") == fs::current_path().string() + "/migrations");
  CHECK(config.get_main_option("bad") == std::nullopt);

  config.set_section_option("post_write_hooks", "hooks", "fmt");
  CHECK(config.get_section_option("post_write_hooks", "HOOKS") == "fmt");
}

TEST_CASE("config get_section returns every key with [DEFAULT]'s and here", "[config]") {
  TempDir dir;
  const Config config = load(dir,
                             "[DEFAULT]\nshared = s\n"
                             "[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
                             "broken = %(nope)s\n"
                             "[retort]\n");
  const std::map<std::string, std::string> expected = {{"black.type", "console_scripts"},
                                                       {"here", dir.path().string()},
                                                       {"hooks", "black"},
                                                       {"shared", "s"}};
  CHECK(config.get_section("post_write_hooks") == expected);
  CHECK(config.get_section("absent").empty());
}

TEST_CASE("an empty config has its main section and the current directory as here", "[config]") {
  const Config config;
  CHECK(config.config_file_name().empty());
  CHECK(config.config_ini_section() == "retort");
  CHECK(config.sections() == std::vector<std::string>{"retort"});
  CHECK(config.here() == fs::current_path().string());
  CHECK(config.get_main_option("here") == fs::current_path().string());
  CHECK(config.main_option("url").error().message() ==
        "no 'url' key found in section [retort] of the configuration");
}

TEST_CASE("config reports a missing section or key by name", "[config]") {
  TempDir dir;
  const Config config = load(dir, "[retort]\n", "other");
  const std::string file = (dir.path() / "retort.ini").string();
  CHECK(config.main_option("url").error().message() ==
        "config file '" + file + "' has no [other] section");
  CHECK(config.get_main_option("here") == std::nullopt);

  const Config main = load(dir, "[retort]\n");
  CHECK(main.main_option("url").error().message() ==
        "no 'url' key found in section [retort] of config file '" + file + "'");
}

TEST_CASE("config reports a missing file with a hint", "[config]") {
  TempDir dir;
  const std::string file = (dir.path() / "retort.ini").string();
  const Config config(file);
  REQUIRE(config.load_error());
  CHECK(config.load_error().category() == ErrorCategory::kIo);
  CHECK(config.load_error().message() == "config file '" + file + "' not found");
  CHECK(config.load_error().hint() == "run 'retort init DIR' to create one, or pass -c FILE");
  CHECK(config.main_option("url").error().message() == config.load_error().message());

  const auto loaded = Config::from_file(file);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().message() == "config file '" + file + "' not found");
}

TEST_CASE("config reports syntax errors with the file and line", "[config]") {
  TempDir dir;
  const std::string file = (dir.path() / "retort.ini").string();
  CHECK(load_failure(dir, "# header\nurl = x\n") ==
        "config file '" + file + "' contains no section header before line 2: 'url = x'");
  CHECK(load_failure(dir, "[retort]\nurl = x\n[retort]\n") ==
        "config file '" + file + "', line 3: section [retort] already exists");
  CHECK(load_failure(dir, "[retort]\nurl = x\nURL = y\n") ==
        "config file '" + file + "', line 3: option 'url' in section [retort] already exists");
  CHECK(load_failure(dir, "[retort]\njust some words\n") ==
        "config file '" + file + "', line 2: cannot parse 'just some words'");
  CHECK(load_failure(dir, "[retort]\n= value\n") ==
        "config file '" + file + "', line 2: option without a name: '= value'");
  // [DEFAULT] may be opened again, as in ConfigParser.
  const Config config = load(dir, "[DEFAULT]\na = 1\n[retort]\n[DEFAULT]\nb = 2\n");
  CHECK(config.get_main_option("b") == "2");
}

TEST_CASE("config keeps -x arguments for the environment", "[config]") {
  Config config;
  CHECK(config.x_arguments().empty());
  config.set_x_argument("tenant", "acme");
  config.set_x_argument("dry", "");
  const std::map<std::string, std::string> expected = {{"dry", ""}, {"tenant", "acme"}};
  CHECK(config.x_arguments() == expected);
}

TEST_CASE("default_config_file reads RETORT_CONFIG when it is set", "[config]") {
  const char* saved = std::getenv("RETORT_CONFIG");
  const std::optional<std::string> previous =
      saved ? std::optional<std::string>(saved) : std::nullopt;

  unsetenv("RETORT_CONFIG");
  CHECK(retort::default_config_file() == "retort.ini");
  setenv("RETORT_CONFIG", "", 1);
  CHECK(retort::default_config_file() == "retort.ini");
  setenv("RETORT_CONFIG", "/etc/app/migrations.ini", 1);
  CHECK(retort::default_config_file() == "/etc/app/migrations.ini");

  if (previous) {
    setenv("RETORT_CONFIG", previous->c_str(), 1);
  } else {
    unsetenv("RETORT_CONFIG");
  }
}

TEST_CASE("config writes its output to the stream it is given", "[config]") {
  Config config;
  CHECK(&config.output() == &std::cout);
  std::ostringstream captured;
  config.set_output(captured);
  config.output() << "Generating migrations/abc_first.cpp";
  CHECK(captured.str() == "Generating migrations/abc_first.cpp");
}

TEST_CASE("config substitutes config_args beside here as ConfigParser defaults", "[config]") {
  TempDir dir;
  const std::string file = dir.write("retort.ini",
                                     "[DEFAULT]\n"
                                     "tenant = from_file\n"
                                     "[retort]\n"
                                     "url = sqlite:///%(here)s/%(db_name)s.db\n"
                                     "who = %(tenant)s\n"
                                     "[other]\n"
                                     "path = %(db_name)s-%(here)s\n");
  auto config = Config::from_file(file, "retort",
                                  {{"DB_Name", "app_%%1"}, {"tenant", "from_args"}, {"here", "x"}});
  INFO(config.error().message());
  REQUIRE(config);
  CHECK(config->get_main_option("url") == "sqlite:///" + dir.path().string() + "/app_%1.db");
  // A key of the file wins over an argument of the same name; here is the file's.
  CHECK(config->get_main_option("who") == "from_file");
  CHECK(config->get_section_option("other", "path") == "app_%1-" + dir.path().string());
  CHECK(config->get_section("other").at("db_name") == "app_%1");
  CHECK(config->config_args().at("DB_Name") == "app_%%1");
}

TEST_CASE("a config made in code takes config_args too", "[config]") {
  Config config(Config::ConfigArgs{{"db", "/srv/app.db"}});
  config.set_main_option("url", "sqlite:///%(db)s");
  CHECK(config.get_main_option("url") == "sqlite:////srv/app.db");
}

TEST_CASE("config attributes hold typed values and the application's connection", "[config]") {
  Config config;
  CHECK(config.attributes().connection() == nullptr);
  int handle_storage = 0;
  config.attributes().set_connection(&handle_storage);
  CHECK(config.attributes().connection() == &handle_storage);
  config.attributes().set("tenant", 42);
  config.attributes().set("name", std::string("acme"));
  const Config& read = config;
  REQUIRE(read.attributes().get<int>("tenant") != nullptr);
  CHECK(*read.attributes().get<int>("tenant") == 42);
  // The wrong type, or an absent key, reads as nullptr.
  CHECK(read.attributes().get<long>("tenant") == nullptr);
  CHECK(read.attributes().get<int>("absent") == nullptr);
  CHECK(*read.attributes().get<std::string>("name") == "acme");
  config.attributes().erase(retort::Attributes::kConnection);
  CHECK_FALSE(read.attributes().contains("connection"));
}

TEST_CASE("offline sql goes to output_buffer which defaults to the output", "[config]") {
  Config config;
  std::ostringstream out, sql;
  config.set_output(out);
  CHECK(&config.output_buffer() == &out);
  config.set_output_buffer(sql);
  CHECK(&config.output_buffer() == &sql);
  CHECK(&config.output() == &out);
}

TEST_CASE("config marks an x argument read when get_x_argument returns it", "[config]") {
  Config config;
  config.set_x_argument("url", "sqlite:///other.db");
  config.set_x_argument("tenant", "acme");
  CHECK(config.unread_x_arguments() == std::vector<std::string>{"tenant", "url"});
  CHECK(config.get_x_argument("url") == "sqlite:///other.db");
  CHECK_FALSE(config.get_x_argument("absent"));
  CHECK(config.unread_x_arguments() == std::vector<std::string>{"tenant"});
  // Reading the whole map marks nothing.
  CHECK(config.x_arguments().size() == 2);
  CHECK(config.unread_x_arguments() == std::vector<std::string>{"tenant"});
}
