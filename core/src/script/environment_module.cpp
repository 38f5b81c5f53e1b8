#include "script/environment_module.hpp"

#include "script/deploy_manifest.hpp"

#include <retort/log.hpp>
#include <retort/sink.hpp>

#include "plugin/plugin_loader.hpp"
#include "script/source_module.hpp"
#include "util/file_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <system_error>

namespace fs = std::filesystem;

namespace retort {
namespace {

constexpr const char* kHint = "fix the environment's configure (env.cpp)";

// The retort_env_host's ctx: what configure reads, and what it decided.
struct EnvHost {
  const Config& cfg;
  const EnvironmentRequest& request;
  std::shared_ptr<EnvironmentSettings> settings;
  Error error;  // why the last call failed

  static EnvHost& of(void* ctx) { return *static_cast<EnvHost*>(ctx); }

  // Runs a call's `body` for its C caller: an exception (out of memory)
  // becomes the call's failure, never an unwinding through the plugin.
  template <typename Body>
  static int guard(void* ctx, Body body) noexcept {
    try {
      return body();
    } catch (const std::exception& e) {
      of(ctx).error = Error(ErrorCategory::kConfig,
                            fmt::format("the environment's call to the host failed: {}", e.what()));
      return RETORT_ERROR;
    }
  }

  static int found(std::optional<std::string> value, const retort_sink* out, int* was_found) {
    *was_found = value ? 1 : 0;
    if (value) write_to(out, *value);
    return RETORT_OK;
  }

  static int get_main_option(void* ctx, retort_str key, const retort_sink* out, int* was_found) {
    return guard(ctx, [&]() -> int {
      return found(of(ctx).cfg.get_main_option(std::string(to_view(key))), out, was_found);
    });
  }
  static int get_x_argument(void* ctx, retort_str key, const retort_sink* out, int* was_found) {
    return guard(ctx, [&]() -> int {
      return found(of(ctx).cfg.get_x_argument(std::string(to_view(key))), out, was_found);
    });
  }
  static int x_arguments(void* ctx, const retort_row_sink* rows) {
    return guard(ctx, [&]() -> int {
      const Config& cfg = of(ctx).cfg;
      for (const auto& [key, value] : cfg.x_arguments()) {
        (void)cfg.get_x_argument(key);  // read, as Alembic's as_dictionary
        const retort_str row[2] = {to_str(key), to_str(value)};
        if (int status = rows->row(rows->ctx, row, 2); status != RETORT_OK) return status;
      }
      return RETORT_OK;
    });
  }
  static int get_tag_argument(void* ctx, const retort_sink* out, int* was_found) {
    return guard(ctx, [&]() -> int { return found(of(ctx).request.tag, out, was_found); });
  }
  // As run_config's database() reads it: -x url, else the url key.
  static int get_url(void* ctx, const retort_sink* out, int* was_found) {
    return guard(ctx, [&]() -> int {
      EnvHost& host = of(ctx);
      if (host.settings->url) return found(host.settings->url, out, was_found);
      if (auto x_url = host.cfg.get_x_argument("url")) return found(x_url, out, was_found);
      return found(host.cfg.get_main_option("url"), out, was_found);
    });
  }
  static int set_url(void* ctx, retort_str url) {
    return guard(ctx, [&]() -> int {
      of(ctx).settings->url = std::string(to_view(url));
      return RETORT_OK;
    });
  }
  static int set_transaction_per_migration(void* ctx, int on) {
    return guard(ctx, [&]() -> int {
      of(ctx).settings->transaction_per_migration = on != 0;
      return RETORT_OK;
    });
  }
  static int set_version_table(void* ctx, retort_str table) {
    return guard(ctx, [&]() -> int {
      if (to_view(table).empty()) {
        of(ctx).error =
            Error(ErrorCategory::kConfig, "the environment set an empty version table", kHint);
        return RETORT_INVALID;
      }
      of(ctx).settings->version_table = std::string(to_view(table));
      return RETORT_OK;
    });
  }
  static int set_version_table_schema(void* ctx, retort_str schema) {
    return guard(ctx, [&]() -> int {
      auto& slot = of(ctx).settings->version_table_schema;
      if (is_absent(schema) || to_view(schema).empty()) {
        slot.reset();
      } else {
        slot = std::string(to_view(schema));
      }
      return RETORT_OK;
    });
  }

