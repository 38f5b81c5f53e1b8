// What the dialect tests share: each built dialect plugin loaded once, and
// operations rendered the way a revision sends them, through the SDK's
// retort::Operations, by a small host that has the dialect render each one.
//
//   Rendered r = render(loaded_dialect("postgresql"), [](retort::Operations& op) {
//     op.alter_column("t", "c", {.type = retort::Integer(), .using_expression = "c::integer"});
//   });
//   CHECK(r.statements == std::vector<std::string>{...});  // or r.error == "dialect ..."
//
// raw_operation() is the escape hatch for what Operations never sends: the
// host's own version-table operations, or a deliberately malformed operation.
#ifndef RETORT_TESTS_DIALECT_TEST_SUPPORT_HPP
#define RETORT_TESTS_DIALECT_TEST_SUPPORT_HPP

#include "plugin/host_dialect.hpp"

#include <retort/abi.h>
#include <retort/operations.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dialect_test {

// The dialect built as RETORT_TEST_DIALECT_DIR/<name>.so, loaded once per run;
// or, with RETORT_TEST_DIALECTS=<dir> in the environment, <dir>/<name>.so, so
// that the same tests check the dialects built by another compiler
// (tests/clang/). Dialects that model the tables a script creates (sqlite)
// keep that model across the tests of a run, as they keep it across the
// revisions of a script.
inline const retort::Dialect& loaded_dialect(const char* name) {
  static std::map<std::string, retort::Dialect> loaded;
  auto found = loaded.find(name);
  if (found == loaded.end()) {
    const char* from = std::getenv("RETORT_TEST_DIALECTS");
    const std::string dir = from != nullptr && *from != '\0' ? from : RETORT_TEST_DIALECT_DIR;
    retort::Expected<retort::Dialect> dialect = retort::Dialect::load(dir + "/" + name + ".so");
    INFO(dialect.error().message());
    REQUIRE(dialect);
    found = loaded.emplace(name, *dialect).first;
  }
  return found->second;
}

// The dialect's connection string for `url`, parsed as a run parses it (a
// URL refused then gives that error).
inline retort::Expected<std::string> connect_to(const retort::Dialect& dialect,
                                                const std::string& url) {
  auto parsed = retort::DatabaseUrl::parse(url);
  if (!parsed) return parsed.take_error();
  return dialect.connection_string(*parsed);
}

// The dialect a run chooses for `url`, parsed as a run parses it (a URL
// refused then gives that error).
inline retort::Expected<retort::Dialect> dialect_for(const std::string& url,
                                                     const retort::Config& cfg) {
  auto parsed = retort::DatabaseUrl::parse(url);
  if (!parsed) return parsed.take_error();
  return retort::Dialect::for_url(*parsed, cfg);
}

// `url` as the dialect shows it.
inline std::string redacted(const retort::Dialect& dialect, const std::string& url) {
  auto parsed = retort::DatabaseUrl::parse(url);
  INFO(parsed.error().message());
  REQUIRE(parsed);
  return dialect.redact(*parsed);
}

// The connection string of a URL the dialect must accept, or the message of
// one it must refuse.
inline std::string connection_string(const retort::Dialect& dialect, const std::string& url) {
  retort::Expected<std::string> text = connect_to(dialect, url);
  INFO(text.error().message());
  REQUIRE(text);
  return *text;
}

inline std::string connection_error(const retort::Dialect& dialect, const std::string& url) {
  retort::Expected<std::string> text = connect_to(dialect, url);
  REQUIRE_FALSE(text);
  return text.error().message();
}

// What a revision rendered to: the statements of every operation that
// rendered, in order, and the host's message for the one that failed ("" when
// none did). The first failure stops the revision, as it stops a migration.
struct Rendered {
  std::vector<std::string> statements;
  std::string error;
};

using Revision = std::function<void(retort::Operations&)>;

