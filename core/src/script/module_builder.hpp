// Compiles revision sources into revision modules with the system's C++
// compiler ($CXX, else c++).
//
// What a compiler must do is parse the SDK and the sources and generate the
// inline SDK code each translation unit uses; everything else is overhead.
// So the SDK is precompiled once per compiler, flags and SDK (a PCH kept in
// the build folder), and stale sources are compiled in batches: a batch is
// one translation unit that includes each of its sources inside a namespace
// of its own, and one module. The inline SDK code is then generated once per
// batch instead of once per revision. A source that does more than include
// headers and declare code (a #define, #if, a quoted #include) is compiled
// alone, as are the sources of a batch that fails, so that a compiler error
// names its own file.
//
// Each version location keeps its built units in <location>/build/.retort/:
// units/<name>.so and units/<name>.list (the sources in it, one file name a
// line). A unit serves the sources it lists that exist and are not newer
// than its module. Modules are written to a temporary name and
// renamed into place, so concurrent runners never load a half-written file.
#ifndef RETORT_MODULE_BUILDER_HPP
#define RETORT_MODULE_BUILDER_HPP

#include <retort/error.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort {

// One module built from one or more sources of one version location.
struct BuildUnit {
  std::string module;                // <location>/build/.retort/units/<name>.so
  std::vector<std::string> sources;  // absolute paths, sorted
};

// At most this many sources go into one batch by default: enough that the
// SDK's inline code is generated rarely, few enough that an edit in an old
// batch does not recompile the world and that two cores share a cold build.
constexpr size_t kDefaultBatchSize = 100;

// One run of the compiler: `input` compiled with `flags` into `output`, a
// temporary name that the builder renames into place once the run succeeds.
// `header`: the input is the SDK header, precompiled (the PCH).
struct CompilerRun {
  std::string compiler;
  std::string flags;
  std::string input;
  std::string output;
  bool header = false;
};

// What a compiler run ended with: its exit status and what it printed.
struct CompilerOutput {
  int status = 0;
  std::string log;
};

// Runs `run` as the shell command "<compiler> <flags> -o <output> <input>".
CompilerOutput run_compiler(const CompilerRun& run);

// What compiles: the compiler command, the SDK's include directory, the
// most sources one module may hold (1: one module per source), how each
// compiler run is made (called from several threads at once) and how many
// run at once (0: one per core, at most 8).
struct Toolchain {
  std::string compiler;
  std::string sdk_include;
  size_t batch_size = kDefaultBatchSize;
  std::function<CompilerOutput(const CompilerRun&)> run = run_compiler;
  unsigned jobs = 0;
};

// The compiler to use: $CXX if set, else c++ if on PATH; nullopt if none.
std::optional<std::string> find_compiler();

// The units recorded in `location`'s build folder, whether current or not;
// a unit whose list or module is missing is left out.
std::vector<BuildUnit> read_units(const std::string& location);

// The modification time of `unit`'s module in nanoseconds; -1 if missing.
int64_t module_time(const BuildUnit& unit);

// A recorded unit and the sources it still serves.
struct ServingUnit {
  BuildUnit unit;                    // as recorded
  std::vector<std::string> current;  // the sources it still serves, in its order
};

// Where retort keeps the units it built for `location`.
std::string units_dir(const std::string& location);

// Source path -> modification time in nanoseconds; the paths are the
// caller's.
using SourceTimes = std::unordered_map<std::string_view, int64_t>;

// The units recorded in `location`, each with the sources it still serves:
// those it lists that are in `unserved` and not newer than its module. A source is served by one
// unit, the first in module order that can, and taken out of `unserved`;
// what is left there is stale (edited, or in no unit) and must be built.
std::vector<ServingUnit> serving_units(const std::string& location, SourceTimes& unserved);

// Records `unit` with the sources it now stands for: a batch whose other
// sources changed keeps serving the unchanged ones, while the changed ones
// are rebuilt into units of their own. The module still holds the old
// revisions of those it no longer lists; the loader ignores them.
Error record_unit(const BuildUnit& unit);

// Removes a unit's module and list; errors are ignored (another runner may
// have removed it first).
void remove_unit(const BuildUnit& unit);

// Compiles `sources` (absolute paths of .cpp files directly inside
// `location`) into new units of `location`, in parallel (Toolchain::jobs).
// On a terminal, `progress` gets a live "compiling N/M" line; always, a
// final count with the time taken. Compiler diagnostics go to the log (stderr
// unless the command's Config has a sink). The
// first failure is returned after the other jobs finish.
Expected<std::vector<BuildUnit>> build_units(const std::string& location,
                                             const std::vector<std::string>& sources,
                                             const Toolchain& toolchain, std::ostream& progress);

}  // namespace retort

#endif  // RETORT_MODULE_BUILDER_HPP
