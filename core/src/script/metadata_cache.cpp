#include "script/metadata_cache.hpp"

#include "script/revision_source.hpp"
#include "util/file_io.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>

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
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case ' ': out += "\\s"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
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
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 's': out += ' '; break;
      case 'r': out += '\r'; break;
      default: out += value[i];
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::vector<std::string> list_of(std::string_view field) {
  std::vector<std::string> out;
  if (field.empty()) return out;
  for (std::string_view item : split(field, ' ')) out.push_back(unescape(item));
  return out;
}

struct Entry {
  Stamp stamp;
  std::vector<Revision> declared;  // path and module left empty
};

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

// The cache's entries by file name; empty when it is missing or not ours.
// A line that does not parse ends the reading: what came before is kept.
std::unordered_map<std::string, Entry> read_cache(const fs::path& file) {
  std::unordered_map<std::string, Entry> entries;
  std::string text;
  if (!slurp(file.string(), text) || !std::string_view(text).starts_with(kMagic)) return entries;
  std::string_view rest = std::string_view(text).substr(kMagic.size());
  entries.reserve(rest.size() / 96);
  Entry* current = nullptr;
  std::string_view f[8];
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (line.empty()) continue;
    size_t n = 0;
    for (size_t start = 0; n < 8;) {
      size_t tab = line.find('\t', start);
      f[n++] = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (f[0] == "S" && n == 4) {
      Stamp stamp;
      auto a = std::from_chars(f[2].data(), f[2].data() + f[2].size(), stamp.size);
      auto b = std::from_chars(f[3].data(), f[3].data() + f[3].size(), stamp.mtime_ns);
      if (a.ec != std::errc() || b.ec != std::errc()) break;
      Entry& e = entries[unescape(f[1])];
      e.stamp = stamp;
      current = &e;
    } else if (f[0] == "R" && n == 7 && current != nullptr) {
      Revision& r = current->declared.emplace_back();
      r.id = unescape(f[1]);
      r.down_revisions = list_of(f[2]);
      r.branch_labels = list_of(f[3]);
      r.depends_on = list_of(f[4]);
      r.message = unescape(f[5]);
      r.create_date = unescape(f[6]);
    } else {
      break;
    }
  }
  return entries;
}

void write_cache(const fs::path& file, const std::vector<std::pair<std::string, Entry>>& entries) {
  std::string text(kMagic);
  for (const auto& [name, e] : entries) {
    text += "S\t";
    put(text, name);
    text += fmt::format("\t{}\t{}\n", e.stamp.size, e.stamp.mtime_ns);
    for (const Revision& r : e.declared) {
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

// The .cpp files directly in `location` and their stamps, sorted by name.
// Listed first, then statted relative to the directory (no path walk per
// file). The kernel's cost per file is most of what a graph command spends,
// so thousands of files are statted by two threads, as git's preloaded
// index does.
std::vector<std::pair<std::string, Stamp>> list_sources(const std::string& location) {
  std::vector<std::pair<std::string, Stamp>> files;
  DIR* dir = ::opendir(location.c_str());
  if (dir == nullptr) return files;
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view name(e->d_name);
    if (name.size() > 4 && name.ends_with(".cpp")) files.emplace_back(std::string(name), Stamp{});
  }
  const int fd = ::dirfd(dir);
  auto stat_range = [&files, fd](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      struct stat st {};
      if (::fstatat(fd, files[i].first.c_str(), &st, 0) == 0 && S_ISREG(st.st_mode)) {
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
  return files;
}

}  // namespace

Expected<std::vector<SourceDeclarations>> read_location(const std::string& location) {
  std::vector<std::pair<std::string, Stamp>> files = list_sources(location);

  const fs::path cache_file = fs::path(location) / "build" / ".retort" / "metadata";
  std::unordered_map<std::string, Entry> cache = read_cache(cache_file);
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  // Unchanged: every file in the cache with its stamp, and no other entry.
  std::vector<Entry*> hits(files.size(), nullptr);
  bool unchanged = cache.size() == files.size();
  for (size_t i = 0; i < files.size(); ++i) {
    auto hit = cache.find(files[i].first);
    if (hit != cache.end() && hit->second.stamp == files[i].second) {
      hits[i] = &hit->second;
    } else {
      unchanged = false;
    }
  }

  std::vector<SourceDeclarations> out;
  out.reserve(files.size());
  std::vector<std::pair<std::string, Entry>> fresh;
  std::string text;
  const std::string prefix = location + "/";
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& name = files[i].first;
    const Stamp& stamp = files[i].second;
    SourceDeclarations s{prefix + name, location, {}, stamp.mtime_ns};
    Entry entry;
    if (hits[i] != nullptr) {
      entry = std::move(*hits[i]);
    } else {
      if (!slurp(s.path, text)) {
        return Error(ErrorCategory::kIo, fmt::format("cannot read revision source '{}'", s.path));
      }
      auto declared = read_revision_source(text, s.path);
      if (!declared) return declared.take_error();
      entry.stamp = stamp;
      for (DeclaredRevision& d : *declared) entry.declared.push_back(std::move(d.revision));
    }
    if (unchanged) {
      s.declared = std::move(entry.declared);
    } else {
      s.declared = entry.declared;
      if (!racy(stamp, now)) fresh.emplace_back(name, std::move(entry));
    }
    for (Revision& r : s.declared) {
      r.path = s.path;
      r.module = nullptr;
    }
    out.push_back(std::move(s));
  }
  if (!unchanged) write_cache(cache_file, fresh);
  return out;
}

}  // namespace retort
