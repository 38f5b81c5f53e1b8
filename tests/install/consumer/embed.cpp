// An application that migrates its SQLite database at start-up through
// retort's C++ API, then checks a packed revision module holds both revisions.
//
//   embed SCRIPT_LOCATION DATABASE DIALECT_DIR PACK_MODULE
//
// DIALECT_DIR becomes the plugin_path key; when it is empty, the key is not
// set and retort finds its dialects as it finds its SDK headers: through
// RETORT_PLUGIN_PATH, or beside the program when it is installed in the
// bin/ of a retort install.
#include <retort/abi.h>
#include <retort/command.hpp>
#include <retort/config.hpp>

#include <dlfcn.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

int fail(const std::string& message) {
  std::cerr << "embed: " << message << '\n';
  return 1;
}

void ignore_log(void* /*ctx*/, int /*level*/, const char* /*message*/, size_t /*size*/) {}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return fail("usage: embed SCRIPT_LOCATION DATABASE DIALECT_DIR PACK_MODULE");
  retort::Config cfg;
  cfg.set_main_option("script_location", argv[1]);
  cfg.set_main_option("url", std::string("sqlite:///") + argv[2]);
  if (*argv[3] != '\0') cfg.set_main_option("plugin_path", argv[3]);
  std::ostringstream out;
  cfg.set_output(out);

  if (retort::Error err = retort::command::upgrade(cfg, "head"))
    return fail("upgrade: " + err.message());
  auto current = retort::command::current_revisions(cfg);
  if (!current) return fail("current_revisions: " + current.error().message());
  if (*current != std::vector<std::string>{"bbbb0002"}) {
    return fail("the database is not at bbbb0002 after upgrade head:\n" + out.str());
  }
  std::cout << out.str();

  void* pack = dlopen(argv[4], RTLD_NOW | RTLD_LOCAL);
  if (pack == nullptr) return fail(std::string("cannot load the pack: ") + dlerror());
  auto entry = reinterpret_cast<retort_entry_fn>(dlsym(pack, RETORT_ENTRY_SYMBOL));
  if (entry == nullptr) return fail("the pack has no retort_plugin_entry");
  retort_host host{sizeof(retort_host), RETORT_ABI_MAJOR, RETORT_ABI_MINOR, nullptr,
                   ignore_log,          nullptr};
  const retort_plugin* plugin = entry(&host);
  if (plugin == nullptr || plugin->kind != RETORT_KIND_REVISIONS)
    return fail("the pack is not a revision module");
  const auto* table = static_cast<const retort_revision_module*>(plugin->table);
  if (table->revision_count != 2) {
    return fail("the pack holds " + std::to_string(table->revision_count) + " revisions, not 2");
  }
  std::cout << "pack holds 2 revisions\n";
  return 0;
}
