// Identifiers, as Alembic's RevisionMap resolves them: "head", "heads",
// "base", ids, branch labels, unique prefixes, "label@x", and "-N" down from
// the heads. Relative plan targets (+N, rev-N, ...) are in
// revision_targets.cpp. Messages are Alembic's where it has one
// (capitalised, as it writes them).
#include "revision/revision_error.hpp"
#include "revision/revision_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

namespace retort {
namespace {

std::string quoted(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", id);
  return out;
}

// "-N" with N > 0, as Alembic's int(x) < 0 finds it.
bool negative_count(std::string_view id, long long* steps) {
  if (id.size() < 2 || id[0] != '-') return false;
  const std::string_view digits = id.substr(1);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return false;
  unsigned long long n = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec != std::errc() ||
      n > static_cast<unsigned long long>(INT64_MAX)) {
    n = INT64_MAX;
  }
  *steps = -static_cast<long long>(n);
  return n > 0;
}

Error empty_identifier() {
  return revision_error("empty revision identifier",
                        "name a revision, a branch label, 'head', 'heads' or 'base'");
}

}  // namespace

std::string RevisionMap::describe_rows(Indices rows) const {
  if (rows.empty()) return "base";
  std::string out;
  for (size_t i : rows) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", revisions_[i].id);
  return out;
}

// Alembic's MultipleHeads, in the words of the one who asked.
Error RevisionMap::multiple_heads(const std::vector<std::string>& heads, std::string_view argument,
                                  const Wording& wording) const {
  std::vector<std::string> sorted = heads;
  std::sort(sorted.begin(), sorted.end());
  return multiple_heads_error(heads, argument, wording)
      .with_detail(MultipleHeads{std::move(sorted), std::string(argument)});
}

Error RevisionMap::multiple_heads_error(const std::vector<std::string>& heads,
                                        std::string_view argument, const Wording& wording) const {
  const std::string hint = fmt::format("the heads are {}", quoted(heads));
  switch (wording.context) {
    case Context::kGraph:
      return revision_error(fmt::format("Multiple heads are present for given argument '{}'; {}",
                                        argument, fmt::join(heads, ", ")),
                            hint);
    case Context::kStamp:
      return revision_error("Multiple heads are present; please specify a single target revision",
                            fmt::format("'{}' names {}", argument, quoted(heads)));
    case Context::kRevision:
      // Alembic's text ends in a period.
      return revision_error(
          "Multiple heads are present; please specify the head revision on which the new "
          "revision should be based, or perform a merge",
          hint + "; 'retort merge heads' merges them");
    default: {
      // Alembic suggests '<branchname>@' + the whole argument, which for
      // "lbl@head" reads "<branchname>@lbl@head"; we keep the part after "@".
      const size_t at = argument.rfind('@');
      const std::string_view symbol =
          at == std::string_view::npos ? argument : argument.substr(at + 1);
      return revision_error(
          fmt::format("Multiple head revisions are present for given argument '{}'; please "
                      "specify a specific target revision, '<branchname>@{}' to narrow to a "
                      "specific head, or 'heads' for all heads",
                      argument, symbol),
          hint);
    }
  }
}

Expected<RevisionMap::Number> RevisionMap::resolve_number(std::string_view ident,
                                                          const Wording& wording) const {
  Number number;
  std::string_view id = ident;
  if (const size_t at = ident.find('@'); at != std::string_view::npos) {
    number.label = std::string(ident.substr(0, at));
    id = ident.substr(at + 1);
  }
  if (id == "heads") {
    if (number.label.empty()) {
      for (size_t i : graph_.real_heads()) number.ids.push_back(revisions_[i].id);
      return number;
    }
    auto heads = filter_for_lineage(graph_.heads(), number.label, false, wording);
    if (!heads) return heads.take_error();
    for (size_t i : *heads) number.ids.push_back(revisions_[i].id);
    return number;
  }
  if (id == "head") {
    auto head = current_head(number.label, wording);
    if (!head) return head.take_error();
    if (*head != kBase) number.ids.push_back(revisions_[*head].id);
    return number;
  }
  if (id != "base") number.ids.emplace_back(id);
  return number;
}

