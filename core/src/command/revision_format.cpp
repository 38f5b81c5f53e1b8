#include "command/revision_format.hpp"

#include "util/text.hpp"

#include <fmt/format.h>

#include <sstream>

namespace retort {
namespace {

std::string down_revisions(const Revision& rev) {
  return rev.is_base() ? "<base>" : join(rev.down_revisions);
}

}  // namespace

std::string format_line(const RevisionMap& map, const Revision& rev, const FormatOptions& options) {
  std::string text = rev.id;
  if (options.include_parents) {
    text = rev.depends_on.empty()
               ? fmt::format("{} -> {}", down_revisions(rev), text)
               : fmt::format("{} ({}) -> {}", down_revisions(rev), join(rev.depends_on), text);
  }
  if (options.include_branches) {
    if (std::vector<std::string> labels = map.branch_labels(rev.id); !labels.empty()) {
      text += fmt::format(" ({})", join(labels));
    }
  }
  if (options.head_indicators || options.tree_indicators) {
    const bool effective = map.is_effective_head(rev.id);
    if (map.children(rev.id).empty() && !effective) text += " (head)";
    if (effective) text += " (effective head)";
    if (options.current) text += " (current)";
  }
  if (options.tree_indicators) {
    if (map.is_branch_point(rev.id)) text += " (branchpoint)";
    if (map.is_merge_point(rev.id)) text += " (mergepoint)";
  }
  if (options.include_doc) text += ", " + rev.message;
  return text;
}

std::string format_entry(const RevisionMap& map, const Revision& rev, bool current) {
  std::ostringstream out;
  out << "Rev: " << rev.id << (map.children(rev.id).empty() ? " (head)" : "")
      << (map.is_branch_point(rev.id) ? " (branchpoint)" : "")
      << (map.is_merge_point(rev.id) ? " (mergepoint)" : "") << (current ? " (current)" : "")
      << "\n";
  out << (map.is_merge_point(rev.id) ? "Merges: " : "Parent: ") << down_revisions(rev) << "\n";
  if (!rev.depends_on.empty()) out << "Also depends on: " << join(rev.depends_on) << "\n";
  if (map.is_branch_point(rev.id)) out << "Branches into: " << join(map.children(rev.id)) << "\n";
  if (std::vector<std::string> labels = map.branch_labels(rev.id); !labels.empty()) {
    out << "Branch names: " << join(labels) << "\n";
  }
  out << "Path: " << rev.path << "\n\n";
  std::istringstream lines(rev.message);
  std::string line;
  while (std::getline(lines, line)) out << "    " << line << "\n";
  out << "\n    Revision ID: " << rev.id << "\n    Revises: " << join(rev.down_revisions)
      << "\n    Create Date: " << rev.create_date << "\n";
  return out.str();
}

}  // namespace retort
