#include "host_services.hpp"

#include <cstdio>
#include <cstdlib>

namespace retort {
namespace {

void log_message(void* /*ctx*/, int level, const char* message, size_t size) {
  static const bool debug = std::getenv("RETORT_DEBUG") != nullptr;
  if (level < RETORT_LOG_WARNING && !debug) return;
  const char* prefix = level >= RETORT_LOG_WARNING ? "warning" : "debug";
  std::fprintf(stderr, "%s: %.*s\n", prefix, static_cast<int>(size), message);
}

const retort_host kHost = {sizeof(retort_host), RETORT_ABI_MAJOR, RETORT_ABI_MINOR, nullptr,
                           &log_message};

}  // namespace

const retort_host* host_services() { return &kHost; }

}  // namespace retort
