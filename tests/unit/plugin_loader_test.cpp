// The plugin loader: every way it refuses a file, each shown with a real tiny
// plugin built in tests/plugins/, and the plugins it must accept (a dialect in
// plain C, a pack of C++ revisions) used through their C tables.
#include "plugin/plugin_loader.hpp"
#include "script/revision_module.hpp"

#include "plugin/host_dialect.hpp"
#include "plugin/host_services.hpp"

#include <fmt/format.h>
#include <retort/abi.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <retort/sink.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string plugin_path(const std::string& file) {
  return std::string(RETORT_TEST_PLUGIN_DIR) + "/" + file;
}

// The refusal load_plugin returns for `file`; fails the test if it loads.
retort::Error refusal(const std::string& file, uint32_t kind) {
  retort::Expected<retort::LoadedPlugin> loaded = retort::load_plugin(plugin_path(file), kind);
  REQUIRE_FALSE(loaded);
  retort::Error error = loaded.error();
  CHECK(error.category() == retort::ErrorCategory::kPlugin);
  return error;
}

retort::LoadedPlugin loaded(const std::string& file, uint32_t kind) {
  retort::Expected<retort::LoadedPlugin> plugin = retort::load_plugin(plugin_path(file), kind);
  INFO(plugin.error().message());
  REQUIRE(plugin);
  return *plugin;
}

std::vector<std::string> list(const char* const* ids) {
  std::vector<std::string> out;
  for (; ids != nullptr && *ids != nullptr; ++ids) out.emplace_back(*ids);
  return out;
}

// Collects what a dialect renders; answers `status` to each statement.
struct StatementRecorder {
  std::vector<std::string> statements;
  int status = RETORT_OK;
  retort_statement_sink sink{sizeof(retort_statement_sink), this, &StatementRecorder::statement};

  static int statement(void* ctx, const char* sql, size_t size) {
    auto* self = static_cast<StatementRecorder*>(ctx);
    self->statements.emplace_back(sql, size);
    return self->status;
  }
};

std::string describe_column(const retort_column& c) {
  std::string text = fmt::format("{} type={}", retort::to_view(c.name), c.type);
  if (c.length != 0) text += fmt::format("({})", c.length);
  if ((c.flags & RETORT_COLUMN_PRIMARY_KEY) != 0) text += " primary_key";
  if ((c.flags & RETORT_COLUMN_NOT_NULL) != 0) text += " not_null";
  return text;
}

// One line per operation, enough to tell what a revision asked for.
std::string describe(const retort_operation& op) {
  const std::string_view table = retort::to_view(op.table);
  const std::string_view name = retort::to_view(op.name);
  std::vector<std::string> parts;
  for (size_t i = 0; i < op.column_count; ++i) parts.push_back(describe_column(*op.columns[i]));
  for (size_t i = 0; i < op.column_name_count; ++i) {
    parts.emplace_back(retort::to_view(op.column_names[i]));
  }
  const std::string columns = fmt::format("{}", fmt::join(parts, ", "));
  switch (op.kind) {
    case RETORT_OP_CREATE_TABLE:
      return fmt::format("create_table {} ({})", table, columns);
    case RETORT_OP_DROP_TABLE:
      return fmt::format("drop_table {}", table);
    case RETORT_OP_ADD_COLUMN:
      return fmt::format("add_column {} {}", table, columns);
    case RETORT_OP_DROP_COLUMN:
      return fmt::format("drop_column {} {}", table, name);
    case RETORT_OP_CREATE_INDEX:
      return fmt::format("create_index {} on {} ({}){}", name, table, columns,
                         (op.flags & RETORT_INDEX_UNIQUE) != 0 ? " unique" : "");
    case RETORT_OP_DROP_INDEX:
      return fmt::format("drop_index {} on {}", name, table);
  }
  return fmt::format("operation {}", op.kind);
}

// The host side of a revision run: records each submitted operation and
// refuses the one at index `refuse_at`, as a failing database would.
struct OperationRecorder {
  std::vector<std::string> operations;
  size_t submitted = 0;
  size_t refuse_at = static_cast<size_t>(-1);
  retort_operations ops{sizeof(retort_operations), this, &OperationRecorder::submit};

