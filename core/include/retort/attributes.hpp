// Config::attributes(): values an application hands to the commands that
// are not strings, as Alembic's Config.attributes dictionary. Above all the
// application's own ODBC connection, on which commands then run:
//
//   SQLHDBC hdbc = ...;                      // connected, owned by the application
//   cfg.attributes().set_connection(hdbc);
//   retort::command::upgrade(cfg, "head");   // runs on hdbc; never closes it
//
// Anything else under a key of the application's choosing, read back typed:
//
//   cfg.attributes().set("tenant", 42);
//   const int* tenant = cfg.attributes().get<int>("tenant");  // nullptr if absent or not an int
//
// And the environment as a function of the application's, in place of an
// env.cpp (README, "Environment (env.cpp)"):
//
//   cfg.attributes().set_environment([](retort::EnvironmentContext& context) {
//     context.set_version_table("app_version");
//   });
#ifndef RETORT_ATTRIBUTES_HPP
#define RETORT_ATTRIBUTES_HPP

#include <sqltypes.h>
#include <retort/environment.hpp>

#include <any>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace retort {

class Attributes {
 public:
  // The key the connection is stored under, as Alembic's 'connection'.
  static constexpr const char* kConnection = "connection";
  // The key of the application's environment.
  static constexpr const char* kEnvironment = "environment";
  using EnvironmentFn = std::function<void(EnvironmentContext&)>;

  template <typename T>
  void set(const std::string& key, T value) {
    values_[key] = std::move(value);
  }
  // The value under `key` if it holds a T; nullptr if absent or another type.
  template <typename T>
  const T* get(const std::string& key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? nullptr : std::any_cast<T>(&it->second);
  }
  bool contains(const std::string& key) const { return values_.count(key) != 0; }
  void erase(const std::string& key) { values_.erase(key); }

  // An ODBC connection handle the application opened and still owns: the
  // commands run on it, never disconnect or free it, and leave a transaction
  // the application opened for it to end (README, "Sharing a connection").
  void set_connection(SQLHDBC connection) { set(kConnection, connection); }
  // The connection set, or nullptr.
  SQLHDBC connection() const {
    const SQLHDBC* hdbc = get<SQLHDBC>(kConnection);
    return hdbc != nullptr ? *hdbc : nullptr;
  }

  // The environment: a function the commands call before they touch the
  // database, as they call an env.cpp's configure, which it replaces.
  void set_environment(EnvironmentFn fn) { set(kEnvironment, std::move(fn)); }
  // The function set, or nullptr.
  const EnvironmentFn* environment() const { return get<EnvironmentFn>(kEnvironment); }

 private:
  std::map<std::string, std::any> values_;
};

}  // namespace retort

#endif  // RETORT_ATTRIBUTES_HPP
