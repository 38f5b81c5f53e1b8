// The module builder driven by a fake compiler (Toolchain::run): which
// compiler runs it makes, with which inputs and flags, what it does with
// their outputs and failures, and what it prints. No real compiler runs; the
// builds of real modules are in tests/e2e (modules_test.cpp, deploy_test.cpp).
#include "script/module_builder.hpp"
#include "util/log_scope.hpp"

#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;
using Lines = std::vector<std::string>;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// What the fake compiler was asked to do, with the sources it saw: the
// input itself, or for a batch the sources its translation unit includes.
struct Recorded {
  CompilerRun run;
  Lines sources;  // file names
  std::string text;
};

// A compiler that compiles nothing: it records each run and writes its
// output, or fails the way a compiler does when a source it sees is broken,
// its diagnostic naming the file and line.
class FakeCompiler {
 public:
  std::set<std::string> broken;  // file names of sources that do not compile
  bool pch_fails = false;

  CompilerOutput operator()(const CompilerRun& run) {
    Recorded r{run, {}, read(run.input)};
    if (r.text.starts_with("// Written by retort")) {
      static const std::regex quoted("#include \"([^\"]+)\"");
      for (auto it = std::sregex_iterator(r.text.begin(), r.text.end(), quoted);
           it != std::sregex_iterator(); ++it) {
        r.sources.push_back(fs::path((*it)[1].str()).filename().string());
      }
    } else if (!run.header) {
      r.sources.push_back(fs::path(run.input).filename().string());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    runs_.push_back(r);
    if (run.header && pch_fails) return {1, "retort_sdk.hpp:1:10: fatal error: no space left\n"};
    for (const std::string& s : r.sources) {
      if (broken.count(s) != 0) {
        return {1, fs::path(run.input).parent_path().string() + "/" + s +
                       ":3:5: error: 'oops' was not declared in this scope\n"};
      }
    }
    write(run.output, "module of " + std::to_string(r.sources.size()) + " sources\n");
    return {0, ""};
  }

  std::vector<Recorded> runs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return runs_;
  }
  // The runs that compiled modules, the PCH left out.
  std::vector<Recorded> module_runs() {
    std::vector<Recorded> out;
    for (const Recorded& r : runs())
      if (!r.run.header) out.push_back(r);
    return out;
  }
  size_t pch_runs() { return runs().size() - module_runs().size(); }
  void forget() {
    std::lock_guard<std::mutex> lock(mutex_);
    runs_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<Recorded> runs_;
};

// A version location in a temporary folder, a fake SDK beside it, and a
// fake compiler; sources are written on demand.
struct Location {
  Location() {
    std::random_device rd;
    root = fs::temp_directory_path() / ("retort-builder-" + std::to_string(rd()));
    dir = root / "versions";
    fs::create_directories(dir);
    write(root / "sdk" / "retort" / "revision.hpp", "// the SDK, version 1\n");
    toolchain.compiler = "fake-c++";
    toolchain.sdk_include = (root / "sdk").string();
    toolchain.jobs = 1;
    toolchain.run = [this](const CompilerRun& run) { return compiler(run); };
  }
  ~Location() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  // A revision source that only includes headers, which can be batched.
  std::string plain(const std::string& name) {
    return source(name, "#include <retort/revision.hpp>\n#include <vector>\n\nint " +
                            fs::path(name).stem().string() + "() { return 1; }\n");
  }
  std::string source(const std::string& name, const std::string& text) {
    write(dir / name, text);
    return (dir / name).string();
  }

  Expected<std::vector<BuildUnit>> build(const Lines& sources) {
    progress.str("");
    return build_units(dir.string(), sources, toolchain, progress);
  }
  // As build(), which must succeed.
  std::vector<BuildUnit> built(const Lines& sources) {
    auto units = build(sources);
    INFO(units.error().message());
    REQUIRE(units);
    return *units;
  }

