// compare_schemas: what Alembic's compare_metadata reports, in its order,
// on a database written out as the rows its catalog queries return.
#include "autogenerate/reflection.hpp"

#include <retort/autogenerate.hpp>
#include <retort/dialect_types.hpp>
#include <retort/model.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include <string>
#include <vector>

namespace ag = retort::autogenerate;
using namespace retort;

namespace {

using Cell = std::optional<std::string>;
const Cell null;

struct DbTable {
  std::string name;
  Rows columns;
  Rows constraints = {};
  Rows indexes = {};
  Cell comment = {};
};

ag::Schema database(const std::vector<DbTable>& tables) {
  ag::Schema schema;
  for (const DbTable& t : tables) {
    auto table = ag::table_from_rows(t.name, t.comment, t.columns, t.constraints, t.indexes);
    REQUIRE(table);
    schema.tables.push_back(*table);
  }
  return schema;
}

// A column row: name, type, nullable, default, comment, autoincrement.
std::vector<Cell> col(std::string name, std::string type, bool nullable = true, Cell comment = {}) {
  return {name, type, std::string(nullable ? "1" : "0"), null, comment, std::string("0")};
}
std::vector<Cell> pk(std::string column) {
  return {std::string("p"),
          std::string("pk"),
          std::string("1"),
          column,
          null,
          null,
          null,
          null,
          null,
          null};
}

ag::Schema model(const std::vector<Table>& tables) {
  auto schema = ag::schema_of(tables);
  REQUIRE(schema);
  return *schema;
}

// The generic comparison every built-in dialect starts from.
std::optional<bool> compare_type(const ag::ColumnInfo& m, const ag::ColumnInfo& r) {
  return generic_types_differ(m.type, generic_type(split_type(r.type.name)));
}

std::vector<std::string> changes(const ag::Schema& db, const ag::Schema& m,
                                 ag::CompareOptions options = {}) {
  std::vector<std::string> out;
  for (const ag::Change& c : ag::compare_schemas(db, m, compare_type, options)) {
    out.push_back(ag::describe(c));
  }
  return out;
}

const DbTable kAccount{
    "account", {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)}, {pk("id")}};
Table account_model() {
  return Table("account",
               {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)});
}

}  // namespace

TEST_CASE("a database that matches the model gives no change", "[autogenerate][compare]") {
  CHECK(changes(database({kAccount}), model({account_model()})).empty());
}

TEST_CASE("new tables come referenced first and dropped tables referencing first",
          "[autogenerate][compare]") {
  const ag::Schema m = model({
      Table("line", {Column("id", Integer()).primary_key(), Column("order_id", Integer())},
            {ForeignKey({"order_id"}, "orders", {"id"})}),
      Table("orders", {Column("id", Integer()).primary_key()}),
  });
  CHECK(changes(database({}), m) == std::vector<std::string>{"add_table orders", "add_table line"});

  const ag::Schema db = database({
      {"child",
       {col("id", "INTEGER", false), col("parent_id", "INTEGER")},
       {pk("id"),
        {std::string("f"), null, std::string("1"), std::string("parent_id"), null,
         std::string("parent"), std::string("id"), null, null, null}}},
      {"parent", {col("id", "INTEGER", false)}, {pk("id")}},
  });
  CHECK(changes(db, model({})) ==
        std::vector<std::string>{"drop_table child", "drop_table parent"});
}

TEST_CASE("columns are added in model order and dropped last", "[autogenerate][compare]") {
  const ag::Schema db = database(
      {{"account",
        {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false), col("legacy", "TEXT")},
        {pk("id")}}});
  const ag::Schema m = model(
      {Table("account",
             {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false),
              Column("email", String(120)), Column("phone", String(20))},
             {Index("ix_account_email", {"email"})})});
  CHECK(changes(db, m) == std::vector<std::string>{"add_column account.email",
                                                   "add_column account.phone",
                                                   "add_index ix_account_email on account",
                                                   "drop_column account.legacy"});
}

