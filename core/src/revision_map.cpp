// Building and validating the revision map, and the questions it answers
// without an identifier: heads, bases, children, history. Resolution is in
// revision_resolution.cpp, plans in revision_plan.cpp.
#include "revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

namespace retort {
namespace {

// Alembic's verify_rev_id: these separate a label, a relative step or a
// range from a revision in an identifier.
constexpr std::string_view kForbiddenCharacters = "+-:@";
// Symbols an identifier could never reach as a revision id.
constexpr std::string_view kReservedIds[] = {"base", "current", "head", "heads"};

Error revision_error(std::string message, std::string hint = {}) {
  return Error(ErrorCategory::kRevision, std::move(message), std::move(hint));
}

std::string join(const std::vector<std::string>& items, std::string_view quote) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{0}{1}{0}", quote, item);
  }
  return out;
}

// What Alembic checks as it constructs each Revision, in its order.
Error check_one(const Revision& rev) {
  if (std::find(rev.down_revisions.begin(), rev.down_revisions.end(), rev.id) !=
      rev.down_revisions.end()) {
    return revision_error(fmt::format("Self-loop is detected in revisions ({})", rev.id),
                          "a revision cannot name itself as its down_revision");
  }
  const std::string where = rev.path.empty() ? "" : fmt::format(" in '{}'", rev.path);
  if (rev.id.empty()) {
    return revision_error(fmt::format("empty revision identifier{}", where),
                          "give the revision an id");
  }
  if (std::find(std::begin(kReservedIds), std::end(kReservedIds), rev.id) !=
      std::end(kReservedIds)) {
    return revision_error(
        fmt::format("revision identifier '{}'{} is reserved", rev.id, where),
        "'base', 'current', 'head' and 'heads' name places in the history; choose another id");
  }
  std::string found;
  for (char c : kForbiddenCharacters) {
    if (rev.id.find(c) == std::string::npos) continue;
    if (!found.empty()) found += ", ";
    found += c;
  }
  if (!found.empty()) {
    return revision_error(
        fmt::format("Character(s) '{}' not allowed in revision identifier '{}'", found, rev.id),
        "revision ids may not contain '@', '-', '+' or ':'");
  }
  return Error::success();
}

Error duplicate_error(const std::vector<Revision>& revisions, const std::string& id) {
  std::vector<std::string> paths;
  for (const Revision& rev : revisions) {
    if (rev.id == id && !rev.path.empty()) paths.push_back(rev.path);
  }
  std::string message = fmt::format("revision '{}' is present more than once", id);
  if (!paths.empty()) message += fmt::format(", in {}", join(paths, "'"));
  return revision_error(std::move(message),
                        "each revision needs its own id; delete the copy or give it a new id");
}

Error missing_error(const Revision& rev, const std::string& down) {
  const std::string fix = rev.path.empty()
                              ? fmt::format("correct the down_revision of '{}'", rev.id)
                              : fmt::format("correct the down_revision in '{}'", rev.path);
  return revision_error(
      fmt::format("revision '{}' revises '{}', which is not present", rev.id, down),
      fmt::format("the revision file for '{}' may have been deleted or not built yet; restore "
                  "or build it, or {}",
                  down, fix));
}

}  // namespace

RevisionMap::RevisionMap(std::vector<Revision> revisions,
                         std::map<std::string, size_t, std::less<>> index, RevisionGraph graph)
    : revisions_(std::move(revisions)), index_(std::move(index)), graph_(std::move(graph)) {}

Expected<RevisionMap> RevisionMap::build(std::vector<Revision> revisions) {
  for (const Revision& rev : revisions) {
    if (auto err = check_one(rev)) return err;
  }

  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < revisions.size(); ++i) {
    if (!index.emplace(revisions[i].id, i).second) {
      return duplicate_error(revisions, revisions[i].id);
    }
  }

  std::vector<std::vector<size_t>> parents(revisions.size());
  for (size_t i = 0; i < revisions.size(); ++i) {
    const Revision& rev = revisions[i];
    for (const std::string& down : rev.down_revisions) {
      auto it = index.find(down);
      if (it == index.end()) return missing_error(rev, down);
      if (std::find(parents[i].begin(), parents[i].end(), it->second) != parents[i].end()) {
        return revision_error(
            fmt::format("revision '{}' names '{}' more than once as its down_revision", rev.id,
                        down),
            "list each down_revision once");
      }
      parents[i].push_back(it->second);
    }
  }

  RevisionGraph graph(std::move(parents));
  if (std::vector<size_t> cyclic = graph.cyclic(); !cyclic.empty()) {
    std::vector<std::string> ids;
    for (size_t i : cyclic) ids.push_back(revisions[i].id);
    std::sort(ids.begin(), ids.end());
    return revision_error(
        fmt::format("Cycle is detected in revisions ({})", join(ids, "")),
        "following down_revision from these revisions never reaches a base, or they lead "
        "back to themselves; correct the down_revision that closes the loop");
  }
  return RevisionMap(std::move(revisions), std::move(index), std::move(graph));
}

const Revision* RevisionMap::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &revisions_[it->second];
}

std::vector<std::string> RevisionMap::heads() const {
  std::vector<std::string> ids;
  for (size_t i : graph_.heads()) ids.push_back(revisions_[i].id);
  return ids;
}

std::vector<std::string> RevisionMap::bases() const {
  std::vector<std::string> ids;
  for (size_t i : graph_.bases()) ids.push_back(revisions_[i].id);
  return ids;
}

std::vector<std::string> RevisionMap::children(std::string_view id) const {
  std::vector<std::string> ids;
  auto it = index_.find(id);
  if (it == index_.end()) return ids;
  for (size_t i : graph_.children(it->second)) ids.push_back(revisions_[i].id);
  return ids;
}

std::vector<const Revision*> RevisionMap::history() const {
  const RevisionSet all(revisions_.size(), 1);
  std::vector<const Revision*> out;
  for (size_t i : graph_.topological_order(all, graph_.heads())) out.push_back(&revisions_[i]);
  return out;
}

}  // namespace retort
