// A conformance case as data: the operations of <case>.op, read into the
// C ABI's structs (retort_operation and what it points to), which the
// dialect under test renders.
//
// The format: one `key = value` per line; '#' starts a comment line. A value
// runs to the end of the line, spaces around it trimmed; \n, \t, \s (a
// space) and \\ are escapes. A key left out is absent; `key =` is empty.
//
//   kind = add_column          # starts an operation (several may follow)
//   table = account
//   column = nickname          # starts a column of the operation
//   column.type = string
//   column.length = 30
//   column.flags = not_null unique
//   column.default = anonymous
//
// README.md (writing a dialect) lists every key.
#ifndef RETORT_CONFORMANCE_CASE_FILE_HPP
#define RETORT_CONFORMANCE_CASE_FILE_HPP

#include <retort/abi.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace retort_conformance {

// One operation and the storage its pointers point into. Not copyable: the
// pointers would dangle.
struct Step {
  Step() = default;
  Step(const Step&) = delete;
  Step& operator=(const Step&) = delete;

  retort_operation op{};
  std::string url;  // kind = connection_string: the URL, and op is unused
  bool connection = false;

  std::deque<std::string> text;  // every string the structs point into
  std::deque<retort_column> columns;
  std::vector<const retort_column*> column_pointers;
  std::deque<retort_constraint> constraints;
  std::vector<const retort_constraint*> constraint_pointers;
  std::deque<std::vector<retort_str>> name_lists;  // a constraint's columns
  std::vector<retort_str> elements;
  std::vector<uint32_t> element_flags;
  retort_column existing{};
};

struct Case {
  std::string name;  // the .op file's path below the cases folder, without .op
  std::vector<std::unique_ptr<Step>> steps;
};

// Reads <path>; throws std::runtime_error naming the file and line.
Case read_case(const std::filesystem::path& path, std::string name);

}  // namespace retort_conformance

#endif  // RETORT_CONFORMANCE_CASE_FILE_HPP
