#include "e2e_harness.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;

namespace retort::test {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; returns its exit code and stdout.
std::pair<int, std::string> shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / fmt::format("retort-test-{}-{:08x}", getpid(), rd());
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string golden(const std::string& name, const std::string& actual) {
  fs::path path = fs::path(RETORT_GOLDEN_DIR) / name;
  if (const char* update = std::getenv("RETORT_UPDATE_GOLDEN");
      update != nullptr && *update == '1') {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << actual;
  }
  return read_text(path);
}

CliRun run_retort(const fs::path& dir, const std::string& args) {
  fs::path err = dir / ".stderr";
  auto [status, out] = shell(fmt::format("cd {} && {} {} 2>{}", quote(dir.string()),
                                         quote(RETORT_BINARY), args, quote(err.string())));
  CliRun run{status, out, read_text(err)};
  fs::remove(err);
  return run;
}

CliRun run_retort_without_compiler(const fs::path& dir, const std::string& args) {
  fs::path err = dir / ".stderr";
  auto [status, out] =
      shell(fmt::format("cd {} && env -u CXX PATH=/nonexistent {} {} 2>{}", quote(dir.string()),
                        quote(RETORT_BINARY), args, quote(err.string())));
  CliRun run{status, out, read_text(err)};
  fs::remove(err);
  return run;
}

TracedRun run_retort_tracing_loads(const fs::path& dir, const std::string& args) {
  const fs::path err = dir / ".stderr";
  const fs::path trace = dir / ".ld-trace";
  auto [status, out] = shell(fmt::format("cd {} && LD_DEBUG=files LD_DEBUG_OUTPUT={} {} {} 2>{}",
                                         quote(dir.string()), quote(trace.string()),
                                         quote(RETORT_BINARY), args, quote(err.string())));
  TracedRun traced{{status, out, read_text(err)}, {}};
  fs::remove(err);
  // LD_DEBUG_OUTPUT appends the process id to the file name.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".ld-trace.", 0) != 0) continue;
    std::istringstream lines(read_text(entry.path()));
    // "  4711:\tfile=/x/y/batch-1.so [0];  dynamically loaded by ..."
    for (std::string line; std::getline(lines, line);) {
      const size_t at = line.find("file=");
      if (at == std::string::npos || line.find("dynamically loaded by") == std::string::npos) {
        continue;
      }
      const std::string path = line.substr(at + 5, line.find_first_of(" [", at) - at - 5);
      traced.opened.push_back(path);
    }
    fs::remove(entry.path());
  }
  return traced;
}

void settle_files() { std::this_thread::sleep_for(std::chrono::milliseconds(2100)); }

BackgroundRun::BackgroundRun(const fs::path& dir, const std::string& args,
                             const std::vector<std::pair<std::string, std::string>>& env)
    : out_(dir / ".background-stdout"), err_(dir / ".background-stderr") {
  // exec: the shell becomes retort, so the pid is the runner's own.
  const std::string command =
      fmt::format("cd {} && exec {} {} >{} 2>{}", quote(dir.string()), quote(RETORT_BINARY), args,
                  quote(out_.string()), quote(err_.string()));
  std::vector<std::string> variables;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [name, value] : env) replaced = replaced || entry.rfind(name + "=", 0) == 0;
    if (!replaced) variables.push_back(entry);
  }
  for (const auto& [name, value] : env) variables.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& v : variables) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", body = command;
  char* argv[] = {sh.data(), dash_c.data(), body.data(), nullptr};
  const int rc = posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, argv, envp.data());
  if (rc != 0) throw std::runtime_error(fmt::format("posix_spawn failed ({}): {}", rc, command));
}

BackgroundRun::~BackgroundRun() {
  if (pid_ > 0) kill();
}

