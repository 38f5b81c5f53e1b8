// The embedding API's ScriptDirectory and Revision, over a graph written to
// disk as revision sources and read as the graph commands read it:
//
//   aaaa0001 (label core) <- bbbb0002 <- cafe0003 <- dddd0005 (merge)
//                                     <- cafe1004 <-/
//   eeee0006 (label audit), a second base and head, depends on aaaa0001
#include <retort/config.hpp>
#include <retort/error.hpp>
#include <retort/script_directory.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Ids = std::vector<std::string>;

namespace {

struct Environment {
  Environment() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("retort-script-api-" + std::to_string(rd()));
    fs::create_directories(dir / "versions");
    write("aaaa0001", "nullptr", "{\"core\"}", "nullptr");
    write("bbbb0002", "\"aaaa0001\"", "{}", "nullptr");
    write("cafe0003", "\"bbbb0002\"", "{}", "nullptr");
    write("cafe1004", "\"bbbb0002\"", "{}", "nullptr");
    write("dddd0005", "{\"cafe0003\", \"cafe1004\"}", "{}", "nullptr");
    write("eeee0006", "nullptr", "{\"audit\"}", "\"aaaa0001\"");
    cfg.set_main_option("script_location", dir.string());
  }
  ~Environment() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void write(const std::string& id, const std::string& down, const std::string& labels,
             const std::string& depends) const {
    std::ofstream(dir / "versions" / (id + "_step.cpp"))
        << "#include <retort/revision.hpp>\n"
        << "RETORT_REVISION(.revision = \"" << id << "\", .down_revision = " << down
        << ", .branch_labels = " << labels << ", .depends_on = " << depends
        << ", .message = \"step " << id << "\", .create_date = \"2026-12-05 01:00:00\")\n";
  }
  retort::ScriptDirectory scripts() const {
    auto scripts = retort::ScriptDirectory::from_config(cfg);
    INFO(scripts.error().message());
    REQUIRE(scripts);
    return *scripts;
  }

  fs::path dir;
  retort::Config cfg;
};

Ids ids(const std::vector<retort::Revision>& revisions) {
  Ids out;
  for (const auto& rev : revisions) out.push_back(rev.revision());
  return out;
}

retort::Revision revision(const retort::ScriptDirectory& scripts, const std::string& id) {
  auto rev = scripts.get_revision(id);
  INFO(rev.error().message());
  REQUIRE(rev);
  REQUIRE(rev->has_value());
  return **rev;
}

}  // namespace

TEST_CASE("script directory lists its heads and bases sorted by id", "[script_directory_api]") {
  Environment env;
  const retort::ScriptDirectory scripts = env.scripts();
  CHECK(scripts.get_heads() == Ids{"dddd0005", "eeee0006"});
  CHECK(scripts.get_bases() == Ids{"aaaa0001", "eeee0006"});
  CHECK(scripts.dir() == env.dir.string());
  CHECK(scripts.version_locations() == Ids{(env.dir / "versions").string()});
}

TEST_CASE("a revision shows what its source declares and where it stands in the graph",
          "[script_directory_api]") {
  Environment env;
  const retort::ScriptDirectory scripts = env.scripts();

  const retort::Revision base = revision(scripts, "aaaa0001");
  CHECK(base.down_revisions().empty());
  CHECK(base.branch_labels() == Ids{"core"});
  CHECK(base.message() == "step aaaa0001");
  CHECK(base.create_date() == "2026-12-05 01:00:00");
  CHECK(fs::path(base.path()) == env.dir / "versions" / "aaaa0001_step.cpp");
  CHECK((base.is_base() && !base.is_head() && !base.is_branch_point() && !base.is_merge_point()));

  const retort::Revision fork = revision(scripts, "bbbb0002");
  CHECK(fork.down_revisions() == Ids{"aaaa0001"});
  CHECK(fork.branch_labels() == Ids{"core"});  // carried up from aaaa0001
  CHECK((fork.is_branch_point() && !fork.is_base() && !fork.is_head()));

  const retort::Revision merge = revision(scripts, "dddd0005");
  CHECK(merge.down_revisions() == Ids{"cafe0003", "cafe1004"});
  CHECK((merge.is_merge_point() && merge.is_head() && !merge.is_branch_point()));

  const retort::Revision audit = revision(scripts, "audit");
  CHECK(audit.revision() == "eeee0006");
  CHECK(audit.dependencies() == Ids{"aaaa0001"});
  CHECK((audit.is_base() && audit.is_head()));
}

