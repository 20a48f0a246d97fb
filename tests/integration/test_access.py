"""Authorization over real HTTP: what each role sees, on a hand-made graph of two teams.

The graph (every rule of graph_api/domain/access.py has a case):

    org-g  Gamma Holdings (group, no team)          holds CREDIT
      └─ org-a  Alpha Group  <- team-a's account
           └─ org-a-br  Alpha Branch
    org-b  Beta Private Office, CONFIDENTIAL  <- team-b's account
    org-x  Xeno Consulting (no team; rep-a1 covers the organization itself)

    team-a: rep-a1, rep-a2 (members), rep-m1 (manages it; a1 and a2 report to m1);
            accounts org-a and the person pa-retail
    team-b: rep-b1 (member), rep-m2 (manages it; b1 reports to m2); account org-b

    pa-ceo "Zhang Wei" CEO of org-a (decides); pa-cfo reports to him; pa-secret
      (CONFIDENTIAL) works for org-a too; pa-br works for org-a-br, reports to pa-cfo
    pa-spouse "Zhang Spouse": pa-ceo's spouse, holds LIFE
    pa-retail: a person account of team-a, with a home address
    pb-vip "Zhang Vip" (CONFIDENTIAL) CEO of org-b: knows pa-ceo (.95), pa-cfo (.9) and
      pa-br (.9), influences pa-ceo (.9), has a buying role on org-a; rep-b1 covers him (.9)
    pb-staff works for org-b; org-b has the opportunity opp-b "Beta mandate"
    an interaction i-lunch with pa-ceo and pb-vip, about opp-b
    px works for org-x, has a buying role on org-a
    pd, pc (CONFIDENTIAL) work for org-x; rep-a1 covers both; rep-a1 covers pa-ceo (.8)

What follows, per viewer (derived by hand from the rules):

    rep-a1: visible org-a, org-a-br, org-x, pa-retail, pa-ceo, pa-cfo, pa-secret, pa-br, pd,
            px, pa-spouse; sensitive open: pa-retail, pa-ceo, pd.
            Not: org-g, org-b, pb-vip, pb-staff, pc (confidential, covered but not teamed).
    rep-a2: visible org-a, org-a-br, pa-retail, pa-ceo, pa-cfo, pa-secret, pa-br, px;
            sensitive open: pa-retail only.
    rep-m1 (manager of a1, a2): what a1 and a2 see together; sensitive as a1.
    rep-b1: org-b, pb-vip, pb-staff; sensitive: pb-vip.
    rep-none (no such Rep node): nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio

from graph_api.domain.access import SENSITIVE_PERSON_FIELDS
from tests.conftest import Database, LiveServer, data_of, error_codes
from tests.principals import Caller, as_key

PRODUCTS = [
    {"id": "LIFE", "name": "Life insurance", "line": "INSURANCE", "segment": "RETAIL"},
    {"id": "CREDIT", "name": "Corporate credit", "line": "CREDIT", "segment": "CORPORATE"},
    {"id": "PRIVATE", "name": "Private banking", "line": "WEALTH", "segment": "RETAIL"},
]

GRAPH: dict[str, Any] = {
    "products": PRODUCTS,
    "organizations": [
        {"id": "org-g", "name": "Gamma Holdings", "orgType": "GROUP"},
        {"id": "org-a", "name": "Alpha Group", "orgType": "HEAD_OFFICE", "parentId": "org-g"},
        {"id": "org-a-br", "name": "Alpha Branch", "orgType": "BRANCH", "parentId": "org-a"},
        {"id": "org-b", "name": "Beta Private Office", "confidential": True},
        {"id": "org-x", "name": "Xeno Consulting"},
    ],
    "people": [
        {
            "id": "pa-ceo",
            "name": "Zhang Wei",
            "homeAddress": "1 Alpha Road",
            "phone": "+86 111",
            "email": "wei@alpha.example",
            "birthDate": "1970-01-02",
        },
        {"id": "pa-cfo", "name": "Li Alpha", "homeAddress": "3 Alpha Road"},
        {"id": "pa-secret", "name": "Secret Alpha", "confidential": True},
        {"id": "pa-br", "name": "Wang Branch"},
        {"id": "pa-spouse", "name": "Zhang Spouse", "homeAddress": "1 Alpha Road"},
        {"id": "pa-retail", "name": "Retail Client", "homeAddress": "2 Retail Street"},
        {"id": "pb-vip", "name": "Zhang Vip", "confidential": True, "phone": "+86 999"},
        {"id": "pb-staff", "name": "Beta Staff"},
        {"id": "px", "name": "Xeno Adviser"},
        {"id": "pd", "name": "Direct Contact", "phone": "+86 444"},
        {"id": "pc", "name": "Confidential Contact", "confidential": True},
    ],
    "reps": [
        {"id": "rep-m1", "name": "Manager One", "role": "MANAGER"},
        {"id": "rep-m2", "name": "Manager Two", "role": "MANAGER"},
        {"id": "rep-a1", "name": "Rep A1", "role": "AE", "managerId": "rep-m1"},
        {"id": "rep-a2", "name": "Rep A2", "role": "SR", "managerId": "rep-m1"},
        {"id": "rep-b1", "name": "Rep B1", "role": "AE", "managerId": "rep-m2"},
    ],
    "accountTeams": [
        {"id": "team-a", "name": "Alpha team", "managerId": "rep-m1"},
        {"id": "team-b", "name": "Beta team", "managerId": "rep-m2"},
    ],
    "teamMembers": [
        {"teamId": "team-a", "repId": "rep-a1", "role": "AE"},
        {"teamId": "team-a", "repId": "rep-a2", "role": "SR"},
        {"teamId": "team-b", "repId": "rep-b1", "role": "AE"},
    ],
    "teamAccounts": [
        {"teamId": "team-a", "partyId": "org-a"},
        {"teamId": "team-a", "partyId": "pa-retail"},
        {"teamId": "team-b", "partyId": "org-b"},
    ],
    "employment": [
        {"personId": "pa-ceo", "organizationId": "org-a", "title": "CEO", "primary": True},
        {"personId": "pa-cfo", "organizationId": "org-a", "title": "CFO", "primary": True},
        {"personId": "pa-secret", "organizationId": "org-a", "title": "Adviser"},
        {"personId": "pa-br", "organizationId": "org-a-br", "title": "Branch head"},
        {"personId": "pb-vip", "organizationId": "org-b", "title": "CEO", "primary": True},
        {"personId": "pb-staff", "organizationId": "org-b", "title": "Clerk"},
        {"personId": "px", "organizationId": "org-x", "title": "Consultant"},
        {"personId": "pd", "organizationId": "org-x", "title": "Partner"},
        {"personId": "pc", "organizationId": "org-x", "title": "Partner"},
    ],
    "reporting": [
        {"personId": "pa-cfo", "managerId": "pa-ceo"},
        {"personId": "pa-secret", "managerId": "pa-ceo"},
        {"personId": "pa-br", "managerId": "pa-cfo"},
    ],
    "family": [{"fromId": "pa-ceo", "toId": "pa-spouse", "kind": "SPOUSE"}],
    "holdings": [
        {"id": "h-life", "partyId": "pa-spouse", "productId": "LIFE", "status": "ACTIVE"},
        {"id": "h-credit", "partyId": "org-g", "productId": "CREDIT", "status": "ACTIVE"},
        {"id": "h-private", "partyId": "pb-vip", "productId": "PRIVATE", "status": "ACTIVE"},
    ],
    "buyingRoles": [
        {"personId": "pa-ceo", "accountId": "org-a", "role": "DECISION_MAKER"},
        {"personId": "px", "accountId": "org-a", "role": "INFLUENCER"},
        {"personId": "pb-vip", "accountId": "org-a", "role": "INFLUENCER"},
    ],
    "influence": [{"fromId": "pb-vip", "toId": "pa-ceo", "strength": 0.9}],
    "opportunities": [
        {"id": "opp-b", "name": "Beta mandate", "accountId": "org-b", "stage": "QUALIFIED"}
    ],
    "interactions": [
        {
            "id": "i-lunch",
            "kind": "MEETING",
            "at": "2026-01-05T12:00:00Z",
            "subject": "lunch",
            "partyIds": ["pa-ceo", "pb-vip"],
            "repIds": ["rep-a1"],
            "opportunityId": "opp-b",
        }
    ],
    "acquaintance": [
        {"fromId": "pa-ceo", "toId": "pb-vip", "strength": 0.95},
        {"fromId": "pa-cfo", "toId": "pb-vip", "strength": 0.9},
        {"fromId": "pa-br", "toId": "pb-vip", "strength": 0.9},
    ],
    "coverage": [
        {"repId": "rep-a1", "personId": "pa-ceo", "strength": 0.8},
        {"repId": "rep-a1", "personId": "pd", "strength": 0.6},
        {"repId": "rep-a1", "personId": "pc", "strength": 0.7},
        {"repId": "rep-a1", "personId": "org-x", "strength": 0.5},
        {"repId": "rep-b1", "personId": "pb-vip", "strength": 0.9},
    ],
}

EVERY_PARTY = {p["id"] for p in GRAPH["people"]} | {o["id"] for o in GRAPH["organizations"]}
VISIBLE = {
    "rep-a1": {
        *("org-a", "org-a-br", "org-x", "pa-retail", "pa-ceo", "pa-cfo", "pa-secret"),
        *("pa-br", "pd", "px", "pa-spouse"),
    },
    "rep-a2": {
        *("org-a", "org-a-br", "pa-retail", "pa-ceo", "pa-cfo", "pa-secret", "pa-br", "px"),
    },
    "rep-b1": {"org-b", "pb-vip", "pb-staff"},
    "rep-none": set(),
}
VISIBLE["manager"] = VISIBLE["rep-a1"] | VISIBLE["rep-a2"]
VISIBLE["admin"] = EVERY_PARTY
SENSITIVE = {
    "rep-a1": {"pa-retail", "pa-ceo", "pd"},
    "rep-a2": {"pa-retail"},
    "manager": {"pa-retail", "pa-ceo", "pd"},
    "rep-b1": {"pb-vip"},
    "rep-none": set(),
}

PARTY = """
query ($id: ID!) {
  party(id: $id) {
    id name masked
    ... on Person { homeAddress phone email birthDate }
  }
}
"""


@pytest_asyncio.fixture
async def graph(db: Database, tmp_path: Path) -> None:
    # Imported once for the module's read-only tests; the one test that writes marks it dirty.
    await db.shared(GRAPH, tmp_path)


def caller(server: LiveServer, who: str) -> Caller:
    return as_key(server.url, who)


def text_of(body: dict[str, Any]) -> str:
    # Every answer has its own request id (extensions.requestId): not part of the comparison.
    for error in body.get("errors") or []:
        (error.get("extensions") or {}).pop("requestId", None)
    return orjson.dumps(body).decode()


def hidden_from(who: str) -> set[str]:
    return EVERY_PARTY - VISIBLE[who]


def names_of(ids: set[str]) -> set[str]:
    people = GRAPH["people"] + GRAPH["organizations"]
    return {p["name"] for p in people if p["id"] in ids}


def assert_reveals_none(body: dict[str, Any], who: str) -> None:
    """Neither the id nor the name of any party hidden from `who` appears in the answer."""
    text = text_of(body)
    hidden = hidden_from(who)
    for needle in {f'"{x}"' for x in hidden} | names_of(hidden):
        assert needle not in text, f"{who} was shown {needle}: {text[:400]}"


# ----- party(id): who sees whom, the same answer as for an unknown id -----


@pytest.mark.parametrize("who", ["admin", "manager", "rep-a1", "rep-a2", "rep-b1", "rep-none"])
async def test_each_role_sees_exactly_its_parties(
    graph: None, production: LiveServer, who: str
) -> None:
    ask = caller(production, who)
    seen = set()
    for party_id in sorted(EVERY_PARTY):
        body = await ask(PARTY, {"id": party_id})
        if body["data"]["party"] is not None:
            seen.add(party_id)
        else:
            assert error_codes(body) == ["NOT_FOUND"], body
    assert seen == VISIBLE[who]


async def test_an_invisible_party_looks_like_an_unknown_one(
    graph: None, production: LiveServer
) -> None:
    ask = caller(production, "rep-a1")
    hidden = await ask(PARTY, {"id": "pb-vip"})
    unknown = await ask(PARTY, {"id": "pb-none"})
    assert text_of(hidden).replace("pb-vip", "X") == text_of(unknown).replace("pb-none", "X")


async def test_confidential_parties_only_to_their_team_and_admins(
    graph: None, production: LiveServer
) -> None:
    # pb-vip and org-b: team-b's. rep-a1 has pb-vip in three other ways (a buying role on
    # his account, acquaintance, influence), and still does not see him.
    for who, sees in [("rep-b1", True), ("admin", True), ("rep-a1", False), ("manager", False)]:
        body = await caller(production, who)(PARTY, {"id": "pb-vip"})
        assert (body["data"]["party"] is not None) is sees, who
    # pa-secret: team-a's, so its members and their manager see it, team-b does not.
    for who, sees in [("rep-a2", True), ("manager", True), ("rep-b1", False)]:
        body = await caller(production, who)(PARTY, {"id": "pa-secret"})
        assert (body["data"]["party"] is not None) is sees, who
    # pc is covered by rep-a1 directly, but is confidential and not on team-a's accounts.
    body = await caller(production, "rep-a1")(PARTY, {"id": "pc"})
    assert error_codes(body) == ["NOT_FOUND"]


# ----- masking -----


@pytest.mark.parametrize("who", ["admin", "manager", "rep-a1", "rep-a2", "rep-b1"])
async def test_sensitive_fields_are_masked_unless_open(
    graph: None, production: LiveServer, who: str
) -> None:
    ask = caller(production, who)
    people = {p["id"]: p for p in GRAPH["people"]}
    for person_id in sorted(VISIBLE[who] & people.keys()):
        party = data_of(await ask(PARTY, {"id": person_id}))["party"]
        stored = people[person_id]
        if who == "admin" or person_id in SENSITIVE[who]:
            assert party["masked"] == []
            assert party["homeAddress"] == stored.get("homeAddress")
            assert party["phone"] == stored.get("phone")
        else:
            assert party["masked"] == list(SENSITIVE_PERSON_FIELDS), (who, person_id)
            assert (party["homeAddress"], party["phone"], party["email"], party["birthDate"]) == (
                None,
                None,
                None,
                None,
            )


PROFILE = """
query ($id: ID!) {
  party(id: $id) {
    signals(asOf: "2026-11-01") {
      profile {
        score compliant flagged missingFields { field points } maskedFields { field points }
      }
    }
  }
}
"""


async def test_profile_completeness_tells_nothing_of_masked_fields(
    graph: None, production: LiveServer
) -> None:
    # pa-ceo has name 10 + phone 15 + email 10 + homeAddress 10 + birthDate 10 = 55 points,
    # pa-cfo name 10 + homeAddress 10 = 20; both below 60, neither graded (not flagged).
    # Both are masked for rep-a2: each gets name 10 as the score, the same visible missing
    # fields (occupation 10, preferredChannel 10, then the 5s by name: city, gender,
    # preferredTime, region, source; 50 points) and the four masked fields with their 45
    # points. Before, pa-cfo's missing list named phone, email and birthDate but not
    # homeAddress: it told which masked fields were filled.
    visible_missing = [
        {"field": "occupation", "points": 10},
        {"field": "preferredChannel", "points": 10},
        *(
            {"field": f, "points": 5}
            for f in ("city", "gender", "preferredTime", "region", "source")
        ),
    ]
    masked = [
        {"field": "phone", "points": 15},
        *({"field": f, "points": 10} for f in ("birthDate", "email", "homeAddress")),
    ]
    a2 = caller(production, "rep-a2")
    for person_id in ("pa-ceo", "pa-cfo"):
        profile = data_of(await a2(PROFILE, {"id": person_id}))["party"]["signals"]["profile"]
        assert profile == {
            "score": 10,
            "compliant": False,
            "flagged": False,
            "missingFields": visible_missing,
            "maskedFields": masked,
        }, person_id
    # rep-a1 sees pa-ceo's sensitive fields: the whole record, nothing masked.
    profile = data_of(await caller(production, "rep-a1")(PROFILE, {"id": "pa-ceo"}))
    profile = profile["party"]["signals"]["profile"]
    assert (profile["score"], profile["maskedFields"]) == (55, [])
    assert profile["missingFields"] == visible_missing
    # The admin sees pa-cfo's: phone, birthDate and email missing, homeAddress filled.
    profile = data_of(await caller(production, "admin")(PROFILE, {"id": "pa-cfo"}))
    profile = profile["party"]["signals"]["profile"]
    assert (profile["score"], profile["maskedFields"]) == (20, [])
    assert profile["missingFields"][:4] == [masked[0], masked[1], masked[2], visible_missing[0]]


HOUSEHOLD = """
query ($id: ID!) {
  party(id: $id) {
    masked
    ... on Person {
      household { person { id homeAddress masked } relation }
      holdings { product { id } }
      householdHoldings { holder { id } product { id } }
    }
  }
}
"""


async def test_family_links_and_personal_holdings_are_sensitive(
    graph: None, production: LiveServer
) -> None:
    # rep-a1 covers pa-ceo: his household is open; his spouse's own fields and holdings are
    # not (she is visible as his family, not covered), so the household's holdings are his.
    party = data_of(await caller(production, "rep-a1")(HOUSEHOLD, {"id": "pa-ceo"}))["party"]
    assert party["masked"] == []
    assert party["household"] == [
        {
            "person": {
                "id": "pa-spouse",
                "homeAddress": None,
                "masked": list(SENSITIVE_PERSON_FIELDS),
            },
            "relation": "SPOUSE",
        }
    ]
    assert party["householdHoldings"] == []
    spouse = data_of(await caller(production, "rep-a1")(HOUSEHOLD, {"id": "pa-spouse"}))["party"]
    assert (spouse["household"], spouse["holdings"]) == ([], [])
    # rep-a2 sees pa-ceo as an employee of the account: no family links at all.
    party = data_of(await caller(production, "rep-a2")(HOUSEHOLD, {"id": "pa-ceo"}))["party"]
    assert (party["household"], party["householdHoldings"]) == ([], [])
    assert "household" in party["masked"]
    # The admin sees the spouse's life insurance in the household.
    party = data_of(await caller(production, "admin")(HOUSEHOLD, {"id": "pa-ceo"}))["party"]
    assert party["householdHoldings"] == [
        {"holder": {"id": "pa-spouse"}, "product": {"id": "LIFE"}}
    ]


# ----- the nested view -----

VIEW = """
query ($id: ID!) {
  party(id: $id) {
    id
    relationships { kind party { id } }
    interactions(first: 5) { totalCount edges { node { id opportunity { id name } } } }
    accountTeams { id account { id } }
    ... on Person { employments { organization { id } } managers { id } directReports { id } }
    ... on Organization {
      ancestors { id } children { id }
      people(first: 10, includeSubsidiaries: true) {
        totalCount edges { node { id name homeAddress } organization { id } }
      }
    }
  }
}
"""


async def test_nested_view_parts_drop_hidden_parties(graph: None, production: LiveServer) -> None:
    a1 = caller(production, "rep-a1")
    admin = caller(production, "admin")

    ceo = data_of(await a1(VIEW, {"id": "pa-ceo"}))["party"]
    assert ceo["relationships"] == []  # pb-vip knows and influences him: hidden
    everything = data_of(await admin(VIEW, {"id": "pa-ceo"}))["party"]
    assert {r["party"]["id"] for r in everything["relationships"]} == {"pb-vip"}
    assert ceo["directReports"] == [{"id": "pa-cfo"}, {"id": "pa-secret"}]
    # The lunch with pb-vip was about team-b's opportunity: the meeting shows, not the deal.
    assert ceo["interactions"]["edges"] == [{"node": {"id": "i-lunch", "opportunity": None}}]
    assert everything["interactions"]["edges"] == [
        {"node": {"id": "i-lunch", "opportunity": {"id": "opp-b", "name": "Beta mandate"}}}
    ]

    branch = data_of(await a1(VIEW, {"id": "org-a-br"}))["party"]
    assert branch["ancestors"] == [{"id": "org-a"}]  # not the group org-g
    assert branch["accountTeams"] == [{"id": "team-a", "account": {"id": "org-a"}}]
    everything = data_of(await admin(VIEW, {"id": "org-a-br"}))["party"]
    assert everything["ancestors"] == [{"id": "org-a"}, {"id": "org-g"}]

    # org-x is visible to rep-a1 (he covers it), pc working there is not: pages and totals
    # hold the visible people only.
    xeno = data_of(await a1(VIEW, {"id": "org-x"}))["party"]
    assert xeno["people"]["totalCount"] == 2
    assert [e["node"]["id"] for e in xeno["people"]["edges"]] == ["pd", "px"]
    assert data_of(await admin(VIEW, {"id": "org-x"}))["party"]["people"]["totalCount"] == 3
    # pd works for org-x, which rep-a2 does not see.
    direct = data_of(await a1(VIEW, {"id": "pd"}))["party"]
    assert direct["employments"] == [{"organization": {"id": "org-x"}}]
    for who in ("rep-a1", "rep-a2"):
        for party_id in sorted(VISIBLE[who]):
            assert_reveals_none(await caller(production, who)(VIEW, {"id": party_id}), who)


@pytest.mark.parametrize("who", ["manager", "rep-a1", "rep-a2", "rep-b1"])
async def test_the_view_as_of_a_day_is_masked_as_today(
    graph: None, production: LiveServer, who: str
) -> None:
    # No link of GRAPH has a period: each held on 2026-06-01 as today, and the only
    # interaction (2026-01-05) is older. So the view as of that day (view.parties_asof) is
    # today's, parties hidden and fields masked alike, for every party the viewer sees.
    def dated(query: str) -> str:
        return query.replace("party(id: $id)", 'party(id: $id, asOf: "2026-06-01")')

    ask = caller(production, who)
    for party_id in sorted(VISIBLE[who]):
        for query in (PARTY, HOUSEHOLD, VIEW):
            then = await ask(dated(query), {"id": party_id})
            assert text_of(then) == text_of(await ask(query, {"id": party_id})), party_id
            assert_reveals_none(then, who)
    for party_id in sorted(hidden_from(who))[:3]:
        assert error_codes(await ask(dated(PARTY), {"id": party_id})) == ["NOT_FOUND"]


# ----- search -----

SEARCH = """
query ($text: String!) {
  search(text: $text, first: 10) { totalCount edges { node { id ... on Person { phone } } } }
}
"""


@pytest.mark.parametrize(
    ("who", "found"),
    [
        ("admin", ["pa-ceo", "pa-spouse", "pb-vip"]),
        ("manager", ["pa-ceo", "pa-spouse"]),
        ("rep-a1", ["pa-ceo", "pa-spouse"]),
        ("rep-a2", ["pa-ceo"]),
        ("rep-b1", ["pb-vip"]),
        ("rep-none", []),
    ],
)
async def test_search_finds_and_counts_visible_parties_only(
    graph: None, production: LiveServer, who: str, found: list[str]
) -> None:
    body = await caller(production, who)(SEARCH, {"text": "Zhang"})
    result = data_of(body)["search"]
    assert result["totalCount"] == len(found)
    assert sorted(e["node"]["id"] for e in result["edges"]) == found
    assert_reveals_none(body, who)


async def test_search_results_are_masked_too(graph: None, production: LiveServer) -> None:
    edges = data_of(await caller(production, "rep-a2")(SEARCH, {"text": "Zhang"}))["search"]
    assert edges["edges"] == [{"node": {"id": "pa-ceo", "phone": None}}]


# ----- org chart, key deciders, assessment -----

CHART = """
query ($id: ID!) {
  orgChart(organizationId: $id, depth: 5, includeInfluence: true) {
    nodes { id external person { id homeAddress } organization { id } }
    edges { source target type }
    subCharts { organization { id } parentId nodeIds }
  }
}
"""


async def test_org_chart_without_hidden_influencers(graph: None, production: LiveServer) -> None:
    admin = data_of(await caller(production, "admin")(CHART, {"id": "org-a"}))["orgChart"]
    assert {n["id"] for n in admin["nodes"] if n["external"]} == {"pb-vip"}
    body = await caller(production, "rep-a1")(CHART, {"id": "org-a"})
    chart = data_of(body)["orgChart"]
    assert {n["id"] for n in chart["nodes"]} == {"pa-ceo", "pa-cfo", "pa-secret", "pa-br"}
    assert [s["organization"]["id"] for s in chart["subCharts"]] == ["org-a-br"]
    assert {(e["source"], e["target"]) for e in chart["edges"]} == {
        ("pa-cfo", "pa-ceo"),
        ("pa-secret", "pa-ceo"),
        ("pa-br", "pa-cfo"),
    }
    assert_reveals_none(body, "rep-a1")
    # rep-a2 gets the same chart with the CEO's home address masked.
    chart = data_of(await caller(production, "rep-a2")(CHART, {"id": "org-a"}))["orgChart"]
    assert {n["person"]["homeAddress"] for n in chart["nodes"]} == {None}
    for who, org in [("rep-a1", "org-b"), ("rep-a1", "org-g"), ("rep-b1", "org-a")]:
        body = await caller(production, who)(CHART, {"id": org})
        assert error_codes(body) == ["NOT_FOUND"], (who, org)


DECIDERS = """
query ($id: ID!) {
  keyDeciders(accountId: $id, limit: 20) {
    person { id name } listenedToBy listensTo managerIds explanation
    coverage { rep { id } }
  }
  decisionAssessment(accountId: $id) {
    supportAnswer coverageAnswer
    decisionLayer { decider { person { id } } }
    risks { message personId viaIds }
  }
}
"""


async def test_key_deciders_rank_what_the_viewer_sees(graph: None, production: LiveServer) -> None:
    admin = data_of(await caller(production, "admin")(DECIDERS, {"id": "org-a"}))
    assert "pb-vip" in {k["person"]["id"] for k in admin["keyDeciders"]}
    body = await caller(production, "rep-a1")(DECIDERS, {"id": "org-a"})
    ranked = data_of(body)["keyDeciders"]
    assert {k["person"]["id"] for k in ranked} == {"pa-ceo", "pa-cfo", "pa-secret", "px"}
    ceo = next(k for k in ranked if k["person"]["id"] == "pa-ceo")
    assert ceo["listensTo"] == []
    assert_reveals_none(body, "rep-a1")
    body = await caller(production, "rep-b1")(DECIDERS, {"id": "org-a"})
    assert error_codes(body) == ["NOT_FOUND", "NOT_FOUND"]


# ----- paths -----

PATHS = """
query ($from: ID!, $to: ID!, $target: ID!) {
  relationshipPath(fromId: $from, toId: $to, limit: 5) { weight nodes { id label } }
  warmIntroductions(targetId: $target, limit: 5) { weight nodes { id label } }
}
"""


def sequences(paths: list[dict[str, Any]]) -> list[list[str]]:
    return [[n["id"] for n in p["nodes"]] for p in paths]


async def test_paths_never_pass_through_hidden_parties(graph: None, production: LiveServer) -> None:
    ends = {"from": "pa-cfo", "to": "pa-br", "target": "pa-ceo"}
    admin = data_of(await caller(production, "admin")(PATHS, ends))
    # pa-cfo knows pb-vip (.9) who knows pa-br (.9): .81 beats pa-br reporting to her (.7).
    assert sequences(admin["relationshipPath"])[:2] == [
        ["pa-cfo", "pb-vip", "pa-br"],
        ["pa-cfo", "pa-br"],
    ]
    # rep-b1 covers pb-vip (.9), who knows pa-ceo (.95): .855; rep-a1 covers pa-ceo (.8).
    # With the lunch of 2026-01-05 (329.5 days before the tests' strength clock,
    # docs/ANALYTICS.md "Earned strength"): pa-ceo and pb-vip were in it (A = 2^(-329.5/90)
    # = .0791, earned .0733: .95 -> .9537); rep-a1 met both (one-way: A = .0593, earned
    # .0560: .8 -> .8112, and an earned-only link to pb-vip, .0560 x .9537 = .053, the
    # admin's third introduction; rep-a1 never sees it below: pb-vip is hidden from him).
    assert sequences(admin["warmIntroductions"]) == [
        ["rep-b1", "pb-vip", "pa-ceo"],
        ["rep-a1", "pa-ceo"],
        ["rep-a1", "pb-vip", "pa-ceo"],
    ]
    body = await caller(production, "rep-a1")(PATHS, ends)
    mine = data_of(body)
    # Without pb-vip: pa-br reports to her (.7); pa-ceo is pa-br's skip-level manager (.4):
    # .7 x .4 = .28; pa-secret is her teammate under pa-ceo (.5), reports to him (.7):
    # .5 x .7 x .4 = .14. (org-a is not passed through.)
    assert sequences(mine["relationshipPath"]) == [
        ["pa-cfo", "pa-br"],
        ["pa-cfo", "pa-ceo", "pa-br"],
        ["pa-cfo", "pa-secret", "pa-ceo", "pa-br"],
    ]
    assert [p["weight"] for p in mine["relationshipPath"]] == pytest.approx([0.7, 0.28, 0.14])
    assert sequences(mine["warmIntroductions"]) == [["rep-a1", "pa-ceo"]]
    assert_reveals_none(body, "rep-a1")


async def test_paths_to_hidden_parties_are_not_found(graph: None, production: LiveServer) -> None:
    body = await caller(production, "rep-a1")(
        PATHS, {"from": "pa-cfo", "to": "pb-vip", "target": "pb-vip"}
    )
    assert error_codes(body) == ["NOT_FOUND", "NOT_FOUND"]
    assert sorted(e["extensions"]["field"] for e in body["errors"]) == ["targetId", "toId"]


# ----- cross-sell -----

CROSS_SELL = """
query ($id: ID!, $exclude: CrossSellExclusion! = SELF) {
  crossSell(partyId: $id, limit: 10, exclude: $exclude) {
    excludedProducts { id }
    suggestions { product { id } kinds evidence { kind path { nodes { id label } } } }
  }
}
"""


def evidence_of(result: dict[str, Any]) -> set[tuple[str, str, tuple[str, ...]]]:
    return {
        (s["product"]["id"], e["kind"], tuple(n["id"] for n in e["path"]["nodes"]))
        for s in result["suggestions"]
        for e in s["evidence"]
    }


async def test_cross_sell_evidence_shows_no_hidden_party_or_holding(
    graph: None, production: LiveServer
) -> None:
    admin = caller(production, "admin")
    a1 = caller(production, "rep-a1")
    # Alpha Group: its parent Gamma Holdings holds corporate credit.
    group = data_of(await admin(CROSS_SELL, {"id": "org-a"}))["crossSell"]
    assert ("CREDIT", "GROUP", ("org-a", "org-g", "CREDIT")) in evidence_of(group)
    body = await a1(CROSS_SELL, {"id": "org-a"})
    assert not any("org-g" in path for _, _, path in evidence_of(data_of(body)["crossSell"]))
    assert_reveals_none(body, "rep-a1")
    # Zhang Wei: his spouse holds life insurance; rep-a1 sees her, not her holdings.
    household = data_of(await admin(CROSS_SELL, {"id": "pa-ceo"}))["crossSell"]
    assert ("LIFE", "HOUSEHOLD", ("pa-ceo", "pa-spouse", "LIFE")) in evidence_of(household)
    excluded = data_of(await admin(CROSS_SELL, {"id": "pa-ceo", "exclude": "HOUSEHOLD"}))
    assert excluded["crossSell"]["excludedProducts"] == [{"id": "LIFE"}]
    mine = data_of(await a1(CROSS_SELL, {"id": "pa-ceo"}))["crossSell"]
    assert not any(kind == "HOUSEHOLD" for _, kind, _ in evidence_of(mine))
    excluded = data_of(await a1(CROSS_SELL, {"id": "pa-ceo", "exclude": "HOUSEHOLD"}))
    assert excluded["crossSell"]["excludedProducts"] == []


async def test_cross_sell_needs_the_person_open_and_visible(
    graph: None, production: LiveServer
) -> None:
    body = await caller(production, "rep-a1")(CROSS_SELL, {"id": "pb-vip"})
    assert error_codes(body) == ["NOT_FOUND"]
    # rep-a2 sees pa-ceo with his personal holdings masked: offering him products would
    # tell what he holds.
    body = await caller(production, "rep-a2")(CROSS_SELL, {"id": "pa-ceo"})
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["extensions"]["field"] == "partyId"
    data_of(await caller(production, "rep-a2")(CROSS_SELL, {"id": "org-a"}))


# ----- writes follow the same rules -----

APPLY = """
mutation ($changes: [ChangeInput!]!) { applyChanges(changes: $changes) { __typename } }
"""
AUDIT = """
query ($id: ID!) {
  auditTrail(partyId: $id, first: 20) {
    totalCount edges { node { entity changes { field before after } } }
  }
}
"""


async def test_writes_follow_the_read_rules(
    graph: None, production: LiveServer, db: Database
) -> None:
    db.dirty()
    a1, a2 = caller(production, "rep-a1"), caller(production, "rep-a2")
    manager = caller(production, "manager")

    # A new person with the job that puts them in rep-a1's scope, in one transaction.
    hire = [
        {"createPerson": {"id": "pa-new", "name": "New Hire", "phone": "+86 555"}},
        {"setEmployment": {"personId": "pa-new", "organizationId": "org-a", "title": "CTO"}},
    ]
    data_of(await a1(APPLY, {"changes": hire}))
    assert data_of(await a2(PARTY, {"id": "pa-new"}))["party"]["name"] == "New Hire"

    # A party the rep does not see: NOT_FOUND, as when reading, and nothing is written.
    body = await a1(
        APPLY,
        {
            "changes": [
                {"setEmployment": {"personId": "pb-staff", "organizationId": "org-a", "title": "x"}}
            ]
        },
    )
    assert error_codes(body) == ["NOT_FOUND"]
    assert error_codes(await a1(PARTY, {"id": "pb-staff"})) == ["NOT_FOUND"]

    # Sensitive fields and family links only where they are open.
    update = {"updatePerson": {"id": "pa-ceo", "expectedVersion": 1, "homeAddress": "9 New Road"}}
    assert error_codes(await a2(APPLY, {"changes": [update]})) == ["FORBIDDEN"]
    family = {"setFamilyLink": {"fromId": "pa-ceo", "toId": "pa-cfo", "kind": "SIBLING"}}
    assert error_codes(await a2(APPLY, {"changes": [family]})) == ["FORBIDDEN"]
    data_of(await a1(APPLY, {"changes": [update]}))

    # Coverage decides what a rep sees: managers set it, for their own reps only.
    cover = {"setCoverage": {"repId": "rep-a2", "personId": "pa-cfo", "strength": 0.5}}
    assert error_codes(await a2(APPLY, {"changes": [cover]})) == ["FORBIDDEN"]
    other = {"setCoverage": {"repId": "rep-b1", "personId": "pa-cfo", "strength": 0.5}}
    assert error_codes(await manager(APPLY, {"changes": [other]})) == ["FORBIDDEN"]
    data_of(await manager(APPLY, {"changes": [cover]}))
    cfo = data_of(await a2(PARTY, {"id": "pa-cfo"}))["party"]
    assert (cfo["masked"], cfo["homeAddress"]) == ([], "3 Alpha Road")

    # The audit trail: the old and new home address for who may see them, null for others.
    def addresses(body: dict[str, Any]) -> list[tuple[Any, Any]]:
        edges = data_of(body)["auditTrail"]["edges"]
        return [
            (c["before"], c["after"])
            for e in edges
            for c in e["node"]["changes"]
            if c["field"] == "homeAddress"
        ]

    assert addresses(await a1(AUDIT, {"id": "pa-ceo"})) == [("1 Alpha Road", "9 New Road")]
    assert addresses(await a2(AUDIT, {"id": "pa-ceo"})) == [(None, None)]
    assert error_codes(await a1(AUDIT, {"id": "pb-vip"})) == ["NOT_FOUND"]

    # An entry a viewer may not see is not counted either: a family link of pa-ceo, whose
    # sensitive fields are masked for rep-a2 (the admin writes it), is in the admin's trail
    # and count only.
    data_of(await caller(production, "admin")(APPLY, {"changes": [family]}))
    mine = data_of(await caller(production, "admin")(AUDIT, {"id": "pa-ceo"}))["auditTrail"]
    theirs = data_of(await a2(AUDIT, {"id": "pa-ceo"}))["auditTrail"]
    assert "FAMILY" in [e["node"]["entity"] for e in mine["edges"]]
    assert "FAMILY" not in [e["node"]["entity"] for e in theirs["edges"]]
    assert mine["totalCount"] == len(mine["edges"])
    assert theirs["totalCount"] == len(theirs["edges"]) == mine["totalCount"] - 1
