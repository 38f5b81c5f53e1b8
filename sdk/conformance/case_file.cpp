// Reading <case>.op (case_file.hpp) into the C ABI's structs.
#include "case_file.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace retort_conformance {
namespace {

const std::map<std::string_view, uint32_t> kKinds = {
    {"create_table", RETORT_OP_CREATE_TABLE},
    {"drop_table", RETORT_OP_DROP_TABLE},
    {"add_column", RETORT_OP_ADD_COLUMN},
    {"drop_column", RETORT_OP_DROP_COLUMN},
    {"create_index", RETORT_OP_CREATE_INDEX},
    {"drop_index", RETORT_OP_DROP_INDEX},
    {"execute", RETORT_OP_EXECUTE},
    {"rename_table", RETORT_OP_RENAME_TABLE},
    {"alter_column", RETORT_OP_ALTER_COLUMN},
    {"create_constraint", RETORT_OP_CREATE_CONSTRAINT},
    {"drop_constraint", RETORT_OP_DROP_CONSTRAINT},
    {"create_table_comment", RETORT_OP_CREATE_TABLE_COMMENT},
    {"drop_table_comment", RETORT_OP_DROP_TABLE_COMMENT},
    {"create_version_table", RETORT_OP_CREATE_VERSION_TABLE},
    {"insert_version", RETORT_OP_INSERT_VERSION},
    {"update_version", RETORT_OP_UPDATE_VERSION},
    {"delete_version", RETORT_OP_DELETE_VERSION},
    {"select_versions", RETORT_OP_SELECT_VERSIONS},
};

const std::map<std::string_view, uint32_t> kTypes = {
    {"integer", RETORT_TYPE_INTEGER},   {"smallint", RETORT_TYPE_SMALLINT},
    {"bigint", RETORT_TYPE_BIGINT},     {"numeric", RETORT_TYPE_NUMERIC},
    {"float", RETORT_TYPE_FLOAT},       {"string", RETORT_TYPE_STRING},
    {"text", RETORT_TYPE_TEXT},         {"unicode", RETORT_TYPE_UNICODE},
    {"boolean", RETORT_TYPE_BOOLEAN},   {"date", RETORT_TYPE_DATE},
    {"datetime", RETORT_TYPE_DATETIME}, {"time", RETORT_TYPE_TIME},
    {"interval", RETORT_TYPE_INTERVAL}, {"binary", RETORT_TYPE_BINARY},
    {"json", RETORT_TYPE_JSON},         {"uuid", RETORT_TYPE_UUID},
    {"enum", RETORT_TYPE_ENUM},         {"custom", RETORT_TYPE_CUSTOM},
};

const std::map<std::string_view, uint32_t> kColumnFlags = {
    {"primary_key", RETORT_COLUMN_PRIMARY_KEY},
    {"not_null", RETORT_COLUMN_NOT_NULL},
    {"autoincrement", RETORT_COLUMN_AUTOINCREMENT},
    {"unique", RETORT_COLUMN_UNIQUE},
    {"default_is_expression", RETORT_COLUMN_DEFAULT_IS_EXPRESSION},
};

const std::map<std::string_view, uint32_t> kAlterFlags = {
    {"type", RETORT_ALTER_TYPE},       {"nullable", RETORT_ALTER_NULLABLE},
    {"default", RETORT_ALTER_DEFAULT}, {"name", RETORT_ALTER_NAME},
    {"comment", RETORT_ALTER_COMMENT}, {"autoincrement", RETORT_ALTER_AUTOINCREMENT},
};

const std::map<std::string_view, uint32_t> kConstraintKinds = {
    {"primary_key", RETORT_CONSTRAINT_PRIMARY_KEY},
    {"unique", RETORT_CONSTRAINT_UNIQUE},
    {"foreign_key", RETORT_CONSTRAINT_FOREIGN_KEY},
    {"check", RETORT_CONSTRAINT_CHECK},
};

const std::map<std::string_view, uint32_t> kReferential = {
    {"cascade", RETORT_REFERENTIAL_CASCADE},         {"set_null", RETORT_REFERENTIAL_SET_NULL},
    {"set_default", RETORT_REFERENTIAL_SET_DEFAULT}, {"restrict", RETORT_REFERENTIAL_RESTRICT},
    {"no_action", RETORT_REFERENTIAL_NO_ACTION},
};

std::string_view trimmed(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// A reader of one file: `fail` names the file and the line.
class Reader {
 public:
  Reader(const std::filesystem::path& path, Case& out) : path_(path), out_(out) {}

  void line(std::string_view text, size_t number) {
    line_ = number;
    const std::string_view content = trimmed(text);
    if (content.empty() || content.front() == '#') return;
    const size_t equals = content.find('=');
    if (equals == std::string_view::npos) fail("expected key = value");
    const std::string_view key = trimmed(content.substr(0, equals));
    const std::string value = unescaped(trimmed(content.substr(equals + 1)));
    if (key == "kind") return start(value);
    if (out_.steps.empty()) fail("the first key must be kind");
    Step& step = *out_.steps.back();
    if (step.connection) {
      if (key != "url") fail("a connection_string case has only a url");
      step.url = value;
      return;
    }
    if (key.starts_with("column")) return column(step, key, value);
    if (key.starts_with("existing.")) return existing(step, key.substr(9), value);
    if (key.starts_with("constraint")) return constraint(step, key, value);
    retort_operation& op = step.op;
    if (key == "schema") {
      op.schema = str(step, value);
    } else if (key == "table") {
      op.table = str(step, value);
    } else if (key == "name") {
      op.name = str(step, value);
    } else if (key == "sql") {
      op.sql = str(step, value);
    } else if (key == "version") {
      op.version = str(step, value);
    } else if (key == "old_version") {
      op.old_version = str(step, value);
    } else if (key == "comment") {
      op.comment = str(step, value);
    } else if (key == "existing_comment") {
      op.existing_comment = str(step, value);
    } else if (key == "condition") {
      op.condition = str(step, value);
    } else if (key == "unique") {
      if (value == "true") op.flags |= RETORT_INDEX_UNIQUE;
    } else if (key == "element" || key == "expression") {
      step.elements.push_back(str(step, value));
      step.element_flags.push_back(key == "expression" ? RETORT_ELEMENT_EXPRESSION : 0);
    } else if (key == "alter") {
      op.alter = flags(kAlterFlags, value, "alter");
    } else {
      fail("unknown key " + std::string(key));
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(path_.string() + ":" + std::to_string(line_) + ": " + what);
  }

 private:
  void start(const std::string& kind) {
    auto step = std::make_unique<Step>();
    if (kind == "connection_string") {
      step->connection = true;
    } else {
      step->op.struct_size = sizeof(retort_operation);
      step->op.kind = lookup(kKinds, kind, "operation kind");
    }
    out_.steps.push_back(std::move(step));
  }

  void column(Step& step, std::string_view key, const std::string& value) {
    if (key == "column") {
      retort_column& c = step.columns.emplace_back();
      c.struct_size = sizeof(retort_column);
      c.name = str(step, value);
      return;
    }
    if (step.columns.empty()) fail(std::string(key) + " before any column = name");
    column_part(step, step.columns.back(), key.substr(std::string_view("column.").size()), value);
  }

  void existing(Step& step, std::string_view part, const std::string& value) {
    step.existing.struct_size = sizeof(retort_column);
    if (part == "stated") {
      step.op.existing = flags(kAlterFlags, value, "existing.stated");
      return;
    }
    column_part(step, step.existing, part, value);
  }

  void column_part(Step& step, retort_column& c, std::string_view part, const std::string& value) {
    if (part == "type") {
      c.type = lookup(kTypes, value, "column type");
    } else if (part == "length") {
      c.length = number(value);
    } else if (part == "precision") {
      c.precision = number(value);
    } else if (part == "scale") {
      c.scale = number(value);
    } else if (part == "type_name") {
      c.type_name = str(step, value);
    } else if (part == "flags") {
      c.flags = flags(kColumnFlags, value, "column flag");
    } else if (part == "default") {
      c.server_default = str(step, value);
    } else if (part == "comment") {
      c.comment = str(step, value);
    } else if (part == "name") {
      c.name = str(step, value);
    } else {
      fail("unknown column key " + std::string(part));
    }
  }

  void constraint(Step& step, std::string_view key, const std::string& value) {
    if (key == "constraint") {
      retort_constraint& c = step.constraints.emplace_back();
      c.struct_size = sizeof(retort_constraint);
      c.kind = lookup(kConstraintKinds, value, "constraint kind");
      step.name_lists.emplace_back();  // its columns
      step.name_lists.emplace_back();  // its referred columns
      return;
    }
    if (step.constraints.empty()) fail(std::string(key) + " before any constraint = kind");
    retort_constraint& c = step.constraints.back();
    const std::string_view part = key.substr(std::string_view("constraint.").size());
    if (part == "name") {
      c.name = str(step, value);
    } else if (part == "column") {
      step.name_lists[step.name_lists.size() - 2].push_back(str(step, value));
    } else if (part == "referred_column") {
      step.name_lists.back().push_back(str(step, value));
    } else if (part == "referred_schema") {
      c.referred_schema = str(step, value);
    } else if (part == "referred_table") {
      c.referred_table = str(step, value);
    } else if (part == "on_delete") {
      c.on_delete = lookup(kReferential, value, "referential action");
    } else if (part == "on_update") {
      c.on_update = lookup(kReferential, value, "referential action");
    } else if (part == "condition") {
      c.condition = str(step, value);
    } else {
      fail("unknown constraint key " + std::string(part));
    }
  }

  retort_str str(Step& step, const std::string& value) {
    const std::string& kept = step.text.emplace_back(value);
    // An empty string is present, not absent: its data must not be NULL.
    return retort_str{kept.c_str(), kept.size()};
  }

  int32_t number(const std::string& value) const {
    char* end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0') fail("expected a number, not " + value);
    return static_cast<int32_t>(n);
  }

  uint32_t lookup(const std::map<std::string_view, uint32_t>& names, std::string_view value,
                  std::string_view what) const {
    auto found = names.find(value);
    if (found == names.end()) fail("unknown " + std::string(what) + " " + std::string(value));
    return found->second;
  }

  uint32_t flags(const std::map<std::string_view, uint32_t>& names, std::string_view words,
                 std::string_view what) const {
    uint32_t out = 0;
    std::istringstream in{std::string(words)};
    for (std::string word; in >> word;) out |= lookup(names, word, what);
    return out;
  }

  std::string unescaped(std::string_view value) const {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i] != '\\') {
        out += value[i];
        continue;
      }
      if (++i == value.size()) fail("a value ends in a lone backslash");
      switch (value[i]) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 's':
          out += ' ';
          break;
        case '\\':
          out += '\\';
          break;
        default:
          fail(std::string("unknown escape \\") + value[i]);
      }
    }
    return out;
  }

  const std::filesystem::path& path_;
  Case& out_;
  size_t line_ = 0;
};

