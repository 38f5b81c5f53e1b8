/* A plugin whose descriptor claims to be shorter than ABI 1.0's: it ends
** before name, version and table. */
#include <retort/abi.h>

static const retort_plugin kDescriptor = {
    .struct_size = offsetof(retort_plugin, name),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "short",
    .version = "1.0.0",
    .table = NULL,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
