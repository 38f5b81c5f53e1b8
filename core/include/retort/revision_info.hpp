// A revision of the script directory, as an application sees it: Alembic's
// Script/Revision attributes, read-only. ScriptDirectory (script_directory.hpp)
// hands them out; a Revision is a plain value, valid after the directory is
// gone.
//
// (retort/revision.hpp is the SDK header that revision sources include; this
// one describes revisions to a program that embeds retort.)
#ifndef RETORT_REVISION_INFO_HPP
#define RETORT_REVISION_INFO_HPP

#include <string>
#include <vector>

namespace retort {
// The embedding API's classes live in an inline namespace: write
// retort::Revision. It keeps them apart from core's internal classes of the
// same names.
inline namespace api {

class ScriptDirectory;

class Revision {
 public:
  // The revision id.
  const std::string& revision() const { return revision_; }
  // The revisions it revises, as declared; empty for a base. Two or more
  // make it a merge point.
  const std::vector<std::string>& down_revisions() const { return down_revisions_; }
  // Its branch labels: declared ones and those it carries from the revisions
  // below it on the same branch (Alembic's propagation), sorted.
  const std::vector<std::string>& branch_labels() const { return branch_labels_; }
  // depends_on, as declared (ids, prefixes or labels).
  const std::vector<std::string>& dependencies() const { return dependencies_; }
  const std::string& message() const { return message_; }  // "" when none
  const std::string& create_date() const { return create_date_; }
  // The source file that declares it (or, for a revision with no source,
  // the module it came from).
  const std::string& path() const { return path_; }

  // No revision revises it (through down_revision): a head, as `retort
  // heads` lists them.
  bool is_head() const { return is_head_; }
  // It revises nothing.
  bool is_base() const { return down_revisions_.empty(); }
  // Several revisions revise it.
  bool is_branch_point() const { return is_branch_point_; }
  // It revises several revisions.
  bool is_merge_point() const { return down_revisions_.size() > 1; }

  friend bool operator==(const Revision&, const Revision&) = default;

 private:
  friend class ScriptDirectory;
  Revision() = default;

  std::string revision_;
  std::vector<std::string> down_revisions_;
  std::vector<std::string> branch_labels_;
  std::vector<std::string> dependencies_;
  std::string message_;
  std::string create_date_;
  std::string path_;
  bool is_head_ = false;
  bool is_branch_point_ = false;
};

}  // namespace api
}  // namespace retort

#endif  // RETORT_REVISION_INFO_HPP
