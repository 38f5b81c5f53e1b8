// The base revision: an item table.
#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  op.create_table("item", {retort::Column("id", retort::Integer()).primary_key(),
                           retort::Column("name", retort::String(40)).nullable(false)});
}

void downgrade(retort::Operations& op) { op.drop_table("item"); }

}  // namespace

RETORT_REVISION(.revision = "aaaa0001", .down_revision = nullptr, .message = "create item",
                .create_date = "2026-01-01 10:00:00", .upgrade = upgrade, .downgrade = downgrade)
