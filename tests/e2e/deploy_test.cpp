// Prebuilt deploys: `retort build --deploy DIR` on a machine with a compiler,
// then `retort upgrade head` from a copy of DIR on a machine without one,
// and each way a deploy can be tampered with, refused before the database
// is touched.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

const std::string kAccountModule = "modules/aaaa0001_create_account_table.so";
const std::string kBalanceModule = "modules/bbbb0002_add_balance_to_account.so";
const std::string kLedgerModule = "modules/cccc0003_create_ledger.so";
const std::string kRebuildHint = "hint: rebuild the deploy with 'retort build --deploy'\n";

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

// The build machine: the three-revision chain, built, and deployed to
// <build>/deploy. Built once for every test here.
const fs::path& build_machine() {
  static std::optional<ScratchDir> scratch;
  if (!scratch) {
    ScratchDir dir;
    // One module per revision, so that each test can change one of them.
    CliRun init = run_retort(dir.path(), "init migrations");
    REQUIRE(init.status == 0);
    std::ofstream(dir.path() / "retort.ini", std::ios::app) << "build_batch_size = 1\n";
    for (const RevisionText* r : {&kAccount, &kBalance, &kLedger}) add_revision(dir.path(), *r);
    build(dir.path());
    CliRun run = run_retort(dir.path(), "build --deploy " + quote(dir.path() / "deploy"));
    INFO(run.err);
    REQUIRE(run.status == 0);
    CHECK(run.out == "3 revision sources are up to date\nwrote deploy '" +
                         (dir.path() / "deploy").string() +
                         "': 3 revision modules and manifest.json\n");
    scratch.emplace();
    fs::rename(dir.path() / "migrations", scratch->path() / "migrations");
    fs::rename(dir.path() / "deploy", scratch->path() / "deploy");
    fs::rename(dir.path() / "retort.ini", scratch->path() / "retort.ini");
  }
  return scratch->path();
}

// Runs retort in `app` as on a machine without a compiler: CXX is a
// compiler that records being run and fails, and PATH an empty directory.
// The test fails if that compiler was run.
CliRun run_without_compiler(const fs::path& app, const std::string& args) {
  const fs::path spy = app.parent_path() / "cxx-spy";
  const fs::path marker = app.parent_path() / "cxx-was-run";
  const fs::path empty_bin = app.parent_path() / "empty-bin";
  fs::create_directories(empty_bin);
  std::ofstream(spy) << "#!/bin/sh\ntouch " << quote(marker) << "\nexit 1\n";
  fs::permissions(spy, fs::perms::owner_all);
  const char* old_cxx = std::getenv("CXX");
  const std::optional<std::string> cxx =
      old_cxx ? std::optional<std::string>(old_cxx) : std::nullopt;
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  setenv("CXX", spy.c_str(), 1);
  setenv("PATH", empty_bin.c_str(), 1);
  CliRun run = run_retort(app, args);
  setenv("PATH", path.c_str(), 1);
  if (cxx) {
    setenv("CXX", cxx->c_str(), 1);
  } else {
    unsetenv("CXX");
  }
  CHECK_FALSE(fs::exists(marker));
  return run;
}

// The target machine: a copy of the deploy in <dir>/app/deploy and a
// retort.ini beside it whose script_location is that copy.
fs::path install_deploy(const fs::path& dir) {
  fs::path app = dir / "app";
  fs::create_directories(app);
  fs::copy(build_machine() / "deploy", app / "deploy", fs::copy_options::recursive);
  std::ofstream(app / "retort.ini") << "[retort]\n"
                                       "script_location = %(here)s/deploy\n"
                                       "url = sqlite:///%(here)s/app.db\n";
  return app;
}

// Everything in the database, to show that a refusal changed nothing.
std::string dump(const fs::path& db) {
  return sqlite(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name") +
         sqlite(db, "SELECT version_num FROM retort_version");
}

void flip_byte(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  const auto middle = static_cast<std::streamoff>(fs::file_size(file) / 2);
  f.seekg(middle);
  char c = 0;
  f.get(c);
  f.seekp(middle);
  f.put(static_cast<char>(c ^ 0x01));
}

}  // namespace