  static int submit(void* ctx, const retort_operation* op) {
    auto* self = static_cast<OperationRecorder*>(ctx);
    if (self->submitted++ == self->refuse_at) return RETORT_ERROR;
    self->operations.push_back(describe(*op));
    return RETORT_OK;
  }
};

const retort_revision_module& pack() {
  static const retort_plugin descriptor = loaded("pack.so", RETORT_KIND_REVISIONS).descriptor;
  return *static_cast<const retort_revision_module*>(descriptor.table);
}

// The pack's revision `id`; registration order across files is unspecified.
const retort_revision& pack_revision(const std::string& id) {
  const retort_revision_module& module = pack();
  const retort_revision* found = nullptr;
  for (size_t i = 0; i < module.revision_count; ++i) {
    if (module.revisions[i]->id == id) found = module.revisions[i];
  }
  INFO("pack.so has no revision " << id);
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_CASE("loader refuses a shared object that has no entry symbol", "[loader]") {
  retort::Error error = refusal("no_entry.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': no retort_plugin_entry symbol; this is not a retort plugin",
                    plugin_path("no_entry.so")));
  CHECK(error.hint() == "build revisions with 'retort build' and plugins against the retort SDK");
}

TEST_CASE("loader refuses a plugin whose entry point returns no descriptor", "[loader]") {
  retort::Error error = refusal("null_descriptor.so", RETORT_KIND_DIALECT);
  CHECK(error.message() == fmt::format("cannot load '{}': its entry point returned no descriptor",
                                       plugin_path("null_descriptor.so")));
}

TEST_CASE("loader shows the one-line reason an entry point gives through host refuse", "[loader]") {
  retort::Error error = refusal("refusing_entry.so", RETORT_KIND_DIALECT);
  CHECK(error.category() == retort::ErrorCategory::kPlugin);
  CHECK(error.message() == fmt::format("plugin '{}' refused to load: needs libfoo 2, found 1; "
                                       "install libfoo 2",
                                       plugin_path("refusing_entry.so")));
}

TEST_CASE("loader shows why an sdk dialect failed to start when its constructor throws",
          "[loader]") {
  retort::Error error = refusal("failing_cxx_dialect.so", RETORT_KIND_DIALECT);
  CHECK(error.message() == fmt::format("plugin '{}' refused to load: dialect 'failing' failed to "
                                       "start: RETORT_FAILING_ENV is not set",
                                       plugin_path("failing_cxx_dialect.so")));
}

TEST_CASE("loader ignores host refuse outside an entry point call", "[loader]") {
  const retort_host* host = retort::host_services();
  REQUIRE(host->struct_size >= offsetof(retort_host, refuse) + sizeof host->refuse);
  REQUIRE(host->refuse != nullptr);
  host->refuse(host->ctx, "late", 4);  // no load in progress: nothing to hold it
  // The next entry that returns no descriptor without a reason gets none.
  retort::Error error = refusal("null_descriptor.so", RETORT_KIND_DIALECT);
  CHECK(error.message() == fmt::format("cannot load '{}': its entry point returned no descriptor",
                                       plugin_path("null_descriptor.so")));
}

TEST_CASE("loader refuses a descriptor shorter than ABI 1.0's and gives both sizes", "[loader]") {
  retort::Error error = refusal("short_descriptor.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': its descriptor is {} bytes, smaller than ABI 1.0's {}",
                    plugin_path("short_descriptor.so"), offsetof(retort_plugin, name),
                    offsetof(retort_plugin, table) + sizeof(void*)));
}

TEST_CASE("loader refuses a plugin built for another ABI major and names both versions",
          "[loader]") {
  retort::Error error = refusal("abi_major2.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load dialect plugin 'future' from '{}': built for ABI 2.0, "
                    "host supports 1.x",
                    plugin_path("abi_major2.so")));
  CHECK(error.hint() == "rebuild the plugin against this retort SDK");
}

