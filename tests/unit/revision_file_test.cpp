// The pieces of a new revision source (script/revision_file.cpp): the file
// name from file_template, and the message as a literal; and what `retort
// revision` writes from them, read back by read_revision_file.
#include "script/revision_file.hpp"
#include "script/revision_source.hpp"

#include <retort/command.hpp>
#include <retort/config.hpp>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;

namespace {

constexpr std::time_t kWhen = 1764825000;  // 2025-12-04 05:10:00 UTC

std::string file_name(const std::string& file_template) {
  auto name = format_file_template(file_template, "ae1027a6acf", "add_account", kWhen);
  INFO(file_template << ": " << name.error().message());
  REQUIRE(name);
  return *name;
}

Error file_template_error(const std::string& file_template) {
  auto name = format_file_template(file_template, "ae1027a6acf", "add_account", kWhen);
  REQUIRE_FALSE(name);
  CHECK(name.error().category() == ErrorCategory::kConfig);
  return name.take_error();
}

// Messages no byte of which may leave the // comment or the literal: CR, LF,
// CRLF, a backslash before a newline or at the end, the ??/ trigraph (a
// backslash before C++17), a comment's end, quotes, every control
// character but NUL, DEL, bytes that are not UTF-8, and UTF-8.
std::vector<std::string> hostile_messages() {
  std::vector<std::string> out = {
      "harmless title\r#error INJECTED: this line is code",
      "one\ntwo\r\nthree\rfour",
      "ends in a backslash \\\n#error spliced",
      "ends in a backslash \\",
      "backslash, spaces, newline \\  \t\n#error spliced",
      "trigraph ?\?/\n#error spliced",
      "trigraph at the end ?\?/",
      "closes a comment */ and opens one /* and \"quotes\" and 'ticks'",
      "\")); int injected = 1; //",
      "Größe 表 😀 \xff\xfe not UTF-8 \xc3 cut \xed\xa0\x80 surrogate",
      "\r\n",
      "\n\n\n",
  };
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls += static_cast<char>(c);
  out.push_back("every control character: " + controls + "\x7f" + " end");
  return out;
}

// The lines GCC and clang see: a line ends at \n, \r\n or a lone \r.
std::vector<std::string> compiler_lines(const std::string& text) {
  std::vector<std::string> lines(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      lines.emplace_back();
    } else {
      lines.back() += text[i];
    }
  }
  return lines;
}

// A directory removed at the end of the test.
struct TempDir {
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / fmt::format("retort-revision-file-{:08x}", rd());
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

}  // namespace

// ------------------------------------------------------------ file_template

TEST_CASE("file_template formats keys with Python's widths and precisions", "[revision_file]") {
  CHECK(file_name("%(rev)s_%(slug)s") == "ae1027a6acf_add_account");
  CHECK(file_name("%(year)d_%(month).2d_%(day).2d-%(rev)s") == "2025_12_04-ae1027a6acf");
  CHECK(file_name("%(rev)14s|%(rev)014s|%%") == "   ae1027a6acf|000ae1027a6acf|%");
  CHECK(file_name("%(slug)255s").size() == 255);
  CHECK(file_name("%(hour).255d").size() == 255);
}

TEST_CASE("file_template refuses a width or precision no file name can hold", "[revision_file]") {
  // The fuzzer's input: padding to 8.9 GB, then std::bad_alloc.
  const Error width = file_template_error("%(rev)s_%(slug)8888888888s");
  CHECK(width.message() ==
        "bad file_template '%(rev)s_%(slug)8888888888s': the width 8888888888 of %(slug) is more "
        "than 255");
  CHECK(width.hint() == "a file name holds at most 255 bytes; write a smaller width");
  CHECK(file_template_error("%(year).99999999999999999999999d").message() ==
        "bad file_template '%(year).99999999999999999999999d': the precision "
        "99999999999999999999999 of %(year) is more than 255");
  CHECK(file_template_error("%(slug)256s").message() ==
        "bad file_template '%(slug)256s': the width 256 of %(slug) is more than 255");
  CHECK(file_template_error("%(rev)0256s").message() ==
        "bad file_template '%(rev)0256s': the width 256 of %(rev) is more than 255");
  // A long template is quoted shortened.
  const Error unknown = file_template_error("%(bogus)s" + std::string(10 << 20, 'x'));
  CHECK(unknown.message() ==
        "bad file_template '%(bogus)s" + std::string(191, 'x') + "...': unknown key 'bogus'");
}

// ------------------------------------------------------------ the literal

TEST_CASE("a message literal reads back exactly, whatever bytes the message holds",
          "[revision_file]") {
  for (const std::string& message : hostile_messages()) {
    const std::string literal = cpp_string_literal(message);
    INFO(literal);
    // One line, only printable ASCII and UTF-8 between the quotes.
    CHECK(literal.find_first_of("\r\n") == std::string::npos);
    CHECK(literal.find("??") == std::string::npos);
    for (char c : literal) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
    auto read = read_revision_source(
        "RETORT_REVISION(.revision = \"a\", .message = " + literal + ")\n", "x.cpp");
    REQUIRE(read);
    REQUIRE(read->size() == 1);
    CHECK(read->front().revision.message == message);
  }
}

// ------------------------------------------------------- retort revision

TEST_CASE("retort revision writes a hostile message that stays in its comment and reads back",
          "[revision_file]") {
  TempDir dir;
  const fs::path scripts = dir.path / "migrations";
  fs::create_directories(scripts / "versions");
  fs::copy_file(fs::path(RETORT_TEST_SOURCE_DIR) / "../scaffold/templates/generic/script.cpp.tmpl",
                scripts / "script.cpp.tmpl");
  std::ofstream(dir.path / "retort.ini") << "[retort]\nscript_location = %(here)s/migrations\n";
  Config cfg((dir.path / "retort.ini").string(), "retort");
  std::ostringstream progress;
  cfg.set_output(progress);

  int n = 0;
  for (const std::string& message : hostile_messages()) {
    command::RevisionOptions options;
    options.message = message;
    options.rev_id = fmt::format("c0ffee{:06}", ++n);
    options.head = "base";
    auto path = command::revision(cfg, options);
    INFO(message);
    REQUIRE(path);
    std::ifstream in(*path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();

    // Up to the template's "// Revision ID:" line, every line the compiler
    // sees is a // comment that does not continue onto the next line.
    const std::vector<std::string> lines = compiler_lines(text.str());
    size_t k = 0;
    for (; k < lines.size() && !lines[k].starts_with("// Revision ID:"); ++k) {
      INFO("line " << k + 1 << ": " << lines[k]);
      CHECK(lines[k].starts_with("//"));
      std::string line = lines[k];
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
      CHECK_FALSE(line.ends_with("\\"));
      CHECK_FALSE(line.ends_with("?\?/"));
    }
    CHECK(k < lines.size());

    auto read = read_revision_file(*path);
    REQUIRE(read);
    REQUIRE(read->size() == 1);
    CHECK(read->front().revision.id == options.rev_id);
    CHECK(read->front().revision.message == message);
  }
}