  fs::path units_dir() const { return dir / "build" / ".retort" / "units"; }
  fs::path pch_dir() const { return dir / "build" / ".retort" / "pch"; }
  Lines unit_files() const {
    Lines names;
    for (const auto& entry : fs::directory_iterator(units_dir()))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root;
  fs::path dir;
  FakeCompiler compiler;
  Toolchain toolchain;
  std::ostringstream progress;
};

// A file's modification time as module_time gives a module's.
int64_t mtime_ns(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

Lines sources_of(const std::vector<Recorded>& runs) {
  Lines out;
  for (const Recorded& r : runs) {
    std::string joined;
    for (const std::string& s : r.sources) joined += (joined.empty() ? "" : " ") + s;
    out.push_back(joined);
  }
  return out;
}

Lines names(const BuildUnit& unit) {
  Lines out;
  for (const std::string& s : unit.sources) out.push_back(fs::path(s).filename().string());
  return out;
}

}  // namespace

TEST_CASE("sources that only include headers compile in batches of at most the batch size",
          "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 2;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp"})
    sources.push_back(loc.plain(name));
  auto units = loc.built(sources);
  // Three batches for five sources, the sizes evened out: a lone one first.
  CHECK(sources_of(loc.compiler.module_runs()) == Lines{"a.cpp", "b.cpp c.cpp", "d.cpp e.cpp"});
  REQUIRE(units.size() == 3);
  CHECK(fs::path(units[0].module).filename() == "a.so");
  CHECK(names(units[1]) == Lines{"b.cpp", "c.cpp"});
  CHECK_THAT(fs::path(units[1].module).filename().string(), Catch::StartsWith("batch-"));
  // Each unit's list names its sources, one file name a line.
  fs::path list = units[2].module;
  CHECK(read(list.replace_extension(".list")) == "d.cpp\ne.cpp\n");
}

TEST_CASE("a batch is one translation unit that includes each source in a namespace of its own",
          "[module_builder]") {
  Location loc;
  const std::string a = loc.plain("a.cpp");
  const std::string b = loc.plain("b.cpp");
  loc.built({a, b});
  auto runs = loc.compiler.module_runs();
  REQUIRE(runs.size() == 1);
  const std::string& text = runs[0].text;
  CHECK_THAT(text, Catch::Contains("#include <retort/revision.hpp>\n#include <vector>\n"));
  CHECK_THAT(text, Catch::Contains("namespace retort_unit_0 {\n#include \"" + a + "\"\n}\n"));
  CHECK_THAT(text, Catch::Contains("namespace retort_unit_1 {\n#include \"" + b + "\"\n}\n"));
  // The headers the sources share are hoisted once.
  CHECK(text.find("#include <vector>") == text.rfind("#include <vector>"));
  // The translation unit is gone once compiled.
  CHECK_FALSE(fs::exists(runs[0].run.input));
}

TEST_CASE("a source with a define or a conditional or a quoted include compiles alone",
          "[module_builder]") {
  Location loc;
  const Lines sources{
      loc.plain("a.cpp"),
      loc.plain("b.cpp"),
      loc.source("c.cpp", "#include <retort/revision.hpp>\n#define TABLE \"t\"\n"),
      loc.source("d.cpp", "#if 1\n#include <retort/revision.hpp>\n#endif\n"),
      loc.source("e.cpp", "#pragma once\n#include \"shared.hpp\"\n"),
  };
  auto units = loc.built(sources);
  auto runs = loc.compiler.module_runs();
  CHECK(sources_of(runs) == Lines{"c.cpp", "d.cpp", "e.cpp", "a.cpp b.cpp"});
  // Compiled as they are, not through a translation unit of retort's.
  CHECK(runs[0].run.input == sources[2]);
  CHECK(units.size() == 4);
}

TEST_CASE("a batch size of one compiles every source alone", "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  loc.built({loc.plain("a.cpp"), loc.plain("b.cpp")});
  CHECK(sources_of(loc.compiler.module_runs()) == Lines{"a.cpp", "b.cpp"});
}

