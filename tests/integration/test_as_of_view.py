"""The 360° view as of a day (issue 14.2, `party(id, asOf)`, `parties(ids, asOf)`) on a
hand-made graph where one person's job, manager, reports, attitude and coverage changed on
2024-03-01 (CHANGE).

p-li worked at org-old as 分析师 and reported to p-m1 (p-r1 reporting to her) until CHANGE;
since CHANGE she works at org-new as 经理, reports to p-m2, p-r2 reports to her. rep-a
covered her (0.6) until CHANGE, rep-b (0.8) since. She is the APPROVER of opp-x (org-new's
open deal), NEUTRAL until CHANGE and SUPPORTER since. She knows p-k since CHANGE. Her spouse
p-s throughout. She holds h-old (since 2020-01-01) and h-new (since 2024-05-01). Interactions
with her: i-1 on 2024-01-15, i-2 on 2024-06-01 (no rep: no earned strength, so today's
coverage strength is the declared one). p-o works at org-new throughout; team-t covers
org-new, rep-a a member until CHANGE, rep-b since. org-new's event e-1 is dated 2024-04-01.

Derived by hand, for BEFORE = 2024-02-01 and AFTER = 2024-06-15:
- as of BEFORE: employments [(org-old, 分析师)], managers [p-m1], reports [p-r1], coverage
  [(rep-a, 0.6)], relationships [], household [p-s], holdings [h-old], 1 interaction (i-1),
  17 days since the last (2024-01-15 -> 2024-02-01); org-new: people [p-o], opp-x's buying
  centre [(p-li, NEUTRAL)], no event, team members [rep-a]; org-old's people [p-li].
- as of AFTER: employments [(org-new, 经理)], managers [p-m2], reports [p-r2], coverage
  [(rep-b, 0.8)], relationships [KNOWS p-k], household [p-s], holdings [h-new, h-old]
  (by product name: 存款 before 寿险 in code-point order), 2 interactions, 14 days
  (2024-06-01 -> 2024-06-15); org-new: people [p-li, p-o], buying centre [(p-li, SUPPORTER)],
  events [e-1], members [rep-b]; org-old's people [].
- today (no asOf): as AFTER, the days counted to today; as of CHANGE itself: as AFTER (the
  day of a change belongs to the new period), the interactions and days of that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of, error_codes

CHANGE = "2024-03-01"
BEFORE = "2024-02-01"
AFTER = "2024-06-15"

DOC: dict[str, Any] = {
    "organizations": [
        {"id": "org-old", "name": "Old Co"},
        {"id": "org-new", "name": "New Co"},
    ],
    "people": [
        {"id": "p-li", "name": "Li", "phone": "+86 100"},
        {"id": "p-m1", "name": "M1"},
        {"id": "p-m2", "name": "M2"},
        {"id": "p-r1", "name": "R1"},
        {"id": "p-r2", "name": "R2"},
        {"id": "p-k", "name": "K"},
        {"id": "p-s", "name": "S"},
        {"id": "p-o", "name": "O"},
    ],
    "reps": [{"id": "rep-a", "name": "Ann"}, {"id": "rep-b", "name": "Bob"}],
    "products": [
        {"id": "prod-ins", "name": "寿险", "segment": "RETAIL", "line": "INSURANCE"},
        {"id": "prod-dep", "name": "存款", "segment": "RETAIL", "line": "DEPOSIT"},
    ],
    "holdings": [
        {"id": "h-old", "partyId": "p-li", "productId": "prod-ins", "since": "2020-01-01"},
        {"id": "h-new", "partyId": "p-li", "productId": "prod-dep", "since": "2024-05-01"},
    ],
    "opportunities": [
        {"id": "opp-x", "name": "Deal X", "accountId": "org-new", "stage": "QUALIFIED"},
    ],
    "events": [
        {
            "id": "e-1",
            "organizationId": "org-new",
            "kind": "EXPANSION",
            "title": "New plant",
            "date": "2024-04-01",
        }
    ],
    "interactions": [
        {"id": "i-1", "kind": "CALL", "at": "2024-01-15T10:00:00Z", "partyIds": ["p-li"]},
        {"id": "i-2", "kind": "VISIT", "at": "2024-06-01T10:00:00Z", "partyIds": ["p-li"]},
    ],
    "employment": [
        {"personId": "p-li", "organizationId": "org-old", "title": "分析师", "validTo": CHANGE},
        {"personId": "p-li", "organizationId": "org-new", "title": "经理", "validFrom": CHANGE},
        {"personId": "p-o", "organizationId": "org-new", "title": "工程师"},
    ],
    "reporting": [
        {"personId": "p-li", "managerId": "p-m1", "validTo": CHANGE},
        {"personId": "p-li", "managerId": "p-m2", "validFrom": CHANGE},
        {"personId": "p-r1", "managerId": "p-li", "validTo": CHANGE},
        {"personId": "p-r2", "managerId": "p-li", "validFrom": CHANGE},
    ],
    "family": [{"fromId": "p-li", "toId": "p-s", "kind": "SPOUSE", "validFrom": "2010-01-01"}],
    "buyingRoles": [
        {
            "personId": "p-li",
            "opportunityId": "opp-x",
            "role": "APPROVER",
            "attitude": "NEUTRAL",
            "validTo": CHANGE,
        },
        {
            "personId": "p-li",
            "opportunityId": "opp-x",
            "role": "APPROVER",
            "attitude": "SUPPORTER",
            "validFrom": CHANGE,
        },
    ],
    "acquaintance": [{"fromId": "p-li", "toId": "p-k", "strength": 0.7, "validFrom": CHANGE}],
    "coverage": [
        {"repId": "rep-a", "personId": "p-li", "strength": 0.6, "validTo": CHANGE},
        {"repId": "rep-b", "personId": "p-li", "strength": 0.8, "validFrom": CHANGE},
    ],
    "accountTeams": [{"id": "team-t", "name": "Team T"}],
    "teamAccounts": [{"teamId": "team-t", "partyId": "org-new"}],
    "teamMembers": [
        {"teamId": "team-t", "repId": "rep-a", "role": "AE", "validTo": CHANGE},
        {"teamId": "team-t", "repId": "rep-b", "role": "AE", "validFrom": CHANGE},
    ],
}

PERSON = """
query ($id: ID!, $asOf: Date) {
  party(id: $id, asOf: $asOf) {
    id name
    coverage { rep { id } strength }
    relationships { kind party { id } }
    interactions(first: 10) { totalCount edges { node { id } } }
    signals { sleeping { daysSinceLastInteraction } }
    ... on Person {
      phone
      employments { organization { id } title }
      managers { id }
      directReports { id }
      household { person { id } relation }
      holdings { id }
    }
  }
}
"""

ORGANIZATION = """
query ($id: ID!, $asOf: Date) {
  party(id: $id, asOf: $asOf) {
    id
    accountTeams { id members { rep { id } } }
    ... on Organization {
      people(first: 10) { totalCount edges { node { id } title } }
      openOpportunities { id buyingCentre { person { id } role attitude } }
      events { id }
    }
  }
}
"""


def _today() -> date:
    return datetime.now(UTC).date()


def person_view(party: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": party["name"],
        "phone": party["phone"],
        "employments": [(e["organization"]["id"], e["title"]) for e in party["employments"]],
        "managers": [p["id"] for p in party["managers"]],
        "reports": [p["id"] for p in party["directReports"]],
        "coverage": [(c["rep"]["id"], c["strength"]) for c in party["coverage"]],
        "relationships": [(r["kind"], r["party"]["id"]) for r in party["relationships"]],
        "household": [(h["person"]["id"], h["relation"]) for h in party["household"]],
        "holdings": [h["id"] for h in party["holdings"]],
        "interactions": (
            party["interactions"]["totalCount"],
            [e["node"]["id"] for e in party["interactions"]["edges"]],
        ),
        "days": party["signals"]["sleeping"]["daysSinceLastInteraction"],
    }


def organization_view(party: dict[str, Any]) -> dict[str, Any]:
    people = party["people"]
    return {
        "people": (people["totalCount"], [(e["node"]["id"], e["title"]) for e in people["edges"]]),
        "buyingCentre": [
            (o["id"], [(b["person"]["id"], b["role"], b["attitude"]) for b in o["buyingCentre"]])
            for o in party["openOpportunities"]
        ],
        "events": [e["id"] for e in party["events"]],
        "members": [
            (t["id"], [m["rep"]["id"] for m in t["members"]]) for t in party["accountTeams"]
        ],
    }


async def view(gql: GraphQLClient, query: str, party_id: str, as_of: str | None) -> Any:
    return data_of(await gql(query, {"id": party_id, "asOf": as_of}))["party"]


THEN = {
    "name": "Li",
    "phone": "+86 100",
    "employments": [("org-old", "分析师")],
    "managers": ["p-m1"],
    "reports": ["p-r1"],
    "coverage": [("rep-a", 0.6)],
    "relationships": [],
    "household": [("p-s", "SPOUSE")],
    "holdings": ["h-old"],
    "interactions": (1, ["i-1"]),
    "days": 17,
}
NOW = {
    "name": "Li",
    "phone": "+86 100",
    "employments": [("org-new", "经理")],
    "managers": ["p-m2"],
    "reports": ["p-r2"],
    "coverage": [("rep-b", 0.8)],
    "relationships": [("KNOWS", "p-k")],
    "household": [("p-s", "SPOUSE")],
    "holdings": ["h-new", "h-old"],
    "interactions": (2, ["i-2", "i-1"]),
    "days": 14,
}


async def test_a_person_before_and_after_the_change(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    assert person_view(await view(gql, PERSON, "p-li", BEFORE)) == THEN
    assert person_view(await view(gql, PERSON, "p-li", AFTER)) == NOW
    today = person_view(await view(gql, PERSON, "p-li", None))
    assert today == {**NOW, "days": (_today() - date(2024, 6, 1)).days}
    # The day of the change belongs to the new period; i-2 is later, 2024-01-15 is 46 days
    # before 2024-03-01 (16 days of January, 29 of February, 1).
    on_the_day = person_view(await view(gql, PERSON, "p-li", CHANGE))
    assert on_the_day == {
        **NOW,
        "relationships": [("KNOWS", "p-k")],
        "holdings": ["h-old"],
        "interactions": (1, ["i-1"]),
        "days": 46,
    }


async def test_an_organization_before_and_after_the_change(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    assert organization_view(await view(gql, ORGANIZATION, "org-new", BEFORE)) == {
        "people": (1, [("p-o", "工程师")]),
        "buyingCentre": [("opp-x", [("p-li", "APPROVER", "NEUTRAL")])],
        "events": [],
        "members": [("team-t", ["rep-a"])],
    }
    after = {
        "people": (2, [("p-li", "经理"), ("p-o", "工程师")]),
        "buyingCentre": [("opp-x", [("p-li", "APPROVER", "SUPPORTER")])],
        "events": ["e-1"],
        "members": [("team-t", ["rep-b"])],
    }
    assert organization_view(await view(gql, ORGANIZATION, "org-new", AFTER)) == after
    assert organization_view(await view(gql, ORGANIZATION, "org-new", None)) == after


NESTED = """
query ($asOf: Date) {
  party(id: "p-li", asOf: $asOf) {
    ... on Person {
      employments {
        organization { id people(first: 5) { edges { node { id } } } }
      }
      managers { id directReports { id } }
      signals(asOf: "2024-06-15") { sleeping { daysSinceLastInteraction } }
    }
  }
}
"""


async def test_parties_reached_from_the_view_are_read_as_of_the_same_day(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    then = data_of(await gql(NESTED, {"asOf": BEFORE}))["party"]
    # org-old's people as of BEFORE: p-li (today nobody); p-m1's reports then: p-li.
    assert then["employments"] == [
        {"organization": {"id": "org-old", "people": {"edges": [{"node": {"id": "p-li"}}]}}}
    ]
    assert then["managers"] == [{"id": "p-m1", "directReports": [{"id": "p-li"}]}]
    # signals(asOf:) names its own day: 14 days from i-2 (2024-06-01) to 2024-06-15, though
    # the party is read as of BEFORE.
    assert then["signals"]["sleeping"]["daysSinceLastInteraction"] == 14
    now = data_of(await gql(NESTED, {"asOf": None}))["party"]
    assert now["employments"] == [
        {
            "organization": {
                "id": "org-new",
                "people": {"edges": [{"node": {"id": "p-li"}}, {"node": {"id": "p-o"}}]},
            }
        }
    ]
    assert now["managers"] == [{"id": "p-m2", "directReports": [{"id": "p-li"}]}]


PARTIES = """
query ($asOf: Date) {
  parties(ids: ["p-li", "p-nobody", "org-new"], asOf: $asOf) {
    id
    ... on Person { managers { id } }
    ... on Organization { people(first: 5) { totalCount } }
  }
  today: party(id: "p-li") { ... on Person { managers { id } } }
}
"""


async def test_parties_as_of_a_day_and_today_in_one_request(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    body = await gql(PARTIES, {"asOf": BEFORE})
    assert error_codes(body) == ["NOT_FOUND"]
    found = body["data"]
    assert found["parties"] == [
        {"id": "p-li", "managers": [{"id": "p-m1"}]},
        None,
        {"id": "org-new", "people": {"totalCount": 1}},
    ]
    # The same party without asOf in the same request: today's manager.
    assert found["today"] == {"managers": [{"id": "p-m2"}]}


ONE = 'query ($d: Date) { party(id: "p-li", asOf: $d) { id } }'
MANY = 'query ($d: Date) { parties(ids: ["p-li"], asOf: $d) { id } }'


@pytest.mark.parametrize(
    ("query", "as_of"), [(ONE, "future"), (MANY, "future"), (ONE, "1800-01-01")]
)
async def test_an_as_of_in_the_future_or_too_far_back_is_invalid_input(
    db: Database, gql: GraphQLClient, tmp_path: Path, query: str, as_of: str
) -> None:
    await db.shared(DOC, tmp_path)
    day = (_today() + timedelta(days=1)).isoformat() if as_of == "future" else as_of
    body = await gql(query, {"d": day})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "asOf"
    assert body["errors"][0]["extensions"]["value"] == day
    assert day in body["errors"][0]["message"]
    # Today is a day the graph knows.
    data_of(await gql(query, {"d": _today().isoformat()}))
