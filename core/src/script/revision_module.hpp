// A revision module as the host sees it: the revisions its descriptor
// declares, read through the plugin loader, and their comparison with what
// the revision sources declare. A module is loaded only to run or render
// its revisions, or when nothing else describes them (a pack without
// sources, an old deploy).
#ifndef RETORT_REVISION_MODULE_HPP
#define RETORT_REVISION_MODULE_HPP

#include <retort/error.hpp>

#include "revision/revision_map.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace retort {

struct RevisionModule {
  std::string path;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::vector<Revision> revisions;  // each with its module pointer; path = the module
};

// Loads `path` (its code runs) and reads its revisions.
Expected<RevisionModule> load_revision_module(const std::string& path);

// The first field in which two declarations of one revision differ, e.g.
// "down_revision 'a' against 'b'"; "" when they agree. Only metadata is
// compared: id, down_revision, branch_labels, depends_on, message,
// create_date.
std::string metadata_difference(const Revision& a, const Revision& b);

}  // namespace retort

#endif  // RETORT_REVISION_MODULE_HPP
