// Small helpers shared by the C++ layers of the SDK: writing to and reading
// from the C sinks of abi.h.
#ifndef RETORT_SINK_HPP
#define RETORT_SINK_HPP

#include <retort/abi.h>

#include <string>
#include <string_view>

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

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_SINK_HPP
