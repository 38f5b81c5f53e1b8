#include "plugin/host_services.hpp"

#include <retort/log.hpp>

#include <algorithm>
#include <string_view>

namespace retort {
namespace {

// Longer reasons are cut: the message is one line of an error.
constexpr size_t kMaxReason = 500;

// The reason of the entry call in progress on this thread (RefusalScope).
thread_local std::string* current_reason = nullptr;

// A plugin's message goes through the host's log, at the nearest level.
void log_message(void* /*ctx*/, int level, const char* message, size_t size) {
  LogLevel host_level = level >= RETORT_LOG_WARNING ? LogLevel::kWarning
                        : level >= RETORT_LOG_INFO  ? LogLevel::kInfo
                                                    : LogLevel::kDebug;
  log(host_level, std::string_view(message, message != nullptr ? size : 0));
}

void refuse(void* /*ctx*/, const char* reason, size_t size) {
  if (current_reason == nullptr || reason == nullptr) return;
  std::string_view text(reason, size);
  text = text.substr(0, std::min(text.find_first_of("\r\n"), kMaxReason));
  try {
    current_reason->assign(text);
  } catch (...) {
    // Out of memory: the host still sees the missing descriptor.
  }
}

const retort_host kHost = {sizeof(retort_host), RETORT_ABI_MAJOR, RETORT_ABI_MINOR, nullptr,
                           &log_message,        &refuse};

}  // namespace

const retort_host* host_services() { return &kHost; }

RefusalScope::RefusalScope() : outer_(current_reason) { current_reason = &reason_; }

RefusalScope::~RefusalScope() { current_reason = outer_; }

}  // namespace retort