TEST_CASE("loader refuses a plugin built for a newer ABI minor than the host's", "[loader]") {
  retort::Error error = refusal("abi_newer_minor.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load dialect plugin 'newer' from '{}': built for ABI 1.{}, "
                    "host supports up to 1.{}",
                    plugin_path("abi_newer_minor.so"), RETORT_ABI_MINOR + 1, RETORT_ABI_MINOR));
  CHECK(error.hint() == "upgrade retort, or rebuild the plugin against this host's SDK");
}

TEST_CASE("loader refuses a revision module where a dialect is expected", "[loader]") {
  retort::Error error = refusal("wrong_kind.so", RETORT_KIND_DIALECT);
  CHECK(error.message() == fmt::format("cannot load '{}': it is a revision module, not a dialect "
                                       "plugin",
                                       plugin_path("wrong_kind.so")));

  // The same file is accepted where a revision module is expected.
  retort::LoadedPlugin plugin = loaded("wrong_kind.so", RETORT_KIND_REVISIONS);
  const auto* module = static_cast<const retort_revision_module*>(plugin.descriptor.table);
  CHECK(module->revision_count == 0);
}

TEST_CASE("loader refuses a dialect whose descriptor has no function table", "[loader]") {
  retort::Error error = refusal("null_table.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': its descriptor has no name or no function table",
                    plugin_path("null_table.so")));
}

TEST_CASE("loader refuses a C++ plugin whose entry point throws", "[loader]") {
  retort::Error error = refusal("throwing_entry.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': its entry point threw a C++ exception across the C boundary",
                    plugin_path("throwing_entry.so")));
}

// The reasons in parentheses are dlerror's (glibc 2.36), without the path
// it starts with.
TEST_CASE("loader refuses a file that is not ELF at all", "[loader]") {
  retort::Error error = refusal("not_elf.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': not a loadable shared object (invalid ELF header)",
                    plugin_path("not_elf.so")));
}

TEST_CASE("loader refuses a truncated shared object", "[loader]") {
  retort::Error error = refusal("truncated.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': not a loadable shared object (cannot read file data)",
                    plugin_path("truncated.so")));
}

TEST_CASE("loader refuses a path where no file exists", "[loader]") {
  retort::Error error = refusal("does_not_exist.so", RETORT_KIND_DIALECT);
  CHECK(error.message() ==
        fmt::format("cannot load '{}': no such file", plugin_path("does_not_exist.so")));
}

TEST_CASE("loader refuses a dialect whose function table has no render function", "[loader]") {
  retort::Expected<retort::Dialect> dialect = retort::Dialect::load(plugin_path("null_render.so"));
  REQUIRE_FALSE(dialect);
  CHECK(dialect.error().message() ==
        fmt::format("cannot load dialect 'norender' from '{}': its function table has no URL "
                    "schemes or no render function",
                    plugin_path("null_render.so")));
  CHECK(dialect.error().hint() == "rebuild the plugin against this retort SDK");
}

TEST_CASE("loader refuses a dialect whose function table is shorter than ABI 1.0's", "[loader]") {
  retort::Expected<retort::Dialect> dialect = retort::Dialect::load(plugin_path("short_table.so"));
  REQUIRE_FALSE(dialect);
  CHECK(dialect.error().message() ==
        fmt::format("cannot load dialect 'shorttable' from '{}': its function table is {} bytes, "
                    "smaller than ABI 1.0's {}",
                    plugin_path("short_table.so"), offsetof(retort_dialect, render),
                    offsetof(retort_dialect, redact_url) + sizeof(void*)));
}

TEST_CASE("a dialect's render error reaches the user with the plugin's own message", "[loader]") {
  retort::Expected<retort::Dialect> dialect = retort::Dialect::load(plugin_path("cdialect.so"));
  INFO(dialect.error().message());
  REQUIRE(dialect);
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = RETORT_OP_DROP_COLUMN;
  op.table = retort::to_str("account");
  op.name = retort::to_str("email");
  retort::Expected<std::vector<std::string>> statements = dialect->render(op);
  REQUIRE_FALSE(statements);
  CHECK(statements.error().message() ==
        "dialect 'cdialect' cannot render drop_column: cdialect cannot render this operation");
}

