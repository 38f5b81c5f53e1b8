// The migration environment's revisions, for a program that embeds retort:
// Alembic's ScriptDirectory.
//
//   auto scripts = retort::ScriptDirectory::from_config(cfg);
//   if (!scripts) return scripts.error();
//   for (const retort::Revision& rev : *scripts->walk_revisions()) ...
//
// The graph is read from the revision sources (or the metadata cache beside
// them, or a prebuilt deploy's manifest) as `retort heads` and `retort
// history` read it: nothing is compiled and no revision module is loaded.
// A ScriptDirectory is a snapshot: sources written after from_config are not
// seen. Copies share the snapshot; it is never modified, so they may be used
// from several threads.
#ifndef RETORT_API_SCRIPT_DIRECTORY_HPP
#define RETORT_API_SCRIPT_DIRECTORY_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>
#include <retort/revision_info.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace api {  // see revision_info.hpp

class MigrationContext;

class ScriptDirectory {
 public:
  // Reads script_location (required) and version_locations of the config,
  // then the revision graph. Fails as the graph commands do: an unreadable
  // source, a duplicate id, a missing down_revision, a cycle.
  static Expected<ScriptDirectory> from_config(const Config& cfg);

  // script_location, and the directories holding the revision sources.
  const std::string& dir() const;
  const std::vector<std::string>& version_locations() const;

  // The heads (revisions no other revises), sorted by id. Alembic's
  // get_heads; several when branches are not merged.
  std::vector<std::string> get_heads() const;
  // The bases (revisions that revise nothing), sorted by id.
  std::vector<std::string> get_bases() const;

  // The one revision `id` names, as Alembic's get_revision: a full id, a
  // unique prefix of at least four characters, a branch label, "head" (the
  // one head), "label@head", ... No revision (nullopt) for "base", and for
  // "head" when there are no revisions. Errors carry a detail
  // (Error::detail<T>()): UnknownRevision, AmbiguousPrefix, MultipleHeads.
  Expected<std::optional<Revision>> get_revision(std::string_view id) const;

  // The revisions from `head` down to `base`, both included, newest first
  // (children before their parents), as Alembic's walk_revisions and
  // `retort history -r base:head`. Either end may be any identifier.
  Expected<std::vector<Revision>> walk_revisions(std::string_view base = "base",
                                                 std::string_view head = "heads") const;

 private:
  friend class MigrationContext;
  struct Impl;
  explicit ScriptDirectory(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

  std::shared_ptr<const Impl> impl_;
};

}  // namespace api
}  // namespace retort

#endif  // RETORT_API_SCRIPT_DIRECTORY_HPP
