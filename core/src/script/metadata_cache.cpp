#include "script/metadata_cache.hpp"

#include "script/metadata_cache_file.hpp"
#include "script/revision_source.hpp"
#include "util/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;

namespace retort {
namespace {

// Reads the whole file in as few calls as it takes; false if it cannot.
bool slurp(const std::string& path, std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    text.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < text.size()) {
      ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    text.resize(got);
  }
  ::close(fd);
  return ok;
}

// What one listing of a location found.
struct Listing {
  std::vector<char> names;                                  // the sources' names, each with a NUL
  std::vector<std::pair<std::string_view, Stamp>> sources;  // *.cpp in names, sorted by name
  std::vector<std::string> modules;                         // *.so, as listed
  // The location's stamp, taken before its entries were read, when a cache
  // may vouch for them with it (see metadata_cache_file.hpp).
  std::optional<DirStamp> dir;
  int64_t listed_at = 0;  // when the stamps were taken: what is racy is told from it

  // Adds a source's name; its stamp comes with stat_sources.
  void add_source(std::string_view name) {
    spans_.emplace_back(names.size(), name.size());
    names.insert(names.end(), name.begin(), name.end());
    names.push_back('\0');
  }

  // Stats every source added, relative to the open directory `fd` (no path
  // walk per file), leaves out those gone or not regular files, and sorts
  // them by name. The kernel's cost per file is most of what a graph
  // command spends, so thousands of files are statted by two threads, as
  // git's preloaded index does.
  bool spans_empty() const { return spans_.empty(); }

  void stat_sources(int fd) {
    sources.reserve(spans_.size());
    for (const auto& [at, size] : spans_) {
      sources.emplace_back(std::string_view(&names[at], size), Stamp{});
    }
    auto stat_range = [this, fd](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        struct stat st {};
        // Each name is followed by its NUL in the buffer.
        if (::fstatat(fd, sources[i].first.data(), &st, 0) == 0 && S_ISREG(st.st_mode)) {
          sources[i].second = stamp_of(st);
        }
      }
    };
    constexpr size_t kParallelStat = 2000;
    bool done = false;
    if (sources.size() >= kParallelStat && std::thread::hardware_concurrency() > 1) {
      try {
        std::thread other(stat_range, sources.size() / 2, sources.size());
        stat_range(0, sources.size() / 2);
        other.join();
        done = true;
      } catch (const std::system_error&) {  // no thread to be had: stat them all here
      }
    }
    if (!done) stat_range(0, sources.size());
    std::erase_if(sources, [](const auto& f) { return f.second.size < 0; });
    auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(sources.begin(), sources.end(), by_name)) {
      std::sort(sources.begin(), sources.end(), by_name);
    }
  }

 private:
  std::vector<std::pair<size_t, size_t>> spans_;  // where each name is in names
};

// The .cpp files directly in `location` with their stamps, and the .so
// files there, from one listing.
Listing list_location(const std::string& location) {
  Listing out;
  DIR* dir = ::opendir(location.c_str());
  if (dir == nullptr) return out;
  const int fd = ::dirfd(dir);
  struct stat st {};
  bool stamped = false;
  auto read_entries = [&] {
    out = Listing();
    out.listed_at = now_ns();
    stamped = ::fstat(fd, &st) == 0 && keeps_directory_times(fd);
    ::rewinddir(dir);
    while (const dirent* e = ::readdir(dir)) {
      const std::string_view name(e->d_name);
      if (name.size() > 4 && name.ends_with(".cpp")) {
        out.add_source(name);
      } else if (name.size() > 3 && name.ends_with(".so")) {
        struct stat so {};
        const bool regular =
            e->d_type == DT_REG || ((e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) &&
                                    ::fstatat(fd, e->d_name, &so, 0) == 0 && S_ISREG(so.st_mode));
        if (regular) out.modules.push_back(location + "/" + std::string(name));
      }
    }
  };
  read_entries();
  // The first listing of a location with sources makes the cache's
  // directory, which changes the location's stamp: made first, and the
  // location read again, the stamp the cache records is the one the next
  // command finds.
  if (stamped && !out.spans_empty()) {
    const fs::path cache_dir = cache_file_of(location).parent_path();
    std::error_code ec;
    if (!fs::exists(cache_dir, ec) && fs::create_directories(cache_dir, ec)) read_entries();
  }
  out.stat_sources(fd);
  ::closedir(dir);
  // A module is not listed in the cache: with one, only a listing tells.
  if (stamped && out.modules.empty()) out.dir = dir_stamp_of(st);
  return out;
}

// The sources of `location` as its cache names them, statted, when the
// cache vouches for the location's entries: `cached` is the stamp it
// recorded, and the location's own is the same, so no entry came or went
// since. Nullopt when the names do not add up to what the cache recorded.
std::optional<Listing> list_cached(const std::string& location, std::string_view cache,
                                   const CachedDir& cached) {
  Listing out;
  out.listed_at = now_ns();
  bool sane = true;
  const bool parsed = for_each_cached_source(cache, [&out, &sane](std::string_view name) {
    sane = sane && name.size() > 4 && name.ends_with(".cpp") &&
           name.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos;
    out.add_source(name);
  });
  if (!parsed || !sane) return std::nullopt;
  const int fd = ::open(location.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  out.stat_sources(fd);
  ::close(fd);
  if (out.sources.size() != cached.sources) return std::nullopt;
  out.dir = cached.stamp;
  return out;
}

// When the location's cache vouches for its entries: what it recorded, if
// the location's stamp is still that.
std::optional<CachedDir> vouched(const std::string& location, std::string_view cache) {
  const auto cached = cached_dir(cache);
  if (!cached) return std::nullopt;
  struct stat st {};
  if (::stat(location.c_str(), &st) != 0 || !(dir_stamp_of(st) == cached->stamp)) {
    return std::nullopt;
  }
  return cached;
}

}  // namespace

