/* An ABI as released (tests/abi/frozen/v1.N, renamed frozen_retort_* by
** frozen_abi.cmake) beside today's sdk/include/retort/abi.h, in one C11
** file; built once per frozen version, which RETORT_FROZEN_VERSION names
** ("1.0"). It does not compile unless, for every struct, field and numeric
** #define that the frozen ABI released:
**   - the field keeps its offset and its size, and a field of plain C type
**     (an integer, a char pointer) keeps its exact type;
**   - a struct that starts with struct_size is at least as large as it was
**     (structs only grow at the end), and one that does not is the same size;
**   - the code keeps its value.
** frozen_abi.cmake has already checked, at build time, that each released
** field keeps its place and its declaration. Run, it prints what it checked. */
#include <retort/abi.h>

#include "frozen_abi.h"

#include <stdio.h>

#ifndef RETORT_FROZEN_VERSION
#error "build with -DRETORT_FROZEN_VERSION=\"1.N\", the frozen ABI compared"
#endif
#define ABI_N "ABI " RETORT_FROZEN_VERSION

#define FIELD_OF(type, field) (((type *)0)->field)

/* 1 when `expr` has exactly the type of `like` (both of plain C type). */
#define SAME_TYPE(expr, like) _Generic((expr), __typeof__(like) : 1, default : 0)

#define RETORT_FROZEN_GROWABLE(s)                 \
  _Static_assert(sizeof(s) >= sizeof(frozen_##s), \
                 ABI_N " struct " #s " shrank: structs only grow at the end");
#define RETORT_FROZEN_FIXED(s)                    \
  _Static_assert(sizeof(s) == sizeof(frozen_##s), \
                 ABI_N " struct " #s " changed size; it has no struct_size to grow by");
#define RETORT_FROZEN_FIELD(s, f)                                                                \
  _Static_assert(offsetof(s, f) == offsetof(frozen_##s, f), ABI_N " field " #s "." #f " moved"); \
  _Static_assert(sizeof(FIELD_OF(s, f)) == sizeof(FIELD_OF(frozen_##s, f)),                      \
                 ABI_N " field " #s "." #f " changed size");
/* A uint32_t that became an int32_t keeps its size, not its meaning. */
#define RETORT_FROZEN_SCALAR(s, f)                                   \
  _Static_assert(SAME_TYPE(FIELD_OF(s, f), FIELD_OF(frozen_##s, f)), \
                 ABI_N " field " #s "." #f " changed type");
#define RETORT_FROZEN_CODE(name) \
  _Static_assert(name == FROZEN_##name, ABI_N " code " #name " changed its value");
#include "frozen_abi_checks.h"
#undef RETORT_FROZEN_GROWABLE
#undef RETORT_FROZEN_FIXED
#undef RETORT_FROZEN_FIELD
#undef RETORT_FROZEN_SCALAR
#undef RETORT_FROZEN_CODE

int main(void) {
  int structs = 0, fields = 0, codes = 0;
#define RETORT_FROZEN_GROWABLE(s) ++structs;
#define RETORT_FROZEN_FIXED(s) ++structs;
#define RETORT_FROZEN_FIELD(s, f) ++fields;
#define RETORT_FROZEN_SCALAR(s, f)
#define RETORT_FROZEN_CODE(name) ++codes;
#include "frozen_abi_checks.h"
  printf("ABI %d.%d keeps " ABI_N "'s layout: %d structs, %d fields, %d codes unchanged\n",
         RETORT_ABI_MAJOR, RETORT_ABI_MINOR, structs, fields, codes);
  return structs > 0 && fields > 0 && codes > 0 ? 0 : 1;
}
