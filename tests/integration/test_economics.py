"""Account economics (issue 18.3) on a hand-made group whose figures are worked out below.

The group org-g (BP 2,000,000, revenue 1,200,000) has a subsidiary org-s1 (BP 600,000, no
revenue but a share of wallet of 5%: revenue 30,000) and below it org-s2 (no figures).
People: p1 and p2 work for org-g, p3 for org-s1, p4 for org-s2 and org-g; a rep covers p1
and p4. Opportunities: o1 for org-g QUALIFIED 1,000,000 (50%: 500,000), o2 for org-s1
COMMITTED 200,000 (90%: 180,000), o3 for org-g WON (not open), o4 for org-s2 IDENTIFIED
without an amount (0).

org-g alone: BP 2,000,000, revenue 1,200,000, SOW 0.6 -> R1; people p1, p2, p4 (3), covered
p1, p4 (2/3); its one unit covered (1.0); one open deal: 1,000,000, V 500,000.
The group: BP 2,600,000, revenue 1,230,000, SOW 1,230,000 / 2,600,000 = 0.4731 -> D1; people
4, covered 2 (0.5); units covered org-g and org-s2 (2/3); open deals o1, o2, o4: amounts
1,200,000, V 680,000.
A person account p-solo, covered, with a DEVELOPED deal of 100,000: V 75,000, SOA 1.0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of, error_codes

GRAPH: dict[str, Any] = {
    "organizations": [
        {"id": "org-g", "name": "集团", "annualPurchase": 2_000_000, "revenue": 1_200_000},
        {"id": "org-s1", "name": "子公司", "parentId": "org-g", "annualPurchase": 600_000,
         "shareOfWallet": 0.05},
        {"id": "org-s2", "name": "孙公司", "parentId": "org-s1"},
    ],
    "people": [{"id": f"p{i}", "name": f"员工{i}"} for i in range(1, 5)]
    + [{"id": "p-solo", "name": "个人客户"}],
    "employment": [
        {"personId": "p1", "organizationId": "org-g"},
        {"personId": "p2", "organizationId": "org-g"},
        {"personId": "p3", "organizationId": "org-s1"},
        {"personId": "p4", "organizationId": "org-s2"},
        {"personId": "p4", "organizationId": "org-g"},
    ],
    "reps": [{"id": "r1", "name": "销售一"}],
    "coverage": [
        {"repId": "r1", "personId": "p1", "strength": 0.8},
        {"repId": "r1", "personId": "p4", "strength": 0.5},
        {"repId": "r1", "personId": "p-solo", "strength": 0.5},
    ],
    "opportunities": [
        {"id": "o1", "name": "一", "accountId": "org-g", "stage": "QUALIFIED", "amount": 1e6},
        {"id": "o2", "name": "二", "accountId": "org-s1", "stage": "COMMITTED", "amount": 2e5},
        {"id": "o3", "name": "三", "accountId": "org-g", "stage": "WON", "amount": 5e6},
        {"id": "o4", "name": "四", "accountId": "org-s2", "stage": "IDENTIFIED"},
        {"id": "o5", "name": "五", "accountId": "p-solo", "stage": "DEVELOPED", "amount": 1e5},
    ],
}  # fmt: skip

QUERY = """
query ($id: ID!, $subs: Boolean!) {
  accountEconomics(accountId: $id, includeSubsidiaries: $subs) {
    accountId accountName
    own { ...F } group { ...F }
  }
}
fragment F on EconomicsFigures {
  units buyingPower revenue shareOfWallet radCell people peopleCovered shareOfAccountPeople
  unitsCovered shareOfAccountUnits openOpportunities pipelineAmount remainingValue
}
"""


def figures(**given: Any) -> dict[str, Any]:
    return given


OWN = figures(
    units=1, buyingPower=2_000_000, revenue=1_200_000, shareOfWallet=0.6, radCell="R1",
    people=3, peopleCovered=2, shareOfAccountPeople=2 / 3, unitsCovered=1,
    shareOfAccountUnits=1.0, openOpportunities=1, pipelineAmount=1_000_000,
    remainingValue=500_000,
)  # fmt: skip
GROUP = figures(
    units=3, buyingPower=2_600_000, revenue=1_230_000, shareOfWallet=1_230_000 / 2_600_000,
    radCell="D1", people=4, peopleCovered=2, shareOfAccountPeople=0.5, unitsCovered=2,
    shareOfAccountUnits=2 / 3, openOpportunities=3, pipelineAmount=1_200_000,
    remainingValue=680_000,
)  # fmt: skip


def close(answer: dict[str, Any], expected: dict[str, Any]) -> None:
    assert set(answer) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float):
            assert answer[key] == pytest.approx(value, abs=1e-3), key
        else:
            assert answer[key] == value, key


async def test_account_and_group_figures(db: Database, gql: GraphQLClient, tmp_path: Path) -> None:
    await db.load(GRAPH, tmp_path)
    e = data_of(await gql(QUERY, {"id": "org-g", "subs": True}))["accountEconomics"]
    assert (e["accountId"], e["accountName"]) == ("org-g", "集团")
    close(e["own"], OWN)
    close(e["group"], GROUP)

    alone = data_of(await gql(QUERY, {"id": "org-g", "subs": False}))["accountEconomics"]
    close(alone["own"], OWN)
    close(alone["group"], OWN)

    # The subsidiary's own share of wallet stands where it has no revenue: 5% -> A2.
    sub = data_of(await gql(QUERY, {"id": "org-s1", "subs": False}))["accountEconomics"]
    assert sub["own"]["revenue"] == pytest.approx(30_000)
    assert (sub["own"]["shareOfWallet"], sub["own"]["radCell"]) == (0.05, "A2")

    solo = data_of(await gql(QUERY, {"id": "p-solo", "subs": True}))["accountEconomics"]
    assert solo["own"]["remainingValue"] == pytest.approx(75_000)
    assert (solo["own"]["people"], solo["own"]["shareOfAccountPeople"]) == (1, 1.0)
    assert (solo["own"]["units"], solo["own"]["buyingPower"], solo["own"]["radCell"]) == (
        0,
        None,
        None,
    )

    body = await gql(QUERY, {"id": "org-nobody", "subs": True})
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "accountId"


async def test_rad_cell_follows_revenue_in_lists_after_an_update(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    """The RAD cell the portfolio lists read is kept by writes: org-s1 (BP 600,000, share 5%:
    A2) moves to R2 once its revenue is 400,000 (SOW 0.667); org-g stays R1."""
    await db.load(GRAPH, tmp_path)
    cells = "query { radMatrix { cell count } }"
    before = {c["cell"]: c["count"] for c in data_of(await gql(cells))["radMatrix"]}
    assert (before["R1"], before["A2"], before["R2"]) == (1, 1, 0)
    # Version 1: the import wrote org-s1 once.
    version = 1
    update = "mutation ($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }"
    data_of(await gql(update, {"i": {"id": "org-s1", "expectedVersion": version,
                                     "revenue": 400_000}}))  # fmt: skip
    after = {c["cell"]: c["count"] for c in data_of(await gql(cells))["radMatrix"]}
    assert (after["R1"], after["A2"], after["R2"]) == (1, 0, 1)
    listed = data_of(
        await gql(
            '{ portfolio(filter: {radCell: "R2"}) { edges { node { id '
            "... on Organization { radCell revenue } } } } }"
        )
    )["portfolio"]["edges"]
    assert [x["node"] for x in listed] == [{"id": "org-s1", "radCell": "R2", "revenue": 400_000}]
