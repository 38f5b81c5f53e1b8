// Small helpers shared by the C++ layers of the SDK: writing to and reading
// from the C sinks of abi.h.
#ifndef RETORT_SINK_HPP
#define RETORT_SINK_HPP

#include <retort/abi.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

// Writes text into a caller-owned sink; a null sink is ignored.
inline void write_to(const retort_sink* sink, std::string_view text) noexcept {
  if (sink != nullptr && sink->write != nullptr) sink->write(sink->ctx, text.data(), text.size());
}

// A sink that appends to a std::string; used by whoever owns the buffer.
class StringSink {
 public:
  StringSink() : sink_{sizeof(retort_sink), this, &StringSink::append} {}
  StringSink(const StringSink&) = delete;
  StringSink& operator=(const StringSink&) = delete;

  const retort_sink* get() const { return &sink_; }
  const std::string& str() const { return text_; }

 private:
  static void append(void* ctx, const char* data, size_t size) {
    try {
      static_cast<StringSink*>(ctx)->text_.append(data, size);
    } catch (...) {
      // Out of memory while collecting a message: the message is lost, the
      // status code still tells the caller what happened.
    }
  }

  retort_sink sink_;
  std::string text_;
};

inline retort_str to_str(std::string_view s) { return retort_str{s.data(), s.size()}; }
inline std::string_view to_view(retort_str s) {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, s.size};
}
inline bool is_absent(retort_str s) { return s.data == nullptr; }

// Rows a query returned: each value as text, std::nullopt for NULL.
using Rows = std::vector<std::vector<std::optional<std::string>>>;

namespace detail {

// Thrown inside a revision or a dialect when a host callback failed; the
// SDK's entry thunks turn it into RETORT_ABORTED. Never crosses the C boundary.
struct HostAborted {
  int status;
};

// The boundary of a C entry point: runs fn (which returns a status) so that
// nothing it throws escapes into C. A failed host callback gives
// RETORT_ABORTED (the host holds the reason); any other exception gives
// RETORT_ERROR with its message written to `error`; `who` names the code
// for an exception that is not a std::exception.
template <typename Fn>
int at_c_boundary(const retort_sink* error, std::string_view who, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const HostAborted&) {
    return RETORT_ABORTED;
  } catch (const std::exception& e) {
    write_to(error, e.what());
    return RETORT_ERROR;
  } catch (...) {
    write_to(error, std::string(who) + " threw an exception that is not a std::exception");
    return RETORT_ERROR;
  }
}

// A retort_row_sink that collects rows; the callback never throws into C.
class RowCollector {
 public:
  RowCollector() : sink_{sizeof(retort_row_sink), this, &RowCollector::row} {}
  RowCollector(const RowCollector&) = delete;
  RowCollector& operator=(const RowCollector&) = delete;

  const retort_row_sink* get() const { return &sink_; }
  Rows take() { return std::move(rows_); }

 private:
  static int row(void* ctx, const retort_str* values, size_t count) {
    try {
      auto& out = static_cast<RowCollector*>(ctx)->rows_.emplace_back();
      out.reserve(count);
      for (size_t i = 0; i < count; ++i) {
        if (is_absent(values[i])) {
          out.emplace_back(std::nullopt);
        } else {
          out.emplace_back(std::string(to_view(values[i])));
        }
      }
      return RETORT_OK;
    } catch (...) {
      return RETORT_ERROR;
    }
  }

  retort_row_sink sink_;
  Rows rows_;
};

}  // namespace detail

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_SINK_HPP
