// The autogenerate workflow through the CLI, as a user runs it, on the
// database retort.ini in `dir` points at (an environment made by `retort
// init migrations`): the revision written from model.cpp compiles as
// written, its upgrade leaves no drift, and its downgrade brings back the
// previous model's schema. Shared by the SQLite e2e test and the server tests.
#ifndef RETORT_TESTS_AUTOGENERATE_CLI_HPP
#define RETORT_TESTS_AUTOGENERATE_CLI_HPP

#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace retort::test {
namespace autogenerate_cli {

namespace fs = std::filesystem;

const char* const kModelV1 = R"(#include <retort/model.hpp>

RETORT_MODEL(
    retort::Table("ag_customer",
                  {retort::Column("id", retort::Integer()).primary_key(),
                   retort::Column("email", retort::String(120)).nullable(false)},
                  {retort::Unique({"email"}).name("uq_customer_email")}),
    retort::Table("ag_purchase",
                  {retort::Column("id", retort::Integer()).primary_key(),
                   retort::Column("customer_id", retort::Integer()).nullable(false),
                   retort::Column("note", retort::String(40))},
                  {retort::ForeignKey({"customer_id"}, "ag_customer", {"id"}).name("fk_purchase_customer"),
                   retort::Index("ix_purchase_customer", {"customer_id"})}))
)";

// A column added, a type widened, nullability changed, an index and a
// check added, the foreign key given ON DELETE CASCADE.
const char* const kModelV2 = R"(#include <retort/model.hpp>

RETORT_MODEL(
    retort::Table("ag_customer",
                  {retort::Column("id", retort::Integer()).primary_key(),
                   retort::Column("email", retort::String(120)).nullable(false),
                   retort::Column("name", retort::String(60))},
                  {retort::Unique({"email"}).name("uq_customer_email"),
                   retort::Index("ix_customer_name", {"name"})}),
    retort::Table("ag_purchase",
                  {retort::Column("id", retort::Integer()).primary_key(),
                   retort::Column("customer_id", retort::Integer()).nullable(false),
                   retort::Column("note", retort::String(80)).nullable(false)},
                  {retort::ForeignKey({"customer_id"}, "ag_customer", {"id"})
                       .name("fk_purchase_customer")
                       .on_delete(retort::Referential::kCascade),
                   retort::Check("length(note) > 0").name("ck_purchase_note"),
                   retort::Index("ix_purchase_customer", {"customer_id"})}))
)";

// Table ag_purchase dropped; a unique constraint, a table comment and a
// column comment added.
const char* const kModelV3 = R"(#include <retort/model.hpp>

RETORT_MODEL(
    retort::Table("ag_customer",
                  {retort::Column("id", retort::Integer()).primary_key(),
                   retort::Column("email", retort::String(120)).nullable(false).comment("where we write"),
                   retort::Column("name", retort::String(60))},
                  {retort::Unique({"email"}).name("uq_customer_email"),
                   retort::Unique({"name"}).name("uq_customer_name"),
                   retort::Index("ix_customer_name", {"name"})},
                  {.comment = "who buys"}))
)";

inline void write_model(const fs::path& dir, const char* text) {
  std::ofstream(dir / "migrations" / "model.cpp") << text;
}

// Autogenerates against the database as it is, and removes the revision
// again: the text of its upgrade(), which holds only "(void)op;" when the
// database matches the model.
inline std::string drift(const fs::path& dir) {
  CliRun run = run_retort(dir, "revision --autogenerate -m probe --rev-id ffff0000");
  INFO(run.err);
  REQUIRE(run.status == 0);
  const fs::path source = revision_source(dir / "migrations" / "versions", "ffff0000");
  const std::string text = read_text(source);
  fs::remove(source);
  const size_t begin = text.find("void upgrade(");
  const size_t end = text.find("void downgrade(");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  return text.substr(begin, end - begin);
}

inline bool no_drift(const std::string& upgrade) {
  return upgrade.find("(void)op;") != std::string::npos && upgrade.find("op.") == std::string::npos;
}

