#include "script/metadata_cache_file.hpp"

#include "util/field_escape.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <system_error>

namespace fs = std::filesystem;

namespace retort {
namespace {

constexpr std::string_view kMagic = "retort source metadata 2\n";
// A file system that keeps whole seconds may be 2 s coarse (FAT); one with
// sub-second times ticks with the kernel's coarse clock, a few milliseconds.
// A file system that keeps whole seconds may be 2 s coarse (FAT). One with
// sub-second times takes them from the kernel's coarse clock, which ticks
// every 1 to 10 ms (HZ 1000 to 100): twice its tick, and never under 20 ms.
constexpr int64_t kRacyCoarse = 2'000'000'000;

int64_t racy_fine() {
  static const int64_t window = [] {
    struct timespec tick {};
    int64_t twice = 0;
    if (::clock_getres(CLOCK_REALTIME_COARSE, &tick) == 0) {
      twice = 2 * (static_cast<int64_t>(tick.tv_sec) * 1'000'000'000 + tick.tv_nsec);
    }
    return std::max<int64_t>(20'000'000, twice);
  }();
  return window;
}

// True when a time `mtime_ns` is too recent to trust at `now`, when it was
// read: a second change within the file system's time granularity would
// leave it as it is.
bool racy(int64_t mtime_ns, int64_t now) {
  const bool whole_seconds = mtime_ns % 1'000'000'000 == 0;
  return now - mtime_ns < (whole_seconds ? kRacyCoarse : racy_fine());
}

int64_t ns_of(const struct timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void put(std::string& out, std::string_view value) { append_escaped(out, value, Spaces::kEscaped); }

void put_list(std::string& out, const std::vector<std::string>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ' ';
    put(out, items[i]);
  }
}

// The items of a space-separated list; nullopt when one is damaged.
std::optional<std::vector<std::string>> list_of(std::string_view field) {
  std::vector<std::string> out;
  if (field.empty()) return out;
  out.reserve(std::count(field.begin(), field.end(), ' ') + 1);
  for (size_t start = 0;;) {
    const size_t end = field.find(' ', start);
    auto item = unescaped(field.substr(start, end == std::string_view::npos ? end : end - start));
    if (!item) return std::nullopt;
    out.push_back(std::move(*item));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

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

template <class T>
bool number_of(std::string_view field, T& out) {
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
  return ec == std::errc() && end == field.data() + field.size();
}

// The first line of `rest`, taken off it.
std::string_view take_line(std::string_view& rest) {
  const size_t eol = rest.find('\n');
  const std::string_view line = rest.substr(0, eol);
  rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  return line;
}

// The text after the magic and the D line; empty when not a cache of this
// version.
std::string_view records_of(std::string_view text, bool& found) {
  found = text.starts_with(kMagic);
  if (!found) return {};
  std::string_view rest = text.substr(kMagic.size());
  if (rest.starts_with("D\t")) take_line(rest);
  return rest;
}

}  // namespace

Stamp stamp_of(const struct stat& st) {
  return {static_cast<int64_t>(st.st_size), ns_of(st.st_mtim)};
}

DirStamp dir_stamp_of(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_ino), ns_of(st.st_mtim), ns_of(st.st_ctim)};
}

bool keeps_directory_times(int fd) {
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) return false;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case EXT4_SUPER_MAGIC:  // ext2, ext3 and ext4 alike
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case OVERLAYFS_SUPER_MAGIC:
    case 0x2fc12fc1:  // ZFS
      return true;
    default:
      return false;
  }
}

