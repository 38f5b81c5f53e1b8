// How revisions are shown by history, heads, branches, current and show, in
// Alembic's formats so that its users read them at a glance.
#ifndef RETORT_REVISION_FORMAT_HPP
#define RETORT_REVISION_FORMAT_HPP

#include "revision/revision_map.hpp"

#include <string>
#include <vector>

namespace retort {

struct FormatOptions {
  bool include_branches = false;  // " (label, ...)"
  bool include_doc = false;       // ", message"
  bool include_parents = false;   // "down -> rev"
  bool tree_indicators = true;    // " (branchpoint)", " (mergepoint)"
  bool head_indicators = true;    // " (head)", " (effective head)", " (current)"
  bool current = false;           // the database is at this revision
};

// One line, e.g. "a1 -> b2 (mylabel) (head), add account".
std::string format_line(const RevisionMap& map, const Revision& rev, const FormatOptions& options);

// The verbose entry: "Rev: ...", "Parent: ...", "Path: ..." and the message,
// ending in a blank line.
std::string format_entry(const RevisionMap& map, const Revision& rev, bool current = false);

}  // namespace retort

#endif  // RETORT_REVISION_FORMAT_HPP
