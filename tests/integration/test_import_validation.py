"""graph-api import validates first: every class of bad input gives a report line naming the
file, row, field and value, and by default nothing at all is written; --accept-valid loads the
good rows and writes every bad one to the reject file. Loading twice changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk.load import import_path
from graph_api.bulk.validate import Problem
from tests.conftest import Database, run_cli
from tests.integration.test_export import graph_fingerprint

# A small graph already in the database; every bad document below also carries good rows
# (a new person, a changed name, a new link) that must not reach it.
BASE: dict[str, Any] = {
    "organizations": [{"id": "o1", "name": "Acme", "orgType": "HEAD_OFFICE"}],
    "people": [{"id": "p1", "name": "Ann"}, {"id": "p2", "name": "Bob"}],
    "employment": [{"personId": "p1", "organizationId": "o1", "title": "CFO"}],
}
GOOD_ROWS: dict[str, list[dict[str, Any]]] = {
    "people": [{"id": "p1", "name": "Ann Changed"}, {"id": "p3", "name": "Cy"}],
    "employment": [{"personId": "p3", "organizationId": "o1", "title": "CEO"}],
    "reporting": [{"personId": "p1", "managerId": "p3"}],
}


def _doc(extra: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "relgraph-import", "version": 1}
    for part in (GOOD_ROWS, extra):
        for section, rows in part.items():
            doc.setdefault(section, []).extend(rows)
    return doc


async def _import_bad(db: Database, tmp_path: Path, extra: dict[str, Any]) -> list[Problem]:
    """Imports GOOD_ROWS + the bad rows on top of BASE; checks that nothing was written."""
    await db.load(BASE, tmp_path)
    before = await graph_fingerprint(db.store)
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(_doc(extra)))
    report = await import_path(db.store, path)
    assert report.problems, "the bad rows were not reported"
    assert not report.written
    assert report.nodes_created == report.relationships_created == report.properties_set == 0
    assert await graph_fingerprint(db.store) == before, "something was written"
    return report.problems


async def test_unknown_enum_value_is_reported_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    problems = await _import_bad(
        db,
        tmp_path,
        {"buyingRoles": [{"personId": "p2", "accountId": "o1", "role": "BOSS"}]},
    )
    assert [(p.file, p.section, p.row, p.field, p.value, p.code) for p in problems] == [
        ("bad.json", "buyingRoles", 1, "role", "BOSS", "UNKNOWN_ENUM")
    ]
    line = problems[0].line()
    assert "bad.json: buyingRoles row 1 field role value 'BOSS': UNKNOWN_ENUM" in line
    assert "DECISION_MAKER" in line  # says what is allowed


async def test_missing_required_field_is_reported_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    problems = await _import_bad(db, tmp_path, {"people": [{"id": "p4", "city": "Shenzhen"}]})
    # The people section holds GOOD_ROWS' two rows first: the bad one is row 3.
    assert [(p.section, p.row, p.field, p.code) for p in problems] == [
        ("people", 3, "name", "MISSING_FIELD")
    ]


async def test_reference_to_an_id_that_exists_nowhere_is_reported(
    db: Database, tmp_path: Path
) -> None:
    problems = await _import_bad(
        db,
        tmp_path,
        {
            "employment": [{"personId": "p2", "organizationId": "o-nowhere"}],
            "holdings": [{"id": "h1", "partyId": "p2", "productId": "prod-nowhere"}],
        },
    )
    assert sorted((p.section, p.row, p.field, p.value, p.code) for p in problems) == [
        ("employment", 2, "organizationId", "o-nowhere", "UNKNOWN_REFERENCE"),
        ("holdings", 1, "productId", "prod-nowhere", "UNKNOWN_REFERENCE"),
    ]


async def test_references_to_nodes_already_in_the_database_are_fine(
    db: Database, tmp_path: Path
) -> None:
    await db.load(BASE, tmp_path)
    path = tmp_path / "more.json"
    # o1 and p2 exist only in the database, not in this document.
    path.write_bytes(
        orjson.dumps({"employment": [{"personId": "p2", "organizationId": "o1", "title": "CTO"}]})
    )
    report = await import_path(db.store, path)
    assert report.problems == [] and report.relationships_created == 1


async def test_duplicate_id_with_conflicting_data_is_reported_identical_ones_merge(
    db: Database, tmp_path: Path
) -> None:
    problems = await _import_bad(
        db,
        tmp_path,
        {
            "people": [
                {"id": "p5", "name": "Eve"},
                {"id": "p5", "name": "Eva"},  # the conflict
                {"id": "p3", "name": "Cy"},  # identical to GOOD_ROWS' p3: merged, no problem
            ],
            "organizations": [{"id": "p2", "name": "Bob Ltd"}],  # p2 is a person already
        },
    )
    found = sorted((p.section, p.row, p.field, p.value, p.code) for p in problems)
    assert found == [
        ("organizations", 1, "id", "p2", "DUPLICATE_CONFLICT"),
        ("people", 4, "name", "Eva", "DUPLICATE_CONFLICT"),
    ]
    conflict = next(p for p in problems if p.section == "people")
    assert "also row 3" in conflict.message and "'Eve'" in conflict.message


async def test_self_links_and_reporting_cycles_are_reported(db: Database, tmp_path: Path) -> None:
    problems = await _import_bad(
        db,
        tmp_path,
        {
            "reporting": [
                {"personId": "p3", "managerId": "p2"},
                {"personId": "p2", "managerId": "p1"},  # p1 -> p3 -> p2 -> p1
            ],
            "influence": [{"fromId": "p2", "toId": "p2"}],
        },
    )
    codes = sorted((p.section, p.code) for p in problems)
    assert codes == [("influence", "SELF_LINK"), ("reporting", "CYCLE")]
    cycle = next(p for p in problems if p.code == "CYCLE")
    assert "p1 -> p3 -> p2 -> p1" in cycle.message


async def test_csv_problems_name_the_file_and_its_line(db: Database, tmp_path: Path) -> None:
    await db.load(BASE, tmp_path)
    before = await graph_fingerprint(db.store)
    folder = tmp_path / "csv"
    folder.mkdir()
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "gender", "birthDate"])
        w.writerow(["p6", "Fay", "FEMALE", "1980-02-03"])
        w.writerow(["p7", "Gus", "ROBOT", "1980-02-30"])
    problems = (await import_path(db.store, folder)).problems
    assert sorted((p.file, p.row, p.field, p.value, p.code) for p in problems) == [
        ("people.csv", 3, "birthDate", "1980-02-30", "BAD_DATE"),
        ("people.csv", 3, "gender", "ROBOT", "UNKNOWN_ENUM"),
    ]
    assert await graph_fingerprint(db.store) == before


async def test_cli_refuses_a_bad_file_and_says_so(
    db: Database,
    tmp_path: Path,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await db.load(BASE, tmp_path)
    before = await graph_fingerprint(db.store)
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(_doc({"people": [{"id": "p9", "name": "X", "grade": 9}]})))
    capsys.readouterr()
    assert await run_cli(neo4j_uri, monkeypatch, "import", str(path)) == 1
    err = capsys.readouterr().err
    assert "bad.json: people row 3 field grade value 9: OUT_OF_RANGE" in err
    assert "nothing was written" in err
    assert await graph_fingerprint(db.store) == before
    # --accept-valid without a reject file would drop rows silently: refused.
    assert await run_cli(neo4j_uri, monkeypatch, "import", "--accept-valid", str(path)) == 2


async def test_accept_valid_loads_good_rows_and_rejects_every_bad_one_to_the_file(
    db: Database, tmp_path: Path, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await db.load(BASE, tmp_path)
    path = tmp_path / "mixed.json"
    bad = {
        "people": [{"id": "p8", "name": "Hal", "gender": "ROBOT"}],
        # Refers to the rejected p8: rejected too, so the load stays consistent.
        "employment": [{"personId": "p8", "organizationId": "o1"}],
        "coverage": [{"repId": "rep-nowhere", "personId": "p1", "strength": 0.5}],
    }
    doc = _doc(bad)
    path.write_bytes(orjson.dumps(doc))
    rejects = tmp_path / "rejects.jsonl"
    code = await run_cli(
        neo4j_uri, monkeypatch, "import", "--accept-valid", "--reject-file", str(rejects), str(path)
    )
    assert code == 1  # loaded, but not clean
    lines = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert sorted((r["section"], r["row"], r["problems"][0]["code"]) for r in lines) == [
        ("coverage", 1, "UNKNOWN_REFERENCE"),
        ("employment", 2, "REJECTED_REFERENCE"),
        ("people", 3, "UNKNOWN_ENUM"),
    ]
    assert next(r for r in lines if r["section"] == "people")["data"] == bad["people"][0]
    # Nothing silently dropped: every row is either in the graph or in the reject file.
    total = sum(len(rows) for k, rows in doc.items() if isinstance(rows, list))
    assert total == 7 and len(lines) == 3
    graph = await db.store.read_one(
        "MATCH (p:Person) WITH collect(p.id) AS people MATCH (a:Person {id: 'p1'}) "
        "RETURN people, a.name AS p1, "
        "COUNT { (a)-[:REPORTS_TO]->(:Person {id: 'p3'}) } AS reporting, "
        "COUNT { (:Person {id: 'p3'})-[:WORKS_FOR]->(:Organization {id: 'o1'}) } AS job"
    )
    assert graph is not None
    assert sorted(graph["people"]) == ["p1", "p2", "p3"]
    assert (graph["reporting"], graph["p1"], graph["job"]) == (1, "Ann Changed", 1)


async def test_loading_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    await db.load(BASE, tmp_path)
    path = tmp_path / "good.json"
    path.write_bytes(orjson.dumps(_doc({})))
    first = await import_path(db.store, path)
    assert first.problems == [] and first.nodes_created == 1
    after_first = await db.store.read(
        "MATCH (n:Party) RETURN n.id AS id, n.version AS version, n.updatedAt AS at ORDER BY id"
    )
    fingerprint = await graph_fingerprint(db.store)
    second = await import_path(db.store, path)
    assert second.problems == []
    assert (second.nodes_created, second.relationships_created) == (0, 0)
    assert await graph_fingerprint(db.store) == fingerprint
    again = await db.store.read(
        "MATCH (n:Party) RETURN n.id AS id, n.version AS version, n.updatedAt AS at ORDER BY id"
    )
    assert [dict(r) for r in again] == [dict(r) for r in after_first]


async def test_a_family_link_turned_round_replaces_the_old_one(
    db: Database, tmp_path: Path
) -> None:
    # p1 is p2's parent; a later import says p1 is p2's child: one link, from p2, remains.
    await db.load(BASE, tmp_path)
    await db.load(
        {"family": [{"fromId": "p1", "toId": "p2", "kind": "PARENT"}]}, tmp_path, clear=False
    )
    await db.load(
        {"family": [{"fromId": "p1", "toId": "p2", "kind": "CHILD"}]}, tmp_path, clear=False
    )
    links = await db.store.read(
        "MATCH (a:Person)-[r:FAMILY]->(b:Person) RETURN a.id AS a, b.id AS b, r.kind AS kind"
    )
    assert [dict(r) for r in links] == [{"a": "p2", "b": "p1", "kind": "PARENT"}]


async def test_a_child_row_with_an_end_missing_is_reported_not_a_crash(
    db: Database, tmp_path: Path
) -> None:
    problems = await _import_bad(db, tmp_path, {"family": [{"fromId": "p1", "kind": "CHILD"}]})
    assert [(p.section, p.row, p.field, p.code) for p in problems] == [
        ("family", 1, "toId", "MISSING_FIELD")
    ]
