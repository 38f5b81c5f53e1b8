// retort upgrade, retort downgrade: online, or as an SQL script with --sql.
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

Error run(const Config& cfg, const std::string& target, const RunOptions& options, bool upgrade) {
  auto range = parse_range(target, options.sql, upgrade);
  if (!range) return range.take_error();
  // With --sql, stdout is the script: compiler progress goes to stderr.
  auto env = detail::load_environment(cfg, options.sql ? std::cerr : cfg.output());
  if (!env) return env.take_error();
  auto db = detail::database(cfg);
  if (!db) return db.take_error();

  std::optional<MigrationContext> ctx;
  if (options.sql) {
    auto heads = starting_heads(env->map, range->start);
    if (!heads) return heads.take_error();
    ctx.emplace(MigrationContext::offline(db->dialect, cfg.output(), detail::version_table(cfg),
                                          std::move(*heads)));
  } else {
    auto online = MigrationContext::connect(db->dialect, db->url, detail::version_table(cfg));
    if (!online) return online.take_error();
    ctx.emplace(std::move(*online));
  }
  auto current = ctx->current_heads();
  if (!current) return current.take_error();
  auto plan = upgrade ? env->map.upgrade_plan(*current, range->end)
                      : env->map.downgrade_plan(*current, range->end);
  if (!plan) return plan.take_error();
  return ctx->run(*plan, cfg.output());
}

}  // namespace

Error upgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/true);
}

Error downgrade(const Config& cfg, const std::string& target, const RunOptions& options) {
  return run(cfg, target, options, /*upgrade=*/false);
}

}  // namespace retort::command
