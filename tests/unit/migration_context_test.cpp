// MigrationContext against a real SQLite file: the version table's rows per
// step, and the online check that an UPDATE or DELETE touches exactly one row
// (Alembic's test_version_table.py, UpdateRevTest).
#include "runtime/migration_context.hpp"
#include "plugin/host_dialect.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using namespace retort;

namespace {

struct Database {
  Database() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("retort-context-" + std::to_string(rd()) + ".db");
    auto loaded = Dialect::load(std::string(RETORT_TEST_DIALECT_DIR) + "/sqlite.so");
    REQUIRE(loaded);
    dialect.emplace(std::move(*loaded));
  }
  ~Database() {
    std::error_code ec;
    fs::remove(path, ec);
  }

  MigrationContext connect() {
    auto url = retort::DatabaseUrl::parse("sqlite:///" + path.string());
    REQUIRE(url);
    auto ctx = MigrationContext::connect(*dialect, *url, "version_table");
    REQUIRE(ctx);
    return std::move(*ctx);
  }

  fs::path path;
  std::optional<Dialect> dialect;
};

// A stamp step: the version table changes, no revision runs.
MigrationStep stamp(std::vector<std::string> from, std::vector<std::string> to) {
  MigrationStep step{nullptr, true, std::move(from), std::move(to)};
  step.stamp = true;
  return step;
}

std::vector<std::string> sorted_rows(MigrationContext& ctx) {
  auto rows = ctx.current_heads();
  REQUIRE(rows);
  std::sort(rows->begin(), rows->end());
  return *rows;
}

Error run(MigrationContext& ctx, std::vector<MigrationStep> steps) {
  std::ostringstream log;
  return ctx.run(steps, log);
}

}  // namespace

TEST_CASE("reading the version rows does not create the version table",
          "[migration_context][sqlite]") {
  Database db;
  MigrationContext ctx = db.connect();
  CHECK(sorted_rows(ctx).empty());
  CHECK(sorted_rows(ctx).empty());
  REQUIRE_FALSE(run(ctx, {}));
  CHECK(sorted_rows(ctx).empty());
}

TEST_CASE("version rows follow inserts, updates, merges and unmerges",
          "[migration_context][sqlite]") {
  Database db;
  MigrationContext ctx = db.connect();
  REQUIRE_FALSE(run(ctx, {stamp({}, {"a"})}));
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"a"});
  REQUIRE_FALSE(run(ctx, {stamp({"a"}, {"b"}), stamp({}, {"c"})}));
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"b", "c"});
  REQUIRE_FALSE(run(ctx, {stamp({"c"}, {"d"}), stamp({"d"}, {"e1"}), stamp({}, {"e2"})}));
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"b", "e1", "e2"});
  // A merge deletes all but one parent and updates that one.
  REQUIRE_FALSE(run(ctx, {stamp({"e1", "e2"}, {"f"})}));
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"b", "f"});
  // An unmerge inserts all but one and updates the merge's row to the last.
  REQUIRE_FALSE(run(ctx, {stamp({"f"}, {"e1", "e2"})}));
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"b", "e1", "e2"});
  REQUIRE_FALSE(run(ctx, {stamp({"b"}, {}), stamp({"e1"}, {}), stamp({"e2"}, {})}));
  CHECK(sorted_rows(ctx).empty());
}

TEST_CASE("an online update that matches no row stops the run", "[migration_context][sqlite]") {
  Database db;
  MigrationContext ctx = db.connect();
  REQUIRE_FALSE(run(ctx, {stamp({}, {"a"})}));
  Error err = run(ctx, {stamp({"x"}, {"b"})});
  REQUIRE(err);
  CHECK(err.message() ==
        "online migration expected to match one row when updating 'x' to 'b' in version table "
        "'version_table'; 0 found");
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"a"});
}

TEST_CASE("an online delete that matches no row stops the run", "[migration_context][sqlite]") {
  Database db;
  MigrationContext ctx = db.connect();
  REQUIRE_FALSE(run(ctx, {stamp({}, {"a"})}));
  Error err = run(ctx, {stamp({"x"}, {})});
  REQUIRE(err);
  CHECK(err.message() ==
        "online migration expected to match one row when deleting 'x' in version table "
        "'version_table'; 0 found");
  CHECK(sorted_rows(ctx) == std::vector<std::string>{"a"});
}
