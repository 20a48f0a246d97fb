"""The import never corrupts the graph: a document that would close a cycle together with the
links already stored, or hold a value the store cannot, is refused with nothing written; a
load that fails in the middle says what was written and is finished by a resume."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk.formats import FormatError
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
    # The standard library's json: orjson refuses to write an integer beyond 64 bits.
    path.write_text(json.dumps({"format": "relgraph-import", "version": 1, **doc}))
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


# ----- values the store cannot hold ---------------------------------------------------------


def _organizations(n: int) -> list[dict[str, Any]]:
    return [{"id": f"o{i:04d}", "name": f"Org {i}", "employees": 10 + i} for i in range(n)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("employees", 10**20, "above the maximum 10000000"),
        ("employees", 2**63, "above the maximum 10000000"),
        ("annualPurchase", 1e300, "above the maximum 1e+13"),
    ],
)
async def test_a_number_beyond_its_range_in_the_last_row_is_refused_before_any_batch(
    db: Database, tmp_path: Path, field: str, value: Any, message: str
) -> None:
    await db.load({"organizations": _organizations(2)}, tmp_path)
    rows = _organizations(300)
    rows[-1][field] = value
    before = await whole_graph(db.store)
    report = await import_path(
        db.store, _write(tmp_path / "big.json", {"organizations": rows}), batch_size=100
    )
    assert [(p.file, p.row, p.field, p.code) for p in report.problems] == [
        ("big.json", 300, field, "OUT_OF_RANGE")
    ]
    assert message in report.problems[0].message
    assert not report.written
    assert await whole_graph(db.store) == before


def test_every_integer_has_a_64_bit_range_and_every_text_a_length() -> None:
    from graph_api.bulk.spec import SECTIONS, STORE_INT_RANGE

    lo, hi = STORE_INT_RANGE
    for section in SECTIONS:
        for f in section.fields:
            if f.kind == "int":
                assert f.minimum is not None and f.maximum is not None
                assert lo <= f.minimum <= f.maximum <= hi, (section.name, f.name)
            if f.kind in ("str", "text", "id", "ref", "strlist", "reflist"):
                assert f.max_length is not None, (section.name, f.name)


async def test_the_cli_names_the_value_out_of_range_and_writes_nothing(
    db: Database,
    tmp_path: Path,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await db.load({"organizations": _organizations(2)}, tmp_path)
    rows = _organizations(300)
    rows[-1]["employees"] = 10**20
    path = _write(tmp_path / "big.json", {"organizations": rows})
    before = await whole_graph(db.store)
    capsys.readouterr()
    code = await run_cli(neo4j_uri, monkeypatch, "import", "--batch-size", "100", str(path))
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "big.json: organizations row 300 field employees value 100000000000000000000: "
        "OUT_OF_RANGE" in err
    ) or "value 1e+20: OUT_OF_RANGE" in err
    assert "Traceback" not in err
    assert await whole_graph(db.store) == before


# ----- CSV that cannot be read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b'id,name\np1,Ann\np2,"Bob\np3,Cy\np4,Di\n', 3),  # never closed
        (b'id,name\np1,"Ann"x\np2,Bob\n', 2),  # closed, then more text
        (b"id,name\np1,Ann\np2,B\xffob\n", 3),  # not UTF-8
    ],
)
async def test_a_csv_that_cannot_be_read_is_refused_with_its_file_and_line(
    db: Database,
    tmp_path: Path,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    line: int,
) -> None:
    await db.load({"people": PEOPLE}, tmp_path)
    before = await whole_graph(db.store)
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "people.csv").write_bytes(content)
    with pytest.raises(FormatError, match=rf"^people\.csv: line {line}: "):
        await import_path(db.store, folder)
    capsys.readouterr()
    assert await run_cli(neo4j_uri, monkeypatch, "import", str(folder)) == 2
    err = capsys.readouterr().err
    assert f"people.csv: line {line}: " in err and "Traceback" not in err
    assert await whole_graph(db.store) == before


async def test_a_quoted_value_over_two_lines_is_still_read(db: Database, tmp_path: Path) -> None:
    await db.empty()
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "people.csv").write_bytes(b'id,name\np1,"Ann\nSmith"\np2,Bob\n')
    report = await import_path(db.store, folder)
    assert report.problems == [] and report.written
    rows = await db.store.read("MATCH (p:Person) RETURN p.id AS id, p.name AS name ORDER BY id")
    assert [(r["id"], r["name"]) for r in rows] == [("p1", "Ann\nSmith"), ("p2", "Bob")]
