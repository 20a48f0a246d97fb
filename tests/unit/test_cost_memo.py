"""CostMemo (graph_api/api/limits.py): a remembered cost measure is the one measuring again
would give, for every combination of the variables it depends on, and only those variables
(the view's `$id`) share one measure."""

from __future__ import annotations

from typing import Any

from graphql import parse

from graph_api.api.limits import CostMemo, measure
from graph_api.api.schema import build_schema
from graph_api.config import Settings

SETTINGS = Settings(max_cost=10**9)
SCHEMA = build_schema(SETTINGS)._schema

VIEW = """
query View($id: ID!, $n: Int) {
  party(id: $id) {
    id
    ... on Person { interactions(first: $n) { edges { node { at kind } } } }
    ...More
  }
}
fragment More on Party { id }
"""
PATH = """
query Path($a: ID!, $b: ID!, $h: Int, $l: Int) {
  relationshipPath(fromId: $a, toId: $b, maxHops: $h, limit: $l) { hops }
}
"""
TWO = 'query A { __typename } query B($n: Int) { search(text: "x", first: $n) { totalCount } }'

CASES: list[tuple[str, str | None, dict[str, Any]]] = [
    (VIEW, None, {"id": "p-1"}),
    (VIEW, None, {"id": "p-2"}),
    (VIEW, None, {"id": "p-1", "n": 3}),
    (VIEW, None, {"id": "p-3", "n": 3}),
    (VIEW, None, {"id": "p-3", "n": 50}),
    (VIEW, None, {"id": "p-3", "n": 0}),  # out of range: counted as 1
    (VIEW, None, {"id": "p-4", "n": None}),
    (PATH, None, {"a": "x", "b": "y"}),
    (PATH, None, {"a": "x", "b": "z", "h": 2}),
    (PATH, None, {"a": "x", "b": "y", "h": 6, "l": 20}),
    (PATH, None, {"a": "q", "b": "y", "h": 6, "l": 20}),
    (TWO, "A", {}),
    (TWO, "B", {"n": 7}),
    (TWO, "B", {"n": 8}),
    (TWO, None, {}),  # two operations, no name: no measure
]


def test_remembered_measures_equal_measuring_again() -> None:
    memo = CostMemo()
    # Twice over, in order and reversed: the second pass is answered from the memo.
    for query, name, variables in CASES + CASES[::-1]:
        expected = measure(SCHEMA, parse(query), SETTINGS, variables, name)
        got = memo.measure(SCHEMA, query, parse(query), SETTINGS, variables, name)
        assert got == expected, (query, name, variables)
    # The measures differ where the variables they read differ (so a stale one would show).
    view = [memo.measure(SCHEMA, VIEW, parse(VIEW), SETTINGS, v, None) for _, _, v in CASES[:7]]
    assert view[0] == view[1] and view[2] == view[3]
    assert len({m for m in view}) == 4  # n absent, 3, 50, out of range (0 and None: default)


def test_only_the_variables_a_measure_reads_key_it() -> None:
    memo = CostMemo()
    for i in range(20):
        memo.measure(SCHEMA, VIEW, parse(VIEW), SETTINGS, {"id": f"p-{i}"}, None)
    assert len(memo.measures) == 1
    assert memo.reads[(VIEW, None)] == frozenset({"n"})
    memo.measure(SCHEMA, VIEW, parse(VIEW), SETTINGS, {"id": "p-0", "n": 5}, None)
    assert len(memo.measures) == 2


def test_the_memo_is_bounded() -> None:
    memo = CostMemo(size=3)
    for n in range(1, 8):
        memo.measure(SCHEMA, VIEW, parse(VIEW), SETTINGS, {"id": "p", "n": n}, None)
        assert len(memo.measures) <= 3
    expected = measure(SCHEMA, parse(VIEW), SETTINGS, {"id": "p", "n": 7}, None)
    assert memo.measure(SCHEMA, VIEW, parse(VIEW), SETTINGS, {"id": "p", "n": 7}, None) == expected
