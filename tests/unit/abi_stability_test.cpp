// The ABI's promise, shown with real plugins from tests/plugins/: plugins
// built against ABI 1.0, 1.1, 1.2 or 1.3 as released keep loading and
// working in today's host;
// plugins built by another compiler (clang) load in the g++-built host; every
// bad plugin is refused with one line naming its file; and what a plugin
// throws reaches the host as a status and a message, never as a crash.
// (That today's abi.h keeps the released layouts is checked when building:
// tests/abi/abi_frozen_check.c.)
#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"
#include "plugin/plugin_loader.hpp"
#include "runtime/migration_context.hpp"

#include <retort/abi.h>
#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/sink.hpp>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kPlugins = RETORT_TEST_PLUGIN_DIR;
const std::string kV10Dialects = kPlugins + "/v1_0/dialects";
const std::string kV10Dialect = kV10Dialects + "/v10sqlite.so";
const std::string kV10Revisions = kPlugins + "/v1_0/v1_0_revisions.so";
// tests/plugins/cdialect.c built against the frozen ABI 1.1, 1.2 and 1.3 headers.
const std::string kV11Dialect = kPlugins + "/v1_1/v1_1_dialect.so";
const std::string kV12Dialect = kPlugins + "/v1_2/v1_2_dialect.so";
const std::string kV13Dialect = kPlugins + "/v1_3/v1_3_dialect.so";

// ABI 1.0's retort_operation ended with old_version.
constexpr uint32_t kOperationV1Size = offsetof(retort_operation, old_version) + sizeof(retort_str);

retort::Dialect load_dialect(const std::string& path) {
  retort::Expected<retort::Dialect> dialect = retort::Dialect::load(path);
  INFO(dialect.error().message());
  REQUIRE(dialect);
  return std::move(*dialect);
}

retort::LoadedPlugin load(const std::string& path, uint32_t kind) {
  retort::Expected<retort::LoadedPlugin> plugin = retort::load_plugin(path, kind);
  INFO(plugin.error().message());
  REQUIRE(plugin);
  return *plugin;
}

std::vector<std::string> render(const retort::Dialect& dialect, const retort_operation& op) {
  retort::Expected<std::vector<std::string>> statements = dialect.render(op);
  INFO(statements.error().message());
  REQUIRE(statements);
  return *statements;
}

// The message of a render that must fail.
std::string render_error(const retort::Dialect& dialect, const retort_operation& op) {
  retort::Expected<std::vector<std::string>> statements = dialect.render(op);
  REQUIRE_FALSE(statements);
  return statements.error().message();
}

// An operation as today's host builds it, today's size (1.1's: ABI 1.2 added
// no field to it).
retort_operation operation(uint32_t kind, const char* table) {
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = kind;
  op.table = retort::to_str(table);
  return op;
}

retort_column column(const char* name, uint32_t type, uint32_t flags) {
  retort_column c{};
  c.struct_size = sizeof(retort_column);
  c.name = retort::to_str(name);
  c.type = type;
  c.flags = flags;
  return c;
}

const retort_revision& revision(const retort_revision_module& module, const std::string& id) {
  for (size_t i = 0; i < module.revision_count; ++i) {
    if (module.revisions[i]->id == id) return *module.revisions[i];
  }
  FAIL("the module has no revision " << id);
  throw;  // not reached
}

const retort_revision_module& v10_module() {
  static const retort_plugin descriptor = load(kV10Revisions, RETORT_KIND_REVISIONS).descriptor;
  return *static_cast<const retort_revision_module*>(descriptor.table);
}

// Today's host side of a revision run: today's retort_operations whose submit
// renders each operation with `dialect`, keeping the size it was handed.
struct RenderingHost {
  const retort::Dialect* dialect;
  std::vector<uint32_t> sizes;
  std::vector<std::string> statements;
  retort::Error error;
  retort_operations ops{sizeof(retort_operations), this, &RenderingHost::submit,
                        RETORT_OPERATIONS_OFFLINE, nullptr};

