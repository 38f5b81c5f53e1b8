// Reading revision metadata from source text: every form the scaffold's
// template and `retort revision`/`retort merge` write (generated here from
// the real template and cpp_string_literal), the other literal forms C++
// allows, what is not a declaration, and each refusal's message.
#include "script/revision_source.hpp"
#include "script/revision_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort;

namespace {

using Lines = std::vector<std::string>;

// What a revision says about itself, compared whole.
struct Fields {
  std::string id;
  Lines down_revisions;
  Lines branch_labels;
  Lines depends_on;
  std::string message;
  std::string create_date;
  bool operator==(const Fields&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Fields& f) {
  return out << fmt::format("{{id {:?}, down {}, labels {}, depends {}, message {:?}, date {:?}}}",
                            f.id, f.down_revisions, f.branch_labels, f.depends_on, f.message,
                            f.create_date);
}

Fields fields_of(const Revision& r) {
  return {r.id, r.down_revisions, r.branch_labels, r.depends_on, r.message, r.create_date};
}

constexpr const char* kDate = "2026-11-21 05:30:00";
constexpr const char* kPath = "versions/ab_x.cpp";

// command/revision.cpp's ids_literal and comment_lines, as `retort revision`
// fills the template.
std::string ids_literal(const Lines& ids, const char* none) {
  if (ids.empty()) return none;
  if (ids.size() == 1) return cpp_string_literal(ids.front());
  Lines literals;
  for (const std::string& id : ids) literals.push_back(cpp_string_literal(id));
  return fmt::format("{{{}}}", fmt::join(literals, ", "));
}

std::string comment_lines(const std::string& message) {
  std::string out;
  std::stringstream lines(message.empty() ? std::string("(no message)") : message);
  std::string line;
  while (std::getline(lines, line)) {
    if (!out.empty()) out += '\n';
    out += line.empty() ? "//" : "// " + line;
  }
  return out;
}

// The source `retort revision` writes for `f`, from the scaffold's template.
std::string generated(const Fields& f) {
  std::ifstream in(RETORT_TEST_SOURCE_DIR "/../scaffold/templates/generic/script.cpp.tmpl");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return substitute(
      text.str(),
      {{"message_comment", comment_lines(f.message)},
       {"rev", f.id},
       {"down_revision_comment",
        f.down_revisions.empty() ? "<base>" : fmt::format("{}", fmt::join(f.down_revisions, ", "))},
       {"create_date", f.create_date},
       {"down_revision", ids_literal(f.down_revisions, "nullptr")},
       {"branch_labels", ids_literal(f.branch_labels, "{}")},
       {"depends_on", ids_literal(f.depends_on, "{}")},
       {"message", cpp_string_literal(f.message)}});
}

std::vector<DeclaredRevision> read_all(const std::string& text) {
  auto read = read_revision_source(text, kPath);
  INFO(text);
  if (!read) FAIL(read.error().message());
  return *read;
}

Fields read_one(const std::string& text) {
  std::vector<DeclaredRevision> all = read_all(text);
  REQUIRE(all.size() == 1);
  CHECK(all[0].revision.path == kPath);
  CHECK(all[0].revision.module == nullptr);
  return fields_of(all[0].revision);
}

// The refusal of `text`: a revision error; its message.
std::string refusal(const std::string& text) {
  auto read = read_revision_source(text, kPath);
  INFO(text);
  REQUIRE_FALSE(read);
  Error err = read.error();
  CHECK(err.category() == ErrorCategory::kRevision);
  CHECK_FALSE(err.hint().empty());
  return err.message();
}

std::string at(int line) {
  return fmt::format("cannot read revision metadata at '{}:{}': ", kPath, line);
}

// RETORT_REVISION( on line 1 with `fields` after it, as one source.
std::string macro(const std::string& fields) { return "RETORT_REVISION(" + fields + ")\n"; }

}  // namespace

// ------------------------------------------------------- what retort writes

TEST_CASE("a base revision written from the template reads back as a base", "[revision_source]") {
  const Fields base{"ae1027a6acf", {}, {}, {}, "create account table", kDate};
  const std::string text = generated(base);
  CHECK(read_one(text) == base);
  // The macro's name is on the template's line 21.
  CHECK(read_all(text)[0].line == 21);
}

TEST_CASE("a revision with one parent reads back its down revision", "[revision_source]") {
  const Fields child{"1975ea83b712", {"ae1027a6acf"}, {}, {}, "add a column", kDate};
  CHECK(read_one(generated(child)) == child);
}

TEST_CASE("a merge written by retort merge reads back both parents in order", "[revision_source]") {
  const Fields merge{"27c6a30d7c24", {"ae1027a6acf", "1975ea83b712"}, {}, {}, "merge heads", kDate};
  CHECK(generated(merge).find(R"({"ae1027a6acf", "1975ea83b712"})") != std::string::npos);
  CHECK(read_one(generated(merge)) == merge);
}

TEST_CASE("branch labels and depends_on read back as one or several", "[revision_source]") {
  const Fields one{"b1", {}, {"shop"}, {"ae1027a6acf"}, "shop base", kDate};
  CHECK(read_one(generated(one)) == one);
  const Fields several{"b2", {"b1"}, {"shop", "billing"}, {"ae1027a6acf", "c3"}, "", kDate};
  CHECK(read_one(generated(several)) == several);
}

TEST_CASE("a message with quotes, backslashes, control characters and unicode reads back exactly",
          "[revision_source]") {
  const Fields f{"c0ffee000001",
                 {"ae1027a6acf"},
                 {},
                 {},
                 "say \"hi\" to C:\\temp\\ and 'you'?\? ?\?= \t tabs\r\nnext line\n"
                 "Größe 表 😀, even RETORT_REVISION(.revision = \"no\") and /* not a comment */",
                 kDate};
  CHECK(read_one(generated(f)) == f);
}

TEST_CASE("an empty message reads back empty", "[revision_source]") {
  const Fields f{"c0ffee000002", {}, {}, {}, "", kDate};
  CHECK(read_one(generated(f)) == f);
}

// ------------------------------------------------------ other literal forms

TEST_CASE("escape sequences are decoded as the compiler decodes them", "[revision_source]") {
  CHECK(read_one(
            macro(R"(.revision = "a", .message = "\x41\102\u00e9\U0001F600\'\"\\\?\a\b\f\v\x7e")"))
            .message == "AB\u00e9\U0001F600'\"\\?\a\b\f\v~");
  CHECK(read_one(macro(R"(.revision = "a", .message = "\0101\1234\x4g\x0042")")).message ==
        std::string("\b1S4\x04g") + "B");
}

TEST_CASE("a value ends at an embedded nul as the module's const char* does", "[revision_source]") {
  CHECK(read_one(macro(R"(.revision = "a", .message = "before\0after" "more")")).message ==
        "before");
}

TEST_CASE("adjacent string literals join and u8 literals are read", "[revision_source]") {
  const std::string text = macro(
      ".revision = \"ab\" \"cd\",\n"
      ".down_revision = {u8\"pa\" \"rent\", \"x\"\n \"y\"},\n"
      ".message = u8\"caf\\u00e9\" u8\"!\",\n"
      ".create_date = \"2026-\"\n    \"01-01\"");
  CHECK(read_one(text) == Fields{"abcd", {"parent", "xy"}, {}, {}, "caf\u00e9!", "2026-01-01"});
}

TEST_CASE("raw string literals are read without decoding escapes", "[revision_source]") {
  const std::string text = macro(
      ".revision = R\"(r1)\",\n"
      ".down_revision = {R\"x(p)\"q)x\", u8R\"(r\\0)\"},\n"
      ".message = R\"--(line \\n one\n\"line\" two)--\"");
  CHECK(read_one(text) ==
        Fields{"r1", {"p)\"q", "r\\0"}, {}, {}, "line \\n one\n\"line\" two", ""});
}

TEST_CASE("list fields take nullptr, {}, a literal or a braced list with a trailing comma",
          "[revision_source]") {
  const std::string text = macro(
      ".revision = \"m\", .down_revision = {\"a\", \"b\",}, .branch_labels = {},"
      " .depends_on = nullptr");
  CHECK(read_one(text) == Fields{"m", {"a", "b"}, {}, {}, "", ""});
}

TEST_CASE("fields may come in any order and a trailing comma is allowed", "[revision_source]") {
  const std::string text = macro(
      ".message = \"late\", .upgrade = upgrade, .revision = \"r\", .create_date = \"d\","
      " .down_revision = \"p\",");
  CHECK(read_one(text) == Fields{"r", {"p"}, {}, {}, "late", "d"});
}

TEST_CASE("upgrade and downgrade may be any expression and are skipped", "[revision_source]") {
  const std::string text =
      "RETORT_REVISION(\n"
      "    .revision = \"l1\",\n"
      "    .down_revision = nullptr,\n"
      "    .upgrade = [](retort::Operations& op) {\n"
      "      op.execute(\"SELECT ')', \\\"(\\\", 1'000 /* x */ FROM t\");  // ), {\n"
      "      char c = ')'; (void)c; int n[2] = {1'000, 0x1p-3}; (void)n;\n"
      "    },\n"
      "    .downgrade = &cast<void, int>)\n";
  CHECK(read_one(text) == Fields{"l1", {}, {}, {}, "", ""});
}

TEST_CASE("missing fields read as empty", "[revision_source]") {
  CHECK(read_one(macro(".revision = \"only\"")) == Fields{"only", {}, {}, {}, "", ""});
}

TEST_CASE("comments and line breaks may appear anywhere inside the macro", "[revision_source]") {
  const std::string text =
      "RETORT_REVISION /* name */ (  // open\n"
      "    /* a */ . /* b */ revision /* c */ = /* d */ \"x1\" /* e */ , // f\n"
      "    .down_revision =\n"
      "        {  // the parents\n"
      "            \"p1\",  /* first */\n"
      "            // \"not\", an id\n"
      "            \"p2\"\n"
      "        },\n"
      "    .message = \"one\"  // half\n"
      "               \"two\",\n"
      "    .upgrade = up, .downgrade = \\\n"
      "        down\n"
      ")";
  CHECK(read_one(text) == Fields{"x1", {"p1", "p2"}, {}, {}, "onetwo", ""});
}

TEST_CASE("a source with CRLF line endings reads as with LF", "[revision_source]") {
  const Fields f{"cr1", {"p"}, {"l"}, {}, "crlf", kDate};
  std::string text;
  for (char c : generated(f)) {
    if (c == '\n') text += '\r';
    text += c;
  }
  CHECK(read_one(text) == f);
  CHECK(read_one("\xEF\xBB\xBF" + text) == f);
  CHECK(read_one(macro(".revision = \"a\", .message = R\"(x\r\ny)\"")).message == "x\ny");
}

TEST_CASE("a pack source returns its three revisions in order with their lines",
          "[revision_source]") {
  const std::string text =
      "#include <retort/revision.hpp>\n"
      "\n"
      "RETORT_REVISION(.revision = \"b1\", .down_revision = \"a\", .upgrade = up)\n"
      "RETORT_REVISION(.revision = \"b2\",\n"
      "                .down_revision = \"a\")\n"
      "\n"
      "RETORT_REVISION(\n"
      "    .revision = \"m3\", .down_revision = {\"b1\", \"b2\"}, .message = \"merge\")\n";
  std::vector<DeclaredRevision> all = read_all(text);
  REQUIRE(all.size() == 3);
  CHECK(fields_of(all[0].revision) == Fields{"b1", {"a"}, {}, {}, "", ""});
  CHECK(fields_of(all[1].revision) == Fields{"b2", {"a"}, {}, {}, "", ""});
  CHECK(fields_of(all[2].revision) == Fields{"m3", {"b1", "b2"}, {}, {}, "merge", ""});
  CHECK(all[0].line == 3);
  CHECK(all[1].line == 4);
  CHECK(all[2].line == 7);
  for (const DeclaredRevision& d : all) CHECK(d.revision.path == kPath);
}

// ---------------------------------------------------- not a declaration

TEST_CASE("a source without RETORT_REVISION reads as no revisions", "[revision_source]") {
  CHECK(read_all("").empty());
  CHECK(read_all("int main() { return 0; }\n").empty());
}

TEST_CASE("a commented-out RETORT_REVISION is not a declaration", "[revision_source]") {
  const std::string text =
      "// RETORT_REVISION(.revision = \"c1\")\n"
      "/* RETORT_REVISION(.revision = \"c2\")\n"
      "   RETORT_REVISION( */\n"
      "// a spliced comment \\\n"
      "RETORT_REVISION(.revision = \"c3\")\n"
      "RETORT_REVISION(.revision = \"real\")\n";
  std::vector<DeclaredRevision> all = read_all(text);
  REQUIRE(all.size() == 1);
  CHECK(all[0].revision.id == "real");
  CHECK(all[0].line == 6);
}

TEST_CASE("RETORT_REVISION in a string or char literal is not a declaration", "[revision_source]") {
  const std::string text =
      "const char* a = \"RETORT_REVISION(.revision = \\\"s1\\\")\";\n"
      "const char* b = R\"(\n RETORT_REVISION(.revision = \"s2\")\n)\";\n"
      "const char* c = u8\"RETORT_REVISION(\";\n"
      "auto d = 'RETORT_REVISION(';\n"
      "auto e = u8R\"q(RETORT_REVISION()q\";\n";
  CHECK(read_all(text).empty());
}

TEST_CASE("directive lines, continued or not, are not declarations", "[revision_source]") {
  const std::string text =
      "#include <retort/revision.hpp>\n"
      "#define RETORT_REVISION(...) something\n"
      "  #  define TWO RETORT_REVISION(.revision = \"d1\") \\\n"
      "      RETORT_REVISION(.revision = \"d2\")\n"
      "#define THREE /* RETORT_REVISION(\n"
      "  spans */ RETORT_REVISION(.revision = \"d3\")\n"
      "#error don't RETORT_REVISION(\n"
      "/* c */ #pragma RETORT_REVISION(\n"
      "RETORT_REVISION(.revision = \"real\")\n";
  std::vector<DeclaredRevision> all = read_all(text);
  REQUIRE(all.size() == 1);
  CHECK(all[0].revision.id == "real");
  CHECK(all[0].line == 9);
}

TEST_CASE("identifiers that contain the name are not declarations", "[revision_source]") {
  const std::string text =
      "MY_RETORT_REVISION(.revision = \"i1\")\n"
      "RETORT_REVISION_X(.revision = \"i2\")\n"
      "RETORT_REVISIONS(.revision = \"i3\")\n"
      "int RETORT_REVISION = 1;\n";
  CHECK(read_all(text).empty());
}

// ---------------------------------------------------------------- refusals

TEST_CASE("a constant as down_revision is refused naming the file, line and field",
          "[revision_source]") {
  std::string text = generated({"ab", {"p"}, {}, {}, "m", kDate});
  text.replace(text.find("\"p\""), 3, "kParent");
  auto read = read_revision_source(text, kPath);
  REQUIRE_FALSE(read);
  Error err = read.error();
  CHECK(err.category() == ErrorCategory::kRevision);
  CHECK(err.message() == at(23) +
                             ".down_revision must be nullptr, a string literal or {\"id\", ...}; "
                             "found 'kParent'");
  CHECK(err.hint() ==
        "write RETORT_REVISION's fields as literals, as 'retort revision' writes them");
}

TEST_CASE("anything but literals is refused for every metadata field", "[revision_source]") {
  CHECK(refusal(macro(".revision = kId")) ==
        at(1) + ".revision must be a string literal; found 'kId'");
  CHECK(refusal(macro(".revision = \"a\",\n .message = MESSAGE(\"x\")")) ==
        at(2) + ".message must be a string literal; found 'MESSAGE'");
  CHECK(refusal(macro(".revision = \"a\",\n\n .create_date = std::string(\"x\")")) ==
        at(3) + ".create_date must be a string literal; found 'std::string'");
  CHECK(refusal(macro(".revision = \"a\", .branch_labels = 42")) ==
        at(1) + ".branch_labels must be nullptr, a string literal or {\"id\", ...}; found '42'");
  CHECK(refusal(macro(".revision = \"a\", .depends_on = {\"x\", kOther}")) ==
        at(1) + ".depends_on must list string literals inside {...}; found 'kOther'");
  CHECK(refusal(macro(".revision = \"a\", .message = nullptr")) ==
        at(1) + ".message must be a string literal; found 'nullptr'");
  CHECK(refusal(macro(".revision = \"a\", .message = L\"wide\"")) ==
        at(1) + ".message must be a plain or u8 string literal; found 'L\"wide\"'");
  CHECK(refusal(macro(".revision = \"a\" + 1")) ==
        at(1) + "expected ',' or ')' after .revision; found '+'");
  CHECK(refusal(macro(".revision{\"a\"}")) == at(1) + "expected '=' after .revision; found '{'");
  CHECK(refusal(macro("revision = \"a\"")) ==
        at(1) + "expected a field such as .revision; found 'revision'");
}

TEST_CASE("nullptr inside a braced list is refused", "[revision_source]") {
  CHECK(refusal(macro(".revision = \"a\",\n .down_revision = {nullptr}")) ==
        at(2) + ".down_revision cannot hold nullptr inside {...}; found 'nullptr'");
  CHECK(refusal(macro(".revision = \"a\", .branch_labels = {\"x\", nullptr}")) ==
        at(1) + ".branch_labels cannot hold nullptr inside {...}; found 'nullptr'");
}

TEST_CASE("an unknown field is refused", "[revision_source]") {
  auto read = read_revision_source(macro(".revision = \"a\",\n .parent = \"p\""), kPath);
  REQUIRE_FALSE(read);
  CHECK(read.error().message() == at(2) + "unknown field '.parent'");
  CHECK_THAT(read.error().hint(), Catch::Contains(".down_revision"));
}

TEST_CASE("a field given twice is refused", "[revision_source]") {
  CHECK(refusal(macro(".revision = \"a\", .message = \"x\",\n .message = \"y\"")) ==
        at(2) + ".message is given twice");
}

TEST_CASE("a missing or empty revision id is refused", "[revision_source]") {
  CHECK(refusal("\n" + macro(".message = \"x\"")) == at(2) + "RETORT_REVISION has no .revision");
  CHECK(refusal("\nRETORT_REVISION()") == at(2) + "RETORT_REVISION has no .revision");
  CHECK(refusal(macro(".message = \"x\",\n .revision = \"\" \"\"")) ==
        at(2) + ".revision is empty");
}

TEST_CASE("a macro the file ends inside is refused at the macro's line", "[revision_source]") {
  CHECK(refusal("\n\nRETORT_REVISION(.revision = \"a\",\n .upgrade = [] { f(); }") ==
        at(3) + "RETORT_REVISION( has no closing ')'; the file ends in .upgrade");
  CHECK(refusal("RETORT_REVISION(.revision = \"a\", .down_revision = {\"p\",") ==
        at(1) + "RETORT_REVISION( has no closing ')'; the file ends in .down_revision");
  CHECK(refusal("RETORT_REVISION(") ==
        at(1) + "RETORT_REVISION( has no closing ')'; the file ends");
}

TEST_CASE("an unterminated string or comment is refused at its line", "[revision_source]") {
  CHECK(refusal(macro(".revision = \"a\",\n .message = \"no end\n, .create_date = \"d\"")) ==
        at(2) + "unterminated string literal in .message");
  CHECK(refusal(macro(".revision = \"a\",\n .message = R\"(no end")) ==
        at(2) + "unterminated raw string literal in .message");
  CHECK(refusal(macro(".revision = \"a\", .upgrade = [] { char c = 'x; }")) ==
        at(1) + "unterminated character literal in .upgrade");
  CHECK(refusal("RETORT_REVISION(.revision = \"a\")\n\n/* never closed\n") ==
        at(3) + "unterminated /* comment");
  CHECK(refusal("RETORT_REVISION(.revision = \"a\",\n /* never closed") ==
        at(2) + "unterminated /* comment");
}

TEST_CASE("a bad escape sequence is refused", "[revision_source]") {
  CHECK(refusal(macro(".revision = \"a\",\n .message = \"\\q\"")) ==
        at(2) + "unknown escape sequence '\\q' in .message");
  CHECK(refusal(macro(".revision = \"a\", .message = \"\\x100\"")) ==
        at(1) + "hex escape out of range in .message");
  CHECK(refusal(macro(".revision = \"a\", .message = \"\\xg\"")) ==
        at(1) + "\\x needs a hex digit in .message");
  CHECK(refusal(macro(".revision = \"a\", .message = \"\\777\"")) ==
        at(1) + "octal escape out of range in .message");
  CHECK(refusal(macro(".revision = \"a\", .message = \"\\u12\"")) ==
        at(1) + "\\u needs 4 hex digits in .message");
  CHECK(refusal(macro(".revision = \"a\", .message = \"\\uD800\"")) ==
        at(1) + "\\u names no unicode character in .message");
}

TEST_CASE("an unbalanced upgrade expression is refused", "[revision_source]") {
  CHECK(refusal(macro(".revision = \"a\", .upgrade = }")) ==
        at(1) + ".upgrade has an unbalanced bracket; found '}'");
  CHECK(refusal(macro(".revision = \"a\", .upgrade = , .downgrade = d")) ==
        at(1) + ".upgrade must name a function; found ','");
  CHECK(refusal(macro(".revision = \"a\", .upgrade = up\n .message = \"lost\"")) ==
        at(2) + "expected ',' or ')' after .upgrade; found '.'");
}

TEST_CASE("a token that is not a field is quoted on one line and shortened", "[revision_source]") {
  // A carriage return inside a string token: shown escaped, never raw.
  CHECK(refusal(macro(".revision = \"a\", u8\"x\r\ry\"")) ==
        at(1) + "expected a field such as .revision; found 'u8\"x\\x0d\\x0dy\"'");
  const std::string long_name(60, 'n');
  CHECK(refusal(macro(".revision = \"a\", " + long_name)) ==
        at(1) + "expected a field such as .revision; found '" + std::string(40, 'n') + "...'");
}

// ------------------------------------------------------------------- files

TEST_CASE("a revision file is read from disk and a missing one is an io error",
          "[revision_source]") {
  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("retort-source-" + std::to_string(rd()));
  fs::create_directories(dir);
  const fs::path path = dir / "ae_base.cpp";
  const Fields f{"ae", {}, {}, {}, "base", kDate};
  std::ofstream(path) << generated(f);

  auto read = read_revision_file(path.string());
  REQUIRE(read);
  REQUIRE(read->size() == 1);
  CHECK(fields_of((*read)[0].revision) == f);
  CHECK((*read)[0].revision.path == path.string());

  auto missing = read_revision_file((dir / "gone.cpp").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().category() == ErrorCategory::kIo);
  CHECK_THAT(missing.error().message(),
             Catch::Contains("cannot read revision source '" + (dir / "gone.cpp").string() + "'"));
  std::error_code ec;
  fs::remove_all(dir, ec);
}
