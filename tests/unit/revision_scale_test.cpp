// Large histories: building, ordering and planning stay near linear, so 10k
// revisions of any shape plan at once. These assert the results; the time
// shows in the test run.
#include "revision_test_support.hpp"

#include <algorithm>
#include <ctime>
#include <utility>

using namespace revision_test;

namespace {

constexpr size_t kCount = 10000;

std::string rev_id(size_t i) { return fmt::format("rev{:05}", i); }

// Counts the positions where `got` differs from `want`, so a failure prints
// a number, not 10k lines.
size_t differences(const Lines& got, const Lines& want) {
  size_t n = got.size() > want.size() ? got.size() - want.size() : want.size() - got.size();
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) n += got[i] != want[i];
  return n;
}

// A diamond every 10 revisions: a fork F, two lines of four (L, R) and
// their merge M, which the next block's fork revises.
struct Diamonds {
  std::vector<Revision> revisions;
  Lines history;  // newest first, as Alembic orders it
};

Diamonds diamonds(size_t blocks) {
  Diamonds out;
  std::string previous;
  std::vector<Lines> history_blocks;
  for (size_t k = 0; k < blocks; ++k) {
    auto name = [k](const char* part) { return fmt::format("{}{:04}", part, k); };
    auto add = [&out](std::string id, Lines down) {
      Revision rev;
      rev.id = std::move(id);
      rev.down_revisions = std::move(down);
      out.revisions.push_back(std::move(rev));
    };
    add(name("f"), previous.empty() ? Lines{} : Lines{previous});
    for (const char* side : {"l", "r"}) {
      for (int i = 1; i <= 4; ++i) {
        add(name(side) + fmt::format("_{}", i),
            {i == 1 ? name("f") : name(side) + fmt::format("_{}", i - 1)});
      }
    }
    add(name("m"), {name("l") + "_4", name("r") + "_4"});
    previous = name("m");
    history_blocks.push_back({name("m"), name("l") + "_4", name("l") + "_3", name("l") + "_2",
                              name("l") + "_1", name("r") + "_4", name("r") + "_3",
                              name("r") + "_2", name("r") + "_1", name("f")});
  }
  for (auto it = history_blocks.rbegin(); it != history_blocks.rend(); ++it) {
    out.history.insert(out.history.end(), it->begin(), it->end());
  }
  return out;
}

}  // namespace

TEST_CASE("revision map builds and plans a 10k-revision linear history", "[revision_map]") {
  std::vector<Revision> revs(kCount);
  for (size_t i = 0; i < kCount; ++i) {
    revs[i].id = rev_id(i);
    if (i > 0) revs[i].down_revisions = {rev_id(i - 1)};
  }
  revs[0].branch_labels = {"trunk"};
  std::reverse(revs.begin(), revs.end());  // map order must not matter
  auto map = build(std::move(revs));
  CHECK(map.heads() == Lines{rev_id(kCount - 1)});
  CHECK(map.bases() == Lines{rev_id(0)});
  CHECK(map.branch_labels(rev_id(kCount - 1)) == Lines{"trunk"});

  Lines newest_first;
  for (size_t i = kCount; i-- > 0;) newest_first.push_back(rev_id(i));
  CHECK(differences(ids(map.history()), newest_first) == 0);

  auto up = upgrade(map, {}, "head");
  REQUIRE(up.size() == kCount);
  CHECK(describe({up.front()}) == Lines{"up rev00000: {} -> {rev00000}"});
  size_t wrong = 0;
  for (size_t i = 1; i < kCount; ++i) {
    wrong += up[i].revision->id != rev_id(i) || up[i].from_heads != Lines{rev_id(i - 1)} ||
             up[i].to_heads != Lines{rev_id(i)};
  }
  CHECK(wrong == 0);

  auto hundred = upgrade(map, {rev_id(4999)}, "+100");
  REQUIRE(hundred.size() == 100);
  CHECK(hundred.front().revision->id == rev_id(5000));
  CHECK(hundred.back().revision->id == rev_id(5099));
  CHECK(steps(upgrade(map, {rev_id(10)}, "trunk@+2")) == Lines{"up rev00011", "up rev00012"});

  auto all_down = downgrade(map, {rev_id(kCount - 1)}, "-10000");
  REQUIRE(all_down.size() == kCount);
  CHECK(all_down.front().revision->id == rev_id(kCount - 1));
  CHECK(describe({all_down.back()}) == Lines{"down rev00000: {rev00000} -> {}"});
  CHECK(downgrade(map, {rev_id(kCount - 1)}, rev_id(10)).size() == kCount - 11);
  CHECK(downgrade(map, {rev_id(kCount - 1)}, "trunk@base").size() == kCount);
  CHECK(upgrade_error(map, {rev_id(kCount - 1)}, "+1").message() ==
        "Relative revision +1 didn't produce 1 migrations");

  auto range = map.history_range(rev_id(100), rev_id(199));
  REQUIRE(range);
  CHECK(range->size() == 100);
  CHECK(describe(stamp(map, {rev_id(3)}, {"heads"})) ==
        Lines{fmt::format("stamp {0}: {{rev00003}} -> {{{0}}}", rev_id(kCount - 1))});

  CHECK(resolved(map, "rev09998") == "rev09998");
  CHECK_THAT(resolve_error(map, "rev0999").message(),
             Catch::StartsWith("Multiple revisions start with 'rev0999': 'rev09990', "));
}