// Points each operation at its parts, now that no container grows.
void link(Step& step) {
  for (const retort_column& c : step.columns) step.column_pointers.push_back(&c);
  step.op.columns = step.column_pointers.data();
  step.op.column_count = step.column_pointers.size();
  size_t list = 0;
  for (retort_constraint& c : step.constraints) {
    const std::vector<retort_str>& columns = step.name_lists[list++];
    const std::vector<retort_str>& referred = step.name_lists[list++];
    c.columns = columns.data();
    c.column_count = columns.size();
    c.referred_columns = referred.data();
    c.referred_column_count = referred.size();
    step.constraint_pointers.push_back(&c);
  }
  step.op.constraints = step.constraint_pointers.data();
  step.op.constraint_count = step.constraint_pointers.size();
  step.op.column_names = step.elements.data();
  step.op.column_name_count = step.elements.size();
  step.op.column_name_flags = step.element_flags.empty() ? nullptr : step.element_flags.data();
  if (step.existing.struct_size != 0) step.op.existing_column = &step.existing;
}

}  // namespace

Case read_case(const std::filesystem::path& path, std::string name) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  Case out;
  out.name = std::move(name);
  Reader reader(path, out);
  std::string text;
  for (size_t number = 1; std::getline(in, text); ++number) reader.line(text, number);
  if (out.steps.empty()) reader.fail("no operation: start one with kind = ...");
  for (auto& step : out.steps) link(*step);
  return out;
}

}  // namespace retort_conformance
