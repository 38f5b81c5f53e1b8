// The service table the host hands to every plugin at entry.
#ifndef RETORT_HOST_SERVICES_HPP
#define RETORT_HOST_SERVICES_HPP

#include <retort/abi.h>

#include <string>

namespace retort {

// Valid for the life of the process. Plugins' log messages go through
// retort::log (retort/log.hpp) at the nearest level: debug, info, warning.
const retort_host* host_services();

// While it lives, keeps what the entry point running on this thread passes
// to host->refuse (ABI 1.4): the first line of its last call. A refuse on
// another thread, or with no scope, is ignored.
class RefusalScope {
 public:
  RefusalScope();
  ~RefusalScope();
  RefusalScope(const RefusalScope&) = delete;
  RefusalScope& operator=(const RefusalScope&) = delete;

  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
  std::string* outer_;  // the reason of an enclosing scope, or null
};

}  // namespace retort

#endif  // RETORT_HOST_SERVICES_HPP
