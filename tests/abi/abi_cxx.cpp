// abi.h as C++, at the oldest standard a third-party plugin might use
// (C++11), with -pedantic -Wall -Wextra -Werror in every build.
#include <retort/abi.h>

#include <type_traits>

namespace {

// The ABI structs must stay plain C data for C++ code too.
template <typename T>
constexpr bool is_plain() {
  return std::is_standard_layout<T>::value && std::is_trivial<T>::value;
}

static_assert(is_plain<retort_str>(), "retort_str");
static_assert(is_plain<retort_sink>(), "retort_sink");
static_assert(is_plain<retort_host>(), "retort_host");
static_assert(is_plain<retort_plugin>(), "retort_plugin");
static_assert(is_plain<retort_column>(), "retort_column");
static_assert(is_plain<retort_operation>(), "retort_operation");
static_assert(is_plain<retort_statement_sink>(), "retort_statement_sink");
static_assert(is_plain<retort_dialect>(), "retort_dialect");
static_assert(is_plain<retort_operations>(), "retort_operations");
static_assert(is_plain<retort_revision>(), "retort_revision");
static_assert(is_plain<retort_revision_module>(), "retort_revision_module");

}  // namespace

// An entry point with C linkage, as a C++ plugin declares it. Not exported:
// this object is never loaded.
extern "C" const retort_plugin* retort_abi_cxx_entry(const retort_host* host);

extern "C" const retort_plugin* retort_abi_cxx_entry(const retort_host* host) {
  static const retort_plugin descriptor = {sizeof(retort_plugin),
                                           RETORT_KIND_DIALECT,
                                           RETORT_ABI_MAJOR,
                                           RETORT_ABI_MINOR,
                                           "cxx",
                                           "1.0.0",
                                           nullptr};
  return host != nullptr && host->abi_major == RETORT_ABI_MAJOR ? &descriptor : nullptr;
}

static_assert(std::is_same<decltype(&retort_abi_cxx_entry), retort_entry_fn>::value,
              "the entry point has the type retort_entry_fn");
