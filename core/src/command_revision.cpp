// retort revision, retort build.
#include <retort/command.hpp>

#include "command_support.hpp"
#include "install_paths.hpp"
#include "revision_file.hpp"

#include <fmt/format.h>

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
               fmt::format("truncate_slug_length must be a positive number, not '{}'", *value));
}

std::string comment_lines(const std::string& message) {
  std::string out;
  std::stringstream lines(message.empty() ? std::string("(no message)") : message);
  std::string line;
  while (std::getline(lines, line)) {
    if (!out.empty()) out += '\n';
    out += line.empty() ? "//" : "// " + line;
  }
  return out;
}

Expected<std::string> revision_template(const ScriptDirectory& scripts) {
  fs::path path = scripts.revision_template();
  std::error_code ec;
  if (!fs::exists(path, ec)) path = fs::path(scaffold_dir()) / "templates/generic/script.cpp.tmpl";
  std::ifstream in(path);
  if (!in) return Error(ErrorCategory::kIo, fmt::format("cannot read revision template '{}'", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Expected<std::string> revision(const Config& cfg, const RevisionOptions& options) {
  auto env = detail::load_environment(cfg, cfg.output());
  if (!env) return env.take_error();
  std::vector<std::string> heads = env->map.heads();
  if (heads.size() > 1) {
    return Error(ErrorCategory::kRevision,
                 "Multiple heads are present; please specify the head revision on which the new "
                 "revision should be based, or perform a merge.");
  }
  std::string rev = options.rev_id.empty() ? new_revision_id() : options.rev_id;
  if (auto err = check_revision_id(rev)) return err;
  if (env->map.find(rev) != nullptr) {
    return Error(ErrorCategory::kRevision, fmt::format("revision '{}' is already present", rev),
                 "choose another --rev-id");
  }

  auto slug_length = truncate_slug_length(cfg);
  if (!slug_length) return slug_length.take_error();
  auto file_template = cfg.main_option("file_template", "%(rev)s_%(slug)s");
  if (!file_template) return file_template.take_error();
  std::time_t now = std::time(nullptr);
  auto name = format_file_template(file_template->empty() ? "%(rev)s_%(slug)s" : *file_template, rev,
                                   slugify(options.message, *slug_length), now);
  if (!name) return name.take_error();
  fs::path path = fs::path(env->scripts.version_locations().front()) / (*name + ".cpp");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    return Error(ErrorCategory::kIo, fmt::format("revision file '{}' already exists", path.string()));
  }

  auto text = revision_template(env->scripts);
  if (!text) return text.take_error();
  std::tm local{};
  localtime_r(&now, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &local);
  std::string down = heads.empty() ? std::string() : heads.front();
  std::string source = substitute(
      *text, {{"message_comment", comment_lines(options.message)},
              {"rev", rev},
              {"down_revision_comment", down.empty() ? "<base>" : down},
              {"create_date", date},
              {"down_revision", down.empty() ? "nullptr" : cpp_string_literal(down)},
              {"message", cpp_string_literal(options.message)}});

  cfg.output() << fmt::format("Generating '{}' ...  ", path.string());
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << source;
  if (!out) return Error(ErrorCategory::kIo, fmt::format("cannot write '{}'", path.string()));
  cfg.output() << "done\n";
  return path.string();
}

Error build(const Config& cfg) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  size_t stale = 0;
  std::vector<RevisionSource> sources = scripts->sources();
  for (const RevisionSource& s : sources) stale += s.stale() ? 1 : 0;
  if (auto err = scripts->build(cfg.output(), /*required=*/true)) return err;
  if (stale == 0) {
    cfg.output() << fmt::format("{} revision module{} up to date\n", sources.size(),
                                sources.size() == 1 ? " is" : "s are");
  }
  return Error::success();
}

}  // namespace retort::command
