#include "script/module_builder.hpp"

#include "util/file_io.hpp"
#include "util/log_scope.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace retort {
namespace {

// From this many compiler runs on, building the PCH first pays.
constexpr size_t kPchWorthwhile = 6;

// The flags every revision module and the PCH are compiled with; the PCH is
// only used when they match exactly.
constexpr const char* kCompileFlags =
    "-std=c++20 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden";
// GCC's unique symbols would keep a module loaded forever; clang makes none,
// and refuses the option.
constexpr const char* kGccFlags = " -fno-gnu-unique";

// The text of `path`, or "" when it cannot be read (a log the compiler did
// not write, a list that is not there yet).
std::string read_text(const std::string& path) {
  auto text = read_file(path);
  return text ? std::move(*text) : std::string();
}

Error write_atomically(const fs::path& path, const std::string& text) {
  return write_file_atomically(path.string(), text);
}

fs::path state_dir(const std::string& location) { return fs::path(location) / "build" / ".retort"; }

// The headers a source includes with <...>, in order, when those and
// #pragma once are its only preprocessor directives; nullopt when it needs
// a translation unit of its own.
std::optional<std::vector<std::string>> batchable_includes(const std::string& source) {
  std::string text = read_text(source);
  std::vector<std::string> includes;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] != '#') continue;
    size_t d = line.find_first_not_of(" \t", i + 1);
    std::string_view rest = d == std::string::npos ? "" : std::string_view(line).substr(d);
    if (rest.starts_with("pragma") && rest.find("once") != std::string_view::npos) continue;
    if (!rest.starts_with("include")) return std::nullopt;
    size_t open = rest.find('<');
    size_t close = rest.find('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
        rest.back() == '\\') {
      return std::nullopt;
    }
    includes.emplace_back(rest.substr(open, close - open + 1));
  }
  return includes;
}

// A file's identity for the PCH key: its size and modification time.
std::string stat_key(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path.string() + ":missing";
  return fmt::format("{}:{}:{}.{}", path.string(), st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

// The compiler's executable, for the PCH key: a path as given, else the
// first match on PATH.
fs::path resolve_compiler(const std::string& compiler) {
  std::string first = compiler.substr(0, compiler.find(' '));
  if (first.find('/') != std::string::npos) return first;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    fs::path candidate = fs::path(dir) / first;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) {
      std::error_code ec;
      fs::path real = fs::canonical(candidate, ec);
      return ec ? candidate : real;
    }
  }
  return first;
}

// The flags for `toolchain`'s compiler: GCC's extra one unless it is clang.
std::string compile_flags(const Toolchain& toolchain) {
  const bool clang =
      resolve_compiler(toolchain.compiler).filename().string().find("clang") != std::string::npos;
  return std::string(kCompileFlags) + (clang ? "" : kGccFlags);
}

// What the PCH depends on: the compiler, the flags and every SDK header.
std::string pch_key(const Toolchain& toolchain) {
  std::string key =
      fmt::format("{}\n{}\n{}\n", toolchain.compiler,
                  stat_key(resolve_compiler(toolchain.compiler)), compile_flags(toolchain));
  std::vector<fs::path> headers;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(toolchain.sdk_include) / "retort", ec)) {
    headers.push_back(entry.path());
  }
  std::sort(headers.begin(), headers.end());
  for (const fs::path& h : headers) key += h.filename().string() + "\n" + read_text(h) + "\n";
  return sha256_hex(key).substr(0, 16);
}

// The precompiled SDK of `location` for `toolchain`, built if missing; ""
// when it cannot be built (the sources then compile without it).
std::string precompiled_sdk(const std::string& location, const Toolchain& toolchain) {
  const fs::path root = state_dir(location) / "pch";
  const std::string key = pch_key(toolchain);
  const fs::path header = root / key / "retort_sdk.hpp";
  fs::path gch = header;
  gch += ".gch";
  std::error_code ec;
  if (fs::exists(gch, ec)) return header.string();
  // Older PCHs (another compiler or SDK) are of no further use.
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.path().filename() != key) fs::remove_all(entry.path(), ec);
  }
  fs::create_directories(header.parent_path(), ec);
  if (write_atomically(header, "#include <retort/revision.hpp>\n")) return "";
  fs::path tmp = gch;
  tmp += fmt::format(".tmp.{}", getpid());
  CompilerOutput out = toolchain.run({toolchain.compiler,
                                      fmt::format("{} -I{} -x c++-header", compile_flags(toolchain),
                                                  shell_quote(toolchain.sdk_include)),
                                      header.string(), tmp.string(), /*header=*/true});
  if (out.status != 0) {
    fs::remove(tmp, ec);
    return "";
  }
  fs::rename(tmp, gch, ec);
  return ec ? "" : header.string();
}

