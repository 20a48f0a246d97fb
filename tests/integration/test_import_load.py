"""The importer's guarantees: validation before any write, idempotence, the same graph
whatever the batching and concurrency, and the database emptied in batches."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk.formats import FormatError
from graph_api.bulk.load import import_path, paused_gc
from graph_api.generate import write_dataset
from tests.conftest import Database

# Properties a write sets by itself, different at every import.
_CLOCK = {"createdAt", "updatedAt"}


def _doc(path: Path, doc: dict[str, Any]) -> Path:
    path.write_bytes(orjson.dumps({"format": "relgraph-import", "version": 1, **doc}))
    return path


async def _graph(db: Database) -> tuple[list[Any], list[Any]]:
    """Every imported node and relationship (labels, properties but the clock's), in a fixed
    order (not the co-holding statistics derived after an import: they hold its time; nor
    the change feed's record of the import: each run records its rows again)."""
    nodes = await db.store.read(
        "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:CoHoldingStats AND NOT n:Change "
        "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
    )
    rels = await db.store.read(
        "MATCH (a)-[r]->(b) WHERE a.id IS NOT NULL AND b.id IS NOT NULL "
        "AND NOT a:CoHoldingStats AND NOT b:CoHoldingStats "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props "
        "ORDER BY a, type, b"
    )
    node_rows = [
        (r["id"], sorted(r["labels"]), {k: v for k, v in r["props"].items() if k not in _CLOCK})
        for r in nodes
    ]
    rel_rows = [
        (r["a"], r["type"], r["b"], {k: v for k, v in r["props"].items() if k not in _CLOCK})
        for r in rels
    ]
    return node_rows, rel_rows


async def _counts(db: Database) -> dict[str, int]:
    record = await db.store.read_one(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
        "RETURN nodes, relationships"
    )
    assert record is not None
    return dict(record)


async def test_a_document_with_an_error_writes_nothing(db: Database, tmp_path: Path) -> None:
    await db.empty()
    path = _doc(
        tmp_path / "bad.json",
        {
            "people": [{"id": "p1", "name": "One"}, {"id": "p2", "name": "Two", "grade": 9}],
            "family": [{"fromId": "p1", "toId": "p2", "kind": "SPOUSE"}],
        },
    )
    report = await import_path(db.store, path)
    assert [(p.section, p.row, p.field, p.code) for p in report.problems] == [
        ("people", 2, "grade", "OUT_OF_RANGE"),
        ("family", 1, "toId", "REJECTED_REFERENCE"),
    ]
    assert not report.written
    assert await _counts(db) == {"nodes": 0, "relationships": 0}


async def test_accept_valid_loads_the_good_rows_and_rejects_what_depends_on_a_bad_one(
    db: Database, tmp_path: Path
) -> None:
    await db.empty()
    path = _doc(
        tmp_path / "partly.json",
        {
            "products": [{"id": "prod-a", "name": "A"}],
            "people": [{"id": "p1", "name": "One"}, {"id": "p2", "name": "Two", "grade": 9}],
            "holdings": [
                {"id": "h1", "partyId": "p1", "productId": "prod-a"},
                {"id": "h2", "partyId": "p2", "productId": "prod-a"},
            ],
        },
    )
    rejects = tmp_path / "rejects.jsonl"
    report = await import_path(db.store, path, accept_valid=True, reject_file=rejects)
    assert report.written
    assert report.rejected == 2
    lines = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert [(r["section"], r["row"], [p["code"] for p in r["problems"]]) for r in lines] == [
        ("holdings", 2, ["REJECTED_REFERENCE"]),
        ("people", 2, ["OUT_OF_RANGE"]),
    ]
    assert lines[1]["data"] == {"id": "p2", "name": "Two", "grade": 9}
    ids = await db.store.read("MATCH (n:Party|Holding|Product) RETURN n.id AS id ORDER BY id")
    assert [r["id"] for r in ids] == ["h1", "p1", "prod-a"]


async def test_importing_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    await db.empty()
    path = tmp_path / "generated.json"
    write_dataset(path, 400, 5)
    first = await import_path(db.store, path)
    assert first.problems == [] and first.nodes_created > 0
    before = await db.store.read(
        "MATCH (n) WHERE n.version IS NOT NULL "
        "RETURN n.id AS id, n.version AS version, n.updatedAt AS at ORDER BY id"
    )
    graph = await _graph(db)

    again = await import_path(db.store, path)
    assert again.problems == []
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    after = await db.store.read(
        "MATCH (n) WHERE n.version IS NOT NULL "
        "RETURN n.id AS id, n.version AS version, n.updatedAt AS at ORDER BY id"
    )
    assert [dict(r) for r in after] == [dict(r) for r in before]
    assert {r["version"] for r in after} == {1}
    assert await _graph(db) == graph


async def test_a_changed_row_bumps_the_version_of_its_node_only(
    db: Database, tmp_path: Path
) -> None:
    await db.empty()
    people = [{"id": "p1", "name": "One"}, {"id": "p2", "name": "Two", "city": "深圳"}]
    await import_path(db.store, _doc(tmp_path / "a.json", {"people": people}))
    people[1] = {"id": "p2", "name": "Two", "city": "上海"}
    report = await import_path(db.store, _doc(tmp_path / "b.json", {"people": people}))
    assert report.nodes_created == 0
    rows = await db.store.read(
        "MATCH (n:Person) RETURN n.id AS id, n.version AS version, n.city AS city ORDER BY id"
    )
    assert [dict(r) for r in rows] == [
        {"id": "p1", "version": 1, "city": None},
        {"id": "p2", "version": 2, "city": "上海"},
    ]


async def test_small_batches_and_concurrent_link_batches_give_the_same_graph(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "generated.json"
    write_dataset(path, 600, 9)
    await db.empty()
    report = await import_path(db.store, path)
    assert report.problems == []
    expected = await _graph(db)

    await db.empty()
    # Many small batches, three at a time: links of one node land in concurrent
    # transactions, which may deadlock and are then run again.
    report = await import_path(db.store, path, batch_size=37, link_concurrency=3)
    assert report.problems == []
    assert await _graph(db) == expected


async def test_clear_deletes_every_node_and_relationship(db: Database, tmp_path: Path) -> None:
    await db.empty()
    path = tmp_path / "generated.json"
    write_dataset(path, 300, 2)
    await import_path(db.store, path)
    assert (await _counts(db))["relationships"] > 0
    await db.store.clear(everything=True)
    assert await _counts(db) == {"nodes": 0, "relationships": 0}


def test_paused_gc_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()

    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_an_import_that_fails_leaves_the_collector_on(db: Database, tmp_path: Path) -> None:
    assert gc.isenabled()
    with pytest.raises(FormatError):
        await import_path(db.store, tmp_path / "missing.json")
    assert gc.isenabled()
