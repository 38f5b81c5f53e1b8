// Hostile input fed to the retort command (issue 15): every case ends in one
// `error:` line and exit code 1, quickly, without a password or a huge value
// in the message; none changes the database or writes code into a revision.
#include "e2e_harness.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fcntl.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace retort::test;

namespace {

// A fresh environment from `retort init`, its retort.ini replaced by `ini`.
void environment(const fs::path& dir, const std::string& ini) {
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  std::ofstream(dir / "retort.ini") << ini;
}

// Checks that `run` failed with exit code 1 and one error line (after any
// progress, and with at most a hint after it); returns the error line.
std::string one_error(const CliRun& run) {
  INFO("stderr: " << run.err.substr(0, 2000));
  CHECK(run.status == 1);
  size_t begin = 0;
  if (!run.err.starts_with("error: ")) {
    const size_t found = run.err.find("\nerror: ");
    REQUIRE(found != std::string::npos);
    begin = found + 1;
  }
  const size_t end = run.err.find('\n', begin);
  REQUIRE(end != std::string::npos);
  const std::string rest = run.err.substr(end + 1);
  CHECK((rest.empty() || (rest.starts_with("hint: ") && rest.find('\n') == rest.size() - 1)));
  return run.err.substr(begin, end - begin);
}

}  // namespace

TEST_CASE("a billion laughs in retort.ini is refused in one line", "[e2e][cli][hardening]") {
  ScratchDir scratch;
  std::string ini =
      "[retort]\nscript_location = %(here)s/migrations\nurl = sqlite:///%(here)s/%(l0)s.db\n";
  for (int level = 0; level < 9; ++level) {
    ini += fmt::format("l{} = ", level);
    for (int k = 0; k < 12; ++k) ini += fmt::format("%(l{})s", level + 1);
    ini += "\n";
  }
  environment(scratch.path(), ini + "l9 = x\n");
  CHECK(one_error(run_retort(scratch.path(), "current")) ==
        "error: bad interpolation in key 'url' of section [retort]: the value expands to more "
        "than 1 MiB");
}

TEST_CASE("a file_template width of ten digits is refused in one line", "[e2e][cli][hardening]") {
  ScratchDir scratch;
  environment(scratch.path(),
              "[retort]\nscript_location = %(here)s/migrations\n"
              "url = sqlite:///%(here)s/retort.db\n"
              "file_template = %%(rev)s_%%(slug)8888888888s\n");
  CHECK(one_error(run_retort(scratch.path(), "revision -m x")) ==
        "error: bad file_template '%(rev)s_%(slug)8888888888s': the width 8888888888 of %(slug) "
        "is more than 255");
  CHECK(fs::is_empty(scratch.path() / "migrations" / "versions"));
}

TEST_CASE("errors about the url never show its password", "[e2e][cli][hardening]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  environment(dir, "");
  auto url_error = [&](const std::string& url) {
    std::ofstream(dir / "retort.ini")
        << "[retort]\nscript_location = %(here)s/migrations\nurl = " << url << "\n";
    CliRun run = run_retort(dir, "current");
    const std::string line = one_error(run);
    for (const char* secret : {"s3cr3t", "Secret9"})
      CHECK(run.err.find(secret) == std::string::npos);
    return line;
  };
  // A percent-encoded password whose % was not doubled for the ini file.
  CHECK(url_error("postgresql://u:pw%40Secret9@127.0.0.1:1/db") ==
        "error: bad interpolation in key 'url' of section [retort]: '%' must be followed by '%' "
        "or '(' in 'postgresql://u:***@127.0.0.1:1/db'");
  // odbc_connect with PWD= in a URL that does not parse.
  CHECK(url_error("mssql://db:0/?odbc_connect=Driver%%3DFreeTDS%%3BUID%%3Dsa%%3BPWD%%3Ds3cr3t") ==
        "error: database URL 'mssql://db:0/?odbc_connect=Driver=FreeTDS;UID=sa;PWD=***' is "
        "malformed: invalid URL 'mssql://db:0/?odbc_connect=Driver=FreeTDS;UID=sa;PWD=***': "
        "port '0' is not a number from 1 to 65535");
  CHECK_THAT(url_error("odbc:///?odbc_connect=DSN%%3Dx%%3BPWD%%3Ds3cr3t&dialect=mssql&x=%%zz"),
             Catch::StartsWith("error: database URL "
                               "'odbc:///?odbc_connect=DSN=x;PWD=***&dialect=mssql&x=%zz' is "
                               "malformed: "));
}