// Only the entry point is exported, whatever the C++ headers instantiate.
Expected<std::string> exports_map(const fs::path& dir) {
  fs::path map = dir / "exports.map";
  std::error_code ec;
  if (fs::exists(map, ec)) return map.string();
  if (auto err = write_atomically(map, "{ global: retort_plugin_entry; local: *; };\n")) return err;
  return map.string();
}

// A source that did not compile, and the compiler's status.
struct Failed {
  std::string source;
  int status;
};

// The error for the sources that did not compile, each named (the first
// few of many), their compiler output logged already.
Error build_failure(std::vector<Failed> failed) {
  std::sort(failed.begin(), failed.end(),
            [](const Failed& a, const Failed& b) { return a.source < b.source; });
  const std::string hint = "fix the compiler errors shown above and run the command again";
  if (failed.size() == 1) {
    return Error(ErrorCategory::kBuild,
                 fmt::format("cannot build revision '{}': the compiler exited with status {}",
                             failed[0].source, failed[0].status),
                 hint);
  }
  constexpr size_t kNamed = 5;
  std::string names;
  for (size_t i = 0; i < std::min(failed.size(), kNamed); ++i) {
    names += fmt::format("{}'{}'", i == 0 ? "" : ", ", failed[i].source);
  }
  if (failed.size() > kNamed) names += fmt::format(" and {} more", failed.size() - kNamed);
  return Error(
      ErrorCategory::kBuild,
      fmt::format("cannot build {} revisions: the compiler failed on {}", failed.size(), names),
      hint);
}

struct Job {
  std::vector<std::string> sources;
  std::vector<std::string> includes;  // hoisted, for a batch
  BuildUnit unit;
};

class Compiler {
 public:
  Compiler(const Toolchain& toolchain, std::string map, std::string pch, fs::path units)
      : toolchain_(toolchain),
        flags_(compile_flags(toolchain)),
        map_(std::move(map)),
        pch_(std::move(pch)),
        units_(std::move(units)) {}

  // Builds `job` into its module; a failed batch is compiled again one
  // source at a time, every one of them, so that the errors name each
  // broken file. Appends what was built, and each source that did not
  // compile to `failed` with the compiler's status; another error (a file
  // that cannot be written) is returned.
  Error build(const Job& job, std::vector<BuildUnit>& built, std::vector<Failed>& failed) {
    if (job.sources.size() == 1) return build_one(job.sources[0], built, failed);
    std::string text = "// Written by retort: revision sources compiled as one unit.\n";
    text += "#include <retort/revision.hpp>\n";
    for (const std::string& inc : job.includes) text += "#include " + inc + "\n";
    for (size_t i = 0; i < job.sources.size(); ++i) {
      text += fmt::format("namespace retort_unit_{} {{\n#include \"{}\"\n}}\n", i, job.sources[i]);
    }
    fs::path unity = job.unit.module;
    unity.replace_extension(fmt::format(".tmp.{}.cpp", getpid()));
    if (auto err = write_atomically(unity, text)) return err;
    CompilerOutput out = compile(unity.string(), job.unit.module);
    std::error_code ec;
    fs::remove(unity, ec);
    if (out.status == 0) return record(job.unit, built);
    for (const std::string& s : job.sources) {
      if (auto err = build_one(s, built, failed)) return err;
    }
    return Error::success();
  }

 private:
  Error build_one(const std::string& source, std::vector<BuildUnit>& built,
                  std::vector<Failed>& failed) {
    BuildUnit unit{(units_ / fs::path(source).stem()).string() + ".so", {source}};
    CompilerOutput out = compile(source, unit.module);
    if (out.status != 0) {
      log_text(LogLevel::kError, out.log);
      failed.push_back({source, out.status});
      return Error::success();
    }
    return record(unit, built);
  }

