// The metadata cache's file, <location>/build/.retort/metadata: for every
// revision source of a version location, its size and modification time
// when it was last read and the revisions it declared then; and, when that
// list is the whole location, the location's own stamp. One record a line,
// fields separated by tabs (escaped inside values, as are spaces, which
// separate list items):
//
//   retort source metadata 2
//   D  <inode> <mtime ns> <ctime ns> <sources>   optional, first
//   S  <name> <size> <mtime ns>                   a source, sorted by name
//   R  <id> <down ids> <labels> <depends_on> <message> <create date>
//                                                 each revision it declares
//
// A source modified too recently, when it was statted, is not written
// (within twice the kernel's clock tick and at least 20 ms on a file system
// with sub-second times, 2 s on one with whole seconds), so that a second
// edit within the file system's time granularity, with the same size,
// cannot hide behind the first (git's "racily clean"). The D line is
// written only when no source was left out, the location held no module,
// its file system keeps directory times, and its own times were old enough
// when it was listed.
#ifndef RETORT_METADATA_CACHE_FILE_HPP
#define RETORT_METADATA_CACHE_FILE_HPP

#include "revision/revision_map.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

// What tells a source changed: its size and modification time.
struct Stamp {
  int64_t size = -1;
  int64_t mtime_ns = -1;
  bool operator==(const Stamp&) const = default;
};
Stamp stamp_of(const struct stat& st);

// What tells a directory's entries changed: adding, removing or renaming
// one sets its times, and its change time cannot be set back by anyone.
struct DirStamp {
  uint64_t inode = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const DirStamp&) const = default;
};
DirStamp dir_stamp_of(const struct stat& st);

// Whether the file system of the open directory `fd` is one known to set a
// directory's times whenever its entries change (local ones: ext2/3/4,
// XFS, Btrfs, tmpfs, overlayfs, ZFS); network and FUSE ones are not trusted.
bool keeps_directory_times(int fd);

std::filesystem::path cache_file_of(const std::string& location);
int64_t now_ns();

// The location's stamp as a cache recorded it, with its number of sources.
struct CachedDir {
  DirStamp stamp;
  size_t sources = 0;
};
// The D line of a cache's `text`, read before the rest is parsed.
std::optional<CachedDir> cached_dir(std::string_view text);

// Calls `each` with the name of every source a cache's `text` lists, in
// order, without parsing the rest; false when a line does not parse.
bool for_each_cached_source(std::string_view text,
                            const std::function<void(std::string_view)>& each);

// A cache's text, parsed whole, then read in step with the sorted listing:
// it was written in the same order, so one pass answers every source with
// no index built. An entry out of order, or a line that does not parse,
// ends the parsing, and every later source is read from its text. The
// revisions of all entries are kept in one array, in order, so that all of
// them can be taken at once. `text` must outlive the reader.
class CacheReader {
 public:
  explicit CacheReader(std::string_view text);

  // The revisions the entry for `name` declared, moved to `out`, when the
  // cache has that entry with `stamp`; false otherwise. Names are asked
  // for in sorted order.
  bool find(std::string_view name, const Stamp& stamp, std::vector<Revision>& out);

  // True when every entry the cache holds was asked for: nothing was
  // removed or renamed since it was written.
  bool all_used() const { return !broken_ && used_ == entries_.size(); }

  // Appends every entry's revisions to `out` (taking the array whole when
  // `out` is empty), in the cache's order (by name), each with its path,
  // <location>/<name>; false, with `out` as it may then be, when there is
  // no cache, it is broken or an entry declares none.
  bool take_all(std::string_view location, std::vector<Revision>& out);

  // True when `sources` (sorted by name) are exactly the cache's entries,
  // each with the stamp it was cached with.
  bool describes(const std::vector<std::pair<std::string_view, Stamp>>& sources) const;

 private:
  struct Entry {
    std::string_view name;  // in the text, or in escaped_ if it held an escape
    Stamp stamp;
    size_t first;  // its revisions in revisions_
    size_t count;
  };
  // The entry's name; nullopt when its escape is damaged.
  std::optional<std::string_view> name_of(std::string_view field);
  // Ends the parsing: what came before is kept.
  void stop() { broken_ = true; }
  // The same, and the entry being read is not trusted either.
  void fail();

  std::deque<std::string> escaped_;  // a deque: its strings stay where they are
  std::vector<Entry> entries_;
  std::vector<Revision> revisions_;  // every entry's, in order
  size_t next_ = 0;
  size_t used_ = 0;
  bool found_ = false;  // a cache of this version
  bool broken_ = false;
};

// One source as the cache records it.
struct CacheEntry {
  std::string_view name;
  Stamp stamp;
  const std::vector<Revision>* declared;
};

// Writes the cache `file` for `entries` (sorted by name), leaving out the
// sources too recent to trust, with the location's stamp `dir` when it is
// given, old enough and no source was left out. A cache that cannot be
// written is skipped: the next run writes it again.
void write_cache(const std::filesystem::path& file, const std::optional<DirStamp>& dir,
                 std::span<const CacheEntry> entries, int64_t now);

// Writes the cache `file` again with its records from `text` as they are
// and the location's stamp `dir` (given, or none), listed at `now`: for a
// cache that holds every one of the location's `sources` as they are. Not
// written when the stamp it would record is the one it has.
void restamp_cache(const std::filesystem::path& file, std::string_view text,
                   const std::optional<DirStamp>& dir, size_t sources, int64_t now);

}  // namespace retort

#endif  // RETORT_METADATA_CACHE_FILE_HPP
