// The first file of the "pack" revision module: the base revision.
#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  op.create_table("account", {retort::Column("id", retort::Integer()).primary_key(),
                              retort::Column("name", retort::String(50)).nullable(false)});
}

void downgrade(retort::Operations& op) { op.drop_table("account"); }

}  // namespace

RETORT_REVISION(.revision = "aaaa1111", .down_revision = nullptr, .branch_labels = "accounts",
                .message = "create account table", .create_date = "2026-01-01 10:00:00",
                .upgrade = upgrade, .downgrade = downgrade)
