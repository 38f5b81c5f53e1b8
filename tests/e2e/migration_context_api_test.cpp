// The embedding API's MigrationContext on SQLite: the version table's rows,
// stamp through a ScriptDirectory, and the start-up check is_at_head. The
// chain is aaaa0001 <- bbbb0002 <- cccc0003 (chain_fixture.hpp); nothing here
// runs a revision, so nothing is compiled.
#include "chain_fixture.hpp"
#include "e2e_harness.hpp"

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/migration_context.hpp>
#include <retort/script_directory.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace retort::test;
using Ids = std::vector<std::string>;

namespace {

struct App {
  App() {
    make_chain(scratch.path());
    cfg.set_main_option("script_location", (scratch.path() / "migrations").string());
    cfg.set_main_option("url", "sqlite:///" + db().string());
    cfg.set_output(out);
  }
  fs::path db() const { return scratch.path() / "app.db"; }
  retort::MigrationContext context() const {
    auto ctx = retort::MigrationContext::configure(cfg);
    INFO(ctx.error().message());
    REQUIRE(ctx);
    return std::move(*ctx);
  }
  retort::ScriptDirectory scripts() const {
    auto scripts = retort::ScriptDirectory::from_config(cfg);
    INFO(scripts.error().message());
    REQUIRE(scripts);
    return *scripts;
  }

  ScratchDir scratch;
  retort::Config cfg;
  std::ostringstream out;
};

}  // namespace

TEST_CASE("a new database has no current heads and no current revision",
          "[e2e][migration_context_api][sqlite]") {
  App app;
  retort::MigrationContext ctx = app.context();
  auto heads = ctx.get_current_heads();
  REQUIRE(heads);
  CHECK(heads->empty());
  auto current = ctx.get_current_revision();
  REQUIRE(current);
  CHECK_FALSE(current->has_value());
}

TEST_CASE("stamp sets the version table without running a revision and the context reads it back",
          "[e2e][migration_context_api][sqlite]") {
  App app;
  retort::MigrationContext ctx = app.context();
  const retort::ScriptDirectory scripts = app.scripts();
  // A read first: the context must not keep the database locked for the stamp.
  REQUIRE(ctx.get_current_heads());

  retort::Error err = ctx.stamp(scripts, {"bbbb0002"});
  INFO(err.message());
  REQUIRE_FALSE(err);
  auto current = ctx.get_current_revision();
  REQUIRE(current);
  CHECK(*current == std::optional<std::string>("bbbb0002"));
  CHECK(sqlite(app.db(), "SELECT version_num FROM retort_version") == "bbbb0002\n");
  // Stamped, not run: aaaa0001 would have created the account table.
  CHECK(sqlite(app.db(), "SELECT count(*) FROM sqlite_master WHERE name = 'account'") == "0\n");
  CHECK_THAT(app.out.str(), Catch::Contains("Running stamp_revision  -> bbbb0002"));

  REQUIRE_FALSE(ctx.stamp(scripts, {"head"}));
  CHECK(ctx.get_current_heads()->at(0) == "cccc0003");
}

TEST_CASE("is_at_head is true only when the version table holds every head",
          "[e2e][migration_context_api][sqlite]") {
  App app;
  auto before = retort::command::is_at_head(app.cfg);
  REQUIRE(before);
  CHECK_FALSE(*before);
  REQUIRE_FALSE(app.context().stamp(app.scripts(), {"heads"}));
  auto after = retort::command::is_at_head(app.cfg);
  INFO(after.error().message());
  REQUIRE(after);
  CHECK(*after);
}

TEST_CASE("a version table with two rows gives both heads sorted and refuses a single revision",
          "[e2e][migration_context_api][sqlite][error_detail]") {
  App app;
  sqlite(app.db(),
         "CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
         "INSERT INTO retort_version VALUES ('zz02'); INSERT INTO retort_version VALUES ('aa01');");
  auto ctx = retort::MigrationContext::configure("sqlite:///" + app.db().string());
  REQUIRE(ctx);
  auto heads = ctx->get_current_heads();
  REQUIRE(heads);
  CHECK(*heads == Ids{"aa01", "zz02"});

  auto current = ctx->get_current_revision();
  REQUIRE_FALSE(current);
  CHECK_THAT(current.error().message(),
             Catch::Contains("version table 'retort_version' has more than one head present"));
  const auto* multiple = current.error().detail<retort::MultipleHeads>();
  REQUIRE(multiple != nullptr);
  CHECK(multiple->heads == Ids{"aa01", "zz02"});
}