TEST_CASE("the sources are split into at least one batch per compiler job", "[module_builder]") {
  Location loc;
  loc.toolchain.jobs = 2;
  auto units =
      loc.built({loc.plain("a.cpp"), loc.plain("b.cpp"), loc.plain("c.cpp"), loc.plain("d.cpp")});
  Lines runs = sources_of(loc.compiler.module_runs());
  std::sort(runs.begin(), runs.end());
  CHECK(runs == Lines{"a.cpp b.cpp", "c.cpp d.cpp"});
  CHECK(units.size() == 2);
}

TEST_CASE(
    "a failing batch is compiled again one source at a time and the error names the broken one",
    "[module_builder]") {
  Location loc;
  loc.compiler.broken = {"b.cpp"};
  std::vector<std::string> logged;
  LogScope scope(LogSink([&](LogLevel, std::string_view text) { logged.emplace_back(text); }));
  const std::string b = loc.plain("b.cpp");
  auto units = loc.build({loc.plain("a.cpp"), b, loc.plain("c.cpp")});
  REQUIRE_FALSE(units);
  CHECK(units.error().category() == ErrorCategory::kBuild);
  CHECK(units.error().message() ==
        "cannot build revision '" + b + "': the compiler exited with status 1");
  CHECK(units.error().hint() == "fix the compiler errors shown above and run the command again");
  // The batch, then every one of its sources alone.
  CHECK(sources_of(loc.compiler.module_runs()) ==
        Lines{"a.cpp b.cpp c.cpp", "a.cpp", "b.cpp", "c.cpp"});
  // The compiler's diagnostic of the lone source, with its line, is logged.
  REQUIRE(logged.size() == 1);
  CHECK(logged[0] == b + ":3:5: error: 'oops' was not declared in this scope");
  // What compiled is kept; the failures leave no module and no temporary file.
  CHECK(loc.unit_files() == Lines{"a.list", "a.so", "c.list", "c.so"});
  CHECK(loc.progress.str().find("revision sources into") == std::string::npos);
}

TEST_CASE("every broken source is named with the compiler's output of each", "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 4;
  loc.compiler.broken = {"b.cpp", "d.cpp", "f.cpp"};
  std::vector<std::string> logged;
  LogScope scope(LogSink([&](LogLevel, std::string_view text) { logged.emplace_back(text); }));
  // One batch with two broken sources, and a broken source that compiles
  // alone (it defines a macro).
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp"}) sources.push_back(loc.plain(name));
  sources.push_back(loc.source("f.cpp", "#define F 1\n#include <retort/revision.hpp>\n"));
  auto units = loc.build(sources);
  REQUIRE_FALSE(units);
  CHECK(units.error().message() == "cannot build 3 revisions: the compiler failed on '" +
                                       sources[1] + "', '" + sources[3] + "', '" + sources[4] +
                                       "'");
  CHECK(logged.size() == 3);
  CHECK(loc.unit_files() == Lines{"a.list", "a.so", "c.list", "c.so"});
}

TEST_CASE("a module is written under a temporary name and renamed into place", "[module_builder]") {
  Location loc;
  auto units = loc.built({loc.plain("a.cpp")});
  auto runs = loc.compiler.module_runs();
  REQUIRE(runs.size() == 1);
  REQUIRE(units.size() == 1);
  const std::string module = (loc.units_dir() / "a.so").string();
  CHECK(units[0].module == module);
  CHECK_THAT(runs[0].run.output, Catch::StartsWith(module + ".tmp."));
  CHECK(read(module) == "module of 1 sources\n");
  CHECK(loc.unit_files() == Lines{"a.list", "a.so"});
  // Linked with only the entry point exported.
  CHECK_THAT(runs[0].run.flags, Catch::Contains("-shared -Wl,--version-script="));
  CHECK(read(loc.dir / "build" / ".retort" / "exports.map") ==
        "{ global: retort_plugin_entry; local: *; };\n");
}

