// harmless title#error INJECTED: this line is code
#include <retort/revision.hpp>
RETORT_REVISION(.revision = "cf73ac1557ac", .down_revision = nullptr,
                .message = "harmless title\r#error INJECTED: this line is code", .upgrade = up, .downgrade = down)