struct LocationScan::Location {
  explicit Location(const std::string& location)
      : dir(location), cache_file(cache_file_of(location)), text(cache_file.string()) {}
  std::string dir;
  fs::path cache_file;
  MappedFile text;
  std::optional<CacheReader> cache;  // parsed again once its revisions are taken
  Listing listing;
  bool taken = false;
};

LocationScan::LocationScan(const std::vector<std::string>& locations) {
  // The listings (system calls, mostly) on other threads, and the caches'
  // parsing (memory, mostly) here, at once.
  locations_.reserve(locations.size());
  for (const std::string& location : locations) {
    locations_.push_back(std::make_unique<Location>(location));
  }
  try {
    for (auto& l : locations_) {
      listers_.emplace_back([&l, vouch = vouched(l->dir, l->text.view())] {
        // No entry came or went: the cache's names are the listing.
        std::optional<Listing> listing;
        if (vouch) listing = list_cached(l->dir, l->text.view(), *vouch);
        l->listing = listing ? std::move(*listing) : list_location(l->dir);
      });
    }
  } catch (const std::system_error&) {  // no thread to be had: the rest are listed in wait()
  }
  for (auto& l : locations_) l->cache.emplace(l->text.view());
}

LocationScan::~LocationScan() = default;

void LocationScan::wait() {
  if (listed_) return;
  for (std::jthread& t : listers_) t.join();
  for (size_t i = listers_.size(); i < locations_.size(); ++i) {
    locations_[i]->listing = list_location(locations_[i]->dir);
  }
  listed_ = true;
}

bool LocationScan::take_cached(std::vector<Revision>& out) {
  std::vector<size_t> starts;  // where each location's revisions begin
  for (auto& l : locations_) {
    starts.push_back(out.size());
    l->taken = true;
    if (!l->cache->take_all(l->dir, out)) return false;
  }
  // One location's are in path order; several are merged by path, each
  // source's revisions kept together and in their order.
  auto by_path = [](const Revision& a, const Revision& b) { return a.path < b.path; };
  for (size_t i = 1; i < starts.size(); ++i) {
    std::inplace_merge(
        out.begin(), out.begin() + static_cast<ptrdiff_t>(starts[i]),
        i + 1 < starts.size() ? out.begin() + static_cast<ptrdiff_t>(starts[i + 1]) : out.end(),
        by_path);
  }
  return true;
}

bool LocationScan::cache_current() {
  wait();
  for (auto& l : locations_) {
    if (!l->cache->describes(l->listing.sources)) return false;
    restamp_cache(l->cache_file, l->text.view(), l->listing.dir, l->listing.sources.size(),
                  l->listing.listed_at);
  }
  return true;
}

std::vector<std::string> LocationScan::modules() {
  wait();
  std::vector<std::string> out;
  for (const auto& l : locations_) {
    out.insert(out.end(), l->listing.modules.begin(), l->listing.modules.end());
  }
  return out;
}

Expected<LocationContents> LocationScan::contents() {
  wait();
  LocationContents out;
  std::string text;
  for (auto& l : locations_) {
    if (l->taken) {
      l->cache.emplace(l->text.view());
      l->taken = false;
    }
    CacheReader& cache = *l->cache;
    const auto& files = l->listing.sources;
    for (std::string& m : l->listing.modules) out.modules.push_back(std::move(m));
    const size_t first = out.sources.size();
    out.sources.reserve(first + files.size());
    bool unchanged = true;
    const std::string prefix = l->dir + "/";
    for (const auto& [name, stamp] : files) {
      SourceDeclarations& s = out.sources.emplace_back();
      s.path.reserve(prefix.size() + name.size());
      s.path.append(prefix).append(name);
      s.mtime_ns = stamp.mtime_ns;
      if (!cache.find(name, stamp, s.declared)) {
        unchanged = false;
        if (!slurp(s.path, text)) {
          return Error(ErrorCategory::kIo, fmt::format("cannot read revision source '{}'", s.path));
        }
        auto declared = read_revision_source(text, s.path);
        if (!declared) return declared.take_error();
        for (DeclaredRevision& d : *declared) s.declared.push_back(std::move(d.revision));
      }
      for (Revision& r : s.declared) {
        r.path = s.path;
        r.module = nullptr;
      }
    }
    // Unchanged: every source answered by the cache, and no other entry in
    // it; then only the location's stamp may be new to it (an empty
    // location, listed in no time, is not worth a cache).
    if (!unchanged || !cache.all_used()) {
      std::vector<CacheEntry> entries;
      entries.reserve(files.size());
      for (size_t i = 0; i < files.size(); ++i) {
        entries.push_back({files[i].first, files[i].second, &out.sources[first + i].declared});
      }
      write_cache(l->cache_file, l->listing.dir, entries, l->listing.listed_at);
    } else if (!files.empty()) {
      restamp_cache(l->cache_file, l->text.view(), l->listing.dir, files.size(),
                    l->listing.listed_at);
    }
  }
  // One location's sources come sorted; several are merged by path.
  auto by_path = [](const SourceDeclarations& a, const SourceDeclarations& b) {
    return a.path < b.path;
  };
  if (!std::is_sorted(out.sources.begin(), out.sources.end(), by_path)) {
    std::sort(out.sources.begin(), out.sources.end(), by_path);
  }
  return out;
}

Expected<LocationContents> read_location(const std::string& location) {
  return LocationScan({location}).contents();
}

}  // namespace retort
