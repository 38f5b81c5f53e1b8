// What each revision's upgrade renders to for one dialect, and its checksum:
// "v1:sha256:" and the SHA-256 of the statements, each followed by a NUL
// byte. The statements are rendered offline, in one script from base to
// every head, as `upgrade heads --sql` writes them: online rendering may
// read the catalog (SQLite's table rebuilds), offline rendering reads only
// the revisions, so the checksum of a revision is the same on every
// machine and against every database state. A changed revision, or a
// dialect that now renders it differently, changes it.
//
// The checksums and statement counts of the last rendering are kept in the
// checksum cache (checksum_cache.hpp) while the revision modules, the
// dialect and the host are the files they were; then nothing is rendered
// until statements are asked for.
#ifndef RETORT_REVISION_CHECKSUMS_HPP
#define RETORT_REVISION_CHECKSUMS_HPP

#include "plugin/host_dialect.hpp"
#include "revision/revision_map.hpp"
#include "runtime/checksum_cache.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace retort {

struct RevisionFingerprint {
  std::string checksum;                 // "v1:sha256:<64 hex digits>"
  std::vector<std::string> statements;  // as rendered offline
};

// A fingerprint without the statements. The checksum lives as long as the
// RevisionChecksums it came from.
struct RevisionSummary {
  std::string_view checksum;
  size_t statements = 0;  // how many
};

class RevisionChecksums {
 public:
  // Every revision of `map` whose upgrade renders offline; one that fails
  // to (a revision that queries without checking op.is_offline()) has none.
  // Read from the cache when it holds this plan, else rendered now and
  // recorded there; with no `cache` options, always rendered. `dialect`
  // must outlive the result; `map` need not.
  static RevisionChecksums compute(
      const Dialect& dialect, const RevisionMap& map,
      std::optional<ChecksumCacheOptions> cache = ChecksumCacheOptions{});
  // The same summaries for a map whose revisions have no module loaded,
  // from the cache alone: `module_files` gives the file of each revision's
  // module, by the revision's index in the map. Nullopt when the cache holds nothing for
  // this plan or a revision has no file; nothing is rendered, and find()
  // answers nullptr.
  static std::optional<RevisionChecksums> cached(const Dialect& dialect, const RevisionMap& map,
                                                 const std::vector<std::string_view>& module_files,
                                                 const ChecksumCacheOptions& cache = {});

  RevisionChecksums();
  // Fingerprints already known (tests).
  explicit RevisionChecksums(std::unordered_map<std::string, RevisionFingerprint> by_id);
  RevisionChecksums(RevisionChecksums&&) noexcept;
  RevisionChecksums& operator=(RevisionChecksums&&) noexcept;
  ~RevisionChecksums();

  // The checksum and statement count; nullptr when the revision has none.
  const RevisionSummary* summary(std::string_view id) const;
  // The checksum and statements; nullptr when the revision has none. Read
  // from the cache, the statements are rendered the first time one is
  // asked for: every revision's, in one script as above.
  const RevisionFingerprint* find(std::string_view id) const;

  // How many revisions were rendered so far.
  size_t rendered() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace retort

#endif  // RETORT_REVISION_CHECKSUMS_HPP