void BackgroundRun::wait_for(const fs::path& marker, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!fs::exists(marker)) {
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      FAIL("the background run ended (exit code "
           << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ") before writing " << marker
           << "\nstdout: " << out() << "\nstderr: " << err());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      FAIL("no " << marker << " after " << timeout.count() << " s\nstdout: " << out()
                 << "\nstderr: " << err());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void BackgroundRun::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void BackgroundRun::signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int BackgroundRun::wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string BackgroundRun::out() const { return read_text(out_); }
std::string BackgroundRun::err() const { return read_text(err_); }

std::string py(const fs::path& dir, const std::string& document, const std::string& expression) {
  std::ofstream(dir / "doc.json") << document;
  std::ofstream(dir / "expr.py") << expression;
  std::ofstream(dir / "extract.py") << "import json, sys\n"
                                       "d = json.load(open(sys.argv[1]))\n"
                                       "r = eval(open(sys.argv[2]).read(), {'d': d})\n"
                                       "print(r if isinstance(r, str) else json.dumps(r, "
                                       "sort_keys=True, separators=(',', ':')))\n";
  auto [status, out] =
      shell("cd " + quote(dir.string()) + " && python3 extract.py doc.json expr.py 2>&1");
  INFO("document: " << document << "\npython: " << out);
  REQUIRE(status == 0);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string sqlite(const fs::path& db, const std::string& sql) {
  auto [status, out] = shell(fmt::format("sqlite3 {} {} 2>&1", quote(db.string()), quote(sql)));
  if (status != 0) throw std::runtime_error("sqlite3 failed: " + out);
  return out;
}

void write_revision_body(const fs::path& source, const std::string& upgrade,
                         const std::string& downgrade) {
  std::string text = read_text(source);
  const std::string placeholder = "  (void)op;\n";
  for (const std::string& body : {upgrade, downgrade}) {
    auto at = text.find(placeholder);
    if (at == std::string::npos)
      throw std::runtime_error("no function body to fill in " + source.string());
    text.replace(at, placeholder.size(), body + "\n");
  }
  std::ofstream(source) << text;
}

namespace {

std::string ids(const std::vector<std::string>& list) {
  std::string out = "{";
  for (size_t i = 0; i < list.size(); ++i) out += (i ? ", \"" : "\"") + list[i] + "\"";
  return out + "}";
}

}  // namespace

void write_pack(const fs::path& versions, const std::string& name,
                const std::vector<PackRevision>& revisions) {
  std::ofstream out(versions / (name + ".cpp"));
  out << "#include <retort/revision.hpp>\n";
  for (const PackRevision& r : revisions) {
    out << fmt::format(R"~(
namespace rev_{0} {{
void upgrade(retort::Operations& op) {{ op.create_table("t_{0}", {{retort::Column("id", retort::Integer())}}); }}
void downgrade(retort::Operations& op) {{ op.drop_table("t_{0}"); }}
}}  // namespace rev_{0}
RETORT_REVISION(.revision = "{0}", .down_revision = {1}, .branch_labels = {2}, .depends_on = {3},
                .message = "revision {0}", .upgrade = rev_{0}::upgrade, .downgrade = rev_{0}::downgrade)
)~",
                       r.id, ids(r.down_revisions), ids(r.branch_labels), ids(r.depends_on));
  }
}

void write_sources(const fs::path& versions, const std::vector<PackRevision>& revisions) {
  for (const PackRevision& r : revisions) {
    std::ofstream out(versions / fmt::format("{}_revision_{}.cpp", r.id, r.id));
    out << fmt::format(R"~(// revision {0}
//
// Revision ID: {0}

#include <retort/revision.hpp>

namespace {{

void upgrade(retort::Operations& op) {{
  op.create_table("t_{0}", {{retort::Column("id", retort::Integer())}});
}}

void downgrade(retort::Operations& op) {{
  op.drop_table("t_{0}");
}}

}}  // namespace

RETORT_REVISION(
    .revision = "{0}",
    .down_revision = {1},
    .branch_labels = {2},
    .depends_on = {3},
    .message = "revision {0}",
    .create_date = "2026-12-04 00:00:00",
    .upgrade = upgrade,
    .downgrade = downgrade)
)~",
                       r.id, ids(r.down_revisions), ids(r.branch_labels), ids(r.depends_on));
  }
}

fs::path revision_source(const fs::path& versions, const std::string& rev) {
  for (const auto& entry : fs::directory_iterator(versions)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".cpp" && name.rfind(rev, 0) == 0) return entry.path();
  }
  throw std::runtime_error("no source for revision " + rev + " in " + versions.string());
}

}  // namespace retort::test
