// fuzz_revision_source: reading a revision source's metadata without
// compiling it (core/src/script/revision_source.cpp), and the graph built
// from what it read (core/src/revision/).
//
// The input is the text of a revision source. Checks:
//   - what is read has a non-empty id and no NUL in any field, on a line
//     of the file;
//   - written back as `retort revision` writes a revision (each field through
//     cpp_string_literal, core/src/script/revision_file.cpp), it reads back
//     the same;
//   - every error and hint is one line of bounded length.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "revision/revision_map.hpp"
#include "script/revision_file.hpp"
#include "script/revision_source.hpp"

namespace {

using retort_fuzz::check;

const std::string kPath = "versions/fuzz.cpp";

// nullptr, "a" or {"a", "b"}, as command/revision.cpp writes a list.
std::string ids_literal(const std::vector<std::string>& ids, const char* none) {
  if (ids.empty()) return none;
  if (ids.size() == 1) return retort::cpp_string_literal(ids.front());
  std::string out;
  for (const std::string& id : ids) {
    out += (out.empty() ? "{" : ", ") + retort::cpp_string_literal(id);
  }
  return out + "}";
}

// The revision as `retort revision` writes it from the scaffold's
// script.cpp.tmpl.
std::string written(const retort::Revision& r) {
  return "#include <retort/revision.hpp>\n"
         "RETORT_REVISION(\n    .revision = " +
         retort::cpp_string_literal(r.id) +
         ",\n    .down_revision = " + ids_literal(r.down_revisions, "nullptr") +
         ",\n    .branch_labels = " + ids_literal(r.branch_labels, "{}") +
         ",\n    .depends_on = " + ids_literal(r.depends_on, "{}") +
         ",\n    .message = " + retort::cpp_string_literal(r.message) +
         ",\n    .create_date = " + retort::cpp_string_literal(r.create_date) +
         ",\n    .upgrade = upgrade,\n    .downgrade = downgrade)\n";
}

void check_fields(const retort::Revision& r) {
  check(!r.id.empty(), "a revision without id was read");
  for (const std::string* s : {&r.id, &r.message, &r.create_date}) {
    check(s->find('\0') == std::string::npos, "a field holds a NUL", *s);
  }
  for (const auto* list : {&r.down_revisions, &r.branch_labels, &r.depends_on}) {
    for (const std::string& s : *list) {
      check(s.find('\0') == std::string::npos, "an id holds a NUL", s);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = retort_fuzz::as_text(data, size);
  auto read = retort::read_revision_source(text, kPath);
  if (!read) {
    retort_fuzz::check_message(read.error().message(), "read_revision_source");
    retort_fuzz::check_message(read.error().hint(), "read_revision_source");
    return 0;
  }
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  std::vector<retort::Revision> revisions;
  for (const retort::DeclaredRevision& d : *read) {
    check(d.line >= 1 && d.line <= lines, "a revision on no line of the file");
    check(d.revision.path == kPath, "a revision with another path");
    check_fields(d.revision);

    const std::string again = written(d.revision);
    auto reread = retort::read_revision_source(again, kPath);
    check(static_cast<bool>(reread), "a revision written back cannot be read",
          reread ? again : reread.error().message());
    check(reread->size() == 1, "a revision written back reads as another count", again);
    const retort::Revision& r = reread->front().revision;
    check(r.id == d.revision.id && r.message == d.revision.message &&
              r.create_date == d.revision.create_date &&
              r.down_revisions == d.revision.down_revisions &&
              r.branch_labels == d.revision.branch_labels && r.depends_on == d.revision.depends_on,
          "a revision written back reads differently", again);
    revisions.push_back(d.revision);
  }
  auto map = retort::RevisionMap::build(std::move(revisions));
  if (map) (void)map->history();
  return 0;
}
