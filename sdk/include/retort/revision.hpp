// The C++ layer for revision authors. A revision source file looks like:
//
//   #include <retort/revision.hpp>
//
//   namespace {
//   void upgrade(retort::Operations& op) { op.create_table(...); }
//   void downgrade(retort::Operations& op) { op.drop_table("account"); }
//   }  // namespace
//
//   RETORT_REVISION(
//       .revision = "1975ea83b712",
//       .down_revision = "ae1027a6acf",   // nullptr for a base; {"a", "b"} to merge
//       .message = "add account table",
//       .create_date = "2026-11-21 05:30:00",
//       .upgrade = upgrade,
//       .downgrade = downgrade)
//
// Fields keep the order of RevisionDef below. Any number of revision files may
// be linked into one shared object (a pack): each RETORT_REVISION registers
// itself, and the module's entry point lists them all.
#ifndef RETORT_REVISION_HPP
#define RETORT_REVISION_HPP

#include <retort/abi.h>
#include <retort/operations.hpp>
#include <retort/sink.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace retort {
inline namespace abi1 {

// A list of revision ids or labels: nullptr or {} for none, "a" for one,
// {"a", "b"} for several.
class Ids {
 public:
  Ids() = default;
  Ids(std::nullptr_t) {}
  Ids(const char* id) { ids_.emplace_back(id); }
  Ids(std::initializer_list<const char*> ids) : ids_(ids.begin(), ids.end()) {}
  const std::vector<std::string>& list() const { return ids_; }

 private:
  std::vector<std::string> ids_;
};

using MigrateFn = void (*)(Operations&);

struct RevisionDef {
  const char* revision = "";
  Ids down_revision{};
  Ids branch_labels{};
  Ids depends_on{};
  const char* message = "";
  const char* create_date = "";
  MigrateFn upgrade = nullptr;
  MigrateFn downgrade = nullptr;
};

namespace detail {

// The C view of a revision, followed by what the thunks need. Standard
// layout, so the host's `self` pointer (to c) converts back to it.
struct RevisionView {
  retort_revision c;
  const RevisionDef* def;
};
static_assert(std::is_standard_layout_v<RevisionView>);

// Owns one revision and its C view.
class RegisteredRevision {
 public:
  explicit RegisteredRevision(RevisionDef def) : def_(std::move(def)) {
    view_.def = &def_;
    retort_revision& c = view_.c;
    c.struct_size = sizeof(retort_revision);
    c.id = def_.revision;
    c.down_revisions = terminated(def_.down_revision, down_);
    c.branch_labels = terminated(def_.branch_labels, labels_);
    c.depends_on = terminated(def_.depends_on, depends_);
    c.message = def_.message;
    c.create_date = def_.create_date;
    c.upgrade = &RegisteredRevision::run_upgrade;
    c.downgrade = &RegisteredRevision::run_downgrade;
  }
  RegisteredRevision(const RegisteredRevision&) = delete;
  RegisteredRevision& operator=(const RegisteredRevision&) = delete;

  const retort_revision* c() const { return &view_.c; }

 private:
  static const char* const* terminated(const Ids& ids, std::vector<const char*>& out) {
    for (const std::string& id : ids.list()) out.push_back(id.c_str());
    out.push_back(nullptr);
    return out.data();
  }

  static int run_upgrade(const retort_revision* self, const retort_operations* ops,
                         const retort_sink* error) {
    return run(reinterpret_cast<const RevisionView*>(self)->def->upgrade, ops, error);
  }
  static int run_downgrade(const retort_revision* self, const retort_operations* ops,
                           const retort_sink* error) {
    return run(reinterpret_cast<const RevisionView*>(self)->def->downgrade, ops, error);
  }

  // The boundary: nothing thrown by the author's code escapes into C.
  static int run(MigrateFn fn, const retort_operations* ops, const retort_sink* error) noexcept {
    return at_c_boundary(error, "the revision", [&] {
      if (fn == nullptr) {
        write_to(error, "the revision defines no function for this direction");
        return RETORT_UNSUPPORTED;
      }
      Operations op(ops);
      fn(op);
      return RETORT_OK;
    });
  }

  RevisionDef def_;
  RevisionView view_{};
  std::vector<const char*> down_, labels_, depends_;
};

// Every revision of this module. A function-local static, so registration
// from any translation unit's static initialisers is safe.
struct ModuleRegistry {
  std::deque<RegisteredRevision> revisions;
  std::vector<const retort_revision*> views;
  retort_revision_module table{};
  retort_plugin descriptor{};
};

inline ModuleRegistry& module_registry() {
  static ModuleRegistry registry;
  return registry;
}

struct Registrar {
  explicit Registrar(RevisionDef def) {
    ModuleRegistry& r = module_registry();
    r.revisions.emplace_back(std::move(def));
    r.views.push_back(r.revisions.back().c());
  }
};

}  // namespace detail
}  // namespace abi1
}  // namespace retort

// The module's entry point. Weak, so that any number of revision files may be
// linked into one module; every copy is the same. The descriptor is filled
// by the first call (the revisions registered themselves at load); a later
// call (the file loaded again) writes nothing (abi.h: the entry point).
extern "C" RETORT_EXPORT __attribute__((weak)) const retort_plugin* retort_plugin_entry(
    const retort_host* /*host*/) {
  static const retort_plugin* const descriptor = [] {
    retort::detail::ModuleRegistry& r = retort::detail::module_registry();
    r.table.struct_size = sizeof(retort_revision_module);
    r.table.revision_count = r.views.size();
    r.table.revisions = r.views.data();
    r.descriptor.struct_size = sizeof(retort_plugin);
    r.descriptor.kind = RETORT_KIND_REVISIONS;
    r.descriptor.abi_major = RETORT_ABI_MAJOR;
    r.descriptor.abi_minor = RETORT_ABI_MINOR;
    r.descriptor.name = "revisions";
    r.descriptor.version = "1";
    r.descriptor.table = &r.table;
    return &r.descriptor;
  }();
  return descriptor;
}

#define RETORT_PP_CAT2(a, b) a##b
#define RETORT_PP_CAT(a, b) RETORT_PP_CAT2(a, b)

// Declares one revision; see the top of this file.
#define RETORT_REVISION(...)                                                                     \
  namespace {                                                                                    \
  const ::retort::detail::Registrar RETORT_PP_CAT(retort_revision_registrar_,                    \
                                                  __LINE__){::retort::RevisionDef{__VA_ARGS__}}; \
  }

#endif  // RETORT_REVISION_HPP
