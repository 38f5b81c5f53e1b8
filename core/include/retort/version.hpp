// The version of the retort host library.
#ifndef RETORT_VERSION_HPP
#define RETORT_VERSION_HPP

namespace retort {

// e.g. "0.1.0"
const char* version();

}  // namespace retort

#endif  // RETORT_VERSION_HPP
