"""The import never corrupts the graph: a document that would close a cycle together with the
links already stored, or hold a value the store cannot, is refused with nothing written; a
load that fails in the middle says what was written and is finished by a resume."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk.load import import_path
from graph_api.bulk.validate import Problem
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, run_cli


async def whole_graph(store: Store) -> str:
    """A digest of every node (labels, every property) and every relationship (type, ends,
    every property), the bookkeeping included: equal digests, identical databases."""
    nodes = await store.read(
        "MATCH (n) RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props"
    )
    rels = await store.read(
        "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
        "properties(r) AS props"
    )
    lines = sorted(
        orjson.dumps(
            [r["eid"], sorted(r["labels"]), r["props"]], default=str, option=orjson.OPT_SORT_KEYS
        )
        for r in nodes
    ) + sorted(
        orjson.dumps([r["a"], r["t"], r["b"], r["props"]], default=str, option=orjson.OPT_SORT_KEYS)
        for r in rels
    )
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_bytes(orjson.dumps({"format": "relgraph-import", "version": 1, **doc}))
    return path


async def _refused(db: Database, tmp_path: Path, doc: dict[str, Any]) -> list[Problem]:
    """Imports `doc` on top of what the database holds; it must be refused, nothing written."""
    before = await whole_graph(db.store)
    report = await import_path(db.store, _write(tmp_path / "bad.json", doc))
    assert report.problems, "the document was accepted"
    assert not report.written
    assert await whole_graph(db.store) == before, "something was written"
    return report.problems


# ----- cycles closed with the stored links -------------------------------------------------

PEOPLE = [{"id": f"p{i}", "name": f"P{i}"} for i in range(1, 6)]


async def test_a_reporting_row_closing_a_stored_chain_is_refused(
    db: Database, tmp_path: Path
) -> None:
    # Stored: p1 reports to p2, p2 to p3. The row p3 -> p1 makes p3 his own manager's manager.
    await db.load(
        {
            "people": PEOPLE,
            "reporting": [
                {"personId": "p1", "managerId": "p2"},
                {"personId": "p2", "managerId": "p3"},
            ],
        },
        tmp_path,
    )
    problems = await _refused(
        db,
        tmp_path,
        {
            "people": [{"id": "p4", "name": "New"}],
            "reporting": [
                {"personId": "p4", "managerId": "p1"},
                {"personId": "p3", "managerId": "p1"},
            ],
        },
    )
    assert [p.line() for p in problems] == [
        "bad.json: reporting row 2 field managerId value 'p1': CYCLE: forms a cycle with links "
        "already in the database: p1 -> p2 -> p3 -> p1"
    ]


async def test_a_cycle_alternating_document_rows_and_stored_links_is_refused(
    db: Database, tmp_path: Path
) -> None:
    # Stored: p2 -> p3 and p4 -> p1; the document adds p1 -> p2 and p3 -> p4: neither row
    # alone, nor the two rows together, make a cycle; with the stored links they do.
    await db.load(
        {
            "people": PEOPLE,
            "reporting": [
                {"personId": "p2", "managerId": "p3"},
                {"personId": "p4", "managerId": "p1"},
            ],
        },
        tmp_path,
    )
    problems = await _refused(
        db,
        tmp_path,
        {
            "reporting": [
                {"personId": "p1", "managerId": "p2"},
                {"personId": "p3", "managerId": "p4"},
            ]
        },
    )
    assert [(p.section, p.code) for p in problems] == [("reporting", "CYCLE")]
    assert "p1 -> p2 -> p3 -> p4 -> p1" in problems[0].message


ORGS = [
    {"id": "g", "name": "Group", "orgType": "GROUP"},
    {"id": "h", "name": "Head office", "orgType": "HEAD_OFFICE", "parentId": "g"},
    {"id": "b", "name": "Branch", "orgType": "BRANCH", "parentId": "h"},
    {"id": "x", "name": "Other group", "orgType": "GROUP"},
]


async def test_an_organization_parent_making_a_group_its_own_ancestor_is_refused(
    db: Database, tmp_path: Path
) -> None:
    await db.load({"organizations": ORGS}, tmp_path)
    problems = await _refused(
        db,
        tmp_path,
        {"organizations": [{"id": "g", "name": "Group", "orgType": "GROUP", "parentId": "b"}]},
    )
    assert [p.line() for p in problems] == [
        "bad.json: organizations row 1 field parentId value 'b': CYCLE: forms a cycle with "
        "links already in the database: b -> h -> g -> b"
    ]


async def test_a_new_parent_replaces_the_stored_one_in_the_cycle_check(
    db: Database, tmp_path: Path
) -> None:
    # h moves from g to x in the same document: g under b is then g -> b -> h -> x, no cycle.
    await db.load({"organizations": ORGS}, tmp_path)
    report = await import_path(
        db.store,
        _write(
            tmp_path / "move.json",
            {
                "organizations": [
                    {"id": "g", "name": "Group", "orgType": "GROUP", "parentId": "b"},
                    {"id": "h", "name": "Head office", "orgType": "HEAD_OFFICE", "parentId": "x"},
                ]
            },
        ),
    )
    assert report.problems == [] and report.written
    rows = await db.store.read(
        "MATCH (c:Organization)-[:PART_OF]->(p) RETURN c.id AS c, p.id AS p ORDER BY c"
    )
    assert [(r["c"], r["p"]) for r in rows] == [("b", "h"), ("g", "b"), ("h", "x")]


async def test_a_rep_manager_loop_through_stored_managers_is_refused(
    db: Database, tmp_path: Path
) -> None:
    await db.load(
        {
            "reps": [
                {"id": "r3", "name": "Boss"},
                {"id": "r2", "name": "Manager", "managerId": "r3"},
                {"id": "r1", "name": "Rep", "managerId": "r2"},
            ]
        },
        tmp_path,
    )
    problems = await _refused(
        db, tmp_path, {"reps": [{"id": "r3", "name": "Boss", "managerId": "r1"}]}
    )
    assert [(p.row, p.field, p.value, p.code) for p in problems] == [
        (1, "managerId", "r1", "CYCLE")
    ]
    assert "r1 -> r2 -> r3 -> r1" in problems[0].message


async def test_the_cli_refuses_a_stored_cycle_with_the_validator_report(
    db: Database,
    tmp_path: Path,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await db.load({"organizations": ORGS}, tmp_path)
    before = await whole_graph(db.store)
    path = _write(
        tmp_path / "loop.json",
        {"organizations": [{"id": "h", "name": "Head office", "parentId": "b"}]},
    )
    capsys.readouterr()
    assert await run_cli(neo4j_uri, monkeypatch, "import", str(path)) == 1
    err = capsys.readouterr().err
    assert "loop.json: organizations row 1 field parentId value 'b': CYCLE" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert await whole_graph(db.store) == before
