// What rendering every revision offline gave, kept on disk, so that
// checking the applied revisions need not render again what provably did
// not change (revision_checksums.hpp).
//
// The revisions are rendered offline in one pass, base to heads, by one
// dialect, and a dialect may keep state from one revision to the next
// (sqlite models the tables the script created so far). So what a revision
// renders depends on the code of every revision before it in the plan, and
// on nothing else: the revision modules (the shared objects the revisions
// were loaded from), the dialect plugin, and the host between them (the
// file holding this code). The cache is keyed by all of them at once: the
// SHA-256 of the identity of each file (path, size, mtime and ctime in
// nanoseconds, device, inode; loaded_files.hpp), the dialect's name,
// version and ABI, and the plan's revision ids in order with the module
// each came from. Any change of any of them is another key, and the cache
// holds nothing for it. A file changed at or after `settled_before` makes
// the cache unusable: a change within the file system's timestamp
// granularity, or while the process had the file loaded, could otherwise
// go unseen. So does a revision whose module is not a file, or whose code
// and id lie in different files.
//
// One file per dialect, beside the module of the plan's first revision:
// <dir>/.retort-checksums-<dialect>
//   retort checksum cache 1
//   key\t<64 hex digits>
//   <revision id>\t<statement count>\tv1:sha256:<64 hex digits>
//   <revision id>\t-\t<why it has no checksum, escaped>
//   ...                               (one line per revision, in plan order)
//   end
// A file that does not parse, holds another key, or names other revisions
// is ignored. Files are replaced whole (written under a name of their own,
// then renamed into place), so a reader never sees half of one, and of
// concurrent writers the last one wins. A directory that cannot be written
// keeps no cache; nothing here fails a command.
#ifndef RETORT_CHECKSUM_CACHE_HPP
#define RETORT_CHECKSUM_CACHE_HPP

#include <retort/abi.h>

#include "plugin/host_dialect.hpp"
#include "runtime/loaded_files.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

struct ChecksumCacheOptions {
  // Files changed at or after this time are not trusted: by default two
  // seconds (a coarse timestamp granularity) before the host was loaded, so
  // that no file changed while this process ran is.
  std::chrono::system_clock::time_point settled_before = default_settled_before();

  static std::chrono::system_clock::time_point default_settled_before();
};

// One revision as rendered offline.
struct CachedRendering {
  std::optional<std::string> checksum;  // none: its upgrade does not render offline
  size_t statements = 0;                // with a checksum: how many it renders
  std::string reason;                   // without: why not
};

// The renderings of a plan as read from the cache: one per revision, in
// order, their checksums pointing into `text`.
struct CachedPlan {
  struct Entry {
    std::optional<std::string_view> checksum;
    size_t statements = 0;
    std::string reason;
  };
  std::unique_ptr<const std::string> text;  // the cache file
  std::vector<Entry> entries;
};

// A revision of the plan: its id and the module it came from.
struct PlannedRevision {
  std::string_view id;
  const retort_revision* module;
};

// A revision of the plan whose module is not loaded: its id and the file
// of the module that holds its code, as retort built it.
struct PlannedFile {
  std::string_view id;
  std::string_view module_file;
};

class ChecksumCache {
 public:
  // The cache of rendering `plan` in its order with `dialect`. The ids must
  // outlive the cache.
  ChecksumCache(const Dialect& dialect, const std::vector<PlannedRevision>& plan,
                const ChecksumCacheOptions& options = {});
  // The same cache, for a plan whose modules are not loaded: each file is
  // identified by its path as it is on disk now, so the key is the one the
  // loaded modules would give, and a command that needs no module can read
  // what an earlier run rendered without loading any.
  ChecksumCache(const Dialect& dialect, const std::vector<PlannedFile>& plan,
                const ChecksumCacheOptions& options = {});

  // False when some file cannot be identified, or changed too recently:
  // nothing is then read or written.
  bool usable() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

  // What the cache holds for exactly this plan; nullopt when it holds
  // nothing for it.
  std::optional<CachedPlan> read() const;
  // Records `renderings`, one per revision of the plan, in order.
  void write(const std::vector<CachedRendering>& renderings) const;

  // The cache file of dialect `dialect_name` in `dir`.
  static std::string file_name(const std::string& dir, const std::string& dialect_name);
  // True when a cache file of `dialect_name` lies in one of `dirs`: an
  // earlier run rendered a plan of the modules there.
  static bool exists_in(const std::vector<std::string>& dirs, const std::string& dialect_name);

 private:
  // A revision of the plan and the file its code is in.
  struct Keyed {
    std::string_view id;
    const FileIdentity* file;  // null: not identified
  };
  void key_on(const Dialect& dialect, const FileIdentity* host,
              const std::optional<FileIdentity>& plugin, const std::vector<Keyed>& plan,
              const ChecksumCacheOptions& options);

  std::vector<std::string_view> ids_;
  std::string key_;   // hex SHA-256 of every identity and the plan
  std::string path_;  // empty: not usable
};

}  // namespace retort

#endif  // RETORT_CHECKSUM_CACHE_HPP
