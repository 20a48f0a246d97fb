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
from graph_api.bulk.load import ImportInterrupted, import_path
from graph_api.bulk.validate import Problem
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, GraphQLClient, error_codes, run_cli
from tests.integration.test_export import graph_fingerprint


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


async def test_a_cycle_already_stored_is_not_blamed_on_a_row_that_only_reaches_it(
    db: Database, tmp_path: Path
) -> None:
    # A database corrupted before this check existed: p1 and p2 report to each other. A row
    # joining p5 to p1 closes no cycle of its own, and is loaded.
    await db.load({"people": PEOPLE}, tmp_path)
    await db.store.write(
        "MATCH (a:Person {id: 'p1'}), (b:Person {id: 'p2'}) "
        "CREATE (a)-[:REPORTS_TO]->(b), (b)-[:REPORTS_TO]->(a)"
    )
    report = await import_path(
        db.store,
        _write(tmp_path / "join.json", {"reporting": [{"personId": "p5", "managerId": "p1"}]}),
    )
    assert report.problems == [] and report.written


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


# ----- a write that fails half-way ----------------------------------------------------------

# The cause injected: a uniqueness constraint the import's validation knows nothing of, so
# that the database itself refuses the third batch of organizations, after two committed.
_CONSTRAINT = "import_integrity_unique_phone"


def _failing_document(tmp_path: Path) -> Path:
    orgs = _organizations(300)
    for i, row in enumerate(orgs):
        row["phone"] = f"+86-{i:04d}"
        if i % 3 == 1:
            row["parentId"] = orgs[i - 1]["id"]
    orgs[249]["phone"] = "+86-stored"  # the stored organization's: batch 3 of 100
    return _write(
        tmp_path / "half.json",
        {
            "organizations": orgs,
            "people": PEOPLE,
            "employment": [{"personId": "p1", "organizationId": "o0001"}],
        },
    )


STORED = {"organizations": [{"id": "stored", "name": "Stored", "phone": "+86-stored"}]}


async def _with_constraint(db: Database) -> None:
    await db.store.write(
        f"CREATE CONSTRAINT {_CONSTRAINT} IF NOT EXISTS "
        "FOR (n:Organization) REQUIRE n.phone IS UNIQUE"
    )


async def _drop_constraint(db: Database) -> None:
    await db.store.write(f"DROP CONSTRAINT {_CONSTRAINT} IF EXISTS")


async def _clean_import(db: Database, tmp_path: Path, path: Path) -> Any:
    """The graph the same document gives when nothing stops it."""
    await db.load(STORED, tmp_path)
    report = await import_path(db.store, path, batch_size=100)
    assert report.problems == [] and report.written
    return await graph_fingerprint(db.store)


async def test_a_write_refused_half_way_says_what_was_written_and_a_resume_finishes_it(
    db: Database, tmp_path: Path
) -> None:
    path = _failing_document(tmp_path)
    expected = await _clean_import(db, tmp_path, path)

    await db.load(STORED, tmp_path)
    checkpoint = tmp_path / "half.json.checkpoint"
    await _with_constraint(db)
    try:
        with pytest.raises(ImportInterrupted) as stopped:
            await import_path(db.store, path, batch_size=100, checkpoint=checkpoint)
    finally:
        await _drop_constraint(db)
    message = str(stopped.value)
    assert "half.json organizations rows 201 to 300 (100 rows" in message
    assert "written (committed): organizations 200 of 300 rows" in message
    assert (
        "still to write: organizations 100 rows; organizations parentId links 100 rows; "
        "people 5 rows; employment 1 rows" in message
    )
    assert "--resume" in message
    # Exactly what the message says: the first two batches, none of the third, no links.
    ids = await db.store.read("MATCH (n:Organization) RETURN n.id AS id ORDER BY id")
    assert [r["id"] for r in ids] == [f"o{i:04d}" for i in range(200)] + ["stored"]
    assert await db.store.read("MATCH ()-[r:PART_OF|WORKS_FOR]->() RETURN r") == []
    assert len(checkpoint.read_bytes().splitlines()) == 1 + 2  # its head, two batches

    # The cause fixed (here: the constraint gone), the resume writes only the rest.
    report = await import_path(db.store, path, batch_size=100, checkpoint=checkpoint, resume=True)
    assert report.written and report.batches_skipped == 2
    assert report.nodes_created == 100 + len(PEOPLE)
    assert not checkpoint.exists()
    assert await graph_fingerprint(db.store) == expected


