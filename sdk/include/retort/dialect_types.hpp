// Type comparison for autogenerate (ABI 1.3): a type as a catalog spells it
// ("character varying(30)", "int4", "decimal(10,2)", "tinyint(1)") read
// back into a generic Type, and compared with a model column's type the way
// Alembic's DefaultImpl.compare_type does: the families must agree, and a
// length, precision or scale stated on both sides must be equal; one stated
// on one side only is not compared (VARCHAR is VARCHAR(50)). Part of
// dialect.hpp; include that.
#ifndef RETORT_DIALECT_TYPES_HPP
#define RETORT_DIALECT_TYPES_HPP

#include <retort/abi.h>
#include <retort/schema.hpp>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

// A catalog's spelling split: lower-case words before '(' ("double
// precision", "timestamp without time zone" keeps only the base words up to
// a modifier), and the numbers inside the parentheses.
struct TypeSpelling {
  std::string base;           // "character varying", "int4", "tinyint"
  std::vector<int32_t> args;  // {30}, {10, 2}; "max" and other words are left out
};

inline TypeSpelling split_type(std::string_view text) {
  TypeSpelling out;
  std::string words;
  size_t i = 0;
  for (; i < text.size() && text[i] != '('; ++i) {
    words += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  // Collapse white space; drop what follows the base name's words.
  std::string base;
  bool space = false;
  for (char c : words) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !base.empty();
      continue;
    }
    if (space) base += ' ';
    space = false;
    base += c;
  }
  for (std::string_view suffix :
       {" unsigned", " zerofill", " without time zone", " with time zone", " char", " byte"}) {
    if (base.size() > suffix.size() && base.ends_with(suffix))
      base.erase(base.size() - suffix.size());
  }
  out.base = base;
  if (i < text.size()) {
    std::string number;
    for (++i; i < text.size() && text[i] != ')'; ++i) {
      if (std::isdigit(static_cast<unsigned char>(text[i]))) {
        number += text[i];
      } else if (text[i] == ',') {
        out.args.push_back(number.empty() ? 0 : std::atoi(number.c_str()));
        number.clear();
      }
    }
    if (!number.empty()) out.args.push_back(std::atoi(number.c_str()));
  }
  return out;
}

// The generic type a catalog's spelling stands for; code CUSTOM (with the
// base name) when none does. Covers the names of SQLite, PostgreSQL (and its
// internal int4, float8, bpchar...), MySQL/MariaDB, SQL Server and Oracle;
// a dialect adds its own before calling this.
inline Type generic_type(const TypeSpelling& t) {
  const std::string& b = t.base;
  auto arg = [&](size_t i) { return i < t.args.size() ? t.args[i] : 0; };
  auto is = [&](std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      if (b == n) return true;
    }
    return false;
  };
  if (is({"integer", "int", "int4", "mediumint", "serial", "serial4"})) return Integer();
  if (is({"smallint", "int2", "smallserial", "tinyint"})) return SmallInteger();
  if (is({"bigint", "int8", "bigserial", "serial8"})) return BigInteger();
  if (is({"numeric", "decimal", "number", "dec"})) return Numeric(arg(0), arg(1));
  if (is({"float", "double", "double precision", "real", "float8", "float4", "binary_double",
          "binary_float"})) {
    return Float();
  }
  if (is({"varchar", "character varying", "nvarchar", "varchar2", "nvarchar2", "char", "character",
          "nchar", "bpchar", "national varchar", "national character varying"})) {
    return String(arg(0));
  }
  if (is({"text", "clob", "nclob", "tinytext", "mediumtext", "longtext", "ntext"})) return Text();
  if (is({"boolean", "bool", "bit"})) return Boolean();
  if (b == "date") return Date();
  if (is({"datetime", "timestamp", "datetime2", "timestamptz", "smalldatetime",
          "datetimeoffset"})) {
    return DateTime();
  }
  if (is({"time", "timetz"})) return Time();
  if (b.rfind("interval", 0) == 0) return Interval();
  if (is({"blob", "bytea", "varbinary", "binary", "tinyblob", "mediumblob", "longblob", "raw",
          "long raw", "image"})) {
    return LargeBinary(arg(0));
  }
  if (is({"json", "jsonb"})) return JSON();
  if (is({"uuid", "uniqueidentifier"})) return UUID();
  return Custom(b);
}

// Whether a model's type differs from a reflected one (both generic);
// nullopt when they cannot be compared (an ENUM, a type of unknown family).
inline std::optional<bool> generic_types_differ(const Type& model, const Type& reflected) {
  auto family = [](uint32_t code) {
    return code == RETORT_TYPE_UNICODE ? RETORT_TYPE_STRING : code;
  };
  if (model.code == RETORT_TYPE_ENUM || reflected.code == RETORT_TYPE_ENUM) return std::nullopt;
  if (model.code == RETORT_TYPE_CUSTOM || reflected.code == RETORT_TYPE_CUSTOM) {
    if (model.code != reflected.code) return std::nullopt;
    return model.name != reflected.name;
  }
  if (family(model.code) != family(reflected.code)) return true;
  auto differ = [](int32_t a, int32_t b) { return a != 0 && b != 0 && a != b; };
  return differ(model.length, reflected.length) || differ(model.precision, reflected.precision) ||
         differ(model.scale, reflected.scale);
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIALECT_TYPES_HPP