TEST_CASE("fewer than six compiler runs compile without a precompiled sdk", "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp"})
    sources.push_back(loc.plain(name));
  loc.built(sources);
  CHECK(loc.compiler.pch_runs() == 0);
  for (const Recorded& r : loc.compiler.module_runs())
    CHECK(r.run.flags.find("-include") == std::string::npos);
  CHECK_FALSE(fs::exists(loc.pch_dir()));
}

TEST_CASE("six compiler runs build the precompiled sdk first and every compile includes it",
          "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp", "f.cpp"})
    sources.push_back(loc.plain(name));
  loc.built(sources);
  auto runs = loc.compiler.runs();
  REQUIRE(runs.size() == 7);
  REQUIRE(runs[0].run.header);
  const std::string header = runs[0].run.input;
  CHECK(fs::path(header).filename() == "retort_sdk.hpp");
  CHECK(fs::path(header).parent_path().parent_path() == loc.pch_dir());
  CHECK_THAT(runs[0].run.flags, Catch::EndsWith("-x c++-header"));
  CHECK(fs::exists(header + ".gch"));
  for (size_t i = 1; i < runs.size(); ++i)
    CHECK_THAT(runs[i].run.flags, Catch::EndsWith("-include '" + header + "'"));
}

TEST_CASE("a precompiled sdk once built serves later builds of the same compiler and sdk",
          "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp", "f.cpp"})
    sources.push_back(loc.plain(name));
  loc.built(sources);
  const std::string header = loc.compiler.runs()[0].run.input;
  loc.compiler.forget();

  // One edited source: no new PCH, the old one included.
  loc.built({loc.plain("c.cpp")});
  auto runs = loc.compiler.runs();
  REQUIRE(runs.size() == 1);
  CHECK_FALSE(runs[0].run.header);
  CHECK_THAT(runs[0].run.flags, Catch::EndsWith("-include '" + header + "'"));
}

TEST_CASE("a precompiled sdk is built again for another sdk or compiler and the old one removed",
          "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp", "f.cpp"})
    sources.push_back(loc.plain(name));
  loc.built(sources);
  const fs::path first = fs::path(loc.compiler.runs()[0].run.input).parent_path();

  write(loc.root / "sdk" / "retort" / "revision.hpp", "// the SDK, version 2\n");
  loc.compiler.forget();
  loc.built({sources[0]});
  auto runs = loc.compiler.runs();
  REQUIRE(runs.size() == 2);
  REQUIRE(runs[0].run.header);
  const fs::path second = fs::path(runs[0].run.input).parent_path();
  CHECK(second != first);
  CHECK_FALSE(fs::exists(first));

  loc.toolchain.compiler = "other-c++";
  loc.compiler.forget();
  loc.built({sources[0]});
  runs = loc.compiler.runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].run.header);
  CHECK(runs[0].run.compiler == "other-c++");
  CHECK(fs::path(runs[0].run.input).parent_path() != second);
  CHECK_FALSE(fs::exists(second));
}

TEST_CASE("a precompiled sdk that fails to build leaves the sources compiling without it",
          "[module_builder]") {
  Location loc;
  loc.toolchain.batch_size = 1;
  loc.compiler.pch_fails = true;
  Lines sources;
  for (const char* name : {"a.cpp", "b.cpp", "c.cpp", "d.cpp", "e.cpp", "f.cpp"})
    sources.push_back(loc.plain(name));
  auto units = loc.built(sources);
  CHECK(units.size() == 6);
  CHECK(loc.compiler.pch_runs() == 1);
  for (const Recorded& r : loc.compiler.module_runs())
    CHECK(r.run.flags.find("-include") == std::string::npos);
}

