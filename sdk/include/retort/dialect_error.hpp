// The one exception of the dialect SDK. A dialect throws it when it cannot do
// what it was asked (RETORT_UNSUPPORTED) or was handed something malformed
// (RETORT_INVALID); the entry thunks of dialect_entry.hpp turn it into that
// status and its message. It never crosses into C.
#ifndef RETORT_DIALECT_ERROR_HPP
#define RETORT_DIALECT_ERROR_HPP

#include <retort/abi.h>
#include <retort/shorten.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace retort {
inline namespace abi1 {

// The message is one lower-case line naming the object, without a trailing
// period, and never holds a password. std::runtime_error keeps copies cheap
// and noexcept.
class DialectError : public std::runtime_error {
 public:
  explicit DialectError(const std::string& message, int status = RETORT_UNSUPPORTED)
      : std::runtime_error(message), status_(status) {}

  // The dialect cannot do this: an operation, a type, an option.
  static DialectError unsupported(const std::string& message) {
    return DialectError(message, RETORT_UNSUPPORTED);
  }
  // The input is malformed: a bad URL, an operation missing a name.
  static DialectError invalid(const std::string& message) {
    return DialectError(message, RETORT_INVALID);
  }

  // RETORT_UNSUPPORTED or RETORT_INVALID.
  int status() const noexcept { return status_; }

 private:
  int status_;
};

// 'name', the way messages name an object: shortened to one line of at
// most a few hundred bytes (shorten.hpp), since names and values come from
// users.
inline std::string in_quotes(std::string_view name) { return '\'' + shorten(name) + '\''; }

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIALECT_ERROR_HPP