  static int submit(void* ctx, const retort_operation* op) {
    auto* self = static_cast<RenderingHost*>(ctx);
    self->sizes.push_back(op->struct_size);
    retort::Expected<std::vector<std::string>> out = self->dialect->render(*op);
    if (!out) {
      self->error = out.take_error();
      return RETORT_ERROR;
    }
    self->statements.insert(self->statements.end(), out->begin(), out->end());
    return RETORT_OK;
  }
};

// A migration environment in a fresh temp directory whose versions/ holds
// the prebuilt ABI 1.0 module (newer than its placeholder source, so nothing
// is compiled), as operations teams deploy modules built elsewhere.
struct V10Environment {
  V10Environment() {
    std::random_device rd;
    dir = fs::temp_directory_path() / fmt::format("retort-abi-{}", rd());
    const fs::path versions = dir / "versions";
    // Built long ago from tests/plugins/v1_0_revisions.c against ABI 1.0 and
    // placed in the version location without its source: loaded as it is.
    fs::create_directories(versions / "build");
    fs::copy_file(kV10Revisions, versions / "build" / "v1_0_chain.so");
    cfg.set_main_option("script_location", dir.string());
    cfg.set_main_option("plugin_path", kV10Dialects);
    cfg.set_output(out);
  }
  ~V10Environment() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::string db() const { return (dir / "app.db").string(); }

  // The first column of `sql`'s rows, read through the SQLite ODBC driver.
  std::vector<std::string> query(const std::string& sql) const {
    auto connection = retort::OdbcConnection::connect("Driver=SQLite3;Database=" + db(), "app.db");
    INFO(connection.error().message());
    REQUIRE(connection);
    auto rows = connection->query_column(sql);
    INFO(rows.error().message());
    REQUIRE(rows);
    std::vector<std::string> values;
    for (auto& value : *rows) values.push_back(value.value_or("NULL"));
    return values;
  }

  fs::path dir;
  retort::Config cfg;
  std::ostringstream out;
};

bool built_by_clang(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return bytes.find("clang version") != std::string::npos;
}

}  // namespace

// ---- ABI 1.0 plugins in today's host -----------------------------------------

TEST_CASE("a dialect built against abi 1.0 loads in today's host", "[abi][v1_0]") {
  const retort::LoadedPlugin plugin = load(kV10Dialect, RETORT_KIND_DIALECT);
  CHECK(plugin.descriptor.abi_major == 1);
  CHECK(plugin.descriptor.abi_minor == 0);

  const retort::Dialect dialect = load_dialect(kV10Dialect);
  CHECK(dialect.name() == "v10sqlite");
  CHECK(dialect.url_schemes() == std::vector<std::string>{"v10sqlite"});
  CHECK(dialect.capabilities().transactional_ddl);
  CHECK(dialect.statement_terminator() == ";");
}

TEST_CASE("an abi 1.0 dialect renders create_table from a 1.1-sized operation, ignoring 1.1 fields",
          "[abi][v1_0]") {
  const retort::Dialect dialect = load_dialect(kV10Dialect);
  retort_column id = column("id", RETORT_TYPE_INTEGER, RETORT_COLUMN_PRIMARY_KEY);
  retort_column name = column("name", RETORT_TYPE_STRING, RETORT_COLUMN_NOT_NULL);
  name.length = 50;
  name.server_default = retort::to_str("anon");
  name.comment = retort::to_str("1.1 only: a column comment");
  const retort_column* columns[] = {&id, &name};
  const retort_str checked[] = {retort::to_str("name")};
  retort_constraint unique{};
  unique.struct_size = sizeof unique;
  unique.kind = RETORT_CONSTRAINT_UNIQUE;
  unique.columns = checked;
  unique.column_count = 1;
  const retort_constraint* constraints[] = {&unique};

  retort_operation op = operation(RETORT_OP_CREATE_TABLE, "account");
  op.columns = columns;
  op.column_count = 2;
  op.constraints = constraints;  // 1.1 fields the 1.0 plugin cannot see
  op.constraint_count = 1;
  op.comment = retort::to_str("1.1 only: a table comment");
  REQUIRE(op.struct_size > kOperationV1Size);

  CHECK(render(dialect, op) ==
        std::vector<std::string>{"CREATE TABLE \"account\" (\"id\" INTEGER NOT NULL, \"name\" "
                                 "VARCHAR(50) DEFAULT 'anon' NOT NULL, PRIMARY KEY (\"id\"))"});
}

