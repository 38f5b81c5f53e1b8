// The one error value of retort's host: a category, a one-line message and,
// where one helps, a hint with the fix. Fallible calls return Error or
// Expected<T>.
#ifndef RETORT_ERROR_HPP
#define RETORT_ERROR_HPP

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace retort {

struct ErrorDetail;  // below: what a domain error is about

enum class ErrorCategory {
  kNone = 0,
  kUsage,        // bad arguments or configuration
  kConfig,       // the ini file or an option is wrong
  kPlugin,       // a plugin or revision module could not be loaded
  kBuild,        // a revision source did not compile
  kRevision,     // the revision graph or an identifier is wrong
  kDatabase,     // connecting or running SQL failed
  kMigration,    // a revision failed while running
  kIo,           // a file could not be read or written
  kLockTimeout,  // another runner held the migration lock for too long
  kChecksum,     // an applied revision changed since, or is gone from the scripts
  kPartialStep,  // a step stopped partway and waits for `retort resolve`
  kDrift,        // the database differs from the declared model (`retort check`)
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

  // The data of a domain error, for a program to act on without parsing the
  // message: `if (auto* heads = err.detail<MultipleHeads>()) ...`. Null
  // when the error carries no detail of that type. The types are below.
  template <typename T>
  const T* detail() const;
  template <typename T>
  Error with_detail(T detail) &&;

 private:
  ErrorCategory category_ = ErrorCategory::kNone;
  std::string message_;
  std::string hint_;
  std::shared_ptr<const ErrorDetail> detail_;  // shared: errors are copied freely
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

// ---- The details of domain errors (Error::detail<T>()) ----

// An identifier that names several heads where one revision is wanted
// ("head" with two heads), or a version table holding several rows where
// one was asked for (MigrationContext::get_current_revision). Sorted.
struct MultipleHeads {
  std::vector<std::string> heads;
  std::string argument;  // the identifier as given; empty for the version table
};

// An identifier, or a prefix of at least four characters, that names no
// revision or branch label; or a version-table row the scripts do not have.
struct UnknownRevision {
  std::string revision;
};

// A prefix that starts several revision ids or branch labels.
struct AmbiguousPrefix {
  std::string prefix;
  std::vector<std::string> candidates;  // sorted
};

// Applied revisions whose source changed since (their recorded checksum
// differs from today's), and applied revisions gone from the scripts
// (ErrorCategory::kChecksum). Each list in the order `retort check` shows.
struct ChecksumMismatch {
  std::vector<std::string> changed;
  std::vector<std::string> missing;
};

// A step that stopped partway and waits for `retort resolve`
// (ErrorCategory::kPartialStep): the first one, as the message names it.
struct UnresolvedStep {
  std::string revision;
  std::string direction;  // upgrade, downgrade
  std::string run;        // the run's id in the history table
  long long statements_done = 0;
};

struct ErrorDetail {
  std::variant<MultipleHeads, UnknownRevision, AmbiguousPrefix, ChecksumMismatch, UnresolvedStep>
      value;
};

template <typename T>
const T* Error::detail() const {
  return detail_ ? std::get_if<T>(&detail_->value) : nullptr;
}

template <typename T>
Error Error::with_detail(T detail) && {
  detail_ = std::make_shared<const ErrorDetail>(ErrorDetail{std::move(detail)});
  return std::move(*this);
}

}  // namespace retort

#endif  // RETORT_ERROR_HPP