TEST_CASE("a renamed column is a drop and an add never a rename", "[autogenerate][compare]") {
  const ag::Schema m = model({Table("account", {Column("id", Integer()).primary_key(),
                                                Column("full_name", String(50)).nullable(false)})});
  CHECK(changes(database({kAccount}), m) ==
        std::vector<std::string>{"add_column account.full_name", "drop_column account.name"});
}

TEST_CASE("a widened type and a changed nullability are one column change",
          "[autogenerate][compare]") {
  const ag::Schema m = model(
      {Table("account", {Column("id", Integer()).primary_key(), Column("name", String(80))})});
  const std::vector<ag::Change> found = ag::compare_schemas(database({kAccount}), m, compare_type);
  REQUIRE(found.size() == 1);
  CHECK(ag::describe(found[0]) == "alter_column account.name (type, nullable)");
  CHECK(found[0].column.type.length == 80);
  CHECK(found[0].existing.type.name == "VARCHAR(50)");
  CHECK_FALSE(found[0].existing.nullable);
}

TEST_CASE("a type is not compared when compare_type is off", "[autogenerate][compare]") {
  const ag::Schema m = model({Table("account", {Column("id", Integer()).primary_key(),
                                                Column("name", String(80)).nullable(false)})});
  ag::CompareOptions options;
  options.compare_type = false;
  CHECK(changes(database({kAccount}), m, options).empty());
}

TEST_CASE("a length stated on one side only is not a type change", "[autogenerate][compare]") {
  const ag::Schema db = database({{"t", {col("name", "VARCHAR"), col("price", "NUMERIC(10,2)")}}});
  const ag::Schema m =
      model({Table("t", {Column("name", String(50)), Column("price", Numeric())})});
  CHECK(changes(db, m).empty());
}

TEST_CASE("an integer primary key reported nullable gives no change", "[autogenerate][compare]") {
  // SQLite's INTEGER PRIMARY KEY without NOT NULL: the key makes it NOT NULL.
  const ag::Schema db = database(
      {{"account", {col("id", "INTEGER", true), col("name", "VARCHAR(50)", false)}, {pk("id")}}});
  CHECK(changes(db, model({account_model()})).empty());
}

TEST_CASE("a foreign key is matched by what it does not by its name", "[autogenerate][compare]") {
  auto fk_row = [](Cell name, Cell on_delete) {
    return std::vector<Cell>{std::string("f"),
                             name,
                             std::string("1"),
                             std::string("account_id"),
                             null,
                             std::string("account"),
                             std::string("id"),
                             null,
                             on_delete,
                             null};
  };
  const DbTable plain{"note",
                      {col("id", "INTEGER", false), col("account_id", "INTEGER")},
                      {pk("id"), fk_row(std::string("fk_old_name"), std::string("5"))}};
  const Table cascading("note",
                        {Column("id", Integer()).primary_key(), Column("account_id", Integer())},
                        {ForeignKey({"account_id"}, "account", {"id"})
                             .name("fk_note_account")
                             .on_delete(Referential::kCascade)});
  const Table unnamed("note",
                      {Column("id", Integer()).primary_key(), Column("account_id", Integer())},
                      {ForeignKey({"account_id"}, "account", {"id"})});
  // NO ACTION (5) is what no clause means.
  CHECK(changes(database({kAccount, plain}), model({account_model(), unnamed})).empty());
  CHECK(changes(database({kAccount, plain}), model({account_model(), cascading})) ==
        std::vector<std::string>{"drop_foreign_key note(account_id) -> account(id)",
                                 "add_foreign_key note(account_id) -> account(id)"});
}