TEST_CASE("loader accepts a dialect written in plain C and its table works through the ABI",
          "[loader]") {
  retort::LoadedPlugin plugin = loaded("cdialect.so", RETORT_KIND_DIALECT);
  CHECK(plugin.path == plugin_path("cdialect.so"));
  CHECK(plugin.descriptor.struct_size == sizeof(retort_plugin));
  CHECK(plugin.descriptor.kind == RETORT_KIND_DIALECT);
  CHECK(plugin.descriptor.abi_major == RETORT_ABI_MAJOR);
  CHECK(plugin.descriptor.abi_minor == RETORT_ABI_MINOR);
  CHECK(std::string(plugin.descriptor.name) == "cdialect");
  CHECK(std::string(plugin.descriptor.version) == "1.0.0");

  const auto& dialect = *static_cast<const retort_dialect*>(plugin.descriptor.table);
  REQUIRE(dialect.struct_size >= sizeof(retort_dialect));
  CHECK(list(dialect.url_schemes) == std::vector<std::string>{"cdialect"});
  CHECK(dialect.flags == RETORT_DIALECT_TRANSACTIONAL_DDL);
  CHECK(std::string(dialect.statement_terminator) == ";");
  CHECK(dialect.batch_separator == nullptr);

  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  retort::StringSink error;

  SECTION("render writes one statement per operation") {
    StatementRecorder out;
    op.kind = RETORT_OP_DROP_TABLE;
    op.table = retort::to_str("account");
    REQUIRE(dialect.render(&op, &out.sink, error.get()) == RETORT_OK);
    op.kind = RETORT_OP_EXECUTE;
    op.table = retort_str{nullptr, 0};
    op.sql = retort::to_str("UPDATE account SET name = 'x'");
    REQUIRE(dialect.render(&op, &out.sink, error.get()) == RETORT_OK);
    CHECK(out.statements ==
          std::vector<std::string>{"DROP TABLE account", "UPDATE account SET name = 'x'"});
    CHECK(error.str().empty());
  }

  SECTION("render refuses an operation it does not know, with a message") {
    StatementRecorder out;
    op.kind = RETORT_OP_DROP_COLUMN;
    op.table = retort::to_str("account");
    op.name = retort::to_str("email");
    CHECK(dialect.render(&op, &out.sink, error.get()) == RETORT_UNSUPPORTED);
    CHECK(error.str() == "cdialect cannot render this operation");
    CHECK(out.statements.empty());
  }

  SECTION("render stops when the statement sink aborts") {
    StatementRecorder out;
    out.status = RETORT_ABORTED;
    op.kind = RETORT_OP_CREATE_TABLE;
    op.table = retort::to_str("account");
    CHECK(dialect.render(&op, &out.sink, error.get()) == RETORT_ABORTED);
  }

  SECTION("connection_string writes into the caller's sink") {
    const std::string url = "cdialect:///tmp/app.db";
    retort::StringSink out;
    REQUIRE(dialect.connection_string(url.data(), url.size(), out.get(), error.get()) == RETORT_OK);
    CHECK(out.str() == "Driver=cdialect;Database=/tmp/app.db");

    const std::string other = "sqlite:///tmp/app.db";
    retort::StringSink unused;
    CHECK(dialect.connection_string(other.data(), other.size(), unused.get(), error.get()) ==
          RETORT_INVALID);
    CHECK(error.str() == "not a cdialect URL");
  }
}

