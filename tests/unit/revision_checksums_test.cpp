// Revision checksums and the cache that spares rendering them again: read
// while the revision modules, the dialect and the host are the files they
// were, rendered again when any of them changed or the cache cannot be
// read. Each test works on copies of the "pack" module and the sqlite
// dialect, files of its own that it may touch, replace or lock away.
#include "runtime/revision_checksums.hpp"

#include "plugin/host_dialect.hpp"
#include "script/revision_module.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using retort::ChecksumCache;
using retort::ChecksumCacheOptions;
using retort::RevisionChecksums;

namespace {

// The pack's revisions: a base, one on top, and one whose upgrade throws.
const char* const kBase = "aaaa1111";
const char* const kNext = "bbbb2222";
const char* const kFails = "cccc3333";

class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "retort-checksums-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    fs::permissions(dir_ / "modules", fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

// The pack module and the sqlite dialect, copied into a scratch directory
// and loaded from there.
struct Copies {
  Scratch scratch;
  fs::path module = scratch.dir() / "modules" / "pack.so";
  fs::path plugin = scratch.dir() / "dialects" / "sqlite.so";
  std::optional<retort::Dialect> dialect;
  retort::RevisionMap map;

  Copies() {
    fs::create_directories(module.parent_path());
    fs::create_directories(plugin.parent_path());
    fs::copy_file(RETORT_TEST_PLUGIN_DIR "/pack.so", module);
    fs::copy_file(RETORT_TEST_DIALECT_DIR "/sqlite.so", plugin);
    auto loaded = retort::Dialect::load(plugin.string());
    INFO(loaded.error().message());
    REQUIRE(loaded);
    dialect = *loaded;
    auto revisions = retort::load_revision_module(module.string());
    INFO(revisions.error().message());
    REQUIRE(revisions);
    auto built = retort::RevisionMap::build(revisions->revisions);
    INFO(built.error().message());
    REQUIRE(built);
    map = std::move(*built);
  }

  fs::path cache_file() const {
    return ChecksumCache::file_name(module.parent_path().string(), "sqlite");
  }
  RevisionChecksums compute(std::optional<ChecksumCacheOptions> options = trusting()) const {
    return RevisionChecksums::compute(*dialect, map, options);
  }
  // Files changed up to now count as settled: the copies were just made.
  static ChecksumCacheOptions trusting() {
    return ChecksumCacheOptions{std::chrono::system_clock::now() + std::chrono::hours(1)};
  }
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Moves a file's mtime a second on: another identity, whatever the clock's
// granularity.
void touch(const fs::path& path) {
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(1));
}

std::string checksum_of(const RevisionChecksums& sums, const char* id) {
  const retort::RevisionSummary* s = sums.summary(id);
  return s != nullptr ? std::string(s->checksum) : "none";
}

// Every revision checksummed as rendering without a cache does.
void check_same_as_rendered(const Copies& copies, const RevisionChecksums& sums) {
  const RevisionChecksums rendered = copies.compute(std::nullopt);
  for (const char* id : {kBase, kNext, kFails}) {
    INFO(id);
    CHECK(checksum_of(sums, id) == checksum_of(rendered, id));
  }
}

}  // namespace

TEST_CASE("a cached checksum is read without rendering any revision", "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  CHECK(first.rendered() == 3);
  REQUIRE(fs::exists(copies.cache_file()));

  const RevisionChecksums second = copies.compute();
  CHECK(second.rendered() == 0);
  REQUIRE(second.summary(kBase) != nullptr);
  CHECK(second.summary(kBase)->checksum.rfind("v1:sha256:", 0) == 0);
  CHECK(second.summary(kBase)->statements == first.summary(kBase)->statements);
  CHECK(second.summary(kNext)->statements == 2);
  CHECK(second.summary(kFails) == nullptr);
  check_same_as_rendered(copies, second);
}

TEST_CASE("a cache hit returns the checksum recorded, not one rendered now", "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  const std::string recorded(first.summary(kBase)->checksum);
  const std::string planted = "v1:sha256:" + std::string(64, '0');
  std::string text = read_text(copies.cache_file());
  REQUIRE(text.find(recorded) != std::string::npos);
  text.replace(text.find(recorded), recorded.size(), planted);
  write_text(copies.cache_file(), text);

  const RevisionChecksums second = copies.compute();
  CHECK(second.summary(kBase)->checksum == planted);
  CHECK(second.rendered() == 0);
}

