"""Earned strength over GraphQL: createInteraction's answer (strengths before and after, the
sleeping signal cleared), the accumulators written by the importer and refresh-strength.
Answers derived by hand from docs/ANALYTICS.md "Earned strength" (half-life 90 days,
meeting 1.0, call 0.5; earned A / (A + 1); combined 1 - (1 - declared)(1 - earned))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of

NOW = datetime.now(UTC)


def iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


GRAPH: dict[str, Any] = {
    "organizations": [{"id": "org-s", "name": "Strength Co"}],
    "people": [
        {"id": "p-a", "name": "Alice"},
        {"id": "p-b", "name": "Bob"},
        {"id": "p-c", "name": "Carol", "customerSince": "2020-01-01"},
    ],
    "reps": [{"id": "rep-s", "name": "Sam", "role": "AE"}],
    "employment": [
        {"personId": "p-a", "organizationId": "org-s"},
        {"personId": "p-b", "organizationId": "org-s"},
    ],
    "coverage": [{"repId": "rep-s", "personId": "p-a", "strength": 0.3}],
    "interactions": [
        # rep-s with Alice: a meeting 90 days ago we started (one half-life ago).
        {
            "id": "i-old",
            "kind": "MEETING",
            "at": iso(90),
            "direction": "ACTIVE",
            "partyIds": ["p-a"],
            "repIds": ["rep-s"],
        },
    ],
}

CREATE = """
mutation ($input: CreateInteractionInput!) {
  createInteraction(input: $input) {
    id
    strengthChanges { rep fromId toId declared before after interactions explanation }
    sleepingCleared
  }
}"""


async def test_create_interaction_says_what_it_changed(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(GRAPH, tmp_path)
    # Carol has never been contacted (customer since 2020: sleeping); Alice was 90 days ago
    # (sleeping: >= 60). A meeting with both, which Carol asked for (PASSIVE), now.
    body = await gql(
        CREATE,
        {
            "input": {
                "id": "i-new",
                "kind": "MEETING",
                "at": NOW.isoformat(),
                "direction": "PASSIVE",
                "partyIds": ["p-a", "p-c"],
                "repIds": ["rep-s"],
            }
        },
    )
    created = data_of(body)["createInteraction"]
    assert sorted(created["sleepingCleared"]) == ["p-a", "p-c"]
    changes = {(c["fromId"], c["toId"]): c for c in created["strengthChanges"]}
    assert set(changes) == {("rep-s", "p-a"), ("rep-s", "p-c"), ("p-a", "p-c")}
    # rep-s / Alice before: one ACTIVE meeting a half-life ago, one-way: A = 0.75 x 0.5 =
    # 0.375, earned 0.375 / 1.375 = 0.2727; with declared 0.3: 1 - 0.7 x 0.7273 = 0.4909.
    # After: + a fresh PASSIVE meeting, two-way: A = 0.5 + 1 = 1.5, earned 0.6, combined
    # 1 - 0.7 x 0.4 = 0.72.
    alice = changes[("rep-s", "p-a")]
    assert alice["rep"] is True and alice["declared"] == 0.3 and alice["interactions"] == 2
    assert alice["before"] == pytest.approx(0.4909, abs=2e-4)
    assert alice["after"] == pytest.approx(0.72, abs=2e-4)
    assert alice["explanation"] == "2 meetings in 90 days, last today"
    # rep-s / Carol: nothing before; one PASSIVE meeting: one-way, A = 0.75, 0.75 / 1.75.
    carol = changes[("rep-s", "p-c")]
    assert carol["declared"] is None and carol["before"] == 0
    assert carol["after"] == pytest.approx(3 / 7, abs=2e-4)
    assert carol["explanation"] == "1 meeting, today; only they reach out"
    # Alice and Carol met: two people, direction does not apply: 1 / 2.
    both = changes[("p-a", "p-c")]
    assert both["rep"] is False and both["after"] == pytest.approx(0.5, abs=2e-4)
    # In Chinese.
    zh = await gql(
        CREATE,
        {"input": {"id": "i-new", "kind": "MEETING", "at": NOW.isoformat(),
                   "direction": "PASSIVE", "partyIds": ["p-a", "p-c"], "repIds": ["rep-s"]}},
        headers={"Accept-Language": "zh"},
    )  # fmt: skip
    # A retried create changes nothing: no strength changed, nobody woken again.
    again = data_of(zh)["createInteraction"]
    assert again["strengthChanges"] == [] and again["sleepingCleared"] == []
    # The 360° view's sleeping signal reads the same transaction's state.
    signal = data_of(await gql('{ party(id: "p-c") { signals { sleeping { sleeping } } } }'))[
        "party"
    ]["signals"]["sleeping"]["sleeping"]
    assert signal is False


async def test_chinese_explanation_of_a_change(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(GRAPH, tmp_path)
    body = await gql(
        CREATE,
        {"input": {"id": "i-call", "kind": "CALL", "at": iso(6), "direction": "PASSIVE",
                   "partyIds": ["p-a"], "repIds": ["rep-s"]}},
        headers={"Accept-Language": "zh"},
    )  # fmt: skip
    (change,) = data_of(body)["createInteraction"]["strengthChanges"]
    assert change["explanation"] == "90天内会面1次、电话1次，最近一次在6天前"
