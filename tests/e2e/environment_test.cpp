// The environment, compiled: env.cpp in script_location configures each
// command that touches the database (sdk/include/retort/environment.hpp).
// Each test starts from the chain (chain_fixture.hpp), whose generic env.cpp
// came from `retort init`, and replaces it where it needs another.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/fleet.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// Writes migrations/env.cpp: `body` is configure's.
void write_env(const fs::path& dir, const std::string& body) {
  std::ofstream(dir / "migrations" / "env.cpp")
      << "#include <retort/environment.hpp>\n\n#include <fstream>\n#include <string>\n\n"
         "void configure(retort::EnvironmentContext& context) {\n"
      << body << "\n}\n\nRETORT_ENVIRONMENT(configure)\n";
}

// What a test's env.cpp appended to <dir>/env.log.
std::string env_log(const fs::path& dir) { return read_text(dir / "env.log"); }

}  // namespace

TEST_CASE(
    "the generic template's env.cpp compiles as written and is off until its macro is uncommented",
    "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  const fs::path env = dir / "migrations" / "env.cpp";
  REQUIRE(fs::exists(env));
  const std::string compile = "c++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I'" +
                              std::string(RETORT_SDK_INCLUDE_FOR_TESTS) + "' '" + env.string() +
                              "'";
  CHECK(std::system(compile.c_str()) == 0);
  // Off: nothing compiled, the key unread.
  CliRun off = run_retort(dir, "-x db_path=" + (dir / "other.db").string() + " current");
  CHECK(off.status == 0);
  CHECK_THAT(off.err, Catch::Contains("warning: -x argument 'db_path' was not used"));
  CHECK_FALSE(fs::exists(dir / "migrations" / "build"));
}

TEST_CASE("the generic template's env.cpp takes the database from an x argument named db_path",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  const fs::path env = dir / "migrations" / "env.cpp";
  std::string text = read_text(env);
  const std::string off = "// RETORT_ENVIRONMENT(configure)";
  REQUIRE(text.find(off) != std::string::npos);
  text.replace(text.find(off), off.size(), "RETORT_ENVIRONMENT(configure)");
  std::ofstream(env) << text;
  const fs::path other = dir / "other.db";

  CliRun up = run_retort(dir, "-x db_path=" + other.string() + " upgrade bbbb0002");
  INFO(up.err);
  REQUIRE(up.status == 0);
  // The key the environment read is no unused one.
  CHECK(up.err.find("warning") == std::string::npos);
  CHECK(sqlite(other, "SELECT version_num FROM retort_version") == "bbbb0002\n");
  CHECK_FALSE(fs::exists(dir / "retort.db"));
  CHECK(run_retort(dir, "-x db_path=" + other.string() + " current").out == "bbbb0002\n");

  // Without it, the ini's url, as before.
  CliRun plain = run_retort(dir, "upgrade head");
  REQUIRE(plain.status == 0);
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM retort_version") == "cccc0003\n");
}

TEST_CASE("without env.cpp the commands run as the ini file says", "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  fs::remove(dir / "migrations" / "env.cpp");
  CliRun up = run_retort(dir, "-x db_path=/tmp/unused.db upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM retort_version") == "cccc0003\n");
  CHECK_THAT(up.err, Catch::Contains("warning: -x argument 'db_path' was not used"));
}

TEST_CASE("an environment's version table is the one upgrade and current and check use",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  context.set_version_table("app_version");)");
  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  const fs::path db = dir / "retort.db";
  CHECK(sqlite(db, "SELECT version_num FROM app_version") == "cccc0003\n");
  CHECK(sqlite(db, "SELECT count(*) FROM sqlite_master WHERE name = 'retort_version'") == "0\n");
  CHECK(run_retort(dir, "current").out == "cccc0003 (head)\n");
  CliRun check = run_retort(dir, "check");
  INFO(check.err);
  CHECK(check.status == 0);
  CHECK(run_retort(dir, "stamp base").status == 0);
  CHECK(sqlite(db, "SELECT count(*) FROM app_version") == "0\n");
}

TEST_CASE("an environment's version table schema qualifies the version table in an sql script",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  context.set_version_table_schema("main");)");
  CliRun sql = run_retort(dir, "upgrade aaaa0001 --sql");
  INFO(sql.err);
  REQUIRE(sql.status == 0);
  CHECK_THAT(sql.out, Catch::Contains("CREATE TABLE main.retort_version"));
  CHECK_THAT(sql.out, Catch::Contains("INSERT INTO main.retort_version"));
}

