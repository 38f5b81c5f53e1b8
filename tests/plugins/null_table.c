/* A dialect whose descriptor has no function table. */
#include <retort/abi.h>

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "tableless",
    .version = "1.0.0",
    .table = NULL,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
