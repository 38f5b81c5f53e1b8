// What each revision source of a version location declares, read through a
// cache: <location>/build/.retort/metadata holds, for every source, its size
// and modification time (in nanoseconds) when it was last read, and the
// revisions it declared then. A source whose size and time still match is
// not opened again, so a graph command on 10,000 unchanged sources costs
// 10,000 stat calls and one read.
//
// The cache is only ever a shortcut: a missing, unreadable, foreign or
// corrupt cache reads every source; a cache that cannot be written is
// skipped silently. A source modified too recently is not cached (within
// 100 ms on a file system with sub-second times, 2 s on one with whole
// seconds), so that a second edit within the file system's time
// granularity, with the same size, cannot hide behind the first (git's
// "racily clean").
#ifndef RETORT_METADATA_CACHE_HPP
#define RETORT_METADATA_CACHE_HPP

#include <retort/error.hpp>

#include "revision/revision_map.hpp"

#include <cstdint>
#include <string>
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

// The sources of `location` with their declared revisions, and its modules,
// from one listing. A source that cannot be read fails with its file and line.
Expected<LocationContents> read_location(const std::string& location);

}  // namespace retort

#endif  // RETORT_METADATA_CACHE_HPP
