// The SDK's one way to write an ODBC connection string
// (sdk/include/retort/connection_string.hpp): credentials always braced where
// the driver reads braces, never where it keeps them.
#include <retort/connection_string.hpp>

#include <catch2/catch.hpp>

#include <string>

using retort::Braces;
using retort::ConnectionString;
using retort::DialectError;
using retort::parse_url;

namespace {

std::string credentials(const std::string& url, const retort::Credentials& keys = {}) {
  ConnectionString out("Some Driver");
  out.add_credentials(parse_url(url), keys);
  return out.str();
}

std::string refusal(const std::string& url, const retort::Credentials& keys = {}) {
  try {
    credentials(url, keys);
  } catch (const DialectError& e) {
    return e.what();
  }
  FAIL("no refusal for " << url);
  return {};
}

}  // namespace

TEST_CASE("connection string braces the password whatever it holds", "[connection_string]") {
  CHECK(credentials("x://u:plain@h") == "Driver={Some Driver};Uid={u};Pwd={plain}");
  CHECK(credentials("x://u:a%25b+c%2B@h") == "Driver={Some Driver};Uid={u};Pwd={a%b+c+}");
  CHECK(credentials("x://u:%7Da%3Bb%7B@h") == "Driver={Some Driver};Uid={u};Pwd={}}a;b{}");
  CHECK(credentials("x://u:@h") == "Driver={Some Driver};Uid={u};Pwd={}");
  CHECK(credentials("x://u@h") == "Driver={Some Driver};Uid={u}");
  CHECK(credentials("x://h") == "Driver={Some Driver}");
}

TEST_CASE("connection string writes the user name as the driver reads it", "[connection_string]") {
  CHECK(credentials("x://a%7Db:p@h", {.user_key = "UID", .password_key = "PWD"}) ==
        "Driver={Some Driver};UID={a}}b};PWD={p}");
  CHECK(credentials("x://a%25b:p@h", {.user = Braces::kKept}) ==
        "Driver={Some Driver};Uid=a%b;Pwd={p}");
  CHECK(credentials("x://plain:p@h", {.user = Braces::kUnknown}) ==
        "Driver={Some Driver};Uid=plain;Pwd={p}");
  CHECK(credentials("x://a%3Bb:p@h", {.user = Braces::kUnknown}) ==
        "Driver={Some Driver};Uid={a;b};Pwd={p}");
  CHECK(refusal("x://a%3Bb:s3cret@h", {.user = Braces::kKept}) ==
        "the user name 'a;b' cannot be written for this ODBC driver, which reads no braces in it: "
        "it may not hold ';' or start with '{'");
  CHECK(refusal("x://%7Bab:s3cret@h", {.user = Braces::kKept}).starts_with("the user name '{ab'"));
}

TEST_CASE("connection string refuses a NUL without quoting the password", "[connection_string]") {
  CHECK(refusal("x://u:s3cret%00@h") == "the URL's password cannot hold a NUL character");
  CHECK(refusal("x://u%00:p@h") == "the URL's user name cannot hold a NUL character");
}

TEST_CASE("connection string braces other values only where ODBC requires it",
          "[connection_string]") {
  ConnectionString out("D");
  out.add("Server", "h").add("Database", "a;b").add("Option", " x").append("Port", "5432");
  out.add_plain("Path", "/a{b}/c", "path");
  CHECK(out.str() == "Driver={D};Server=h;Database={a;b};Option={ x};Port=5432;Path=/a{b}/c");
  ConnectionString dsn;
  dsn.add("DSN", "Warehouse");
  CHECK(dsn.str() == "DSN=Warehouse");
  auto driver_refusal = [](const std::string& name) -> std::string {
    try {
      ConnectionString refused(name);
    } catch (const DialectError& e) {
      return e.what();
    }
    return "no refusal";
  };
  CHECK(driver_refusal("a}b") ==
        "the ODBC driver name 'a}b' is empty or holds a brace or a NUL character");
  CHECK(driver_refusal("") ==
        "the ODBC driver name '' is empty or holds a brace or a NUL character");
}

namespace {

constexpr std::string_view kUrlKeys[] = {"driver", "pwd", "server"};
const retort::DriverOptions kPolicy{
    .dialect = "x", .url_keys = kUrlKeys, .read_by_dialect = "driver"};

std::string options(const std::string& url, const retort::DriverOptions& policy = kPolicy) {
  ConnectionString out("D");
  out.add_options(parse_url(url), policy);
  return out.str();
}

std::string option_refusal(const std::string& url, const retort::DriverOptions& policy = kPolicy) {
  try {
    options(url, policy);
  } catch (const DialectError& e) {
    return e.what();
  }
  FAIL("no refusal for " << url);
  return {};
}

}  // namespace

TEST_CASE("driver options pass through but for the one the dialect reads itself",
          "[connection_string]") {
  CHECK(options("x://h/d?driver=Other&Encrypt=yes&App=a%3Bb") ==
        "Driver={D};Encrypt=yes;App={a;b}");
  CHECK(options("x://h/d") == "Driver={D}");
}

TEST_CASE("driver options refuse a key the url sets in any spelling and a key that is no word",
          "[connection_string]") {
  CHECK(option_refusal("x://h/d?PWD=s3cret") ==
        "x URL option 'PWD' is not a driver option; write it in the URL itself");
  CHECK(option_refusal("x://h/d?Driver=Other") ==
        "x URL option 'Driver' is not a driver option; write it in the URL itself");
  CHECK(option_refusal("x://h/d?a-b=1") ==
        "x URL option 'a-b' is not a driver option; write it in the URL itself");
  const retort::DriverOptions attributes{.dialect = "y", .refusal = "is not an attribute"};
  CHECK(option_refusal("x://h/d?a.b=1", attributes) == "y URL option 'a.b' is not an attribute");
}

TEST_CASE("driver options for a driver that reads no braces refuse a value holding a semicolon",
          "[connection_string]") {
  const retort::DriverOptions plain{.dialect = "x", .values = Braces::kKept};
  CHECK(options("x://h/d?Path=/a%7Bb%7D", plain) == "Driver={D};Path=/a{b}");
  CHECK(option_refusal("x://h/d?Path=a%3Bb", plain) ==
        "the value of x URL option 'Path' holds ';' or a NUL character");
}

TEST_CASE("has_option finds a query option in any case and only by its whole name",
          "[connection_string]") {
  CHECK(ConnectionString::has_option(parse_url("x://h/d?timeout=5"), "Timeout"));
  CHECK_FALSE(ConnectionString::has_option(parse_url("x://h/d?Timeouts=5"), "Timeout"));
  CHECK_FALSE(ConnectionString::has_option(parse_url("x://h/d"), "Timeout"));
}

TEST_CASE("require_scheme refuses a url of another scheme and names the ones served",
          "[connection_string]") {
  static constexpr const char* kSchemes[] = {"mysql", "mariadb", nullptr};
  CHECK_NOTHROW(retort::require_scheme(parse_url("mariadb://h/d"), kSchemes));
  try {
    retort::require_scheme(parse_url("postgresql://h/d"), kSchemes);
    FAIL("postgresql:// was not refused");
  } catch (const DialectError& e) {
    CHECK(std::string(e.what()) == "URL scheme 'postgresql' is not mysql or mariadb");
  }
}
