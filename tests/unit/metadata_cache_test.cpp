// The source metadata cache: a source whose size and modification time are
// unchanged is not read again; any change, a corrupt cache or a file edited
// too recently to trust is read from its text.
#include "script/metadata_cache.hpp"

#include "script/metadata_cache_file.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using retort::LocationScan;
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

// The location's own stamp, as a cache records it.
retort::DirStamp stamp_of_dir(const fs::path& dir) {
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  return retort::dir_stamp_of(st);
}

// Creates the location's build directory (which changes its stamp) and
// waits until its stamp is old enough for a cache to record it.
void settle(const fs::path& location) {
  fs::create_directories(location / "build" / ".retort");
  const int fd = ::open(location.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  const bool keeps = retort::keeps_directory_times(fd);
  ::close(fd);
  INFO("the temporary directory's file system must be one that keeps directory times");
  REQUIRE(keeps);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
}

std::string d_line(const fs::path& location, size_t sources) {
  const retort::DirStamp d = stamp_of_dir(location);
  return "D\t" + std::to_string(d.inode) + "\t" + std::to_string(d.mtime_ns) + "\t" +
         std::to_string(d.ctime_ns) + "\t" + std::to_string(sources) + "\n";
}

// What a LocationScan's caches gave, and what the listings then said.
struct CachedRead {
  bool taken = false;
  std::vector<std::string> given;  // "id path", in the order given
  bool current = false;
  std::vector<std::string> modules;
};

CachedRead cached_read(const std::vector<fs::path>& locations) {
  std::vector<std::string> dirs;
  for (const fs::path& l : locations) dirs.push_back(l.string());
  LocationScan scan(dirs);
  CachedRead out;
  std::vector<retort::Revision> revisions;
  out.taken = scan.take_cached(revisions);
  for (const retort::Revision& r : revisions) out.given.push_back(r.id + " " + r.path);
  out.current = scan.cache_current();
  out.modules = scan.modules();
  return out;
}

// The same, as read_location gives the sources (merged by path).
std::vector<std::string> read_usually(const std::vector<fs::path>& locations) {
  std::vector<retort::SourceDeclarations> sources;
  for (const fs::path& l : locations) {
    auto read = read_location(l.string());
    REQUIRE(read);
    for (auto& s : read->sources) sources.push_back(std::move(s));
  }
  std::sort(sources.begin(), sources.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  std::vector<std::string> out;
  for (const auto& s : sources) {
    for (const retort::Revision& r : s.declared) out.push_back(r.id + " " + r.path);
  }
  return out;
}

const std::string kPack =
    "#include <retort/revision.hpp>\n"
    "RETORT_REVISION(.revision = \"p1\", .down_revision = \"r1\", .message = \"one\")\n"
    "RETORT_REVISION(.revision = \"p2\", .down_revision = \"p1\", .message = \"two\")\n";

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
  SECTION("a damaged escape in a cached value is not trusted") {
    std::string cache = cache_text(loc.dir);
    const size_t escape = cache.find("line\\sone");
    REQUIRE(escape != std::string::npos);
    cache.replace(escape + 4, 2, "\\q");
    std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << cache;
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

// Graph commands build the map from the caches while the sources are
// statted, and keep it only when the caches were the whole truth.
TEST_CASE("the caches give the revisions in the order and with the paths the sources give",
          "[metadata_cache]") {
  Location loc;
  // A second location inside the first: its sources sort between the first's.
  const fs::path outer = loc.dir / "v";
  const fs::path inner = loc.dir / "v" / "s";
  fs::create_directories(inner);
  write(outer / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(inner / "pack.cpp", kPack, std::chrono::hours(1));
  write(outer / "z9_z.cpp", source("z9", "\"p2\"", "z"), std::chrono::hours(1));
  std::ofstream(outer / "pack.so") << "listed, not loaded";
  const std::vector<std::string> expected = {
      "r1 " + (outer / "r1_a.cpp").string(), "p1 " + (inner / "pack.cpp").string(),
      "p2 " + (inner / "pack.cpp").string(), "z9 " + (outer / "z9_z.cpp").string()};
  REQUIRE(read_usually({outer, inner}) == expected);  // and the caches are written

  const CachedRead read = cached_read({outer, inner});
  CHECK(read.taken);
  CHECK(read.given == expected);
  CHECK(read.current);
  CHECK(read.modules == std::vector<std::string>{(outer / "pack.so").string()});
}

TEST_CASE("the caches are not current once a source is edited added removed or renamed",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  REQUIRE(cached_read({loc.dir}).current);

  SECTION("edited: the same size at another time") {
    fs::last_write_time(loc.dir / "r2_b.cpp",
                        fs::last_write_time(loc.dir / "r2_b.cpp") - std::chrono::seconds(10));
  }
  SECTION("added") {
    write(loc.dir / "r3_c.cpp", source("r3", "\"r2\"", "c"), std::chrono::hours(1));
  }
  SECTION("removed") { fs::remove(loc.dir / "r2_b.cpp"); }
  SECTION("renamed") { fs::rename(loc.dir / "r2_b.cpp", loc.dir / "r2_c.cpp"); }
  const CachedRead read = cached_read({loc.dir});
  CHECK(read.taken);
  CHECK_FALSE(read.current);
}

TEST_CASE("after the caches' revisions are taken the sources are still read through the cache",
          "[metadata_cache]") {
  Location loc;
  const fs::path unchanged = loc.dir / "r1_a.cpp";
  write(unchanged, source("r1", "nullptr", "a"), std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  // r1's text no longer declares it (same size and time): only the cache can.
  const auto time = fs::last_write_time(unchanged);
  const std::string same_size(fs::file_size(unchanged), '?');
  std::ofstream(unchanged, std::ios::binary) << same_size;
  fs::last_write_time(unchanged, time);
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));

  LocationScan scan({loc.dir.string()});
  std::vector<retort::Revision> taken;
  REQUIRE(scan.take_cached(taken));
  CHECK_FALSE(scan.cache_current());
  auto read = scan.contents();
  REQUIRE(read);
  REQUIRE(read->sources.size() == 2);
  CHECK(read->sources[0].declared.at(0).id == "r1");
  CHECK(read->sources[1].declared.at(0).id == "r2");
  CHECK(cache_text(loc.dir).find("r2_b.cpp") != std::string::npos);
}

TEST_CASE("a location without a cache gives no cached revisions", "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  const CachedRead read = cached_read({loc.dir});
  CHECK_FALSE(read.taken);
  CHECK_FALSE(read.current);
  // Its directory is made by the first listing; the cache by contents().
  CHECK(fs::is_directory(loc.dir / "build" / ".retort"));
  CHECK_FALSE(fs::exists(loc.dir / "build" / ".retort" / "metadata"));
}

TEST_CASE("a cached source that declares no revision gives no cached revisions",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "notes.cpp", "// no revision here\n", std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  REQUIRE(cache_text(loc.dir).find("notes.cpp") != std::string::npos);
  CHECK_FALSE(cached_read({loc.dir}).taken);
}

// When the location's stamp is the one its cache recorded, no entry came or
// went, and the cache's names stand for the listing (no readdir).
TEST_CASE("the cache records its location's stamp once the location is old enough",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));
  REQUIRE(read_location(loc.dir.string()));
  // Just created: too recent to vouch for.
  CHECK(cache_text(loc.dir).find("\nD\t") == std::string::npos);
  settle(loc.dir);
  REQUIRE(read_location(loc.dir.string()));
  CHECK(cache_text(loc.dir).find(d_line(loc.dir, 2)) != std::string::npos);
}

TEST_CASE("while the location's stamp is the recorded one the cache's names stand for its listing",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  write(loc.dir / "r2_b.cpp", source("r2", "\"r1\"", "b"), std::chrono::hours(1));
  settle(loc.dir);
  REQUIRE(read_location(loc.dir.string()));
  const std::string cache = cache_text(loc.dir);
  REQUIRE(cache.find(d_line(loc.dir, 2)) != std::string::npos);
  // A cache that leaves r2 out, yet vouches for the location as it is: only
  // a cache taken at its word gives r1 alone. (retort never writes one.)
  const size_t r2 = cache.find("S\tr2_b.cpp");
  REQUIRE(r2 != std::string::npos);
  std::string partial = cache.substr(0, r2);
  partial.replace(partial.find(d_line(loc.dir, 2)), d_line(loc.dir, 2).size(), d_line(loc.dir, 1));
  std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << partial;
  {
    auto read = read_location(loc.dir.string());
    REQUIRE(read);
    CHECK(read->sources.size() == 1);
  }

  SECTION("an entry that comes and goes changes the stamp: the location is listed") {
    std::ofstream(loc.dir / "scratch.txt") << "x";
    fs::remove(loc.dir / "scratch.txt");
    std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << partial;
    auto read = read_location(loc.dir.string());
    REQUIRE(read);
    CHECK(read->sources.size() == 2);
  }
  SECTION("a count that the names do not add up to: the location is listed") {
    std::string wrong = partial;
    wrong.replace(wrong.find(d_line(loc.dir, 1)), d_line(loc.dir, 1).size(), d_line(loc.dir, 2));
    std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << wrong;
    auto read = read_location(loc.dir.string());
    REQUIRE(read);
    CHECK(read->sources.size() == 2);
  }
}

TEST_CASE("a source edited in place is read again while the cache vouches for its location",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  settle(loc.dir);
  REQUIRE(read_location(loc.dir.string()));
  REQUIRE(cache_text(loc.dir).find(d_line(loc.dir, 1)) != std::string::npos);
  // Written in place: the location's entries and its stamp stay as they were.
  std::ofstream(loc.dir / "r1_a.cpp", std::ios::binary) << source("r9", "nullptr", "edited");
  fs::last_write_time(loc.dir / "r1_a.cpp",
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  REQUIRE(cache_text(loc.dir).find(d_line(loc.dir, 1)) != std::string::npos);
  auto read = read_location(loc.dir.string());
  REQUIRE(read);
  CHECK(read->sources.at(0).declared.at(0).id == "r9");
}

TEST_CASE("a current cache that recorded another stamp of its location is stamped again",
          "[metadata_cache]") {
  Location loc;
  write(loc.dir / "r1_a.cpp", source("r1", "nullptr", "a"), std::chrono::hours(1));
  settle(loc.dir);
  REQUIRE(read_location(loc.dir.string()));
  const std::string cache = cache_text(loc.dir);
  const std::string line = d_line(loc.dir, 1);
  REQUIRE(cache.find(line) != std::string::npos);
  // As a project copied with its build directory would have it.
  std::string copied = cache;
  copied.replace(copied.find(line), line.size(), "D\t1\t2\t3\t1\n");
  std::ofstream(loc.dir / "build" / ".retort" / "metadata", std::ios::binary) << copied;
  const CachedRead read = cached_read({loc.dir});
  CHECK(read.current);
  CHECK(cache_text(loc.dir) == cache);
}
