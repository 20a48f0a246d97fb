"""No N+1: the 360° view of a party with many relations takes as many database round trips
as the view of a party with almost none (read from `extensions.roundTrips`, which the
service adds in development mode)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of

N_OWN_HOLDINGS = 100
N_SPOUSE_HOLDINGS = 100
N_INTERACTIONS = 150
N_EMPLOYEES = 100
N_CHILDREN = 9
N_ACQUAINTANCES = 40
N_REPS = 10
N_BRANCHES = 5
N_ORG_HOLDINGS = 200


def busy_graph() -> dict[str, Any]:
    """P (p-main) works for a company with 5 branches and 100 employees; P's household is a
    spouse and 9 children; P and the spouse hold 200 products; P had 150 interactions,
    knows 40 people and is covered by 10 reps. The company and its branches hold 200
    products. p-lonely works there too and has one holding and nothing else."""
    branches = [f"o-br-{i}" for i in range(N_BRANCHES)]
    employees = [f"p-emp-{i:03d}" for i in range(N_EMPLOYEES)]
    kids = [f"p-kid-{i}" for i in range(N_CHILDREN)]
    friends = [f"p-friend-{i:02d}" for i in range(N_ACQUAINTANCES)]
    reps = [f"rep-{i}" for i in range(N_REPS)]
    units = ["o-big", *branches]
    return {
        "products": [{"id": f"prod-{i}", "name": f"Product {i}"} for i in range(20)],
        "organizations": [
            {"id": "o-big", "name": "Big Co", "industry": "制造业", "grade": 4},
            *({"id": b, "name": f"Branch {b}", "parentId": "o-big"} for b in branches),
        ],
        "people": [
            {"id": "p-main", "name": "主角", "grade": 3},
            {"id": "p-spouse", "name": "配偶"},
            {"id": "p-lonely", "name": "独行"},
            *({"id": k, "name": f"孩子 {k}"} for k in kids),
            *({"id": f, "name": f"朋友 {f}"} for f in friends),
            *({"id": e, "name": f"员工 {e}"} for e in employees),
        ],
        "reps": [{"id": r, "name": f"Rep {r}"} for r in reps],
        "accountTeams": [{"id": "team-big", "name": "Big team", "managerId": "rep-0"}],
        "teamMembers": [{"teamId": "team-big", "repId": r, "role": "AE"} for r in reps],
        "teamAccounts": [{"teamId": "team-big", "partyId": "o-big"}],
        "employment": [
            {"personId": "p-main", "organizationId": "o-big", "title": "COO", "primary": True},
            {"personId": "p-lonely", "organizationId": "o-big", "title": "Clerk"},
            *(
                {"personId": e, "organizationId": units[i % len(units)], "title": f"T{i}"}
                for i, e in enumerate(employees)
            ),
        ],
        "reporting": [{"personId": e, "managerId": "p-main"} for e in employees],
        "family": [
            {"fromId": "p-main", "toId": "p-spouse", "kind": "SPOUSE"},
            *({"fromId": "p-main", "toId": k, "kind": "PARENT"} for k in kids),
        ],
        "acquaintance": [{"fromId": "p-main", "toId": f, "strength": 0.5} for f in friends],
        "coverage": [{"repId": r, "personId": "p-main", "strength": 0.5} for r in reps],
        "holdings": [
            *(
                {"id": f"h-main-{i:03d}", "partyId": "p-main", "productId": f"prod-{i % 20}"}
                for i in range(N_OWN_HOLDINGS)
            ),
            *(
                {"id": f"h-sp-{i:03d}", "partyId": "p-spouse", "productId": f"prod-{i % 20}"}
                for i in range(N_SPOUSE_HOLDINGS)
            ),
            *(
                {"id": f"h-org-{i:03d}", "partyId": units[i % len(units)], "productId": "prod-1"}
                for i in range(N_ORG_HOLDINGS)
            ),
            {"id": "h-lonely", "partyId": "p-lonely", "productId": "prod-0"},
        ],
        "beneficiaries": [{"personId": k, "holdingId": "h-sp-000"} for k in kids],
        "interactions": [
            {
                "id": f"i-{i:03d}",
                "kind": "CALL",
                "at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                "partyIds": ["p-main", "o-big"],
                "repIds": [reps[i % N_REPS]],
            }
            for i in range(N_INTERACTIONS)
        ],
        "opportunities": [
            {"id": f"opp-{i}", "name": f"Deal {i}", "accountId": "o-big", "stage": "QUALIFIED"}
            for i in range(5)
        ],
        "buyingRoles": [
            {"personId": e, "opportunityId": f"opp-{i % 5}", "role": "USER"}
            for i, e in enumerate(employees[:50])
        ],
    }


FULL_VIEW = """
query ($id: ID!) {
  party(id: $id) {
    id name
    interactions(first: 100) { totalCount edges { node { id reps { id } } } }
    signals(asOf: "2026-12-31") { sleeping { daysSinceLastInteraction } profile { score } }
    coverage { rep { id } }
    relationships { kind party { id } }
    accountTeams { id members { rep { id } } }
    ... on Person {
      employments { organization { id } title }
      managers { id }
      directReports { id }
      household { person { id } relation }
      householdHoldings { id holder { id } product { id } beneficiaries { person { id } } }
      holdings { id }
      beneficiaryOf { id }
    }
    ... on Organization {
      ancestors { id } children { id }
      people(first: 100, includeSubsidiaries: true) { totalCount edges { node { id } } }
      holdings(includeSubsidiaries: true) { id holder { id } }
      openOpportunities { id buyingCentre { person { id } } }
      events { id }
    }
  }
}
"""


@pytest.fixture
async def busy(db: Database, tmp_path: Path) -> Database:
    await db.load(busy_graph(), tmp_path)
    return db


async def view(gql: GraphQLClient, query: str, party_id: str) -> tuple[dict[str, Any], int]:
    body = await gql(query, {"id": party_id})
    party: dict[str, Any] = data_of(body)["party"]
    return party, int(body["extensions"]["roundTrips"])


async def test_person_view_is_one_round_trip_however_many_relations(
    busy: Database, gql: GraphQLClient
) -> None:
    main, main_trips = await view(gql, FULL_VIEW, "p-main")
    # Everything arrived ...
    assert len(main["householdHoldings"]) == N_OWN_HOLDINGS + N_SPOUSE_HOLDINGS
    assert len(main["holdings"]) == N_OWN_HOLDINGS
    assert main["interactions"]["totalCount"] == N_INTERACTIONS
    assert len(main["interactions"]["edges"]) == 100
    assert len(main["household"]) == 1 + N_CHILDREN
    assert len(main["relationships"]) == N_ACQUAINTANCES
    assert len(main["directReports"]) == N_EMPLOYEES
    assert len(main["coverage"]) == N_REPS
    # ... in one query, exactly as for a party that has next to nothing.
    lonely, lonely_trips = await view(gql, FULL_VIEW, "p-lonely")
    assert len(lonely["holdings"]) == 1 and lonely["household"] == []
    assert main_trips == lonely_trips == 1


async def test_organization_view_is_one_round_trip(busy: Database, gql: GraphQLClient) -> None:
    org, trips = await view(gql, FULL_VIEW, "o-big")
    assert org["people"]["totalCount"] == N_EMPLOYEES + 2
    assert len(org["people"]["edges"]) == 100
    assert len(org["holdings"]) == N_ORG_HOLDINGS
    assert len(org["children"]) == N_BRANCHES
    assert len(org["openOpportunities"]) == 5
    assert sum(len(o["buyingCentre"]) for o in org["openOpportunities"]) == 50
    assert org["interactions"]["totalCount"] == N_INTERACTIONS
    assert trips == 1


NESTED = """
query ($id: ID!) {
  party(id: $id) {
    ... on Person {
      household {
        person {
          id
          holdings { id }
          coverage { rep { id } }
          employments { organization { id } }
        }
      }
      directReports {
        id
        employments { organization { id people(first: 5) { totalCount } } }
      }
    }
  }
}
"""


async def test_nested_view_fields_are_batched_per_level(busy: Database, gql: GraphQLClient) -> None:
    # Level 1: p-main's own query. Level 2: holdings/coverage/employments of 10 relatives
    # and employments of 100 reports, all in one batch. Level 3: the people of every
    # employer of those reports (6 organizations), one more batch. 3, not 1 + 10 + 100 + 6.
    party, trips = await view(gql, NESTED, "p-main")
    spouse = next(m["person"] for m in party["household"] if m["person"]["id"] == "p-spouse")
    assert len(spouse["holdings"]) == N_SPOUSE_HOLDINGS
    reports = party["directReports"]
    assert len(reports) == N_EMPLOYEES
    top = next(r for r in reports if r["employments"][0]["organization"]["id"] == "o-big")
    # o-big itself: every 6th employee, p-main and p-lonely.
    assert top["employments"][0]["organization"]["people"]["totalCount"] == 17 + 2
    assert trips == 3