TEST_CASE("a 10 MB url makes an error of a few hundred bytes", "[e2e][cli][hardening]") {
  ScratchDir scratch;
  const std::string huge(10 << 20, 'x');
  environment(scratch.path(),
              "[retort]\nscript_location = %(here)s/migrations\n"
              "url = sqlite:///" +
                  huge + "\n");
  CliRun run = run_retort(scratch.path(), "current");
  const std::string line = one_error(run);
  CHECK(line.size() < 1000);
  CHECK(run.err.size() < 2000);
}

TEST_CASE("a carriage return in a revision message is not compiled as code",
          "[e2e][cli][hardening]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  CliRun revision = run_retort(
      dir,
      "revision --rev-id cr000001 -m \"$(printf 'harmless title\\r#error INJECTED: this line "
      "is code\\\\\\n#error spliced ?\?/\\n*/ \\001')\"");
  INFO(revision.err);
  REQUIRE(revision.status == 0);
  CliRun build = run_retort(dir, "build");
  INFO(build.err);
  CHECK(build.status == 0);
  CHECK(build.err.find("INJECTED") == std::string::npos);
  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  CHECK(upgrade.status == 0);
  // The message, as the module holds it, is the one given.
  CliRun show = run_retort(dir, "show cr000001");
  CHECK_THAT(show.out, Catch::Contains("    harmless title\r#error INJECTED: this line is code\\\n"
                                       "    #error spliced ?\?/\n"
                                       "    */ \x01\n"));
}

TEST_CASE("a dependency cycle is refused before anything runs", "[e2e][cli][hardening]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  // x2 depends_on x3, which comes after it.
  write_pack(dir / "migrations" / "versions", "graph",
             {{"x1", {}}, {"x2", {"x1"}, {}, {"x3"}}, {"x3", {"x2"}}, {"x4", {"x3"}}});
  for (const char* command : {"upgrade head", "history", "heads"}) {
    INFO(command);
    CHECK(one_error(run_retort(dir, command)) ==
          "error: Dependency cycle is detected in revisions (x2, x3)");
  }
  // Nothing ran: no table of a revision.
  if (fs::exists(dir / "retort.db")) {
    CHECK(sqlite(dir / "retort.db",
                 "SELECT count(*) FROM sqlite_master WHERE name LIKE 't\\_%' ESCAPE '\\'") ==
          "0\n");
  }
}

TEST_CASE("an exception that escapes every command is one error line, exit code 1",
          "[e2e][cli][hardening]") {
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  CliRun init = run_retort(dir, "init migrations");
  REQUIRE(init.status == 0);
  // A revision source of 2 GB (sparse: no disk used) read under a 1 GB
  // address-space limit: std::bad_alloc, which no command expects.
  const fs::path huge = dir / "migrations" / "versions" / "huge.cpp";
  { std::ofstream(huge) << "// huge\n"; }
  fs::resize_file(huge, fs::file_size(huge) + (size_t{2} << 30));
  const fs::path err = dir / "stderr.txt";
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const rlimit limit{size_t{1} << 30, size_t{1} << 30};
    setrlimit(RLIMIT_AS, &limit);
    const int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    if (chdir(dir.c_str()) != 0) _exit(99);
    execl(RETORT_BINARY, RETORT_BINARY, "history", static_cast<char*>(nullptr));
    _exit(98);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CliRun run{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), "", read_text(err)};
  CHECK(one_error(run) == "error: out of memory");
}