fs::path cache_file_of(const std::string& location) {
  return fs::path(location) / "build" / ".retort" / "metadata";
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<CachedDir> cached_dir(std::string_view text) {
  if (!text.starts_with(kMagic)) return std::nullopt;
  std::string_view rest = text.substr(kMagic.size());
  if (!rest.starts_with("D\t")) return std::nullopt;
  std::string_view f[8];
  CachedDir out;
  if (fields_of(take_line(rest), f) != 5 || !number_of(f[1], out.stamp.inode) ||
      !number_of(f[2], out.stamp.mtime_ns) || !number_of(f[3], out.stamp.ctime_ns) ||
      !number_of(f[4], out.sources)) {
    return std::nullopt;
  }
  return out;
}

bool for_each_cached_source(std::string_view text,
                            const std::function<void(std::string_view)>& each) {
  bool found = false;
  std::string_view rest = records_of(text, found);
  if (!found) return false;
  while (!rest.empty()) {
    const std::string_view line = take_line(rest);
    if (line.starts_with("R\t")) continue;
    if (!line.starts_with("S\t")) return false;
    const std::string_view field = line.substr(2, line.find('\t', 2) - 2);
    if (field.find('\\') == std::string_view::npos) {
      each(field);
    } else {
      auto name = unescaped(field);
      if (!name) return false;
      each(*name);
    }
  }
  return true;
}

CacheReader::CacheReader(std::string_view text) {
  std::string_view rest = records_of(text, found_);
  if (!found_) return;
  // More than enough (an entry and a revision take two lines of more than
  // 32 bytes), and memory reserved is only paid for once it is used.
  entries_.reserve(rest.size() / 64);
  revisions_.reserve(rest.size() / 64);
  std::string_view f[8];
  while (!rest.empty()) {
    Stamp stamp;
    if (fields_of(take_line(rest), f) != 4 || f[0] != "S" || !number_of(f[2], stamp.size) ||
        !number_of(f[3], stamp.mtime_ns)) {
      stop();
      return;
    }
    const auto name = name_of(f[1]);
    if (!name) {
      stop();
      return;
    }
    Entry& e = entries_.emplace_back(Entry{*name, stamp, revisions_.size(), 0});
    if (entries_.size() > 1 && !(entries_[entries_.size() - 2].name < e.name)) {
      fail();
      return;
    }
    while (!rest.empty() && rest.front() == 'R') {
      if (fields_of(take_line(rest), f) != 7) {
        fail();
        return;
      }
      auto id = unescaped(f[1]);
      auto downs = list_of(f[2]);
      auto labels = list_of(f[3]);
      auto depends = list_of(f[4]);
      auto message = unescaped(f[5]);
      auto date = unescaped(f[6]);
      if (!id || !downs || !labels || !depends || !message || !date) {
        fail();
        return;
      }
      Revision& r = revisions_.emplace_back();
      ++e.count;
      r.id = std::move(*id);
      r.down_revisions = std::move(*downs);
      r.branch_labels = std::move(*labels);
      r.depends_on = std::move(*depends);
      r.message = std::move(*message);
      r.create_date = std::move(*date);
    }
  }
}

bool CacheReader::find(std::string_view name, const Stamp& stamp, std::vector<Revision>& out) {
  while (next_ < entries_.size() && entries_[next_].name < name) ++next_;
  if (next_ == entries_.size() || entries_[next_].name != name) return false;
  const Entry& e = entries_[next_++];
  ++used_;
  if (e.stamp != stamp) return false;
  const auto first = revisions_.begin() + static_cast<ptrdiff_t>(e.first);
  out.assign(std::make_move_iterator(first),
             std::make_move_iterator(first + static_cast<ptrdiff_t>(e.count)));
  return true;
}

bool CacheReader::take_all(std::string_view location, std::vector<Revision>& out) {
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

bool CacheReader::describes(const std::vector<std::pair<std::string_view, Stamp>>& sources) const {
  if (!found_ || broken_ || sources.size() != entries_.size()) return false;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].first != entries_[i].name || sources[i].second != entries_[i].stamp) {
      return false;
    }
  }
  return true;
}

std::optional<std::string_view> CacheReader::name_of(std::string_view field) {
  if (field.find('\\') == std::string_view::npos) return field;
  auto name = unescaped(field);
  if (!name) return std::nullopt;
  return escaped_.emplace_back(std::move(*name));
}

void CacheReader::fail() {
  revisions_.resize(entries_.back().first);
  entries_.pop_back();
  broken_ = true;
}

namespace {

// Writes the cache `file`: the magic, the D line when the location's stamp
// `dir` is given and old enough and `records` hold every one of its
// `sources`, then the records.
void write_text(const fs::path& file, const std::optional<DirStamp>& dir, bool complete,
                size_t sources, std::string_view records, int64_t now) {
  std::string text(kMagic);
  // The change time is the later of the two, and set by the same clock.
  if (dir && complete && !racy(dir->ctime_ns, now)) {
    text += fmt::format("D\t{}\t{}\t{}\t{}\n", dir->inode, dir->mtime_ns, dir->ctime_ns, sources);
  }
  text += records;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return;
  (void)write_file_atomically(file.string(), text);
}

}  // namespace

void write_cache(const fs::path& file, const std::optional<DirStamp>& dir,
                 std::span<const CacheEntry> entries, int64_t now) {
  std::string records;
  size_t written = 0;
  for (const CacheEntry& e : entries) {
    if (racy(e.stamp.mtime_ns, now)) continue;
    ++written;
    records += "S\t";
    put(records, e.name);
    records += fmt::format("\t{}\t{}\n", e.stamp.size, e.stamp.mtime_ns);
    for (const Revision& r : *e.declared) {
      records += "R\t";
      put(records, r.id);
      records += '\t';
      put_list(records, r.down_revisions);
      records += '\t';
      put_list(records, r.branch_labels);
      records += '\t';
      put_list(records, r.depends_on);
      records += '\t';
      put(records, r.message);
      records += '\t';
      put(records, r.create_date);
      records += '\n';
    }
  }
  write_text(file, dir, written == entries.size(), written, records, now);
}

void restamp_cache(const fs::path& file, std::string_view text, const std::optional<DirStamp>& dir,
                   size_t sources, int64_t now) {
  bool found = false;
  const std::string_view records = records_of(text, found);
  const auto recorded = cached_dir(text);
  const std::optional<DirStamp> was = recorded ? std::optional(recorded->stamp) : std::nullopt;
  // Not yet old enough: it would be written as it is.
  if (dir && racy(dir->ctime_ns, now) && !was) return;
  if (found && dir != was) write_text(file, dir, /*complete=*/true, sources, records, now);
}

}  // namespace retort
