// An application that keeps its SQLite database migrated with retort's
// embedding API: the example of README.md ("From your own program"), built by
// CI against the installed package (tests/install/check_consumer.sh).
//
//   embedding_example SCRIPT_LOCATION DATABASE [ADOPT_AT]
//
// ADOPT_AT: a database created before it used retort, whose schema is that
// revision's: stamped once, then upgraded like any other.
#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/migration_context.hpp>
#include <retort/script_directory.hpp>

#include <iostream>
#include <string>

namespace {

int fail(const retort::Error& err) {
  std::cerr << "error: " << err.message() << "\n";
  if (!err.hint().empty()) std::cerr << "hint: " << err.hint() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embedding_example SCRIPT_LOCATION DATABASE [ADOPT_AT]\n";
    return 2;
  }
  retort::Config cfg;  // no ini file: the options are set in code
  cfg.set_main_option("script_location", argv[1]);
  cfg.set_main_option("url", std::string("sqlite:///") + argv[2]);

  // The revisions, newest first, read from their sources: nothing compiles.
  auto scripts = retort::ScriptDirectory::from_config(cfg);
  if (!scripts) return fail(scripts.error());
  auto revisions = scripts->walk_revisions("base", "heads");
  if (!revisions) return fail(revisions.error());
  for (const retort::Revision& rev : *revisions) {
    std::cout << rev.revision() << (rev.is_head() ? " (head) " : " ") << rev.message() << "\n";
  }
  auto head = scripts->get_revision("head");
  if (!head) {
    // Errors carry their data: here, the heads to merge or to choose from.
    if (const auto* several = head.error().detail<retort::MultipleHeads>()) {
      std::cerr << "error: " << several->heads.size() << " heads; merge them first\n";
      return 1;
    }
    return fail(head.error());
  }

  // A database made before retort: record which revision its schema is.
  auto ctx = retort::MigrationContext::configure(cfg);
  if (!ctx) return fail(ctx.error());
  auto current = ctx->get_current_revision();
  if (!current) return fail(current.error());
  if (!*current && argc > 3) {
    if (retort::Error err = ctx->stamp(*scripts, {argv[3]})) return fail(err);
    std::cout << "adopted the database at " << argv[3] << "\n";
  }

  // At start-up: upgrade unless the database is at head.
  auto at_head = retort::command::is_at_head(cfg);
  if (!at_head) return fail(at_head.error());
  std::cout << "at head: " << (*at_head ? "yes" : "no") << "\n";
  if (!*at_head) {
    if (retort::Error err = retort::command::upgrade(cfg, "head")) return fail(err);
  }
  auto now = ctx->get_current_revision();
  if (!now) return fail(now.error());
  std::cout << "database at " << now->value_or("base") << " (head is "
            << (*head ? (*head)->revision() : "base") << ")\n";
  return 0;
}
