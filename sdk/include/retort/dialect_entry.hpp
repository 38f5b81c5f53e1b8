// The entry point of a dialect plugin. In exactly one source file:
//
//   RETORT_DIALECT(SqliteDialect, "sqlite", "1.0.0")
//
// defines retort_plugin_entry, which returns a static descriptor (kind
// RETORT_KIND_DIALECT, this SDK's ABI version) whose retort_dialect table
// holds the class's traits and thunks into one instance of the class. Each
// thunk runs the dialect inside try/catch: a DialectError becomes its status
// and message, any other exception RETORT_ERROR. Nothing is thrown into C.
// Part of dialect.hpp; include that.
#ifndef RETORT_DIALECT_ENTRY_HPP
#define RETORT_DIALECT_ENTRY_HPP

#include <retort/abi.h>
#include <retort/dialect.hpp>
#include <retort/sink.hpp>
#include <retort/url.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace retort {
inline namespace abi1 {
namespace detail {

// Runs fn, which returns a status; any exception becomes a status and a
// message written to `error` (which may be null).
template <typename Fn>
int guarded(const retort_sink* error, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const DialectError& e) {
    write_to(error, e.what());
    return e.status();
  } catch (const HostAborted&) {
    return RETORT_ABORTED;  // the host holds the reason
  } catch (const std::exception& e) {
    write_to(error, e.what());
    return RETORT_ERROR;
  } catch (...) {
    write_to(error, "unknown exception");
    return RETORT_ERROR;
  }
}

// A dialect with the traits SqlDialect reads at run time (the identifier
// limit) copied from its class.
template <typename D>
struct DialectInstance {
  DialectInstance() {
    SqlDialect& base = dialect;
    base.max_identifier_length_ = D::kMaxIdentifierLength;
    base.identifier_length_unit_ = D::kIdentifierLengthUnit;
  }
  D dialect;
};

// The one instance of a dialect, built on first use.
template <typename D>
const D& dialect_instance() {
  static const DialectInstance<D> instance;
  return instance.dialect;
}

template <typename D>
struct DialectThunks {
  static int connection_string(const char* url, size_t url_size, const retort_sink* out,
                               const retort_sink* error) noexcept {
    return guarded(error, [&] {
      const Url parsed = parse_url(std::string_view(url, url_size));
      write_to(out, dialect_instance<D>().connection_string(parsed));
      return RETORT_OK;
    });
  }

  static int render(const retort_operation* op, const retort_statement_sink* out,
                    const retort_sink* error) noexcept {
    return guarded(error, [&] {
      if (op == nullptr || out == nullptr || out->statement == nullptr) {
        throw DialectError::invalid("render needs an operation and a statement sink");
      }
      // query() reaches the host through this sink while rendering.
      struct CurrentSink {
        explicit CurrentSink(const retort_statement_sink* s) { current_statement_sink() = s; }
        ~CurrentSink() { current_statement_sink() = nullptr; }
      } current(out);
      for (const std::string& sql : dialect_instance<D>().render(*op)) {
        if (out->statement(out->ctx, sql.data(), sql.size()) != RETORT_OK) return RETORT_ABORTED;
      }
      return RETORT_OK;
    });
  }

  static int compare_type(const retort_column* model, retort_str reflected, int* differs,
                          const retort_sink* error) noexcept {
    return guarded(error, [&] {
      if (model == nullptr || differs == nullptr) {
        throw DialectError::invalid("compare_type needs a column and a result");
      }
      const std::optional<bool> answer =
          dialect_instance<D>().type_differs(detail::sized_copy(*model), to_view(reflected));
      if (!answer) return RETORT_UNSUPPORTED;
      *differs = *answer ? 1 : 0;
      return RETORT_OK;
    });
  }

  static int redact_url(const char* url, size_t url_size, const retort_sink* out) noexcept {
    return guarded(nullptr, [&] {
      write_to(out, dialect_instance<D>().redact_url(std::string_view(url, url_size)));
      return RETORT_OK;
    });
  }
};

template <typename D>
retort_dialect make_dialect_table() {
  static_assert(
      requires { D::kUrlSchemes[0]; },
      "a dialect declares static constexpr const char* kUrlSchemes[] = {\"name\", nullptr}");
  retort_dialect table{};
  table.struct_size = sizeof(retort_dialect);
  table.url_schemes = D::kUrlSchemes;
  table.flags = D::kFlags;
  table.statement_terminator = D::kStatementTerminator;
  table.batch_separator = D::kBatchSeparator;
  table.begin_transaction = D::kBeginTransaction;
  table.commit_transaction = D::kCommitTransaction;
  table.connection_string = &DialectThunks<D>::connection_string;
  table.render = &DialectThunks<D>::render;
  table.redact_url = &DialectThunks<D>::redact_url;
  table.compare_type = &DialectThunks<D>::compare_type;
  return table;
}

// Tells the host why the entry point returns no descriptor.
inline void report_start_failure(const retort_host* host, const char* name,
                                 const char* reason) noexcept {
  try {
    refuse_load(host, "dialect " + in_quotes(name) + " failed to start: " + reason);
  } catch (...) {
    refuse_load(host, reason);  // out of memory: the reason alone
  }
}

template <typename D>
const retort_plugin* dialect_entry(const retort_host* host, const char* name,
                                   const char* version) noexcept {
  static_assert(std::is_base_of_v<SqlDialect, D>, "a dialect derives from retort::SqlDialect");
  try {
    plugin_host(host);      // kept by the first call only
    dialect_instance<D>();  // built here, where a failure can still be reported
    static const retort_dialect table = make_dialect_table<D>();
    static const retort_plugin descriptor = {sizeof(retort_plugin),
                                             RETORT_KIND_DIALECT,
                                             RETORT_ABI_MAJOR,
                                             RETORT_ABI_MINOR,
                                             name,
                                             version,
                                             &table};
    return &descriptor;
  } catch (const std::exception& e) {
    report_start_failure(host, name, e.what());
  } catch (...) {
    report_start_failure(host, name, "unknown exception");
  }
  return nullptr;
}

}  // namespace detail
}  // namespace abi1
}  // namespace retort

// Defines the plugin's one exported symbol; use once, at namespace scope.
#define RETORT_DIALECT(Class, name, version)                                                   \
  extern "C" RETORT_EXPORT const retort_plugin* retort_plugin_entry(const retort_host* host) { \
    return ::retort::detail::dialect_entry<Class>(host, name, version);                        \
  }

#endif  // RETORT_DIALECT_ENTRY_HPP