// Alembic's get_current_head: the one versioned head, on the label's
// lineage when one is given.
Expected<size_t> RevisionMap::current_head(std::string_view label, const Wording& wording) const {
  std::vector<size_t> heads = graph_.heads();
  if (!label.empty()) {
    auto filtered = filter_for_lineage(heads, label, false, wording);
    if (!filtered) return filtered.take_error();
    heads = std::move(*filtered);
  }
  if (heads.size() > 1) {
    std::vector<std::string> ids;
    for (size_t i : heads) ids.push_back(revisions_[i].id);
    return multiple_heads(ids, label.empty() ? "head" : fmt::format("{}@head", label), wording);
  }
  return heads.empty() ? kBase : heads.front();
}

// Alembic's _revision_for_ident without a branch: an exact key (id or
// label), else a prefix of keys longer than 3 characters (the prefix itself
// may be shorter). Alembic lists the first three keys in map order and adds
// "..."; we list them all, sorted. Keys naming one revision (its id and its
// label) are one match, where Alembic counts them twice.
Expected<size_t> RevisionMap::resolve_key(std::string_view id) const {
  if (auto it = index_.find(id); it != index_.end()) return it->second;
  if (auto it = labels_.find(id); it != labels_.end()) return it->second;
  return revision_for_ident(id, nullptr);
}

Expected<RevisionMap::Branch> RevisionMap::resolve_branch(std::string_view label) const {
  auto revision = resolve_key(label);
  if (!revision) {
    return revision_error(
        fmt::format("No such branch: '{}'", label),
        "before '@' name a branch label, a revision id or a unique prefix of one");
  }
  return Branch{label, *revision, lineage({*revision}, false)};
}

// Alembic's _revision_for_ident. No id (Alembic's ()) is base. With a
// branch, prefix matches are kept to the branch's lineage and the result
// must share it.
Expected<size_t> RevisionMap::revision_for_ident(std::optional<std::string_view> id,
                                                 const Branch* branch) const {
  if (!id) return kBase;
  size_t revision = kBase;
  if (auto it = index_.find(*id); it != index_.end()) {
    revision = it->second;
  } else if (auto label = labels_.find(*id); label != labels_.end()) {
    revision = label->second;
  } else {
    if (id->empty()) return empty_identifier();
    std::vector<std::pair<std::string_view, size_t>> candidates;
    auto prefixed = [&](const auto& keys) {
      for (auto it = keys.lower_bound(*id); it != keys.end() && it->first.starts_with(*id); ++it) {
        if (it->first.size() <= 3) continue;
        if (branch && !branch->lineage[it->second]) continue;
        candidates.emplace_back(it->first, it->second);
      }
    };
    prefixed(index_);
    prefixed(labels_);
    std::sort(candidates.begin(), candidates.end());
    const bool one = !candidates.empty() &&
                     std::all_of(candidates.begin(), candidates.end(), [&](const auto& c) {
                       return c.second == candidates.front().second;
                     });
    if (candidates.empty()) {
      Error err = revision_error(
          fmt::format("No such revision or branch '{}'{}", *id,
                      id->size() < 4 ? "; please ensure at least four characters are present "
                                       "for partial revision identifier matches"
                                     : ""),
          "'retort history' lists the revision ids");
      return std::move(err).with_detail(UnknownRevision{std::string(*id)});
    }
    if (!one) {
      std::vector<std::string> keys;
      for (const auto& c : candidates) keys.emplace_back(c.first);
      Error err =
          revision_error(fmt::format("Multiple revisions start with '{}': {}", *id, quoted(keys)),
                         "give more characters of the revision id");
      return std::move(err).with_detail(AmbiguousPrefix{std::string(*id), std::move(keys)});
    }
    revision = candidates.front().second;
  }
  if (branch && !branch->lineage[revision]) {
    return revision_error(fmt::format("Revision {} is not a member of branch '{}'",
                                      revisions_[revision].id, branch->name),
                          fmt::format("'{}' is neither an ancestor nor a descendant of '{}'",
                                      revisions_[revision].id, revisions_[branch->revision].id));
  }
  return revision;
}

