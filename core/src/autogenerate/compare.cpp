// compare_schemas: the model against the database, in Alembic's order
// (autogenerate/compare/tables.py), with EF Core's fix for drops: tables
// that refer to others are dropped first.
#include <retort/autogenerate.hpp>

#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace retort::autogenerate {
namespace {

using Kind = Change::Kind;

// A name against a pattern where '*' stands for any run of characters.
bool matches(const char* name, const char* pattern) {
  if (*pattern == '\0') return *name == '\0';
  if (*pattern == '*')
    return matches(name, pattern + 1) || (*name != '\0' && matches(name + 1, pattern));
  return *pattern == *name && matches(name + 1, pattern + 1);
}

bool included(const std::string& name, const CompareOptions& options) {
  return std::none_of(options.exclude_tables.begin(), options.exclude_tables.end(),
                      [&](const std::string& p) { return matches(name.c_str(), p.c_str()); }) &&
         (!options.include_object || options.include_object(name, "table", ""));
}

bool included_column(const TableInfo& table, const ColumnInfo& column,
                     const CompareOptions& options) {
  return !options.include_object || options.include_object(column.name, "column", table.name);
}

Change change(Kind kind, const TableInfo& table) {
  Change c{kind};
  c.schema = table.schema;
  c.table = table.name;
  return c;
}

// `tables` ordered so that each comes after the tables it refers to, among
// them; otherwise in the given order. A cycle keeps the given order.
std::vector<const TableInfo*> referred_first(std::vector<const TableInfo*> tables) {
  std::vector<const TableInfo*> out;
  std::set<std::string> placed;
  std::set<std::string> names;
  for (const TableInfo* t : tables) names.insert(t->name);
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const TableInfo* t) {
      return std::all_of(t->foreign_keys.begin(), t->foreign_keys.end(), [&](const auto& fk) {
        return fk.referred_table == t->name || !names.count(fk.referred_table) ||
               placed.count(fk.referred_table);
      });
    });
    if (ready == tables.end()) ready = tables.begin();
    placed.insert((*ready)->name);
    out.push_back(*ready);
    tables.erase(ready);
  }
  return out;
}

// `tables` ordered so that each comes before the tables it refers to, among
// them; otherwise in the given order. A cycle keeps the given order.
std::vector<const TableInfo*> referencing_first(std::vector<const TableInfo*> tables) {
  std::vector<const TableInfo*> out;
  auto refers_to = [](const TableInfo* from, const std::string& name) {
    return from->name != name &&
           std::any_of(from->foreign_keys.begin(), from->foreign_keys.end(),
                       [&](const auto& fk) { return fk.referred_table == name; });
  };
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const TableInfo* t) {
      return std::none_of(tables.begin(), tables.end(),
                          [&](const TableInfo* other) { return refers_to(other, t->name); });
    });
    if (ready == tables.end()) ready = tables.begin();
    out.push_back(*ready);
    tables.erase(ready);
  }
  return out;
}

Referential normal_rule(Referential r) {
  // NO ACTION is what no clause means, and MariaDB reports it as RESTRICT.
  if (r == Referential::kUnspecified || r == Referential::kRestrict) return Referential::kNoAction;
  return r;
}

bool same_foreign_key(const ForeignKeyInfo& a, const ForeignKeyInfo& b) {
  return a.columns == b.columns && a.referred_table == b.referred_table &&
         a.referred_columns == b.referred_columns &&
         normal_rule(a.on_update) == normal_rule(b.on_update) &&
         normal_rule(a.on_delete) == normal_rule(b.on_delete);
}

bool same_index(const IndexInfo& a, const IndexInfo& b) {
  if (a.unique != b.unique || a.elements.size() != b.elements.size()) return false;
  for (size_t i = 0; i < a.elements.size(); ++i) {
    // Expressions come back normalised by the server: not compared.
    const bool expression = a.expression[i] || b.expression[i];
    if (!expression && a.elements[i] != b.elements[i]) return false;
  }
  return true;
}

