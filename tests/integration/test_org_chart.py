"""orgChart over GraphQL: nodes with titles, markers and coverage, reporting edges,
sub-charts for branches, influence, the depth limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Database, GraphQLClient, data_of, error_codes

CHART = """
query ($id: ID!, $depth: Int!, $subs: Boolean!, $influence: Boolean!, $opp: ID) {
  orgChart(organizationId: $id, depth: $depth, includeSubsidiaries: $subs,
           includeInfluence: $influence, opportunityId: $opp) {
    organization { id name }
    depth
    nodes {
      id person { name } organization { id } title department managerId level
      role attitude influence coverage { rep { id } strength kind } external
    }
    edges { source target type strength kind }
    subCharts { organization { id } parentId level nodeIds }
  }
}
"""


async def chart(
    gql: GraphQLClient,
    org: str,
    depth: int = 3,
    subs: bool = True,
    influence: bool = False,
    opp: str | None = None,
) -> dict[str, Any]:
    variables = {"id": org, "depth": depth, "subs": subs, "influence": influence, "opp": opp}
    result: dict[str, Any] = data_of(await gql(CHART, variables))["orgChart"]
    return result


def nodes_by_id(c: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in c["nodes"]}


def edges_of(c: dict[str, Any], kind: str) -> set[tuple[str, str]]:
    return {(e["source"], e["target"]) for e in c["edges"] if e["type"] == kind}


async def test_demo_customer_chart_has_markers_coverage_and_reporting_lines(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    c = await chart(gql, "org-cimc")
    nodes = nodes_by_id(c)
    assert set(nodes) == {
        "p-wang-zhiqiang",
        "p-zhang-cuishan",
        "p-li-na",
        "p-zhao-min",
        "p-sun-wei",
        "p-chen-gang",
    }
    ceo, cfo = nodes["p-wang-zhiqiang"], nodes["p-li-na"]
    assert (ceo["title"], ceo["level"], ceo["managerId"]) == ("首席执行官 CEO", 1, None)
    assert (ceo["role"], ceo["attitude"], ceo["influence"]) == ("DECISION_MAKER", "NEUTRAL", "HIGH")
    assert (cfo["role"], cfo["attitude"], cfo["level"]) == ("APPROVER", "SUPPORTER", 2)
    # Declared 0.9 with 刘洋's visit of 2026-10-20 (41.9 days before the tests' strength
    # clock; one-way): 1 - 0.1 x (1 - 0.5431 / 1.5431) = 0.9352 (docs/ANALYTICS.md).
    assert cfo["coverage"] == [
        {"rep": {"id": "rep-liu-yang"}, "strength": 0.9352, "kind": "PERSONAL"}
    ]
    assert nodes["p-sun-wei"]["attitude"] == "OPPONENT"
    assert nodes["p-zhang-cuishan"]["department"] == "运营中心"
    assert edges_of(c, "REPORTS_TO") == {
        ("p-zhang-cuishan", "p-wang-zhiqiang"),
        ("p-li-na", "p-wang-zhiqiang"),
        ("p-zhao-min", "p-li-na"),
        ("p-sun-wei", "p-zhang-cuishan"),
        ("p-chen-gang", "p-zhang-cuishan"),
    }
    # The overseas department is a sub-chart; 陈刚 tops it, reports across to 张翠山, and
    # carries his marker from the group (the department has no buying roles of its own).
    assert c["subCharts"] == [
        {
            "organization": {"id": "org-cimc-overseas"},
            "parentId": "org-cimc",
            "level": 1,
            "nodeIds": ["p-chen-gang"],
        }
    ]
    chen = nodes["p-chen-gang"]
    assert chen["organization"] == {"id": "org-cimc-overseas"}
    # His level is his level in the account (王志强 1, 张翠山 2), not his rank in the unit.
    assert (chen["level"], chen["managerId"], chen["role"]) == (3, "p-zhang-cuishan", "EVALUATOR")
    assert not any(n["external"] for n in c["nodes"])


async def test_influence_brings_outside_advisers_as_external_nodes(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    c = await chart(gql, "org-cimc", influence=True)
    nodes = nodes_by_id(c)
    prof = nodes["p-zhou-prof"]
    assert (prof["external"], prof["level"], prof["organization"]) == (
        True,
        0,
        {"id": "org-sjtu-institute"},
    )
    assert prof["title"] == "院长"
    assert edges_of(c, "INFLUENCES") == {
        ("p-zhou-prof", "p-wang-zhiqiang"),
        ("p-zhou-prof", "p-chen-gang"),
        ("p-li-na", "p-wang-zhiqiang"),
        ("p-li-na", "p-zhao-min"),
        ("p-zhang-cuishan", "p-sun-wei"),
    }
    advisory = next(e for e in c["edges"] if e["target"] == "p-wang-zhiqiang" and e["kind"])
    assert advisory["type"] == "INFLUENCES"


async def test_markers_of_one_opportunity(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    c = await chart(gql, "org-cimc", opp="opp-cimc-overseas")
    marked = {n["id"]: n["role"] for n in c["nodes"] if n["role"]}
    # On that deal only the CEO, the CFO and 陈刚 have roles; 张翠山's account role is not shown.
    assert marked == {
        "p-wang-zhiqiang": "DECISION_MAKER",
        "p-li-na": "APPROVER",
        "p-chen-gang": "EVALUATOR",
    }
    body = await gql(
        CHART, {"id": "org-cimc", "depth": 3, "subs": True, "influence": False, "opp": "nope"}
    )
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "opportunityId"


async def test_financial_group_chart_with_branch_sub_charts(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    c = await chart(gql, "org-huasheng")
    assert [
        (s["organization"]["id"], s["parentId"], s["level"], s["nodeIds"]) for s in c["subCharts"]
    ] == [
        ("org-huasheng-sz", "org-huasheng", 1, ["p-zhang-li"]),
        ("org-huasheng-sh", "org-huasheng-sz", 2, ["p-wu-lei"]),
        ("org-huasheng-bj", "org-huasheng-sz", 2, ["p-huang-fang"]),
    ]
    assert edges_of(c, "REPORTS_TO") == {
        ("p-zhang-li", "p-he-jing"),
        ("p-huang-fang", "p-zhang-li"),
        ("p-wu-lei", "p-zhang-li"),
    }
    # 张立's marker is on the group: the head office inherits it.
    assert nodes_by_id(c)["p-zhang-li"]["role"] == "APPROVER"
    # depth 2: one level of sub-charts; without subsidiaries, the group's own people only.
    assert [
        s["organization"]["id"] for s in (await chart(gql, "org-huasheng", 2))["subCharts"]
    ] == ["org-huasheng-sz"]
    alone = await chart(gql, "org-huasheng", subs=False)
    assert [n["id"] for n in alone["nodes"]] == ["p-he-jing"] and alone["subCharts"] == []


async def test_depth_cuts_reporting_levels(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # A chain of five: p1 <- p2 <- p3 <- p4 <- p5 (p2 reports to p1, ...), plus p3b beside p3.
    people = ["p1", "p2", "p3", "p3b", "p4", "p5"]
    managers = {"p2": "p1", "p3": "p2", "p3b": "p2", "p4": "p3", "p5": "p4"}
    await db.load(
        {
            "organizations": [{"id": "o1", "name": "One"}],
            "people": [{"id": p, "name": p} for p in people],
            "employment": [{"personId": p, "organizationId": "o1"} for p in people],
            "reporting": [{"personId": p, "managerId": m} for p, m in managers.items()],
        },
        tmp_path,
    )
    c = await chart(gql, "o1", depth=3)
    assert {n["id"]: n["level"] for n in c["nodes"]} == {"p1": 1, "p2": 2, "p3": 3, "p3b": 3}
    # p4 is cut, so no edge may point at or from it.
    assert edges_of(c, "REPORTS_TO") == {("p2", "p1"), ("p3", "p2"), ("p3b", "p2")}
    full = await chart(gql, "o1", depth=10)
    assert len(full["nodes"]) == 6


async def test_depth_limit_and_unknown_organization(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for depth in (0, 11):
        body = await gql(
            CHART, {"id": "org-cimc", "depth": depth, "subs": True, "influence": False}
        )
        assert error_codes(body) == ["INVALID_INPUT"]
        ext = body["errors"][0]["extensions"]
        assert (ext["field"], ext["value"]) == ("depth", depth)
        assert "10" in body["errors"][0]["message"]
    for bad in ("no-such-org", "p-zhang-li"):  # a person has no org chart
        body = await gql(CHART, {"id": bad, "depth": 3, "subs": True, "influence": False})
        assert error_codes(body) == ["NOT_FOUND"]
        assert body["errors"][0]["extensions"]["field"] == "organizationId"


LEVELS = """
query ($account: ID!, $subs: Boolean) {
  keyDeciders(accountId: $account, includeSubsidiaries: $subs, limit: 100) {
    person { id } level
  }
}
"""


async def decider_levels(gql: GraphQLClient, account: str, subs: bool) -> dict[str, int | None]:
    rows = data_of(await gql(LEVELS, {"account": account, "subs": subs}))["keyDeciders"]
    return {r["person"]["id"]: r["level"] for r in rows}


def chart_levels(c: dict[str, Any]) -> dict[str, int]:
    return {n["id"]: n["level"] for n in c["nodes"] if not n["external"]}


async def test_levels_are_the_account_levels_of_key_deciders_on_the_demo(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    deciders = await decider_levels(gql, "org-cimc", subs=True)
    whole = await chart(gql, "org-cimc", depth=10, influence=True)
    # 王志强 (CEO) <- 张翠山 (COO) <- 陈刚 (in the sub-chart 中集海外项目部).
    assert chart_levels(whole)["p-zhang-cuishan"] == 2
    assert chart_levels(whole)["p-chen-gang"] == 3 == deciders["p-chen-gang"]
    # The sub-chart charted on its own: 陈刚 keeps his level, his manager is above the chart.
    sub = await chart(gql, "org-cimc-overseas", depth=10)
    assert chart_levels(sub)["p-chen-gang"] == 3
    for c in (whole, sub):
        for pid, level in chart_levels(c).items():
            assert deciders[pid] in (level, None), pid
            if deciders[pid] is None:
                assert level == 1, pid
        # Every node names its organization: its unit, or an external's employer.
        units = {c["organization"]["id"], *(s["organization"]["id"] for s in c["subCharts"])}
        for n in c["nodes"]:
            if not n["external"]:
                assert n["organization"]["id"] in units, n["id"]
    assert any(n["external"] and n["organization"] for n in whole["nodes"])


async def test_levels_agree_with_key_deciders_on_a_chart_with_a_sub_chart(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # G: a (no manager), e -> a. S (part of G): b -> a, c -> b, f -> c and f -> a (a dotted
    # line: the shortest line up counts), d on no reporting line.
    # Levels worked out by hand: a 1; e, b, f 2; c 3; d: keyDeciders null, the chart 1.
    # Within S alone the unit ranks would be b 1, c 2 (f 1: it reports to a outside S): the
    # old unit-relative levels, which disagreed with keyDeciders.
    jobs = {"a": "G", "e": "G", "b": "S", "c": "S", "f": "S", "d": "S"}
    lines = [("e", "a"), ("b", "a"), ("c", "b"), ("f", "c"), ("f", "a")]
    await db.load(
        {
            "organizations": [
                {"id": "G", "name": "Group"},
                {"id": "S", "name": "Subsidiary", "parentId": "G"},
            ],
            "people": [{"id": p, "name": p} for p in jobs],
            "employment": [{"personId": p, "organizationId": o} for p, o in jobs.items()],
            "reporting": [{"personId": p, "managerId": m} for p, m in lines],
        },
        tmp_path,
    )
    expected = {"a": 1, "e": 2, "b": 2, "f": 2, "c": 3, "d": 1}
    group = await chart(gql, "G", depth=10)
    assert chart_levels(group) == expected
    assert {n["id"]: n["organization"]["id"] for n in group["nodes"]} == jobs
    assert chart_levels(await chart(gql, "S", depth=10)) == {
        p: lv for p, lv in expected.items() if jobs[p] == "S"
    }
    assert await decider_levels(gql, "G", subs=True) == {**expected, "d": None}
    assert await decider_levels(gql, "S", subs=False) == {"b": 2, "c": 3, "f": 2, "d": None}
    # The depth still cuts by rank inside each unit: depth 1 keeps S's tops, b and d (f has
    # a manager in S, c), each with their account level.
    cut = await chart(gql, "S", depth=1)
    assert chart_levels(cut) == {"b": 2, "d": 1}
