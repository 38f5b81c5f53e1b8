// add account
//
// Revision ID: 1975ea83b712
// Revises: ae1027a6acf
// Create Date: 2026-12-04 10:11:12

#include <retort/revision.hpp>

namespace {

void upgrade(retort::Operations& op) {
  (void)op;
}

void downgrade(retort::Operations& op) {
  (void)op;
}

}  // namespace

RETORT_REVISION(
    .revision = "1975ea83b712",
    .down_revision = "ae1027a6acf",
    .branch_labels = {"feature"},
    .depends_on = {},
    .message = "add account",
    .create_date = "2026-12-04 10:11:12",
    .upgrade = upgrade,
    .downgrade = downgrade)
