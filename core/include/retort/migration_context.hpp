// The database side, for a program that embeds retort: Alembic's
// MigrationContext. It holds one connection to the database and reads and
// stamps its version table.
//
//   auto ctx = retort::MigrationContext::configure(cfg);
//   if (!ctx) return ctx.error();
//   auto heads = ctx->get_current_heads();
//
// A context is used from one thread at a time. It is movable, not copyable;
// destroying it closes its connection.
#ifndef RETORT_API_MIGRATION_CONTEXT_HPP
#define RETORT_API_MIGRATION_CONTEXT_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>
#include <retort/script_directory.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort {
inline namespace api {  // see revision_info.hpp

class MigrationContext {
 public:
  // Connects to the config's url (dialects are found through plugin_path,
  // RETORT_PLUGIN_PATH and the install, as for the commands); the version
  // table is the config's version_table (default retort_version), the
  // history table its history_table.
  //
  // When cfg.attributes() carries the application's own connection
  // (set_connection), the context runs on it and never closes it, commits
  // or rolls it back; else it opens a connection of its own.
  static Expected<MigrationContext> configure(const Config& cfg);
  // The same with only a URL: the default version and history tables.
  static Expected<MigrationContext> configure(const std::string& url);

  MigrationContext(MigrationContext&&) noexcept;
  MigrationContext& operator=(MigrationContext&&) noexcept;
  ~MigrationContext();

  // The version table's rows, sorted by id; empty when the database has no
  // version table or no row (it is not created). Alembic's get_current_heads.
  Expected<std::vector<std::string>> get_current_heads();
  // The one row, or nullopt when there is none. Several rows are an error
  // with a MultipleHeads detail (its heads are the rows), as Alembic's
  // "more than one head present; please use get_current_heads()".
  Expected<std::optional<std::string>> get_current_revision();

  // Sets the version table to `revisions` (identifiers of `scripts`: ids,
  // "head", "heads", "base", labels...) without running any revision, as
  // `retort stamp` does: under the migration lock, recorded in the history
  // table, creating the version table when needed. Errors as `retort stamp`:
  // an unknown revision (UnknownRevision), "head" with several heads
  // (MultipleHeads), a version-table row the scripts lack.
  Error stamp(const ScriptDirectory& scripts, const std::vector<std::string>& revisions);

 private:
  struct Impl;
  explicit MigrationContext(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace api
}  // namespace retort

#endif  // RETORT_API_MIGRATION_CONTEXT_HPP
