// Where revision modules come from: graph commands read the sources and
// compile nothing; run commands build stale sources in batches and check
// each module against its sources; packs built elsewhere are used as they
// are; without a compiler a stale module is refused.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

CliRun ok(const fs::path& dir, const CliRun& run, const std::string& what) {
  INFO(what << "\n" << run.err);
  REQUIRE(run.status == 0);
  return run;
}

fs::path init_env(const fs::path& dir) {
  ok(dir, run_retort(dir, "init migrations"), "init");
  return dir / "migrations" / "versions";
}

// a chain r0001 <- r0002 <- ... <- r<n>
std::vector<PackRevision> chain(int n) {
  std::vector<PackRevision> out;
  for (int i = 1; i <= n; ++i) {
    std::string id = fmt::format("r{:04}", i);
    out.push_back({id, i == 1 ? std::vector<std::string>{}
                              : std::vector<std::string>{fmt::format("r{:04}", i - 1)}});
  }
  return out;
}

size_t count_files(const fs::path& dir, const std::string& extension) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == extension) ++n;
  }
  return n;
}

fs::path units(const fs::path& versions) { return versions / "build" / ".retort" / "units"; }

// Makes `path` older than everything built so far.
void age(const fs::path& path) {
  fs::last_write_time(path, fs::last_write_time(path) - std::chrono::hours(1));
}

// Compiles `sources` into one module at `module`, as CMake's
// retort_add_revisions(... PACK) does.
void compile_pack(const std::vector<fs::path>& sources, const fs::path& module) {
  std::string command =
      fmt::format("c++ -std=c++20 -shared -fPIC -fvisibility=hidden -fno-gnu-unique -I'{}' -o '{}'",
                  RETORT_SDK_INCLUDE_FOR_TESTS, module.string());
  for (const fs::path& s : sources) command += " '" + s.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
}

}  // namespace

TEST_CASE("graph commands read the sources and compile nothing, even without a compiler",
          "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  // r0001 <- r0002 <- r0003, r0002 <- r0004 (labelled "side")
  write_sources(
      versions,
      {{"r0001", {}}, {"r0002", {"r0001"}}, {"r0003", {"r0002"}}, {"r0004", {"r0002"}, {"side"}}});

  CliRun heads = ok(dir, run_retort_without_compiler(dir, "heads"), "heads");
  CHECK(heads.out == "r0003 (head)\nr0004 (side) (head)\n");
  CliRun history = ok(dir, run_retort_without_compiler(dir, "history"), "history");
  CHECK_THAT(history.out, Catch::Contains("r0001 -> r0002 (branchpoint), revision r0002"));
  CliRun branches = ok(dir, run_retort_without_compiler(dir, "branches"), "branches");
  CHECK_THAT(branches.out, Catch::Contains("r0002"));
  CliRun show = ok(dir, run_retort_without_compiler(dir, "show side@head"), "show");
  CHECK_THAT(show.out, Catch::Contains("Revision ID: r0004"));
  ok(dir, run_retort_without_compiler(dir, "current"), "current");
  ok(dir, run_retort_without_compiler(dir, "revision -m next --head r0003"), "revision");
  ok(dir, run_retort_without_compiler(dir, "merge heads -m join"), "merge");
  // Nothing was compiled: the only file written is the metadata cache.
  CHECK_FALSE(fs::exists(units(versions)));
  CHECK_FALSE(fs::exists(versions / "build" / ".retort" / "pch"));
  CHECK(fs::exists(versions / "build" / ".retort" / "metadata"));
}

TEST_CASE("a one-file chain of 2000 revisions answers heads and history without a compiler",
          "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, chain(2000));
  CliRun heads = ok(dir, run_retort_without_compiler(dir, "heads"), "heads");
  CHECK(heads.out == "r2000 (head)\n");
  // Again, from the metadata cache the first run wrote.
  CHECK(ok(dir, run_retort_without_compiler(dir, "heads"), "heads, cached").out == heads.out);
  CliRun history = ok(dir, run_retort_without_compiler(dir, "history -r r1998:"), "history");
  CHECK(history.out ==
        "r1999 -> r2000 (head), revision r2000\nr1998 -> r1999, revision r1999\n"
        "r1997 -> r1998, revision r1998\n");
  CHECK_FALSE(fs::exists(units(versions)));
}

