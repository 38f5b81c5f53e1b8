// The declared model: retort::Table read into a Schema, directly and
// through a model module's C ABI (tests/plugins/model_shop.cpp).
#include "autogenerate/model_module.hpp"
#include "autogenerate/schema_builder.hpp"

#include <retort/autogenerate.hpp>
#include <retort/model.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <optional>
#include <string>

namespace ag = retort::autogenerate;

namespace {

std::string plugin_path(const std::string& file) {
  return std::string(RETORT_TEST_PLUGIN_DIR) + "/" + file;
}

void check_shop(const ag::Schema& schema) {
  REQUIRE(schema.tables.size() == 2);
  const ag::TableInfo* customer = schema.table("customer");
  REQUIRE(customer != nullptr);
  REQUIRE(customer->primary_key);
  CHECK(customer->primary_key->columns == std::vector<std::string>{"id"});
  CHECK_FALSE(customer->column("id")->nullable);
  CHECK_FALSE(customer->column("email")->nullable);
  CHECK(customer->column("email")->type.code == RETORT_TYPE_STRING);
  CHECK(customer->column("email")->type.length == 120);
  REQUIRE(customer->uniques.size() == 1);
  CHECK(customer->uniques[0].name == "uq_customer_email");
  CHECK(customer->comment == "who buys");

  const ag::TableInfo* purchase = schema.table("purchase");
  REQUIRE(purchase != nullptr);
  CHECK(purchase->column("amount")->nullable);
  CHECK(purchase->column("amount")->comment == "in euros");
  REQUIRE(purchase->foreign_keys.size() == 1);
  CHECK(purchase->foreign_keys[0].name == "fk_purchase_customer");
  CHECK(purchase->foreign_keys[0].referred_table == "customer");
  CHECK(purchase->foreign_keys[0].referred_columns == std::vector<std::string>{"id"});
  CHECK(purchase->foreign_keys[0].on_delete == retort::Referential::kCascade);
  REQUIRE(purchase->checks.size() == 1);
  CHECK(purchase->checks[0].condition == "amount >= 0");
  REQUIRE(purchase->indexes.size() == 1);
  CHECK(purchase->indexes[0].name == "ix_purchase_customer");
  CHECK(purchase->indexes[0].elements == std::vector<std::string>{"customer_id"});
  CHECK_FALSE(purchase->indexes[0].unique);
}

}  // namespace

TEST_CASE("a model module declares its tables through the C ABI", "[autogenerate][model]") {
  retort::Expected<ag::Schema> schema = ag::load_model_module(plugin_path("model_shop.so"));
  INFO(schema.error().message());
  REQUIRE(schema);
  check_shop(*schema);
}

TEST_CASE("tables declared in application code read the same as a model module",
          "[autogenerate][model]") {
  using namespace retort;
  const std::vector<Table> model = {
      Table("customer",
            {Column("id", Integer()).primary_key(), Column("email", String(120)).nullable(false)},
            {Unique({"email"}).name("uq_customer_email")}, {.comment = "who buys"}),
      Table(
          "purchase",
          {Column("id", Integer()).primary_key(), Column("customer_id", Integer()).nullable(false),
           Column("amount", Numeric(10, 2)).comment("in euros")},
          {ForeignKey({"customer_id"}, "customer", {"id"})
               .name("fk_purchase_customer")
               .on_delete(Referential::kCascade),
           Check("amount >= 0").name("ck_purchase_amount"),
           Index("ix_purchase_customer", {"customer_id"})})};
  retort::Expected<ag::Schema> schema = ag::schema_of(model);
  INFO(schema.error().message());
  REQUIRE(schema);
  check_shop(*schema);
}

TEST_CASE("a model that declares a table twice is refused", "[autogenerate][model]") {
  using namespace retort;
  retort::Expected<ag::Schema> schema =
      ag::schema_of({Table("t", {Column("id", Integer())}), Table("t", {Column("id", Integer())})});
  REQUIRE_FALSE(schema);
  CHECK(schema.error().message() == "the model declares table 't' twice");
}

TEST_CASE("a primary key constraint makes its columns not null in the model",
          "[autogenerate][model]") {
  using namespace retort;
  retort::Expected<ag::Schema> schema = ag::schema_of(
      {Table("pair", {Column("a", Integer()), Column("b", Integer())}, {PrimaryKey({"a", "b"})})});
  REQUIRE(schema);
  CHECK(schema->tables[0].primary_key->columns == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(schema->tables[0].column("a")->nullable);
  CHECK_FALSE(schema->tables[0].column("b")->nullable);
}

TEST_CASE("a revision module is not taken for a model module", "[autogenerate][model]") {
  retort::Expected<ag::Schema> schema = ag::load_model_module(plugin_path("pack.so"));
  REQUIRE_FALSE(schema);
  CHECK(schema.error().message().find("it is a revision module, not a model module") !=
        std::string::npos);
}

TEST_CASE("a model key naming a missing file is an error and no model.cpp is no model",
          "[autogenerate][model]") {
  const std::string dir = std::string(RETORT_TEST_PLUGIN_DIR);
  retort::Config cfg;
  retort::Expected<std::optional<std::string>> none = ag::find_model(cfg, dir);
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  cfg.set_main_option("model", dir + "/no_such_model.cpp");
  retort::Expected<std::optional<std::string>> missing = ag::find_model(cfg, dir);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message() == "model '" + dir + "/no_such_model.cpp' does not exist");
  CHECK(missing.error().hint() ==
        "fix the model key, or remove it to use <script_location>/model.cpp");

  cfg.set_main_option("model", dir + "/model_shop.so");
  retort::Expected<std::optional<std::string>> built = ag::find_model(cfg, dir);
  REQUIRE(built);
  REQUIRE(built->has_value());
  retort::Expected<ag::Schema> schema = ag::load_model(cfg, **built, std::cerr);
  REQUIRE(schema);
  CHECK(schema->tables.size() == 2);
}
