// What a public retort::ScriptDirectory (retort/script_directory.hpp) holds:
// core's ScriptDirectory and the graph read from it. For the files that
// implement the embedding API.
//
// Core's headers come before the public ones that share their names
// (revision_map.hpp says why): core's are then read while only their own
// Revision, ScriptDirectory and MigrationContext exist, and the public
// headers name theirs from inside `api`. After this header, each of those
// names is ambiguous unqualified: write internal:: or api::.
#ifndef RETORT_SCRIPT_DIRECTORY_API_HPP
#define RETORT_SCRIPT_DIRECTORY_API_HPP

#include "revision/revision_map.hpp"
#include "script/script_directory.hpp"

#include <retort/script_directory.hpp>

namespace retort {

struct api::ScriptDirectory::Impl {
  internal::ScriptDirectory scripts;
  RevisionMap map;

  // `rev`, a revision of `map`, as the API shows it.
  api::Revision to_public(const internal::Revision& rev) const;
};

}  // namespace retort

#endif  // RETORT_SCRIPT_DIRECTORY_API_HPP
