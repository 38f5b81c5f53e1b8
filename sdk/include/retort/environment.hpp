// The environment: env.cpp in script_location, Alembic's env.py compiled.
// Its configure function runs before each command that touches a database
// and decides how the command runs:
//
//   #include <retort/environment.hpp>
//
//   void configure(retort::EnvironmentContext& context) {
//     // retort -x db_path=/tmp/other.db upgrade head
//     if (auto path = context.get_x_argument("db_path")) {
//       context.set_url("sqlite:///" + *path);
//     }
//     context.set_transaction_per_migration(false);  // one transaction for the run
//     context.include_object([](const std::string& name, const std::string& type,
//                               const std::string&) {
//       return !(type == "table" && name.rfind("tmp_", 0) == 0);
//     });
//   }
//
//   RETORT_ENVIRONMENT(configure)
//
// What configure does not set stays as the configuration says. Including
// this header defines no symbol; only RETORT_ENVIRONMENT does.
#ifndef RETORT_ENVIRONMENT_HPP
#define RETORT_ENVIRONMENT_HPP

#include <retort/abi.h>
#include <retort/direction.hpp>
#include <retort/sink.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace retort {
inline namespace abi1 {

// The revision applied (empty when stamping to base) and what was done.
using VersionApplyFn = std::function<void(const std::string& revision, Direction direction)>;
// An object autogenerate compares: its name, its type ("table" or "column";
// let other types through, a later host may ask of them) and the table it
// belongs to (empty for a table). False leaves it out.
using IncludeObjectFn =
    std::function<bool(const std::string& name, const std::string& type, const std::string& table)>;

// The host's retort_env_host, as Alembic's EnvironmentContext names it.
// Valid during configure only; the callbacks it is given live on.
class EnvironmentContext {
 public:
  explicit EnvironmentContext(const retort_env_host* host) : host_(host) {}

  // A key of the configuration's main section ([retort]), interpolated.
  std::optional<std::string> config(std::string_view key) const {
    return get(host_->get_main_option, key);
  }
  // -x key=value: the value of `key` (which then counts as read).
  std::optional<std::string> get_x_argument(std::string_view key) const {
    return get(host_->get_x_argument, key);
  }
  // Every -x argument, as Alembic's get_x_argument(as_dictionary=True).
  std::map<std::string, std::string> get_x_argument() const {
    detail::RowCollector rows;
    check(host_->x_arguments(host_->ctx, rows.get()));
    std::map<std::string, std::string> out;
    for (auto& row : rows.take()) {
      if (row.size() == 2 && row[0] && row[1]) out[*row[0]] = *row[1];
    }
    return out;
  }
  // --tag of upgrade, downgrade or stamp.
  std::optional<std::string> get_tag_argument() const {
    StringSink out;
    int found = 0;
    check(host_->get_tag_argument(host_->ctx, out.get(), &found));
    if (found == 0) return std::nullopt;
    return out.str();
  }
  // True when the command writes an SQL script (--sql).
  bool is_offline_mode() const { return (host_->flags & RETORT_ENV_OFFLINE) != 0; }

  // The URL the command connects to: the url key, or -x url=....
  std::string url() const {
    StringSink out;
    int found = 0;
    check(host_->get_url(host_->ctx, out.get(), &found));
    return out.str();
  }
  void set_url(std::string_view url) { check(host_->set_url(host_->ctx, to_str(url))); }

  // True (the default): each revision in a transaction of its own. False:
  // the whole run in one, where the database's DDL is transactional.
  void set_transaction_per_migration(bool on) {
    check(host_->set_transaction_per_migration(host_->ctx, on ? 1 : 0));
  }
  void set_version_table(std::string_view table) {
    check(host_->set_version_table(host_->ctx, to_str(table)));
  }
  void set_version_table_schema(std::string_view schema) {
    check(host_->set_version_table_schema(host_->ctx, to_str(schema)));
  }

  // Called after each step is applied, inside its transaction: throwing
  // fails the step.
  void on_version_apply(VersionApplyFn fn) {
    auto* user = new VersionApplyFn(std::move(fn));
    check(
        host_->set_on_version_apply(host_->ctx, &version_applied, user, &free_fn<VersionApplyFn>));
  }
  // Asked by autogenerate for each object it would compare.
  void include_object(IncludeObjectFn fn) {
    auto* user = new IncludeObjectFn(std::move(fn));
    check(host_->set_include_object(host_->ctx, &object_included, user, &free_fn<IncludeObjectFn>));
  }

 private:
  using Getter = int (*)(void*, retort_str, const retort_sink*, int*);

  std::optional<std::string> get(Getter fn, std::string_view key) const {
    StringSink out;
    int found = 0;
    check(fn(host_->ctx, to_str(key), out.get(), &found));
    if (found == 0) return std::nullopt;
    return out.str();
  }
  static void check(int status) {
    if (status != RETORT_OK) throw detail::HostAborted{status};
  }

  template <typename Fn>
  static void free_fn(void* user) {
    delete static_cast<Fn*>(user);
  }
  static int version_applied(void* user, retort_str revision, uint32_t direction,
                             const retort_sink* error) {
    try {
      (*static_cast<VersionApplyFn*>(user))(std::string(to_view(revision)),
                                            static_cast<Direction>(direction));
      return RETORT_OK;
    } catch (const std::exception& e) {
      write_to(error, e.what());
    } catch (...) {
      write_to(error, "on_version_apply threw an exception that is not a std::exception");
    }
    return RETORT_ERROR;
  }
  static int object_included(void* user, retort_str name, retort_str type, retort_str table) {
    try {
      return (*static_cast<IncludeObjectFn*>(user))(std::string(to_view(name)),
                                                    std::string(to_view(type)),
                                                    std::string(to_view(table)))
                 ? 1
                 : 0;
    } catch (...) {
      return 1;  // a filter that fails leaves the object in
    }
  }

  const retort_env_host* host_;
};

namespace detail {

using ConfigureFn = void (*)(EnvironmentContext&);

// The environment module's descriptor and table.
struct EnvironmentModule {
  static ConfigureFn& configure_fn() {
    static ConfigureFn fn = nullptr;
    return fn;
  }

  // The boundary: nothing thrown by the environment's code escapes into C.
  static int configure(const retort_env_host* host, const retort_sink* error) noexcept {
    return at_c_boundary(error, "the environment", [&] {
      EnvironmentContext context(host);
      configure_fn()(context);
      return RETORT_OK;
    });
  }

  static const retort_plugin* entry(ConfigureFn fn) noexcept {
    static retort_environment table{};
    static retort_plugin descriptor{};
    configure_fn() = fn;
    table.struct_size = sizeof(retort_environment);
    table.configure = &EnvironmentModule::configure;
    descriptor.struct_size = sizeof(retort_plugin);
    descriptor.kind = RETORT_KIND_ENVIRONMENT;
    descriptor.abi_major = RETORT_ABI_MAJOR;
    descriptor.abi_minor = RETORT_ABI_MINOR;
    descriptor.name = "environment";
    descriptor.version = "1";
    descriptor.table = &table;
    return &descriptor;
  }
};

}  // namespace detail
}  // namespace abi1
}  // namespace retort

// Declares the environment's configure function, a
// void(retort::EnvironmentContext&). Use it once, in env.cpp.
#define RETORT_ENVIRONMENT(configure_function)                                            \
  extern "C" RETORT_EXPORT const retort_plugin* retort_plugin_entry(const retort_host*) { \
    return ::retort::detail::EnvironmentModule::entry(&(configure_function));             \
  }

#endif  // RETORT_ENVIRONMENT_HPP