async def test_the_cli_stops_with_one_message_and_resumes(
    db: Database,
    tmp_path: Path,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _failing_document(tmp_path)
    expected = await _clean_import(db, tmp_path, path)
    await db.load(STORED, tmp_path)
    await _with_constraint(db)
    capsys.readouterr()
    try:
        code = await run_cli(neo4j_uri, monkeypatch, "import", "--batch-size", "100", str(path))
    finally:
        await _drop_constraint(db)
    err = capsys.readouterr().err
    assert code == 4
    assert "error: the import stopped at a write the database did not take" in err
    assert "written (committed): organizations 200 of 300 rows" in err
    assert "Traceback" not in err
    assert (tmp_path / "half.json.checkpoint").exists()
    args = ("import", "--batch-size", "100", "--resume", str(path))
    assert await run_cli(neo4j_uri, monkeypatch, *args) == 0
    assert "2 batches already written by the run resumed" in capsys.readouterr().err
    assert not (tmp_path / "half.json.checkpoint").exists()
    assert await graph_fingerprint(db.store) == expected
    # Nothing left to resume: said so, not a traceback.
    assert await run_cli(neo4j_uri, monkeypatch, *args) == 2
    assert "no checkpoint to resume from" in capsys.readouterr().err


async def test_the_write_api_refuses_the_values_the_import_refuses(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # One declaration of the ranges: a mutation input meets the import's limits.
    await db.load(
        {
            "people": PEOPLE,
            "products": [{"id": "prod-life", "name": "Life insurance"}],
        },
        tmp_path,
    )
    before = await whole_graph(db.store)
    create_org = (
        "mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }"
    )
    body = await gql(create_org, {"input": {"id": "o-big", "name": "Big", "employees": 20_000_000}})
    assert error_codes(body) == ["INVALID_INPUT"]
    ext = body["errors"][0]["extensions"]
    assert (ext["field"], ext["value"], ext["reason"]) == (
        "input.employees",
        20_000_000,
        "OUT_OF_RANGE",
    )
    create_holding = (
        "mutation ($input: CreateHoldingInput!) { createHolding(input: $input) { id } }"
    )
    holding = {"id": "h-1", "partyId": "p1", "productId": "prod-life", "amount": 1e14}
    body = await gql(create_holding, {"input": holding})
    assert error_codes(body) == ["INVALID_INPUT"]
    ext = body["errors"][0]["extensions"]
    assert (ext["field"], ext["reason"]) == ("input.amount", "OUT_OF_RANGE")
    assert await whole_graph(db.store) == before


async def test_concurrent_link_batches_account_for_every_committed_batch(
    db: Database, tmp_path: Path
) -> None:
    # Coverage links in 5 batches of 10, two at a time; the row at 35 has the `kind` of a
    # stored link under a uniqueness constraint, so batch 4 fails. Batches under way finish;
    # the message counts exactly the links that are in the database.
    reps = [{"id": f"r{i}", "name": f"Rep {i}"} for i in range(6)]
    people = [{"id": f"c{i}", "name": f"C{i}"} for i in range(11)]
    stored = {
        "reps": reps,
        "people": people,
        "coverage": [{"repId": "r0", "personId": "c0", "strength": 0.5, "kind": "STORED"}],
    }
    rows = [
        {"repId": f"r{1 + i // 10}", "personId": f"c{1 + i % 10}", "strength": 0.5, "kind": f"K{i}"}
        for i in range(50)
    ]
    await db.load(stored, tmp_path)
    clean = await import_path(db.store, _write(tmp_path / "clean.json", {"coverage": rows}))
    assert clean.written
    expected = await graph_fingerprint(db.store)
    rows[34]["kind"] = "STORED"
    path = _write(tmp_path / "links.json", {"coverage": rows})

    await db.load(stored, tmp_path)
    checkpoint = tmp_path / "links.checkpoint"
    await db.store.write(
        "CREATE CONSTRAINT import_integrity_unique_kind IF NOT EXISTS "
        "FOR ()-[r:COVERS]-() REQUIRE r.kind IS UNIQUE"
    )
    try:
        with pytest.raises(ImportInterrupted) as stopped:
            await import_path(
                db.store, path, batch_size=10, link_concurrency=2, checkpoint=checkpoint
            )
    finally:
        await db.store.write("DROP CONSTRAINT import_integrity_unique_kind IF EXISTS")
    found = await db.store.read_one("MATCH (:Rep)-[r:COVERS]->() RETURN count(r) AS n")
    assert found is not None
    written = found["n"] - 1  # the stored one
    assert written in (30, 40)
    assert f"written (committed): coverage {written} of 50 rows" in str(stopped.value)
    assert "links.json coverage rows 31 to 40 (10 rows" in str(stopped.value)
    assert len(checkpoint.read_bytes().splitlines()) == 1 + written // 10

    # Resumed with the bad row fixed: the batches written are skipped by their values, the
    # changed batch and those after it are written.
    rows[34]["kind"] = "K34"
    _write(path, {"coverage": rows})
    report = await import_path(
        db.store, path, batch_size=10, link_concurrency=2, checkpoint=checkpoint, resume=True
    )
    assert report.batches_skipped == written // 10
    assert report.relationships_created == 50 - written
    assert await graph_fingerprint(db.store) == expected
