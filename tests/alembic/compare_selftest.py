#!/usr/bin/python3
"""Checks that compare.py tells equal scripts and listings from different ones.

Runs without Alembic or retort: `python3 tests/alembic/compare_selftest.py`.
"""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare  # noqa: E402

CREATE = """CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
"""


def script(*steps):
    """An Alembic-style offline script: (header, [statements]) per step."""
    out = [CREATE]
    for header, statements in steps:
        out.append("-- Running %s\n" % header)
        out.extend("%s;\n" % s for s in statements)
    return "\n".join(out)


def ins(x):
    return "INSERT INTO alembic_version (version_num) VALUES ('%s')" % x


def upd(old, new):
    return ("UPDATE alembic_version SET version_num='%s' "
            "WHERE alembic_version.version_num = '%s'" % (new, old))


def dele(x):
    return "DELETE FROM alembic_version WHERE alembic_version.version_num = '%s'" % x


DIAMOND_UP = [("upgrade  -> a", ["SELECT 'up_a'", ins("a")]),
              ("upgrade a -> b1", ["SELECT 'up_b1'", upd("a", "b1")]),
              ("upgrade a -> b2", ["SELECT 'up_b2'", ins("b2")]),
              ("upgrade b1, b2 -> c", ["SELECT 'up_c'", dele("b1"), upd("b2", "c")])]
DOWNS = {"a": (), "b1": ("a",), "b2": ("a",), "c": ("b1", "b2")}


class ScriptTest(unittest.TestCase):
    def test_layout_transactions_and_quoting_do_not_matter(self):
        retort = "BEGIN;\n\n" + script(*DIAMOND_UP).replace("NOT NULL, \n", "NOT NULL,\n") \
            .replace("alembic_version.version_num", '"version_num"') + "\nCOMMIT;\n"
        self.assertIsNone(compare.compare_scripts(script(*DIAMOND_UP), retort, (), DOWNS)[0])

    def test_steps_in_another_order_are_a_mismatch(self):
        swapped = [DIAMOND_UP[0], ("upgrade a -> b2", ["SELECT 'up_b2'", upd("a", "b2")]),
                   ("upgrade a -> b1", ["SELECT 'up_b1'", ins("b1")]), DIAMOND_UP[3]]
        problem, _ = compare.compare_scripts(script(*DIAMOND_UP), script(*swapped), (), DOWNS)
        self.assertIn("the steps differ", problem)

    def test_a_merge_without_other_rows_must_match_exactly(self):
        other = DIAMOND_UP[:3] + [("upgrade b1, b2 -> c", ["SELECT 'up_c'", dele("b2"),
                                                            upd("b1", "c")])]
        problem, _ = compare.compare_scripts(script(*DIAMOND_UP), script(*other), (), DOWNS)
        self.assertIn("version-table statements differ", problem)

    def test_a_merge_beside_other_rows_may_pick_either_parent(self):
        start = [("upgrade  -> z", [ins("z")])] + DIAMOND_UP[:3]
        mine = start + [("upgrade b1, b2 -> c", ["SELECT 'up_c'", dele("b2"), upd("b1", "c")])]
        theirs = start + [("upgrade b1, b2 -> c", ["SELECT 'up_c'", dele("b1"), upd("b2", "c")])]
        problem, notes = compare.compare_scripts(script(*theirs), script(*mine), (),
                                                 dict(DOWNS, z=()))
        self.assertIsNone(problem)
        self.assertTrue(notes)

    def test_a_missing_step_body_is_a_mismatch(self):
        other = [DIAMOND_UP[0], ("upgrade a -> b1", [upd("a", "b1")])] + DIAMOND_UP[2:]
        problem, _ = compare.compare_scripts(script(*DIAMOND_UP), script(*other), (), DOWNS)
        self.assertIn("statements differ", problem)

    def test_alembic_1_8_final_drop_of_the_version_table_is_ignored(self):
        down = [("downgrade a -> ", ["SELECT 'down_a'", dele("a")])]
        alembic = script(*down).replace(CREATE, "") + "\nDROP TABLE alembic_version;\n"
        retort = script(*down).replace(CREATE, "")
        self.assertIsNone(compare.compare_scripts(alembic, retort, ("a",), DOWNS)[0])

    def test_an_impossible_version_statement_is_reported(self):
        bad = [("upgrade  -> a", [ins("a")]), ("upgrade a -> b1", [upd("x", "b1")])]
        problem, _ = compare.compare_scripts(script(*bad[:1]), script(*bad), (), DOWNS)
        self.assertIn("UPDATE of x, which is not a row", problem)


class ListingTest(unittest.TestCase):
    def test_label_order_and_paths_do_not_matter(self):
        a = "a -> b (x, y) (head), step 1\nPath: /one/b.py\n"
        r = "a -> b (y, x) (head), step 1\nPath: /two/pack_0.cpp\n"
        self.assertIsNone(compare.compare_listings(a, r)[0])

    def test_a_missing_indicator_is_a_mismatch(self):
        a = "Rev: b (head) (mergepoint)\n"
        r = "Rev: b (head)\n"
        self.assertIsNotNone(compare.compare_listings(a, r)[0])

    def test_branch_children_may_come_in_any_order(self):
        a = "a (branchpoint)\n  -> b1 (head)\n  -> b2\n"
        r = "a (branchpoint)\n  -> b2\n  -> b1 (head)\n"
        self.assertIsNone(compare.compare_listings(a, r, "branches")[0])
        self.assertIsNotNone(compare.compare_listings(a, r, "listing")[0])

    def test_history_order_matters(self):
        a = "b -> c (head), step 2\na -> b, step 1\n"
        r = "a -> b, step 1\nb -> c (head), step 2\n"
        self.assertIsNotNone(compare.compare_listings(a, r)[0])


if __name__ == "__main__":
    unittest.main()
