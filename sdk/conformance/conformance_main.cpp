// retort-conformance: renders every case of a folder with one dialect
// plugin and compares the result with the case's expected text.
//
//   retort-conformance [--update] path/to/dialect.so path/to/cases/
//
// A case is <name>.op (the operations, case_file.hpp) beside <name>.sql (what
// the dialect must render): each statement followed by ";" and a line break,
// whatever the dialect's own terminator; a failure as one line
// "error <status>: <message>", after which the case renders nothing more, as
// a migration stops; a connection string on a line of its own. Exit status:
// 0 when every case matches, 1 when one does not (each is shown as a diff),
// 2 when the plugin or the folder cannot be used. --update writes each
// <name>.sql from what the plugin renders, for recording new cases: read
// every file it writes before committing it.
#include "case_file.hpp"
#include "dialect_library.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using retort_conformance::Case;
using retort_conformance::DialectLibrary;
using retort_conformance::Outcome;

namespace {

const char* status_name(int status) {
  switch (status) {
    case RETORT_ERROR:
      return "error";
    case RETORT_UNSUPPORTED:
      return "unsupported";
    case RETORT_INVALID:
      return "invalid";
    case RETORT_ABORTED:
      return "aborted";
  }
  return "unknown";
}

// The text a case renders to, in the format of <name>.sql.
std::string rendered(const DialectLibrary& dialect, const Case& c) {
  std::string out;
  for (const auto& step : c.steps) {
    const Outcome outcome =
        step->connection ? dialect.connection_string(step->url) : dialect.render(step->op);
    if (outcome.status != RETORT_OK) {
      return out + "error " + status_name(outcome.status) + ": " + outcome.error + "\n";
    }
    for (const std::string& statement : outcome.statements) {
      out += statement + (step->connection ? "\n" : ";\n");
    }
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The lines of `expected` and `actual`, "-" for a line only expected, "+"
// for one only rendered, " " for one in both (a longest common subsequence).
void print_diff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> a = lines(expected), b = lines(actual);
  std::vector<std::vector<size_t>> common(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      common[i][j] =
          a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      std::cout << "   " << a[i++] << "\n";
      ++j;
    } else if (j < b.size() && (i == a.size() || common[i][j + 1] >= common[i + 1][j])) {
      std::cout << "  +" << b[j++] << "\n";
    } else {
      std::cout << "  -" << a[i++] << "\n";
    }
  }
  if (!expected.empty() && expected.back() != '\n') {
    std::cout << "  (the expected file does not end in a line break)\n";
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int usage() {
  std::cerr << "usage: retort-conformance [--update] path/to/dialect.so path/to/cases/\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool update = !args.empty() && args.front() == "--update";
  if (update) args.erase(args.begin());
  if (args.size() != 2) return usage();
  const fs::path folder = args[1];

  std::vector<fs::path> ops;
  std::error_code error;
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".op") ops.push_back(it->path());
  }
  if (error) {
    std::cerr << "retort-conformance: cannot read the cases folder " << folder << ": "
              << error.message() << "\n";
    return 2;
  }
  if (ops.empty()) {
    std::cerr << "retort-conformance: no cases (*.op files) in " << folder
              << "; give the folder that holds them\n";
    return 2;
  }
  std::sort(ops.begin(), ops.end());

  try {
    const DialectLibrary dialect(args[0]);
    size_t failed = 0;
    for (const fs::path& op : ops) {
      fs::path expected_path = op;
      expected_path.replace_extension(".sql");
      const std::string name = fs::relative(op, folder).replace_extension().string();
      std::string actual;
      try {
        actual = rendered(dialect, retort_conformance::read_case(op, name));
      } catch (const std::exception& e) {
        std::cout << "FAIL " << name << ": the case cannot be read: " << e.what() << "\n";
        ++failed;
        continue;
      }
      if (update) {
        std::ofstream(expected_path, std::ios::binary) << actual;
        std::cout << "wrote " << expected_path.string() << "\n";
        continue;
      }
      if (!fs::exists(expected_path)) {
        std::cout << "FAIL " << name << ": no " << expected_path.string()
                  << "; write what the dialect must render there\n";
        ++failed;
        continue;
      }
      const std::string expected = read_file(expected_path);
      if (expected == actual) continue;
      std::cout << "FAIL " << name << " (- " << expected_path.string() << ", + rendered):\n";
      print_diff(expected, actual);
      ++failed;
    }
    std::cout << dialect.plugin().name << ": " << ops.size() - failed << " of " << ops.size()
              << " cases match\n";
    return failed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "retort-conformance: " << e.what() << "\n";
    return 2;
  }
}