// Alembic's get_revisions for one identifier: "-N" and "label@-N" walk down
// from the real heads (those carrying the label); anything else names ids.
// The result may hold kBase (a walk that reached base) and kNowhere (one
// that ran out).
Expected<std::vector<size_t>> RevisionMap::get_revisions(std::string_view ident,
                                                         const Wording& wording) const {
  if (ident.empty()) return empty_identifier();
  auto number = resolve_number(ident, wording);
  if (!number) return number.take_error();
  std::vector<size_t> out;
  long long steps = 0;
  if (number->ids.size() == 1 && negative_count(number->ids.front(), &steps)) {
    for (size_t head : graph_.real_heads()) {
      if (!number->label.empty() && !has_label(head, number->label)) continue;
      auto walked = walk(head, steps, nullptr, true);
      if (!walked) return walked.take_error();
      out.push_back(walked->position);
    }
    return out;
  }
  std::optional<Branch> branch;
  if (!number->label.empty() && !number->ids.empty()) {
    auto resolved = resolve_branch(number->label);
    if (!resolved) return resolved.take_error();
    branch = std::move(*resolved);
  }
  for (const std::string& id : number->ids) {
    auto revision = revision_for_ident(id, branch ? &*branch : nullptr);
    if (!revision) return revision.take_error();
    out.push_back(*revision);
  }
  return out;
}

Expected<std::vector<size_t>> RevisionMap::get_revisions(const Ident& idents,
                                                         const Wording& wording) const {
  std::vector<size_t> out;
  for (const std::string& ident : idents) {
    auto revisions = get_revisions(ident, wording);
    if (!revisions) return revisions.take_error();
    out.insert(out.end(), revisions->begin(), revisions->end());
  }
  return out;
}

// Alembic's get_revision: one revision or base; several are "multiple heads".
Expected<size_t> RevisionMap::get_revision(std::string_view ident, const Wording& wording) const {
  if (ident.empty()) return empty_identifier();
  auto number = resolve_number(ident, wording);
  if (!number) return number.take_error();
  if (number->ids.size() > 1) return multiple_heads(number->ids, ident, wording);
  std::optional<Branch> branch;
  if (!number->label.empty()) {
    auto resolved = resolve_branch(number->label);
    if (!resolved) return resolved.take_error();
    branch = std::move(*resolved);
  }
  std::optional<std::string_view> id;
  if (!number->ids.empty()) id = number->ids.front();
  return revision_for_ident(id, branch ? &*branch : nullptr);
}

// Alembic's _shares_lineage as a set: the revisions, their ancestors and
// their descendants.
RevisionSet RevisionMap::lineage(const std::vector<size_t>& revisions,
                                 bool include_dependencies) const {
  RevisionSet below =
      graph_.ancestors(revisions, include_dependencies ? Edges::kNormalized : Edges::kVersioned);
  const RevisionSet above =
      graph_.descendants(revisions, include_dependencies ? Edges::kAll : Edges::kVersioned);
  for (size_t i = 0; i < below.size(); ++i) below[i] = below[i] || above[i];
  return below;
}

// What filter_for_lineage keeps: the lineage of the branch and of the
// revisions `check_against` names; nullopt (keep everything) when it names
// neither, as "base" and "heads" in an empty map. Alembic resolves
// `check_against` first, and the revisions it names only when there is a
// target to test: `targets_present` says whether there is.
Expected<std::optional<RevisionSet>> RevisionMap::lineage_of(std::string_view check_against,
                                                             bool include_dependencies,
                                                             const Wording& wording,
                                                             bool targets_present) const {
  auto number = resolve_number(check_against, wording);
  if (!number) return number.take_error();
  std::vector<std::string> shares = number->ids;
  if (!number->label.empty()) shares.insert(shares.begin(), number->label);
  if (shares.empty() || !targets_present) return std::optional<RevisionSet>();
  std::vector<size_t> revisions;
  for (const std::string& share : shares) {
    auto revision = resolve_key(share);
    if (!revision) return revision.take_error();
    revisions.push_back(*revision);
  }
  return std::optional<RevisionSet>(lineage(revisions, include_dependencies));
}

Expected<std::vector<size_t>> RevisionMap::filter_for_lineage(const std::vector<size_t>& targets,
                                                              std::string_view check_against,
                                                              bool include_dependencies,
                                                              const Wording& wording) const {
  auto keep = lineage_of(check_against, include_dependencies, wording, !targets.empty());
  if (!keep) return keep.take_error();
  if (!*keep) return targets;
  std::vector<size_t> out;
  for (size_t t : targets) {
    if ((**keep)[t]) out.push_back(t);
  }
  return out;
}

bool RevisionMap::has_label(size_t revision, std::string_view label) const {
  const auto& labels = branch_labels_[revision];
  return std::binary_search(labels.begin(), labels.end(), label);
}

Expected<const Revision*> RevisionMap::resolve(std::string_view ident) const {
  auto position = get_revision(ident, Wording{Context::kCommand});
  if (!position) return position.take_error();
  if (*position == kBase) return nullptr;
  return &revisions_[*position];
}

}  // namespace retort