TEST_CASE("revision map builds and plans 10k revisions forking and merging every 10",
          "[revision_map]") {
  Diamonds graph = diamonds(kCount / 10);
  std::vector<Revision> revs = graph.revisions;
  revs[0].branch_labels = {"main"};
  auto map = build(std::move(revs));
  const std::string head = graph.history.front();
  const std::string base = graph.history.back();
  CHECK(map.heads() == Lines{head});
  CHECK(map.bases() == Lines{base});
  CHECK(map.is_merge_point(head));
  CHECK(map.is_branch_point(base));

  CHECK(differences(ids(map.history()), graph.history) == 0);
  auto iterated = map.iterate_revisions("heads", "base", {.inclusive = true});
  REQUIRE(iterated);
  CHECK(differences(ids(*iterated), graph.history) == 0);

  // Up from nothing: each fork, its right line, its left line, the merge.
  auto up = upgrade(map, {}, "heads");
  Lines want_up;
  for (auto it = graph.history.rbegin(); it != graph.history.rend(); ++it) {
    want_up.push_back("up " + *it);
  }
  CHECK(differences(steps(up), want_up) == 0);
  CHECK(describe({up[5]}) == Lines{"up l0000_1: {} -> {l0000_1}"});
  CHECK(describe({up[9]}) == Lines{"up m0000: {l0000_4, r0000_4} -> {m0000}"});
  CHECK(rows_after({}, up) == Rows{head});

  // Down from the head: each merge unmerges into both lines.
  auto down = downgrade(map, {head}, "base");
  Lines want_down;
  for (const std::string& id : graph.history) want_down.push_back("down " + id);
  CHECK(differences(steps(down), want_down) == 0);
  CHECK(describe({down.front()}) ==
        Lines{fmt::format("down {0}: {{{0}}} -> {{l0999_4, r0999_4}}", head)});
  CHECK(rows_after({head}, down).empty());

  // A slice from the middle, and its row changes.
  auto middle = upgrade(map, {"l0500_2", "r0500_4"}, "f0502");
  CHECK(steps(middle) == Lines{"up l0500_3", "up l0500_4", "up m0500", "up f0501", "up r0501_1",
                               "up r0501_2", "up r0501_3", "up r0501_4", "up l0501_1", "up l0501_2",
                               "up l0501_3", "up l0501_4", "up m0501", "up f0502"});
  CHECK(rows_after({"l0500_2", "r0500_4"}, middle) == Rows{"f0502"});
  auto back = downgrade(map, {"f0502"}, "r0500_4");
  CHECK(rows_after({"f0502"}, back) == Rows{"l0500_4", "r0500_4"});
  CHECK(upgrade_error(map, {"f0500"}, "+1").message() == "Ambiguous walk");
  CHECK(steps(upgrade(map, {"l0700_1"}, "+3")) == Lines{"up l0700_2", "up l0700_3", "up l0700_4"});
  auto range = map.history_range("f0900", "main@head");
  REQUIRE(range);
  CHECK(range->size() == 1000);
}