TEST_CASE("loader lists every revision of a pack built from two C++ files", "[loader]") {
  const retort_revision_module& module = pack();
  REQUIRE(module.struct_size >= sizeof(retort_revision_module));
  REQUIRE(module.revision_count == 3);

  const retort_revision& base = pack_revision("aaaa1111");
  CHECK(base.struct_size == sizeof(retort_revision));
  CHECK(list(base.down_revisions).empty());
  CHECK(list(base.branch_labels) == std::vector<std::string>{"accounts"});
  CHECK(list(base.depends_on).empty());
  CHECK(std::string(base.message) == "create account table");
  CHECK(std::string(base.create_date) == "2026-01-01 10:00:00");

  const retort_revision& next = pack_revision("bbbb2222");
  CHECK(list(next.down_revisions) == std::vector<std::string>{"aaaa1111"});
  CHECK(list(next.branch_labels).empty());
  CHECK(std::string(next.message) == "add account email");

  const retort_revision& failing = pack_revision("cccc3333");
  CHECK(list(failing.down_revisions) == std::vector<std::string>{"bbbb2222"});
  CHECK(std::string(failing.create_date).empty());
}

TEST_CASE("a pack revision submits its operations to the host in order", "[loader]") {
  OperationRecorder host;
  retort::StringSink error;

  SECTION("the base revision creates its table") {
    const retort_revision& base = pack_revision("aaaa1111");
    REQUIRE(base.upgrade(&base, &host.ops, error.get()) == RETORT_OK);
    CHECK(host.operations ==
          std::vector<std::string>{fmt::format(
              "create_table account (id type={} primary_key, name type={}(50) not_null)",
              RETORT_TYPE_INTEGER, RETORT_TYPE_STRING)});
  }

  SECTION("upgrade and downgrade of the second revision mirror each other") {
    const retort_revision& next = pack_revision("bbbb2222");
    REQUIRE(next.upgrade(&next, &host.ops, error.get()) == RETORT_OK);
    REQUIRE(next.downgrade(&next, &host.ops, error.get()) == RETORT_OK);
    CHECK(host.operations ==
          std::vector<std::string>{
              fmt::format("add_column account email type={}(120)", RETORT_TYPE_STRING),
              "create_index ix_account_email on account (email) unique",
              "drop_index ix_account_email on account",
              "drop_column account email",
          });
  }
  CHECK(error.str().empty());
}

TEST_CASE("a revision whose upgrade throws returns RETORT_ERROR with the message", "[loader]") {
  const retort_revision& failing = pack_revision("cccc3333");
  OperationRecorder host;
  retort::StringSink error;
  CHECK(failing.upgrade(&failing, &host.ops, error.get()) == RETORT_ERROR);
  CHECK(error.str() == "cccc3333 fails on purpose");
  CHECK(host.operations.empty());
}

TEST_CASE("a revision stops with RETORT_ABORTED when the host refuses an operation", "[loader]") {
  const retort_revision& next = pack_revision("bbbb2222");
  OperationRecorder host;
  host.refuse_at = 0;
  retort::StringSink error;
  CHECK(next.upgrade(&next, &host.ops, error.get()) == RETORT_ABORTED);
  CHECK(host.submitted == 1);  // the second operation was never submitted
  CHECK(error.str().empty());  // the host already holds the reason
}

TEST_CASE("a revision without a downgrade answers RETORT_UNSUPPORTED", "[loader]") {
  const retort_revision& failing = pack_revision("cccc3333");
  OperationRecorder host;
  retort::StringSink error;
  CHECK(failing.downgrade(&failing, &host.ops, error.get()) == RETORT_UNSUPPORTED);
  CHECK(error.str() == "the revision defines no function for this direction");
}

TEST_CASE("a revision module whose table claims revisions and has no array is refused",
          "[loader][revision_module]") {
  auto module = retort::load_revision_module(plugin_path("null_revisions.so"));
  REQUIRE_FALSE(module);
  CHECK(module.error().category() == retort::ErrorCategory::kPlugin);
  CHECK(module.error().message() ==
        fmt::format("cannot load '{}': its revision table claims 1 revisions and has no array "
                    "of them",
                    plugin_path("null_revisions.so")));
}

TEST_CASE("a revision module whose table is shorter than abi 1.0's is refused",
          "[loader][revision_module]") {
  auto module = retort::load_revision_module(plugin_path("short_revision_table.so"));
  REQUIRE_FALSE(module);
  CHECK_THAT(module.error().message(),
             Catch::Contains("its revision table is 4 bytes, shorter than ABI 1.0's"));
}
