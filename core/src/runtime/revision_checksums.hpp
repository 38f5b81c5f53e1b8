// What each revision's upgrade renders to for one dialect, and its checksum:
// "v1:sha256:" and the SHA-256 of the statements, each followed by a NUL
// byte. The statements are rendered offline, in one script from base to
// every head, as `upgrade heads --sql` writes them: online rendering may
// read the catalog (SQLite's table rebuilds), offline rendering reads only
// the revisions, so the checksum of a revision is the same on every
// machine and against every database state. A changed revision, or a
// dialect that now renders it differently, changes it.
#ifndef RETORT_REVISION_CHECKSUMS_HPP
#define RETORT_REVISION_CHECKSUMS_HPP

#include "plugin/host_dialect.hpp"
#include "revision/revision_map.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort {

struct RevisionFingerprint {
  std::string checksum;                 // "v1:sha256:<64 hex digits>"
  std::vector<std::string> statements;  // as rendered offline
};

class RevisionChecksums {
 public:
  // Every revision of `map` whose upgrade renders offline; one that fails
  // to (a revision that queries without checking op.is_offline()) has none.
  static RevisionChecksums compute(const Dialect& dialect, const RevisionMap& map);

  RevisionChecksums() = default;
  explicit RevisionChecksums(std::unordered_map<std::string, RevisionFingerprint> by_id)
      : by_id_(std::move(by_id)) {}

  // nullptr when the revision has none.
  const RevisionFingerprint* find(std::string_view id) const;

 private:
  std::unordered_map<std::string, RevisionFingerprint> by_id_;
};

}  // namespace retort

#endif  // RETORT_REVISION_CHECKSUMS_HPP
