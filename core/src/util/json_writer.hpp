// A small streaming JSON writer for the commands' --json output: compact,
// one document, strings escaped as RFC 8259 requires.
//
//   JsonWriter json(out);
//   json.begin_object();
//   json.key("heads").begin_array().string("abc").end_array();
//   json.end_object();   // {"heads":["abc"]}
#ifndef RETORT_JSON_WRITER_HPP
#define RETORT_JSON_WRITER_HPP

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

// `text` as a JSON string literal, quotes included: '"' and '\' are escaped,
// \b \f \n \r \t by name, other control characters below U+0020 (and DEL) as
// \u00XX. Other bytes, UTF-8 included, pass through unchanged.
std::string json_quote(std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(&out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The member name of the next value, inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view value);
  JsonWriter& strings(const std::vector<std::string>& values);  // an array of strings
  JsonWriter& boolean(bool value);
  JsonWriter& integer(long long value);
  // A finite number, written with `decimals` digits after the point; NaN
  // and infinities, which JSON cannot hold, become null.
  JsonWriter& number(double value, int decimals = 3);
  JsonWriter& null();

 private:
  void separate();  // a comma before every value but the first of its container

  std::ostream* out_;
  std::vector<bool> first_;  // one per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace retort

#endif  // RETORT_JSON_WRITER_HPP