  // Compiles and links `input` into `module` (through a temporary file).
  CompilerOutput compile(const std::string& input, const std::string& module) {
    std::string tmp = fmt::format("{}.tmp.{}.{}", module, getpid(), counter_++);
    std::string pch = pch_.empty() ? "" : " -include " + shell_quote(pch_);
    CompilerOutput result =
        toolchain_.run({toolchain_.compiler,
                        fmt::format("{} -shared -Wl,--version-script={} -I{}{}", flags_,
                                    shell_quote(map_), shell_quote(toolchain_.sdk_include), pch),
                        input, tmp});
    std::error_code ec;
    if (result.status == 0) {
      fs::rename(tmp, module, ec);
      if (ec) return {1, fmt::format("cannot move '{}' into place: {}\n", module, ec.message())};
    } else {
      fs::remove(tmp, ec);
    }
    return result;
  }

  // The module is in place; its list makes it a unit.
  Error record(const BuildUnit& unit, std::vector<BuildUnit>& built) {
    if (auto err = record_unit(unit)) return err;
    built.push_back(unit);
    return Error::success();
  }

  const Toolchain& toolchain_;
  std::string flags_;
  std::string map_;
  std::string pch_;
  fs::path units_;
  std::atomic<unsigned> counter_{0};
};

// Splits `sources` into jobs: lone sources, then batches of the rest, at
// least one per worker.
std::vector<Job> plan_jobs(const std::vector<std::string>& sources, const fs::path& units,
                           unsigned workers, size_t batch_size) {
  std::vector<Job> jobs;
  std::vector<std::pair<std::string, std::vector<std::string>>> batchable;
  for (const std::string& s : sources) {
    auto includes = batchable_includes(s);
    if (includes && batch_size > 1) {
      batchable.emplace_back(s, std::move(*includes));
    } else {
      jobs.push_back({{s}, {}, {}});
    }
  }
  const size_t n = batchable.size();
  size_t batches =
      std::max<size_t>((n + batch_size - 1) / batch_size, std::min<size_t>(n, workers));
  for (size_t b = 0, begin = 0; b < batches; ++b) {
    size_t end = begin + (n - begin) / (batches - b);
    Job job;
    std::set<std::string> seen;
    for (size_t i = begin; i < end; ++i) {
      job.sources.push_back(batchable[i].first);
      for (const std::string& inc : batchable[i].second) {
        if (seen.insert(inc).second) job.includes.push_back(inc);
      }
    }
    begin = end;
    jobs.push_back(std::move(job));
  }
  for (Job& job : jobs) {
    std::string name = fs::path(job.sources[0]).stem().string();
    if (job.sources.size() > 1) {
      std::string joined;
      for (const std::string& s : job.sources) joined += fs::path(s).filename().string() + "\n";
      name = "batch-" + sha256_hex(joined).substr(0, 16);
    }
    job.unit = {(units / name).string() + ".so", job.sources};
  }
  return jobs;
}

}  // namespace

CompilerOutput run_compiler(const CompilerRun& run) {
  const std::string log = run.output + ".log";
  const std::string command =
      fmt::format("{} {} -o {} {} > {} 2>&1", run.compiler, run.flags, shell_quote(run.output),
                  shell_quote(run.input), shell_quote(log));
  const int status = std::system(command.c_str());
  std::string text = read_text(log);
  std::error_code ec;
  fs::remove(log, ec);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), std::move(text)};
}

std::optional<std::string> find_compiler() {
  if (const char* cxx = std::getenv("CXX"); cxx != nullptr && *cxx != '\0') return std::string(cxx);
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((fs::path(dir) / "c++").c_str(), X_OK) == 0)
      return std::string("c++");
  }
  return std::nullopt;
}

std::string units_dir(const std::string& location) {
  return (state_dir(location) / "units").string();
}

std::vector<BuildUnit> read_units(const std::string& location) {
  std::vector<BuildUnit> units;
  const fs::path dir = units_dir(location);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".list") continue;
    BuildUnit unit;
    fs::path module = entry.path();
    module.replace_extension(".so");
    if (!fs::exists(module, ec)) continue;
    unit.module = module.string();
    const std::string list = read_text(entry.path().string());
    std::string_view rest = list;
    while (!rest.empty()) {
      const size_t eol = rest.find('\n');
      const std::string_view name = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
      if (name.empty()) continue;
      std::string& path = unit.sources.emplace_back();
      path.reserve(location.size() + 1 + name.size());
      path.append(location).append(1, '/').append(name);
    }
    if (unit.sources.empty()) continue;
    std::sort(unit.sources.begin(), unit.sources.end());
    units.push_back(std::move(unit));
  }
  std::sort(units.begin(), units.end(),
            [](const BuildUnit& a, const BuildUnit& b) { return a.module < b.module; });
  return units;
}

