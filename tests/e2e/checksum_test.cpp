// `retort check` and the check upgrade and downgrade run first: each applied
// revision's checksum, recorded in the history table when it ran, against
// the checksum of the SQL its upgrade renders today. A revision edited after
// it was applied, or deleted, stops the runner with exit code 3.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

const RevisionText kItem{"a1", "create item",
                         R"~(  op.create_table("item", {
      retort::Column("id", retort::Integer()).primary_key(),
      retort::Column("name", retort::String(40)),
  });)~",
                         R"~(  op.drop_table("item");)~"};

const RevisionText kPrice{
    "b2", "add price", R"~(  op.add_column("item", retort::Column("price", retort::Integer()));)~",
    R"~(  op.drop_column("item", "price");)~"};

// A project of the two revisions above, both applied.
void make_applied_project(const fs::path& dir) {
  copy_of_project(dir, "applied", [](const fs::path& at) {
    REQUIRE(run_retort(at, "init migrations").status == 0);
    add_revision(at, kItem);
    add_revision(at, kPrice);
    build(at);
    CliRun upgrade = run_retort(at, "upgrade head");
    INFO(upgrade.err);
    REQUIRE(upgrade.status == 0);
  });
}

// Renames a1's column: what a1 renders changes, what the database holds
// does not. The edited, rebuilt scripts replace `dir`'s.
void edit_item_revision(const fs::path& dir) {
  ScratchDir edited_project;
  copy_of_project(edited_project.path(), "applied, then a1 edited", [](const fs::path& at) {
    make_applied_project(at);
    const fs::path source = revision_source(at / "migrations" / "versions", "a1");
    const std::string text = read_text(source);
    const std::string edited =
        std::regex_replace(text, std::regex(R"(Column\("name")"), R"(Column("title")");
    REQUIRE(edited != text);
    std::ofstream(source) << edited;
    build(at);
  });
  const std::string copy = "rm -rf '" + (dir / "migrations").string() + "' && cp -a '" +
                           (edited_project.path() / "migrations").string() + "' '" + dir.string() +
                           "/'";
  REQUIRE(std::system(copy.c_str()) == 0);
}

// The Python expression for revision `id`'s entry in check --json.
std::string entry(const std::string& id) {
  return "[r for r in d['revisions'] if r['revision'] == '" + id + "'][0]";
}

// The revision modules among the files a run opened: retort's units.
std::vector<std::string> revision_modules(const TracedRun& traced) {
  std::vector<std::string> modules;
  for (const std::string& path : traced.opened) {
    if (path.find("/.retort/units/") != std::string::npos) modules.push_back(path);
  }
  return modules;
}

const char* const kStates = "{r['revision']: r['state'] for r in d['revisions']}";

}  // namespace

TEST_CASE("check reports every applied revision ok while its source is unchanged",
          "[e2e][checksum]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_applied_project(dir);

  CliRun check = run_retort(dir, "check --json");
  INFO(check.err);
  CHECK(check.status == 0);
  CHECK(py(dir, check.out, "[d['status'], d['history_table'], d['problems']]") ==
        R"(["ok","retort_history",[]])");
  CHECK(py(dir, check.out, kStates) == R"({"a1":"ok","b2":"ok"})");
  CHECK(py(dir, check.out, "all(r['recorded'] == r['current'] for r in d['revisions'])") == "true");
  CHECK_THAT(py(dir, check.out, entry("a1") + "['recorded']"),
             Catch::Matches("v1:sha256:[0-9a-f]{64}"));
  CHECK(py(dir, check.out, entry("a1") + "['recorded'] != " + entry("b2") + "['recorded']") ==
        "true");

  CliRun plain = run_retort(dir, "check");
  INFO(plain.err);
  CHECK(plain.status == 0);
}

