"""The unified 360° view over GraphQL: person and organization views on the demo data,
signals as of a pinned date, Relay pagination across page boundaries, limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import (
    Database,
    GraphQLClient,
    LiveServer,
    data_of,
    error_codes,
    settings_for,
)

PERSON_VIEW = """
query ($id: ID!) {
  party(id: $id) {
    id name
    coverage { rep { id name } strength kind }
    relationships { kind party { id name } strength influenceKind context }
    accountTeams { id name account { id } manager { id } members { rep { id } role } }
    ... on Person {
      employments { organization { id name } title department since primary }
      managers { id name }
      directReports { id name }
      household { person { id name } relation }
      householdHoldings {
        id holder { id name } householdRelation product { id name } amount status
        beneficiaries { person { id name } share }
      }
      holdings { id product { id } }
      beneficiaryOf { id holder { id } product { id } }
    }
  }
}
"""


def ids(items: list[dict[str, Any]], key: str = "id") -> list[str]:
    return [x[key] for x in items]


async def test_person_view_shows_employer_household_and_household_holdings(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    view = data_of(await gql(PERSON_VIEW, {"id": "p-zhang-cuishan"}))["party"]
    assert view["name"] == "张翠山"

    # Employer and title (COO of 中集集团), manager and direct reports along REPORTS_TO.
    assert view["employments"] == [
        {
            "organization": {"id": "org-cimc", "name": "中集集团"},
            "title": "首席运营官 COO",
            "department": "运营中心",
            "since": "2014-07-01",
            "primary": True,
        }
    ]
    assert ids(view["managers"]) == ["p-wang-zhiqiang"]
    assert sorted(ids(view["directReports"])) == ["p-chen-gang", "p-sun-wei"]

    # Household: his wife (stored SPOUSE) and daughter (stored PARENT from him to her).
    household = {m["person"]["name"]: m["relation"] for m in view["household"]}
    assert household == {"张太太": "SPOUSE", "张晓梅": "CHILD"}

    # Household holdings: his own accident insurance first, then 张太太's life insurance,
    # which names her as holder and their daughter as beneficiary.
    holdings = view["householdHoldings"]
    assert ids(holdings) == ["h-zcs-accident", "h-ztt-life"]
    own, wife = holdings
    assert own["holder"]["name"] == "张翠山" and own["householdRelation"] is None
    assert wife["holder"] == {"id": "p-zhang-taitai", "name": "张太太"}
    assert wife["householdRelation"] == "SPOUSE"
    assert wife["product"] == {"id": "prod-life", "name": "人寿险"}
    assert wife["amount"] == 2_000_000
    assert wife["beneficiaries"] == [
        {"person": {"id": "p-zhang-xiaomei", "name": "张晓梅"}, "share": 1.0}
    ]
    assert ids(view["holdings"]) == ["h-zcs-accident"]
    assert view["beneficiaryOf"] == []

    # Relationships: he influences 孙伟 and knows 张立 (stored once, from the lower id).
    rels = {(r["kind"], r["party"]["id"]): r for r in view["relationships"]}
    assert set(rels) == {("INFLUENCES", "p-sun-wei"), ("KNOWS", "p-zhang-li")}
    assert rels[("INFLUENCES", "p-sun-wei")]["influenceKind"] == "POLITICAL"
    assert rels[("KNOWS", "p-zhang-li")]["context"] == "商学院同学"

    # Our coverage and the team covering him as an account.
    # Declared 0.4 with the service contact he started on 2026-08-12 (110.9 days before the
    # tests' strength clock, 2026-12-01; one-way): A = 0.75 x 0.3 x 2^(-110.88/90) = 0.0958,
    # earned 0.0874, 1 - 0.6 x 0.9126 = 0.4525 (docs/ANALYTICS.md, "Earned strength").
    assert view["coverage"] == [
        {"rep": {"id": "rep-huang-lei", "name": "黄蕾"}, "strength": 0.4525, "kind": "BUSINESS"}
    ]
    assert [(t["id"], t["account"]["id"]) for t in view["accountTeams"]] == [
        ("team-cimc", "p-zhang-cuishan")
    ]
    assert view["accountTeams"][0]["manager"] == {"id": "rep-ma-jun"}
    assert {m["rep"]["id"]: m["role"] for m in view["accountTeams"][0]["members"]} == {
        "rep-liu-yang": "AE",
        "rep-huang-lei": "SR",
    }


async def test_household_seen_from_the_daughter(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    view = data_of(await gql(PERSON_VIEW, {"id": "p-zhang-xiaomei"}))["party"]
    # PARENT links point from each parent to her: seen from her, both are PARENT.
    assert {m["person"]["id"]: m["relation"] for m in view["household"]} == {
        "p-zhang-cuishan": "PARENT",
        "p-zhang-taitai": "PARENT",
    }
    # She holds nothing herself; her parents' holdings come by holder name (张太太 sorts
    # before 张翠山 in code-point order: 太 U+592A < 翠 U+7FE0).
    assert ids(view["householdHoldings"]) == ["h-ztt-life", "h-zcs-accident"]
    assert [h["householdRelation"] for h in view["householdHoldings"]] == ["PARENT", "PARENT"]
    assert view["beneficiaryOf"] == [
        {"id": "h-ztt-life", "holder": {"id": "p-zhang-taitai"}, "product": {"id": "prod-life"}}
    ]


ORG_VIEW = """
query ($id: ID!, $subs: Boolean!) {
  party(id: $id) {
    id name
    accountTeams { id account { id } }
    ... on Organization {
      parent { id }
      ancestors { id name }
      children { id name }
      own: holdings { id holder { id } }
      holdings(includeSubsidiaries: $subs) { id holder { id name } product { id } }
      people(includeSubsidiaries: $subs) {
        totalCount edges { node { id name } organization { id } title }
      }
      openOpportunities {
        id name stage probability amount closeDate owner { id } products { id }
        buyingCentre { person { id } role attitude influence }
      }
      events { id kind title date }
    }
  }
}
"""


async def test_financial_group_rolls_up_its_branches(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    group = data_of(await gql(ORG_VIEW, {"id": "org-huasheng", "subs": True}))["party"]
    assert group["parent"] is None and group["ancestors"] == []
    assert ids(group["children"]) == ["org-huasheng-sz"]
    # The group holds payroll itself; the head office an annuity; the Beijing branch FX.
    assert ids(group["own"]) == ["h-huasheng-payroll"]
    rolled = {h["id"]: h["holder"]["id"] for h in group["holdings"]}
    assert rolled == {
        "h-huasheng-payroll": "org-huasheng",
        "h-huasheng-sz-annuity": "org-huasheng-sz",
        "h-huasheng-bj-fx": "org-huasheng-bj",
    }
    # People over the whole group: the CEO, the CFO at the head office, two branch heads.
    people = {e["node"]["id"]: e["organization"]["id"] for e in group["people"]["edges"]}
    assert people == {
        "p-he-jing": "org-huasheng",
        "p-zhang-li": "org-huasheng-sz",
        "p-huang-fang": "org-huasheng-bj",
        "p-wu-lei": "org-huasheng-sh",
    }
    assert group["people"]["totalCount"] == 4

    alone = data_of(await gql(ORG_VIEW, {"id": "org-huasheng", "subs": False}))["party"]
    assert ids(alone["holdings"]) == ["h-huasheng-payroll"]
    assert [e["node"]["id"] for e in alone["people"]["edges"]] == ["p-he-jing"]
    assert alone["people"]["totalCount"] == 1


async def test_branch_sees_its_parent_chain_and_the_groups_account_team(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    branch = data_of(await gql(ORG_VIEW, {"id": "org-huasheng-bj", "subs": False}))["party"]
    assert branch["parent"] == {"id": "org-huasheng-sz"}
    assert [a["name"] for a in branch["ancestors"]] == ["华盛深圳总公司", "华盛金融集团"]
    # No team covers the branch itself; the group's team covers it through the group.
    assert branch["accountTeams"] == [{"id": "team-huasheng", "account": {"id": "org-huasheng"}}]


async def test_open_opportunities_with_stage_probability_and_buying_centre(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    cimc = data_of(await gql(ORG_VIEW, {"id": "org-cimc", "subs": False}))["party"]
    # The 2025 annuity deal is LOST, hence not open.
    [opp] = cimc["openOpportunities"]
    assert opp["id"] == "opp-cimc-overseas"
    assert (opp["stage"], opp["probability"]) == ("QUALIFIED", 0.5)
    assert opp["amount"] == 120_000_000 and opp["closeDate"] == "2027-03-31"
    assert opp["owner"] == {"id": "rep-liu-yang"}
    assert sorted(ids(opp["products"])) == ["prod-infra-loan", "prod-lc"]
    centre = {b["person"]["id"]: (b["role"], b["attitude"]) for b in opp["buyingCentre"]}
    assert centre == {
        "p-wang-zhiqiang": ("DECISION_MAKER", "NEUTRAL"),
        "p-li-na": ("APPROVER", "SUPPORTER"),
        "p-chen-gang": ("EVALUATOR", "SUPPORTER"),
        "p-zhou-prof": ("INFLUENCER", "NEUTRAL"),
    }
    assert [e["kind"] for e in cimc["events"]] == ["OVERSEAS_EXPANSION"]


SIGNALS = """
query ($id: ID!, $asOf: Date) {
  party(id: $id) {
    signals(asOf: $asOf) {
      asOf tier grade radCell
      sleeping {
        lastInteractionAt daysSinceLastInteraction sleeping escalated escalateTo
        windowDays escalationDays
      }
      profile { score threshold compliant flagged missingFields { field points } }
    }
  }
}
"""


async def signals_of(gql: GraphQLClient, party_id: str, as_of: str) -> dict[str, Any]:
    body = await gql(SIGNALS, {"id": party_id, "asOf": as_of})
    result: dict[str, Any] = data_of(body)["party"]["signals"]
    return result


async def test_sleeping_flag_counts_days_against_the_60_and_90_day_windows(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    # 张翠山's last interaction: 2026-08-12 (a service call). 59 days later he is awake,
    # 60 days later sleeping, 90 days later escalated to management (grade 4).
    day59 = (await signals_of(gql, "p-zhang-cuishan", "2026-10-10"))["sleeping"]
    assert day59["lastInteractionAt"].startswith("2026-08-12T03:00:00")
    assert (day59["daysSinceLastInteraction"], day59["sleeping"]) == (59, False)
    day60 = (await signals_of(gql, "p-zhang-cuishan", "2026-10-11"))["sleeping"]
    assert (day60["daysSinceLastInteraction"], day60["sleeping"], day60["escalated"]) == (
        60,
        True,
        False,
    )
    day90 = (await signals_of(gql, "p-zhang-cuishan", "2026-11-10"))["sleeping"]
    assert (day90["daysSinceLastInteraction"], day90["escalated"], day90["escalateTo"]) == (
        90,
        True,
        "MANAGEMENT",
    )
    assert (day90["windowDays"], day90["escalationDays"]) == (60, 90)


async def test_signals_see_only_interactions_up_to_the_pinned_date(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    # 中集集团: a visit on 2026-10-20 and a call on 2026-11-05. As of 2026-11-01 the call
    # has not happened yet. Grade 5: once escalated, it goes to the head of sales.
    early = await signals_of(gql, "org-cimc", "2026-11-01")
    assert early["sleeping"]["lastInteractionAt"].startswith("2026-10-20")
    assert early["sleeping"]["daysSinceLastInteraction"] == 12
    assert (early["tier"], early["grade"], early["radCell"]) == ("STRATEGIC", 5, "D1")
    late = await signals_of(gql, "org-cimc", "2027-02-03")
    assert late["sleeping"]["lastInteractionAt"].startswith("2026-11-05")
    assert late["sleeping"]["daysSinceLastInteraction"] == 90
    assert late["sleeping"]["escalateTo"] == "HEAD_OF_SALES"


async def test_profile_completeness_scores_and_flags(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    # 张晓梅 has name 10 + gender 5 + birthDate 10 + city 5 + region 5 = 35 points; she has
    # no grade, so she is non-compliant but not flagged.
    daughter = (await signals_of(gql, "p-zhang-xiaomei", "2026-11-01"))["profile"]
    assert (daughter["score"], daughter["threshold"]) == (35, 60)
    assert (daughter["compliant"], daughter["flagged"]) == (False, False)
    assert daughter["missingFields"] == [
        {"field": "phone", "points": 15},
        {"field": "email", "points": 10},
        {"field": "homeAddress", "points": 10},
        {"field": "occupation", "points": 10},
        {"field": "preferredChannel", "points": 10},
        {"field": "preferredTime", "points": 5},
        {"field": "source", "points": 5},
    ]
    # 华盛北京分公司 (grade 3): name 10 + orgType 5 + industry 15 + region 10 + city 5 +
    # employees 10 = 55 < 60, and grade 3+ below the threshold is flagged to managers.
    branch = (await signals_of(gql, "org-huasheng-bj", "2026-11-01"))["profile"]
    assert (branch["score"], branch["compliant"], branch["flagged"]) == (55, False, True)
    # 张翠山's profile is complete.
    full = (await signals_of(gql, "p-zhang-cuishan", "2026-11-01"))["profile"]
    assert (full["score"], full["missingFields"], full["compliant"]) == (100, [], True)


async def test_sleeping_window_is_configurable(db: Database, neo4j_uri: str) -> None:
    await db.demo()
    # One document reviews every 45 days: then 张翠山 sleeps on 2026-09-26 (day 45).
    live = LiveServer(
        settings_for(neo4j_uri, sleeping_days=45, sleeping_escalation_days=60)
    ).start()
    try:
        gql = GraphQLClient(live.url)
        day45 = (await signals_of(gql, "p-zhang-cuishan", "2026-09-26"))["sleeping"]
    finally:
        live.stop()
    assert (day45["daysSinceLastInteraction"], day45["sleeping"], day45["windowDays"]) == (
        45,
        True,
        45,
    )


# ----- pagination -----

INTERACTIONS = """
query ($id: ID!, $first: Int, $after: String) {
  party(id: $id) {
    id
    interactions(first: $first, after: $after) {
      totalCount
      edges { cursor node { id at kind reps { id } opportunity { id } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


def interaction_graph() -> dict[str, Any]:
    """Seven interactions with one person; two pairs share a timestamp."""
    at = [
        ("i-a", "2026-01-01T09:00:00Z"),
        ("i-b", "2026-03-01T09:00:00Z"),
        ("i-c", "2026-03-01T09:00:00Z"),  # same time as i-b: ties go by id
        ("i-d", "2026-02-01T09:00:00Z"),
        ("i-e", "2026-05-01T09:00:00Z"),
        ("i-f", "2026-04-01T09:00:00Z"),
        ("i-g", "2026-04-01T09:00:00Z"),
    ]
    return {
        "people": [{"id": "p-x", "name": "甲"}],
        "reps": [{"id": "rep-1", "name": "Rep One"}],
        "interactions": [
            {"id": i, "kind": "CALL", "at": t, "partyIds": ["p-x"], "repIds": ["rep-1"]}
            for i, t in at
        ],
    }


# Newest first, ties by id: e (05-01), f and g (04-01), b and c (03-01), d (02-01), a.
EXPECTED_ORDER = ["i-e", "i-f", "i-g", "i-b", "i-c", "i-d", "i-a"]


async def page_through(
    gql: GraphQLClient, query: str, variables: dict[str, Any], path: list[str], first: int
) -> list[dict[str, Any]]:
    pages = []
    after = None
    while True:
        body = await gql(query, {**variables, "first": first, "after": after})
        conn: Any = data_of(body)
        for key in path:
            conn = conn[key]
        pages.append(conn)
        if not conn["pageInfo"]["hasNextPage"]:
            return pages
        after = conn["pageInfo"]["endCursor"]
        assert len(pages) < 20, "pagination does not end"


async def test_interactions_paginate_newest_first_across_pages(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(interaction_graph(), tmp_path)
    pages = await page_through(gql, INTERACTIONS, {"id": "p-x"}, ["party", "interactions"], 3)
    assert [len(p["edges"]) for p in pages] == [3, 3, 1]
    assert [e["node"]["id"] for p in pages for e in p["edges"]] == EXPECTED_ORDER
    assert all(p["totalCount"] == 7 for p in pages)
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True, True]
    for p in pages:
        assert p["pageInfo"]["startCursor"] == p["edges"][0]["cursor"]
        assert p["pageInfo"]["endCursor"] == p["edges"][-1]["cursor"]
    assert pages[0]["edges"][0]["node"]["reps"] == [{"id": "rep-1"}]


async def test_a_cursor_still_continues_after_a_new_interaction_arrives(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(interaction_graph(), tmp_path)
    first = data_of(await gql(INTERACTIONS, {"id": "p-x", "first": 3}))["party"]["interactions"]
    # A newer interaction arrives between two page requests: the next page neither repeats
    # nor skips anything (the cursor holds the position, not an offset).
    await db.load(
        {
            "interactions": [
                {"id": "i-new", "kind": "VISIT", "at": "2026-06-01T00:00:00Z", "partyIds": ["p-x"]}
            ]
        },
        tmp_path,
        clear=False,
    )
    after = first["pageInfo"]["endCursor"]
    rest = data_of(await gql(INTERACTIONS, {"id": "p-x", "first": 10, "after": after}))
    nodes = [e["node"]["id"] for e in rest["party"]["interactions"]["edges"]]
    assert nodes == EXPECTED_ORDER[3:]
    assert rest["party"]["interactions"]["totalCount"] == 8


PEOPLE = """
query ($id: ID!, $first: Int, $after: String) {
  party(id: $id) {
    ... on Organization {
      people(first: $first, after: $after, includeSubsidiaries: true) {
        totalCount
        edges { cursor node { id name } organization { id } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }
}
"""


async def test_people_paginate_by_name_across_pages_and_branches(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    people = [{"id": f"p-{i:02d}", "name": f"Person {i % 4}"} for i in range(10)]
    await db.load(
        {
            "organizations": [
                {"id": "o-top", "name": "Top"},
                {"id": "o-br", "name": "Branch", "parentId": "o-top"},
            ],
            "people": people,
            "employment": [
                {"personId": p["id"], "organizationId": "o-top" if i < 6 else "o-br"}
                for i, p in enumerate(people)
            ],
        },
        tmp_path,
    )
    pages = await page_through(gql, PEOPLE, {"id": "o-top"}, ["party", "people"], 4)
    assert [len(p["edges"]) for p in pages] == [4, 4, 2]
    got = [e["node"]["id"] for p in pages for e in p["edges"]]
    # By name, then id: names repeat every 4 people ("Person 0" is p-00, p-04, p-08).
    expected = sorted((p["name"], p["id"]) for p in people)
    assert got == [pid for _, pid in expected]
    assert pages[0]["totalCount"] == 10


async def test_page_size_and_cursor_are_checked(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    for first in (0, 101):
        body = await gql(INTERACTIONS, {"id": "org-cimc", "first": first})
        assert error_codes(body) == ["INVALID_INPUT"]
        ext = body["errors"][0]["extensions"]
        assert (ext["field"], ext["value"]) == ("first", first)
        assert body["errors"][0]["path"] == ["party", "interactions"]
        # The rest of the view is still served.
        assert body["data"]["party"]["id"] == "org-cimc"
    body = await gql(INTERACTIONS, {"id": "org-cimc", "after": "not-a-cursor"})
    assert error_codes(body) == ["INVALID_INPUT"]
    # Every error also carries the request id (README "Logs and request ids").
    assert body["errors"][0]["extensions"].pop("requestId")
    assert body["errors"][0]["extensions"] == {
        "code": "INVALID_INPUT",
        "field": "after",
        "value": "not-a-cursor",
    }
    # A cursor of another connection (the organization's people) is refused too.
    people = data_of(await gql(PEOPLE, {"id": "org-cimc", "first": 1}))["party"]["people"]
    body = await gql(INTERACTIONS, {"id": "org-cimc", "after": people["pageInfo"]["endCursor"]})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_a_too_deep_query_is_refused(gql: GraphQLClient) -> None:
    nested = "id"
    for _ in range(13):
        nested = f"managers {{ {nested} }}"
    body = await gql(f'{{ party(id: "p-sun-wei") {{ ... on Person {{ {nested} }} }} }}')
    # party, then 13 levels of managers: 14 levels with a selection.
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    ext = body["errors"][0]["extensions"]
    assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_DEPTH", 12, 14)
    assert "GRAPH_API_MAX_DEPTH = 12" in body["errors"][0]["message"]
