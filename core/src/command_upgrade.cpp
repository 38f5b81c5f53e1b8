// retort upgrade, downgrade and stamp: online, or as an SQL script with --sql.
#include <retort/command.hpp>

#include "command_support.hpp"

#include <fmt/format.h>

#include <iostream>

namespace retort::command {
namespace {

struct Range {
  std::optional<std::string> start;
  std::string end;
};

Expected<Range> parse_range(const std::string& target, bool sql, bool upgrade) {
  auto colon = target.find(':');
  if (colon == std::string::npos) {
    if (sql && !upgrade) {
      return Error(ErrorCategory::kUsage, "downgrade with --sql requires <fromrev>:<torev>");
    }
    return Range{std::nullopt, target};
  }
  if (!sql) {
    return Error(ErrorCategory::kUsage, fmt::format("range revision '{}' not allowed", target),
                 "a start:end range is only for --sql scripts");
  }
  return Range{target.substr(0, colon), target.substr(colon + 1)};
}

// The version rows an offline script starts from.
Expected<std::vector<std::string>> starting_heads(const RevisionMap& map,
                                                  const std::optional<std::string>& start) {
  if (!start || start->empty() || *start == "base") return std::vector<std::string>{};
  auto rev = map.resolve(*start);
  if (!rev) return rev.take_error();
  if (*rev == nullptr) return std::vector<std::string>{};
  return std::vector<std::string>{(*rev)->id};
}

// An online context, or an offline one writing to cfg.output() from `start`.
Expected<MigrationContext> open_context(const Config& cfg, const detail::Database& db,
                                        const RevisionMap& map, bool sql,
                                        const std::optional<std::string>& start) {
  if (!sql) return MigrationContext::connect(db.dialect, db.url, detail::version_table(cfg));
  auto heads = starting_heads(map, start);
  if (!heads) return heads.take_error();
  return MigrationContext::offline(db.dialect, cfg.output(), detail::version_table(cfg),
                                   std::move(*heads));
}

Error run(const Config& cfg, const std::string& target, const RunOptions& options, bool upgrade) {
  auto range = parse_range(target, options.sql, upgrade);
  if (!range) return range.take_error();
  // Compiler progress goes to stderr: with --sql, stdout is the script.
  auto env = detail::load_environment(cfg, std::cerr);
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();

  auto ctx = open_context(cfg, *db, env->map, options.sql, range->start);
  if (!ctx) return ctx.take_error();
  auto current = ctx->current_heads();
  if (!current) return current.take_error();
  auto plan = upgrade ? env->map.upgrade_plan(*current, range->end)
                      : env->map.downgrade_plan(*current, range->end);
  if (!plan) return plan.take_error();
  return ctx->run(*plan, cfg.output());
}

}  // namespace

Error stamp(const Config& cfg, const std::vector<std::string>& revisions, const StampOptions& options) {
  if (options.sql && options.purge) {
    return Error(ErrorCategory::kUsage, "Can't use --purge with --sql mode");
  }
  // With --sql, each target may carry the one starting revision: start:rev.
  std::optional<std::string> start;
  std::vector<std::string> targets;
  for (const std::string& r : revisions) {
    auto colon = r.find(':');
    if (colon == std::string::npos) {
      targets.push_back(r);
      continue;
    }
    if (!options.sql) {
      return Error(ErrorCategory::kUsage, fmt::format("range revision '{}' not allowed", r),
                   "a start:end range is only for --sql scripts");
    }
    std::string s = r.substr(0, colon);
    if (start && *start != s) {
      return Error(ErrorCategory::kUsage,
                   "Stamp operation with --sql only supports a single starting revision at a time");
    }
    start = s;
    targets.push_back(r.substr(colon + 1));
  }
  auto env = detail::load_environment(cfg, std::cerr);
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();
  auto ctx = open_context(cfg, *db, env->map, options.sql, start);
  if (!ctx) return ctx.take_error();
  auto rows = ctx->current_heads();
  if (!rows) return rows.take_error();
  if (options.purge) {
    if (auto err = ctx->purge(*rows)) return err;
    rows->clear();
  }
  auto plan = env->map.stamp_plan(*rows, targets);
  if (!plan) return plan.take_error();
  return ctx->run(*plan, cfg.output());
}

Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/true);
}

Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/false);
}

}  // namespace retort::command
