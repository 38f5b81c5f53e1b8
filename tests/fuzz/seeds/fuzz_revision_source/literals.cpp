// Every literal form the reader decodes.
#include <retort/revision.hpp>
#define NOT_A_DECLARATION RETORT_REVISION(.revision = "no")
/* RETORT_REVISION(.revision = "no") */
#if 0
const char* s = "RETORT_REVISION(";
#endif
namespace { void up(retort::Operations&) {} void down(retort::Operations&) {} }
RETORT_REVISION(.revision = u8"a\x31" "\061" R"x(b)x", .down_revision = {"p\u00e9", u8R"(q)"},
                .branch_labels = {}, .depends_on = nullptr,
                .message = "line\nbreak \"quoted\" \\ back\?\?= tri \
spliced", .create_date = "", .upgrade = up, .downgrade = [](retort::Operations&) {},)
RETORT_REVISION(.message = R"delim(raw
"multi" line)delim", .revision = "b2\0hidden", .upgrade = up, .downgrade = down)
