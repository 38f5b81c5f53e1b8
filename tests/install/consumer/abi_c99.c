/* A C99 translation unit that sees only what pkg-config retort-sdk gives. */
#include <retort/abi.h>

int retort_consumer_abi_major(void) { return RETORT_ABI_MAJOR; }