  // The callback's user data, freed with the last copy of the callback.
  static std::shared_ptr<void> hold(void* user, retort_free_fn free_user) {
    return std::shared_ptr<void>(user, [free_user](void* p) {
      if (free_user != nullptr) free_user(p);
    });
  }
  static int set_on_version_apply(void* ctx, retort_version_apply_fn fn, void* user,
                                  retort_free_fn free_user) {
    return guard(ctx, [&]() -> int {
      std::shared_ptr<void> data = hold(user, free_user);
      if (fn == nullptr) {
        of(ctx).settings->on_version_apply = nullptr;
        return RETORT_OK;
      }
      of(ctx).settings->on_version_apply = [fn, data](const std::string& revision,
                                                      StepDirection direction) -> Error {
        StringSink message;
        const retort_str id = revision.empty() ? retort_str{nullptr, 0} : to_str(revision);
        if (fn(data.get(), id, static_cast<uint32_t>(direction), message.get()) == RETORT_OK) {
          return Error::success();
        }
        return Error(ErrorCategory::kMigration,
                     fmt::format("on_version_apply failed after revision '{}': {}", revision,
                                 message.str().empty() ? "no reason given" : message.str()),
                     "fix the environment's on_version_apply (env.cpp)");
      };
      return RETORT_OK;
    });
  }
  static int set_include_object(void* ctx, retort_include_object_fn fn, void* user,
                                retort_free_fn free_user) {
    return guard(ctx, [&]() -> int {
      std::shared_ptr<void> data = hold(user, free_user);
      if (fn == nullptr) {
        of(ctx).settings->include_object = nullptr;
        return RETORT_OK;
      }
      of(ctx).settings->include_object =
          [fn, data](const std::string& name, const std::string& type, const std::string& table) {
            return fn(data.get(), to_str(name), to_str(type),
                      table.empty() ? retort_str{nullptr, 0} : to_str(table)) != 0;
          };
      return RETORT_OK;
    });
  }
};

}  // namespace

namespace {

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool declares_environment(std::string_view text) {
  constexpr std::string_view kMacro = "RETORT_ENVIRONMENT";
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 2) == "//") {
      i = std::min(text.find('\n', i), text.size());
    } else if (text.substr(i, 2) == "/*") {
      i = std::min(text.find("*/", i + 2), text.size()) + 1;
    } else if (text[i] == '"' || text[i] == '\'') {
      const char quote = text[i];
      for (++i; i < text.size() && text[i] != quote; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (text.substr(i, kMacro.size()) == kMacro &&
               (i == 0 || !identifier_char(text[i - 1])) &&
               (i + kMacro.size() == text.size() || !identifier_char(text[i + kMacro.size()]))) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> find_environment(const std::string& script_location) {
  const fs::path path = fs::path(script_location) / "env.cpp";
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  auto text = read_file(path.string());
  // An unreadable file is compiled, and the compiler says why.
  if (text && !declares_environment(*text)) {
    log(LogLevel::kDebug,
        fmt::format("'{}' declares no RETORT_ENVIRONMENT: no environment", path.string()));
    return std::nullopt;
  }
  return fs::absolute(path).lexically_normal().string();
}

namespace {

using ConfigureFn = std::function<int(const retort_env_host*, const retort_sink*)>;

// Runs `configure` on a host over `cfg`; `what` names the environment in errors.
Expected<std::shared_ptr<const EnvironmentSettings>> run_configure(
    const Config& cfg, const EnvironmentRequest& request, const std::string& what,
    const ConfigureFn& configure) {
  EnvHost host{cfg, request, std::make_shared<EnvironmentSettings>(), Error::success()};
  retort_env_host c{};
  c.struct_size = sizeof c;
  c.ctx = &host;
  c.flags = request.offline ? RETORT_ENV_OFFLINE : 0u;
  c.get_main_option = &EnvHost::get_main_option;
  c.get_x_argument = &EnvHost::get_x_argument;
  c.x_arguments = &EnvHost::x_arguments;
  c.get_tag_argument = &EnvHost::get_tag_argument;
  c.get_url = &EnvHost::get_url;
  c.set_url = &EnvHost::set_url;
  c.set_transaction_per_migration = &EnvHost::set_transaction_per_migration;
  c.set_version_table = &EnvHost::set_version_table;
  c.set_version_table_schema = &EnvHost::set_version_table_schema;
  c.set_on_version_apply = &EnvHost::set_on_version_apply;
  c.set_include_object = &EnvHost::set_include_object;
  StringSink error;
  const int status = configure(&c, error.get());
  if (status == RETORT_OK) return std::shared_ptr<const EnvironmentSettings>(host.settings);
  if (host.error) return host.error;
  return Error(ErrorCategory::kConfig,
               fmt::format("{} failed: {}", what,
                           error.str().empty() ? fmt::format("status {}", status) : error.str()),
               kHint);
}

}  // namespace

Expected<std::optional<EnvironmentFile>> command_environment(const std::string& script_location) {
  if (auto source = find_environment(script_location)) {
    return std::optional<EnvironmentFile>(EnvironmentFile{std::move(*source), false});
  }
  if (!is_deploy_dir(script_location)) return std::optional<EnvironmentFile>();
  auto module = deploy_environment(script_location);
  if (!module) return module.take_error();
  if (!*module) return std::optional<EnvironmentFile>();
  return std::optional<EnvironmentFile>(EnvironmentFile{std::move(**module), true});
}

Expected<std::shared_ptr<const EnvironmentSettings>> configure_environment(
    const Config& cfg, const EnvironmentFile& file, const EnvironmentRequest& request,
    std::ostream& progress) {
  const std::string& source = file.path;
  auto module = file.prebuilt ? Expected<std::string>(file.path)
                              : source_module(cfg, file.path, "environment", progress);
  if (!module) return module.take_error();
  auto plugin = load_plugin(*module, RETORT_KIND_ENVIRONMENT);
  if (!plugin) return plugin.take_error();
  retort_environment table{};
  const auto* raw = static_cast<const retort_environment*>(plugin->descriptor.table);
  std::memcpy(&table, raw, std::min<size_t>(raw->struct_size, sizeof(retort_environment)));
  if (table.configure == nullptr) {
    return Error(
        ErrorCategory::kPlugin,
        fmt::format("cannot load '{}': the environment module has no configure function", *module),
        "rebuild the environment against this retort SDK");
  }
  return run_configure(cfg, request, fmt::format("environment '{}'", source), table.configure);
}

Expected<std::shared_ptr<const EnvironmentSettings>> configure_application_environment(
    const Config& cfg, const EnvironmentRequest& request) {
  const Attributes::EnvironmentFn* fn = cfg.attributes().environment();
  return run_configure(cfg, request, "the application's environment",
                       [fn](const retort_env_host* host, const retort_sink* error) {
                         try {
                           EnvironmentContext context(host);
                           (*fn)(context);
                           return RETORT_OK;
                         } catch (const abi1::detail::HostAborted&) {
                           return RETORT_ABORTED;
                         } catch (const std::exception& e) {
                           write_to(error, e.what());
                           return RETORT_ERROR;
                         } catch (...) {
                           write_to(error, "it threw an exception that is not a std::exception");
                           return RETORT_ERROR;
                         }
                       });
}

}  // namespace retort