TEST_CASE("an abi 1.0 dialect renders every version-table operation for today's host",
          "[abi][v1_0]") {
  const retort::Dialect dialect = load_dialect(kV10Dialect);
  retort_operation op = operation(RETORT_OP_CREATE_VERSION_TABLE, "retort_version");
  CHECK(render(dialect, op) ==
        std::vector<std::string>{"CREATE TABLE \"retort_version\" (version_num VARCHAR(32) NOT "
                                 "NULL, PRIMARY KEY (version_num))"});
  op.kind = RETORT_OP_INSERT_VERSION;
  op.version = retort::to_str("b1");
  CHECK(render(dialect, op) ==
        std::vector<std::string>{"INSERT INTO \"retort_version\" (version_num) VALUES ('b1')"});
  op.kind = RETORT_OP_UPDATE_VERSION;
  op.old_version = retort::to_str("a1");
  CHECK(render(dialect, op) ==
        std::vector<std::string>{"UPDATE \"retort_version\" SET version_num = 'b1' WHERE "
                                 "\"retort_version\".version_num = 'a1'"});
  op.kind = RETORT_OP_DELETE_VERSION;
  CHECK(render(dialect, op) == std::vector<std::string>{"DELETE FROM \"retort_version\" WHERE "
                                                        "\"retort_version\".version_num = 'b1'"});
  op.kind = RETORT_OP_SELECT_VERSIONS;
  CHECK(render(dialect, op) ==
        std::vector<std::string>{"SELECT \"retort_version\".version_num FROM \"retort_version\""});
}

TEST_CASE("an abi 1.0 dialect refuses an operation added in 1.1, and the host names it",
          "[abi][v1_0]") {
  const retort::Dialect dialect = load_dialect(kV10Dialect);
  retort_operation op = operation(RETORT_OP_RENAME_TABLE, "account");
  op.name = retort::to_str("customer");
  CHECK(render_error(dialect, op) ==
        "dialect 'v10sqlite' cannot render rename_table: v10sqlite knows only ABI 1.0, not "
        "operation 8 or its types");
}

TEST_CASE("a revision module built against abi 1.0 loads and lists its revisions", "[abi][v1_0]") {
  const retort::LoadedPlugin plugin = load(kV10Revisions, RETORT_KIND_REVISIONS);
  CHECK(plugin.descriptor.abi_minor == 0);
  const retort_revision_module& module = v10_module();
  REQUIRE(module.revision_count == 2);
  const retort_revision& next = revision(module, "b10000000002");
  CHECK(next.struct_size == offsetof(retort_revision, downgrade) + sizeof(retort_migrate_fn));
  CHECK(std::string(next.down_revisions[0]) == "a10000000001");
  CHECK(next.down_revisions[1] == nullptr);
  CHECK(std::string(next.message) == "add account email");
}

TEST_CASE("an abi 1.0 revision submits 1.0-sized operations that today's sqlite dialect renders",
          "[abi][v1_0]") {
  const retort::Dialect sqlite = load_dialect(std::string(RETORT_TEST_DIALECT_DIR) + "/sqlite.so");
  RenderingHost host{&sqlite};
  retort::StringSink error;
  const retort_revision& base = revision(v10_module(), "a10000000001");
  const retort_revision& next = revision(v10_module(), "b10000000002");
  REQUIRE(base.upgrade(&base, &host.ops, error.get()) == RETORT_OK);
  REQUIRE(next.upgrade(&next, &host.ops, error.get()) == RETORT_OK);
  REQUIRE(next.downgrade(&next, &host.ops, error.get()) == RETORT_OK);
  CHECK(error.str().empty());
  CHECK(host.sizes == std::vector<uint32_t>(5, kOperationV1Size));
  REQUIRE(host.statements.size() >= 5);
  CHECK(host.statements.front().starts_with("CREATE TABLE account ("));
  CHECK(host.statements.back() == "ALTER TABLE account DROP COLUMN email");
}