TEST_CASE("unique constraints are matched by name and unnamed ones by their columns",
          "[autogenerate][compare]") {
  const DbTable db{"account",
                   {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                   {pk("id"),
                    {std::string("u"), std::string("account_name_key"), std::string("1"),
                     std::string("name"), null, null, null, null, null, null}}};
  const Table unnamed("account", {Column("id", Integer()).primary_key(),
                                  Column("name", String(50)).nullable(false).unique()});
  const Table named(
      "account",
      {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
      {Unique({"name"}).name("uq_account_name")});
  CHECK(changes(database({db}), model({unnamed})).empty());
  CHECK(changes(database({db}), model({named})) ==
        std::vector<std::string>{"drop_unique account_name_key on account",
                                 "add_unique uq_account_name on account(name)"});
  CHECK(changes(database({kAccount}), model({unnamed})) ==
        std::vector<std::string>{"add_unique (unnamed) on account(name)"});
}

TEST_CASE("a unique index and a unique constraint of one name are the same thing",
          "[autogenerate][compare]") {
  // MariaDB reports CREATE UNIQUE INDEX as a UNIQUE constraint.
  const DbTable db{"account",
                   {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                   {pk("id"),
                    {std::string("u"), std::string("ux_name"), std::string("1"),
                     std::string("name"), null, null, null, null, null, null}}};
  const Table m("account",
                {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
                {Index("ux_name", {"name"}, {.unique = true})});
  CHECK(changes(database({db}), model({m})).empty());
}

TEST_CASE("a unique constraint reported as a unique index is no drift either way",
          "[autogenerate][compare]") {
  // MariaDB names an unnamed UNIQUE after its column and lists it with the
  // indexes; SQLite keeps an unnamed one that no index row shows.
  auto unique_index = [](std::string name) {
    return std::vector<Cell>{
        name, std::string("1"), std::string("1"), std::string("name"), std::string("0"), null};
  };
  const std::vector<Cell> unnamed_unique = {std::string("u"),
                                            null,
                                            std::string("1"),
                                            std::string("name"),
                                            null,
                                            null,
                                            null,
                                            null,
                                            null,
                                            null};
  const DbTable as_index{"account",
                         {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                         {pk("id")},
                         {unique_index("name")}};
  const DbTable as_constraint{"account",
                              {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                              {pk("id"), unnamed_unique}};
  const Table unnamed(
      "account",
      {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
      {Unique({"name"})});
  const Table indexed(
      "account",
      {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
      {Index("ux_account_name", {"name"}, {.unique = true})});
  CHECK(changes(database({as_index}), model({unnamed})).empty());
  CHECK(changes(database({as_constraint}), model({indexed})).empty());
  CHECK(changes(database({as_constraint}), model({unnamed})).empty());
  // Not unique: a plain index is not a unique constraint.
  DbTable plain = as_index;
  plain.indexes[0][1] = std::string("0");
  CHECK(changes(database({plain}), model({unnamed})) ==
        std::vector<std::string>{"drop_index name on account",
                                 "add_unique (unnamed) on account(name)"});
}

TEST_CASE("an expression or partial index of the database is skipped with a note never dropped",
          "[autogenerate][compare]") {
  const DbTable db{"account",
                   {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                   {pk("id")},
                   {{std::string("ix_lower_name"), std::string("0"), std::string("1"),
                     std::string("lower((name)::text)"), std::string("1"), null},
                    {std::string("ix_named"), std::string("0"), std::string("1"),
                     std::string("name"), std::string("0"), std::string("(id > 0)")}}};
  std::vector<std::string> notes;
  CHECK(ag::compare_schemas(database({db}), model({account_model()}), compare_type, {}, &notes)
            .empty());
  CHECK(notes == std::vector<std::string>{
                     "autogenerate skips index ix_lower_name on account: an expression or "
                     "partial index is not compared",
                     "autogenerate skips index ix_named on account: an expression or partial "
                     "index is not compared"});
  // Named by the model, whatever its text: the same index, no note.
  const Table m("account",
                {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
                {Index("ix_lower_name", {sql("lower(name)")}),
                 Index("ix_named", {"name"}, {.where = "id > 0"})});
  notes.clear();
  CHECK(ag::compare_schemas(database({db}), model({m}), compare_type, {}, &notes).empty());
  CHECK(notes.empty());
  // One the database lacks is added.
  CHECK(changes(database({kAccount}), model({m})) ==
        std::vector<std::string>{"add_index ix_lower_name on account",
                                 "add_index ix_named on account"});
}

TEST_CASE("an index whose columns changed is dropped and created again",
          "[autogenerate][compare]") {
  const DbTable db{"account",
                   {col("id", "INTEGER", false), col("name", "VARCHAR(50)", false)},
                   {pk("id")},
                   {{std::string("ix_account"), std::string("0"), std::string("1"),
                     std::string("id"), std::string("0"), null}}};
  const Table m("account",
                {Column("id", Integer()).primary_key(), Column("name", String(50)).nullable(false)},
                {Index("ix_account", {"name"})});
  CHECK(changes(database({db}), model({m})) ==
        std::vector<std::string>{"drop_index ix_account on account",
                                 "add_index ix_account on account"});
}

TEST_CASE("check constraints are compared by name only", "[autogenerate][compare]") {
  const DbTable db{"t",
                   {col("amount", "INTEGER")},
                   {{std::string("c"), std::string("ck_amount"), std::string("1"), null, null, null,
                     null, null, null, std::string("(amount >= 0)")}}};
  const Table edited("t", {Column("amount", Integer())}, {Check("amount > 0").name("ck_amount")});
  const Table renamed("t", {Column("amount", Integer())},
                      {Check("amount >= 0").name("ck_positive")});
  CHECK(changes(database({db}), model({edited})).empty());
  CHECK(changes(database({db}), model({renamed})) ==
        std::vector<std::string>{"drop_check ck_amount on t", "add_check ck_positive on t"});
}

TEST_CASE("comments are compared where the database keeps them", "[autogenerate][compare]") {
  const DbTable db{
      "t", {col("a", "INTEGER", true, std::string("old"))}, {}, {}, std::string("table")};
  const Table m("t", {Column("a", Integer()).comment("new")}, {}, {.comment = "a table"});
  CHECK(changes(database({db}), model({m})) ==
        std::vector<std::string>{"alter_column t.a (comment)", "set_table_comment t"});
  ag::CompareOptions options;
  options.compare_comments = false;
  CHECK(changes(database({db}), model({m}), options).empty());
}

TEST_CASE("server defaults are compared only when asked and after normalising",
          "[autogenerate][compare]") {
  const DbTable db{"t",
                   {{std::string("status"), std::string("character varying(10)"), std::string("1"),
                     std::string("'new'::character varying"), null, std::string("0")}}};
  const Table same("t", {Column("status", String(10)).server_default("new")});
  const Table other("t", {Column("status", String(10)).server_default("old")});
  ag::CompareOptions options;
  options.compare_server_default = true;
  CHECK(changes(database({db}), model({other})).empty());
  CHECK(changes(database({db}), model({same}), options).empty());
  CHECK(changes(database({db}), model({other}), options) ==
        std::vector<std::string>{"alter_column t.status (server_default)"});
}

TEST_CASE("server defaults as each dialect reflects them match the model's",
          "[autogenerate][compare]") {
  struct Case {
    const char* dialect;
    const char* reflected;  // as the catalog query returns it
    Default model;
    bool same;
  };
  const std::vector<Case> cases = {
      {"postgresql", "'new'::character varying", "new", true},
      {"postgresql", "'it''s'::text", "it's", true},
      {"postgresql", "'New'::character varying", "new", false},
      {"postgresql", "0", "0", true},
      {"postgresql", "CURRENT_TIMESTAMP", sql("CURRENT_TIMESTAMP"), true},
      {"postgresql", "now()", sql("now()"), true},
      {"postgresql", "now()", sql("CURRENT_TIMESTAMP"), false},
      {"mysql", "'new'", "new", true},
      {"mysql", "0", "0", true},
      {"mysql", "current_timestamp()", sql("CURRENT_TIMESTAMP"), true},
      {"mysql", "'0'", "1", false},
      {"sqlite", "'new'", "new", true},
      {"sqlite", "(0)", "0", true},
      {"sqlite", "CURRENT_TIMESTAMP", sql("current_timestamp"), true},
      {"sqlite", "(lower('X'))", sql("lower('X')"), true},
  };
  ag::CompareOptions options;
  options.compare_server_default = true;
  for (const Case& c : cases) {
    INFO(c.dialect << ": " << c.reflected << " against " << c.model.text);
    const DbTable db{"t",
                     {{std::string("v"), std::string("VARCHAR(10)"), std::string("1"),
                       std::string(c.reflected), null, std::string("0")}}};
    const Table m("t", {Column("v", String(10)).server_default(c.model)});
    CHECK(changes(database({db}), model({m}), options).empty() == c.same);
  }
}

TEST_CASE("a model table in a schema is compared with the table of that schema",
          "[autogenerate][compare]") {
  ag::Schema db = database(
      {kAccount, kAccount, {"retort_version", {col("version_num", "VARCHAR(32)", false)}}});
  db.tables[1].schema = "sales";
  db.tables[2].schema = "sales";
  const Table in_sales(in_schema("sales", "account"),
                       {Column("id", Integer()).primary_key(),
                        Column("name", String(50)).nullable(false), Column("note", Text())});
  ag::CompareOptions options;
  options.exclude_tables = {"retort_version"};  // the version table, in whatever schema
  CHECK(changes(db, model({account_model(), in_sales}), options) ==
        std::vector<std::string>{"add_column sales.account.note"});
  CHECK(changes(db, model({in_sales}), options) ==
        std::vector<std::string>{"drop_table account", "add_column sales.account.note"});
  CHECK(changes(database({kAccount}), model({in_sales})) ==
        std::vector<std::string>{"add_table sales.account", "drop_table account"});
}

TEST_CASE("excluded tables are left out on both sides", "[autogenerate][compare]") {
  const ag::Schema db = database({{"retort_version", {col("version_num", "VARCHAR(32)", false)}},
                                  {"tmp_load", {col("a", "INTEGER")}}});
  ag::CompareOptions options;
  options.exclude_tables = {"retort_version", "tmp_*"};
  CHECK(changes(db, model({}), options).empty());
  CHECK(changes(db, model({}), {}) ==
        std::vector<std::string>{"drop_table retort_version", "drop_table tmp_load"});
}

TEST_CASE("include_object leaves out the tables and columns it refuses on both sides",
          "[autogenerate][compare]") {
  const ag::Schema db = database({{"legacy_orders", {col("a", "INTEGER")}},
                                  {"account", {col("id", "INTEGER"), col("old_flag", "INTEGER")}}});
  const ag::Schema m = model({Table("account", {Column("id", Integer()), Column("note", Text())}),
                              Table("legacy_new", {Column("id", Integer())})});
  ag::CompareOptions options;
  std::vector<std::string> asked;
  options.include_object = [&](const std::string& name, const std::string& type,
                               const std::string& table) {
    asked.push_back(type + " " + (table.empty() ? "" : table + ".") + name);
    return name.rfind("legacy_", 0) != 0 && name != "note";
  };
  CHECK(changes(db, m, options) == std::vector<std::string>{"drop_column account.old_flag"});
  CHECK(std::find(asked.begin(), asked.end(), "column account.note") != asked.end());
  CHECK(std::find(asked.begin(), asked.end(), "table legacy_orders") != asked.end());
  CHECK(changes(db, m, {}).size() == 4);
}

TEST_CASE("every change reversed twice is itself and add and drop swap",
          "[autogenerate][compare]") {
  const ag::Schema m = model(
      {Table("account", {Column("id", Integer()).primary_key(), Column("name", String(80))})});
  const std::vector<ag::Change> found = ag::compare_schemas(database({kAccount}), m, compare_type);
  REQUIRE(found.size() == 1);
  const ag::Change back = ag::reverse(found[0]);
  CHECK(back.column.type.name == "VARCHAR(50)");
  CHECK(back.existing.type.length == 80);
  CHECK(ag::reverse(back).column.type.length == 80);
  ag::Change add{ag::Change::Kind::kAddTable};
  CHECK(ag::reverse(add).kind == ag::Change::Kind::kDropTable);
}