TEST_CASE("get_revision takes a prefix and label@head and gives no revision for base",
          "[script_directory_api]") {
  Environment env;
  const retort::ScriptDirectory scripts = env.scripts();
  CHECK(revision(scripts, "dddd").revision() == "dddd0005");
  CHECK(revision(scripts, "audit@head").revision() == "eeee0006");
  auto base = scripts.get_revision("base");
  REQUIRE(base);
  CHECK_FALSE(base->has_value());
}

TEST_CASE("walk_revisions goes from the heads down to base with children before their parents",
          "[script_directory_api]") {
  Environment env;
  const retort::ScriptDirectory scripts = env.scripts();
  auto all = scripts.walk_revisions();
  INFO(all.error().message());
  REQUIRE(all);
  const Ids walked = ids(*all);
  REQUIRE(walked.size() == 6);
  auto at = [&](const std::string& id) {
    return std::find(walked.begin(), walked.end(), id) - walked.begin();
  };
  CHECK(walked.front() == "dddd0005");
  CHECK(at("dddd0005") < at("cafe0003"));
  CHECK(at("dddd0005") < at("cafe1004"));
  CHECK(at("cafe0003") < at("bbbb0002"));
  CHECK(at("cafe1004") < at("bbbb0002"));
  CHECK(at("bbbb0002") < at("aaaa0001"));
  CHECK(at("eeee0006") < at("aaaa0001"));  // it depends on aaaa0001

  auto part = scripts.walk_revisions("bbbb0002", "dddd0005");
  REQUIRE(part);
  CHECK(ids(*part) == Ids{"dddd0005", "cafe0003", "cafe1004", "bbbb0002"});
}

TEST_CASE("head with two heads is a multiple heads error that names the heads",
          "[script_directory_api][error_detail]") {
  Environment env;
  auto head = env.scripts().get_revision("head");
  REQUIRE_FALSE(head);
  const retort::Error err = head.error();
  CHECK(err.category() == retort::ErrorCategory::kRevision);
  const auto* heads = err.detail<retort::MultipleHeads>();
  REQUIRE(heads != nullptr);
  CHECK(heads->heads == Ids{"dddd0005", "eeee0006"});
  CHECK(heads->argument == "head");
  CHECK(err.detail<retort::UnknownRevision>() == nullptr);
}

TEST_CASE("an identifier that names nothing is an unknown revision error that names it",
          "[script_directory_api][error_detail]") {
  Environment env;
  auto rev = env.scripts().get_revision("ffff0009");
  REQUIRE_FALSE(rev);
  const auto* unknown = rev.error().detail<retort::UnknownRevision>();
  REQUIRE(unknown != nullptr);
  CHECK(unknown->revision == "ffff0009");
}

TEST_CASE("a prefix of two revision ids is an ambiguous prefix error that lists both",
          "[script_directory_api][error_detail]") {
  Environment env;
  auto rev = env.scripts().get_revision("cafe");
  REQUIRE_FALSE(rev);
  CHECK_THAT(rev.error().message(), Catch::Contains("Multiple revisions start with 'cafe'"));
  const auto* ambiguous = rev.error().detail<retort::AmbiguousPrefix>();
  REQUIRE(ambiguous != nullptr);
  CHECK(ambiguous->prefix == "cafe");
  CHECK(ambiguous->candidates == Ids{"cafe0003", "cafe1004"});
}

TEST_CASE("a script directory without script_location is a config error",
          "[script_directory_api]") {
  retort::Config cfg;
  auto scripts = retort::ScriptDirectory::from_config(cfg);
  REQUIRE_FALSE(scripts);
  CHECK_THAT(scripts.error().message(), Catch::Contains("script_location"));
}
