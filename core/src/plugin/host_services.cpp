#include "plugin/host_services.hpp"

#include <retort/log.hpp>

#include <string_view>

namespace retort {
namespace {

// A plugin's message goes through the host's log, at the nearest level.
void log_message(void* /*ctx*/, int level, const char* message, size_t size) {
  LogLevel host_level = level >= RETORT_LOG_WARNING ? LogLevel::kWarning
                        : level >= RETORT_LOG_INFO  ? LogLevel::kInfo
                                                    : LogLevel::kDebug;
  log(host_level, std::string_view(message, message != nullptr ? size : 0));
}

const retort_host kHost = {sizeof(retort_host), RETORT_ABI_MAJOR, RETORT_ABI_MINOR, nullptr,
                           &log_message};

}  // namespace

const retort_host* host_services() { return &kHost; }

}  // namespace retort