TEST_CASE("a unit serves the sources it lists that are not newer than its module",
          "[module_builder]") {
  Location loc;
  const Lines sources{loc.plain("a.cpp"), loc.plain("b.cpp"), loc.plain("c.cpp"),
                      loc.plain("d.cpp")};
  auto batch = loc.built({sources[0], sources[1], sources[2], sources[3]});
  REQUIRE(batch.size() == 1);
  const int64_t built_at = module_time(batch[0]);
  REQUIRE(built_at > 0);
  const std::string fresh = (loc.dir / "new.cpp").string();  // the map holds views of paths
  SourceTimes unserved{
      {sources[0], built_at - 1},  // older: served
      {sources[1], built_at + 1},  // edited since: stale
      {sources[2], built_at},      // as old as the module: served
      // d.cpp is not asked for (another module provides it): not served
      {fresh, 0},  // in no unit: stale
  };
  auto serving = serving_units(loc.dir.string(), unserved);
  REQUIRE(serving.size() == 1);
  CHECK(serving[0].unit.module == batch[0].module);
  CHECK(serving[0].unit.sources == sources);
  CHECK(serving[0].current == Lines{sources[0], sources[2]});
  CHECK(unserved == SourceTimes{{sources[1], built_at + 1}, {fresh, 0}});
}

TEST_CASE("a source two units list is served by the first in module order", "[module_builder]") {
  Location loc;
  for (const char* unit : {"one", "two"}) {
    write(loc.units_dir() / (std::string(unit) + ".so"), "");
    write(loc.units_dir() / (std::string(unit) + ".list"), "a.cpp\n");
  }
  const std::string a = (loc.dir / "a.cpp").string();
  SourceTimes unserved{{a, 0}};
  auto serving = serving_units(loc.dir.string(), unserved);
  REQUIRE(serving.size() == 2);
  CHECK(serving[0].current == Lines{a});
  CHECK(serving[1].current.empty());
  CHECK(unserved.empty());
}

TEST_CASE("one edited source of a batch compiles alone into a unit named after it",
          "[module_builder]") {
  Location loc;
  const Lines sources{loc.plain("a.cpp"), loc.plain("b.cpp"), loc.plain("c.cpp")};
  auto batch = loc.built(sources);
  REQUIRE(batch.size() == 1);
  loc.compiler.forget();

  // b.cpp edited after the build: the only stale source.
  fs::last_write_time(sources[1], fs::last_write_time(batch[0].module) + std::chrono::seconds(1));
  SourceTimes unserved;
  for (const std::string& s : sources) unserved.emplace(s, mtime_ns(s));
  serving_units(loc.dir.string(), unserved);
  REQUIRE(unserved.size() == 1);
  CHECK(unserved.begin()->first == sources[1]);

  auto units = loc.built({sources[1]});
  CHECK(sources_of(loc.compiler.module_runs()) == Lines{"b.cpp"});
  REQUIRE(units.size() == 1);
  CHECK(units[0].module == (loc.units_dir() / "b.so").string());
  // The batch, recorded for the sources it still serves, and the new unit.
  REQUIRE_FALSE(record_unit({batch[0].module, {sources[0], sources[2]}}));
  auto read_back = read_units(loc.dir.string());
  REQUIRE(read_back.size() == 2);
  CHECK(read_back[0].module == (loc.units_dir() / "b.so").string());
  CHECK(read_back[1].module == batch[0].module);
  CHECK(read_back[1].sources == Lines{sources[0], sources[2]});
}

TEST_CASE("a unit whose module or list is missing is not read back", "[module_builder]") {
  Location loc;
  write(loc.units_dir() / "listed.so", "");
  write(loc.units_dir() / "listed.list", "b.cpp\na.cpp\n");
  write(loc.units_dir() / "no_module.list", "c.cpp\n");
  write(loc.units_dir() / "no_list.so", "");
  write(loc.units_dir() / "empty.so", "");
  write(loc.units_dir() / "empty.list", "\n");
  auto units = read_units(loc.dir.string());
  REQUIRE(units.size() == 1);
  CHECK(units[0].module == (loc.units_dir() / "listed.so").string());
  // Absolute paths, sorted.
  CHECK(units[0].sources == Lines{(loc.dir / "a.cpp").string(), (loc.dir / "b.cpp").string()});

  remove_unit(units[0]);
  CHECK(read_units(loc.dir.string()).empty());
  CHECK_FALSE(fs::exists(loc.units_dir() / "listed.list"));
}

