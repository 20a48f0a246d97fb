"""graph-api generate: deterministic for a seed, every section filled, imports without a problem."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph_api.bulk.load import import_path
from graph_api.bulk.spec import SECTIONS
from graph_api.cli import main
from graph_api.config import PROJECT_ROOT
from graph_api.generate import (
    AFFINITY_RULES,
    PRODUCTS,
    AccountShape,
    account,
    document,
    write_dataset,
)
from tests.conftest import Database


def _generate(path: Path, parties: int, seed: int, *extra: str) -> None:
    assert (
        main(["generate", "--parties", str(parties), "--seed", str(seed), *extra, str(path)]) == 0
    )


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


@pytest.mark.slow
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    _generate(tmp_path / "a.json", 1500, 3)
    _generate(tmp_path / "b.json", 1500, 3)
    _generate(tmp_path / "c.json", 1500, 4)
    a = (tmp_path / "a.json").read_bytes()
    assert a == (tmp_path / "b.json").read_bytes()
    assert a != (tmp_path / "c.json").read_bytes()

    _generate(tmp_path / "csv-a", 1500, 3)
    _generate(tmp_path / "csv-b", 1500, 3)
    _generate(tmp_path / "csv-c", 1500, 4)
    csv_a = _folder_bytes(tmp_path / "csv-a")
    assert sorted(csv_a) == sorted(f"{s.name}.csv" for s in SECTIONS)
    assert csv_a == _folder_bytes(tmp_path / "csv-b")
    assert csv_a != _folder_bytes(tmp_path / "csv-c")
    # Nothing but the output is left behind (the spool of the JSON writer is gone).
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.json",
        "b.json",
        "c.json",
        "csv-a",
        "csv-b",
        "csv-c",
    ]


@pytest.mark.slow
async def test_generated_data_imports_with_no_problem_and_fills_every_section(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "generated.json"
    done = write_dataset(path, 3000, 11)
    doc = orjson.loads(path.read_bytes())
    assert done.parties == 3000
    assert [s for s in SECTIONS if not doc[s.name]] == []
    assert {s.name: len(doc[s.name]) for s in SECTIONS} == done.rows

    await db.empty()
    report = await import_path(db.store, path)
    assert [p.line() for p in report.problems] == []
    counts = await db.store.read_one(
        "MATCH (p:Party) WITH count(p) AS parties "
        "MATCH (h:Holding) WITH parties, count(h) AS holdings "
        "MATCH ()-[r:REPORTS_TO]->() RETURN parties, holdings, count(r) AS reporting"
    )
    assert counts is not None
    assert dict(counts) == {
        "parties": 3000,
        "holdings": len(doc["holdings"]),
        "reporting": len(doc["reporting"]),
    }


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


@pytest.mark.slow
def test_generated_data_has_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "generated.json"
    write_dataset(path, 8000, 5)
    doc: dict[str, Any] = orjson.loads(path.read_bytes())
    orgs = {o["id"]: o for o in doc["organizations"]}
    people = {p["id"] for p in doc["people"]}

    # About one party in ten is an organization; every kind of unit occurs.
    assert 0.07 < len(orgs) / (len(orgs) + len(people)) < 0.13
    kinds = Counter(o["orgType"] for o in orgs.values())
    assert set(kinds) == {
        "GROUP",
        "HEAD_OFFICE",
        "BRANCH",
        "SUBSIDIARY",
        "DEPARTMENT",
        "COMPANY",
        "INSTITUTE",
    }
    parents = {o["orgType"]: set() for o in orgs.values()}  # kind -> kinds of its parents
    for o in orgs.values():
        parents[o["orgType"]].add(orgs[o["parentId"]]["orgType"] if "parentId" in o else None)
    assert parents["GROUP"] == {None} and parents["COMPANY"] == {None}
    assert parents["HEAD_OFFICE"] == {"GROUP"} and parents["SUBSIDIARY"] == {"GROUP"}
    assert parents["BRANCH"] <= {"HEAD_OFFICE", "COMPANY"}

    # Reporting lines: one manager per person, a manager at the same account.
    managers = Counter(r["personId"] for r in doc["reporting"])
    assert max(managers.values()) == 1

    # Product co-occurrence: an accident policy makes a life policy more likely, and so does
    # a spouse holding one.
    held: dict[str, set[str]] = defaultdict(set)
    for h in doc["holdings"]:
        held[h["partyId"]].add(h["productId"])
    adults = [p for p in people if held[p]]
    accident = [p for p in adults if "prod-accident" in held[p]]
    others = [p for p in adults if "prod-accident" not in held[p]]
    life_given_accident = _share(sum("prod-life" in held[p] for p in accident), len(accident))
    life_otherwise = _share(sum("prod-life" in held[p] for p in others), len(others))
    assert life_given_accident > 2 * life_otherwise
    spouses = [(f["fromId"], f["toId"]) for f in doc["family"] if f["kind"] == "SPOUSE"]
    with_life = [b for a, b in spouses if "prod-life" in held[a]]
    without = [b for a, b in spouses if "prod-life" not in held[a]]
    assert _share(sum("prod-life" in held[b] for b in with_life), len(with_life)) > 1.5 * _share(
        sum("prod-life" in held[b] for b in without), len(without)
    )
    # Corporate products are held by organizations, retail ones by people.
    segment = {p["id"]: p["segment"] for p in doc["products"]}
    assert all(
        (segment[h["productId"]] == "CORPORATE") == (h["partyId"] in orgs) for h in doc["holdings"]
    )


def test_generated_data_has_three_years_of_history(tmp_path: Path) -> None:
    """Past titles, past employers, past attitudes and ended coverage (generate/history.py),
    each closed before the current period of its key begins, all within three years."""
    path = tmp_path / "generated.json"
    write_dataset(path, 4000, 5)
    doc: dict[str, Any] = orjson.loads(path.read_bytes())
    for section in ("employment", "buyingRoles", "coverage"):
        rows = doc[section]
        closed = [r for r in rows if "validTo" in r]
        assert 0.05 < len(closed) / len(rows) < 0.4, section
        assert all("2023-11-01" <= r["validTo"] < "2026-11-01" for r in closed), section
    jobs = doc["employment"]
    people_with_past_employer = {
        r["personId"] for r in jobs if "validTo" in r and r.get("primary")
    } & {r["personId"] for r in jobs if "validTo" not in r and r.get("primary")}
    assert people_with_past_employer


def test_the_catalogue_extends_the_demo_one() -> None:
    demo = orjson.loads((PROJECT_ROOT / "seed" / "demo.json").read_bytes())
    ours = {p["id"]: p for p in PRODUCTS}
    assert [ours.get(p["id"]) for p in demo["products"]] == demo["products"]
    rules = {r["id"]: r for r in AFFINITY_RULES}
    assert [rules.get(r["id"]) for r in demo["affinityRules"]] == demo["affinityRules"]


def test_an_account_has_the_shape_asked_for() -> None:
    shape = AccountShape(
        people=300,
        kind="GROUP",
        departments=4,
        fan_out_top=8,
        fan_out=6,
        markers=12,
        influence=400,
        advisers=5,
        acquaintances=250,
        households=60,
        children=0.0,
        team=6,
        covered=30,
        opportunities=2,
        interactions=20,
    )
    doc = document(lambda gen: account(gen, shape), seed=2, reps=200)
    built = doc["result"]
    staff = set(built.people)
    assert len(staff) == 300 and built.head_id == built.people[0]
    reports = Counter(r["managerId"] for r in doc["reporting"] if r["personId"] in staff)
    assert reports[built.head_id] == 8
    assert max(n for m, n in reports.items() if m != built.head_id) == 6
    units = [o for o in doc["organizations"] if o["orgType"] != "INSTITUTE"]
    assert Counter(o["orgType"] for o in units) == {"GROUP": 1, "HEAD_OFFICE": 1, "DEPARTMENT": 4}
    on_account = [b for b in doc["buyingRoles"] if b.get("accountId") == built.root_id]
    assert len(on_account) == 12
    assert [b["role"] for b in on_account if b["personId"] == built.head_id] == ["DECISION_MAKER"]
    inside = [i for i in doc["influence"] if i["fromId"] in staff]
    advisers = [i for i in doc["influence"] if i["fromId"] not in staff]
    assert len(inside) == 400 and len(advisers) == 5 and all(i["toId"] in staff for i in advisers)
    assert len(doc["acquaintance"]) == 250
    assert sum(f["kind"] == "SPOUSE" for f in doc["family"]) <= 60
    assert {f["kind"] for f in doc["family"]} <= {"SPOUSE", "PARENT", "CHILD", "SIBLING", "OTHER"}
    assert len(doc["teamMembers"]) == 6
    assert len({c["personId"] for c in doc["coverage"]}) == 30
    assert len(built.opportunity_ids) == 2
