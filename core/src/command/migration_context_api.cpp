// The embedding API's MigrationContext: core's MigrationContext on a
// connection of its own, and stamp as `retort stamp` runs it.
// Core's headers first: see script/script_directory_api.hpp.
#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "command/database_run.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/run_config.hpp"
#include "script/script_directory_api.hpp"

#include <retort/migration_context.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace retort {

struct api::MigrationContext::Impl {
  Config cfg;
  detail::Database db;  // before context, which points to its dialect
  std::optional<internal::MigrationContext> context;
};

namespace {

using PublicContext = api::MigrationContext;

}  // namespace

PublicContext::MigrationContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PublicContext::MigrationContext(MigrationContext&&) noexcept = default;
PublicContext& PublicContext::operator=(MigrationContext&&) noexcept = default;
PublicContext::~MigrationContext() = default;

Expected<PublicContext> PublicContext::configure(const Config& cfg) {
  CommandScope scope(cfg);
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  auto impl = std::make_unique<Impl>(Impl{cfg, std::move(*db), std::nullopt});
  // The application's own connection when cfg.attributes() carries one, as
  // the commands take it; else a connection of its own.
  auto context = detail::connect(impl->db, detail::version_table(cfg));
  if (!context) return context.take_error();
  impl->context.emplace(std::move(*context));
  return PublicContext(std::move(impl));
}

Expected<PublicContext> PublicContext::configure(const std::string& url) {
  Config cfg;
  cfg.set_main_option("url", url);
  return configure(cfg);
}

Expected<std::vector<std::string>> PublicContext::get_current_heads() {
  CommandScope scope(impl_->cfg);
  auto rows = impl_->context->current_heads();
  // Ends the read's transaction on a connection of its own: it holds no
  // lock between calls, so that stamp and other runners can write. An
  // application's connection is left as it is: its transaction is its own.
  Error ended;
  if (impl_->db.shared == nullptr) ended = impl_->context->connection().rollback();
  if (!rows) return rows.take_error();
  if (ended) return ended;
  std::sort(rows->begin(), rows->end());
  rows->erase(std::unique(rows->begin(), rows->end()), rows->end());
  return rows;
}

Expected<std::optional<std::string>> PublicContext::get_current_revision() {
  auto heads = get_current_heads();
  if (!heads) return heads.take_error();
  if (heads->empty()) return std::optional<std::string>();
  if (heads->size() == 1) return std::optional<std::string>(heads->front());
  const std::string table = detail::version_table(impl_->cfg);
  Error err(ErrorCategory::kRevision,
            fmt::format("version table '{}' has more than one head present ({})", table,
                        fmt::join(*heads, ", ")),
            "use get_current_heads() for a database on several branches");
  return std::move(err).with_detail(MultipleHeads{std::move(*heads), ""});
}

Error PublicContext::stamp(const ScriptDirectory& scripts,
                           const std::vector<std::string>& revisions) {
  CommandScope scope(impl_->cfg);
  return detail::stamp_revisions(impl_->cfg, scripts.impl_->map, impl_->db,
                                 detail::StampRequest{std::nullopt, revisions}, {}, nullptr);
}

}  // namespace retort
