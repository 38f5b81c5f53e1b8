// The revision chain most end-to-end tests use, written out in full:
//
//   aaaa0001  create account table     account(id, name, created)
//   bbbb0002  add balance to account   account.balance, unique index on name
//   cccc0003  create ledger            ledger(id, note, done) and one row
#ifndef RETORT_TESTS_E2E_CHAIN_FIXTURE_HPP
#define RETORT_TESTS_E2E_CHAIN_FIXTURE_HPP

#include "e2e_harness.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace retort::test {

struct RevisionText {
  std::string id;
  std::string message;
  std::string upgrade;
  std::string downgrade;
};

inline const RevisionText kAccount{"aaaa0001", "create account table",
                                   R"~(  op.create_table("account", {
      retort::Column("id", retort::Integer()).primary_key(),
      retort::Column("name", retort::String(50)).nullable(false),
      retort::Column("created", retort::DateTime()).server_default(retort::sql("CURRENT_TIMESTAMP")),
  });)~",
                                   R"~(  op.drop_table("account");)~"};

inline const RevisionText kBalance{
    "bbbb0002", "add balance to account",
    R"~(  op.add_column("account", retort::Column("balance", retort::Numeric(12, 2)).server_default("0"));
  op.create_index("ix_account_name", "account", {"name"}, {.unique = true});)~",
    R"~(  op.drop_index("ix_account_name", "account");
  op.drop_column("account", "balance");)~"};

inline const RevisionText kLedger{"cccc0003", "create ledger",
                                  R"~(  op.create_table("ledger", {
      retort::Column("id", retort::BigInteger()).primary_key(),
      retort::Column("note", retort::Text()),
      retort::Column("done", retort::Boolean()).nullable(false).server_default("0"),
  });
  op.execute("INSERT INTO ledger (id, note, done) VALUES (1, 'opened', 0)");)~",
                                  R"~(  op.drop_table("ledger");)~"};

// `retort revision` followed by filling in the functions.
inline void add_revision(const std::filesystem::path& dir, const RevisionText& r) {
  CliRun run = run_retort(dir, "revision -m '" + r.message + "' --rev-id " + r.id);
  INFO(run.err);
  REQUIRE(run.status == 0);
  write_revision_body(revision_source(dir / "migrations" / "versions", r.id), r.upgrade,
                      r.downgrade);
}

// `retort build`, which must succeed.
inline void build(const std::filesystem::path& dir) {
  CliRun run = run_retort(dir, "build");
  INFO(run.err);
  REQUIRE(run.status == 0);
}

// `retort init migrations` and the three revisions above, built, into `dir`.
inline void build_chain(const std::filesystem::path& dir) {
  CliRun init = run_retort(dir, "init migrations");
  INFO(init.err);
  REQUIRE(init.status == 0);
  for (const RevisionText* r : {&kAccount, &kBalance, &kLedger}) add_revision(dir, *r);
  build(dir);
}

// Where ctest's "e2e chain fixture" test builds the chain once for every
// test of the run, and the marker it leaves when done.
inline std::filesystem::path shared_chain_dir() { return RETORT_E2E_CHAIN_DIR; }
inline std::filesystem::path shared_chain_marker() {
  return std::filesystem::path(RETORT_E2E_CHAIN_DIR).concat(".ready");
}

// The chain, built, copied into `dir` (modification times kept, so the
// copy's modules are as current as the original's): from ctest's shared
// fixture when it is there, else built once by this process.
inline void make_chain(const std::filesystem::path& dir) {
  static std::optional<ScratchDir> local;
  static std::filesystem::path source;
  if (source.empty()) {
    if (std::filesystem::exists(shared_chain_marker())) {
      source = shared_chain_dir();
    } else {
      local.emplace();
      build_chain(local->path());
      source = local->path();
    }
  }
  const std::string copy = "cp -a '" + source.string() + "/.' '" + dir.string() + "'";
  REQUIRE(std::system(copy.c_str()) == 0);
}

// A project `make` builds, made once per process under `key` and copied
// into `dir` (modification times kept) each time after: a test's SECTIONs
// rerun the test from the top, and would otherwise compile it again.
template <typename Make>
void copy_of_project(const std::filesystem::path& dir, const std::string& key, Make make) {
  static std::map<std::string, ScratchDir> built;
  auto it = built.find(key);
  if (it == built.end()) {
    it = built.try_emplace(key).first;
    make(it->second.path());
  }
  const std::string copy = "cp -a '" + it->second.path().string() + "/.' '" + dir.string() + "'";
  REQUIRE(std::system(copy.c_str()) == 0);
}

}  // namespace retort::test

#endif  // RETORT_TESTS_E2E_CHAIN_FIXTURE_HPP
