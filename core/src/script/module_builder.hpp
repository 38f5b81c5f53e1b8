// Compiles revision sources into revision modules with the system's C++
// compiler ($CXX, else c++), only those whose module is missing or older than
// the source. Each module is written to a temporary name and renamed into
// place, so concurrent runners never load a half-written file.
#ifndef RETORT_MODULE_BUILDER_HPP
#define RETORT_MODULE_BUILDER_HPP

#include <retort/error.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace retort {

struct RevisionSource {
  std::string source;  // versions/<stem>.cpp
  std::string module;  // versions/build/<stem>.so
  bool stale() const;  // the module is missing or older than the source
};

// The compiler to use: $CXX if set, else c++ if on PATH; nullopt if none.
std::optional<std::string> find_compiler();

// Compiles `sources` (in parallel, one job per core) and says so on
// `progress`, one line per module. Compiler diagnostics go to stderr.
Error build_modules(const std::vector<RevisionSource>& sources, const std::string& compiler,
                    std::ostream& progress);

}  // namespace retort

#endif  // RETORT_MODULE_BUILDER_HPP