TEST_CASE("check exits 3 and names a revision changed since it was applied", "[e2e][checksum]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_applied_project(dir);
  CliRun before = run_retort(dir, "check --json");
  REQUIRE(before.status == 0);
  const std::string recorded = py(dir, before.out, entry("a1") + "['recorded']");

  edit_item_revision(dir);

  CliRun check = run_retort(dir, "check");
  CHECK(check.status == 3);
  CHECK_THAT(check.out + check.err, Catch::Contains("'a1'") && Catch::Contains("changed"));
  CHECK((check.out + check.err).find("'b2'") == std::string::npos);

  CliRun json = run_retort(dir, "check --json");
  CHECK(json.status == 3);
  CHECK(py(dir, json.out, "d['status']") == "failed");
  CHECK(py(dir, json.out, kStates) == R"({"a1":"changed","b2":"ok"})");
  CHECK(py(dir, json.out, entry("a1") + "['recorded']") == recorded);
  CHECK_THAT(py(dir, json.out, entry("a1") + "['current']"),
             Catch::Matches("v1:sha256:[0-9a-f]{64}") && !Catch::Equals(recorded));
  CHECK(py(dir, json.out, "len(d['problems'])") == "1");
  CHECK_THAT(py(dir, json.out, "d['problems'][0]"),
             Catch::Contains("a1") && !Catch::Contains("\n"));

  SECTION("upgrade and downgrade refuse to run") {
    CliRun upgrade = run_retort(dir, "upgrade head");
    CHECK(upgrade.status == 3);
    CHECK_THAT(upgrade.err,
               Catch::Contains("'a1'") && Catch::Contains("changed since it was applied"));
    CliRun downgrade = run_retort(dir, "downgrade a1");
    CHECK(downgrade.status == 3);
    CHECK_THAT(downgrade.err, Catch::Contains("changed since it was applied"));
    CHECK(run_retort(dir, "current").out == "b2 (head)\n");
  }

  SECTION("--ignore-checksums runs anyway") {
    CliRun downgrade = run_retort(dir, "downgrade a1 --ignore-checksums");
    INFO(downgrade.err);
    CHECK(downgrade.status == 0);
    CHECK(run_retort(dir, "current").out == "a1\n");
    CliRun upgrade = run_retort(dir, "upgrade head --ignore-checksums");
    INFO(upgrade.err);
    CHECK(upgrade.status == 0);
    CHECK(upgrade.out == "Running upgrade a1 -> b2, add price\n");
    CHECK(run_retort(dir, "current").out == "b2 (head)\n");
  }
}

TEST_CASE("check exits 3 when an applied revision is missing from the scripts", "[e2e][checksum]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_applied_project(dir);
  // b2's source and its built module are gone; the database still holds b2.
  const fs::path versions = dir / "migrations" / "versions";
  const fs::path source = revision_source(versions, "b2");
  const std::string stem = source.stem().string();
  fs::remove(source);
  std::vector<fs::path> built;
  for (const auto& file : fs::recursive_directory_iterator(versions)) {
    if (file.is_regular_file() && file.path().stem().string() == stem) built.push_back(file.path());
  }
  REQUIRE_FALSE(built.empty());  // the module
  for (const fs::path& file : built) fs::remove(file);

  CliRun check = run_retort(dir, "check --json");
  CHECK(check.status == 3);
  CHECK(py(dir, check.out, "d['status']") == "failed");
  CHECK(py(dir, check.out, entry("b2") + "['state']") == "missing");
  // a1 may be listed or not: with b2 gone, nothing in the scripts leads to it.
  CHECK(py(dir, check.out,
           "all(r['state'] == 'ok' for r in d['revisions'] if r['revision'] != "
           "'b2')") == "true");
  CHECK(py(dir, check.out, "[" + entry("b2") + "['current']]") == "[null]");
  CHECK_THAT(py(dir, check.out, entry("b2") + "['recorded']"),
             Catch::Matches("v1:sha256:[0-9a-f]{64}"));
  CHECK_THAT(py(dir, check.out, "' '.join(d['problems'])"), Catch::Contains("b2"));

  CliRun plain = run_retort(dir, "check");
  CHECK(plain.status == 3);
  CHECK_THAT(plain.out + plain.err, Catch::Contains("'b2'"));
}

