// A lexer that knows just enough C++ to find RETORT_REVISION(...) (comments,
// literals, directives, line splices), and a reader of the macro's literal
// fields. Tokens are spans of the text; only field values are copied out.
#include "script/revision_source.hpp"

#include <retort/shorten.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <system_error>

namespace retort {
namespace {

constexpr std::string_view kMacro = "RETORT_REVISION";
constexpr const char* kLiteralHint =
    "write RETORT_REVISION's fields as literals, as 'retort revision' writes them";

// RevisionDef's fields, in its order, with their dots as messages show them.
constexpr std::string_view kFields[] = {".revision",   ".down_revision", ".branch_labels",
                                        ".depends_on", ".message",       ".create_date",
                                        ".upgrade",    ".downgrade"};
constexpr const char* kFieldList =
    "RevisionDef's fields are .revision, .down_revision, .branch_labels, .depends_on, .message, "
    ".create_date, .upgrade and .downgrade";

enum class TokenKind { kEnd, kIdentifier, kNumber, kString, kChar, kPunct };
struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t begin = 0;
  size_t end = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& path) : text_(text), path_(path) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_pos_ = 3;  // a UTF-8 byte order mark
  }

  Expected<std::vector<DeclaredRevision>> read() {
    std::vector<DeclaredRevision> out;
    Token t;
    if (auto err = next(t)) return err;
    while (t.kind != TokenKind::kEnd) {
      if (t.kind == TokenKind::kIdentifier && spelling(t) == kMacro) {
        Token name = t;
        if (auto err = next(t)) return err;
        if (!is_punct(t, '(')) continue;  // the name alone is no invocation
        if (auto err = read_macro(name, out)) return err;
      }
      if (auto err = next(t)) return err;
    }
    return out;
  }

 private:
  // --- Lexing ---

  // The next token, past blanks, comments, line splices and directives.
  Error next(Token& t) {
    for (;;) {
      if (auto err = skip_blank(false)) return err;
      if (pos_ < text_.size() && text_[pos_] == '#' && line_start_) {
        ++pos_;
        if (auto err = skip_directive()) return err;
        continue;
      }
      line_start_ = false;
      return lex(t, strict_);
    }
  }

  // Past the end of a line splice (backslash, newline) at `p`; `p` if none.
  size_t splice_end(size_t p) const {
    size_t q = p + 1;
    if (q < text_.size() && text_[q] == '\r') ++q;
    return q < text_.size() && text_[q] == '\n' ? q + 1 : p;
  }

  // In a directive, stops at the newline that ends it.
  Error skip_blank(bool in_directive) {
    const size_t n = text_.size();
    while (pos_ < n) {
      const char c = text_[pos_];
      if (c == '\n') {
        if (in_directive) return Error::success();
        line_start_ = true;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '\\') {
        size_t after = splice_end(pos_);
        if (after == pos_) return Error::success();
        pos_ = after;
      } else if (c == '/' && pos_ + 1 < n && text_[pos_ + 1] == '/') {
        skip_line_comment();
      } else if (c == '/' && pos_ + 1 < n && text_[pos_ + 1] == '*') {
        size_t close = text_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) {
          return fail(pos_, "unterminated /* comment" + in_field(), "close the comment with */");
        }
        pos_ = close + 2;
      } else {
        return Error::success();
      }
    }
    return Error::success();
  }

  // To the newline that ends a // comment; a splice continues it.
  void skip_line_comment() {
    for (;;) {
      size_t newline = text_.find('\n', pos_);
      if (newline == std::string_view::npos) {
        pos_ = text_.size();
        return;
      }
      size_t last = newline;
      if (last > pos_ && text_[last - 1] == '\r') --last;
      if (last > pos_ && text_[last - 1] == '\\') {
        pos_ = newline + 1;
        continue;
      }
      pos_ = newline;
      return;
    }
  }

  // From after '#' to the end of its logical line; its tokens are dropped.
  Error skip_directive() {
    for (;;) {
      if (auto err = skip_blank(true)) return err;
      if (pos_ >= text_.size() || text_[pos_] == '\n') return Error::success();
      Token ignored;
      if (auto err = lex(ignored, false)) return err;
    }
  }

  // One token at pos_, which is not blank. Not strict, an unterminated
  // quote ends at its line, as compilers read one in an #if 0 group.
  Error lex(Token& t, bool strict) {
    const size_t n = text_.size();
    t.begin = pos_;
    if (pos_ >= n) {
      t.kind = TokenKind::kEnd;
      t.end = pos_;
      return Error::success();
    }
    const char c = text_[pos_];
    if (is_ident_start(c)) {
      while (pos_ < n && is_ident_char(text_[pos_])) ++pos_;
      std::string_view word = text_.substr(t.begin, pos_ - t.begin);
      const char quote = pos_ < n ? text_[pos_] : '\0';
      const bool prefix = word == "u8" || word == "u" || word == "U" || word == "L";
      if (quote == '"' &&
          (word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR")) {
        return lex_raw(t);
      }
      if ((quote == '"' || quote == '\'') && prefix) return lex_quoted(t, quote, strict);
      t.kind = TokenKind::kIdentifier;
      t.end = pos_;
      return Error::success();
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < n && is_digit(text_[pos_ + 1]))) {
      // A pp-number: 1'000, 0x1p-3, 1.5e+10f.
      ++pos_;
      while (pos_ < n) {
        const char d = text_[pos_];
        const char before = text_[pos_ - 1];
        if ((d == '+' || d == '-') &&
            (before == 'e' || before == 'E' || before == 'p' || before == 'P')) {
          ++pos_;
        } else if (d == '\'' && pos_ + 1 < n && is_ident_char(text_[pos_ + 1])) {
          pos_ += 2;
        } else if (is_ident_char(d) || d == '.') {
          ++pos_;
        } else {
          break;
        }
      }
      t.kind = TokenKind::kNumber;
      t.end = pos_;
      return Error::success();
    }
    if (c == '"' || c == '\'') return lex_quoted(t, c, strict);
    ++pos_;
    t.kind = TokenKind::kPunct;
    t.end = pos_;
    return Error::success();
  }

  // A string or char literal; pos_ is at its opening quote.
  Error lex_quoted(Token& t, char quote, bool strict) {
    const size_t n = text_.size();
    t.kind = quote == '"' ? TokenKind::kString : TokenKind::kChar;
    size_t p = pos_ + 1;
    while (p < n && text_[p] != '\n') {
      const char c = text_[p];
      if (c == quote) {
        pos_ = t.end = p + 1;
        return Error::success();
      }
      if (c == '\\') {
        size_t after = splice_end(p);
        p = after != p ? after : p + 2;
      } else {
        ++p;
      }
    }
    if (strict) {
      return fail(t.begin,
                  fmt::format("unterminated {} literal{}", quote == '"' ? "string" : "character",
                              in_field()),
                  fmt::format("close the literal with {} on the same line", quote));
    }
    pos_ = t.end = std::min(p, n);
    return Error::success();
  }

  // R"delim( ... )delim"; pos_ is at the quote.
  Error lex_raw(Token& t) {
    const size_t n = text_.size();
    const size_t open = pos_ + 1;
    size_t paren = open;
    while (paren < n && paren - open <= 16) {
      const char c = text_[paren];
      if (c <= ' ' || c >= 127 || c == '(' || c == ')' || c == '\\') break;
      ++paren;
    }
    if (paren >= n || text_[paren] != '(' || paren - open > 16) {
      return fail(t.begin, "invalid raw string delimiter" + in_field(),
                  "a raw string starts R\"delim( with at most 16 characters of delimiter");
    }
    const std::string_view delim = text_.substr(open, paren - open);
    for (size_t p = paren + 1;;) {
      size_t close = text_.find(')', p);
      if (close == std::string_view::npos) {
        return fail(t.begin, "unterminated raw string literal" + in_field(),
                    fmt::format("close the literal with ){}\"", delim));
      }
      const size_t quote = close + 1 + delim.size();
      if (quote < n && text_[quote] == '"' && text_.compare(close + 1, delim.size(), delim) == 0) {
        t.kind = TokenKind::kString;
        pos_ = t.end = quote + 1;
        return Error::success();
      }
      p = close + 1;
    }
  }

  // --- Reading the macro ---

  Error read_macro(const Token& name, std::vector<DeclaredRevision>& out) {
    DeclaredRevision d;
    d.line = line_at(name.begin);
    d.revision.path = path_;
    macro_ = name.begin;
    strict_ = true;
    unsigned seen = 0;
    size_t revision_at = name.begin;
    Token t;
    if (auto err = next(t)) return err;
    while (!is_punct(t, ')')) {
      if (!is_punct(t, '.')) return expected(t, "expected a field such as .revision");
      Token word;
      if (auto err = next(word)) return err;
      if (word.kind != TokenKind::kIdentifier) {
        return expected(word, "expected a field name after '.'");
      }
      const std::string_view* field = find_field(word);
      if (field == std::end(kFields)) {
        return fail(word.begin, fmt::format("unknown field '.{}'", spelling(word)), kFieldList);
      }
      field_ = *field;
      const unsigned bit = 1u << (field - std::begin(kFields));
      if (seen & bit) {
        return fail(word.begin, fmt::format("{} is given twice", field_), "give each field once");
      }
      seen |= bit;
      if (auto err = next(t)) return err;
      if (!is_punct(t, '=')) return expected(t, fmt::format("expected '=' after {}", field_));
      if (auto err = next(t)) return err;

      Error value;
      Revision& r = d.revision;
      switch (field - std::begin(kFields)) {
        case 0:
          revision_at = t.begin;
          value = read_text(t, r.id);
          break;
        case 1:
          value = read_ids(t, r.down_revisions);
          break;
        case 2:
          value = read_ids(t, r.branch_labels);
          break;
        case 3:
          value = read_ids(t, r.depends_on);
          break;
        case 4:
          value = read_text(t, r.message);
          break;
        case 5:
          value = read_text(t, r.create_date);
          break;
        default:
          value = skip_expression(t);
          break;
      }
      if (value) return value;
      field_ = {};
      if (is_punct(t, ',')) {
        if (auto err = next(t)) return err;
      } else if (!is_punct(t, ')')) {
        return expected(t, fmt::format("expected ',' or ')' after {}", *field));
      }
    }
    field_ = {};
    strict_ = false;
    const char* id_hint = "give the revision its id first: .revision = \"1975ea83b712\"";
    if (!(seen & 1u)) return fail(name.begin, "RETORT_REVISION has no .revision", id_hint);
    if (d.revision.id.empty()) return fail(revision_at, ".revision is empty", id_hint);
    out.push_back(std::move(d));
    return Error::success();
  }

  // One string literal, or adjacent ones joined; `t` ends past them.
  Error read_text(Token& t, std::string& out) {
    if (t.kind != TokenKind::kString) {
      return expected(t, fmt::format("{} must be a string literal", field_));
    }
    out.clear();
    while (t.kind == TokenKind::kString) {
      if (auto err = decode(t, out)) return err;
      if (auto err = next(t)) return err;
    }
    // The compiled module sees a const char*, which ends at the first \0.
    if (size_t nul = out.find('\0'); nul != std::string::npos) out.resize(nul);
    return Error::success();
  }

  // nullptr, {}, "a" or {"a", "b", ...}.
  Error read_ids(Token& t, std::vector<std::string>& out) {
    if (is_word(t, "nullptr")) return next(t);
    if (t.kind == TokenKind::kString) return read_id(t, out);
    if (!is_punct(t, '{')) {
      return expected(
          t, fmt::format("{} must be nullptr, a string literal or {{\"id\", ...}}", field_));
    }
    if (auto err = next(t)) return err;
    while (!is_punct(t, '}')) {
      if (is_word(t, "nullptr")) {
        return fail(t.begin,
                    fmt::format("{} cannot hold nullptr inside {{...}}; found 'nullptr'", field_),
                    "write nullptr or {} for none, {\"id\", ...} for some");
      }
      if (t.kind != TokenKind::kString) {
        return expected(t, fmt::format("{} must list string literals inside {{...}}", field_));
      }
      if (auto err = read_id(t, out)) return err;
      if (is_punct(t, ',')) {
        if (auto err = next(t)) return err;
      } else if (!is_punct(t, '}')) {
        return expected(t, fmt::format("expected ',' or '}}' in {}", field_));
      }
    }
    return next(t);
  }

  Error read_id(Token& t, std::vector<std::string>& out) {
    out.emplace_back();
    return read_text(t, out.back());
  }

  // Any expression, up to the ',' before the next field or the macro's ')'.
  Error skip_expression(Token& t) {
    int depth = 0;
    for (bool empty = true;; empty = false) {
      if (t.kind == TokenKind::kPunct) {
        const char c = text_[t.begin];
        if (depth == 0 && (c == ')' || c == ',')) {
          if (empty) return expected(t, fmt::format("{} must name a function", field_));
          if (c == ')' || field_follows()) return Error::success();
        } else if (c == '.' && depth == 0 && designator_follows()) {
          // up .downgrade = down: a comma is missing, or the field would be lost.
          return expected(t, fmt::format("expected ',' or ')' after {}", field_));
        } else if (c == '(' || c == '[' || c == '{') {
          ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
          if (depth == 0) return expected(t, fmt::format("{} has an unbalanced bracket", field_));
          --depth;
        }
      }
      if (t.kind == TokenKind::kEnd) return expected(t, "");
      if (auto err = next(t)) return err;
    }
  }

  // The next one or two tokens, without moving; false if lexing them fails.
  bool peek(Token& first, Token* second = nullptr) {
    const size_t pos = pos_;
    const bool line_start = line_start_;
    const bool lexed = !next(first) && (second == nullptr || !next(*second));
    pos_ = pos;
    line_start_ = line_start;
    return lexed;
  }

  // After a ',' at depth 0 in an expression: does a field or ')' follow?
  // If not, the comma belongs to the expression (f<a, b>).
  bool field_follows() {
    Token next_token;
    return !peek(next_token) || is_punct(next_token, '.') || is_punct(next_token, ')');
  }

  // After a '.' at depth 0 in an expression: "field =" follows.
  bool designator_follows() {
    Token name, equals;
    return peek(name, &equals) && name.kind == TokenKind::kIdentifier &&
           find_field(name) != std::end(kFields) && is_punct(equals, '=');
  }

  // Appends the value of the string literal `t`.
  Error decode(const Token& t, std::string& out) {
    const size_t quote = text_.find('"', t.begin);
    const std::string_view prefix = text_.substr(t.begin, quote - t.begin);
    if (prefix == "R" || prefix == "u8R") {
      const size_t paren = text_.find('(', quote);
      const size_t delim = paren - quote - 1;
      std::string_view body = text_.substr(paren + 1, t.end - delim - 2 - (paren + 1));
      for (size_t cr; (cr = body.find("\r\n")) != std::string_view::npos;
           body.remove_prefix(cr + 1)) {
        out.append(body.substr(0, cr));
      }
      out.append(body);
      return Error::success();
    }
    if (!prefix.empty() && prefix != "u8") {
      return expected(t, fmt::format("{} must be a plain or u8 string literal", field_));
    }
    std::string_view body = text_.substr(quote + 1, t.end - quote - 2);
    for (;;) {
      const size_t slash = body.find('\\');
      out.append(body.substr(0, slash));
      if (slash == std::string_view::npos) return Error::success();
      body.remove_prefix(slash + 1);
      if (auto err = decode_escape(t, body, out)) return err;
    }
  }

  // The escape after a backslash at the front of `body`, which it consumes.
  Error decode_escape(const Token& t, std::string_view& body, std::string& out) {
    const char e = body.front();
    body.remove_prefix(1);
    constexpr std::string_view kSimple = "\\\"'?abfnrtv";
    constexpr std::string_view kSimpleValue = "\\\"'?\a\b\f\n\r\t\v";
    if (size_t i = kSimple.find(e); i != std::string_view::npos) {
      out += kSimpleValue[i];
      return Error::success();
    }
    if (e == '\n') return Error::success();  // a line splice
    if (e == '\r' && !body.empty() && body.front() == '\n') {
      body.remove_prefix(1);
      return Error::success();
    }
    uint32_t value = 0;
    if (e >= '0' && e <= '7') {
      value = e - '0';
      for (int i = 0; i < 2 && !body.empty() && body.front() >= '0' && body.front() <= '7'; ++i) {
        value = value * 8 + (body.front() - '0');
        body.remove_prefix(1);
      }
      if (value > 0xFF) return bad_escape(t, "octal escape out of range");
      out += static_cast<char>(value);
      return Error::success();
    }
    if (e == 'x') {
      size_t digits = 0;
      for (; !body.empty() && hex_value(body.front()) >= 0; ++digits, body.remove_prefix(1)) {
        if (value > 0xFF) break;
        value = value * 16 + hex_value(body.front());
      }
      if (digits == 0) return bad_escape(t, "\\x needs a hex digit");
      if (value > 0xFF) return bad_escape(t, "hex escape out of range");
      out += static_cast<char>(value);
      return Error::success();
    }
    if (e == 'u' || e == 'U') {
      const size_t digits = e == 'u' ? 4 : 8;
      for (size_t i = 0; i < digits; ++i) {
        if (body.empty() || hex_value(body.front()) < 0) {
          return bad_escape(t, fmt::format("\\{} needs {} hex digits", e, digits));
        }
        value = value * 16 + hex_value(body.front());
        body.remove_prefix(1);
      }
      if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return bad_escape(t, fmt::format("\\{} names no unicode character", e));
      }
      append_utf8(out, value);
      return Error::success();
    }
    return bad_escape(t, fmt::format("unknown escape sequence '\\{}'", shorten({&e, 1})));
  }

  Error bad_escape(const Token& t, const std::string& what) {
    return fail(t.begin, what + in_field(), "write a backslash as \\\\");
  }

  // --- Messages ---

  // The field `t` names (without its dot), or std::end(kFields).
  const std::string_view* find_field(const Token& t) const {
    return std::find_if(std::begin(kFields), std::end(kFields),
                        [&](std::string_view f) { return f.substr(1) == spelling(t); });
  }
  std::string_view spelling(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }
  bool is_punct(const Token& t, char c) const {
    return t.kind == TokenKind::kPunct && text_[t.begin] == c;
  }
  bool is_word(const Token& t, std::string_view w) const {
    return t.kind == TokenKind::kIdentifier && spelling(t) == w;
  }
  std::string in_field() const { return field_.empty() ? "" : fmt::format(" in {}", field_); }

  // 1-based; positions asked for mostly move forward, so this stays linear.
  int line_at(size_t pos) {
    if (pos < line_pos_) line_pos_ = 0, line_ = 1;
    line_ += static_cast<int>(std::count(text_.begin() + line_pos_, text_.begin() + pos, '\n'));
    line_pos_ = pos;
    return line_;
  }

  // The token as a message quotes it: a qualified name whole, at most 40
  // characters, one line.
  std::string describe(const Token& t) const {
    if (t.kind == TokenKind::kEnd) return "end of file";
    size_t end = t.end;
    while (t.kind == TokenKind::kIdentifier && text_.compare(end, 2, "::") == 0 &&
           end + 2 < text_.size() && is_ident_start(text_[end + 2])) {
      for (end += 2; end < text_.size() && is_ident_char(text_[end]);) ++end;
    }
    std::string_view s = text_.substr(t.begin, end - t.begin);
    s = s.substr(0, s.find('\n'));
    return shorten(s, 40);  // a token may hold a CR, or any byte
  }

  Error fail(size_t pos, const std::string& what, const std::string& hint) {
    return Error(
        ErrorCategory::kRevision,
        fmt::format("cannot read revision metadata at '{}:{}': {}", path_, line_at(pos), what),
        hint);
  }

  // "<what>; found '<token>'", or, at the end of the file, the open macro.
  Error expected(const Token& found, const std::string& what) {
    if (found.kind == TokenKind::kEnd) {
      return fail(macro_, "RETORT_REVISION( has no closing ')'; the file ends" + in_field(),
                  "close the macro with ')'");
    }
    return fail(found.begin, fmt::format("{}; found '{}'", what, describe(found)), kLiteralHint);
  }

  std::string_view text_;
  const std::string& path_;
  size_t pos_ = 0;
  bool line_start_ = true;  // only blanks since the last newline: '#' opens a directive
  bool strict_ = false;     // inside the macro: an unterminated literal is an error
  size_t macro_ = 0;        // where the macro being read starts
  std::string_view field_;  // the field being read, for messages
  size_t line_pos_ = 0;     // line_at's last answer
  int line_ = 1;
};

}  // namespace

Expected<std::vector<DeclaredRevision>> read_revision_source(std::string_view text,
                                                             const std::string& path) {
  return Reader(text, path).read();
}

Expected<std::vector<DeclaredRevision>> read_revision_file(const std::string& path) {
  auto io_error = [&](int code) {
    return Error(ErrorCategory::kIo,
                 fmt::format("cannot read revision source '{}': {}", path,
                             std::error_code(code, std::generic_category()).message()));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return io_error(errno);
  std::string text;
  char buffer[1 << 14];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, got);
  if (std::ferror(file.get())) return io_error(errno);
  return read_revision_source(text, path);
}

}  // namespace retort
