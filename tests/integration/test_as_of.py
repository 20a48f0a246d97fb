"""As-of questions (issue 14.2) on a hand-made graph with a reorganisation on 2024-01-01.

org-acme before (valid on 2023-06-01): CEO p-ceo; CTO p-a reports to p-ceo; p-b and p-c
(工程师) report to p-a. On 2024-01-01 p-a leaves (job and lines closed), p-b reports to p-ceo
and p-c (now 经理) to p-b. So, derived by hand:
- orgChart as of 2023-06-01: people ceo, a, b, c; lines a->ceo, b->a, c->a; c is 工程师.
- orgChart today (and as of 2025-01-01): people ceo, b, c; lines b->ceo, c->b; c is 经理.
- opp-lost (LOST, closed 2023-09-30): p-a was its DECISION_MAKER and SUPPORTER from
  2023-01-01 until 2024-01-01; p-b its USER and OPPONENT until 2023-10-15, a SUPPORTER since.
  At close: a is in the buying centre (DECISION_MAKER, SUPPORTER), b is OPPONENT. Today a is
  gone (no job, no marker there), b is SUPPORTER.
- p-x knew p-a from 2020 until 2024-01-01, and rep-ann covered p-a from 2022 until
  2024-01-01: on 2023-06-01 the paths x -> a -> c and ann -> a -> c existed; today neither
  x nor ann has a link left, so there is no path.
- p-a and p-x were married from 2015 until 2023-01-01; p-x holds prod-ins. crossSell for
  p-a as of 2022-06-01 suggests prod-ins with HOUSEHOLD evidence; today no suggestion has
  HOUSEHOLD evidence (p-a has no family).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of, error_codes

REORG = "2024-01-01"
DOC: dict[str, Any] = {
    "organizations": [{"id": "org-acme", "name": "Acme"}],
    "people": [
        {"id": "p-ceo", "name": "CEO"},
        {"id": "p-a", "name": "A"},
        {"id": "p-b", "name": "B"},
        {"id": "p-c", "name": "C"},
        {"id": "p-x", "name": "X"},
    ],
    "reps": [{"id": "rep-ann", "name": "Ann"}],
    "products": [{"id": "prod-ins", "name": "寿险", "segment": "RETAIL", "line": "INSURANCE"}],
    "holdings": [
        {"id": "h-x", "partyId": "p-x", "productId": "prod-ins", "status": "ACTIVE"},
    ],
    "family": [
        {
            "fromId": "p-a",
            "toId": "p-x",
            "kind": "SPOUSE",
            "validFrom": "2015-01-01",
            "validTo": "2023-01-01",
        }
    ],
    "opportunities": [
        {
            "id": "opp-lost",
            "name": "Lost deal",
            "accountId": "org-acme",
            "stage": "LOST",
            "closeDate": "2023-09-30",
        },
        {"id": "opp-open", "name": "Open deal", "accountId": "org-acme", "stage": "QUALIFIED"},
    ],
    "employment": [
        {"personId": "p-ceo", "organizationId": "org-acme", "title": "CEO"},
        {"personId": "p-a", "organizationId": "org-acme", "title": "CTO", "validTo": REORG},
        {"personId": "p-b", "organizationId": "org-acme", "title": "组长"},
        {"personId": "p-c", "organizationId": "org-acme", "title": "工程师", "validTo": REORG},
        {"personId": "p-c", "organizationId": "org-acme", "title": "经理", "validFrom": REORG},
    ],
    "reporting": [
        {"personId": "p-a", "managerId": "p-ceo", "validTo": REORG},
        {"personId": "p-b", "managerId": "p-a", "validTo": REORG},
        {"personId": "p-c", "managerId": "p-a", "validTo": REORG},
        {"personId": "p-b", "managerId": "p-ceo", "validFrom": REORG},
        {"personId": "p-c", "managerId": "p-b", "validFrom": REORG},
    ],
    "buyingRoles": [
        {
            "personId": "p-a",
            "opportunityId": "opp-lost",
            "role": "DECISION_MAKER",
            "attitude": "SUPPORTER",
            "validFrom": "2023-01-01",
            "validTo": REORG,
        },
        {
            "personId": "p-b",
            "opportunityId": "opp-lost",
            "role": "USER",
            "attitude": "OPPONENT",
            "validTo": "2023-10-15",
        },
        {
            "personId": "p-b",
            "opportunityId": "opp-lost",
            "role": "USER",
            "attitude": "SUPPORTER",
            "validFrom": "2023-10-15",
        },
    ],
    "acquaintance": [
        {
            "fromId": "p-a",
            "toId": "p-x",
            "strength": 0.9,
            "validFrom": "2020-01-01",
            "validTo": REORG,
        },
    ],
    "coverage": [
        {
            "repId": "rep-ann",
            "personId": "p-a",
            "strength": 0.9,
            "validFrom": "2022-01-01",
            "validTo": REORG,
        },
    ],
}

CHART = """
query ($asOf: Date) {
  orgChart(organizationId: "org-acme", asOf: $asOf) {
    nodes { id title level }
    edges { source target type }
  }
}
"""


async def chart(gql: GraphQLClient, as_of: str | None) -> tuple[dict[str, Any], set[Any]]:
    c = data_of(await gql(CHART, {"asOf": as_of}))["orgChart"]
    nodes = {n["id"]: (n["title"], n["level"]) for n in c["nodes"]}
    lines = {(e["source"], e["target"]) for e in c["edges"] if e["type"] == "REPORTS_TO"}
    return nodes, lines


async def test_org_chart_before_and_after_the_reorganisation(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    assert await chart(gql, "2023-06-01") == (
        {
            "p-ceo": ("CEO", 1),
            "p-a": ("CTO", 2),
            "p-b": ("组长", 3),
            "p-c": ("工程师", 3),
        },
        {("p-a", "p-ceo"), ("p-b", "p-a"), ("p-c", "p-a")},
    )
    after = (
        {"p-ceo": ("CEO", 1), "p-b": ("组长", 2), "p-c": ("经理", 3)},
        {("p-b", "p-ceo"), ("p-c", "p-b")},
    )
    assert await chart(gql, None) == after
    assert await chart(gql, "2025-01-01") == after
    # The reorganisation's day belongs to the new chart ([validFrom, validTo)).
    assert await chart(gql, REORG) == after


DECIDERS = """
query ($asOf: Date, $atClose: Boolean! = false, $opp: ID = "opp-lost") {
  keyDeciders(opportunityId: $opp, asOf: $asOf, atClose: $atClose, limit: 10) {
    person { id } role attitude
  }
}
"""


async def deciders(gql: GraphQLClient, **variables: Any) -> dict[str, tuple[Any, Any]]:
    found = data_of(await gql(DECIDERS, variables))["keyDeciders"]
    return {k["person"]["id"]: (k["role"], k["attitude"]) for k in found}


async def test_the_buying_centre_on_the_day_the_deal_was_lost(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    at_close = await deciders(gql, atClose=True)
    assert at_close["p-a"] == ("DECISION_MAKER", "SUPPORTER")
    assert at_close["p-b"] == ("USER", "OPPONENT")
    assert set(at_close) == {"p-ceo", "p-a", "p-b", "p-c"}
    assert await deciders(gql, asOf="2023-09-30") == at_close
    now = await deciders(gql)
    assert now["p-b"] == ("USER", "SUPPORTER")
    assert set(now) == {"p-ceo", "p-b", "p-c"}


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"atClose": True, "asOf": "2023-01-01"}, "asOf"),
        ({"atClose": True, "opp": "opp-open"}, "atClose"),
        ({"asOf": "1800-01-01"}, "asOf"),
    ],
)
async def test_bad_as_of_questions_are_invalid_input(
    db: Database, gql: GraphQLClient, tmp_path: Path, variables: dict[str, Any], field: str
) -> None:
    await db.shared(DOC, tmp_path)
    body = await gql(DECIDERS, variables)
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field


PATH = """
query ($asOf: Date) {
  relationshipPath(fromId: "p-x", toId: "p-c", asOf: $asOf, limit: 1) { nodes { id } }
  warmIntroductions(targetId: "p-c", asOf: $asOf, limit: 1) { nodes { id } }
}
"""


async def test_a_path_that_existed_then_but_not_now(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)
    then = data_of(await gql(PATH, {"asOf": "2023-06-01"}))
    assert [n["id"] for n in then["relationshipPath"][0]["nodes"]] == ["p-x", "p-a", "p-c"]
    assert [n["id"] for n in then["warmIntroductions"][0]["nodes"]] == ["rep-ann", "p-a", "p-c"]
    now = data_of(await gql(PATH, {"asOf": None}))
    assert now == {"relationshipPath": [], "warmIntroductions": []}


CROSS_SELL = """
query ($asOf: Date) {
  crossSell(partyId: "p-a", asOf: $asOf) {
    suggestions { product { id } evidence { kind } }
  }
}
"""


async def test_cross_sell_from_the_family_of_that_day(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.shared(DOC, tmp_path)

    def household(body: dict[str, Any]) -> set[str]:
        return {
            s["product"]["id"]
            for s in data_of(body)["crossSell"]["suggestions"]
            if any(e["kind"] == "HOUSEHOLD" for e in s["evidence"])
        }

    assert household(await gql(CROSS_SELL, {"asOf": "2022-06-01"})) == {"prod-ins"}
    assert household(await gql(CROSS_SELL, {"asOf": None})) == set()
