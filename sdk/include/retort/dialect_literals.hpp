// SqlDialect's literals for bulk_insert: each value written as a literal of
// its column's type, so no value can end its quoting early. Part of
// dialect.hpp; include that.
#ifndef RETORT_DIALECT_LITERALS_HPP
#define RETORT_DIALECT_LITERALS_HPP

#include <retort/dialect.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {
namespace detail {

// [+-]digits[.digits][e[+-]digits], or [+-].digits: a number SQL reads as is.
inline bool is_sql_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t whole = digits();
  size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole + fraction == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

inline bool is_numeric_type(uint32_t type) {
  return type == RETORT_TYPE_INTEGER || type == RETORT_TYPE_SMALLINT ||
         type == RETORT_TYPE_BIGINT || type == RETORT_TYPE_NUMERIC || type == RETORT_TYPE_FLOAT;
}

// Bytes as lower-case hexadecimal digits, two per byte: the body of every
// dialect's binary literal.
inline std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

// `text` as the pieces of a string expression, in order: each run of
// characters between two that `special(text, i)` picks, quoted by `quote`,
// and each picked character written by `spell` outside the quotes (as
// CHR(10), say). The dialect joins them with its concatenation operator.
// For scripts that a tool reads line by line before the database sees them
// (SQL*Plus, sqlcmd): written so, a value cannot start a line of the script,
// nor hold what the tool would substitute.
template <typename Special, typename Quote, typename Spell>
std::vector<std::string> spelled_pieces(std::string_view text, Special special, Quote quote,
                                        Spell spell) {
  std::vector<std::string> pieces;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!special(text, i)) continue;
    if (i > start) pieces.push_back(quote(text.substr(start, i - start)));
    pieces.push_back(spell(text[i]));
    start = i + 1;
  }
  if (start < text.size() || pieces.empty()) pieces.push_back(quote(text.substr(start)));
  return pieces;
}

}  // namespace detail

inline std::string SqlDialect::binary_literal(std::string_view bytes) const {
  return "X'" + detail::hex(bytes) + "'";
}

inline std::string SqlDialect::text_literal(std::string_view text,
                                            const retort_column& column) const {
  if (detail::is_numeric_type(column.type)) {
    if (!detail::is_sql_number(text)) {
      throw DialectError::invalid("value " + in_quotes(text) + " for column " +
                                  in_quotes(column_name(column)) + " is not a number");
    }
    return std::string(text);
  }
  switch (column.type) {
    case RETORT_TYPE_DATE:
      return "DATE " + quote_literal(text);
    case RETORT_TYPE_TIME:
      return "TIME " + quote_literal(text);
    case RETORT_TYPE_DATETIME:
      return "TIMESTAMP " + quote_literal(text);
  }
  return quote_literal(text);
}

inline std::string SqlDialect::literal(const retort_value& value,
                                       const retort_column& column) const {
  switch (value.kind) {
    case RETORT_VALUE_NULL:
      return "NULL";
    case RETORT_VALUE_INTEGER:
      if (column.type == RETORT_TYPE_BOOLEAN) return boolean_literal(value.integer != 0);
      return std::to_string(value.integer);
    case RETORT_VALUE_REAL: {
      if (!std::isfinite(value.real)) {
        throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                        " gets a value that is not a finite number");
      }
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.real);
      std::string out(buffer, end);
      // A bare integer would be read as an integer: 1e0, not 1.
      if (out.find_first_of(".e") == std::string::npos) out += ".0";
      return out;
    }
    case RETORT_VALUE_TEXT:
      return text_literal(to_view(value.text), column);
    case RETORT_VALUE_BOOLEAN:
      return boolean_literal(value.integer != 0);
    case RETORT_VALUE_BINARY:
      return binary_literal(to_view(value.text));
  }
  throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                  " gets a value of unknown kind " + std::to_string(value.kind));
}

inline Statements SqlDialect::render_bulk_insert(const retort_operation& op) const {
  const std::string table = table_name(op);
  if (op.column_count == 0) {
    throw DialectError::invalid("bulk_insert into " + in_quotes(to_view(op.table)) +
                                " names no columns");
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < op.column_count; ++i) {
    names.push_back(quote_identifier(required(op.columns[i]->name, "column name")));
  }
  const std::string prefix =
      "INSERT INTO " + table + " (" + detail::join(names, ", ") + ") VALUES (";
  Statements out;
  out.reserve(op.row_count);
  for (size_t row = 0; row < op.row_count; ++row) {
    std::vector<std::string> values;
    for (size_t i = 0; i < op.column_count; ++i) {
      values.push_back(literal(op.values[row * op.column_count + i], *op.columns[i]));
    }
    out.push_back(prefix + detail::join(values, ", ") + ")");
  }
  return out;
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIALECT_LITERALS_HPP
