// The JSON writer behind --json: RFC 8259 escaping, commas and nesting.
#include "util/json_writer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

using retort::json_quote;
using retort::JsonWriter;

TEST_CASE("json_quote escapes quotes and backslashes", "[json_writer]") {
  CHECK(json_quote("") == R"("")");
  CHECK(json_quote("plain text") == R"("plain text")");
  CHECK(json_quote(R"(say "hi")") == R"("say \"hi\"")");
  CHECK(json_quote(R"(C:\path\to)") == R"("C:\\path\\to")");
  CHECK(json_quote("/") == R"("/")");  // the solidus may stay as it is
}

TEST_CASE("json_quote escapes control characters by name or as u00XX", "[json_writer]") {
  CHECK(json_quote("a\nb\rc\td\be\ff") == R"("a\nb\rc\td\be\ff")");
  CHECK(json_quote(std::string("nul\0here", 8)) == R"("nul\u0000here")");
  CHECK(json_quote("\x01\x1f") == R"("\u0001\u001f")");
  CHECK(json_quote("\x1b[31mred") == R"("\u001b[31mred")");
  CHECK(json_quote("del\x7f") == R"("del\u007f")");
  CHECK(json_quote(" ~") == R"(" ~")");  // U+0020 and U+007E are not escaped
}

TEST_CASE("json_quote passes UTF-8 through unchanged", "[json_writer]") {
  CHECK(json_quote("créer la table «compte»") == "\"créer la table «compte»\"");
  CHECK(json_quote("表 \xF0\x9F\x98\x80") == "\"表 \xF0\x9F\x98\x80\"");
}

TEST_CASE("json writer separates members and elements with commas", "[json_writer]") {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object();
  json.key("direction").string("upgrade");
  json.key("steps").begin_array();
  json.begin_object().key("revision").string("a1").key("from").strings({}).end_object();
  json.begin_object().key("revision").null().key("to").strings({"b2", "c3"}).end_object();
  json.end_array();
  json.key("ok").boolean(true);
  json.key("bad").boolean(false);
  json.key("count").integer(-3);
  json.end_object();
  CHECK(out.str() == R"({"direction":"upgrade","steps":[{"revision":"a1","from":[]},)"
                     R"({"revision":null,"to":["b2","c3"]}],"ok":true,"bad":false,"count":-3})");
}

TEST_CASE("json writer writes empty containers and escapes keys", "[json_writer]") {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object()
      .key("a\"b")
      .begin_array()
      .end_array()
      .key("c")
      .begin_object()
      .end_object()
      .end_object();
  CHECK(out.str() == R"({"a\"b":[],"c":{}})");
}

TEST_CASE("json writer writes numbers with fixed decimals and non-finite ones as null",
          "[json_writer]") {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_array();
  json.number(1234.5678);
  json.number(0);
  json.number(2.5, 1);
  json.number(std::numeric_limits<double>::quiet_NaN());
  json.number(std::numeric_limits<double>::infinity());
  json.end_array();
  CHECK(out.str() == "[1234.568,0.000,2.5,null,null]");
}