TEST_CASE("a source that cannot be read is named with its file and line", "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, {{"r0001", {}}});
  {
    std::ofstream out(versions / "r0002_constant.cpp");
    out << "#include <retort/revision.hpp>\n"
           "static const char* kParent = \"r0001\";\n"
           "RETORT_REVISION(\n"
           "    .revision = \"r0002\",\n"
           "    .down_revision = kParent)\n";
  }
  CliRun heads = run_retort_without_compiler(dir, "heads");
  CHECK(heads.status == 1);
  CHECK_THAT(heads.err, Catch::Contains("r0002_constant.cpp:5"));
  CHECK_THAT(heads.err, Catch::Contains(".down_revision"));
}

TEST_CASE("a cold build compiles sources in batches, and one edit recompiles one source",
          "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, chain(24));
  // A source with a #define of its own is compiled alone.
  {
    std::ofstream out(versions / "r0025_macro.cpp");
    out << "#include <retort/revision.hpp>\n"
           "#define TABLE \"t_r0025\"\n"
           "namespace {\n"
           "void upgrade(retort::Operations& op) {\n"
           "  op.create_table(TABLE, {retort::Column(\"id\", retort::Integer())});\n"
           "}\n"
           "void downgrade(retort::Operations& op) { op.drop_table(TABLE); }\n"
           "}  // namespace\n"
           "RETORT_REVISION(.revision = \"r0025\", .down_revision = \"r0024\",\n"
           "                .upgrade = upgrade, .downgrade = downgrade)\n";
  }

  CliRun build = ok(dir, run_retort(dir, "build"), "build");
  CHECK_THAT(build.out, Catch::Contains("compiled 25 revision sources into"));
  const size_t modules = count_files(units(versions), ".so");
  CHECK(modules >= 2);
  CHECK(modules <= 4);
  CHECK(fs::exists(units(versions) / "r0025_macro.so"));

  ok(dir, run_retort(dir, "upgrade head"), "upgrade");
  CHECK(sqlite(dir / "retort.db", "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_r%'") ==
        "25\n");

  // The next revision compiles alone; nothing else is rebuilt.
  write_sources(versions, {{"r0026", {"r0025"}}});
  CliRun upgrade = ok(dir, run_retort(dir, "upgrade head"), "upgrade after a new revision");
  CHECK_THAT(upgrade.err,
             Catch::Contains("compiled " + (versions / "r0026_revision_r0026.cpp").string()));
  CHECK_THAT(upgrade.err, Catch::Contains("compiled 1 revision source into 1 module"));
  CHECK(count_files(units(versions), ".so") == modules + 1);
  CliRun again = ok(dir, run_retort(dir, "build"), "build at rest");
  CHECK(again.out == "26 revision sources are up to date\n");

  // An edit inside a batch recompiles that source alone; the batch keeps
  // serving the others, and the edited code is what runs.
  const fs::path edited = versions / "r0010_revision_r0010.cpp";
  std::string text = read_text(edited);
  text.replace(text.find("t_r0010"), 7, "t_edited");  // in upgrade's create_table
  std::ofstream(edited) << text;
  fs::last_write_time(edited, fs::file_time_type::clock::now() + std::chrono::seconds(5));
  CliRun rebuild = ok(dir, run_retort(dir, "build"), "build after an edit");
  CHECK_THAT(rebuild.out, Catch::Contains("compiled " + edited.string()));
  CHECK_THAT(rebuild.out, Catch::Contains("compiled 1 revision source into 1 module"));
  CliRun sql = ok(dir, run_retort(dir, "upgrade r0009:r0011 --sql"), "upgrade --sql");
  CHECK_THAT(sql.out, Catch::Contains("CREATE TABLE t_edited"));
  CHECK_THAT(sql.out, !Catch::Contains("t_r0010"));

  // A deploy holds exactly its manifest's revisions: the batch that still
  // holds the old r0010 is rebuilt first.
  ok(dir, run_retort(dir, "build --deploy dist"), "build --deploy");
  {
    std::ofstream ini(dir / "dist.ini");
    ini << "[retort]\nscript_location = %(here)s/dist\nurl = sqlite:///%(here)s/dist.db\n";
  }
  ok(dir, run_retort_without_compiler(dir, "-c dist.ini upgrade head"), "upgrade from the deploy");
  CHECK(sqlite(dir / "dist.db", "SELECT count(*) FROM sqlite_master WHERE name = 't_edited'") ==
        "1\n");
}

