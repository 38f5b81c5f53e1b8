/* A dialect whose function table claims to end before render: smaller than
** ABI 1.0's retort_dialect, so the host must not read its functions. */
#include <retort/abi.h>

static const char *const kSchemes[] = {"shorttable", NULL};

static const retort_dialect kDialect = {
    .struct_size = offsetof(retort_dialect, render),
    .url_schemes = kSchemes,
    .statement_terminator = ";",
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "shorttable",
    .version = "1.0.0",
    .table = &kDialect,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
