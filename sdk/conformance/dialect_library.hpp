// A dialect plugin loaded through the C ABI alone (dlopen and
// retort_plugin_entry), as a host loads it, so that the conformance driver
// needs nothing of retort but the SDK's headers.
#ifndef RETORT_CONFORMANCE_DIALECT_LIBRARY_HPP
#define RETORT_CONFORMANCE_DIALECT_LIBRARY_HPP

#include <retort/abi.h>

#include <string>
#include <vector>

namespace retort_conformance {

// What a call through the ABI gave: the statements (or the connection
// string, as the one statement), or the status and message of a failure.
struct Outcome {
  int status = RETORT_OK;
  std::vector<std::string> statements;
  std::string error;
};

class DialectLibrary {
 public:
  // Loads the plugin at `path`; throws std::runtime_error saying why not.
  explicit DialectLibrary(const std::string& path);
  ~DialectLibrary();
  DialectLibrary(const DialectLibrary&) = delete;
  DialectLibrary& operator=(const DialectLibrary&) = delete;

  const retort_plugin& plugin() const { return *plugin_; }
  Outcome render(const retort_operation& op) const;
  Outcome connection_string(const std::string& url) const;

 private:
  void* handle_ = nullptr;
  retort_host host_{};
  const retort_plugin* plugin_ = nullptr;
  const retort_dialect* dialect_ = nullptr;
};

}  // namespace retort_conformance

#endif  // RETORT_CONFORMANCE_DIALECT_LIBRARY_HPP