TEST_CASE("build --deploy writes modules and a manifest, and no sources", "[e2e][deploy]") {
  const fs::path deploy = build_machine() / "deploy";
  CHECK(fs::exists(deploy / "manifest.json"));
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(deploy)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), deploy).string());
  }
  std::sort(files.begin(), files.end());
  CHECK(files ==
        std::vector<std::string>{"manifest.json", kAccountModule, kBalanceModule, kLedgerModule});
  CHECK_FALSE(fs::exists(build_machine() / "deploy.tmp"));
  const std::string manifest = read_text(deploy / "manifest.json");
  CHECK_THAT(manifest, Catch::StartsWith("{\"format\":1,") &&
                           Catch::Contains("{\"id\":\"bbbb0002\",\"down_revisions\":[\"aaaa0001\"],"
                                           "\"branch_labels\":[],\"depends_on\":[],"
                                           "\"message\":\"add balance to account\",") &&
                           Catch::Contains("\"file\":\"" + kLedgerModule + "\""));
}

TEST_CASE("a deploy upgrades a machine without a compiler: upgrade head, current, history",
          "[e2e][deploy]") {
  ScratchDir target;
  const fs::path app = install_deploy(target.path());

  CliRun upgrade = run_without_compiler(app, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(upgrade.out ==
        "Running upgrade  -> aaaa0001, create account table\n"
        "Running upgrade aaaa0001 -> bbbb0002, add balance to account\n"
        "Running upgrade bbbb0002 -> cccc0003, create ledger\n");
  CliRun current = run_without_compiler(app, "current");
  CHECK(current.status == 0);
  CHECK(current.out == "cccc0003 (head)\n");
  CliRun history = run_without_compiler(app, "history");
  CHECK(history.status == 0);
  CHECK(history.out ==
        "bbbb0002 -> cccc0003 (head), create ledger\n"
        "aaaa0001 -> bbbb0002, add balance to account\n"
        "<base> -> aaaa0001, create account table\n");
  CHECK(sqlite(app / "app.db", "SELECT version_num FROM retort_version") == "cccc0003\n");
  CHECK(sqlite(app / "app.db", "SELECT note FROM ledger") == "opened\n");
  CHECK_FALSE(fs::exists(app / "deploy" / "modules" / "build"));
}

// The release that changes nothing, as a deploy runs it every time: at
// head, with the checksums cached, no module is loaded or even hashed.
TEST_CASE("upgrade head from a deploy at head loads no module once their checksums are cached",
          "[e2e][deploy]") {
  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  REQUIRE(run_without_compiler(app, "upgrade head").status == 0);
  settle_files();
  auto modules = [&](const TracedRun& traced) {
    std::vector<std::string> found;
    for (const std::string& path : traced.opened) {
      if (path.find("/deploy/modules/") != std::string::npos) found.push_back(path);
    }
    return found;
  };
  TracedRun first = run_retort_tracing_loads(app, "upgrade head");  // caches the checksums
  INFO(first.run.err);
  REQUIRE(first.run.status == 0);
  CHECK(modules(first).size() == 3);
  TracedRun second = run_retort_tracing_loads(app, "upgrade head");
  INFO(second.run.err);
  CHECK(second.run.status == 0);
  CHECK(second.run.out.empty());
  CHECK(modules(second).empty());

  // A module changed since is no longer the one the cache knows: the run
  // checks the deploy, and refuses it, as ever.
  flip_byte(app / "deploy" / kBalanceModule);
  TracedRun flipped = run_retort_tracing_loads(app, "upgrade head");
  CHECK(flipped.run.status == 1);
  CHECK(flipped.run.err == "error: module '" + kBalanceModule +
                               "' does not match the deploy manifest: sha256 differs\n" +
                               kRebuildHint);
}

TEST_CASE("a deploy module with one byte flipped is refused and the database is untouched",
          "[e2e][deploy]") {
  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  REQUIRE(run_without_compiler(app, "upgrade +1").status == 0);
  const std::string before = dump(app / "app.db");

  flip_byte(app / "deploy" / kBalanceModule);
  CliRun upgrade = run_without_compiler(app, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK(upgrade.out.empty());
  CHECK(upgrade.err == "error: module '" + kBalanceModule +
                           "' does not match the deploy manifest: sha256 differs\n" + kRebuildHint);
  CHECK(dump(app / "app.db") == before);
  // current loads no module: the manifest describes the graph.
  CHECK(run_without_compiler(app, "current").status == 0);
}

TEST_CASE("a deploy module from another build is refused", "[e2e][deploy]") {
  // The same chain with bbbb0002's message changed, built and deployed again.
  ScratchDir other;
  REQUIRE(std::system(("cp -a " + quote(build_machine() / "migrations") + " " +
                       quote(build_machine() / "retort.ini") + " " + quote(other.path()))
                          .c_str()) == 0);
  const fs::path source = revision_source(other.path() / "migrations" / "versions", "bbbb0002");
  std::string text = read_text(source);
  const std::string message = ".message = \"add balance to account\"";
  text.replace(text.find(message), message.size(), ".message = \"add a balance column\"");
  std::ofstream(source) << text;
  fs::last_write_time(source, fs::file_time_type::clock::now() + std::chrono::seconds(5));
  CliRun rebuild = run_retort(other.path(), "build --deploy deploy");
  INFO(rebuild.err);
  REQUIRE(rebuild.status == 0);
  CHECK_THAT(rebuild.out, Catch::Contains("compiled " + source.string()));

  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  fs::copy_file(other.path() / "deploy" / kBalanceModule, app / "deploy" / kBalanceModule,
                fs::copy_options::overwrite_existing);
  CliRun upgrade = run_without_compiler(app, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK(upgrade.err == "error: module '" + kBalanceModule +
                           "' does not match the deploy manifest: sha256 differs\n" + kRebuildHint);
  CHECK_FALSE(fs::exists(app / "app.db"));
}

TEST_CASE("a deploy module whose revisions differ from the manifest's is refused",
          "[e2e][deploy]") {
  // cccc0003's module under bbbb0002's name, with the manifest's sha256 made
  // to match: only its descriptor gives it away.
  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  const fs::path deploy = app / "deploy";
  fs::copy_file(deploy / kLedgerModule, deploy / kBalanceModule,
                fs::copy_options::overwrite_existing);
  std::string manifest = read_text(deploy / "manifest.json");
  const auto sha_of = [&](const std::string& file) {
    size_t at = manifest.find("\"sha256\":\"", manifest.find("\"" + file + "\"")) + 10;
    return std::pair{at, manifest.substr(at, 64)};
  };
  const auto [balance_at, balance_sha] = sha_of(kBalanceModule);
  const auto [ledger_at, ledger_sha] = sha_of(kLedgerModule);
  manifest.replace(balance_at, 64, ledger_sha);
  std::ofstream(deploy / "manifest.json") << manifest;

  CliRun upgrade = run_without_compiler(app, "upgrade head");
  CHECK(upgrade.status == 1);
  CHECK(upgrade.err == "error: module '" + kBalanceModule +
                           "' does not match the deploy manifest: it holds revisions cccc0003 "
                           "(bbbb0002), the manifest bbbb0002 (aaaa0001)\n" +
                           kRebuildHint);
  CHECK_FALSE(fs::exists(app / "app.db"));
}

TEST_CASE("a deploy missing a module, or holding one the manifest does not name, is refused",
          "[e2e][deploy]") {
  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  const fs::path modules = app / "deploy" / "modules";

  fs::copy_file(modules / kLedgerModule.substr(8), modules / "dddd0004_extra.so");
  CliRun extra = run_without_compiler(app, "upgrade head");
  CHECK(extra.status == 1);
  CHECK(extra.err ==
        "error: module 'modules/dddd0004_extra.so' is not in the deploy manifest\n"
        "hint: remove it, or rebuild the deploy with 'retort build --deploy'\n");
  fs::remove(modules / "dddd0004_extra.so");

  fs::remove(app / "deploy" / kLedgerModule);
  CliRun missing = run_without_compiler(app, "upgrade head");
  CHECK(missing.status == 1);
  CHECK(missing.err == "error: module '" + kLedgerModule +
                           "' named in the deploy manifest is missing\n" + kRebuildHint);
  CHECK_FALSE(fs::exists(app / "app.db"));
}

TEST_CASE("revision, merge and build are refused in a deploy", "[e2e][deploy]") {
  ScratchDir target;
  const fs::path app = install_deploy(target.path());
  const std::string where = (app / "deploy").string();
  for (const std::string command : {"revision -m x", "merge heads", "build", "build --deploy d2"}) {
    CliRun run = run_without_compiler(app, command);
    INFO(command);
    CHECK(run.status == 1);
    const std::string name = command.substr(0, command.find(' '));
    CHECK(run.err ==
          "error: 'retort " + name + "' cannot run in '" + where +
              "': it is a prebuilt deploy, with modules and no revision sources\n"
              "hint: run it where the revision sources are, then 'retort build --deploy' again\n");
  }
  CHECK_FALSE(fs::exists(app / "deploy" / "versions"));
  CHECK_FALSE(fs::exists(app / "d2"));
}

TEST_CASE("a deploy carries the model so check finds drift without a compiler",
          "[e2e][deploy][autogenerate]") {
  ScratchDir build_dir;
  const fs::path& dir = build_dir.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  std::ofstream(dir / "migrations" / "model.cpp") << R"(#include <retort/model.hpp>

RETORT_MODEL(retort::Table("ag_item", {retort::Column("id", retort::Integer()).primary_key(),
                                       retort::Column("name", retort::String(40))}))
)";
  CliRun generated = run_retort(dir, "revision --autogenerate -m 'create item' --rev-id abcd0001");
  INFO(generated.err);
  REQUIRE(generated.status == 0);
  CliRun deployed = run_retort(dir, "build --deploy " + quote(dir / "deploy"));
  INFO(deployed.err);
  REQUIRE(deployed.status == 0);
  CHECK_THAT(deployed.out, Catch::EndsWith("': 1 revision module, the model and manifest.json\n"));
  CHECK(fs::exists(dir / "deploy" / "model.so"));
  CHECK_THAT(read_text(dir / "deploy" / "manifest.json"),
             Catch::Contains("\"model\":{\"file\":\"model.so\",\"sha256\":\""));

  ScratchDir target;
  const fs::path app = target.path() / "app";
  fs::create_directories(app);
  fs::copy(dir / "deploy", app / "deploy", fs::copy_options::recursive);
  std::ofstream(app / "retort.ini") << "[retort]\n"
                                       "script_location = %(here)s/deploy\n"
                                       "url = sqlite:///%(here)s/app.db\n";
  REQUIRE(run_without_compiler(app, "upgrade head").status == 0);
  CliRun clean = run_without_compiler(app, "check");
  INFO(clean.err);
  CHECK(clean.status == 0);
  CHECK_THAT(clean.out, Catch::EndsWith("the database matches the model\n"));

  sqlite(app / "app.db", "ALTER TABLE ag_item ADD COLUMN extra INTEGER");
  CliRun drifted = run_without_compiler(app, "check");
  CHECK(drifted.status == 6);
  CHECK_THAT(drifted.out, Catch::Contains("drift: drop_column ag_item.extra\n"));

  flip_byte(app / "deploy" / "model.so");
  CliRun tampered = run_without_compiler(app, "check");
  CHECK(tampered.status == 1);
  CHECK_THAT(tampered.err, Catch::Contains("module 'model.so' does not match the deploy manifest: "
                                           "sha256 differs"));
}
