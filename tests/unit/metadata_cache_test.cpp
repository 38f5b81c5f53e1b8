// The source metadata cache: a source whose size and modification time are
// unchanged is not read again; any change, a corrupt cache or a file edited
// too recently to trust is read from its text.
#include "script/metadata_cache.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using retort::read_location;

namespace {

struct Location {
  Location() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("retort-metadata-" + std::to_string(rd()));
    fs::create_directories(dir);
  }
  ~Location() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path dir;
};

std::string source(const std::string& id, const std::string& down, const std::string& message) {
  return "#include <retort/revision.hpp>\nRETORT_REVISION(.revision = \"" + id +
         "\", .down_revision = " + down + ", .branch_labels = {\"a b\", \"c\\td\"},\n" +
         "    .message = \"" + message + "\", .create_date = \"2026-12-04 00:00:00\")\n";
}

// Writes `text` to `path` and dates it `age` ago.
void write(const fs::path& path, const std::string& text, std::chrono::seconds age) {
  std::ofstream(path, std::ios::binary) << text;
  fs::last_write_time(path, fs::file_time_type::clock::now() - age);
}

std::string cache_text(const fs::path& location) {
  std::ifstream in(location / "build" / ".retort" / "metadata", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("an unchanged source is answered from the cache without being read", "[metadata_cache]") {
  Location loc;
  const fs::path file = loc.dir / "r1_first.cpp";
  const std::string original = source("r1", "nullptr", "line one\\nline two");
  write(file, original, std::chrono::hours(1));
  auto first = read_location(loc.dir.string());
  REQUIRE(first);
  REQUIRE(first->sources.size() == 1);
  const retort::Revision expected = first->sources[0].declared.at(0);
  CHECK(expected.id == "r1");
  CHECK(expected.message == "line one\nline two");
  CHECK(expected.branch_labels == std::vector<std::string>{"a b", "c\td"});

  // Same size and time, text without a revision: only the cache can answer.
  const auto time = fs::last_write_time(file);
  std::ofstream(file, std::ios::binary) << std::string(original.size(), '?');
  fs::last_write_time(file, time);
  auto second = read_location(loc.dir.string());
  REQUIRE(second);
  const retort::Revision& cached = second->sources[0].declared.at(0);
  CHECK(cached.id == expected.id);
  CHECK(cached.down_revisions == expected.down_revisions);
  CHECK(cached.branch_labels == expected.branch_labels);
  CHECK(cached.message == expected.message);
  CHECK(cached.create_date == expected.create_date);
  CHECK(cached.path == file.string());

  SECTION("a changed modification time reads the text again") {
    fs::last_write_time(file, time - std::chrono::seconds(10));
    auto third = read_location(loc.dir.string());
    REQUIRE(third);
    CHECK(third->sources[0].declared.empty());
  }
  SECTION("a corrupt cache is ignored") {
    std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary)
        << "retort source metadata 1\nS\tr1_first.cpp\tnot-a-number\t0\n";
    auto third = read_location(loc.dir.string());
    REQUIRE(third);
    CHECK(third->sources[0].declared.empty());
  }
}

TEST_CASE("a source edited within the file system's time granularity is not cached",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_old.cpp", source("r1", "nullptr", "old"), std::chrono::hours(1));
  write(loc.dir / "r2_new.cpp", source("r2", "\"r1\"", "new"), std::chrono::seconds(0));
  auto read = read_location(loc.dir.string());
  REQUIRE(read);
  REQUIRE(read->sources.size() == 2);
  CHECK(read->sources[1].declared.at(0).down_revisions == std::vector<std::string>{"r1"});
  const std::string cache = cache_text(loc.dir);
  CHECK(cache.find("r1_old.cpp") != std::string::npos);
  CHECK(cache.find("r2_new.cpp") == std::string::npos);
}

TEST_CASE("a removed source leaves the cache", "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  fs::remove(loc.dir / "r2_b.cpp");
  auto read = read_location(loc.dir.string());
  REQUIRE(read);
  CHECK(read->sources.size() == 1);
  CHECK(cache_text(loc.dir).find("r2_b.cpp") == std::string::npos);
}

TEST_CASE("a whole-second modification time is trusted later than a sub-second one",
          "[metadata_cache]") {
  Location loc;
  using namespace std::chrono;
  const auto now = fs::file_time_type::clock::now();
  // A whole second ahead, as a file system that keeps whole seconds may
  // round: too recent however slowly this test runs.
  const auto coarse = time_point_cast<seconds>(now) + seconds(1);
  write(loc.dir / "r1_coarse.cpp", source("r1", "nullptr", "coarse"), seconds(0));
  fs::last_write_time(loc.dir / "r1_coarse.cpp", coarse);
  // A second old, with sub-second precision: old enough.
  write(loc.dir / "r2_fine.cpp", source("r2", "\"r1\"", "fine"), seconds(0));
  fs::last_write_time(loc.dir / "r2_fine.cpp", now - seconds(1) + nanoseconds(7));
  REQUIRE(read_location(loc.dir.string()));
  const std::string cache = cache_text(loc.dir);
  CHECK(cache.find("r1_coarse.cpp") == std::string::npos);
  CHECK(cache.find("r2_fine.cpp") != std::string::npos);
}

TEST_CASE("the modules in a location are listed with its sources", "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  std::ofstream(loc.dir / "pack.so") << "not loaded here";
  std::ofstream(loc.dir / "notes.txt") << "neither";
  auto read = read_location(loc.dir.string());
  REQUIRE(read);
  CHECK(read->sources.size() == 1);
  CHECK(read->modules == std::vector<std::string>{(loc.dir / "pack.so").string()});
}

// The cache is read in step with the sorted listing; one written in another
// order (by hand, or by a future version) must cost time, never answers.
TEST_CASE("a cache whose entries are out of order still gives every source its revisions",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  const std::string cache = cache_text(loc.dir);
  const size_t second = cache.find("S\tr2_b.cpp");
  REQUIRE(second != std::string::npos);
  const size_t first = cache.find("S\tr1_a.cpp");
  REQUIRE(first != std::string::npos);
  // r2's entry first, then r1's: the reader stops at r1 and reads it from
  // its text; a stale r1 entry in the cache would otherwise hide the edit.
  const std::string swapped =
      cache.substr(0, first) + cache.substr(second) + cache.substr(first, second - first);
  std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << swapped;
  auto read = read_location(loc.dir.string());
  REQUIRE(read);
  REQUIRE(read->sources.size() == 2);
  CHECK(read->sources[0].declared.at(0).id == "r1");
  CHECK(read->sources[1].declared.at(0).id == "r2");
  CHECK(read->sources[1].declared.at(0).down_revisions == std::vector<std::string>{"r1"});
  // And the cache is written again in order.
  CHECK(cache_text(loc.dir) == cache);
}
