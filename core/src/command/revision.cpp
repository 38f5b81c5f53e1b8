// retort revision, retort merge, retort build (and build --deploy).
#include <retort/command.hpp>

#include "command/command_scope.hpp"
#include "command/command_support.hpp"
#include "util/install_paths.hpp"
#include "script/revision_file.hpp"
#include "command/revision_format.hpp"

#include <retort/shorten.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;

namespace retort::command {
namespace {

constexpr size_t kDefaultSlugLength = 40;

Expected<size_t> truncate_slug_length(const Config& cfg) {
  auto value = cfg.main_option("truncate_slug_length", "");
  if (!value) return value.take_error();
  if (value->empty()) return kDefaultSlugLength;
  try {
    size_t used = 0;
    long n = std::stol(*value, &used);
    if (used == value->size() && n > 0) return static_cast<size_t>(n);
  } catch (const std::exception&) {
  }
  return Error(ErrorCategory::kConfig,
               fmt::format("truncate_slug_length must be a positive number, not '{}'",
                           shorten(*value)));
}

// The message as // comment lines that nothing in it can end early: it is
// split at \r\n, \r and \n (GCC and clang end a line at each), other control
// characters become spaces, and a line that would end in a backslash (or
// the trigraph ??/) gets a '.' after it, or it would splice the next line
// into the comment. The exact message is in the .message literal.
std::string comment_lines(const std::string& message) {
  const std::string text = message.empty() ? std::string("(no message)") : message;
  std::string out;
  std::string line;
  auto flush = [&] {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.ends_with('\\') || line.ends_with("?\?/")) line += '.';
    if (!out.empty()) out += '\n';
    out += line.empty() ? "//" : "// " + line;
    line.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      flush();
    } else {
      line += (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : static_cast<char>(c);
    }
  }
  if (!line.empty() || out.empty()) flush();
  return out;
}

Expected<std::string> revision_template(const ScriptDirectory& scripts) {
  fs::path path = scripts.revision_template();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    // The script directory has none: the scaffold's default.
    Expected<std::string> scaffold = find_scaffold_dir();
    if (!scaffold) {
      Error err = scaffold.take_error();
      return Error(ErrorCategory::kIo,
                   fmt::format("revision template '{}' does not exist and the scaffold's "
                               "default cannot be used: {}",
                               path.string(), err.message()),
                   fmt::format("add script.cpp.tmpl to the script directory, or {}", err.hint()));
    }
    path = fs::path(*scaffold) / "templates/generic/script.cpp.tmpl";
  }
  std::ifstream in(path);
  if (!in) return Error(ErrorCategory::kIo, fmt::format("cannot read revision template '{}'", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What a new revision file says about itself.
struct NewRevision {
  std::string rev_id;
  std::string message;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string location;  // the version location it goes to
};

// nullptr, "a" or {"a", "b"}: an Ids value in the revision source.
std::string ids_literal(const std::vector<std::string>& ids, const char* none) {
  if (ids.empty()) return none;
  if (ids.size() == 1) return cpp_string_literal(ids.front());
  std::vector<std::string> literals;
  for (const std::string& id : ids) literals.push_back(cpp_string_literal(id));
  return fmt::format("{{{}}}", fmt::join(literals, ", "));
}

Expected<std::string> write_revision(const Config& cfg, const detail::Environment& env,
                                     NewRevision r) {
  if (r.rev_id.empty()) r.rev_id = new_revision_id();
  if (auto err = check_revision_id(r.rev_id)) return err;
  if (env.map.find(r.rev_id) != nullptr) {
    return Error(ErrorCategory::kRevision, fmt::format("revision '{}' is already present", r.rev_id),
                 "choose another --rev-id");
  }
  auto slug_length = truncate_slug_length(cfg);
  if (!slug_length) return slug_length.take_error();
  auto file_template = cfg.main_option("file_template", "%(rev)s_%(slug)s");
  if (!file_template) return file_template.take_error();
  std::time_t now = std::time(nullptr);
  auto name = format_file_template(*file_template, r.rev_id, slugify(r.message, *slug_length), now);
  if (!name) return name.take_error();
  fs::path path = fs::path(r.location) / (*name + ".cpp");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    return Error(ErrorCategory::kIo, fmt::format("revision file '{}' already exists", path.string()));
  }

  auto text = revision_template(env.scripts);
  if (!text) return text.take_error();
  for (const auto& [key, values] : {std::pair{"branch_labels", &r.branch_labels},
                                    std::pair{"depends_on", &r.depends_on}}) {
    if (!values->empty() && text->find(fmt::format("${{{}}}", key)) == std::string::npos) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("the revision template has no ${{{}}}, so the revision cannot "
                               "record its {}",
                               key, key),
                   fmt::format("add '.{0} = ${{{0}}},' to '{1}' after .down_revision", key,
                               env.scripts.revision_template()));
    }
  }
  std::tm local{};
  localtime_r(&now, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &local);
  std::string source = substitute(
      *text, {{"message_comment", comment_lines(r.message)},
              {"rev", r.rev_id},
              {"down_revision_comment", r.down_revisions.empty() ? "<base>" : join_ids(r.down_revisions)},
              {"create_date", date},
              {"down_revision", ids_literal(r.down_revisions, "nullptr")},
              {"branch_labels", ids_literal(r.branch_labels, "{}")},
              {"depends_on", ids_literal(r.depends_on, "{}")},
              {"message", cpp_string_literal(r.message)}});

