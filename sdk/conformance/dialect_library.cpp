// Loading a dialect plugin with dlopen, and calling it through its table.
#include "dialect_library.hpp"

#include <dlfcn.h>

#include <cstring>
#include <stdexcept>

namespace retort_conformance {
namespace {

void append(void* ctx, const char* data, size_t size) {
  static_cast<std::string*>(ctx)->append(data, size);
}

int add_statement(void* ctx, const char* sql, size_t size) {
  static_cast<std::vector<std::string>*>(ctx)->emplace_back(sql, size);
  return RETORT_OK;
}

// The plugin's log lines are not part of what it renders: dropped.
void ignore_log(void*, int, const char*, size_t) {}

}  // namespace

DialectLibrary::DialectLibrary(const std::string& path) {
  // A path without '/' would make dlopen search the library path.
  const std::string where = path.find('/') == std::string::npos ? "./" + path : path;
  handle_ = dlopen(where.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error("cannot load " + path + ": " + dlerror());
  auto entry = reinterpret_cast<retort_entry_fn>(dlsym(handle_, RETORT_ENTRY_SYMBOL));
  if (entry == nullptr) {
    throw std::runtime_error(path + " exports no " RETORT_ENTRY_SYMBOL
                                    ": it is not a retort plugin");
  }
  host_.struct_size = sizeof(retort_host);
  host_.abi_major = RETORT_ABI_MAJOR;
  host_.abi_minor = RETORT_ABI_MINOR;
  host_.log = ignore_log;
  plugin_ = entry(&host_);
  if (plugin_ == nullptr) throw std::runtime_error(path + " refused to start with this host");
  if (plugin_->kind != RETORT_KIND_DIALECT) {
    throw std::runtime_error(path + " is a retort plugin but not a dialect");
  }
  if (plugin_->abi_major != RETORT_ABI_MAJOR || plugin_->abi_minor > RETORT_ABI_MINOR) {
    throw std::runtime_error(path + " speaks ABI " + std::to_string(plugin_->abi_major) + "." +
                             std::to_string(plugin_->abi_minor) + ", this driver " +
                             std::to_string(RETORT_ABI_MAJOR) + "." +
                             std::to_string(RETORT_ABI_MINOR) + ": rebuild one of them");
  }
  dialect_ = static_cast<const retort_dialect*>(plugin_->table);
}

DialectLibrary::~DialectLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

Outcome DialectLibrary::render(const retort_operation& op) const {
  Outcome out;
  retort_statement_sink statements{};
  statements.struct_size = sizeof(statements);
  statements.ctx = &out.statements;
  statements.statement = add_statement;
  statements.query = nullptr;  // offline, as for a --sql script
  const retort_sink error{sizeof(retort_sink), &out.error, append};
  out.status = dialect_->render(&op, &statements, &error);
  return out;
}

Outcome DialectLibrary::connection_string(const std::string& url) const {
  Outcome out;
  std::string text;
  const retort_sink sink{sizeof(retort_sink), &text, append};
  const retort_sink error{sizeof(retort_sink), &out.error, append};
  out.status = dialect_->connection_string(url.c_str(), url.size(), &sink, &error);
  if (out.status == RETORT_OK) out.statements.push_back(text);
  return out;
}

}  // namespace retort_conformance
