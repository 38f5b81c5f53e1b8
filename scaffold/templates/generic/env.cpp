// The environment (Alembic's env.py, compiled): configure() runs before each
// command that touches the database (upgrade, downgrade, stamp, current,
// check, revision --autogenerate, and --sql scripts) and decides how it
// runs. What it leaves alone stays as retort.ini says.
//
// It is off until RETORT_ENVIRONMENT(configure) at the end is uncommented:
// retort then compiles this file like the revisions, when it changed (so a
// machine that runs commands then needs a compiler, or `retort build` run
// before). Without it, or without this file, everything is as retort.ini says.
#include <retort/environment.hpp>

#include <string>

void configure(retort::EnvironmentContext& context) {
  // Migrate another database than retort.ini's url, chosen on the command
  // line as Alembic's -x dbPath=... idiom does:
  //   retort -x db_path=/tmp/scratch.db upgrade head
  if (auto path = context.get_x_argument("db_path")) {
    context.set_url("sqlite:///" + *path);
  }

  // More that the context offers (see retort/environment.hpp):
  //
  // One transaction for the whole run instead of one per revision, where
  // the database's DDL is transactional (SQLite, PostgreSQL):
  //   context.set_transaction_per_migration(false);
  //
  // Another version table, or one in another schema:
  //   context.set_version_table("app_version");
  //   context.set_version_table_schema("migrations");
  //
  // React to each revision applied, inside its transaction:
  //   context.on_version_apply([](const std::string& revision, retort::Direction) {
  //     /* notify, audit ... */
  //   });
  //
  // Leave tables out of revision --autogenerate:
  //   context.include_object([](const std::string& name, const std::string& type,
  //                             const std::string& table) {
  //     return !(type == "table" && name.rfind("legacy_", 0) == 0);
  //   });
  //
  // Also: context.config("key") reads retort.ini's [retort] section,
  // context.get_tag_argument() the --tag of upgrade/downgrade/stamp, and
  // context.is_offline_mode() is true with --sql.
}

// RETORT_ENVIRONMENT(configure)
