// The Oracle dialect's types and literals (see oracle_dialect.hpp for why
// each generic type becomes what it does).
#include "oracle_dialect.hpp"

#include <string>
#include <string_view>

namespace retort_oracle {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::to_view;

// A string literal holds at most 4000 bytes (ORA-01704); a CLOB value is
// written in pieces of this size, each short of the limit even when every
// byte is a doubled quote.
constexpr size_t kClobPieceBytes = 2000;
constexpr size_t kMaxLiteralBytes = 4000;
// HEXTORAW('...') yields a RAW, which holds at most 2000 bytes.
constexpr size_t kMaxBinaryLiteralBytes = 2000;

std::string column_label(const retort_column& column) {
  return "column " + in_quotes(to_view(column.name));
}

// VARCHAR2 and NVARCHAR2 have no default length.
int32_t required_length(const retort_column& column, std::string_view type) {
  if (retort::checked_length(column) == 0) {
    throw DialectError::invalid(column_label(column) + " needs a length: oracle's " +
                                std::string(type) + " has no default length");
  }
  return column.length;
}

// NUMBER(p, s): p from 1 to 38.
std::string number_type(const retort_column& column) {
  if (column.precision > 38) {
    throw DialectError::invalid(column_label(column) + " has precision " +
                                std::to_string(column.precision) +
                                ": oracle numbers hold at most 38 digits");
  }
  std::string numeric = retort::detail::numeric_type(column);  // NUMERIC[(p[, s])]
  return "NUMBER" + numeric.substr(std::string_view("NUMERIC").size());
}

bool is_clob_type(uint32_t type) { return type == RETORT_TYPE_TEXT || type == RETORT_TYPE_JSON; }

// [H]H:MM:SS[.fraction], the time of day a TIME value holds.
bool is_time_of_day(std::string_view text) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  size_t i = digit(1) ? 2 : 1;
  if (!digit(0) || text.size() < i + 6 || text[i] != ':' || text[i + 3] != ':') return false;
  if (!digit(i + 1) || !digit(i + 2) || !digit(i + 4) || !digit(i + 5)) return false;
  i += 6;
  if (i == text.size()) return true;
  if (text[i] != '.' || i + 1 == text.size()) return false;
  for (++i; i < text.size(); ++i) {
    if (!digit(i)) return false;
  }
  return true;
}

}  // namespace

// ---- Types -------------------------------------------------------------------

std::string OracleDialect::type_name(const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_BIGINT:
      return "NUMBER(19)";
    case RETORT_TYPE_NUMERIC:
      return number_type(column);
    case RETORT_TYPE_STRING:
      return "VARCHAR2(" + std::to_string(required_length(column, "VARCHAR2")) + " CHAR)";
    case RETORT_TYPE_UNICODE:
      return "NVARCHAR2(" + std::to_string(required_length(column, "NVARCHAR2")) + ")";
    case RETORT_TYPE_TEXT:
    case RETORT_TYPE_JSON:
      return "CLOB";
    case RETORT_TYPE_BOOLEAN:
      return "SMALLINT";
    case RETORT_TYPE_DATETIME:
      return "TIMESTAMP";
    case RETORT_TYPE_TIME:
      return "INTERVAL DAY(0) TO SECOND(6)";
    case RETORT_TYPE_INTERVAL:
      return "INTERVAL DAY TO SECOND";
    case RETORT_TYPE_BINARY:
      return retort::checked_length(column) == 0 ? "BLOB"
                                                 : "RAW(" + std::to_string(column.length) + ")";
    // The ABI carries no enum values, so the revision must give the longest
    // value's length.
    case RETORT_TYPE_ENUM:
      return "VARCHAR2(" + std::to_string(required_length(column, "VARCHAR2")) + " CHAR)";
  }
  return SqlDialect::type_name(column);
}

// ---- Literals ----------------------------------------------------------------

std::string OracleDialect::binary_literal(std::string_view bytes) const {
  if (bytes.size() > kMaxBinaryLiteralBytes) {
    throw DialectError::unsupported(
        "a binary value of " + std::to_string(bytes.size()) +
        " bytes cannot be written as an oracle literal (at most 2000); load it with a program");
  }
  return "HEXTORAW('" + retort::detail::hex(bytes) + "')";
}

std::string OracleDialect::text_literal(std::string_view text, const retort_column& column) const {
  if (column.type == RETORT_TYPE_TIME) {
    if (!is_time_of_day(text)) {
      throw DialectError::invalid("value " + in_quotes(text) + " for " + column_label(column) +
                                  " is not a time of day such as 10:11:12");
    }
    return "INTERVAL " + quote_literal("0 " + std::string(text)) + " DAY TO SECOND";
  }
  if (text.size() <= kMaxLiteralBytes) return SqlDialect::text_literal(text, column);
  if (!is_clob_type(column.type)) {
    throw DialectError::unsupported("value for " + column_label(column) + " is " +
                                    std::to_string(text.size()) +
                                    " bytes long: oracle string literals hold at most 4000 bytes");
  }
  // TO_CLOB('...') || TO_CLOB('...'), cut between UTF-8 characters.
  std::string out;
  while (!text.empty()) {
    size_t cut = std::min(kClobPieceBytes, text.size());
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
      --cut;
    }
    if (!out.empty()) out += " || ";
    out += "TO_CLOB(" + quote_literal(text.substr(0, cut)) + ")";
    text.remove_prefix(cut);
  }
  return out;
}

}  // namespace retort_oracle
