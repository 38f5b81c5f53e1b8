// retort init, retort list_templates.
#include <retort/command.hpp>

#include "command/command_scope.hpp"
#include "script/revision_file.hpp"
#include "util/install_paths.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace retort::command {
namespace {

Expected<std::string> read_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCategory::kIo, fmt::format("cannot read '{}'", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Error write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) return Error(ErrorCategory::kIo, fmt::format("cannot write '{}'", path.string()));
  return Error::success();
}

// The first line of a template's README.
std::string describe_template(const fs::path& dir) {
  std::ifstream in(dir / "README");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

Error list_templates(const Config& cfg) {
  CommandScope scope(cfg);
  std::ostream& out = cfg.output();
  Expected<std::string> scaffold = find_scaffold_dir();
  if (!scaffold) return scaffold.take_error();
  fs::path root = fs::path(*scaffold) / "templates";
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  if (ec)
    return Error(ErrorCategory::kIo, fmt::format("cannot read templates in '{}'", root.string()));
  std::sort(dirs.begin(), dirs.end());
  out << "Available templates:\n\n";
  for (const fs::path& dir : dirs) {
    out << dir.filename().string() << " - " << describe_template(dir) << "\n";
  }
  out << "\nTemplates are used via the 'init' command, e.g.:\n\n  retort init --template generic "
         "./migrations\n";
  return Error::success();
}

Error init(const Config& cfg, const std::string& directory, const std::string& template_name) {
  CommandScope scope(cfg);
  std::ostream& out = cfg.output();
  Expected<std::string> scaffold = find_scaffold_dir();
  if (!scaffold) return scaffold.take_error();
  fs::path template_dir = fs::path(*scaffold) / "templates" / template_name;
  std::error_code ec;
  if (!fs::is_directory(template_dir, ec)) {
    return Error(ErrorCategory::kUsage, fmt::format("no such template '{}'", template_name),
                 "run 'retort list_templates' to see the templates");
  }
  fs::path target = fs::absolute(directory).lexically_normal();
  if (fs::exists(target, ec) && !fs::is_empty(target, ec)) {
    return Error(ErrorCategory::kUsage,
                 fmt::format("directory '{}' already exists and is not empty", target.string()),
                 "choose a new directory");
  }
  fs::path ini =
      fs::absolute(cfg.config_file_name().empty() ? "retort.ini" : cfg.config_file_name());
  for (const fs::path& dir : {target, target / "versions"}) {
    out << fmt::format("Creating directory '{}' ...  ", dir.string());
    fs::create_directories(dir, ec);
    if (ec) {
      return Error(ErrorCategory::kIo,
                   fmt::format("cannot create directory '{}': {}", dir.string(), ec.message()));
    }
    out << "done\n";
  }

  std::map<std::string, std::string> values = {
      {"script_location", fs::relative(target, ini.parent_path()).generic_string()},
      {"database", "retort.db"}};
  for (const auto& entry : fs::directory_iterator(template_dir, ec)) {
    const fs::path& source = entry.path();
    if (!entry.is_regular_file()) continue;
    if (source.filename() == "retort.ini.tmpl") {
      if (fs::exists(ini, ec)) {
        out << fmt::format("File '{}' already exists, skipping\n", ini.string());
        continue;
      }
      auto text = read_file(source);
      if (!text) return text.take_error();
      out << fmt::format("Generating '{}' ...  ", ini.string());
      if (auto err = write_file(ini, substitute(*text, values))) return err;
      out << "done\n";
      continue;
    }
    fs::path dest = target / source.filename();
    out << fmt::format("Generating '{}' ...  ", dest.string());
    fs::copy_file(source, dest, ec);
    if (ec)
      return Error(ErrorCategory::kIo,
                   fmt::format("cannot write '{}': {}", dest.string(), ec.message()));
    out << "done\n";
  }
  out << fmt::format("Please edit the settings in '{}' before proceeding.\n", ini.string());
  return Error::success();
}

}  // namespace retort::command
