"""`import --initial`: Neo4j's bulk importer builds the same graph as the transactional importer.

Each test loads one document both ways, the transactional importer into the session's Neo4j
and the bulk importer into a Neo4j of its own (the tool writes the store files of a stopped
database), and compares the exports byte for byte, the bookkeeping properties (version 1,
createdAt = updatedAt, a DateTime) and the co-holding statistics.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk import initial as initial_module
from graph_api.bulk.export import export_path
from graph_api.bulk.initial import initial_import, store_dir
from graph_api.bulk.load import import_path
from graph_api.bulk.spec import LINK_SECTIONS, NODE_SECTIONS
from graph_api.cli import main
from graph_api.config import get_settings
from graph_api.generate import write_dataset
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store
from tests.conftest import DEMO, Database

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


def _connect(uri: str) -> Store:
    return Store.connect(uri, "neo4j", "", "neo4j")


async def bookkeeping(store: Store) -> dict[str, Any]:
    """Per label: how many nodes, and which (version, createdAt = updatedAt, types) they have."""
    out: dict[str, Any] = {}
    for label in _LABELS:
        rows = await store.read(
            f"MATCH (n:{label}) RETURN n.version AS version, "
            "n.createdAt = n.updatedAt AS same, valueType(n.createdAt) AS created, "
            "valueType(n.updatedAt) AS updated, count(*) AS n"
        )
        out[label] = sorted(tuple(sorted(dict(r).items())) for r in rows)
    # The portfolio properties (cypher/portfolio.cypher `refresh`, which the transactional
    # import runs; the bulk import writes them with the files), with their types.
    out["portfolio"] = await store.read(
        "MATCH (x:Party) RETURN x.id AS id, "
        "[k IN $keys | [x[k], valueType(x[k])]] AS props ORDER BY id",
        {"keys": [c.split(":")[0] for c in initial_module.PORTFOLIO_COLUMNS]},
    )
    # What search finds a person by besides names: the jobs' titles, sorted.
    out["searchTitles"] = await store.read(
        "MATCH (p:Person) WHERE p.searchTitles IS NOT NULL "
        "RETURN p.id AS id, p.searchTitles AS titles ORDER BY id"
    )
    return out


async def co_holding(store: Store) -> dict[str, Any]:
    """The co-holding statistics without their timing (refreshedAt, seconds: only their types)."""
    stats = await store.read(
        "MATCH (s:CoHoldingStats) RETURN s.id AS id, s.people AS people, "
        "s.organizations AS organizations, s.products AS products, "
        "s.associations AS associations, valueType(s.refreshedAt) AS refreshedAt, "
        "valueType(s.seconds) AS seconds"
    )
    counts = await store.read(
        "MATCH (:CoHoldingStats)-[c:COUNTS]->(p:Product) "
        "RETURN p.id AS p, properties(c) AS props ORDER BY p"
    )
    pairs = await store.read(
        "MATCH (a:Product)-[r:CO_HELD]->(b:Product) "
        "RETURN a.id AS a, b.id AS b, properties(r) AS props ORDER BY a, b"
    )
    return {"stats": stats, "counts": counts, "pairs": pairs}


async def snapshot(store: Store, out: Path) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    await export_path(store, out, "json")
    return (
        await asyncio.to_thread(out.read_bytes),
        await bookkeeping(store),
        await co_holding(store),
    )


def awkward_demo(tmp_path: Path) -> Path:
    """The demo with text the bulk files must carry (a line break, quotes, the ';' that
    separates a CSV list, a comma) and rows the validator rejects, one of them by cascade."""
    doc = orjson.loads(DEMO.read_bytes())
    doc["interactions"][0]["summary"] = 'first line\nsecond, "quoted"; line\r\nthird'
    doc["people"][0]["aliases"] = ["Zhang; Cuishan", 'The "COO"']
    doc["people"].append({"id": "p-bad-grade", "name": "坏数据", "grade": 9})
    doc["employment"].append({"personId": "p-bad-grade", "organizationId": "org-cimc"})
    doc["coverage"].append({"repId": "rep-nobody", "personId": "p-zhang-cuishan", "strength": 1})
    # A second job, and one with neither title nor department (an empty searchTitles text).
    doc["employment"].append(
        {"personId": "p-zhang-cuishan", "organizationId": "org-cimc-overseas", "title": "顾问"}
    )
    doc["employment"].append({"personId": "p-li-na", "organizationId": "org-cimc-overseas"})
    path = tmp_path / "awkward.json"
    path.write_bytes(orjson.dumps(doc))
    return path


def test_every_section_has_bulk_files() -> None:
    assert set(initial_module._NODE_LINKS) == {s.name for s in NODE_SECTIONS}
    assert set(initial_module._LINKS) == {s.name for s in LINK_SECTIONS}


async def _engaged(store: Store) -> list[list[Any]]:
    rows = await store.read(
        "MATCH (a)-[e:ENGAGED]->(b) RETURN [a.id, b.id, e.lacc, e.halfLife, e.count, "
        "e.kindCounts, e.active, e.passive, e.firstAt.epochSeconds, e.lastAt.epochSeconds] AS row "
        "ORDER BY a.id, b.id"
    )
    return [list(r["row"]) for r in rows]


async def test_bulk_import_of_the_demo_equals_the_transactional_import(
    db: Database, tmp_path: Path
) -> None:
    source = awkward_demo(tmp_path)
    await db.empty()
    expected_rejects = tmp_path / "transactional.rejects"
    report = await import_path(db.store, source, accept_valid=True, reject_file=expected_rejects)
    assert report.rejected == 3  # the bad grade, its employment, the unknown rep
    expected = await snapshot(db.store, tmp_path / "transactional.json")
    expected_engaged = await _engaged(db.store)

    local = LocalNeo4j(data_dir=tmp_path / "bulk", heap="512m", page_cache="128m")
    rejects = tmp_path / "bulk.rejects"
    try:
        bulk = await initial_import(local, source, _connect, accept_valid=True, reject_file=rejects)
        assert bulk.written and bulk.rejected == 3
        assert [p.line() for p in bulk.problems] == [p.line() for p in report.problems]
        store = _connect(local.uri or "")
        try:
            got = await snapshot(store, tmp_path / "bulk.json")
            # The links of the link sections carry their timestamps, as the nodes do.
            unstamped = await store.read(
                "MATCH ()-[r:WORKS_FOR|FAMILY|COVERS|KNOWS|MEMBER_OF]->() "
                "WHERE r.createdAt IS NULL OR r.updatedAt <> r.createdAt RETURN count(r) AS n"
            )
            engaged = await _engaged(store)
            indexes = await store.read("SHOW INDEXES YIELD name RETURN name ORDER BY name")
            expected_indexes = await db.store.read(
                "SHOW INDEXES YIELD name RETURN name ORDER BY name"
            )
        finally:
            await store.close()
    finally:
        local.stop()
    assert unstamped[0]["n"] == 0
    assert got[0] == expected[0]
    assert b'second, \\"quoted\\"; line' in got[0]
    titles = {r["id"]: r["titles"] for r in got[1].pop("searchTitles")}
    expected_titles = {r["id"]: r["titles"] for r in expected[1].pop("searchTitles")}
    assert titles == expected_titles
    assert got[1] == expected[1]
    assert all(row[-1] == ("version", 1) for label in _LABELS for row in got[1][label])
    # The demo's accounts with a decision layer: flags and RAD cells to compare above.
    flags = [p[4][0] or p[5][0] for p in (r["props"] for r in got[1]["portfolio"])]
    assert any(flags) and any(r["props"][3][0] for r in got[1]["portfolio"])
    # Sorted by code point: 顾 (U+987E) before 首 (U+9996), whatever order the jobs came in.
    assert titles["p-zhang-cuishan"] == ["顾问", "首席运营官 COO 运营中心"]
    assert got[2] == expected[2] and got[2]["pairs"]
    assert rejects.read_bytes() == expected_rejects.read_bytes()
    assert indexes == expected_indexes
    # The earned-strength accumulators: computed from the rows by the bulk importer, by
    # refresh_pairs after the transactional one; the same (lacc to float rounding).
    assert [r[:2] + r[3:] for r in engaged] == [r[:2] + r[3:] for r in expected_engaged]
    assert engaged and all(
        a[2] == pytest.approx(b[2], rel=1e-12)
        for a, b in zip(engaged, expected_engaged, strict=True)
    )
    # The tool's files are gone.
    assert not (tmp_path / "bulk" / "bulk-import").exists()


async def test_bad_document_writes_nothing(tmp_path: Path) -> None:
    source = awkward_demo(tmp_path)
    local = LocalNeo4j(data_dir=tmp_path / "bulk", heap="512m", page_cache="128m")
    report = await initial_import(local, source, _connect)
    assert not report.written
    assert {p.code for p in report.problems} == {
        "OUT_OF_RANGE",
        "UNKNOWN_REFERENCE",
        "REJECTED_REFERENCE",
    }
    assert not local.running
    assert not store_dir(local.data_dir).exists()


@pytest.mark.slow
async def test_cli_initial_import_of_generated_data_equals_the_transactional_import(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2,000 parties: every section has rows at this seed (see tests/integration/test_export.py).
    source = tmp_path / "generated"
    write_dataset(source, 2000, 5, csv_folder=True)
    await db.empty()
    assert not (await import_path(db.store, source)).problems
    expected = await snapshot(db.store, tmp_path / "transactional.json")

    # The command line with the local Neo4j of a new state folder: an empty database, so the
    # bulk importer, without --initial.
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("GRAPH_API_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GRAPH_API_LOCAL_NEO4J_HEAP", "512m")
    monkeypatch.setenv("GRAPH_API_LOCAL_NEO4J_PAGE_CACHE", "128m")
    # A command is a job, not a request: its queries run under GRAPH_API_NEO4J_JOB_TIMEOUT_S,
    # so the interactive timeout at 1 ms cancels none of them. Under it, the portfolio
    # refresh of these 2,000 parties (one batch, about a second) was cancelled: "the database
    # query portfolio.refresh ran out of its time", exit 3 (as at 100k under the default 30 s
    # on a busy machine).
    monkeypatch.setenv("GRAPH_API_NEO4J_QUERY_TIMEOUT_S", "0.001")
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(main, ["import", str(source)]) == 0
        data_dir = get_settings().state_dir / "neo4j"
        assert store_dir(data_dir).exists()
        # Not empty any more: --initial refuses rather than replace the data.
        assert await asyncio.to_thread(main, ["import", "--initial", str(source)]) == 2
    finally:
        get_settings.cache_clear()

    local = LocalNeo4j(data_dir=data_dir, heap="512m", page_cache="128m")
    try:
        local.start()
        store = _connect(local.uri or "")
        try:
            got = await snapshot(store, tmp_path / "bulk.json")
        finally:
            await store.close()
    finally:
        local.stop()
    assert got[0] == expected[0]
    # searchTitles are sorted by both importers, so a person with several jobs has the same
    # list whichever order the store keeps their links in.
    titles = {r["id"]: r["titles"] for r in got[1].pop("searchTitles")}
    expected_titles = {r["id"]: r["titles"] for r in expected[1].pop("searchTitles")}
    assert titles == expected_titles
    assert got[1] == expected[1]
    assert got[2] == expected[2]


@pytest.mark.slow
async def test_a_local_reset_keeps_the_stored_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Into the local Neo4j, `import --reset` went through the bulk importer, which replaces
    # the whole database: the stored API keys went with the data. Now --reset keeps them
    # (the transactional importer after Store.clear), --initial --reset refuses, and
    # --reset-all replaces everything.
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("GRAPH_API_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GRAPH_API_LOCAL_NEO4J_HEAP", "512m")
    monkeypatch.setenv("GRAPH_API_LOCAL_NEO4J_PAGE_CACHE", "128m")
    get_settings.cache_clear()

    def cli(*args: str) -> int:
        return main(list(args))

    async def keys_and_people() -> tuple[int, int]:
        local = LocalNeo4j(data_dir=get_settings().state_dir / "neo4j", heap="512m",
                           page_cache="128m")  # fmt: skip
        try:
            local.start()
            store = _connect(local.uri or "")
            try:
                (row,) = await store.read(
                    "MATCH (k:ApiKey) WITH count(k) AS keys "
                    "MATCH (p:Person) RETURN keys, count(p) AS people"
                )
                return int(row["keys"]), int(row["people"])
            finally:
                await store.close()
        finally:
            local.stop()

    try:
        assert await asyncio.to_thread(cli, "import", str(DEMO)) == 0
        code = await asyncio.to_thread(cli, "keys", "create", "--subject", "etl", "--role", "admin")
        assert code == 0
        capsys.readouterr()
        assert await asyncio.to_thread(cli, "import", "--initial", "--reset", str(DEMO)) == 2
        assert "--reset-all" in capsys.readouterr().err
        assert await asyncio.to_thread(cli, "import", "--reset", str(DEMO)) == 0
        assert "keeps the stored API keys" in capsys.readouterr().err
        keys, people = await keys_and_people()
        assert keys == 1 and people > 0
        assert await asyncio.to_thread(cli, "import", "--reset-all", str(DEMO)) == 0
        assert await keys_and_people() == (0, people)
    finally:
        get_settings.cache_clear()