TEST_CASE("one transaction for the whole run leaves nothing applied when its last step fails",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  // cccc0003 creates ledger, then fails inserting its row.
  const fs::path ledger = revision_source(dir / "migrations" / "versions", "cccc0003");
  std::string source = read_text(ledger);
  const std::string insert = "INSERT INTO ledger (id, note, done)";
  REQUIRE(source.find(insert) != std::string::npos);
  source.replace(source.find(insert), insert.size(), "INSERT INTO no_such_table (id, note, done)");
  std::ofstream(ledger) << source;
  const fs::path db = dir / "retort.db";

  SECTION("with transaction_per_migration false") {
    write_env(dir, R"(  context.set_transaction_per_migration(false);)");
    CliRun up = run_retort(dir, "upgrade head");
    CHECK(up.status != 0);
    CHECK_THAT(up.err, Catch::Contains("no_such_table"));
    CHECK_THAT(up.err,
               Catch::Contains("the run was one transaction, and nothing of it was applied"));
    CHECK(sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") == "");
  }
  SECTION("with a transaction per migration, the default") {
    CliRun up = run_retort(dir, "upgrade head");
    CHECK(up.status != 0);
    CHECK(sqlite(db, "SELECT version_num FROM retort_version") == "bbbb0002\n");
    CHECK(sqlite(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('account', 'ledger')") ==
          "1\n");
  }
}

TEST_CASE("one transaction for the whole run commits every step when all succeed",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  context.set_transaction_per_migration(false);)");
  CliRun up = run_retort(dir, "upgrade head");
  INFO(up.err);
  REQUIRE(up.status == 0);
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM retort_version") == "cccc0003\n");
  CHECK(sqlite(dir / "retort.db", "SELECT note FROM ledger") == "opened\n");
  REQUIRE(run_retort(dir, "downgrade base").status == 0);
  CHECK(sqlite(dir / "retort.db", "SELECT count(*) FROM retort_version") == "0\n");
}

TEST_CASE("on_version_apply is called after each step applied with its revision and direction",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  const std::string log = *context.config("here") + "/env.log";
  context.on_version_apply([log](const std::string& revision, retort::Direction direction) {
    const char* name = direction == retort::Direction::kUpgrade     ? "upgrade"
                       : direction == retort::Direction::kDowngrade ? "downgrade"
                                                                    : "stamp";
    std::ofstream(log, std::ios::app) << name << " " << revision << "\n";
  });)");
  REQUIRE(run_retort(dir, "upgrade head").status == 0);
  REQUIRE(run_retort(dir, "downgrade -1").status == 0);
  REQUIRE(run_retort(dir, "stamp aaaa0001").status == 0);
  CHECK(env_log(dir) ==
        "upgrade aaaa0001\nupgrade bbbb0002\nupgrade cccc0003\ndowngrade cccc0003\n"
        "stamp aaaa0001\n");
}

TEST_CASE("an on_version_apply that throws fails its step which is rolled back",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  context.on_version_apply([](const std::string& revision, retort::Direction) {
    if (revision == "bbbb0002") throw std::runtime_error("audit service down");
  });)");
  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("on_version_apply failed after revision 'bbbb0002': audit "
                                     "service down"));
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM retort_version") == "aaaa0001\n");
}

TEST_CASE("the environment reads the tag and the offline mode and the ini and every x argument",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"~(  std::ofstream log(*context.config("here") + "/env.log", std::ios::app);
  log << "tag=" << context.get_tag_argument().value_or("(none)")
      << " offline=" << context.is_offline_mode()
      << " file_template=" << context.config("file_template").value_or("(none)")
      << " missing=" << context.config("no_such_key").value_or("(none)");
  for (const auto& [key, value] : context.get_x_argument()) log << " " << key << "=" << value;
  log << "\n";)~");
  CliRun sql = run_retort(dir, "-x tenant=acme upgrade head --sql --tag release-7");
  INFO(sql.err);
  REQUIRE(sql.status == 0);
  // Every key counts as read once the environment asked for them all.
  CHECK(sql.err.find("warning") == std::string::npos);
  REQUIRE(run_retort(dir, "stamp head --tag t2").status == 0);
  REQUIRE(run_retort(dir, "current").status == 0);
  CHECK(env_log(dir) ==
        "tag=release-7 offline=1 file_template=%(rev)s_%(slug)s missing=(none) tenant=acme\n"
        "tag=t2 offline=0 file_template=%(rev)s_%(slug)s missing=(none)\n"
        "tag=(none) offline=0 file_template=%(rev)s_%(slug)s missing=(none)\n");
}