TEST_CASE("abi 1.0 dialect and revisions upgrade and downgrade a SQLite database via today's host",
          "[abi][v1_0][sqlite]") {
  V10Environment env;
  env.cfg.set_main_option("url", "v10sqlite:///" + env.db());

  SECTION("online") {
    retort::Error err = retort::command::upgrade(env.cfg, "head");
    INFO(err.message() << "\n" << env.out.str());
    REQUIRE_FALSE(err);
    CHECK(env.query("SELECT version_num FROM retort_version") ==
          std::vector<std::string>{"b10000000002"});
    CHECK(env.query("SELECT name FROM pragma_table_info('account') ORDER BY cid") ==
          std::vector<std::string>{"id", "name", "created", "email"});
    CHECK(env.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                    "'account' AND sql IS NOT NULL") ==
          std::vector<std::string>{"ix_account_email"});

    err = retort::command::downgrade(env.cfg, "base");
    INFO(err.message());
    REQUIRE_FALSE(err);
    CHECK(env.query("SELECT count(*) FROM retort_version") == std::vector<std::string>{"0"});
    CHECK(env.query("SELECT count(*) FROM sqlite_master WHERE name = 'account'") ==
          std::vector<std::string>{"0"});
  }

  SECTION("offline, as an SQL script") {
    retort::Error err = retort::command::upgrade(env.cfg, "head", {.sql = true});
    INFO(err.message());
    REQUIRE_FALSE(err);
    const std::string script = env.out.str();
    CHECK(script.find("CREATE TABLE \"account\" (\"id\" INTEGER NOT NULL, \"name\" VARCHAR(50) "
                      "NOT NULL, \"created\" DATETIME DEFAULT (CURRENT_TIMESTAMP), PRIMARY KEY "
                      "(\"id\"));") != std::string::npos);
    CHECK(script.find("CREATE UNIQUE INDEX \"ix_account_email\" ON \"account\" (\"email\");") !=
          std::string::npos);
    CHECK(script.find("UPDATE \"retort_version\" SET version_num = 'b10000000002' WHERE "
                      "\"retort_version\".version_num = 'a10000000001';") != std::string::npos);
    CHECK_FALSE(fs::exists(env.db()));
  }
}

TEST_CASE("abi 1.0 revisions upgrade a SQLite database through today's built-in dialect",
          "[abi][v1_0][sqlite]") {
  V10Environment env;
  env.cfg.set_main_option("url", "sqlite:///" + env.db());
  retort::Error err = retort::command::upgrade(env.cfg, "head");
  INFO(err.message());
  REQUIRE_FALSE(err);
  CHECK(env.query("SELECT version_num FROM retort_version") ==
        std::vector<std::string>{"b10000000002"});
  CHECK(env.query("SELECT name FROM pragma_table_info('account') ORDER BY cid") ==
        std::vector<std::string>{"id", "name", "created", "email"});
}

// ---- ABI 1.1 plugins in today's host -----------------------------------------

TEST_CASE("a dialect built against abi 1.1 loads in today's host and renders through it",
          "[abi][v1_1]") {
  const retort::LoadedPlugin plugin = load(kV11Dialect, RETORT_KIND_DIALECT);
  CHECK(plugin.descriptor.abi_major == 1);
  CHECK(plugin.descriptor.abi_minor == 1);
  // Its flags are 1.1's: a 1.1 plugin never sets LOCK_IS_TRANSACTION (1.2).
  const auto& table = *static_cast<const retort_dialect*>(plugin.descriptor.table);
  CHECK(table.flags == RETORT_DIALECT_TRANSACTIONAL_DDL);

  const retort::Dialect dialect = load_dialect(kV11Dialect);
  CHECK(dialect.name() == "cdialect");
  CHECK(dialect.abi_minor() == 1);
  CHECK(dialect.capabilities().transactional_ddl);
  CHECK(render(dialect, operation(RETORT_OP_CREATE_TABLE, "account")) ==
        std::vector<std::string>{"CREATE TABLE account"});
  retort_operation execute = operation(RETORT_OP_EXECUTE, "");
  execute.sql = retort::to_str("UPDATE account SET name = 'x'");
  CHECK(render(dialect, execute) == std::vector<std::string>{"UPDATE account SET name = 'x'"});
  retort_operation rename = operation(RETORT_OP_RENAME_TABLE, "account");
  rename.name = retort::to_str("customer");
  CHECK(render_error(dialect, rename) ==
        "dialect 'cdialect' cannot render rename_table: cdialect cannot render this operation");

  retort::Expected<std::string> connection =
      dialect.connection_string(*retort::DatabaseUrl::parse("cdialect:///tmp/x.db"));
  INFO(connection.error().message());
  REQUIRE(connection);
  CHECK(*connection == "Driver=cdialect;Database=/tmp/x.db");
}

