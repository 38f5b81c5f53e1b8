// Helpers for end-to-end tests: a scratch directory, running the retort
// binary in it, asking sqlite3 about the database, editing revision sources.
#ifndef RETORT_TESTS_E2E_HARNESS_HPP
#define RETORT_TESTS_E2E_HARNESS_HPP

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace retort::test {

// A fresh directory under the system temp dir, removed at scope exit.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CliRun {
  int status;       // the exit code
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `retort <args>` (args are shell words) with `dir` as working directory.
CliRun run_retort(const std::filesystem::path& dir, const std::string& args);

// The same, with no C++ compiler to be found: CXX unset and an empty PATH.
CliRun run_retort_without_compiler(const std::filesystem::path& dir, const std::string& args);

// `retort <args>` in `dir`, with the shared objects it opened after it
// started (revision modules, dialects: the dynamic loader's own report,
// LD_DEBUG=files), by path, in the order they were opened.
struct TracedRun {
  CliRun run;
  std::vector<std::string> opened;
};
TracedRun run_retort_tracing_loads(const std::filesystem::path& dir, const std::string& args);

// The checksum cache trusts no file changed in the last two seconds
// (checksum_cache.hpp): waits until the files written so far are settled.
void settle_files();

// `retort <args>` started in the background with `dir` as working directory
// and `env` added to the environment, as a runner that a test kills; its
// stdout and stderr go to files in `dir`. Killed and reaped at scope exit.
class BackgroundRun {
 public:
  BackgroundRun(const std::filesystem::path& dir, const std::string& args,
                const std::vector<std::pair<std::string, std::string>>& env);
  ~BackgroundRun();
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  // Waits until `marker` exists. Fails the test, with the run's output, when
  // the run ends first or `timeout` passes.
  void wait_for(const std::filesystem::path& marker, std::chrono::seconds timeout);

  // SIGKILL, then waits for the process to end.
  void kill();
  // Sends `signal` (SIGINT, SIGTERM) and returns at once.
  void signal(int signal);
  // Waits for the run to end by itself; its exit code.
  int wait();

  std::string out() const;
  std::string err() const;

 private:
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
};

// Parses `document` with Python's json module and prints `expression`, a
// Python expression over the document `d`: strings as they are, anything
// else as compact JSON with sorted keys. A document that does not parse
// fails the test. Scratch files go into `dir`.
std::string py(const std::filesystem::path& dir, const std::string& document,
               const std::string& expression);

// Runs sql through the sqlite3 command-line shell; rows come back one per
// line, columns separated by |.
std::string sqlite(const std::filesystem::path& db, const std::string& sql);

// Fills the bodies of upgrade() and downgrade() in a revision source made by
// `retort revision`.
void write_revision_body(const std::filesystem::path& source, const std::string& upgrade,
                         const std::string& downgrade);

// The one revision source in `versions` whose name starts with `rev`.
std::filesystem::path revision_source(const std::filesystem::path& versions,
                                      const std::string& rev);

std::string read_text(const std::filesystem::path& path);

// One revision of a pack written by write_pack: its upgrade creates table
// t_<id> and its downgrade drops it, so the tables show what ran.
struct PackRevision {
  std::string id;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels = {};
  std::vector<std::string> depends_on = {};
};

// Writes one source per revision, as `retort revision` lays them out:
// versions/<id>_revision_<id>.cpp, each creating table t_<id>.
void write_sources(const std::filesystem::path& versions,
                   const std::vector<PackRevision>& revisions);

// Writes every revision into one source file (one compiler run).
void write_pack(const std::filesystem::path& versions, const std::string& name,
                const std::vector<PackRevision>& revisions);

// The expected text of tests/golden/<name>. With RETORT_UPDATE_GOLDEN=1 in
// the environment, `actual` is written there first (review the diff!).
std::string golden(const std::string& name, const std::string& actual);

}  // namespace retort::test

#endif  // RETORT_TESTS_E2E_HARNESS_HPP
