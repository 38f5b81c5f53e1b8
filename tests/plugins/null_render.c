/* A dialect in plain C whose function table has no render function: the
** host must refuse it when loading, not crash at the first operation. */
#include <retort/abi.h>

static const char *const kSchemes[] = {"norender", NULL};

static const retort_dialect kDialect = {
    .struct_size = sizeof(retort_dialect),
    .url_schemes = kSchemes,
    .statement_terminator = ";",
    .render = NULL,
};

static const retort_plugin kDescriptor = {
    .struct_size = sizeof(retort_plugin),
    .kind = RETORT_KIND_DIALECT,
    .abi_major = RETORT_ABI_MAJOR,
    .abi_minor = RETORT_ABI_MINOR,
    .name = "norender",
    .version = "1.0.0",
    .table = &kDialect,
};

RETORT_EXPORT const retort_plugin *retort_plugin_entry(const retort_host *host) {
  (void)host;
  return &kDescriptor;
}
