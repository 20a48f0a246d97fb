"""Links with history (issue 14.1): validity periods in the import, the export, the stored
graph (closed periods as WAS_<type> links) and the writes (ending a link closes its period).

The hand-made graph: 赵敏 p-zhao worked at org-old from 2019-03-01 to 2022-06-30 (closed:
WAS_WORKS_FOR), and works at org-new since 2022-07-01 (WORKS_FOR). At org-new she was first
"经理" until 2024-01-01 (closed) and is "总监" since (open). She reported to p-li until
2024-01-01 and reports to p-wang since. rep-ann covered her until 2023-05-01 (closed only).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from graph_api.bulk.export import export_path
from graph_api.bulk.formats import read_sources
from graph_api.bulk.validate import validate
from tests.conftest import Database, GraphQLClient, data_of, error_codes

DOC: dict[str, Any] = {
    "organizations": [
        {"id": "org-new", "name": "新公司"},
        {"id": "org-old", "name": "旧公司"},
    ],
    "people": [
        {"id": "p-zhao", "name": "赵敏"},
        {"id": "p-li", "name": "李经理"},
        {"id": "p-wang", "name": "王总"},
    ],
    "reps": [{"id": "rep-ann", "name": "Ann"}],
    "employment": [
        {
            "personId": "p-zhao",
            "organizationId": "org-old",
            "title": "会计",
            "validFrom": "2019-03-01",
            "validTo": "2022-07-01",
        },
        {
            "personId": "p-zhao",
            "organizationId": "org-new",
            "title": "经理",
            "validFrom": "2022-07-01",
            "validTo": "2024-01-01",
        },
        {
            "personId": "p-zhao",
            "organizationId": "org-new",
            "title": "总监",
            "validFrom": "2024-01-01",
        },
        {"personId": "p-li", "organizationId": "org-new", "title": "经理"},
        {"personId": "p-wang", "organizationId": "org-new", "title": "总经理"},
    ],
    "reporting": [
        {"personId": "p-zhao", "managerId": "p-li", "validTo": "2024-01-01"},
        {"personId": "p-zhao", "managerId": "p-wang", "validFrom": "2024-01-01"},
        # History may run against today's direction: no cycle with closed periods.
        {"personId": "p-wang", "managerId": "p-zhao", "validTo": "2020-01-01"},
    ],
    "coverage": [
        {
            "repId": "rep-ann",
            "personId": "p-zhao",
            "strength": 0.7,
            "validFrom": "2021-01-01",
            "validTo": "2023-05-01",
        }
    ],
}

LINKS = """
MATCH (a)-[r]->(b) WHERE type(r) IN $types
RETURN a.id AS a, type(r) AS t, b.id AS b, r.title AS title,
       toString(r.validFrom) AS validFrom, toString(r.validTo) AS validTo
