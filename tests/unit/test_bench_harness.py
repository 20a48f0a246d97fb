"""The benchmark's fairness checks: the ours-vs-peer comparison and the peer's copied rules.

The peer (bench/peer/typeDefs.mjs) re-implements in Cypher what our service computes in
Python (profile points, RAD cells, funnel probabilities) or in its own Cypher (the earned
coverage strength). If those rules change here and not there, the peer's answers differ
and the comparison is no longer of the same work; these tests fail first. The comparison
itself must forgive exactly the documented differences of the peer's API and nothing else.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from copy import deepcopy
from typing import Any

import pytest

from bench.harness.config import PEER_DIR, parse_size, size_label
from bench.harness.equivalence import first_difference, normalize
from bench.harness.loadgen import Cell
from bench.harness.processes import (
    process_cpu_seconds,
    process_role,
    process_tree,
    tree_cpu_seconds,
)
from bench.harness.report import deciders_rows, memory_lines, mixed_rows
from graph_api.domain import model as m
from graph_api.domain.signals import ORGANIZATION_PROFILE_POINTS, PERSON_PROFILE_POINTS
from graph_api.store import projection

TYPEDEFS = (PEER_DIR / "typeDefs.mjs").read_text(encoding="utf-8")


def _points(js_name: str) -> dict[str, int]:
    block = re.search(rf"const {js_name} = `(.*?)`;", TYPEDEFS, re.S)
    assert block, js_name
    return {f: int(p) for f, p in re.findall(r"\['(\w+)', (\d+)\]", block.group(1))}


def test_peer_profile_points_are_ours() -> None:
    assert _points("personPoints") == {k: p for k, (_, p) in PERSON_PROFILE_POINTS.items()}
    assert _points("organizationPoints") == {
        k: p for k, (_, p) in ORGANIZATION_PROFILE_POINTS.items()
    }


def test_peer_missing_fields_order_is_ours() -> None:
    # missingFields is sorted by points (most first), then name; the peer keeps list order.
    for js, ours in (
        ("personPoints", PERSON_PROFILE_POINTS),
        ("organizationPoints", ORGANIZATION_PROFILE_POINTS),
    ):
        expected = sorted(ours, key=lambda f: (-ours[f][1], f))
        assert list(_points(js)) == expected


def test_peer_coverage_strength_is_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    # The 360° view's coverage strength is the declared one combined with the earned one
    # (cypher/view.cypher); the peer computes the same expression, on the service's clock
    # (the bench sets no GRAPH_API_STRENGTH_NOW, the tests do), so that values and order
    # compare (the peer read the declared COVERS.strength: 2 of 41 answers differed).
    monkeypatch.setattr(projection, "_now_seconds", lambda: "datetime().epochSeconds")
    copied = re.search(r"const coverageStrength =\n(.*?);\n", TYPEDEFS, re.S)
    assert copied
    peer = "".join(re.findall(r'"([^"]*)"', copied.group(1)))
    assert peer == projection.coverage_strength("c", "r", "this")
    assert "WITH r, c, ${coverageStrength} AS strength\n      ORDER BY strength DESC, r.id" in (
        TYPEDEFS
    )


def test_peer_stage_probabilities_are_ours() -> None:
    found = dict(re.findall(r"WHEN '([A-Z]+)' THEN ([\d.]+)", TYPEDEFS))
    expected = {s.value: p for s, p in m.STAGE_PROBABILITY.items() if p > 0}
    assert {k: float(v) for k, v in found.items()} == expected
    assert "ELSE 0.0 END" in TYPEDEFS  # LOST


@pytest.mark.parametrize(
    ("purchase", "share"),
    [(2_000_000, 0.6), (700_000, 0.3), (200_000, 0.05), (1_000_000, 0.5), (500_000, 0.1)],
)
def test_peer_rad_cell_rule_is_ours(purchase: float, share: float) -> None:
    # The peer's CASE, evaluated by hand on the same thresholds as model.rad_cell.
    row = "R" if share > 0.5 else "D" if share >= 0.1 else "A"
    column = "1" if purchase > 1_000_000 else "2" if purchase >= 500_000 else "3"
    assert m.rad_cell(purchase, share) == row + column
    assert "this.shareOfWallet > 0.5 THEN 'R'" in TYPEDEFS
    assert "this.shareOfWallet >= 0.1 THEN 'D'" in TYPEDEFS
    assert "this.annualPurchase > 1000000 THEN '1'" in TYPEDEFS
    assert "this.annualPurchase >= 500000 THEN '2'" in TYPEDEFS


OURS: dict[str, Any] = {
    "id": "p-1",
    "name": "张翠山",
    "interactions": {
        "totalCount": 1,
        "edges": [
            {
                "cursor": "b3Vycw==",
                "node": {
                    "at": "2026-10-01T08:00:00+00:00",
                    "reps": [{"id": "rep-2", "name": "B"}, {"id": "rep-1", "name": "A"}],
                },
            }
        ],
        "pageInfo": {"hasNextPage": False, "endCursor": "b3Vycw=="},
    },
    "relationships": [
        {"kind": "INFLUENCES", "party": {"id": "p-2", "name": "李娜"}, "strength": 0.7},
        {"kind": "KNOWS", "party": {"id": "p-3", "name": "王"}, "strength": 0.5},
    ],
    "householdHoldings": [{"amount": 10000.0, "beneficiaries": []}],
}


def _peer_shaped() -> dict[str, Any]:
    theirs = deepcopy(OURS)
    edge = theirs["interactions"]["edges"][0]
    edge["cursor"] = "YXJyYXljb25uZWN0aW9uOjA="
    edge["node"]["at"] = "2026-10-01T08:00:00Z"
    edge["node"]["reps"].reverse()
    theirs["interactions"]["pageInfo"]["endCursor"] = "YXJyYXljb25uZWN0aW9uOjA="
    theirs["householdHoldings"][0]["amount"] = 10000
    return theirs


def test_documented_differences_compare_equal() -> None:
    assert first_difference(normalize(OURS), normalize(_peer_shaped())) is None


def test_a_different_strength_is_a_difference() -> None:
    theirs = _peer_shaped()
    theirs["relationships"][0]["strength"] = 0.8
    assert first_difference(normalize(OURS), normalize(theirs)) == (
        "party.relationships[0].strength: 0.7 (ours) vs 0.8 (peer)"
    )


def test_order_matters_where_our_api_defines_it() -> None:
    theirs = _peer_shaped()
    theirs["relationships"].reverse()
    assert first_difference(normalize(OURS), normalize(theirs)) is not None


def test_a_missing_rep_or_field_is_a_difference() -> None:
    theirs = _peer_shaped()
    theirs["interactions"]["edges"][0]["node"]["reps"].pop()
    assert first_difference(normalize(OURS), normalize(theirs)) == (
        "party.interactions.edges[0].node.reps: 2 items (ours) vs 1 (peer)"
    )
    theirs = _peer_shaped()
    del theirs["householdHoldings"]
    assert first_difference(normalize(OURS), normalize(theirs)) == (
        "party.householdHoldings: only in ours"
    )


def test_another_instant_is_a_difference() -> None:
    theirs = _peer_shaped()
    theirs["interactions"]["edges"][0]["node"]["at"] = "2026-10-01T09:00:00Z"
    assert first_difference(normalize(OURS), normalize(theirs)) is not None


@pytest.mark.parametrize(
    ("text", "parties", "label"),
    [
        ("10k", 10_000, "10k"),
        ("100K", 100_000, "100k"),
        ("1m", 1_000_000, "1M"),
        ("2500", 2500, "2500"),
    ],
)
def test_sizes(text: str, parties: int, label: str) -> None:
    assert parse_size(text) == parties
    assert size_label(parties) == label


@pytest.mark.parametrize("text", ["ten", "500", "1x"])
def test_bad_sizes_name_the_value(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"BENCH_SIZES: {text!r}")):
        parse_size(text)


def test_an_empty_size_is_refused() -> None:
    with pytest.raises(ValueError, match="empty data-set size"):
        parse_size(" ")


# The service's figures: every worker process counted, and the mixed cell's ratio.


def test_a_service_tree_holds_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = process_tree(os.getpid())
        assert tree[0] == os.getpid()
        assert child.pid in tree
        assert process_role(os.getpid(), os.getpid()) == "parent"
        assert process_role(child.pid, os.getpid()) == "helper"  # not a multiprocessing spawn
        # The tree's CPU is the sum of its processes', so never less than the parent's own.
        assert tree_cpu_seconds(os.getpid()) >= process_cpu_seconds(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert child.pid not in process_tree(os.getpid())


def _cell(op: str, median: float, p99: float, rps: float, **extra: Any) -> Cell:
    return Cell(
        operation=op,
        size="10k",
        connections=1,
        duration_s=3.0,
        requests=100,
        errors=0,
        error_detail={},
        latency_ms={"p50": median, "p99": p99},
        rps=rps,
        **extra,
    )


def test_mixed_row_compares_the_view_alone_and_beside_key_deciders() -> None:
    cells = [
        _cell("view360", 5.0, 10.0, 190.0),
        _cell(
            "view360+keyDeciders",
            6.0,
            18.0,
            150.0,
            background={"operation": "keyDeciders", "median_ms": 80.0, "rps": 12.5},
        ),
        _cell("keyDeciders", 80.0, 150.0, 12.5),
        _cell("keyDeciders-warm", 4.0, 9.0, 250.0),
    ]
    # p99 18 / 10 = 1.8: over the 1.5 target, and the row says so in numbers.
    assert mixed_rows(cells, ["10k"], [1]) == [
        ["10k", "1", "5.00 / 10.00", "6.00 / 18.00", "1.80", "190.0 / 150.0", "80.0 ms, 12.5 req/s"]
    ]
    assert deciders_rows(cells, ["10k"], [1]) == [
        ["10k", "1", "80.00 / 150.00", "12.5", "4.00 / 9.00", "250.0"]
    ]
    # Without the view alone there is nothing to compare with: no row.
    assert mixed_rows(cells[1:], ["10k"], [1]) == []


def test_memory_line_names_each_worker() -> None:
    mem = {
        "10k": {
            "service": [
                {"pid": 1, "role": "parent", "rss_kb": 140 * 1024},
                {"pid": 2, "role": "helper", "rss_kb": 13 * 1024},
                {"pid": 3, "role": "worker", "rss_kb": 180 * 1024, "peak_kb": 200 * 1024},
                {"pid": 4, "role": "worker", "rss_kb": 185 * 1024, "peak_kb": 190 * 1024},
            ],
            "neo4j": {"rss_kb": 765 * 1024, "peak_kb": 800 * 1024},
            "neo4j_heap": "2g",
            "neo4j_page_cache": "4g",
        }
    }
    assert memory_lines(mem) == [
        "memory on 10k: service workers RSS 180, 185 MB (peak 200, 190 MB), its supervising "
        "parent and helper 153 MB; Neo4j RSS 765 MB (peak 800 MB) with heap 2g and page cache 4g"
    ]
