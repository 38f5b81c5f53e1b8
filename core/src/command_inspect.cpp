// retort current, history, heads; and the same facts for applications.
#include <retort/command.hpp>

#include "command_support.hpp"

#include <fmt/format.h>

#include <ostream>
#include <sstream>

namespace retort::command {
namespace {

std::string join(const std::vector<std::string>& ids) { return fmt::format("{}", fmt::join(ids, ", ")); }

bool is_head(const RevisionMap& map, const Revision& rev) { return map.children(rev.id).empty(); }

// Alembic's history line: "a -> b (head), message".
std::string history_line(const RevisionMap& map, const Revision& rev) {
  std::string line = fmt::format("{} -> {}", rev.is_base() ? "<base>" : join(rev.down_revisions), rev.id);
  if (is_head(map, rev)) line += " (head)";
  if (map.children(rev.id).size() > 1) line += " (branchpoint)";
  if (rev.down_revisions.size() > 1) line += " (mergepoint)";
  return line + ", " + rev.message;
}

// Alembic's verbose entry.
std::string log_entry(const RevisionMap& map, const Revision& rev) {
  std::ostringstream out;
  out << "Rev: " << rev.id << (is_head(map, rev) ? " (head)" : "") << "\n";
  if (rev.down_revisions.size() > 1) {
    out << "Merges: " << join(rev.down_revisions) << "\n";
  } else {
    out << "Parent: " << (rev.is_base() ? "<base>" : rev.down_revisions.front()) << "\n";
  }
  if (std::vector<std::string> children = map.children(rev.id); children.size() > 1) {
    out << "Branches into: " << join(children) << "\n";
  }
  out << "Path: " << rev.path << "\n\n";
  std::istringstream lines(rev.message);
  std::string line;
  while (std::getline(lines, line)) out << "    " << line << "\n";
  out << "\n    Revision ID: " << rev.id << "\n    Revises: " << join(rev.down_revisions)
      << "\n    Create Date: " << rev.create_date << "\n";
  return out.str();
}

Expected<std::vector<std::string>> database_heads(const Config& cfg, detail::Database& db) {
  auto ctx = MigrationContext::connect(db.dialect, db.url, detail::version_table(cfg));
  if (!ctx) return ctx.take_error();
  return ctx->current_heads();
}

}  // namespace

Error current(const Config& cfg, bool verbose) {
  auto env = detail::load_environment(cfg, cfg.output());
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  auto heads = database_heads(cfg, *db);
  if (!heads) return heads.take_error();
  std::ostream& out = cfg.output();
  if (verbose) out << "Current revision(s) for " << db->dialect.redact(db->url) << ":\n";
  for (const std::string& id : *heads) {
    const Revision* rev = env->map.find(id);
    if (rev == nullptr) {
      return Error(ErrorCategory::kRevision,
                   fmt::format("version table '{}' holds revision '{}', which is not in the script "
                               "directory",
                               detail::version_table(cfg), id),
                   "restore the revision's source or module, or point url at the right database");
    }
    out << (verbose ? log_entry(env->map, *rev) : id + (is_head(env->map, *rev) ? " (head)" : ""))
        << "\n";
  }
  return Error::success();
}

Error history(const Config& cfg, bool verbose) {
  auto env = detail::load_environment(cfg, cfg.output());
  if (!env) return env.take_error();
  for (const Revision* rev : env->map.history()) {
    cfg.output() << (verbose ? log_entry(env->map, *rev) : history_line(env->map, *rev)) << "\n";
  }
  return Error::success();
}

Error heads(const Config& cfg, bool verbose) {
  auto env = detail::load_environment(cfg, cfg.output());
  if (!env) return env.take_error();
  for (const std::string& id : env->map.heads()) {
    const Revision& rev = *env->map.find(id);
    cfg.output() << (verbose ? log_entry(env->map, rev) : id + " (head)") << "\n";
  }
  return Error::success();
}

Expected<std::vector<std::string>> current_revisions(const Config& cfg) {
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  return database_heads(cfg, *db);
}

Expected<std::vector<std::string>> head_revisions(const Config& cfg) {
  std::ostringstream progress;
  auto env = detail::load_environment(cfg, progress);
  if (!env) return env.take_error();
  return env->map.heads();
}

}  // namespace retort::command