ORDER BY a, t, b, validFrom
"""


async def links(db: Database, *types: str) -> list[tuple[Any, ...]]:
    rows = await db.store.read(LINKS, {"types": list(types)})
    return [(r["a"], r["t"], r["b"], r["title"], r["validFrom"], r["validTo"]) for r in rows]


async def problems_of(doc: dict[str, Any], tmp_path: Path) -> list[tuple[str, int, str | None]]:
    path = tmp_path / "doc.json"
    path.write_bytes(orjson.dumps({"format": "relgraph-import", "version": 1, **doc}))
    sources, problems = read_sources(path)
    assert problems == []
    validated = await validate(sources)
    return [(p.code, p.row, p.field) for p in validated.problems]


async def test_closed_periods_are_stored_apart_and_exported_back(
    db: Database, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    assert await links(db, "WORKS_FOR", "WAS_WORKS_FOR") == [
        ("p-li", "WORKS_FOR", "org-new", "经理", None, None),
        ("p-wang", "WORKS_FOR", "org-new", "总经理", None, None),
        ("p-zhao", "WAS_WORKS_FOR", "org-new", "经理", "2022-07-01", "2024-01-01"),
        ("p-zhao", "WAS_WORKS_FOR", "org-old", "会计", "2019-03-01", "2022-07-01"),
        ("p-zhao", "WORKS_FOR", "org-new", "总监", "2024-01-01", None),
    ]
    assert await links(db, "REPORTS_TO", "WAS_REPORTS_TO") == [
        ("p-wang", "WAS_REPORTS_TO", "p-zhao", None, None, "2020-01-01"),
        ("p-zhao", "REPORTS_TO", "p-wang", None, "2024-01-01", None),
        ("p-zhao", "WAS_REPORTS_TO", "p-li", None, None, "2024-01-01"),
    ]
    assert await links(db, "COVERS", "WAS_COVERS") == [
        ("rep-ann", "WAS_COVERS", "p-zhao", None, "2021-01-01", "2023-05-01")
    ]
    # Search sees today's jobs only.
    titles = await db.store.read("MATCH (p:Person {id: 'p-zhao'}) RETURN p.searchTitles AS t")
    assert titles[0]["t"] == ["总监"]

    # Export: every period back, the current one first per key; a round trip is identical.
    first = tmp_path / "first.json"
    await export_path(db.store, first, "json")
    exported = orjson.loads(first.read_bytes())
    assert [
        (r["organizationId"], r.get("validTo"))
        for r in exported["employment"]
        if r["personId"] == "p-zhao"
    ] == [("org-new", None), ("org-new", "2024-01-01"), ("org-old", "2022-07-01")]
    await db.load({}, tmp_path)  # empty
    await db.load({k: v for k, v in exported.items() if k not in ("format", "version")}, tmp_path)
    second = tmp_path / "second.json"
    await export_path(db.store, second, "json")
    assert second.read_bytes() == first.read_bytes()


async def test_periods_are_validated(tmp_path: Path) -> None:
    base = {k: DOC[k] for k in ("organizations", "people")}
    backwards = {
        **base,
        "employment": [
            {
                "personId": "p-zhao",
                "organizationId": "org-new",
                "validFrom": "2024-01-01",
                "validTo": "2023-01-01",
            }
        ],
    }
    assert await problems_of(backwards, tmp_path) == [("INVALID_PERIOD", 1, "validTo")]
    # [2020, 2023) and [2022, open) share 2022: both rows are named.
    overlapping = {
        **base,
        "employment": [
            {
                "personId": "p-zhao",
                "organizationId": "org-new",
                "validFrom": "2020-01-01",
                "validTo": "2023-01-01",
            },
            {"personId": "p-zhao", "organizationId": "org-new", "validFrom": "2022-01-01"},
        ],
    }
    assert await problems_of(overlapping, tmp_path) == [("OVERLAPPING_PERIOD", 2, "validFrom")]
    # Two open periods of one pair overlap; periods meeting on a day do not.
    two_open = {
        **base,
        "reporting": [
            {"personId": "p-zhao", "managerId": "p-li"},
            {"personId": "p-zhao", "managerId": "p-li", "validFrom": "2024-01-01"},
            {"personId": "p-zhao", "managerId": "p-wang", "validTo": "2024-01-01"},
            {"personId": "p-zhao", "managerId": "p-wang", "validFrom": "2024-01-01"},
        ],
    }
    assert await problems_of(two_open, tmp_path) == [("OVERLAPPING_PERIOD", 2, "validFrom")]


REMOVE = """mutation ($input: RemoveLinkInput!) { removeLink(input: $input) { kind } }"""
SET_EMPLOYMENT = """mutation ($input: EmploymentInput!) {
  setEmployment(input: $input) { title version } }"""


async def test_ending_a_link_closes_its_period_and_a_new_title_opens_one(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(DOC, tmp_path)
    today = datetime.now(UTC).date()
    # 王总's title changes: his job so far (no validFrom known) closes today, a new opens.
    changed = data_of(
        await gql(
            SET_EMPLOYMENT,
            {
                "input": {
                    "personId": "p-wang",
                    "organizationId": "org-new",
                    "title": "董事长",
                    "expectedVersion": 1,
                }
            },
        )
    )["setEmployment"]
    assert changed == {"title": "董事长", "version": 2}
    assert [x for x in await links(db, "WORKS_FOR", "WAS_WORKS_FOR") if x[0] == "p-wang"] == [
        ("p-wang", "WAS_WORKS_FOR", "org-new", "总经理", None, today.isoformat()),
        ("p-wang", "WORKS_FOR", "org-new", "董事长", today.isoformat(), None),
    ]
    # 赵敏 leaves org-new: her open job closes today, her past periods stay.
    removed = await gql(
        REMOVE,
        {"input": {"kind": "EMPLOYMENT", "personId": "p-zhao", "organizationId": "org-new"}},
    )
    assert data_of(removed)["removeLink"] == {"kind": "EMPLOYMENT"}
    assert [x for x in await links(db, "WORKS_FOR", "WAS_WORKS_FOR") if x[0] == "p-zhao"] == [
        ("p-zhao", "WAS_WORKS_FOR", "org-new", "经理", "2022-07-01", "2024-01-01"),
        ("p-zhao", "WAS_WORKS_FOR", "org-new", "总监", "2024-01-01", today.isoformat()),
        ("p-zhao", "WAS_WORKS_FOR", "org-old", "会计", "2019-03-01", "2022-07-01"),
    ]
    titles = await db.store.read("MATCH (p:Person {id: 'p-zhao'}) RETURN p.searchTitles AS t")
    assert titles[0]["t"] == []
    # A link made today and ended today held on no day: nothing is kept.
    await gql(
        """mutation ($input: CoverageInput!) { setCoverage(input: $input) { version } }""",
        {"input": {"repId": "rep-ann", "personId": "p-li", "strength": 0.4}},
    )
    await gql(REMOVE, {"input": {"kind": "COVERAGE", "repId": "rep-ann", "personId": "p-li"}})
    assert await links(db, "COVERS", "WAS_COVERS") == [
        ("rep-ann", "WAS_COVERS", "p-zhao", None, "2021-01-01", "2023-05-01")
    ]


SET_COVERAGE = """mutation ($input: CoverageInput!) {
  setCoverage(input: $input) { version } }"""


async def test_a_new_period_may_not_overlap_a_past_one(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(DOC, tmp_path)
    # rep-ann covered p-zhao from 2021-01-01 until 2023-05-01.
    coverage = {"repId": "rep-ann", "personId": "p-zhao", "strength": 0.5}
    body = await gql(SET_COVERAGE, {"input": {**coverage, "validFrom": "2022-01-01"}})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "input.validFrom"
    # From the day it ended, a new period may begin.
    ok = await gql(SET_COVERAGE, {"input": {**coverage, "validFrom": "2023-05-01"}})
    assert data_of(ok)["setCoverage"] == {"version": 1}
    assert await links(db, "COVERS", "WAS_COVERS") == [
        ("rep-ann", "COVERS", "p-zhao", None, "2023-05-01", None),
        ("rep-ann", "WAS_COVERS", "p-zhao", None, "2021-01-01", "2023-05-01"),
    ]
    # A change of title cannot start its period before the current one's.
    body = await gql(
        SET_EMPLOYMENT,
        {
            "input": {
                "personId": "p-zhao",
                "organizationId": "org-new",
                "title": "副总",
                "validFrom": "2023-01-01",
                "expectedVersion": 1,
            }
        },
    )
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "input.validFrom"
