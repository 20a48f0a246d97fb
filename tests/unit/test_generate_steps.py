"""The generator's steps one by one (no database), and that the service never loads them."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from typing import Any

from graph_api.config import PROJECT_ROOT
from graph_api.generate import AccountShape, Generator, start
from graph_api.generate.catalogue import CORPORATE
from graph_api.generate.coverage import team_members
from graph_api.generate.holdings import household_holdings, org_holdings
from graph_api.generate.influence import acquaintances, informal_influence
from graph_api.generate.markers import marker, pick_upper
from graph_api.generate.org_chart import OrgChart, org_chart, staff
from graph_api.generate.people import household, person
from graph_api.generate.units import firm, org_units
from graph_api.generate.vocabulary import FUNCTIONS

Rows = dict[str, list[dict[str, Any]]]


def _generator(seed: int = 1) -> tuple[Generator, Rows]:
    """A bare generator (no catalogue, no sales force) whose rows are kept by section."""
    rows: Rows = {}
    gen = Generator(lambda section, row: rows.setdefault(section, []).append(row), seed)
    return gen, rows


# ----- units


def test_a_group_gets_the_declared_units_each_under_its_parent() -> None:
    gen, rows = _generator()
    shape = AccountShape(people=20, kind="GROUP", subsidiaries=2, branches=3, departments=4)
    org = org_units(gen, shape, firm(gen, shape))

    orgs = rows["organizations"]
    # 1 group + 1 head office + 2 subsidiaries + 3 branches + 4 departments, ids in order.
    assert [o["id"] for o in orgs] == [f"o-{k:06d}" for k in range(1, 12)]
    assert [u.id for u in org.units] == [o["id"] for o in orgs]
    kind = {o["id"]: o["orgType"] for o in orgs}
    assert Counter(kind.values()) == {
        "GROUP": 1,
        "HEAD_OFFICE": 1,
        "SUBSIDIARY": 2,
        "BRANCH": 3,
        "DEPARTMENT": 4,
    }
    parent_kind = {o["orgType"]: set() for o in orgs}
    for o in orgs:
        parent_kind[o["orgType"]].add(kind.get(o.get("parentId", "")))
    assert parent_kind == {
        "GROUP": {None},
        "HEAD_OFFICE": {"GROUP"},
        "SUBSIDIARY": {"GROUP"},
        "BRANCH": {"HEAD_OFFICE"},
        "DEPARTMENT": {"HEAD_OFFICE"},
    }
    # A parent is always emitted before its children (the importer needs no second pass).
    position = {o["id"]: k for k, o in enumerate(orgs)}
    assert all(position[o["parentId"]] < position[o["id"]] for o in orgs if "parentId" in o)
    assert (org.root, org.main, org.subunits) == (0, 1, list(range(2, 11)))
    # Only the top unit carries the account's profile.
    assert [o["id"] for o in orgs if "website" in o] == ["o-000001"]
    # Employers of retail customers: the head office, subsidiaries and branches (o-2..o-7).
    assert gen.employers == [2, 3, 4, 5, 6, 7]


def test_a_company_has_its_branches_under_itself() -> None:
    gen, rows = _generator()
    shape = AccountShape(people=12, kind="COMPANY", branches=2)
    org = org_units(gen, shape, firm(gen, shape))
    assert [(o["orgType"], o.get("parentId")) for o in rows["organizations"]] == [
        ("COMPANY", None),
        ("BRANCH", "o-000001"),
        ("BRANCH", "o-000001"),
    ]
    assert org.root == org.main == 0


def test_units_stop_at_the_budget_of_parties() -> None:
    gen, rows = _generator()
    gen.budget = 5
    shape = AccountShape(people=20, kind="GROUP", subsidiaries=2, branches=3, departments=4)
    org_units(gen, shape, firm(gen, shape))
    # Group and head office always; then 2 subsidiaries fit (room 3), 1 branch (room 1).
    assert [o["orgType"] for o in rows["organizations"]] == [
        "GROUP",
        "HEAD_OFFICE",
        "SUBSIDIARY",
        "SUBSIDIARY",
        "BRANCH",
    ]


# ----- people and reporting


def test_the_org_chart_is_filled_breadth_first() -> None:
    # Worked by hand: the head (0) has 3 reports (1-3, the executive team, functions 0-2);
    # each of them 2 (4-9, level 3, round robin over the sub-units 1 and 2); then 4 and 5
    # have 2 each (10-13, level 4, in their manager's unit and function).
    chart = org_chart(14, fan_out_top=3, fan_out=2, main=0, subunits=[1, 2])
    assert chart == OrgChart(
        parent_of=[-1, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
        level=[1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4],
        function_of=[0, 0, 1, 2, 0, 0, 1, 1, 2, 2, 0, 0, 0, 0],
        unit_of=[0, 0, 0, 0, 1, 2, 1, 2, 1, 2, 1, 1, 2, 2],
    )
    assert org_chart(1, 3, 2, main=7, subunits=[]) == OrgChart([-1], [1], [0], [7])
    assert org_chart(0, 3, 2, main=0, subunits=[]).size == 0


def test_the_executive_team_takes_the_functions_in_turn() -> None:
    chart = org_chart(
        len(FUNCTIONS) + 3, fan_out_top=len(FUNCTIONS) + 2, fan_out=4, main=0, subunits=[]
    )
    executives = [i for i in range(chart.size) if chart.level[i] == 2]
    assert [chart.function_of[i] for i in executives] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]


def test_the_reporting_step_gives_a_tree_with_titles_by_level() -> None:
    gen, rows = _generator(seed=4)
    shape = AccountShape(
        people=40, kind="GROUP", branches=2, departments=1, fan_out_top=4, fan_out=3
    )
    org = org_units(gen, shape, firm(gen, shape))
    chart = org_chart(40, shape.fan_out_top, shape.fan_out, org.main, org.subunits)
    people = staff(gen, shape.kind, org, chart)

    ids = [p.id for p in people]
    assert [r["id"] for r in rows["people"]] == ids and len(ids) == 40
    manager = {r["personId"]: r["managerId"] for r in rows["reporting"]}
    # Everyone but the head has exactly one manager, emitted before them: a tree.
    assert len(rows["reporting"]) == 39 and ids[0] not in manager
    assert all(ids.index(manager[p]) < ids.index(p) for p in ids[1:])
    assert [manager[ids[i]] for i in range(1, 40)] == [
        ids[chart.parent_of[i]] for i in range(1, 40)
    ]
    # One primary employment each, in the unit the chart says, with the title of the level.
    jobs = {e["personId"]: e for e in rows["employment"]}
    assert len(rows["employment"]) == 40 and all(e["primary"] for e in jobs.values())
    assert all(jobs[ids[i]]["organizationId"] == org.units[chart.unit_of[i]].id for i in range(40))
    assert jobs[ids[0]]["title"] == "董事长"
    assert [jobs[ids[i]]["title"] for i in range(1, 5)] == [f[0] for f in FUNCTIONS[:4]]
    third = {
        org.units[chart.unit_of[i]].kind: jobs[ids[i]]["title"]
        for i in range(40)
        if chart.level[i] == 3
    }
    assert third == {"BRANCH": "分公司总经理", "DEPARTMENT": "部门总监"}
    assert {jobs[ids[i]]["title"] for i in range(40) if chart.level[i] == 4} == {"经理"}


# ----- markers


def test_pick_upper_takes_the_head_and_k_distinct_people() -> None:
    gen, _ = _generator()
    level = [1, 2, 2, 3, 3, 3, 4, 4]
    for k in range(1, 9):
        chosen = pick_upper(gen, 8, level, k)
        assert chosen[0] == 0 and len(chosen) == k and chosen == sorted(set(chosen))
    assert pick_upper(gen, 8, level, 20) == list(range(8))
    assert pick_upper(gen, 8, level, 0) == [] and pick_upper(gen, 0, [], 3) == []


def test_a_marker_follows_the_level() -> None:
    gen, _ = _generator()
    head = marker(gen, "p-1", 1, 0, {"accountId": "o-1"})
    assert (head["role"], head["influence"], head["accountId"]) == ("DECISION_MAKER", "HIGH", "o-1")
    executives = [marker(gen, "p-2", 2, 0, {"opportunityId": "opp-1"}) for _ in range(200)]
    # The CFO's function leans to APPROVER (70%), else INFLUENCER.
    assert {m["role"] for m in executives} == {"APPROVER", "INFLUENCER"}
    assert {m["influence"] for m in executives} == {"HIGH"}
    assert marker(gen, "p-3", 3, 0, {})["influence"] == "MEDIUM"
    assert marker(gen, "p-4", 5, 0, {})["influence"] == "LOW"


# ----- households and holdings


def test_a_household_stays_within_the_budget_of_parties() -> None:
    gen, rows = _generator()
    head = person(gen, age=40)
    gen.budget = gen.parties  # no room left: no relative, no family row
    assert household(gen, head, children_mean=3.0) == []
    assert "family" not in rows and len(rows["people"]) == 1


def test_minors_hold_only_their_own_products_and_units_only_corporate_ones() -> None:
    gen, rows = _generator(seed=9)
    children = [person(gen, age=age) for age in range(18) for _ in range(10)]
    household_holdings(gen, children)
    assert {h["productId"] for h in rows["holdings"]} == {"prod-accident", "prod-education"}
    assert all(c.held <= {"prod-accident", "prod-education"} for c in children)

    before = len(rows["holdings"])
    rows.clear()
    shape = AccountShape(people=50, kind="GROUP", subsidiaries=3, branches=3, departments=3)
    org = org_units(gen, shape, firm(gen, shape))
    org_holdings(gen, org.units, org.root, trade=True, capital=True, shape=shape)
    by_party: dict[str, set[str]] = {}
    for h in rows["holdings"]:
        by_party.setdefault(h["partyId"], set()).add(h["productId"])
    assert {p for ps in by_party.values() for p in ps} <= set(CORPORATE)
    # Each unit's `held` is what was emitted for it; departments hold nothing.
    assert all(by_party.get(u.id, set()) == u.held for u in org.units)
    assert all(not u.held for u in org.units if u.kind == "DEPARTMENT")
    # Holding ids continue the run's one sequence, without gaps.
    numbers = [int(h["id"][2:]) for h in rows["holdings"]]
    assert numbers == list(range(before + 1, before + 1 + len(numbers)))


# ----- informal ties, coverage


def test_ties_are_distinct_and_never_with_oneself() -> None:
    gen, rows = _generator()
    people = [person(gen) for _ in range(6)]
    parent_of = [-1, 0, 0, 1, 1, 2]
    informal_influence(gen, people, parent_of, 12)
    pairs = [(r["fromId"], r["toId"]) for r in rows["influence"]]
    assert len(pairs) == len(set(pairs)) == 12 and all(a != b for a, b in pairs)

    # Two people know each other once, however many acquaintances are asked for.
    acquaintances(gen, people[:2], 5)
    assert [(r["fromId"], r["toId"]) for r in rows["acquaintance"]] == [
        (people[0].id, people[1].id)
    ]


def test_a_team_takes_an_ae_an_sr_and_an_se_first_then_distinct_reps() -> None:
    gen = start(lambda section, row: None, seed=3, reps=200)
    region = next(iter(gen.reps_by_region))
    role_of = {rep: role for role, reps in gen.reps_by_region[region].items() for rep in reps}
    team = team_members(gen, region, 6)
    assert [role for _, role in team[:3]] == ["AE", "SR", "SE"]
    assert len({rep for rep, _ in team}) == 6
    assert all(role_of[rep] == role for rep, role in team)
    assert {role for _, role in team[3:]} <= {"AE", "SR"}
    assert [role for _, role in team_members(gen, region, 2)] == ["AE", "SR"]


# ----- where the generator lives


def test_the_service_never_loads_the_generator() -> None:
    # A fresh interpreter: this test session has imported the generator already.
    probe = (
        "import sys\n"
        "import graph_api.api.app as app, graph_api.cli\n"
        "from graph_api.config import Settings\n"
        "uri = 'bolt://127.0.0.1:9'\n"
        "app.create_app(Settings(NEO4J_URI=uri, NEO4J_USER='neo4j', NEO4J_PASSWORD=''),"
        " neo4j_uri=uri)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('graph_api'))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "graph_api.api.app" in loaded and "graph_api.cli" in loaded
    assert [
        m for m in loaded if m == "graph_api.generate" or m.startswith("graph_api.generate.")
    ] == []
