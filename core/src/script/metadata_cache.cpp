#include "script/metadata_cache.hpp"

#include "script/revision_source.hpp"
#include "util/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <thread>

namespace fs = std::filesystem;

namespace retort {
namespace {

constexpr std::string_view kMagic = "retort source metadata 1\n";
// A file system that keeps whole seconds may be 2 s coarse (FAT); one with
// sub-second times ticks with the kernel's coarse clock, a few milliseconds.
constexpr int64_t kRacyCoarse = 2'000'000'000;
constexpr int64_t kRacyFine = 100'000'000;

struct Stamp {
  int64_t size = -1;
  int64_t mtime_ns = -1;
  bool operator==(const Stamp&) const = default;
};

Stamp stamp_of(const struct stat& st) {
  return {static_cast<int64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// True when `stamp` is too recent to trust: a second edit within the file
// system's time granularity, of the same size, would leave it unchanged.
bool racy(const Stamp& stamp, int64_t now) {
  const bool whole_seconds = stamp.mtime_ns % 1'000'000'000 == 0;
  return now - stamp.mtime_ns < (whole_seconds ? kRacyCoarse : kRacyFine);
}

// Fields are separated by tabs, list items by spaces and records by
// newlines, so those (and the escape) are escaped inside values.
void put(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case ' ':
        out += "\\s";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void put_list(std::string& out, const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ' ';
    put(out, items[i]);
  }
}

std::string unescape(std::string_view value) {
  // Most values hold no escape: copied whole, with no byte-by-byte append.
  const size_t first = value.find('\\');
  if (first == std::string_view::npos) return std::string(value);
  std::string out(value.substr(0, first));
  out.reserve(value.size());
  for (size_t i = first; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out += value[i];
      continue;
    }
    switch (value[++i]) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 's':
        out += ' ';
        break;
      case 'r':
        out += '\r';
        break;
      default:
        out += value[i];
    }
  }
  return out;
}

std::vector<std::string> list_of(std::string_view field) {
  std::vector<std::string> out;
  if (field.empty()) return out;
  out.reserve(std::count(field.begin(), field.end(), ' ') + 1);
  for (size_t start = 0;;) {
    const size_t end = field.find(' ', start);
    out.push_back(unescape(field.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

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

// A file mapped read-only (a cache of a megabyte is read in place, not
// copied); empty if it cannot be.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* at = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                        MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (at != MAP_FAILED) {
        data_ = static_cast<const char*>(at);
        size_ = static_cast<size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Splits a line into its tab-separated fields; the count, at most 8.
size_t fields_of(std::string_view line, std::string_view (&f)[8]) {
  size_t n = 0;
  for (size_t start = 0; n < 8;) {
    size_t tab = line.find('\t', start);
    f[n++] = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return n;
}

// The cache, parsed whole (while the location is listed, on another
// thread), then read in step with the sorted listing: it was written in the
// same order, so one pass answers every source with no index built. An
// entry out of order, or a line that does not parse, ends the parsing, and
// every later source is read from its text. The revisions of all entries
// are kept in one array, in order, so that all of them can be taken at once.
class CacheReader {
 public:
  explicit CacheReader(const fs::path& file) : text_(file.string()) {
    if (!text_.view().starts_with(kMagic)) return;
    found_ = true;
    std::string_view rest = text_.view().substr(kMagic.size());
    auto take_line = [&rest]() {
      const size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
      return line;
    };
    // More than enough (an entry and a revision take two lines of more than
    // 32 bytes), and memory reserved is only paid for once it is used.
    entries_.reserve(rest.size() / 64);
    revisions_.reserve(rest.size() / 64);
    std::string_view f[8];
    while (!rest.empty()) {
      Stamp stamp;
      if (fields_of(take_line(), f) != 4 || f[0] != "S") {
        stop();
        return;
      }
      auto a = std::from_chars(f[2].data(), f[2].data() + f[2].size(), stamp.size);
      auto b = std::from_chars(f[3].data(), f[3].data() + f[3].size(), stamp.mtime_ns);
      if (a.ec != std::errc() || b.ec != std::errc()) {
        stop();
        return;
      }
      Entry& e = entries_.emplace_back(Entry{name_of(f[1]), stamp, revisions_.size(), 0});
      if (entries_.size() > 1 && !(entries_[entries_.size() - 2].name < e.name)) {
        fail();
        return;
      }
      while (!rest.empty() && rest.front() == 'R') {
        if (fields_of(take_line(), f) != 7) {
          fail();
          return;
        }
        Revision& r = revisions_.emplace_back();
        ++e.count;
        r.id = unescape(f[1]);
        r.down_revisions = list_of(f[2]);
        r.branch_labels = list_of(f[3]);
        r.depends_on = list_of(f[4]);
        r.message = unescape(f[5]);
        r.create_date = unescape(f[6]);
      }
    }
  }

  // The revisions the entry for `name` declared, moved to `out`, when the
  // cache has that entry with `stamp`; false otherwise. Names are asked
  // for in sorted order.
  bool find(std::string_view name, const Stamp& stamp, std::vector<Revision>& out) {
    while (next_ < entries_.size() && entries_[next_].name < name) ++next_;
    if (next_ == entries_.size() || entries_[next_].name != name) return false;
    const Entry& e = entries_[next_++];
    ++used_;
    if (e.stamp != stamp) return false;
    const auto first = revisions_.begin() + static_cast<ptrdiff_t>(e.first);
    out.assign(std::make_move_iterator(first), std::make_move_iterator(first + e.count));
    return true;
  }

  // True when every entry the cache holds was asked for: nothing was
  // removed or renamed since it was written.
  bool all_used() const { return !broken_ && used_ == entries_.size(); }

  // Appends every entry's revisions to `out` (taking the array whole when
  // `out` is empty), in the cache's order (by name), each with its path,
  // <location>/<name>; false, with `out` as it may then be, when there is
  // no cache, it is broken or an entry declares none.
  bool take_all(std::string_view location, std::vector<Revision>& out) {
    if (!found_ || broken_) return false;
    const size_t base = out.size();
    if (out.empty()) {
      out = std::move(revisions_);
    } else {
      std::move(revisions_.begin(), revisions_.end(), std::back_inserter(out));
    }
    std::string path(location);
    path += '/';
    const size_t prefix = path.size();
    for (const Entry& e : entries_) {
      if (e.count == 0) return false;
      path.resize(prefix);
      path += e.name;
      for (size_t i = base + e.first; i < base + e.first + e.count; ++i) out[i].path = path;
    }
    return true;
  }

  // True when `sources` (sorted by name) are exactly the cache's entries,
  // each with the stamp it was cached with.
  bool describes(const std::vector<std::pair<std::string_view, Stamp>>& sources) const {
    if (!found_ || broken_ || sources.size() != entries_.size()) return false;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i].first != entries_[i].name || sources[i].second != entries_[i].stamp) {
        return false;
      }
    }
    return true;
  }

 private:
  struct Entry {
    std::string_view name;  // in text_, or in escaped_ if it held an escape
    Stamp stamp;
    size_t first;  // its revisions in revisions_
    size_t count;
  };
  std::string_view name_of(std::string_view field) {
    if (field.find('\\') == std::string_view::npos) return field;
    return escaped_.emplace_back(unescape(field));
  }
  // Ends the parsing: what came before is kept.
  void stop() { broken_ = true; }
  // The same, and the entry being read is not trusted either.
  void fail() {
    revisions_.resize(entries_.back().first);
    entries_.pop_back();
    broken_ = true;
  }

  MappedFile text_;
  std::deque<std::string> escaped_;  // a deque: its strings stay where they are
  std::vector<Entry> entries_;
  std::vector<Revision> revisions_;  // every entry's, in order
  size_t next_ = 0;
  size_t used_ = 0;
  bool found_ = false;  // a cache of this version
  bool broken_ = false;
};

// The cache for the sources listed in `files` (sorted by name), as `read`
// holds them; those too recent to trust are left out.
void write_cache(const fs::path& file, const std::vector<std::pair<std::string_view, Stamp>>& files,
                 std::span<const SourceDeclarations> read, int64_t now) {
  std::string text(kMagic);
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& [name, stamp] = files[i];
    if (racy(stamp, now)) continue;
    text += "S\t";
    put(text, name);
    text += fmt::format("\t{}\t{}\n", stamp.size, stamp.mtime_ns);
    for (const Revision& r : read[i].declared) {
      text += "R\t";
      put(text, r.id);
      text += '\t';
      put_list(text, r.down_revisions);
      text += '\t';
      put_list(text, r.branch_labels);
      text += '\t';
      put_list(text, r.depends_on);
      text += '\t';
      put(text, r.message);
      text += '\t';
      put(text, r.create_date);
      text += '\n';
    }
  }
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return;
  (void)write_file_atomically(file.string(), text);  // a cache: the next run writes it again
}

struct Listing {
  std::vector<char> names;                                  // the sources' names, each with a NUL
  std::vector<std::pair<std::string_view, Stamp>> sources;  // *.cpp in names, sorted by name
  std::vector<std::string> modules;                         // *.so, as listed
};

// The .cpp files directly in `location` with their stamps, and the .so
// files there, from one listing: a location holds thousands of sources and
// every graph command lists it. The sources are statted relative to the
// directory (no path walk per file). The kernel's cost per file is most of
// what a graph command spends, so thousands of files are statted by two
// threads, as git's preloaded index does.
Listing list_location(const std::string& location) {
  Listing out;
  auto& files = out.sources;
  DIR* dir = ::opendir(location.c_str());
  if (dir == nullptr) return out;
  const int fd = ::dirfd(dir);
  // The names are kept end to end in one buffer, not as a string each.
  std::vector<std::pair<size_t, size_t>> spans;  // where each name is in out.names
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view name(e->d_name);
    if (name.size() > 4 && name.ends_with(".cpp")) {
      spans.emplace_back(out.names.size(), name.size());
      out.names.insert(out.names.end(), name.data(), name.data() + name.size() + 1);
    } else if (name.size() > 3 && name.ends_with(".so")) {
      struct stat st {};
      const bool regular =
          e->d_type == DT_REG || ((e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) &&
                                  ::fstatat(fd, e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode));
      if (regular) out.modules.push_back(location + "/" + std::string(name));
    }
  }
  files.reserve(spans.size());
  for (const auto& [at, size] : spans)
    files.emplace_back(std::string_view(&out.names[at], size), Stamp{});
  auto stat_range = [&files, fd](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      struct stat st {};
      // Each name is followed by its NUL in the buffer.
      if (::fstatat(fd, files[i].first.data(), &st, 0) == 0 && S_ISREG(st.st_mode)) {
        files[i].second = stamp_of(st);
      }
    }
  };
  constexpr size_t kParallelStat = 2000;
  bool done = false;
  if (files.size() >= kParallelStat && std::thread::hardware_concurrency() > 1) {
    try {
      std::thread other(stat_range, files.size() / 2, files.size());
      stat_range(0, files.size() / 2);
      other.join();
      done = true;
    } catch (const std::system_error&) {  // no thread to be had: stat them all here
    }
  }
  if (!done) stat_range(0, files.size());
  ::closedir(dir);
  // Gone since the listing, or not a regular file: left out.
  std::erase_if(files, [](const auto& f) { return f.second.size < 0; });
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

fs::path cache_file_of(const std::string& location) {
  return fs::path(location) / "build" / ".retort" / "metadata";
}

}  // namespace

struct LocationScan::Location {
  explicit Location(const std::string& location)
      : dir(location), cache_file(cache_file_of(location)) {}
  std::string dir;
  fs::path cache_file;
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
      listers_.emplace_back([&l] { l->listing = list_location(l->dir); });
    }
  } catch (const std::system_error&) {  // no thread to be had: the rest are listed in wait()
  }
  for (auto& l : locations_) l->cache.emplace(l->cache_file);
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
  return std::all_of(locations_.begin(), locations_.end(),
                     [](const auto& l) { return l->cache->describes(l->listing.sources); });
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
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  LocationContents out;
  std::string text;
  for (auto& l : locations_) {
    if (l->taken) {
      l->cache.emplace(l->cache_file);
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
    // Unchanged: every source answered by the cache, and no other entry in it.
    if (!unchanged || !cache.all_used()) {
      write_cache(l->cache_file, files, std::span(out.sources).subspan(first), now);
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