// The text of a default as both sides can agree on, whatever the dialect
// made of it: outer parentheses removed (SQLite and MariaDB keep them as
// written), a cast to the column's own type dropped (PostgreSQL's
// 'x'::character varying), the quotes of a literal removed and its doubled
// quotes undone, the empty argument list MariaDB gives current_timestamp()
// removed, and the case folded.
std::string normal_default(std::string text) {
  while (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    text = text.substr(1, text.size() - 2);
  }
  if (const size_t cast = text.rfind("::");
      cast != std::string::npos && cast > 0 && text[cast - 1] == '\'') {
    text.erase(cast);
  }
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    std::string literal;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      literal += text[i];
      if (text[i] == '\'' && text[i + 1] == '\'') ++i;
    }
    return literal;  // a literal keeps its case
  }
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (text.size() > 2 && text.ends_with("()") && text.rfind("current_", 0) == 0) {
    text.erase(text.size() - 2);
  }
  return text;
}

// A model's literal default is the value itself; anything else is SQL text.
std::string default_text(const ColumnInfo& column) {
  if (!column.default_is_expression) return *column.server_default;
  return normal_default(*column.server_default);
}

void compare_columns(const TableInfo& db, const TableInfo& model, const TypeComparator& types,
                     const CompareOptions& options, std::vector<Change>& out) {
  for (const ColumnInfo& column : model.columns) {
    if (db.column(column.name) != nullptr || !included_column(model, column, options)) continue;
    Change c = change(Kind::kAddColumn, model);
    c.column = column;
    out.push_back(std::move(c));
  }
  for (const ColumnInfo& column : model.columns) {
    const ColumnInfo* existing = db.column(column.name);
    if (existing == nullptr || !included_column(model, column, options)) continue;
    unsigned alter = 0;
    if (column.nullable != existing->nullable && !existing->autoincrement)
      alter |= Change::kNullable;
    if (options.compare_type && types) {
      if (types(column, *existing).value_or(false)) alter |= Change::kType;
    }
    if (options.compare_server_default && !existing->autoincrement) {
      const bool differ =
          column.server_default.has_value() != existing->server_default.has_value() ||
          (column.server_default && default_text(column) != default_text(*existing));
      if (differ) alter |= Change::kDefault;
    }
    if (options.compare_comments && column.comment != existing->comment) alter |= Change::kComment;
    if (alter == 0) continue;
    Change c = change(Kind::kAlterColumn, model);
    c.column = column;
    c.existing = *existing;
    c.alter = alter;
    out.push_back(std::move(c));
  }
}

// An index whose elements hold an expression, or that has a WHERE: the
// server rewrites both, so neither can be compared (Alembic warns the same).
bool opaque(const IndexInfo& index) {
  return !index.where.empty() ||
         std::any_of(index.expression.begin(), index.expression.end(), [](bool e) { return e; });
}

