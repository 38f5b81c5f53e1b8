// Building and validating the revision map, branch label propagation, and
// the facts it answers without an identifier. Identifiers are in
// revision_resolution.cpp and revision_targets.cpp, plans in
// revision_plan.cpp, stamps and the commands' other questions in
// revision_queries.cpp.
#include "revision/revision_map.hpp"
#include "revision/revision_error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

namespace retort {
namespace {

// Alembic's verify_rev_id forbids the first four: they separate a label, a
// relative step or a range from a revision in an identifier. A space
// separates the identifiers of a tuple.
constexpr std::string_view kForbiddenCharacters = "+-:@ \t\n";
// Symbols an identifier could never reach as a revision id or label.
constexpr std::string_view kReservedNames[] = {"base", "current", "head", "heads"};

bool reserved(std::string_view name) {
  return std::find(std::begin(kReservedNames), std::end(kReservedNames), name) !=
         std::end(kReservedNames);
}

std::string where(const Revision& rev) {
  return rev.path.empty() ? "" : fmt::format(" in '{}'", rev.path);
}

// What Alembic checks as it constructs each Revision, in its order, and
// what it lets through that would later make an identifier unusable.
Error check_one(const Revision& rev) {
  auto names = [&rev](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), rev.id) != list.end();
  };
  if (names(rev.down_revisions)) {
    return revision_error(fmt::format("Self-loop is detected in revisions ({})", rev.id),
                          "a revision cannot name itself as its down_revision");
  }
  if (names(rev.depends_on)) {
    return revision_error(fmt::format("Dependency self-loop is detected in revisions ({})", rev.id),
                          "a revision cannot name itself in depends_on");
  }
  if (rev.id.empty()) {
    return revision_error(fmt::format("empty revision identifier{}", where(rev)),
                          "give the revision an id");
  }
  if (reserved(rev.id)) {
    return revision_error(
        fmt::format("revision identifier '{}'{} is reserved", rev.id, where(rev)),
        "'base', 'current', 'head' and 'heads' name places in the history; choose another id");
  }
  std::string found;
  for (char c : kForbiddenCharacters) {
    if (rev.id.find(c) == std::string::npos) continue;
    if (!found.empty()) found += ", ";
    found += c == ' ' ? "space" : c == '\t' ? "tab" : c == '\n' ? "newline" : std::string(1, c);
  }
  if (!found.empty()) {
    return revision_error(
        fmt::format("Character(s) '{}' not allowed in revision identifier '{}'", found, rev.id),
        "revision ids may not contain '@', '-', '+', ':' or white space");
  }
  return Error::success();
}

