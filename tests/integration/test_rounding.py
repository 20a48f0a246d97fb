"""Scores, strengths and probabilities come rounded to 4 decimals, never as float noise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_api.analytics.deciders import SCORE_DIGITS
from graph_api.domain.model import REPORTED_DIGITS
from tests.conftest import Database, GraphQLClient, data_of

DECIDERS = """
{
  keyDeciders(accountId: "org-cimc", includeSubsidiaries: true) {
    score parts { value weight contribution } coverage { strength }
  }
  decisionAssessment(accountId: "org-cimc", includeSubsidiaries: true) {
    levels { coveredShare strongest averageStrength }
  }
}
"""
EVERYTHING = """
{
  search(text: "张") { edges { score } }
  crossSell(partyId: "p-zhang-cuishan") {
    suggestions {
      score evidence { probability support confidence lift path { weight links { strength } } }
    }
  }
  warmIntroductions(targetId: "p-wang-zhiqiang") { weight links { strength } }
  orgChart(organizationId: "org-cimc", includeInfluence: true) {
    edges { strength } nodes { coverage { strength } }
  }
}
"""


def floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in floats(v)]
    if isinstance(value, list):
        return [x for v in value for x in floats(v)]
    return []


async def test_every_float_of_the_demo_answers_is_rounded(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    data = data_of(await gql(EVERYTHING))
    found = floats(data)
    # Search scores are Lucene's (e.g. 1.7260924); without rounding they would fail here.
    assert floats(data["search"]) and floats(data["crossSell"])
    assert len(found) > 30
    assert [x for x in found if round(x, REPORTED_DIGITS) != x] == []
    # keyDeciders and decisionAssessment keep the 6 decimals their ranking ties on.
    ranked = floats(await gql(DECIDERS))
    assert len(ranked) > 20
    assert [x for x in ranked if round(x, SCORE_DIGITS) != x] == []


async def test_a_sum_that_is_float_noise_comes_rounded(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # p holds a and b; rule a -> z (weight 0.1) and rule b -> z (weight 0.2) are two reasons:
    # score 1 - 0.9 x 0.8 = 0.28, which floats compute as 0.2799999999999999.
    assert 1 - (1 - 0.1) * (1 - 0.2) != 0.28
    await db.load(
        {
            "products": [
                {"id": i, "name": i.upper(), "line": "INSURANCE", "segment": "RETAIL"}
                for i in ("a", "b", "z")
            ],
            "people": [{"id": "p", "name": "p"}],
            "holdings": [
                {"id": f"h-{x}", "partyId": "p", "productId": x, "status": "ACTIVE"}
                for x in ("a", "b")
            ],
            "affinityRules": [
                {
                    "id": "r1",
                    "whenProductId": "a",
                    "suggestsProductIds": ["z"],
                    "weight": 0.1,
                    "reason": "A",
                },
                {
                    "id": "r2",
                    "whenProductId": "b",
                    "suggestsProductIds": ["z"],
                    "weight": 0.2,
                    "reason": "B",
                },
            ],
        },
        tmp_path,
    )
    query = '{ crossSell(partyId: "p") { suggestions { product { id } score } } }'
    rows = data_of(await gql(query))["crossSell"]["suggestions"]
    assert rows == [{"product": {"id": "z"}, "score": 0.28}]
