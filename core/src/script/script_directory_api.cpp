// The embedding API's ScriptDirectory and Revision: a read-only view of the
// graph the graph commands read (ScriptDirectory::read_revisions).
#include "script/script_directory_api.hpp"

#include "util/log_scope.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace retort {
namespace {

using PublicScripts = api::ScriptDirectory;

}  // namespace

Expected<PublicScripts> PublicScripts::from_config(const Config& cfg) {
  LogScope scope(cfg.log_sink());  // as a command's, for what reading the sources logs
  auto scripts = internal::ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->read_revisions();
  if (!map) return map.take_error();
  return PublicScripts(std::make_shared<const Impl>(Impl{std::move(*scripts), std::move(*map)}));
}

const std::string& PublicScripts::dir() const { return impl_->scripts.dir(); }

const std::vector<std::string>& PublicScripts::version_locations() const {
  return impl_->scripts.version_locations();
}

std::vector<std::string> PublicScripts::get_heads() const { return sorted(impl_->map.heads()); }

std::vector<std::string> PublicScripts::get_bases() const { return sorted(impl_->map.bases()); }

api::Revision PublicScripts::Impl::to_public(const internal::Revision& rev) const {
  api::Revision out;
  out.revision_ = rev.id;
  out.down_revisions_ = rev.down_revisions;
  out.branch_labels_ = map.branch_labels(rev.id);
  out.dependencies_ = rev.depends_on;
  out.message_ = rev.message;
  out.create_date_ = rev.create_date;
  out.path_ = rev.path;
  out.is_head_ = map.children(rev.id).empty();
  out.is_branch_point_ = map.is_branch_point(rev.id);
  return out;
}

Expected<std::optional<api::Revision>> PublicScripts::get_revision(std::string_view id) const {
  auto rev = impl_->map.resolve(id);
  if (!rev) return rev.take_error();
  if (*rev == nullptr) return std::optional<api::Revision>();
  return std::optional<api::Revision>(impl_->to_public(**rev));
}

Expected<std::vector<api::Revision>> PublicScripts::walk_revisions(std::string_view base,
                                                                   std::string_view head) const {
  auto revs = impl_->map.history_range(base, head);
  if (!revs) return revs.take_error();
  std::vector<api::Revision> out;
  out.reserve(revs->size());
  for (const internal::Revision* rev : *revs) out.push_back(impl_->to_public(*rev));
  return out;
}

}  // namespace retort
