// fuzz_revision_graph: building and validating the revision graph, resolving
// identifiers and planning (core/src/revision/).
//
// The input is a small graph, one revision a line, then identifiers:
//
//   x1                     a base
//   x2 x1 +x3 @feature     revises x1, depends on x3, branch label "feature"
//   x3 x2
//   --
//   heads                  an identifier (several, space-separated: a tuple)
//   x1                     the version table's rows, space-separated
//
// Words are split at spaces and tabs; at most 64 revisions, of 8 words each,
// are read. The map is built; if it is valid, the identifier is resolved and
// planned against in every way the commands do. Checks:
//   - history() lists every revision exactly once, and so does the plan
//     from an empty database to "heads": a graph the map accepts can be run
//     whole (a dependency cycle it let through once dropped revisions);
//   - no plan runs a revision twice;
//   - no assertion of the map fires (they are on here).
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "revision/revision_map.hpp"

namespace {

using retort_fuzz::check;

constexpr size_t kMaxRevisions = 64;
constexpr size_t kMaxWords = 8;

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    const size_t start = line.find_first_not_of(" \t", i);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(line.find_first_of(" \t", start), line.size());
    out.emplace_back(line.substr(start, end - start));
    i = end;
  }
  return out;
}

struct Input {
  std::vector<retort::Revision> revisions;
  std::string target;
  std::vector<std::string> rows;
};

Input decode(std::string_view text) {
  Input in;
  bool graph = true;
  int after = 0;  // lines read after "--"
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!graph) {
      if (after++ == 0) {
        in.target = std::string(line);
      } else {
        in.rows = words(line);
        break;
      }
      continue;
    }
    if (line == "--") {
      graph = false;
      continue;
    }
    std::vector<std::string> w = words(line);
    if (w.empty() || in.revisions.size() == kMaxRevisions) continue;
    if (w.size() > kMaxWords) w.resize(kMaxWords);
    retort::Revision rev;
    rev.id = w[0];
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i].size() > 1 && w[i][0] == '+') {
        rev.depends_on.push_back(w[i].substr(1));
      } else if (w[i].size() > 1 && w[i][0] == '@') {
        rev.branch_labels.push_back(w[i].substr(1));
      } else {
        rev.down_revisions.push_back(w[i]);
      }
    }
    rev.message = "m";
    in.revisions.push_back(std::move(rev));
  }
  return in;
}

// Every revision exactly once.
void check_whole(const retort::RevisionMap& map, const std::vector<const retort::Revision*>& revs,
                 const char* what) {
  std::set<const retort::Revision*> seen(revs.begin(), revs.end());
  check(seen.size() == revs.size(), std::string(what) + " lists a revision twice");
  check(revs.size() == map.revisions().size(), std::string(what) + " leaves revisions out");
}

// No revision runs twice in one plan.
void check_plan(const retort::Expected<std::vector<retort::MigrationStep>>& plan,
                const char* what) {
  if (!plan) return;
  std::set<const retort::Revision*> run;
  for (const retort::MigrationStep& step : *plan) {
    if (step.stamp || step.revision == nullptr) continue;
    check(run.insert(step.revision).second, std::string(what) + " runs a revision twice",
          step.revision->id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in = decode(retort_fuzz::as_text(data, size));
  auto built = retort::RevisionMap::build(std::move(in.revisions));
  if (!built) return 0;
  const retort::RevisionMap& map = *built;
  const std::string_view target = in.target;

  check_whole(map, map.history(), "history()");
  auto all = map.upgrade_plan({}, "heads");
  check(static_cast<bool>(all), "no plan from an empty database to heads",
        all ? std::string_view() : all.error().message());
  std::vector<const retort::Revision*> planned;
  for (const retort::MigrationStep& step : *all) planned.push_back(step.revision);
  check_whole(map, planned, "upgrade_plan({}, heads)");

  for (const retort::Revision& rev : map.revisions()) {
    (void)map.branch_labels(rev.id);
    (void)map.is_branch_point(rev.id);
    (void)map.is_merge_point(rev.id);
    (void)map.is_effective_head(rev.id);
    (void)map.children(rev.id);
  }
  (void)map.heads(true);
  (void)map.bases();

  (void)map.resolve(target);
  (void)map.resolve_all(target);
  check_plan(map.upgrade_plan(in.rows, target), "upgrade_plan");
  check_plan(map.downgrade_plan(in.rows, target), "downgrade_plan");
  (void)map.stamp_plan(in.rows, words(target));
  (void)map.current_display(in.rows);
  (void)map.history_range(target, "");
  (void)map.history_range("", target);
  (void)map.iterate_revisions(target, "base");
  (void)map.iterate_revisions("heads", target, {.implicit_base = true, .inclusive = true});
  (void)map.iterate_revisions(target, target, {.select_for_downgrade = true});
  (void)map.new_revision_parents(target, false);
  (void)map.new_revision_parents(target, true);
  (void)map.new_revision_dependencies(words(target));
  return 0;
}
