// The error every part of the revision graph gives: ErrorCategory::kRevision,
// with a hint that says what to do.
#ifndef RETORT_REVISION_ERROR_HPP
#define RETORT_REVISION_ERROR_HPP

#include <retort/error.hpp>

#include <string>
#include <utility>

namespace retort {

inline Error revision_error(std::string message, std::string hint = {}) {
  return Error(ErrorCategory::kRevision, std::move(message), std::move(hint));
}

}  // namespace retort

#endif  // RETORT_REVISION_ERROR_HPP
