#include <retort/revision.hpp>

#include "chain_support.hpp"

namespace {

using namespace retort;

void upgrade(Operations& op) {
  op.create_table("purchase",
                  {
                      Column("id", BigInteger()).primary_key().autoincrement(),
                      Column("account_id", Integer()).nullable(false),
                      Column("amount", Numeric(10, 2)),
                      Column("quantity", SmallInteger()).server_default("1"),
                      Column("weight", Float()),
                      Column("placed_on", Date()),
                      Column("placed_at", Time()),
                      Column("note", Text()),
                      Column("payload", JSON()),
                      Column("reference", UUID()),
                      Column("receipt", LargeBinary()),
                      Column("status", Enum("purchase_status", 20)),
                      Column("legacy_code", Custom("CHAR(3)")),
                  },
                  {ForeignKey({"account_id"}, "account", {"id"})
                       .name("fk_purchase_account")
                       .on_delete(Referential::kCascade)});
  // Not led by account_id: InnoDB would take such an index over for the foreign
  // key and then refuse to drop it.
  op.create_index("ix_purchase_account", "purchase", {"placed_on", "account_id"});
  // On quantity, not amount: SQL Server cannot alter a column that a
  // filtered index reads, and fc0003 alters amount.
  if (full_chain::has_feature("partial_index")) {
    op.create_index("ix_purchase_open", "purchase", {"placed_on"}, {.where = "quantity > 0"});
  }
  if (full_chain::has_feature("expression_index")) {
    op.create_index("ix_account_email_lower", "account", {sql("lower(email)")}, {.unique = true});
  }
  op.bulk_insert("purchase",
                 {Column("account_id", Integer()), Column("amount", Numeric(10, 2)),
                  Column("placed_on", Date()), Column("placed_at", Time()),
                  Column("receipt", LargeBinary())},
                 {{1, "19.99", "2026-04-05", "10:11:12", Bytes{std::string("\x00\xff'\n", 4)}},
                  {2, nullptr, nullptr, nullptr, nullptr}});
}

void downgrade(Operations& op) {
  if (full_chain::has_feature("expression_index")) {
    op.drop_index("ix_account_email_lower", "account");
  }
  if (full_chain::has_feature("partial_index")) op.drop_index("ix_purchase_open", "purchase");
  op.drop_index("ix_purchase_account", "purchase");
  op.drop_table("purchase");
}

}  // namespace

RETORT_REVISION(.revision = "fc0002", .down_revision = "fc0001", .message = "purchases",
                .create_date = "2026-11-21 09:01:00", .upgrade = upgrade, .downgrade = downgrade)