void compare_indexes(const TableInfo& db, const TableInfo& model, std::vector<Change>& out,
                     std::vector<std::string>* notes) {
  auto index_named = [](const TableInfo& t, const std::string& name) -> const IndexInfo* {
    for (const IndexInfo& i : t.indexes) {
      if (i.name == name) return &i;
    }
    return nullptr;
  };
  auto unique_named = [](const TableInfo& t, const std::string& name) -> const KeyInfo* {
    for (const KeyInfo& k : t.uniques) {
      if (k.name == name) return &k;
    }
    return nullptr;
  };
  auto unique_on = [](const TableInfo& t, const std::vector<std::string>& columns) {
    return std::any_of(t.uniques.begin(), t.uniques.end(),
                       [&](const KeyInfo& k) { return sorted(k.columns) == sorted(columns); });
  };
  auto unnamed_unique_on = [](const TableInfo& t, const std::vector<std::string>& columns) {
    return std::any_of(t.uniques.begin(), t.uniques.end(), [&](const KeyInfo& k) {
      return !k.name && sorted(k.columns) == sorted(columns);
    });
  };
  auto unique_index_on = [](const TableInfo& t, const std::vector<std::string>& columns) {
    return std::any_of(t.indexes.begin(), t.indexes.end(), [&](const IndexInfo& i) {
      return i.unique && !opaque(i) && sorted(i.elements) == sorted(columns);
    });
  };
  // A unique index on one side and a unique constraint of the same name and
  // columns on the other are one thing (MariaDB has no other kind).
  auto twin = [](const IndexInfo* i, const KeyInfo* k) {
    return i != nullptr && k != nullptr && i->unique && sorted(i->elements) == sorted(k->columns);
  };

  std::vector<Change> drops, adds;
  for (const IndexInfo& index : db.indexes) {
    const IndexInfo* wanted = index_named(model, index.name);
    if (wanted == nullptr && twin(&index, unique_named(model, index.name))) continue;
    // The index a database made for an unnamed UNIQUE of the model.
    if (wanted == nullptr && index.unique && unnamed_unique_on(model, index.elements)) continue;
    if (wanted == nullptr && opaque(index)) {
      if (notes != nullptr) {
        notes->push_back(fmt::format(
            "autogenerate skips index {} on {}: an expression or partial index is not compared",
            index.name, db.name));
      }
      continue;
    }
    if (wanted != nullptr && (opaque(index) || opaque(*wanted)) && index.unique == wanted->unique)
      continue;
    if (wanted != nullptr && same_index(index, *wanted)) continue;
    Change c = change(Kind::kDropIndex, db);
    c.index = index;
    drops.push_back(std::move(c));
  }
  for (const KeyInfo& key : db.uniques) {
    if (!key.name) continue;  // cannot be dropped by name; nor does Alembic
    const KeyInfo* wanted = unique_named(model, *key.name);
    if (wanted == nullptr && twin(index_named(model, *key.name), &key)) continue;
    // An unnamed unique of the model, which the database named.
    if (wanted == nullptr && unnamed_unique_on(model, key.columns)) continue;
    if (wanted != nullptr && sorted(wanted->columns) == sorted(key.columns)) continue;
    Change c = change(Kind::kDropUnique, db);
    c.key = key;
    drops.push_back(std::move(c));
  }
  for (const KeyInfo& key : model.uniques) {
    if (!key.name) {
      if (!unique_on(db, key.columns) && !unique_index_on(db, key.columns)) {
        Change c = change(Kind::kAddUnique, model);
        c.key = key;
        adds.push_back(std::move(c));
      }
      continue;
    }
    const KeyInfo* existing = unique_named(db, *key.name);
    if (existing == nullptr && twin(index_named(db, *key.name), &key)) continue;
    if (existing != nullptr && sorted(existing->columns) == sorted(key.columns)) continue;
    Change c = change(Kind::kAddUnique, model);
    c.key = key;
    adds.push_back(std::move(c));
  }
  for (const IndexInfo& index : model.indexes) {
    const IndexInfo* existing = index_named(db, index.name);
    if (existing == nullptr && twin(&index, unique_named(db, index.name))) continue;
    // A unique index of the model that an unnamed UNIQUE of the database is.
    if (existing == nullptr && index.unique && !opaque(index) &&
        unnamed_unique_on(db, index.elements))
      continue;
    if (existing != nullptr && (opaque(index) || opaque(*existing)) &&
        index.unique == existing->unique)
      continue;
    if (existing != nullptr && same_index(*existing, index)) continue;
    Change c = change(Kind::kAddIndex, model);
    c.index = index;
    adds.push_back(std::move(c));
  }
  std::stable_sort(drops.begin(), drops.end(), [](const Change& a, const Change& b) {
    const std::string& an = a.kind == Kind::kDropIndex ? a.index.name : *a.key.name;
    const std::string& bn = b.kind == Kind::kDropIndex ? b.index.name : *b.key.name;
    return an < bn;
  });
  for (Change& c : drops) out.push_back(std::move(c));
  for (Change& c : adds) out.push_back(std::move(c));
}

