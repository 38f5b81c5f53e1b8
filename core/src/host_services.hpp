// The service table the host hands to every plugin at entry.
#ifndef RETORT_HOST_SERVICES_HPP
#define RETORT_HOST_SERVICES_HPP

#include <retort/abi.h>

namespace retort {

// Valid for the life of the process. Plugins' log messages at warning level
// and above go to stderr; below it only when RETORT_DEBUG is set.
const retort_host* host_services();

}  // namespace retort

#endif  // RETORT_HOST_SERVICES_HPP