namespace detail {

struct TestHost {
  const retort::Dialect* dialect;
  Rendered rendered;
  const retort::Dialect::QueryFn* query = nullptr;  // online: the database's answers

  static int submit(void* ctx, const retort_operation* op) {
    auto* host = static_cast<TestHost*>(ctx);
    retort::Expected<std::vector<std::string>> statements = host->dialect->render(*op, host->query);
    if (!statements) {
      host->rendered.error = statements.error().message();
      return RETORT_ERROR;
    }
    for (std::string& statement : *statements) {
      host->rendered.statements.push_back(std::move(statement));
    }
    return RETORT_OK;
  }
};

}  // namespace detail

// Runs `revision` against an offline host (an --sql script: no queries) whose
// submit has `dialect` render each operation.
inline Rendered render(const retort::Dialect& dialect, const Revision& revision) {
  detail::TestHost host{&dialect, {}};
  retort_operations operations{};
  operations.struct_size = sizeof(retort_operations);
  operations.ctx = &host;
  operations.submit = &detail::TestHost::submit;
  operations.flags = RETORT_OPERATIONS_OFFLINE;
  operations.query = nullptr;
  retort::Operations op(&operations);
  try {
    revision(op);
  } catch (const retort::detail::HostAborted&) {
    // The host holds the reason in host.rendered.error.
  }
  return std::move(host.rendered);
}

// The database an online host lets the dialect read while rendering: the
// rows each query the dialect asks gets.
using Database = std::function<retort::Rows(const std::string& sql)>;

// Runs `revision` as an online migration does, where the dialect may read
// `database` while it renders (e.g. its catalog); the revision itself
// cannot query.
inline Rendered render_online(const retort::Dialect& dialect, const Database& database,
                              const Revision& revision) {
  const retort::Dialect::QueryFn query =
      [&](const std::string& sql) -> retort::Expected<retort::Rows> { return database(sql); };
  detail::TestHost host{&dialect, {}, &query};
  retort_operations operations{};
  operations.struct_size = sizeof(retort_operations);
  operations.ctx = &host;
  operations.submit = &detail::TestHost::submit;
  retort::Operations op(&operations);
  try {
    revision(op);
  } catch (const retort::detail::HostAborted&) {
    // The host holds the reason in host.rendered.error.
  }
  return std::move(host.rendered);
}

// An operation built by hand: struct_size, kind and table (absent if
// `table` is), every other field zero; set the rest directly. The strings it
// points to are the caller's and must outlive it.
inline retort_operation raw_operation(uint32_t kind, std::string_view table) {
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = kind;
  op.table = retort::to_str(table);
  return op;
}

inline Rendered render(const retort::Dialect& dialect, const retort_operation& op) {
  detail::TestHost host{&dialect, {}};
  detail::TestHost::submit(&host, &op);
  return std::move(host.rendered);
}

// For a revision or a raw operation that must render: its statements, or
// exactly one statement; the test stops with the dialect's message otherwise.
template <typename Source>
std::vector<std::string> render_all(const retort::Dialect& dialect, const Source& ops) {
  Rendered rendered = render(dialect, ops);
  INFO(rendered.error);
  REQUIRE(rendered.error.empty());
  return std::move(rendered.statements);
}

template <typename Source>
std::string render_one(const retort::Dialect& dialect, const Source& ops) {
  std::vector<std::string> statements = render_all(dialect, ops);
  REQUIRE(statements.size() == 1);
  return std::move(statements[0]);
}

// For one that must fail: the host's message, "dialect '<name>' cannot
// render <operation>: <the dialect's reason>".
template <typename Source>
std::string render_error(const retort::Dialect& dialect, const Source& ops) {
  Rendered rendered = render(dialect, ops);
  INFO("rendered instead: " << Catch::Detail::stringify(rendered.statements));
  REQUIRE_FALSE(rendered.error.empty());
  return std::move(rendered.error);
}

}  // namespace dialect_test

#endif  // RETORT_TESTS_DIALECT_TEST_SUPPORT_HPP
