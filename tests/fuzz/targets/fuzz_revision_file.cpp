// fuzz_revision_file: writing a new revision file (core/src/script/
// revision_file.cpp): the file name from file_template, the slug, the C++
// string literals, and the source from the scaffold's script.cpp.tmpl.
//
// The input is one byte, a file_template up to the first newline, then a
// revision message (the rest, newlines included). The byte sets the slug's
// length (0: 40, as truncate_slug_length's default) and the time. Checks:
//   - no file name past kMaxFileTemplateWidth bytes per conversion, and
//     every error is one line of bounded length;
//   - the slug holds only [a-z0-9_] and is at most one longer than asked;
//   - cpp_string_literal() gives one line without control bytes or "??";
//   - the revision source written from the template reads back
//     (read_revision_source) with the message, id, parents, labels and
//     dependencies it was written with: no byte of the message leaves its
//     literal.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "script/revision_file.hpp"
#include "script/revision_source.hpp"

namespace {

using retort_fuzz::check;

// The scaffold's template, read once from the source tree.
const std::string& script_template() {
  static const std::string text = [] {
    std::ifstream in(RETORT_FUZZ_SCRIPT_TEMPLATE);
    check(static_cast<bool>(in), "cannot read " RETORT_FUZZ_SCRIPT_TEMPLATE);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

void check_literal(const std::string& literal) {
  check(literal.size() >= 2 && literal.front() == '"' && literal.back() == '"',
        "cpp_string_literal: not in quotes", literal);
  for (char c : literal) {
    const auto u = static_cast<unsigned char>(c);
    check(u >= 0x20 && u != 0x7f, "cpp_string_literal: a control byte", literal);
  }
  check(literal.find("??") == std::string::npos, "cpp_string_literal: a trigraph may form",
        literal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t slug_length = data[0] == 0 ? 40 : data[0];
  const std::time_t when = 1700000000 + static_cast<std::time_t>(data[0]) * 86413;
  std::string_view rest = retort_fuzz::as_text(data + 1, size - 1);
  const size_t newline = rest.find('\n');
  const std::string file_template(rest.substr(0, newline));
  const std::string message(newline == std::string_view::npos ? "" : rest.substr(newline + 1));

  const std::string slug = retort::slugify(message, slug_length);
  check(slug.size() <= slug_length + 1, "slugify: the slug is too long", slug);
  for (char c : slug) {
    check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_',
          "slugify: a byte that is not [a-z0-9_]", slug);
  }

  const std::string rev = "ae1027a6acf";
  auto name = retort::format_file_template(file_template, rev, slug, when);
  if (name) {
    check(name->size() <= file_template.size() * (retort::kMaxFileTemplateWidth + 1),
          "a file name is longer than its template allows", file_template);
  } else {
    retort_fuzz::check_message(name.error().message(), "format_file_template");
    retort_fuzz::check_message(name.error().hint(), "format_file_template");
  }

  // As `retort revision -m MESSAGE --head 1975ea83b712 --branch-label SLUG
  // --depends-on MESSAGE` writes it (the ids are not checked here).
  const std::string message_literal = retort::cpp_string_literal(message);
  check_literal(message_literal);
  const std::map<std::string, std::string> values = {
      {"message_comment", "// a revision"},
      {"rev", rev},
      {"down_revision_comment", "1975ea83b712"},
      {"create_date", "2026-12-04 10:11:12"},
      {"down_revision", retort::cpp_string_literal("1975ea83b712")},
      {"branch_labels", "{" + retort::cpp_string_literal(slug) + "}"},
      {"depends_on", "{" + message_literal + ", " + retort::cpp_string_literal(rev) + "}"},
      {"message", message_literal}};
  const std::string source = retort::substitute(script_template(), values);
  auto read = retort::read_revision_source(source, "versions/new.cpp");
  check(static_cast<bool>(read), "a new revision file cannot be read",
        read ? source : read.error().message());
  check(read->size() == 1, "a new revision file declares another count", source);
  const retort::Revision& r = read->front().revision;
  const std::string expected = message.substr(0, message.find('\0'));
  check(r.message == expected, "a new revision file reads another message", source);
  check(r.id == rev, "a new revision file reads another id", source);
  check(r.down_revisions == std::vector<std::string>{"1975ea83b712"},
        "a new revision file reads other parents", source);
  check(r.branch_labels == std::vector<std::string>{slug}, "a new revision file reads other labels",
        source);
  check(r.depends_on == std::vector<std::string>{expected, rev},
        "a new revision file reads other dependencies", source);
  check(r.create_date == "2026-12-04 10:11:12", "a new revision file reads another date", source);
  return 0;
}