void compare_foreign_keys(const TableInfo& db, const TableInfo& model, std::vector<Change>& out) {
  for (const ForeignKeyInfo& fk : db.foreign_keys) {
    auto same = [&](const ForeignKeyInfo& m) { return same_foreign_key(fk, m); };
    if (std::any_of(model.foreign_keys.begin(), model.foreign_keys.end(), same)) continue;
    Change c = change(Kind::kDropForeignKey, db);
    c.foreign_key = fk;
    out.push_back(std::move(c));
  }
  for (const ForeignKeyInfo& fk : model.foreign_keys) {
    auto same = [&](const ForeignKeyInfo& d) { return same_foreign_key(d, fk); };
    if (std::any_of(db.foreign_keys.begin(), db.foreign_keys.end(), same)) continue;
    Change c = change(Kind::kAddForeignKey, model);
    c.foreign_key = fk;
    out.push_back(std::move(c));
  }
}

// CHECK constraints by name only, as Alembic 1.19: the server rewrites
// their text, so an edited condition is not seen.
void compare_checks(const TableInfo& db, const TableInfo& model, std::vector<Change>& out) {
  auto named = [](const TableInfo& t, const std::string& name) {
    return std::any_of(t.checks.begin(), t.checks.end(),
                       [&](const CheckInfo& c) { return c.name == name; });
  };
  for (const CheckInfo& check : db.checks) {
    if (!check.name || named(model, *check.name)) continue;
    Change c = change(Kind::kDropCheck, db);
    c.check = check;
    out.push_back(std::move(c));
  }
  for (const CheckInfo& check : model.checks) {
    if (!check.name || named(db, *check.name)) continue;
    Change c = change(Kind::kAddCheck, model);
    c.check = check;
    out.push_back(std::move(c));
  }
}

}  // namespace

std::vector<Change> compare_schemas(const Schema& database, const Schema& model,
                                    const TypeComparator& compare_type,
                                    const CompareOptions& options,
                                    std::vector<std::string>* notes) {
  std::vector<Change> out;
  std::vector<const TableInfo*> added, dropped, kept;
  for (const TableInfo& t : model.tables) {
    if (!included(t.name, options)) continue;
    if (database.table(t.schema, t.name) == nullptr) {
      added.push_back(&t);
    } else {
      kept.push_back(&t);
    }
  }
  for (const TableInfo& t : database.tables) {
    if (included(t.name, options) && model.table(t.schema, t.name) == nullptr) {
      dropped.push_back(&t);
    }
  }
  for (const TableInfo* t : referred_first(added)) {
    Change c = change(Kind::kAddTable, *t);
    c.definition = *t;
    out.push_back(std::move(c));
  }
  for (const TableInfo* t : referencing_first(dropped)) {
    Change c = change(Kind::kDropTable, *t);
    c.definition = *t;
    out.push_back(std::move(c));
  }
  std::sort(kept.begin(), kept.end(), [](const TableInfo* a, const TableInfo* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  for (const TableInfo* m : kept) {
    const TableInfo& db = *database.table(m->schema, m->name);
    compare_columns(db, *m, compare_type, options, out);
    compare_indexes(db, *m, out, notes);
    compare_foreign_keys(db, *m, out);
    if (options.compare_comments && db.comment != m->comment) {
      Change c = change(Kind::kSetTableComment, *m);
      c.comment = m->comment;
      c.existing_comment = db.comment;
      out.push_back(std::move(c));
    }
    compare_checks(db, *m, out);
    for (const ColumnInfo& column : db.columns) {
      if (m->column(column.name) != nullptr || !included_column(db, column, options)) continue;
      Change c = change(Kind::kDropColumn, db);
      c.column = column;
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace retort::autogenerate
