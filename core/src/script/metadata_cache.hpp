// What each revision source of a version location declares, read through
// the location's metadata cache (metadata_cache_file.hpp): a source whose
// size and modification time still match the cache's is not opened again,
// so a graph command on 10,000 unchanged sources costs 10,000 stat calls
// and one read. When the location's own stamp is still the one the cache
// recorded, no entry came or went, and the cache's names stand for the
// listing; and a graph command builds its graph from the cache while the
// sources are statted (LocationScan::take_cached).
//
// The cache is only ever a shortcut: a missing, unreadable, foreign or
// corrupt cache reads every source, and a cache that cannot be written is
// skipped silently.
#ifndef RETORT_METADATA_CACHE_HPP
#define RETORT_METADATA_CACHE_HPP

#include <retort/error.hpp>

#include "revision/revision_map.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace retort {

// One revision source and what its text declares.
struct SourceDeclarations {
  std::string path;                // <location>/<name>.cpp
  std::vector<Revision> declared;  // each with path = the source
  int64_t mtime_ns = 0;            // the source's modification time

  // The version location that holds it, as the configuration names it.
  std::string_view location() const { return std::string_view(path).substr(0, path.rfind('/')); }
};

// What one version location holds.
struct LocationContents {
  std::vector<SourceDeclarations> sources;  // every *.cpp directly in it, sorted by path
  std::vector<std::string> modules;         // every *.so directly in it, unsorted
};

// The version locations being read. From construction each is listed, and
// its sources statted, on another thread, while this thread parses the
// caches: what a command does with the caches' revisions meanwhile (build
// the graph) costs nothing when they prove current.
class LocationScan {
 public:
  explicit LocationScan(const std::vector<std::string>& locations);
  ~LocationScan();  // waits for the listings
  LocationScan(const LocationScan&) = delete;
  LocationScan& operator=(const LocationScan&) = delete;

  // Appends every revision the caches hold, as contents() gives them when
  // no source changed: each with its path, in path order. False when a
  // location has no cache or a cached source declares none. Call it before
  // the others.
  bool take_cached(std::vector<Revision>& out);

  // Waits for the listings: true when every location holds exactly the
  // sources its cache describes, with their cached sizes and times. Such a
  // cache that recorded another stamp of its location is written again
  // with the location's stamp.
  bool cache_current();

  // The *.so files directly in the locations, unsorted. Waits for the
  // listings.
  std::vector<std::string> modules();

  // Every source with what it declares, in path order, and the modules:
  // each source the cache does not answer for is read from its text (one
  // that cannot be read fails with its file and line), and a cache that
  // was not current is written again. Waits for the listings; call it once.
  Expected<LocationContents> contents();

 private:
  struct Location;
  void wait();

  std::vector<std::unique_ptr<Location>> locations_;
  std::vector<std::jthread> listers_;  // the first locations', one each
  bool listed_ = false;
};

// The sources of `location` with their declared revisions, and its modules,
// from one listing: LocationScan({location}).contents().
Expected<LocationContents> read_location(const std::string& location);

}  // namespace retort

#endif  // RETORT_METADATA_CACHE_HPP
