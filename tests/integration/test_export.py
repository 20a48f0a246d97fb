"""graph-api export: the import format back out, complete, and stable across a round trip.

Three things must hold: (1) export, import into an empty database, export again gives
identical bytes (JSON and CSV); (2) the export says everything the source document said (the
same rows, once both are read by the validator, which normalizes aliases, CHILD links and the
order of undirected pairs); (3) the graph rebuilt from the export equals the original graph,
node by node and link by link (bookkeeping properties aside).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk import export as export_module
from graph_api.bulk.export import export_path
from graph_api.bulk.formats import read_sources
from graph_api.bulk.load import import_path
from graph_api.bulk.spec import SECTIONS
from graph_api.bulk.validate import validate
from graph_api.generate import write_dataset
from graph_api.store.neo4j_store import Store
from tests.conftest import DEMO, Database, run_cli

# Labels and relationship types of the format: the graph the export must reproduce.
_LABELS = (
    "Person",
    "Organization",
    "Rep",
    "AccountTeam",
    "Product",
    "Holding",
    "Opportunity",
    "Interaction",
    "BusinessEvent",
    "AffinityRule",
)
_BOOKKEEPING = {"version", "createdAt", "updatedAt"}


async def graph_fingerprint(store: Store) -> dict[str, Any]:
    """Every node of the format's labels with its properties, every link between them with
    its properties, as sorted plain lists (bookkeeping left out)."""
    nodes: dict[str, list[Any]] = {}
    for label in _LABELS:
        rows = await store.read(
            f"MATCH (n:{label}) RETURN n.id AS id, properties(n) AS props ORDER BY id"
        )
        nodes[label] = [
            (r["id"], sorted((k, repr(v)) for k, v in r["props"].items() if k not in _BOOKKEEPING))
            for r in rows
        ]
    links = await store.read(
        "MATCH (a)-[r]->(b) "
        "WHERE NOT a:AuditEntry AND NOT a:CoHoldingStats AND NOT b:CoHoldingStats "
        "AND NOT a:WriteLock "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props"
    )
    rels = sorted(
        (
            r["a"],
            r["t"],
            r["b"],
            sorted((k, repr(v)) for k, v in r["props"].items() if k not in _BOOKKEEPING),
        )
        for r in links
    )
    return {"nodes": nodes, "links": rels}


async def normalized(path: Path) -> dict[str, list[Any]]:
    """The rows of a document as the validator reads them, per section, sorted."""
    sources, problems = read_sources(path)
    assert problems == []
    validated = await validate(sources)
    assert [p.line() for p in validated.problems] == []
    out: dict[str, list[Any]] = {}
    for section in SECTIONS:
        rows = []
        for row in validated.good_rows(section.name):
            values = {k: sorted(v) if isinstance(v, list) else v for k, v in row.values.items()}
            rows.append(repr(sorted(values.items())))
        out[section.name] = sorted(rows)
    return out


async def test_demo_export_import_export_is_identical_and_rebuilds_the_graph(
    db: Database, tmp_path: Path
) -> None:
    await db.empty()
    assert not (await import_path(db.store, DEMO)).problems
    before = await graph_fingerprint(db.store)
    first = tmp_path / "first.json"
    report = await export_path(db.store, first, "json")
    doc = orjson.loads(first.read_bytes())
    assert doc["format"] == "relgraph-import" and doc["version"] == 1
    assert report.rows == {s.name: len(doc[s.name]) for s in SECTIONS}

    # The export says what the source document said, row for row.
    assert await normalized(first) == await normalized(DEMO)

    await db.empty()
    reimport = await import_path(db.store, first)
    assert [p.line() for p in reimport.problems] == []
    assert await graph_fingerprint(db.store) == before

    second = tmp_path / "second.json"
    await export_path(db.store, second, "json")
    assert second.read_bytes() == first.read_bytes()


async def test_csv_export_round_trips_to_the_same_document(db: Database, tmp_path: Path) -> None:
    await db.demo()
    reference = tmp_path / "reference.json"
    await export_path(db.store, reference, "json")
    folder = tmp_path / "csv"
    await export_path(db.store, folder, "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s.name}.csv" for s in SECTIONS)

    await db.empty()
    report = await import_path(db.store, folder)
    assert [p.line() for p in report.problems] == []
    again = tmp_path / "again.json"
    await export_path(db.store, again, "json")
    assert again.read_bytes() == reference.read_bytes()


async def test_generated_data_round_trips_across_page_boundaries(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of 7 nodes: every section spans many pages; links of one start node stay together.
    # 800 parties: the smallest generated set with rows in every section at this seed.
    monkeypatch.setattr(export_module, "PAGE", 7)
    source = tmp_path / "generated.json"
    write_dataset(source, 800, 5)
    await db.empty()
    assert not (await import_path(db.store, source)).problems
    before = await graph_fingerprint(db.store)

    first = tmp_path / "first.json"
    await export_path(db.store, first, "json")
    # Every row the generator wrote (every section is filled) is in the export.
    expected = await normalized(source)
    assert all(expected[s.name] for s in SECTIONS)
    assert await normalized(first) == expected

    await db.empty()
    assert not (await import_path(db.store, first)).problems
    assert await graph_fingerprint(db.store) == before
    second = tmp_path / "second.json"
    await export_path(db.store, second, "json")
    assert second.read_bytes() == first.read_bytes()


async def test_export_of_an_empty_database_is_an_empty_document(
    db: Database, tmp_path: Path
) -> None:
    await db.empty()
    path = tmp_path / "empty.json"
    report = await export_path(db.store, path, "json")
    assert report.total_rows == 0
    doc = orjson.loads(path.read_bytes())
    assert {k: v for k, v in doc.items() if k not in ("format", "version")} == {
        s.name: [] for s in SECTIONS
    }


async def test_export_command_writes_the_file(
    neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Database
) -> None:
    # The CLI against the test Neo4j: the demo first (seed --reset), then export.
    db.dirty()
    assert await run_cli(neo4j_uri, monkeypatch, "seed", "--reset") == 0
    out = tmp_path / "cli.json"
    assert await run_cli(neo4j_uri, monkeypatch, "export", str(out)) == 0
    doc = orjson.loads(out.read_bytes())
    names = {p["name"] for p in doc["people"]}
    assert {"张翠山", "张太太"} <= names
    # A folder: CSV files.
    assert await run_cli(neo4j_uri, monkeypatch, "export", str(tmp_path)) == 0
    assert (tmp_path / "people.csv").exists()