// ---- ABI 1.2 and 1.3 plugins in today's host ---------------------------------

TEST_CASE("dialects built against abi 1.2 and 1.3 as released load in today's host and render",
          "[abi][v1_2][v1_3]") {
  for (const auto& [path, minor] : {std::pair{kV12Dialect, 2}, std::pair{kV13Dialect, 3}}) {
    INFO(path);
    const retort::LoadedPlugin plugin = load(path, RETORT_KIND_DIALECT);
    CHECK(plugin.descriptor.abi_major == 1);
    CHECK(plugin.descriptor.abi_minor == minor);
    const retort::Dialect dialect = load_dialect(path);
    CHECK(dialect.name() == "cdialect");
    CHECK(dialect.capabilities().script_lock);
    CHECK(dialect.capabilities().catalog == (minor >= 3));
    CHECK(render(dialect, operation(RETORT_OP_CREATE_TABLE, "account")) ==
          std::vector<std::string>{"CREATE TABLE account"});
  }
}

// ---- Plugins built by another compiler ----------------------------------------

TEST_CASE("plugins built by clang load in the g++-built host and render as g++'s do",
          "[abi][compiler]") {
  if (!RETORT_TEST_HAVE_CLANG) {
    WARN("clang was not found when configuring; skipped (scripts/install-deps.sh --all)");
    return;
  }
  const std::string c_path = kPlugins + "/clang/cdialect.so";
  const std::string cxx_path = kPlugins + "/clang/cxx_dialect.so";
  CHECK(built_by_clang(c_path));
  CHECK(built_by_clang(cxx_path));
  CHECK_FALSE(built_by_clang(kPlugins + "/cxx_dialect.so"));

  const retort::Dialect c_dialect = load_dialect(c_path);
  retort_operation drop = operation(RETORT_OP_DROP_TABLE, "account");
  CHECK(render(c_dialect, drop) == std::vector<std::string>{"DROP TABLE account"});

  const retort::Dialect by_clang = load_dialect(cxx_path);
  const retort::Dialect by_gxx = load_dialect(kPlugins + "/cxx_dialect.so");
  CHECK(by_clang.name() == "tiny");
  retort_column id = column("id", RETORT_TYPE_INTEGER, RETORT_COLUMN_PRIMARY_KEY);
  retort_column email = column("e-mail", RETORT_TYPE_STRING, 0);
  email.length = 120;
  const retort_column* columns[] = {&id, &email};
  retort_operation create = operation(RETORT_OP_CREATE_TABLE, "account");
  create.columns = columns;
  create.column_count = 2;
  const std::vector<std::string> statements = render(by_clang, create);
  REQUIRE_FALSE(statements.empty());
  CHECK(statements.front().starts_with("CREATE TABLE account ("));
  CHECK(statements == render(by_gxx, create));
}

// ---- Exceptions stop at the boundary ------------------------------------------

