// What the online tests share: the servers' addresses from the environment
// (scripts/servers.sh writes them) and a catalog reader over ODBC.
#ifndef RETORT_TESTS_SERVER_SUPPORT_HPP
#define RETORT_TESTS_SERVER_SUPPORT_HPP

#include "db/database_url.hpp"
#include "db/odbc_connection.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace retort::test {

// The value of an environment variable scripts/servers.sh sets; the test
// fails with a hint when it is missing.
inline std::string server_env(const char* name) {
  const char* value = std::getenv(name);
  INFO(name << " is not set: start the servers with scripts/servers.sh start and source "
               "/tmp/retort-servers/env (scripts/test.sh does both)");
  REQUIRE(value != nullptr);
  return value;
}

// `text` parsed as a run parses its URL; the test fails when it does not parse.
inline DatabaseUrl database_url(const std::string& text) {
  auto url = DatabaseUrl::parse(text);
  INFO((url ? std::string() : url.error().message()));
  REQUIRE(url);
  return std::move(*url);
}

// A connection for looking at the database a test migrates.
class Catalog {
 public:
  explicit Catalog(const std::string& odbc) {
    auto connection = OdbcConnection::connect(odbc, "the test database");
    INFO((connection ? std::string() : connection.error().message()));
    REQUIRE(connection);
    connection_.emplace(std::move(*connection));
  }

  // The rows of `sql`, each row's values joined by '|', NULL as "NULL".
  std::vector<std::string> rows(const std::string& sql) {
    auto result = connection_->query(sql);
    INFO(sql);
    INFO((result ? std::string() : result.error().message()));
    REQUIRE(result);
    std::vector<std::string> out;
    for (const auto& row : *result) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) line += '|';
        line += row[i] ? *row[i] : "NULL";
      }
      out.push_back(line);
    }
    return out;
  }

  // The single value of `sql`.
  std::string value(const std::string& sql) {
    std::vector<std::string> all = rows(sql);
    INFO(sql);
    REQUIRE(all.size() == 1);
    return all.front();
  }

  void execute(const std::string& sql) {
    Error err = connection_->execute(sql);
    INFO(sql);
    INFO(err.message());
    REQUIRE_FALSE(err);
  }

 private:
  std::optional<OdbcConnection> connection_;
};

}  // namespace retort::test

#endif  // RETORT_TESTS_SERVER_SUPPORT_HPP