TEST_CASE("statements behind cached checksums are rendered when asked for, the whole plan in order",
          "[checksums]") {
  Copies copies;
  const RevisionChecksums rendered = copies.compute();
  const RevisionChecksums cached = copies.compute();
  REQUIRE(cached.rendered() == 0);

  const retort::RevisionFingerprint* next = cached.find(kNext);
  REQUIRE(next != nullptr);
  CHECK(cached.rendered() == 3);
  CHECK(next->statements == rendered.find(kNext)->statements);
  CHECK(next->checksum == cached.summary(kNext)->checksum);
  CHECK(cached.find(kFails) == nullptr);
  CHECK(cached.rendered() == 3);
}

TEST_CASE("a revision module touched since its checksums were recorded is rendered again",
          "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  REQUIRE(copies.compute().rendered() == 0);
  touch(copies.module);

  const RevisionChecksums again = copies.compute();
  CHECK(again.rendered() == 3);
  check_same_as_rendered(copies, again);
}

TEST_CASE("a dialect plugin touched since the checksums were recorded renders them again",
          "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  REQUIRE(copies.compute().rendered() == 0);
  touch(copies.plugin);

  const RevisionChecksums again = copies.compute();
  CHECK(again.rendered() == 3);
  check_same_as_rendered(copies, again);
}

TEST_CASE("a corrupt checksum cache is ignored and the revisions rendered", "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  const std::string text = read_text(copies.cache_file());
  REQUIRE(text.find("\nend\n") != std::string::npos);

  SECTION("bytes that are no cache at all") {
    write_text(copies.cache_file(),
               "\x7f"
               "ELF\0\0garbage");
  }
  SECTION("a file cut short") { write_text(copies.cache_file(), text.substr(0, text.size() / 2)); }
  SECTION("a file without its end") {
    write_text(copies.cache_file(), text.substr(0, text.find("end\n")));
  }
  SECTION("an entry of another revision") {
    std::string other = text;
    other.replace(other.find(kNext), 8, "bbbb9999");
    write_text(copies.cache_file(), other);
  }
  SECTION("a statement count that is no number") {
    std::string other = text;
    other.replace(other.find(std::string(kBase) + "\t") + 9, 1, "x");
    write_text(copies.cache_file(), other);
  }
  SECTION("another key") {
    std::string other = text;
    other.replace(other.find("key\t") + 4, 1, other[other.find("key\t") + 4] == '0' ? "1" : "0");
    write_text(copies.cache_file(), other);
  }
  const RevisionChecksums again = copies.compute();
  CHECK(again.rendered() == 3);
  check_same_as_rendered(copies, again);
}

TEST_CASE("a revision that does not render offline is cached with its reason", "[checksums]") {
  Copies copies;
  const RevisionChecksums first = copies.compute();
  CHECK(read_text(copies.cache_file()).find("cccc3333\t-\tcccc3333 fails on purpose\n") !=
        std::string::npos);
  const RevisionChecksums second = copies.compute();
  CHECK(second.rendered() == 0);
  CHECK(second.summary(kFails) == nullptr);
}

TEST_CASE("a revision module replaced after it was loaded is not cached", "[checksums]") {
  Copies copies;
  const fs::path replacement = copies.module.string() + ".new";
  fs::copy_file(RETORT_TEST_PLUGIN_DIR "/pack.so", replacement);
  fs::rename(replacement, copies.module);  // the loaded code is no longer that file's

  const RevisionChecksums sums = copies.compute();
  CHECK(sums.rendered() == 3);
  CHECK_FALSE(fs::exists(copies.cache_file()));
  check_same_as_rendered(copies, sums);
}

TEST_CASE("files changed since the process started are not cached", "[checksums]") {
  Copies copies;  // copied just now
  const RevisionChecksums sums = copies.compute(ChecksumCacheOptions{});
  CHECK(sums.rendered() == 3);
  CHECK_FALSE(fs::exists(copies.cache_file()));
  CHECK(copies.compute(ChecksumCacheOptions{}).rendered() == 3);
}

TEST_CASE("a module directory that cannot be written keeps no cache and fails nothing",
          "[checksums]") {
  Copies copies;
  fs::permissions(copies.module.parent_path(), fs::perms::owner_read | fs::perms::owner_exec);
  const RevisionChecksums sums = copies.compute();
  CHECK(sums.rendered() == 3);
  // Root writes wherever it likes.
  if (::geteuid() != 0) CHECK_FALSE(fs::exists(copies.cache_file()));
  check_same_as_rendered(copies, sums);
}

TEST_CASE("without cache options nothing is read or written", "[checksums]") {
  Copies copies;
  const RevisionChecksums sums = copies.compute(std::nullopt);
  CHECK(sums.rendered() == 3);
  CHECK_FALSE(fs::exists(copies.cache_file()));
}