TEST_CASE("a compiler error in a batch names the source that has it", "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, chain(6));
  const fs::path broken = versions / "r0004_revision_r0004.cpp";
  std::string text = read_text(broken);
  text.replace(text.find("op.drop_table"), 13, "op.drop_tabel");
  std::ofstream(broken) << text;

  CliRun build = run_retort(dir, "build");
  CHECK(build.status == 1);
  CHECK_THAT(build.err, Catch::Contains("cannot build revision '" + broken.string() + "'"));
  CHECK_THAT(build.err, Catch::Contains("drop_tabel"));
}

TEST_CASE("without a compiler, a module older than its source is refused unless --allow-stale",
          "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, chain(2));
  ok(dir, run_retort(dir, "build"), "build");
  const fs::path source = versions / "r0002_revision_r0002.cpp";
  std::string text = read_text(source);
  text.replace(text.find("t_r0002"), 7, "t_edited");  // in upgrade's create_table
  std::ofstream(source) << text;
  fs::last_write_time(source, fs::file_time_type::clock::now() + std::chrono::seconds(5));

  CliRun refused = run_retort_without_compiler(dir, "upgrade head");
  CHECK(refused.status == 1);
  CHECK_THAT(refused.err,
             Catch::Contains("revision source '" + source.string() +
                             "' is newer than its module and no C++ compiler was found"));
  CHECK(sqlite(dir / "retort.db", "SELECT name FROM sqlite_master WHERE name LIKE 't_%'") == "");

  // Read-only commands do not need the module.
  ok(dir, run_retort_without_compiler(dir, "heads"), "heads");

  CliRun allowed = ok(dir, run_retort_without_compiler(dir, "upgrade head --allow-stale"),
                      "upgrade --allow-stale");
  CHECK_THAT(allowed.err, Catch::Contains("which is older than its source '" + source.string()));
  CHECK(sqlite(dir / "retort.db",
               "SELECT name FROM sqlite_master WHERE name LIKE 't_%' ORDER BY name") ==
        "t_r0001\nt_r0002\n");
}