// Alembic accepts any label, but one holding "@", ":" or a space, or named
// like a symbol, can never be used in an identifier.
Error check_label(const Revision& rev, const std::string& label) {
  if (label.empty()) {
    return revision_error(
        fmt::format("revision '{}'{} declares an empty branch label", rev.id, where(rev)),
        "remove the empty label");
  }
  if (reserved(label) || label.find_first_of("@: \t\n") != std::string::npos) {
    return revision_error(
        fmt::format("branch label '{}' of revision '{}' cannot be used in an identifier", label,
                    rev.id),
        "branch labels may not be 'base', 'current', 'head' or 'heads', nor contain '@', ':' "
        "or white space");
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

// Alembic warns and then raises a bare KeyError.
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

std::string cycle_message(std::string_view kind, const std::vector<Revision>& revisions,
                          const std::vector<size_t>& cyclic) {
  std::vector<std::string> ids;
  for (size_t i : cyclic) ids.push_back(revisions[i].id);
  std::sort(ids.begin(), ids.end());
  return fmt::format("{} is detected in revisions ({})", kind, join(ids, ""));
}

// A cycle cyclic() let through, in order: "(x2, x3)", at most kShownInCycle
// of its revisions named.
constexpr size_t kShownInCycle = 10;

std::string cycle_in_order(const std::vector<Revision>& revisions,
                           const std::vector<size_t>& cycle) {
  std::vector<std::string> ids;
  for (size_t k = 0; k < cycle.size() && k < kShownInCycle; ++k) {
    ids.push_back(revisions[cycle[k]].id);
  }
  std::string text = join(ids, "");
  if (cycle.size() > kShownInCycle) {
    text += fmt::format(", ... and {} more", cycle.size() - kShownInCycle);
  }
  return text;
}

Error cycle_error(const std::vector<Revision>& revisions, const RevisionGraph& graph,
                  const std::vector<size_t>& cycle, bool through_dependencies) {
  if (!through_dependencies) {
    return revision_error(
        fmt::format("Cycle is detected in revisions ({})", cycle_in_order(revisions, cycle)),
        "each of these revisions names the next as its down_revision, and the last names the "
        "first; correct the down_revision that closes the loop");
  }
  // The depends_on links of the loop: one of them closes it.
  std::vector<std::string> links;
  for (size_t k = 0; k < cycle.size(); ++k) {
    const size_t from = cycle[k];
    const size_t to = cycle[(k + 1) % cycle.size()];
    const Indices down = graph.parents(from);
    if (std::find(down.begin(), down.end(), to) != down.end()) continue;
    if (links.size() == kShownInCycle) {
      links.push_back("...");
      break;
    }
    links.push_back(fmt::format("'{}' depends on '{}'", revisions[from].id, revisions[to].id));
  }
  return revision_error(fmt::format("Dependency cycle is detected in revisions ({})",
                                    cycle_in_order(revisions, cycle)),
                        fmt::format("each of these revisions revises or depends on the next, and "
                                    "the last on the first ({}); remove the depends_on that "
                                    "closes the loop",
                                    fmt::join(links, ", ")));
}

// The error for a graph with a cycle, in Alembic's order: revisions cut off
// from every head or base first, then any other loop; through down_revision
// before depends_on.
Error cycle_refusal(const std::vector<Revision>& revisions, const RevisionGraph& graph) {
  if (std::vector<size_t> cyclic = graph.cyclic(Edges::kVersioned); !cyclic.empty()) {
    return revision_error(
        cycle_message("Cycle", revisions, cyclic),
        "following down_revision from these revisions never reaches a base, or they lead "
        "back to themselves; correct the down_revision that closes the loop");
  }
  if (std::vector<size_t> cyclic = graph.cyclic(Edges::kAll); !cyclic.empty()) {
    return revision_error(
        cycle_message("Dependency cycle", revisions, cyclic),
        "following down_revision and depends_on from these revisions leads back to them; "
        "remove the depends_on that closes the loop");
  }
  // Alembic's check above finds only revisions cut off from every head or
  // base; a loop that a base leads into and a head leads out of passes it,
  // and then no order of the revisions exists.
  if (std::vector<size_t> cycle = graph.find_cycle(Edges::kVersioned); !cycle.empty()) {
    return cycle_error(revisions, graph, cycle, false);
  }
  if (std::vector<size_t> cycle = graph.find_cycle(Edges::kAll); !cycle.empty()) {
    return cycle_error(revisions, graph, cycle, true);
  }
  return Error::success();
}

}  // namespace

Expected<RevisionMap> RevisionMap::build(std::vector<Revision> revisions) {
  for (const Revision& rev : revisions) {
    if (auto err = check_one(rev)) return err;
  }

  RevisionMap map;
  std::vector<KeyIndex::Entry> ids;
  ids.reserve(revisions.size());
  for (size_t i = 0; i < revisions.size(); ++i) ids.emplace_back(revisions[i].id, i);
  if (auto twice = map.index_.assign(std::move(ids))) {
    return duplicate_error(revisions, revisions[*twice].id);
  }
  // Alembic's _map_branch_labels: a label is one more key of the map, so it
  // may repeat neither an id nor another label. Checked in map order, so the
  // later of two revisions is the one reported.
  for (size_t i = 0; i < revisions.size(); ++i) {
    for (const std::string& label : revisions[i].branch_labels) {
      if (auto err = check_label(revisions[i], label)) return err;
      auto id = map.index_.find(label);
      auto other = map.labels_.find(label);
      if (id != map.index_.end() || other != map.labels_.end()) {
        const size_t owner = id != map.index_.end() ? id->second : other->second;
        return revision_error(fmt::format("Branch name '{}' in revision {} already used by "
                                          "revision {}",
                                          label, revisions[i].id, revisions[owner].id),
                              "a branch label must differ from every revision id and every "
                              "other label; rename one of them");
      }
      map.labels_.emplace(label, i);
    }
  }

  Adjacency parents;
  parents.reserve(revisions.size(), revisions.size());
  for (size_t i = 0; i < revisions.size(); ++i) {
    const Revision& rev = revisions[i];
    for (const std::string& down : rev.down_revisions) {
      auto it = map.index_.find(down);
      if (it == map.index_.end()) {
        auto label = map.labels_.find(down);
        if (label == map.labels_.end()) return missing_error(rev, down);
        return revision_error(
            fmt::format("revision '{}' names branch label '{}' as its down_revision", rev.id, down),
            fmt::format("a down_revision is a revision id; write '{}'",
                        revisions[label->second].id));
      }
      const Indices row = parents.open_row();
      if (std::find(row.begin(), row.end(), it->second) != row.end()) {
        return revision_error(
            fmt::format("revision '{}' names '{}' more than once as its down_revision", rev.id,
                        down),
            "list each down_revision once");
      }
      parents.add(it->second);
    }
    parents.end_row();
  }

  // Alembic's _add_depends_on looks each dependency up as an exact key (id
  // or label) and raises a bare KeyError when it is missing; we also accept
  // a unique prefix, as its `revision` command does.
  Adjacency dependencies;
  dependencies.reserve(revisions.size(), 0);
  for (size_t i = 0; i < revisions.size(); ++i) {
    const Revision& rev = revisions[i];
    for (const std::string& dep : rev.depends_on) {
      auto target = map.resolve_key(dep);
      if (!target) {
        Error err = target.take_error();
        return revision_error(
            fmt::format("revision '{}' depends on '{}': {}", rev.id, dep, err.message()),
            fmt::format("depends_on names a revision id, a branch label or a unique prefix; "
                        "correct it{}",
                        where(rev)));
      }
      if (*target == i) {
        return revision_error(
            fmt::format("Dependency self-loop is detected in revisions ({})", rev.id),
            fmt::format("'{}' names the revision itself; remove it from depends_on", dep));
      }
      dependencies.add(*target);
    }
    dependencies.end_row();
  }

  RevisionGraph graph(std::move(parents), std::move(dependencies));
  // One walk settles the common case: with no cycle through any edge there is
  // none through down_revision alone, and every revision of a graph without
  // cycles lies between a base and a head, so the checks below find nothing.
  // With a cycle, they run in Alembic's order to name it as Alembic does.
  if (!graph.find_cycle(Edges::kAll).empty()) {
    if (auto err = cycle_refusal(revisions, graph)) return err;
  }

  map.revisions_ = std::move(revisions);
  map.graph_ = std::move(graph);
  map.propagate_branch_labels();
  return map;
}

// Alembic's _add_branches: each labeled revision, in map order, passes its
// labels (the ones it carries by then) to every descendant through
// down_revision; then, from the last of them its depth-first walk visits,
// down through single down_revisions until a branch point (counting
// dependents) or a merge point. Alembic walks children in set order; we
// walk them in map order. Either way the walk down only reaches below the
// labeled revision when nothing above it forks, so the result is the same.
void RevisionMap::propagate_branch_labels() {
  const size_t n = revisions_.size();
  branch_labels_.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    branch_labels_[i] = revisions_[i].branch_labels;
    std::sort(branch_labels_[i].begin(), branch_labels_[i].end());
    branch_labels_[i].erase(std::unique(branch_labels_[i].begin(), branch_labels_[i].end()),
                            branch_labels_[i].end());
  }
  auto add = [this](size_t i, const std::vector<std::string>& labels) {
    std::vector<std::string> merged;
    std::set_union(branch_labels_[i].begin(), branch_labels_[i].end(), labels.begin(), labels.end(),
                   std::back_inserter(merged));
    branch_labels_[i] = std::move(merged);
  };

  std::vector<size_t> visited(n, 0);
  std::vector<size_t> stack;
  for (size_t labeled = 0; labeled < n; ++labeled) {
    if (revisions_[labeled].branch_labels.empty()) continue;
    const std::vector<std::string> labels = branch_labels_[labeled];
    const size_t walk = labeled + 1;
    size_t last = labeled;
    stack.assign(1, labeled);
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      if (visited[i] == walk) continue;
      visited[i] = walk;
      add(i, labels);
      last = i;
      for (size_t c : graph_.children(i)) stack.push_back(c);
    }
    for (size_t at = last;;) {
      if (graph_.children(at, Edges::kAll).size() > 1 || graph_.parents(at).size() > 1) break;
      add(at, labels);
      if (graph_.parents(at).empty()) break;
      at = graph_.parents(at).front();
    }
  }
}

