// On top of the base: a price column.
#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  op.add_column("item", retort::Column("price", retort::Integer()));
}

void downgrade(retort::Operations& op) { op.drop_column("item", "price"); }

}  // namespace

RETORT_REVISION(.revision = "bbbb0002", .down_revision = "aaaa0001", .message = "add price",
                .create_date = "2026-01-02 10:00:00", .upgrade = upgrade, .downgrade = downgrade)
