// The host's view of a dialect plugin: finds the plugin serving a URL's
// scheme (searching with dialect_catalog.hpp) and wraps its C function table.
#ifndef RETORT_HOST_DIALECT_HPP
#define RETORT_HOST_DIALECT_HPP

#include "plugin/dialect_capabilities.hpp"

#include <retort/abi.h>
#include <retort/config.hpp>
#include <retort/error.hpp>
#include <retort/sink.hpp>

#include "db/database_url.hpp"

#include <functional>
#include <optional>

#include <string>
#include <vector>

namespace retort {

class Dialect {
 public:
  // The dialect serving `url`'s scheme among the plugins of the search path
  // (RETORT_PLUGIN_PATH, the config's plugin_path, the built-in directory).
  // Two plugins of different names serving it is an error, unless the
  // config's `dialect` key names the one to use.
  static Expected<Dialect> for_url(const DatabaseUrl& url, const Config& cfg);
  // Loads the dialect plugin in one file.
  static Expected<Dialect> load(const std::string& path);

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  const std::string& version() const { return version_; }  // "" if the plugin gave none
  // The ABI version the plugin was built against.
  uint16_t abi_major() const { return abi_major_; }
  uint16_t abi_minor() const { return abi_minor_; }
  // What it can do, computed once at load from its ABI minor and flags.
  const DialectCapabilities& capabilities() const { return capabilities_; }
  std::vector<std::string> url_schemes() const;
  std::string statement_terminator() const;
  std::string batch_separator() const;  // "" if none
  std::string begin_transaction() const;
  std::string commit_transaction() const;

  Expected<std::string> connection_string(const DatabaseUrl& url) const;
  // The URL with any password replaced, safe to print: the plugin's
  // redaction where it has one that holds up.
  std::string redact(const DatabaseUrl& url) const;
  // Runs a query on the database being migrated; see render.
  using QueryFn = std::function<Expected<Rows>(const std::string& sql)>;
  // Renders an operation into its statements. `query`, when given (online),
  // lets the dialect read the database while rendering, e.g. its catalog.
  // `status`, when given, receives the plugin's status code (RETORT_OK,
  // RETORT_UNSUPPORTED, ...).
  Expected<std::vector<std::string>> render(const retort_operation& op,
                                            const QueryFn* query = nullptr,
                                            int* status = nullptr) const;
  // Whether `model`'s type differs from `reflected`, a type as the
  // catalog spells it; nullopt when the dialect cannot tell (ABI 1.3).
  std::optional<bool> type_differs(const retort_column& model, const std::string& reflected) const;

 private:
  std::string name_;
  std::string path_;
  std::string version_;
  uint16_t abi_major_ = 0;
  uint16_t abi_minor_ = 0;
  DialectCapabilities capabilities_;
  retort_dialect table_{};  // zero beyond the plugin's struct_size
};

// Hands a query's result to a plugin's row sink. Returns RETORT_OK, or a
// status with the reason stored in `error`.
int forward_rows(Expected<Rows> result, const retort_row_sink* rows, Error& error);

// The directories searched for dialect plugins, in order: RETORT_PLUGIN_PATH,
// the config's plugin_path (relative entries from the ini file's directory),
// then the built-in directory of the install (install_paths.hpp), if it
// exists; duplicates dropped. Defined in dialect_catalog.cpp.
std::vector<std::string> dialect_search_path(const Config& cfg);

}  // namespace retort

#endif  // RETORT_HOST_DIALECT_HPP