TEST_CASE("an environment that throws stops the command with its message",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  (void)context;
  throw std::runtime_error("no vault token");)");
  CliRun up = run_retort(dir, "upgrade head");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("error: environment '"));
  CHECK_THAT(up.err, Catch::Contains("env.cpp' failed: no vault token"));
  CHECK_FALSE(fs::exists(dir / "retort.db"));
}

TEST_CASE("an environment that does not compile is an error naming env.cpp",
          "[e2e][sqlite][environment]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, "  context.no_such_member();");
  CliRun up = run_retort(dir, "current");
  CHECK(up.status != 0);
  CHECK_THAT(up.err, Catch::Contains("env.cpp"));
}

TEST_CASE("revision --autogenerate leaves out what the environment's include_object refuses",
          "[e2e][sqlite][environment][autogenerate]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  REQUIRE(run_retort(dir, "init migrations").status == 0);
  std::ofstream(dir / "migrations" / "model.cpp")
      << "#include <retort/model.hpp>\n\nRETORT_MODEL(retort::Table(\"customer\", "
         "{retort::Column(\"id\", retort::Integer()).primary_key()}))\n";
  sqlite(dir / "retort.db",
         "CREATE TABLE legacy_orders (id INTEGER); CREATE TABLE scratch (id "
         "INTEGER)");

  SECTION("without a filter both tables would be dropped") {
    CliRun plain = run_retort(dir, "revision --autogenerate -m first");
    INFO(plain.err);
    REQUIRE(plain.status == 0);
    CHECK_THAT(plain.err, Catch::Contains("Detected drop_table legacy_orders"));
    CHECK_THAT(plain.err, Catch::Contains("Detected drop_table scratch"));
  }
  SECTION("with one the refused table is not compared") {
    write_env(dir, R"(  context.include_object([](const std::string& name, const std::string& type,
                            const std::string&) {
    return !(type == "table" && name.rfind("legacy_", 0) == 0);
  });)");
    CliRun filtered = run_retort(dir, "revision --autogenerate -m first");
    INFO(filtered.err);
    REQUIRE(filtered.status == 0);
    CHECK_THAT(filtered.err, Catch::Contains("Detected add_table customer"));
    CHECK_THAT(filtered.err, Catch::Contains("Detected drop_table scratch"));
    CHECK(filtered.err.find("legacy_orders") == std::string::npos);
    // check's drift uses the same filter.
    CliRun check = run_retort(dir, "check");
    CHECK_THAT(check.out, Catch::Contains("drift: drop_table scratch"));
    CHECK((check.out + check.err).find("legacy_orders") == std::string::npos);
  }
}

TEST_CASE("an application's environment function replaces env.cpp for the commands it calls",
          "[e2e][sqlite][environment][embedding]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  // An env.cpp that would fail: the application's function replaces it.
  write_env(dir, R"(  (void)context;
  throw std::runtime_error("env.cpp ran");)");
  retort::Config cfg{(dir / "retort.ini").string()};
  REQUIRE_FALSE(cfg.load_error());
  std::ostringstream out;
  cfg.set_output(out);
  std::vector<std::string> applied;
  cfg.attributes().set_environment([&applied](retort::EnvironmentContext& context) {
    context.set_version_table("embedded_version");
    context.on_version_apply([&applied](const std::string& revision, retort::Direction) {
      applied.push_back(revision);
    });
  });
  retort::Error err = retort::command::upgrade(cfg, "bbbb0002");
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK(applied == std::vector<std::string>{"aaaa0001", "bbbb0002"});
  CHECK(sqlite(dir / "retort.db", "SELECT version_num FROM embedded_version") == "bbbb0002\n");
  auto current = retort::command::current_revisions(cfg);
  REQUIRE(current);
  CHECK(*current == std::vector<std::string>{"bbbb0002"});

  cfg.attributes().set_environment(
      [](retort::EnvironmentContext&) { throw std::runtime_error("vault sealed"); });
  retort::Error failed = retort::command::upgrade(cfg, "head");
  CHECK(failed.message() == "the application's environment failed: vault sealed");
}

