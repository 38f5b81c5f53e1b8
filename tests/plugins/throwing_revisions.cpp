// A revision module whose functions throw what a careless author might:
// upgrade a value that is not a std::exception, downgrade a std::logic_error.
// RETORT_REVISION's boundary must catch both and hand the host a status and
// a message.
#include <retort/revision.hpp>

#include <stdexcept>

namespace {

void throw_int(retort::Operations& /*op*/) { throw 42; }

void throw_logic_error(retort::Operations& op) {
  op.drop_table("account");
  throw std::logic_error("dddd4444 cannot go down");
}

}  // namespace

RETORT_REVISION(.revision = "dddd4444", .message = "throw on purpose", .upgrade = throw_int,
                .downgrade = throw_logic_error)