TEST_CASE("revision map plans 10k revisions fanning out from one base", "[revision_map]") {
  // A thousand lines of ten on one base: every line ends at the branch
  // point, which waits for all the others.
  std::vector<Revision> revs;
  Revision root;
  root.id = "root";
  revs.push_back(root);
  for (size_t line = 0; line < 1000; ++line) {
    for (size_t i = 0; i < 10; ++i) {
      Revision rev;
      rev.id = fmt::format("x{:03}_{}", line, i);
      rev.down_revisions = {i == 0 ? std::string("root") : fmt::format("x{:03}_{}", line, i - 1)};
      revs.push_back(std::move(rev));
    }
  }
  auto map = build(std::move(revs));
  CHECK(map.heads().size() == 1000);
  auto history = map.history();
  REQUIRE(history.size() == 10001);
  CHECK(history.front()->id == "x000_9");
  CHECK(history[10]->id == "x001_9");  // line by line, in map order
  CHECK(history.back()->id == "root");

  auto up = upgrade(map, {}, "heads");
  REQUIRE(up.size() == 10001);
  CHECK(up.front().revision->id == "root");
  CHECK(up[1].revision->id == "x999_0");  // the last line in map order runs first
  const auto heads = map.heads();
  CHECK(rows_after({}, up) == Rows(heads.begin(), heads.end()));
  auto down = downgrade(map, heads, "base");
  CHECK(down.size() == 10001);
  CHECK(rows_after(heads, down).empty());
}

namespace {

// CPU seconds for what a command does with a graph of `n` revisions in the
// shape `make` gives: build it, order it, plan to head and back to base,
// resolve the head. The least of three tries: other work on the machine
// only ever adds.
template <typename Make>
double cpu_seconds(size_t n, Make make) {
  double best = 1e9;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<Revision> revs = make(n);
    const std::string head = revs.back().id;
    timespec start{}, end{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    auto map = build(std::move(revs));
    REQUIRE(map.history().size() == n);
    REQUIRE(upgrade(map, {}, "heads").size() == n);
    REQUIRE(downgrade(map, {head}, "base").size() == n);
    REQUIRE(map.heads() == Lines{head});
    REQUIRE(resolved(map, head) == head);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
    best = std::min(best,
                    double(end.tv_sec - start.tv_sec) + 1e-9 * double(end.tv_nsec - start.tv_nsec));
  }
  return best;
}

std::vector<Revision> linear(size_t n) {
  std::vector<Revision> revs(n);
  for (size_t i = 0; i < n; ++i) {
    revs[i].id = rev_id(i);
    if (i > 0) revs[i].down_revisions = {rev_id(i - 1)};
  }
  return revs;
}

std::vector<Revision> forking(size_t n) { return diamonds(n / 10).revisions; }

}  // namespace

// Times are not asserted: ratios are. Four times the revisions cost about
// four times the work when every step is near linear, and sixteen times
// when one is quadratic; ten splits the two whatever the machine.
TEST_CASE("revision map work grows near linearly: 8k revisions cost under ten times 2k",
          "[revision_map][scale]") {
  for (auto [shape, make] : {std::pair{"linear", &linear}, std::pair{"forking", &forking}}) {
    const double small = cpu_seconds(2000, make);
    const double large = cpu_seconds(8000, make);
    INFO(shape << ": 2k " << small << " s, 8k " << large << " s");
    CHECK(large < 10 * small);
  }
}
