// A model module, as a model.cpp is built: two tables, a foreign key with
// ON DELETE, a unique constraint, a check, an index and comments.
#include <retort/model.hpp>

RETORT_MODEL(retort::Table("customer",
                           {retort::Column("id", retort::Integer()).primary_key(),
                            retort::Column("email", retort::String(120)).nullable(false)},
                           {retort::Unique({"email"}).name("uq_customer_email")},
                           {.comment = "who buys"}),
             retort::Table("purchase",
                           {retort::Column("id", retort::Integer()).primary_key(),
                            retort::Column("customer_id", retort::Integer()).nullable(false),
                            retort::Column("amount", retort::Numeric(10, 2)).comment("in euros")},
                           {retort::ForeignKey({"customer_id"}, "customer", {"id"})
                                .name("fk_purchase_customer")
                                .on_delete(retort::Referential::kCascade),
                            retort::Check("amount >= 0").name("ck_purchase_amount"),
                            retort::Index("ix_purchase_customer", {"customer_id"})}))