TEST_CASE("a module that disagrees with its source is refused, naming both", "[e2e][modules]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, chain(2));
  ok(dir, run_retort(dir, "build"), "build");
  // The message changes, and the source is made to look older than the
  // module, so that nothing rebuilds it.
  const fs::path source = versions / "r0002_revision_r0002.cpp";
  std::string text = read_text(source);
  text.replace(text.find("\"revision r0002\""), 16, "\"renamed\"");
  std::ofstream(source) << text;
  age(source);

  CliRun upgrade = run_retort(dir, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK_THAT(upgrade.err, Catch::Contains("and its source '" + source.string() +
                                          "' disagree about revision 'r0002': message"));
}

TEST_CASE("a pack module in the version location is loaded as it is", "[e2e][modules][pack]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  // Compiled once per process: each SECTION reruns the test from the top.
  copy_of_project(dir, "three revisions and their pack", [](const fs::path& at) {
    const fs::path versions = init_env(at);
    write_sources(versions, chain(3));
    fs::create_directories(versions / "build");
    compile_pack({versions / "r0001_revision_r0001.cpp", versions / "r0002_revision_r0002.cpp",
                  versions / "r0003_revision_r0003.cpp"},
                 versions / "build" / "app_revisions.so");
    // A fourth revision, in a pack whose source is not in the project.
    fs::create_directories(at / "elsewhere");
    write_sources(at / "elsewhere", {{"r0004", {"r0003"}}});
    compile_pack({at / "elsewhere" / "r0004_revision_r0004.cpp"}, at / "more.so");
  });
  const fs::path versions = dir / "migrations" / "versions";

  // The pack provides every source's revision: nothing is compiled.
  CliRun upgrade = ok(dir, run_retort_without_compiler(dir, "upgrade head"), "upgrade");
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM retort_version") == "r0003\n");
  CHECK_FALSE(fs::exists(units(versions)));

  SECTION("a revision that a second module also provides is refused, naming both") {
    compile_pack({versions / "r0003_revision_r0003.cpp"}, versions / "extra.so");
    CliRun twice = run_retort_without_compiler(dir, "upgrade head");
    CHECK(twice.status == 1);
    CHECK_THAT(twice.err, Catch::Contains("revision 'r0003' is provided twice"));
    CHECK_THAT(twice.err, Catch::Contains("app_revisions.so"));
    CHECK_THAT(twice.err, Catch::Contains("extra.so"));
  }
  SECTION("a pack beside unchanged sources gives graph commands the revision no source declares") {
    // The sources' metadata cache is current: graph commands may answer
    // from it alone only while no module without a source is there.
    CHECK(ok(dir, run_retort_without_compiler(dir, "heads"), "heads").out == "r0003 (head)\n");
    fs::rename(dir / "more.so", versions / "build" / "more.so");
    CliRun heads = ok(dir, run_retort_without_compiler(dir, "heads"), "heads");
    CHECK(heads.out == "r0004 (head)\n");
  }
  SECTION("a pack without sources still gives its revisions to graph commands") {
    for (int i = 1; i <= 3; ++i)
      fs::remove(versions / fmt::format("r{:04}_revision_r{:04}.cpp", i, i));
    CliRun heads = ok(dir, run_retort_without_compiler(dir, "heads"), "heads");
    CHECK(heads.out == "r0003 (head)\n");
  }
}

TEST_CASE("graph commands in a prebuilt deploy read the manifest and load no module",
          "[e2e][modules][deploy]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, {{"r0001", {}}, {"r0002", {"r0001"}, {"main"}}});
  ok(dir, run_retort(dir, "build --deploy dist"), "build --deploy");
  {
    std::ofstream ini(dir / "dist.ini");
    ini << "[retort]\nscript_location = %(here)s/dist\nurl = sqlite:///%(here)s/dist.db\n";
  }
  // A module that would crash if loaded: the manifest alone must answer.
  for (const auto& entry : fs::directory_iterator(dir / "dist" / "modules")) {
    std::ofstream(entry.path(), std::ios::trunc) << "not a module";
  }
  CliRun heads = ok(dir, run_retort_without_compiler(dir, "-c dist.ini heads"), "heads");
  CHECK(heads.out == "r0002 (main) (head)\n");
  CliRun show = ok(dir, run_retort_without_compiler(dir, "-c dist.ini show r0002"), "show");
  CHECK_THAT(show.out, Catch::Contains("revision r0002"));
  // Running needs the modules, which are checked first.
  CliRun upgrade = run_retort_without_compiler(dir, "-c dist.ini upgrade head");
  CHECK(upgrade.status == 1);
  CHECK_THAT(upgrade.err, Catch::Contains("sha256 differs"));
}

TEST_CASE("a deploy copied without its manifest is refused, naming the missing file",
          "[e2e][modules][deploy]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  const fs::path versions = init_env(dir);
  write_sources(versions, {{"r0001", {}}});
  ok(dir, run_retort(dir, "build --deploy dist"), "build --deploy");
  fs::remove(dir / "dist" / "manifest.json");
  {
    std::ofstream ini(dir / "dist.ini");
    ini << "[retort]\nscript_location = %(here)s/dist\nurl = sqlite:///%(here)s/dist.db\n";
  }
  const std::string expected = "error: script_location '" + (dir / "dist").string() +
                               "' holds a deploy's modules/ but no readable " +
                               (dir / "dist" / "manifest.json").string() + "\n";
  for (const std::string command : {"upgrade head", "heads", "current"}) {
    CliRun run = run_retort_without_compiler(dir, "-c dist.ini " + command);
    INFO(command);
    CHECK(run.status == 1);
    CHECK(run.err.starts_with(expected));
  }
  // A dangling manifest.json is no better.
  fs::create_symlink(dir / "nowhere.json", dir / "dist" / "manifest.json");
  CliRun dangling = run_retort_without_compiler(dir, "-c dist.ini upgrade head");
  CHECK(dangling.status == 1);
  CHECK(dangling.err.starts_with(expected));
}
