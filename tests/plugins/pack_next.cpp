// The second file of the "pack" revision module: a revision on top of the
// base, and one whose upgrade fails by throwing.
#include <retort/revision.hpp>
#include <stdexcept>

namespace {

void add_email(retort::Operations& op) {
  op.add_column("account", retort::Column("email", retort::String(120)));
  op.create_index("ix_account_email", "account", {"email"}, {.unique = true});
}

void drop_email(retort::Operations& op) {
  op.drop_index("ix_account_email", "account");
  op.drop_column("account", "email");
}

void fail(retort::Operations& /*op*/) { throw std::runtime_error("cccc3333 fails on purpose"); }

}  // namespace

RETORT_REVISION(.revision = "bbbb2222", .down_revision = "aaaa1111", .message = "add account email",
                .create_date = "2026-01-02 10:00:00", .upgrade = add_email, .downgrade = drop_email)

// No downgrade: running it down must say so rather than crash.
RETORT_REVISION(.revision = "cccc3333", .down_revision = "bbbb2222", .message = "fail on purpose",
                .upgrade = fail)
