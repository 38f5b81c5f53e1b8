// Reads back what the built-in dialects write, independently of their code:
// a string or binary literal expression to the bytes it stands for, and a
// quoted (possibly qualified) name to its parts. fuzz_dialects compares
// these with what it asked the dialect to write.
//
// The expressions the dialects write, in each one's spelling of strings:
//   'a''b'                       every dialect; '' is one quote
//   E'a\\b'                      PostgreSQL, when the text holds a backslash
//   'a\\b' with \' and \\        MySQL (backslash escapes)
//   N'a'                         SQL Server, Unicode text
//   CONCAT(x, CHAR(10), y)       SQL Server: a line break or "$(" spelled out
//   CAST(x AS VARCHAR(max))      SQL Server, a long concatenation
//   ('a' || CHR(10) || 'b')      Oracle: a line break or '&' spelled out
//   TO_CLOB(x) || TO_CLOB(y)     Oracle, text over 4000 bytes
//   X'0aff' decode('0aff', 'hex') 0x0aff HEXTORAW('0aff')   binary
#ifndef RETORT_FUZZ_SQL_READER_HPP
#define RETORT_FUZZ_SQL_READER_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace retort_fuzz {

enum class Spelling { kStandard, kPostgresql, kMysql, kMssql, kOracle };

class SqlReader {
 public:
  SqlReader(std::string_view sql, Spelling spelling) : sql_(sql), spelling_(spelling) {}

  bool at_end() const { return pos_ == sql_.size(); }
  // Consumes `word` if it comes next.
  bool take(std::string_view word) {
    if (sql_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // A string or binary expression and what it stands for.
  std::optional<std::string> expression() {
    auto value = term();
    while (value && take(" || ")) {
      auto next = term();
      if (!next) return std::nullopt;
      *value += *next;
    }
    return value;
  }

  // A name, bare or quoted, as the dialect writes one.
  std::optional<std::string> name() {
    const char open = spelling_ == Spelling::kMysql   ? '`'
                      : spelling_ == Spelling::kMssql ? '['
                                                      : '"';
    const char close = open == '[' ? ']' : open;
    if (pos_ < sql_.size() && sql_[pos_] == open) return quoted(open, close, false);
    const size_t start = pos_;
    while (pos_ < sql_.size() && is_bare(sql_[pos_])) ++pos_;
    if (pos_ == start) return std::nullopt;
    return std::string(sql_.substr(start, pos_ - start));
  }

 private:
  static bool is_bare(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  static std::optional<std::string> unhex(std::string_view digits) {
    if (digits.size() % 2 != 0) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < digits.size(); i += 2) {
      const int hi = hex(digits[i]);
      const int lo = hex(digits[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
    }
    return out;
  }

  // Between `open` and `close`, a doubled `close` standing for one; with
  // `backslashes`, \\ and \' standing for \ and ' (the dialects write no
  // other escape: any other would change the text).
  std::optional<std::string> quoted(char open, char close, bool backslashes) {
    if (!take(std::string_view(&open, 1))) return std::nullopt;
    std::string out;
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_++];
      if (backslashes && c == '\\') {
        if (pos_ >= sql_.size()) return std::nullopt;
        const char e = sql_[pos_++];
        if (e != '\\' && e != '\'') return std::nullopt;
        out += e;
        continue;
      }
      if (c != close) {
        out += c;
        continue;
      }
      if (pos_ < sql_.size() && sql_[pos_] == close) {
        out += close;
        ++pos_;
        continue;
      }
      return out;
    }
    return std::nullopt;  // unterminated
  }

  std::optional<std::string> string() {
    const bool mysql = spelling_ == Spelling::kMysql;
    if (spelling_ == Spelling::kPostgresql && take("E'")) {
      --pos_;
      return quoted('\'', '\'', true);
    }
    if (spelling_ == Spelling::kMssql && take("N'")) --pos_;
    return quoted('\'', '\'', mysql);
  }

  // n in CHAR(n), NCHAR(n), CHR(n): an ASCII character.
  std::optional<std::string> character() {
    int value = 0;
    size_t digits = 0;
    while (pos_ < sql_.size() && sql_[pos_] >= '0' && sql_[pos_] <= '9' && digits < 4) {
      value = value * 10 + (sql_[pos_++] - '0');
      ++digits;
    }
    if (digits == 0 || value > 127 || !take(")")) return std::nullopt;
    return std::string(1, static_cast<char>(value));
  }

  std::optional<std::string> term() {
    if (take("(")) {
      auto value = expression();
      if (!value || !take(")")) return std::nullopt;
      return value;
    }
    if (take("CONCAT(")) {
      std::string out;
      do {
        auto value = expression();
        if (!value) return std::nullopt;
        out += *value;
      } while (take(", "));
      if (!take(")")) return std::nullopt;
      return out;
    }
    if (take("CAST(")) {
      auto value = expression();
      if (!value || !take(" AS ")) return std::nullopt;
      const size_t close = sql_.find(')', pos_);
      if (close == std::string_view::npos) return std::nullopt;
      pos_ = close + 1;
      // VARCHAR(max) and NVARCHAR(max) have a ')' of their own.
      if (!take(")")) return std::nullopt;
      return value;
    }
    if (take("TO_CLOB(")) {
      auto value = expression();
      if (!value || !take(")")) return std::nullopt;
      return value;
    }
    if (take("CHAR(") || take("NCHAR(") || take("CHR(")) return character();
    if (take("X'")) {
      --pos_;
      auto digits = quoted('\'', '\'', false);
      return digits ? unhex(*digits) : std::nullopt;
    }
    if (take("HEXTORAW(") || take("decode(")) {
      auto digits = quoted('\'', '\'', false);
      if (!digits || !(take(")") || take(", 'hex')"))) return std::nullopt;
      return unhex(*digits);
    }
    if (take("0x")) {
      const size_t start = pos_;
      while (pos_ < sql_.size() && hex(sql_[pos_]) >= 0) ++pos_;
      return unhex(sql_.substr(start, pos_ - start));
    }
    return string();
  }

  std::string_view sql_;
  Spelling spelling_;
  size_t pos_ = 0;
};

}  // namespace retort_fuzz

#endif  // RETORT_FUZZ_SQL_READER_HPP