// A deploy carries env.so beside the revision modules, so that what env.cpp
// sets (the version table, above all) applies where no compiler is.
TEST_CASE("a deploy carries its environment and runs it without a compiler",
          "[e2e][sqlite][environment][deploy]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  context.set_version_table("app_version");)");
  const fs::path dist = dir / "dist";
  CliRun deploy = run_retort(dir, "build --deploy " + dist.string());
  INFO(deploy.err);
  REQUIRE(deploy.status == 0);
  CHECK_THAT(deploy.out, Catch::Contains(", the environment and manifest.json"));
  REQUIRE(fs::exists(dist / "env.so"));
  std::ofstream(dir / "dist.ini") << "[retort]\nscript_location = %(here)s/dist\n"
                                  << "url = sqlite:///%(here)s/dist.db\n";

  CliRun upgrade = run_retort_without_compiler(dir, "-c dist.ini upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(sqlite(dir / "dist.db", "SELECT version_num FROM app_version") == "cccc0003\n");
  CliRun current = run_retort_without_compiler(dir, "-c dist.ini current");
  CHECK(current.out == "cccc0003 (head)\n");

  SECTION("an env.so that is not the one the manifest names is refused") {
    std::ofstream(dist / "env.so", std::ios::app) << "changed";
    CliRun changed = run_retort_without_compiler(dir, "-c dist.ini current");
    CHECK(changed.status == 1);
    CHECK_THAT(changed.err, Catch::StartsWith("error: module 'env.so' does not match the deploy "
                                              "manifest: sha256 differs\nhint: "));
  }
}

// A fleet runs the environment for each target, with the target's URL, so
// that what it sets (the version table, above all) applies to every one.
TEST_CASE("fleet runs run the environment for each target with its url",
          "[e2e][sqlite][environment][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  write_env(dir, R"(  const std::string url = context.url();
  if (url.find("sealed") != std::string::npos) throw std::runtime_error("vault sealed");
  context.set_version_table(url.find("two") != std::string::npos ? "two_version" : "app_version");)");
  std::ofstream(dir / "targets.txt") << "one = sqlite:///" << (dir / "one.db").string() << "\n"
                                     << "two = sqlite:///" << (dir / "two.db").string() << "\n";

  CliRun fleet = run_retort(dir, "upgrade head --targets targets.txt");
  INFO(fleet.err);
  REQUIRE(fleet.status == 0);
  CHECK(sqlite(dir / "one.db", "SELECT version_num FROM app_version") == "cccc0003\n");
  CHECK(sqlite(dir / "two.db", "SELECT version_num FROM two_version") == "cccc0003\n");
  // Each target's version table is read where its environment put it.
  CliRun current = run_retort(dir, "current --targets targets.txt");
  INFO(current.err);
  CHECK(current.status == 0);
  CHECK_THAT(current.out, Catch::Contains("cccc0003"));
  CHECK_THAT(current.out, !Catch::Contains("(none)") && !Catch::Contains("base"));

  SECTION("a target whose environment fails fails alone, with its error") {
    std::ofstream(dir / "targets.txt", std::ios::app)
        << "sealed = sqlite:///" << (dir / "sealed.db").string() << "\n";
    CliRun partly = run_retort(dir, "upgrade head --targets targets.txt");
    CHECK(partly.status != 0);
    CHECK_THAT(partly.out + partly.err,
               Catch::Contains("environment '" + (dir / "migrations" / "env.cpp").string() +
                               "' failed: vault sealed"));
    CHECK_FALSE(fs::exists(dir / "sealed.db"));
  }
}

TEST_CASE("an application's environment function runs for each target of upgrade_targets",
          "[e2e][embedding][sqlite][environment][fleet]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_chain(dir);
  retort::Config cfg{(dir / "retort.ini").string()};
  REQUIRE_FALSE(cfg.load_error());
  std::ostringstream out;
  cfg.set_output(out);
  std::vector<std::string> urls;  // one target at a time: no lock needed
  cfg.attributes().set_environment([&urls](retort::EnvironmentContext& context) {
    urls.push_back(context.url());
    context.set_version_table("embedded_version");
  });
  auto targets = retort::parse_targets("a = sqlite:///%(here)s/a.db\nb = sqlite:///%(here)s/b.db\n",
                                       "app", dir.string());
  REQUIRE(targets);
  auto report = retort::command::upgrade_targets(cfg, *targets, "head", {}, {.jobs = 2});
  REQUIRE(report);
  CHECK(report->exit_code() == 0);
  std::sort(urls.begin(), urls.end());
  CHECK(urls == std::vector<std::string>{"sqlite:///" + (dir / "a.db").string(),
                                         "sqlite:///" + (dir / "b.db").string()});
  CHECK(sqlite(dir / "a.db", "SELECT version_num FROM embedded_version") == "cccc0003\n");
  CHECK(sqlite(dir / "b.db", "SELECT version_num FROM embedded_version") == "cccc0003\n");
}