  cfg.output() << fmt::format("Generating '{}' ...  ", path.string());
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << source;
  if (!out) return Error(ErrorCategory::kIo, fmt::format("cannot write '{}'", path.string()));
  cfg.output() << "done\n";
  return path.string();
}

// The version location a new revision goes to: --version-path if given,
// else where its parent lives, else the only location.
Expected<std::string> choose_location(const detail::Environment& env, const std::string& version_path,
                                      const Revision* parent) {
  const std::vector<std::string>& locations = env.scripts.version_locations();
  if (!version_path.empty()) {
    std::string wanted = fs::absolute(version_path).lexically_normal().string();
    while (wanted.size() > 1 && wanted.back() == '/') wanted.pop_back();
    for (const std::string& l : locations) {
      if (l == wanted) return l;
    }
    return Error(ErrorCategory::kUsage,
                 fmt::format("Path {} is not represented in current version locations", version_path),
                 fmt::format("use one of: {}", join_ids(locations)));
  }
  if (parent != nullptr && locations.size() > 1) {
    std::string dir = fs::path(parent->path).parent_path().string();
    for (const std::string& l : locations) {
      if (l == dir) return l;
    }
  }
  if (locations.size() > 1) {
    return Error(ErrorCategory::kUsage, "Multiple version locations present, please specify --version-path");
  }
  return locations.front();
}

// Revisions are written, and built, only where their sources are.
Error refuse_in_deploy(const Config& cfg, const std::string& command) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return Error::success();  // the command reports it
  return scripts->refuse_in_deploy(command);
}

}  // namespace

Expected<std::string> revision(const Config& cfg, const RevisionOptions& options) {
  CommandScope scope(cfg);
  if (auto err = refuse_in_deploy(cfg, "revision")) return err;
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  // Several parents (--head heads) make a merge, as in Alembic.
  auto parents = env->map.new_revision_parents(options.head, options.splice);
  if (!parents) return parents.take_error();
  auto location = choose_location(*env, options.version_path, parents->empty() ? nullptr : parents->front());
  if (!location) return location.take_error();
  auto depends_on = env->map.new_revision_dependencies(options.depends_on);
  if (!depends_on) return depends_on.take_error();
  NewRevision r{options.rev_id, options.message, {}, options.branch_labels, *depends_on, *location};
  for (const Revision* parent : *parents) r.down_revisions.push_back(parent->id);
  return write_revision(cfg, *env, std::move(r));
}

Expected<std::string> merge(const Config& cfg, const std::vector<std::string>& revisions,
                            const MergeOptions& options) {
  CommandScope scope(cfg);
  if (auto err = refuse_in_deploy(cfg, "merge")) return err;
  auto env = detail::read_environment(cfg);
  if (!env) return env.take_error();
  std::string joined = fmt::format("{}", fmt::join(revisions, " "));
  auto named = env->map.new_revision_parents(joined, /*splice=*/false);
  if (!named) return named.take_error();
  std::vector<std::string> parents;
  for (const Revision* rev : *named) parents.push_back(rev->id);
  if (parents.empty()) {
    return Error(ErrorCategory::kUsage, "nothing to merge", "name the revisions, e.g. 'retort merge heads'");
  }
  auto location = choose_location(*env, "", env->map.find(parents.front()));
  if (!location) return location.take_error();
  NewRevision r{options.rev_id, options.message, parents, options.branch_labels, {}, *location};
  return write_revision(cfg, *env, std::move(r));
}

Error build(const Config& cfg, const BuildOptions& options) {
  CommandScope scope(cfg);
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  if (auto err = scripts->refuse_in_deploy("build")) return err;
  auto compiled = scripts->build(cfg.output());
  if (!compiled) return compiled.take_error();
  if (*compiled == 0) {
    const size_t count = scripts->sources().size();
    cfg.output() << fmt::format("{} revision source{} up to date\n", count,
                                count == 1 ? " is" : "s are");
  }
  if (!options.deploy_dir.empty()) return scripts->write_deploy(options.deploy_dir, cfg.output());
  return Error::success();
}

}  // namespace retort::command