int64_t module_time(const BuildUnit& unit) {
  struct stat st {};
  if (::stat(unit.module.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::vector<ServingUnit> serving_units(const std::string& location, SourceTimes& unserved) {
  std::vector<ServingUnit> serving;
  for (BuildUnit& unit : read_units(location)) {
    const int64_t built_at = module_time(unit);
    ServingUnit s{std::move(unit), {}};
    for (const std::string& path : s.unit.sources) {
      auto it = unserved.find(path);
      if (it == unserved.end() || it->second > built_at) continue;
      unserved.erase(it);
      s.current.push_back(path);
    }
    serving.push_back(std::move(s));
  }
  return serving;
}

Error record_unit(const BuildUnit& unit) {
  std::string list;
  for (const std::string& s : unit.sources) list += fs::path(s).filename().string() + "\n";
  fs::path list_path = unit.module;
  list_path.replace_extension(".list");
  return write_atomically(list_path, list);
}

void remove_unit(const BuildUnit& unit) {
  std::error_code ec;
  fs::path list = unit.module;
  list.replace_extension(".list");
  fs::remove(list, ec);
  fs::remove(unit.module, ec);
}

Expected<std::vector<BuildUnit>> build_units(const std::string& location,
                                             const std::vector<std::string>& sources,
                                             const Toolchain& toolchain, std::ostream& progress) {
  std::vector<BuildUnit> built;
  if (sources.empty()) return built;
  const auto started = std::chrono::steady_clock::now();
  const fs::path units = units_dir(location);
  std::error_code ec;
  fs::create_directories(units, ec);
  if (ec) {
    return Error(ErrorCategory::kIo, fmt::format("cannot create the build folder '{}': {}",
                                                 units.string(), ec.message()));
  }
  auto map = exports_map(state_dir(location));
  if (!map) return map.take_error();
  const unsigned workers = toolchain.jobs > 0
                               ? toolchain.jobs
                               : std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<Job> jobs = plan_jobs(sources, units, workers, toolchain.batch_size);
  // The PCH costs about four compiles to build and saves a third of each
  // later one: worth building for a cold build of many batches, and used
  // from then on; a few compiles are faster without it.
  std::string pch;
  if (jobs.size() >= kPchWorthwhile || fs::exists(state_dir(location) / "pch", ec)) {
    pch = precompiled_sdk(location, toolchain);
  }
  Compiler compiler(toolchain, *map, pch, units);

  const bool live = &progress == &std::cerr && isatty(STDERR_FILENO) != 0;
  std::atomic<size_t> next{0};
  std::mutex mutex;
  size_t done = 0;
  Error first_error;
  std::vector<Failed> failed;
  const LogRoute* route = LogScope::current();
  auto worker = [&] {
    LogScope inherit(route);
    for (size_t i = next++; i < jobs.size(); i = next++) {
      std::vector<BuildUnit> mine;
      std::vector<Failed> mine_failed;
      Error err = compiler.build(jobs[i], mine, mine_failed);
      std::lock_guard<std::mutex> lock(mutex);
      for (BuildUnit& u : mine) built.push_back(std::move(u));
      for (Failed& f : mine_failed) failed.push_back(std::move(f));
      if (err && !first_error) first_error = std::move(err);
      done += jobs[i].sources.size();
      if (live) {
        progress << fmt::format("\rcompiling {}/{}", done, sources.size()) << std::flush;
      } else if (jobs[i].sources.size() == 1) {
        progress << "compiled " << jobs[i].sources[0] << '\n';
      } else {
        progress << fmt::format("compiled {}/{}\n", done, sources.size());
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < std::min<size_t>(workers, jobs.size()); ++i)
    threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  if (live) progress << '\n';
  if (first_error) return first_error;
  if (!failed.empty()) return build_failure(std::move(failed));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress << fmt::format("compiled {} revision source{} into {} module{} in {:.1f} s\n",
                          sources.size(), sources.size() == 1 ? "" : "s", built.size(),
                          built.size() == 1 ? "" : "s", seconds);
  return built;
}

}  // namespace retort
