// The full chain against a real PostgreSQL 15, its schema read back from the
// catalog after upgrade and after downgrade.
#include "full_chain.hpp"
#include "server_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace retort::test;
using Lines = std::vector<std::string>;

namespace {

const char* const kReset =
    "DROP TABLE IF EXISTS retort_version, retort_history, account_label, account_tag, purchase, "
    "tag, account, "
    "analytics.event CASCADE";

// name|type|nullable|default (or "identity") of each column, in order.
std::string columns_query(const std::string& schema, const std::string& table) {
  return "SELECT column_name, "
         "CASE WHEN character_maximum_length IS NOT NULL "
         "THEN data_type || '(' || character_maximum_length || ')' "
         "WHEN data_type = 'numeric' AND numeric_precision IS NOT NULL "
         "THEN 'numeric(' || numeric_precision || ',' || numeric_scale || ')' "
         "ELSE data_type END, is_nullable, "
         "CASE WHEN is_identity = 'YES' THEN 'identity' ELSE column_default END "
         "FROM information_schema.columns WHERE table_schema = '" +
         schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position";
}

// name|type|definition of each constraint on a table.
std::string constraints_query(const std::string& table) {
  return "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
         "WHERE conrelid = '" +
         table + "'::regclass ORDER BY conname";
}

std::string indexes_query(const std::string& table) {
  return "SELECT indexdef FROM pg_indexes WHERE tablename = '" + table + "' ORDER BY indexname";
}

}  // namespace

TEST_CASE("the full chain upgrades and downgrades a real PostgreSQL database",
          "[server][postgresql][dialect]") {
  Catalog db(server_env("RETORT_TEST_POSTGRESQL_ODBC"));
  db.execute(kReset);
  ScratchDir scratch;
  const fs::path& dir = scratch.path();
  make_full_chain(dir, server_env("RETORT_TEST_POSTGRESQL_URL"));
  ChainEnv env("analytics", "partial_index,expression_index,interval");

  CliRun upgrade = run_retort(dir, "upgrade head");
  INFO(upgrade.err);
  REQUIRE(upgrade.status == 0);
  CHECK(db.value("SELECT version_num FROM retort_version") == "fc0005");

  // fc0001 + fc0003 + fc0005: created, altered, renamed, a column dropped.
  CHECK(db.rows(columns_query("public", "account")) ==
        Lines{"id|integer|NO|identity", "email|character varying(200)|NO|NULL",
              "name|character varying(200)|YES|NULL", "balance|numeric(12,2)|NO|'0'::numeric",
              "active|boolean|NO|true",
              "handle|character varying(40)|YES|'anon'::character varying"});
  CHECK(db.rows(constraints_query("account")) ==
        Lines{"account_pkey|p|PRIMARY KEY (id)",
              "ck_account_balance|c|CHECK ((balance >= (0)::numeric))",
              "uq_account_email|u|UNIQUE (email)"});
  CHECK(db.value("SELECT obj_description('account'::regclass, 'pg_class')") == "people who pay");
  CHECK(db.value("SELECT col_description('account'::regclass, 3)") == "full name");
  CHECK(db.value("SELECT col_description('account'::regclass, 7)") == "what friends say");
  CHECK(db.value("SELECT obj_description('tag'::regclass, 'pg_class')") == "labels for accounts");

  // fc0002 + fc0003 + fc0004: every generic type, the foreign keys, the checks.
  CHECK(db.rows(columns_query("public", "purchase")) ==
        Lines{"id|bigint|NO|identity", "account_id|integer|NO|NULL",
              "amount|numeric(14,2)|YES|NULL", "quantity|smallint|YES|NULL",
              "weight|double precision|YES|NULL", "placed_on|date|YES|NULL",
              "placed_at|time without time zone|YES|NULL", "note|text|YES|NULL",
              "payload|json|YES|NULL", "reference|uuid|YES|NULL", "receipt|bytea|YES|NULL",
              "status|character varying(20)|YES|NULL", "legacy_code|character(3)|YES|NULL",
              "tag_id|integer|YES|NULL"});
  CHECK(
      db.rows(constraints_query("purchase")) ==
      Lines{
          "ck_purchase_amount|c|CHECK ((amount >= (0)::numeric))",
          "fk_purchase_account|f|FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE CASCADE",
          "fk_purchase_tag|f|FOREIGN KEY (tag_id) REFERENCES tag(id) ON DELETE SET NULL",
          "purchase_pkey|p|PRIMARY KEY (id)"});
  CHECK(
      db.rows(indexes_query("purchase")) ==
      Lines{
          "CREATE INDEX ix_purchase_account ON public.purchase USING btree (placed_on, account_id)",
          "CREATE INDEX ix_purchase_open ON public.purchase USING btree (placed_on) WHERE "
          "(quantity > 0)",
          "CREATE UNIQUE INDEX purchase_pkey ON public.purchase USING btree (id)"});
  CHECK(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_account_email_lower'") ==
        "CREATE UNIQUE INDEX ix_account_email_lower ON public.account USING btree "
        "(lower((email)::text))");
  CHECK(db.rows(constraints_query("tag")) ==
        Lines{"tag_pkey|p|PRIMARY KEY (id)", "uq_tag_label|u|UNIQUE (label)"});
  CHECK(db.rows(columns_query("public", "tag")) ==
        Lines{"id|integer|NO|NULL", "label|character varying(50)|YES|NULL"});
  CHECK(db.rows(constraints_query("account_label")) ==
        Lines{"pk_account_tag|p|PRIMARY KEY (account_id, tag_id)"});

  // fc0005: a table in another schema, filled by a data migration that
  // counted the accounts online.
  CHECK(db.rows(columns_query("analytics", "event")) ==
        Lines{"id|integer|NO|NULL", "kind|character varying(30)|NO|NULL",
              "accounts|integer|YES|NULL", "duration|interval|YES|NULL"});
  CHECK(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_event_kind'") ==
        "CREATE INDEX ix_event_kind ON analytics.event USING btree (kind)");
  CHECK(db.value("SELECT kind || '|' || accounts FROM analytics.event") == "migrated|3");

  // The rows bulk_insert wrote, literals intact.
  CHECK(db.rows("SELECT email, COALESCE(name, 'NULL'), balance, active, COALESCE(handle, 'NULL') "
                "FROM account ORDER BY id") == Lines{"ada@example.com|Ada|12.50|1|ada",
                                                     "obrien@example.com|Dara O'Brien|0.00|0|NULL",
                                                     "nil@example.com|NULL|7.25|1|NULL"});
  CHECK(db.rows("SELECT label FROM tag ORDER BY id") == Lines{"vip", "new; -- not a comment"});
  CHECK(db.rows("SELECT amount, placed_on, placed_at, encode(receipt, 'hex') FROM purchase ORDER "
                "BY id") == Lines{"19.99|2026-04-05|10:11:12|00ff270a", "NULL|NULL|NULL|NULL"});

  CliRun downgrade = run_retort(dir, "downgrade base");
  INFO(downgrade.err);
  REQUIRE(downgrade.status == 0);
  CHECK(db.rows("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema IN ('public', 'analytics') ORDER BY 1") ==
        Lines{"public.retort_history", "public.retort_version"});
  CHECK(db.rows("SELECT version_num FROM retort_version").empty());
  db.execute(kReset);
}