// At head, nothing runs, and the checksum cache, keyed on the very module
// files, says what rendering them would: no module is loaded
// (command/nothing_to_run.cpp).
TEST_CASE("upgrade head at head loads no revision module once their checksums are cached",
          "[e2e][checksum]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_applied_project(dir);
  settle_files();
  // The first run since the files settled renders the revisions, and
  // caches what they render.
  TracedRun first = run_retort_tracing_loads(dir, "upgrade head");
  INFO(first.run.err);
  REQUIRE(first.run.status == 0);
  CHECK_FALSE(revision_modules(first).empty());

  TracedRun second = run_retort_tracing_loads(dir, "upgrade head");
  INFO(second.run.err);
  CHECK(second.run.status == 0);
  CHECK(second.run.out.empty());
  CHECK_FALSE(second.opened.empty());  // the dialect: the trace works
  CHECK(revision_modules(second).empty());
  TracedRun json = run_retort_tracing_loads(dir, "upgrade head --json");
  CHECK(json.run.status == 0);
  CHECK(json.run.out ==
        "{\"direction\":\"upgrade\",\"target\":\"head\",\"steps\":[],\"status\":\"ok\"}\n");
  CHECK(revision_modules(json).empty());

  // What follows runs on this settled project one case after another, the
  // database put back as it was after each: as SECTIONs, each case would
  // copy and settle the project again (2 s).
  const fs::path db = dir / "retort.db";
  const fs::path at_head = dir / "at-head.db";
  fs::copy_file(db, at_head);
  {
    INFO("a recorded checksum that differs is still refused, by the run that loads them");
    sqlite(db,
           "UPDATE retort_history SET checksum = 'v1:sha256:' || printf('%064d', 0) "
           "WHERE revision = 'a1'");
    TracedRun upgrade = run_retort_tracing_loads(dir, "upgrade head");
    CHECK(upgrade.run.status == 3);
    CHECK_THAT(upgrade.run.err,
               Catch::Contains("'a1'") && Catch::Contains("changed since it was applied"));
    CHECK_FALSE(revision_modules(upgrade).empty());
  }
  fs::copy_file(at_head, db, fs::copy_options::overwrite_existing);
  {
    INFO("a step left partial is still refused");
    sqlite(db, "INSERT INTO retort_history SELECT * FROM retort_history WHERE revision = 'b2'");
    sqlite(db,
           "UPDATE retort_history SET event = 'started', seq = seq + 1 WHERE rowid = "
           "(SELECT MAX(rowid) FROM retort_history)");
    TracedRun upgrade = run_retort_tracing_loads(dir, "upgrade head");
    CHECK(upgrade.run.status == 5);
    CHECK_FALSE(revision_modules(upgrade).empty());
  }
  fs::copy_file(at_head, db, fs::copy_options::overwrite_existing);
  {
    INFO(
        "without the checksum cache the database is not read ahead: the run loads the modules, "
        "finds nothing to do and caches the checksums again");
    std::vector<fs::path> caches;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().filename().string().starts_with(".retort-checksums-")) {
        caches.push_back(entry.path());
      }
    }
    REQUIRE(caches.size() == 1);
    fs::remove(caches[0]);
    TracedRun upgrade = run_retort_tracing_loads(dir, "upgrade head");
    INFO(upgrade.run.err);
    CHECK(upgrade.run.status == 0);
    CHECK(upgrade.run.out.empty());
    CHECK_FALSE(revision_modules(upgrade).empty());
    CHECK(fs::exists(caches[0]));
    TracedRun again = run_retort_tracing_loads(dir, "upgrade head");
    CHECK(again.run.status == 0);
    CHECK(revision_modules(again).empty());
  }
  fs::copy_file(at_head, db, fs::copy_options::overwrite_existing);
  {
    INFO("a revision added since runs as ever");
    add_revision(
        dir,
        RevisionText{"c3", "add stock",
                     R"~(  op.add_column("item", retort::Column("stock", retort::Integer()));)~",
                     R"~(  op.drop_column("item", "stock");)~"});
    CliRun upgrade = run_retort(dir, "upgrade head");
    INFO(upgrade.err);
    CHECK(upgrade.status == 0);
    CHECK(upgrade.out == "Running upgrade b2 -> c3, add stock\n");
  }
}
