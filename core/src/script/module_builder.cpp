#include "script/module_builder.hpp"

#include "util/install_paths.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace retort {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Only the entry point is exported, whatever the C++ headers instantiate.
Expected<std::string> exports_map(const fs::path& dir) {
  fs::path map = dir / "exports.map";
  std::error_code ec;
  if (fs::exists(map, ec)) return map.string();
  fs::path tmp = dir / fmt::format("exports.map.{}", getpid());
  {
    std::ofstream out(tmp);
    out << "{ global: retort_plugin_entry; local: *; };\n";
    if (!out) return Error(ErrorCategory::kIo, fmt::format("cannot write '{}'", tmp.string()));
  }
  fs::rename(tmp, map, ec);
  return map.string();
}

struct Job {
  const RevisionSource* source;
  std::string command;
  std::string log;
  std::string tmp;
};

Error run_job(Job& job) {
  int status = std::system((job.command + " > " + shell_quote(job.log) + " 2>&1").c_str());
  std::ifstream log(job.log);
  std::stringstream text;
  text << log.rdbuf();
  std::error_code ec;
  fs::remove(job.log, ec);
  if (status == 0) {
    fs::rename(job.tmp, job.source->module, ec);
    if (ec) {
      return Error(ErrorCategory::kIo, fmt::format("cannot move the module of '{}' into place: {}",
                                                   job.source->source, ec.message()));
    }
    return Error::success();
  }
  fs::remove(job.tmp, ec);
  std::cerr << text.str();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : status;
  return Error(ErrorCategory::kBuild,
               fmt::format("cannot build revision '{}': the compiler exited with status {}",
                           job.source->source, code),
               "fix the compiler errors shown above and run the command again");
}

}  // namespace

bool RevisionSource::stale() const {
  std::error_code ec;
  auto module_time = fs::last_write_time(module, ec);
  if (ec) return true;
  auto source_time = fs::last_write_time(source, ec);
  return !ec && source_time > module_time;
}

std::optional<std::string> find_compiler() {
  if (const char* cxx = std::getenv("CXX"); cxx != nullptr && *cxx != '\0') return std::string(cxx);
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((fs::path(dir) / "c++").c_str(), X_OK) == 0) return std::string("c++");
  }
  return std::nullopt;
}

Error build_modules(const std::vector<RevisionSource>& sources, const std::string& compiler,
                    std::ostream& progress) {
  if (sources.empty()) return Error::success();
  std::vector<Job> jobs;
  for (const RevisionSource& s : sources) {
    fs::path module_dir = fs::path(s.module).parent_path();
    std::error_code ec;
    fs::create_directories(module_dir, ec);
    if (ec) {
      return Error(ErrorCategory::kIo, fmt::format("cannot create module directory '{}': {}",
                                                   module_dir.string(), ec.message()));
    }
    auto map = exports_map(module_dir);
    if (!map) return map.take_error();
    Job job;
    job.source = &s;
    job.tmp = fmt::format("{}.tmp.{}", s.module, getpid());
    job.log = job.tmp + ".log";
    job.command = fmt::format(
        "{} -std=c++20 -shared -fPIC -fvisibility=hidden -fvisibility-inlines-hidden "
        "-fno-gnu-unique -Wl,--version-script={} -I{} -o {} {}",
        compiler, shell_quote(*map), shell_quote(sdk_include_dir()), shell_quote(job.tmp),
        shell_quote(s.source));
    jobs.push_back(std::move(job));
  }

  // One job per core; the first failure is reported, the others finish.
  std::atomic<size_t> next{0};
  std::mutex mutex;
  Error first_error;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      Error err = run_job(jobs[i]);
      std::lock_guard<std::mutex> lock(mutex);
      if (err) {
        if (!first_error) first_error = std::move(err);
        continue;
      }
      progress << "compiled " << jobs[i].source->source << '\n';
    }
  };
  unsigned workers = std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 8);
  workers = std::min<unsigned>(workers, static_cast<unsigned>(jobs.size()));
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < workers; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  return first_error;
}

}  // namespace retort
