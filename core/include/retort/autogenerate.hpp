// Autogenerate, as Alembic's compare_metadata: the schema an application
// declares (retort/model.hpp) compared with what the database holds, as an
// ordered list of changes that would turn the database into the model.
//
//   auto context = retort::autogenerate::Context::connect(cfg);
//   auto changes = retort::autogenerate::compare_metadata(*context, {retort::Table(...), ...});
//
// Both sides are first brought to one shape, a Schema: the model by
// declaring its tables, the database by reading its catalog through the
// dialect. Renames are never guessed: a renamed column is a drop and an add.
#ifndef RETORT_AUTOGENERATE_HPP
#define RETORT_AUTOGENERATE_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>
#include <retort/model.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace retort::autogenerate {

struct ColumnInfo {
  std::string name;
  Type type;  // reflected: Custom(the catalog's spelling)
  bool nullable = true;
  std::optional<std::string> server_default;  // SQL text as reflected, or the model's
  bool default_is_expression = false;         // the model's default is sql(...)
  std::optional<std::string> comment;
  bool autoincrement = false;
};

// A PRIMARY KEY or UNIQUE constraint.
struct KeyInfo {
  std::optional<std::string> name;
  std::vector<std::string> columns;
};

struct ForeignKeyInfo {
  std::optional<std::string> name;
  std::vector<std::string> columns;
  std::optional<std::string> referred_schema;
  std::string referred_table;
  std::vector<std::string> referred_columns;
  Referential on_update = Referential::kUnspecified;
  Referential on_delete = Referential::kUnspecified;
};

struct CheckInfo {
  std::optional<std::string> name;
  std::string condition;
};

struct IndexInfo {
  std::string name;
  std::vector<std::string> elements;  // column names, or expressions where expression[i]
  std::vector<bool> expression;
  bool unique = false;
  std::string where;  // a partial index's condition
};

struct TableInfo {
  std::optional<std::string> schema;
  std::string name;
  std::vector<ColumnInfo> columns;
  std::optional<KeyInfo> primary_key;
  std::vector<KeyInfo> uniques;
  std::vector<ForeignKeyInfo> foreign_keys;
  std::vector<CheckInfo> checks;
  std::vector<IndexInfo> indexes;
  std::optional<std::string> comment;

  const ColumnInfo* column(const std::string& name) const;
};

// Tables of the default schema have none; a table the model places in a
// schema is compared with the table of that name in that schema.
struct Schema {
  std::vector<TableInfo> tables;

  // The first table of that name, in whatever schema.
  const TableInfo* table(const std::string& name) const;
  const TableInfo* table(const std::optional<std::string>& schema, const std::string& name) const;
};

// The model's tables in the shape of a Schema, as a model module hands
// them to the host (Table::declare).
Expected<Schema> schema_of(const std::vector<Table>& model);

// One change. `table` names the table; the fields used depend on `kind`:
//   kAddTable, kDropTable         definition (the whole table, indexes included)
//   kAddColumn, kDropColumn       column
//   kAlterColumn                  column (the model's), existing (the database's), alter
//   kAddIndex, kDropIndex         index
//   kAdd/DropUnique               key
//   kAdd/DropForeignKey           foreign_key
//   kAdd/DropCheck                check
//   kSetTableComment              comment (absent = drop it), existing_comment
// A drop carries what the database holds, so the change can be reversed.
struct Change {
  enum class Kind {
    kAddTable,
    kDropTable,
    kAddColumn,
    kDropColumn,
    kAlterColumn,
    kAddIndex,
    kDropIndex,
    kAddUnique,
    kDropUnique,
    kAddForeignKey,
    kDropForeignKey,
    kAddCheck,
    kDropCheck,
    kSetTableComment,
  };
  // What kAlterColumn changes.
  static constexpr unsigned kType = 0x1, kNullable = 0x2, kDefault = 0x4, kComment = 0x8;

  Kind kind;
  std::optional<std::string> schema;
  std::string table;
  TableInfo definition{};
  ColumnInfo column{};
  ColumnInfo existing{};
  unsigned alter = 0;
  IndexInfo index{};
  KeyInfo key{};
  ForeignKeyInfo foreign_key{};
  CheckInfo check{};
  std::optional<std::string> comment;
  std::optional<std::string> existing_comment;
};

// "add_column account.email", for logs and `retort check`.
std::string describe(const Change& change);
// The change that undoes `change`.
Change reverse(const Change& change);

// Whether a model column's type differs from a reflected one (the dialect
// decides: VARCHAR(30) is String(30)); nullopt when it cannot tell.
using TypeComparator =
    std::function<std::optional<bool>(const ColumnInfo& model, const ColumnInfo& reflected)>;

struct CompareOptions {
  bool compare_type = true;
  bool compare_server_default = false;
  // Table and column comments; off for a database without them (SQLite).
  bool compare_comments = true;
  // Tables left out on both sides: names, or patterns with '*'. The version
  // and history tables are always left out.
  std::vector<std::string> exclude_tables;
  // Alembic's include_object, asked after exclude_tables for each table
  // ("table", table "") and each column ("column", its table): false leaves
  // the object out on both sides. An environment's (env.cpp) when it sets one.
  std::function<bool(const std::string& name, const std::string& type, const std::string& table)>
      include_object;
};

// The comparison alone, on two schemas, in Alembic's order: new tables
// (referenced tables first), dropped tables (referencing tables first),
// then per remaining table, by name: added columns, altered columns, index
// and unique removals and additions, foreign-key removals and additions,
// the table comment, checks, and dropped columns last.
//
// What it cannot compare it leaves alone, never dropping it, and says so in
// `notes` when given: an index in the database with an expression or a
// WHERE clause that the model does not name (Alembic warns the same).
std::vector<Change> compare_schemas(const Schema& database, const Schema& model,
                                    const TypeComparator& compare_type,
                                    const CompareOptions& options = {},
                                    std::vector<std::string>* notes = nullptr);

// A connection to the configured database, through its dialect, to read
// its catalog.
class Context {
 public:
  // Connects to the config's url; the version table (and its
  // history table) is left out of every comparison.
  static Expected<Context> connect(const Config& cfg);
  // The same on `url` instead of the config's (an environment's choice).
  static Expected<Context> connect(const Config& cfg, const std::string& url);
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  ~Context();

  // What the database holds, every table of the default schema; or, given
  // a schema, of that schema (each TableInfo's schema set to it).
  Expected<Schema> reflect(const std::optional<std::string>& schema = std::nullopt);
  // The dialect's type comparison.
  TypeComparator type_comparator() const;
  CompareOptions& options();

 private:
  struct Impl;
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The database compared with `model`.
Expected<std::vector<Change>> compare_metadata(Context& context, const std::vector<Table>& model);
// The same, with the model already in the shape of a Schema (a model module's).
Expected<std::vector<Change>> compare_metadata(Context& context, const Schema& model);

}  // namespace retort::autogenerate

#endif  // RETORT_AUTOGENERATE_HPP