TEST_CASE("a unit's module time is its modification time in nanoseconds or -1 when missing",
          "[module_builder]") {
  Location loc;
  BuildUnit unit{(loc.units_dir() / "a.so").string(), {}};
  CHECK(module_time(unit) == -1);
  write(unit.module, "");
  const auto when = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(unit.module, when);
  // file_time_type counts from its own epoch; compare against another file.
  write(loc.root / "probe", "");
  fs::last_write_time(loc.root / "probe", when + std::chrono::nanoseconds(1500));
  BuildUnit probe{(loc.root / "probe").string(), {}};
  CHECK(module_time(probe) - module_time(unit) == 1500);
}

TEST_CASE("progress names each lone source and counts batches then gives the final count",
          "[module_builder]") {
  Location loc;
  const std::string lone = loc.source("c.cpp", "#define X 1\n");
  loc.built({loc.plain("a.cpp"), loc.plain("b.cpp"), lone});
  std::istringstream lines(loc.progress.str());
  std::string first, second, last, extra;
  std::getline(lines, first);
  std::getline(lines, second);
  std::getline(lines, last);
  CHECK(first == "compiled " + lone);
  CHECK(second == "compiled 3/3");
  CHECK_THAT(last, Catch::Matches(R"(compiled 3 revision sources into 2 modules in \d+\.\d s)"));
  CHECK_FALSE(std::getline(lines, extra));
}

TEST_CASE("one source gives the final count in the singular", "[module_builder]") {
  Location loc;
  loc.built({loc.plain("a.cpp")});
  CHECK_THAT(loc.progress.str(),
             Catch::Matches(
                 R"(compiled [^\n]+\ncompiled 1 revision source into 1 module in \d+\.\d s\n)"));
}

TEST_CASE("nothing to compile runs no compiler and prints nothing", "[module_builder]") {
  Location loc;
  CHECK(loc.built({}).empty());
  CHECK(loc.compiler.runs().empty());
  CHECK(loc.progress.str().empty());
  CHECK_FALSE(fs::exists(loc.units_dir()));
}

// The default Toolchain::run, with printf standing in for the compiler: the
// command it runs, and a failing one's status and output.
TEST_CASE("the real compiler run is one shell command whose output is its log",
          "[module_builder]") {
  Location loc;
  const std::string out = (loc.dir / "it's.so.tmp").string();
  CompilerOutput ran =
      run_compiler({"printf '%s\\n'", "-shared -I'/sdk dir'", "/src/a b.cpp", out});
  CHECK(ran.status == 0);
  CHECK(ran.log == "-shared\n-I/sdk dir\n-o\n" + out + "\n/src/a b.cpp\n");
  CHECK_FALSE(fs::exists(out + ".log"));

  CompilerOutput failed =
      run_compiler({"sh -c 'echo a.cpp:3: error: no >&2; exit 3' sh", "", "in", out});
  CHECK(failed.status == 3);
  CHECK(failed.log == "a.cpp:3: error: no\n");
}

TEST_CASE("gcc compiles with -fno-gnu-unique and clang without it", "[module_builder]") {
  Location loc;
  loc.built({loc.plain("a.cpp")});
  loc.toolchain.compiler = "/opt/llvm/bin/clang++";
  loc.built({loc.plain("b.cpp")});
  auto runs = loc.compiler.module_runs();
  REQUIRE(runs.size() == 2);
  CHECK_THAT(runs[0].run.flags,
             Catch::StartsWith("-std=c++20 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden "
                               "-fno-gnu-unique -shared"));
  CHECK_THAT(runs[1].run.flags,
             Catch::StartsWith("-std=c++20 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden "
                               "-shared"));
}
