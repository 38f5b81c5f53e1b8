// The one error value of retort's host: a category, a one-line message and,
// where one helps, a hint with the fix. Fallible calls return Error or
// Expected<T>.
#ifndef RETORT_ERROR_HPP
#define RETORT_ERROR_HPP

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace retort {

enum class ErrorCategory {
  kNone = 0,
  kUsage,       // bad arguments or configuration
  kConfig,      // the ini file or an option is wrong
  kPlugin,      // a plugin or revision module could not be loaded
  kBuild,       // a revision source did not compile
  kRevision,    // the revision graph or an identifier is wrong
  kDatabase,    // connecting or running SQL failed
  kMigration,   // a revision failed while running
  kIo,          // a file could not be read or written
  kLockTimeout, // another runner held the migration lock for too long
  kChecksum,    // an applied revision changed since, or is gone from the scripts
  kPartialStep, // a step stopped partway and waits for `retort resolve`
  kDrift,       // the database differs from the declared model (`retort check`)
};

class [[nodiscard]] Error {
 public:
  Error() = default;
  Error(ErrorCategory category, std::string message, std::string hint = {})
      : category_(category), message_(std::move(message)), hint_(std::move(hint)) {}

  static Error success() { return Error(); }

  // True when this is an error: `if (auto err = f()) return err;`
  explicit operator bool() const { return category_ != ErrorCategory::kNone; }

  ErrorCategory category() const { return category_; }
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }

  Error with_hint(std::string hint) && {
    hint_ = std::move(hint);
    return std::move(*this);
  }

 private:
  ErrorCategory category_ = ErrorCategory::kNone;
  std::string message_;
  std::string hint_;
};

// A value or the Error that prevented it.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error error) : v_(std::move(error)) {}

  explicit operator bool() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  Error error() const { return v_.index() == 1 ? std::get<1>(v_) : Error(); }
  Error take_error() { return std::move(std::get<1>(v_)); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace retort

#endif  // RETORT_ERROR_HPP