TEST_CASE("what a C++ dialect throws reaches the host as a status and a message",
          "[abi][exceptions]") {
  std::vector<std::string> builds = {kPlugins + "/cxx_dialect.so"};
  if (RETORT_TEST_HAVE_CLANG) builds.push_back(kPlugins + "/clang/cxx_dialect.so");
  for (const std::string& path : builds) {
    INFO(path);
    const retort::Dialect dialect = load_dialect(path);
    retort_operation rename = operation(RETORT_OP_RENAME_TABLE, "account");
    rename.name = retort::to_str("customer");
    CHECK(render_error(dialect, rename) ==
          "dialect 'tiny' cannot render rename_table: tiny cannot rename tables");
    CHECK(render_error(dialect, operation(RETORT_OP_DROP_TABLE, "account")) ==
          "dialect 'tiny' cannot render drop_table: tiny keeps every table");
    retort_operation drop_column = operation(RETORT_OP_DROP_COLUMN, "account");
    drop_column.name = retort::to_str("email");
    CHECK(render_error(dialect, drop_column) ==
          "dialect 'tiny' cannot render drop_column: unknown exception");

    retort::Expected<std::string> connection =
        dialect.connection_string(*retort::DatabaseUrl::parse("tiny://host"));
    REQUIRE_FALSE(connection);
    CHECK(connection.error().message() ==
          "dialect 'tiny' cannot connect to 'tiny://host': a tiny URL names a database");

    // The statuses behind those messages, at the C boundary itself.
    const retort::LoadedPlugin plugin = load(path, RETORT_KIND_DIALECT);
    const auto& table = *static_cast<const retort_dialect*>(plugin.descriptor.table);
    retort_statement_sink sink{sizeof sink, nullptr,
                               [](void*, const char*, size_t) { return RETORT_OK; }, nullptr};
    retort::StringSink error;
    CHECK(table.render(&rename, &sink, error.get()) == RETORT_UNSUPPORTED);
    retort_operation drop = operation(RETORT_OP_DROP_TABLE, "account");
    CHECK(table.render(&drop, &sink, error.get()) == RETORT_ERROR);
    CHECK(table.render(&drop_column, &sink, error.get()) == RETORT_ERROR);
  }
}

TEST_CASE("what a C++ revision throws reaches the host as a status and a message",
          "[abi][exceptions]") {
  const retort::LoadedPlugin plugin =
      load(kPlugins + "/throwing_revisions.so", RETORT_KIND_REVISIONS);
  const auto& module = *static_cast<const retort_revision_module*>(plugin.descriptor.table);
  const retort_revision& rev = revision(module, "dddd4444");
  const retort::Dialect sqlite = load_dialect(std::string(RETORT_TEST_DIALECT_DIR) + "/sqlite.so");

  SECTION("at the C boundary") {
    RenderingHost host{&sqlite};
    retort::StringSink up;
    CHECK(rev.upgrade(&rev, &host.ops, up.get()) == RETORT_ERROR);
    CHECK(up.str() == "the revision threw an exception that is not a std::exception");
    retort::StringSink down;
    CHECK(rev.downgrade(&rev, &host.ops, down.get()) == RETORT_ERROR);
    CHECK(down.str() == "dddd4444 cannot go down");
    CHECK(host.statements == std::vector<std::string>{"DROP TABLE account"});
  }

  SECTION("through a migration run") {
    retort::Revision r;
    r.id = "dddd4444";
    r.module = &rev;
    std::ostringstream script;
    std::ostringstream log;
    retort::MigrationContext ctx =
        retort::MigrationContext::offline(sqlite, script, "retort_version", {});
    retort::Error err = ctx.run({retort::MigrationStep{&r, true, {}, {"dddd4444"}}}, log);
    REQUIRE(err);
    CHECK(err.message() ==
          "revision 'dddd4444' failed (upgrade  -> dddd4444): the revision threw "
          "an exception that is not a std::exception");
  }
}

// ---- Refusals -----------------------------------------------------------------

TEST_CASE("every bad plugin is refused with one line that names its file", "[abi][loader]") {
  const std::vector<std::string> bad = {
      "no_entry.so",        "null_descriptor.so", "short_descriptor.so", "abi_major2.so",
      "abi_newer_minor.so", "wrong_kind.so",      "null_table.so",       "throwing_entry.so",
      "not_elf.so",         "truncated.so",       "null_render.so",      "short_table.so",
      "does_not_exist.so"};
  for (const std::string& file : bad) {
    const std::string path = kPlugins + "/" + file;
    INFO(path);
    retort::Expected<retort::Dialect> dialect = retort::Dialect::load(path);
    REQUIRE_FALSE(dialect);
    const retort::Error& error = dialect.error();
    CHECK(error.category() == retort::ErrorCategory::kPlugin);
    CHECK(error.message().starts_with("cannot load "));
    CHECK(error.message().find("'" + path + "'") != std::string::npos);
    CHECK(error.message().find('\n') == std::string::npos);
    CHECK(error.hint().find('\n') == std::string::npos);
  }
}
