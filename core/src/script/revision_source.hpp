// Reads a revision source's metadata from its text, without compiling it: the
// fields of every RETORT_REVISION(...) in the file, as `retort revision` and
// `retort merge` write them.
//
// What is read. The macro's arguments are designated initializers of
// retort::RevisionDef, `.name = value`, separated by commas (a trailing comma
// is allowed), in any order, each at most once:
//   .revision, .message, .create_date   a string literal: plain or u8, raw
//                                       or not; adjacent literals join, C
//                                       escapes are decoded. The value ends
//                                       at an embedded \0, as the compiled
//                                       module's const char* does.
//   .down_revision, .branch_labels,     nullptr, {}, a string literal or
//   .depends_on                         {"a", "b", ...}; not {nullptr}
//   .upgrade, .downgrade                any expression, skipped unread
// .revision is required and non-empty; a missing list is empty, a missing
// message or create_date is "". Any other value of a metadata field (a
// constant, a call, a number) is refused: the reader does not evaluate C++.
//
// What is not a declaration: RETORT_REVISION in a comment, a string or char
// literal or a preprocessor directive (a line starting with #, with its
// continuation lines), and identifiers that merely contain the name. Code
// inside #if 0 is still read: the reader does not run the preprocessor.
//
// One linear pass over the text; nothing is allocated but the results.
#ifndef RETORT_REVISION_SOURCE_HPP
#define RETORT_REVISION_SOURCE_HPP

#include <retort/error.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "revision/revision_map.hpp"

namespace retort {

// One RETORT_REVISION(...) found in a source.
struct DeclaredRevision {
  Revision revision;  // path = the file path given; module = nullptr
  int line = 0;       // 1-based, of the macro's name
};

// Every RETORT_REVISION(...) in `text`, in order; none is an empty vector.
// `path` is used only in messages and in Revision::path. A field that cannot
// be read is an ErrorCategory::kRevision error naming path:line.
Expected<std::vector<DeclaredRevision>> read_revision_source(std::string_view text,
                                                             const std::string& path);

// Reads the file and calls read_revision_source; a file that cannot be read
// is an ErrorCategory::kIo error naming it.
Expected<std::vector<DeclaredRevision>> read_revision_file(const std::string& path);

}  // namespace retort

#endif  // RETORT_REVISION_SOURCE_HPP