const Revision* RevisionMap::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &revisions_[it->second];
}

std::vector<std::string> RevisionMap::heads(bool resolve_dependencies) const {
  std::vector<std::string> ids;
  for (size_t i : resolve_dependencies ? graph_.real_heads() : graph_.heads()) {
    ids.push_back(revisions_[i].id);
  }
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

std::vector<std::string> RevisionMap::branch_labels(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? std::vector<std::string>{} : branch_labels_[it->second];
}

bool RevisionMap::is_branch_point(std::string_view id) const {
  auto it = index_.find(id);
  return it != index_.end() && graph_.children(it->second).size() > 1;
}

bool RevisionMap::is_merge_point(std::string_view id) const {
  auto it = index_.find(id);
  return it != index_.end() && graph_.parents(it->second).size() > 1;
}

bool RevisionMap::is_effective_head(std::string_view id) const {
  auto it = index_.find(id);
  return it != index_.end() && graph_.children(it->second).empty() &&
         !graph_.children(it->second, Edges::kAll).empty();
}

std::vector<const Revision*> RevisionMap::at(const std::vector<size_t>& indices) const {
  std::vector<const Revision*> out;
  out.reserve(indices.size());
  for (size_t i : indices) out.push_back(&revisions_[i]);
  return out;
}

std::vector<const Revision*> RevisionMap::history() const {
  const RevisionSet all(revisions_.size(), 1);
  return at(graph_.topological_order(all, graph_.real_heads()));
}

}  // namespace retort