TEST_CASE("stamp to an unknown revision or over a row the scripts lack names the revision",
          "[e2e][migration_context_api][sqlite][error_detail]") {
  App app;
  retort::MigrationContext ctx = app.context();
  const retort::ScriptDirectory scripts = app.scripts();

  retort::Error unknown_target = ctx.stamp(scripts, {"ffff0009"});
  REQUIRE(unknown_target);
  const auto* target = unknown_target.detail<retort::UnknownRevision>();
  REQUIRE(target != nullptr);
  CHECK(target->revision == "ffff0009");

  sqlite(app.db(),
         "CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
         "INSERT INTO retort_version VALUES ('0dd0ne');");
  retort::Error unknown_row = ctx.stamp(scripts, {"head"});
  REQUIRE(unknown_row);
  const auto* row = unknown_row.detail<retort::UnknownRevision>();
  REQUIRE(row != nullptr);
  CHECK(row->revision == "0dd0ne");
  auto at_head = retort::command::is_at_head(app.cfg);
  REQUIRE_FALSE(at_head);
  CHECK(at_head.error().detail<retort::UnknownRevision>() != nullptr);
}

TEST_CASE("an application gets the revisions of a checksum mismatch and of a step left partway",
          "[e2e][migration_context_api][sqlite][error_detail]") {
  App app;
  REQUIRE_FALSE(retort::command::upgrade(app.cfg, "head"));  // the chain is built: no compile
  std::ostringstream check_out;
  retort::Config checking = app.cfg;
  checking.set_output(check_out);

  SECTION("a recorded checksum that differs from today's") {
    sqlite(app.db(), "UPDATE retort_history SET checksum = 'v1:sha256:" + std::string(64, '0') +
                         "' WHERE revision = 'aaaa0001'");
    retort::Error err = retort::command::check(checking);
    REQUIRE(err);
    CHECK(err.category() == retort::ErrorCategory::kChecksum);
    const auto* mismatch = err.detail<retort::ChecksumMismatch>();
    REQUIRE(mismatch != nullptr);
    CHECK(mismatch->changed == Ids{"aaaa0001"});
    CHECK(mismatch->missing.empty());
  }

  SECTION("a step whose runner stopped after it started") {
    sqlite(app.db(),
           "INSERT INTO retort_history (run_id, seq, revision, direction, event, statements_done, "
           "statements_total, checksum, recorded_at, who, dialect) SELECT 'handrun', 1, "
           "'cccc0003', 'upgrade', 'started', 0, 2, checksum, '2099-01-01T00:00:00.000000Z', "
           "'app@test pid 1', 'sqlite' FROM retort_history WHERE revision = 'cccc0003' AND "
           "event = 'done'");
    retort::Error err = retort::command::upgrade(app.cfg, "head");
    REQUIRE(err);
    CHECK(err.category() == retort::ErrorCategory::kPartialStep);
    const auto* step = err.detail<retort::UnresolvedStep>();
    REQUIRE(step != nullptr);
    CHECK(step->revision == "cccc0003");
    CHECK(step->direction == "upgrade");
    CHECK(step->run == "handrun");
    CHECK(step->statements_done == 0);
  }
}

TEST_CASE("with two heads is_at_head holds and current_revisions equals head_revisions",
          "[e2e][migration_context_api][sqlite]") {
  // aaaa0001 <- zzzz0002 and aaaa0001 <- bbbb0003. The graph lists its heads
  // zzzz0002 first (the sources' order), the version table bbbb0003 first
  // (stamped first). Read and stamped only, so never compiled.
  ScratchDir scratch;
  const fs::path versions = scratch.path() / "migrations" / "versions";
  fs::create_directories(versions);
  int n = 0;
  for (const auto& [id, down] :
       {std::pair{"aaaa0001", "nullptr"}, std::pair{"zzzz0002", "\"aaaa0001\""},
        std::pair{"bbbb0003", "\"aaaa0001\""}}) {
    // Files named in this order: the graph's own order has zzzz0002 first.
    std::ofstream(versions / (std::to_string(++n) + "_" + id + ".cpp"))
        << "#include <retort/revision.hpp>\nRETORT_REVISION(.revision = \"" << id
        << "\", .down_revision = " << down << ")\n";
  }
  retort::Config cfg;
  cfg.set_main_option("script_location", (scratch.path() / "migrations").string());
  cfg.set_main_option("url", "sqlite:///" + (scratch.path() / "app.db").string());
  std::ostringstream out;
  cfg.set_output(out);

  auto scripts = retort::ScriptDirectory::from_config(cfg);
  REQUIRE(scripts);
  auto ctx = retort::MigrationContext::configure(cfg);
  REQUIRE(ctx);
  REQUIRE_FALSE(ctx->stamp(*scripts, {"bbbb0003"}));
  REQUIRE_FALSE(ctx->stamp(*scripts, {"zzzz0002"}));

  auto current = retort::command::current_revisions(cfg);
  auto heads = retort::command::head_revisions(cfg);
  REQUIRE(current);
  REQUIRE(heads);
  CHECK(*current == Ids{"bbbb0003", "zzzz0002"});
  CHECK(*current == *heads);
  auto at_head = retort::command::is_at_head(cfg);
  REQUIRE(at_head);
  CHECK(*at_head);
}