// The whole workflow; the database must hold none of its tables. `comments`:
// the database keeps table and column comments (not SQLite).
inline void check_workflow(const fs::path& dir, bool comments) {
  CliRun none = run_retort(dir, "revision --autogenerate -m first");
  CHECK(none.status != 0);
  CHECK_THAT(none.err, Catch::Contains("there is no model to autogenerate from"));

  write_model(dir, kModelV1);
  CliRun first = run_retort(dir, "revision --autogenerate -m first --rev-id aaaa0001");
  INFO(first.err);
  REQUIRE(first.status == 0);
  CHECK_THAT(first.err,
             Catch::Contains("Detected add_table ag_customer\nDetected add_table ag_purchase\n"));
  const std::string source =
      read_text(revision_source(dir / "migrations" / "versions", "aaaa0001"));
  // Formatted by clang-format when there is one, so only what no layout changes.
  CHECK_THAT(source,
             Catch::Contains("\"uq_customer_email\"") &&
                 Catch::Contains("op.create_index(\"ix_purchase_customer\", \"ag_purchase\"") &&
                 Catch::Contains(
                     "  op.drop_table(\"ag_purchase\");\n  op.drop_table(\"ag_customer\");\n") &&
                 Catch::Contains("RETORT_REVISION(\n    .revision = \"aaaa0001\",\n"));

  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(no_drift(drift(dir)));

  CliRun clean = run_retort(dir, "check");
  INFO(clean.err);
  CHECK(clean.status == 0);
  CHECK_THAT(clean.out, Catch::EndsWith("the database matches the model\n"));

  write_model(dir, kModelV2);
  // retort check, as a CI job runs it after upgrade head: drift exits 6.
  CliRun drifted = run_retort(dir, "check");
  CHECK(drifted.status == 6);
  CHECK_THAT(drifted.out, Catch::Contains("drift: add_column ag_customer.name\n"
                                          "drift: add_index ix_customer_name on ag_customer\n"));
  CHECK_THAT(drifted.err, Catch::Contains("error: the database differs from the model in 6 ways"));
  CliRun drifted_json = run_retort(dir, "check --json");
  CHECK(drifted_json.status == 6);
  CHECK(py(dir, drifted_json.out, "len(d['drift'])") == "6");
  CliRun second = run_retort(dir, "revision --autogenerate -m second --rev-id bbbb0002");
  INFO(second.err);
  REQUIRE(second.status == 0);
  CHECK_THAT(
      second.err,
      Catch::Contains("Detected add_column ag_customer.name\n"
                      "Detected add_index ix_customer_name on ag_customer\n"
                      "Detected alter_column ag_purchase.note (type, nullable)\n"
                      "Detected drop_foreign_key ag_purchase(customer_id) -> ag_customer(id)\n"
                      "Detected add_foreign_key ag_purchase(customer_id) -> ag_customer(id)\n"
                      "Detected add_check ck_purchase_note on ag_purchase\n"));
  CliRun upgrade2 = run_retort(dir, "upgrade head");
  INFO(upgrade2.err);
  REQUIRE(upgrade2.status == 0);
  CHECK(no_drift(drift(dir)));

  write_model(dir, kModelV3);
  CliRun third = run_retort(dir, "revision --autogenerate -m third --rev-id cccc0003");
  INFO(third.err);
  REQUIRE(third.status == 0);
  CHECK_THAT(
      third.err,
      Catch::Contains(comments ? "Detected drop_table ag_purchase\n"
                                 "Detected alter_column ag_customer.email (comment)\n"
                                 "Detected add_unique uq_customer_name on ag_customer(name)\n"
                                 "Detected set_table_comment ag_customer\n"
                               : "Detected drop_table ag_purchase\n"
                                 "Detected add_unique uq_customer_name on ag_customer(name)\n"));
  CliRun upgrade3 = run_retort(dir, "upgrade head");
  INFO(upgrade3.err);
  REQUIRE(upgrade3.status == 0);
  CHECK(no_drift(drift(dir)));

  // Each downgrade brings back the schema of the model before: ag_purchase
  // made again from what the catalog said of it.
  CliRun downgrade3 = run_retort(dir, "downgrade -1");
  INFO(downgrade3.err);
  REQUIRE(downgrade3.status == 0);
  fs::remove(revision_source(dir / "migrations" / "versions", "cccc0003"));
  write_model(dir, kModelV2);
  CHECK(no_drift(drift(dir)));

  CliRun downgrade = run_retort(dir, "downgrade -1");
  INFO(downgrade.err);
  REQUIRE(downgrade.status == 0);
  write_model(dir, kModelV1);
  // The database is at aaaa0001 now; autogenerate wants it at the head.
  CliRun behind = run_retort(dir, "revision --autogenerate -m probe");
  CHECK(behind.status != 0);
  CHECK_THAT(behind.err, Catch::Contains("target database is not up to date"));
  fs::remove(revision_source(dir / "migrations" / "versions", "bbbb0002"));
  CHECK(no_drift(drift(dir)));
}

}  // namespace autogenerate_cli
}  // namespace retort::test

#endif  // RETORT_TESTS_AUTOGENERATE_CLI_HPP
