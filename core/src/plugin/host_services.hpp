// The service table the host hands to every plugin at entry.
#ifndef RETORT_HOST_SERVICES_HPP
#define RETORT_HOST_SERVICES_HPP

#include <retort/abi.h>

namespace retort {

// Valid for the life of the process. Plugins' log messages go through
// retort::log (retort/log.hpp) at the nearest level: debug, info, warning.
const retort_host* host_services();

}  // namespace retort

#endif  // RETORT_HOST_SERVICES_HPP
