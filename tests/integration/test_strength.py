"""Earned strength over GraphQL: createInteraction's answer (strengths before and after, the
sleeping signal cleared), the accumulators written by the importer and refresh-strength.
Answers derived by hand from docs/ANALYTICS.md "Earned strength" (half-life 90 days,
meeting 1.0, call 0.5; earned A / (A + 1); combined 1 - (1 - declared)(1 - earned))."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from graph_api.domain.access import Role, Viewer
from graph_api.services import paths as paths_service
from graph_api.services.access import access_for
from graph_api.services.strength import clock
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database, GraphQLClient, data_of, run_cli

ADMIN = Viewer(subject="ops", role=Role.ADMIN)

# The clock strengths are computed for (GRAPH_API_STRENGTH_NOW, fixed for the tests).
NOW = clock()


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
    # The 360° view's coverage reads the combined strength (the Cypher form of the rule).
    view = data_of(await gql('{ party(id: "p-a") { coverage { rep { id } strength } } }'))
    (cover,) = view["party"]["coverage"]
    assert cover["rep"]["id"] == "rep-s" and cover["strength"] == pytest.approx(0.72, abs=2e-4)
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


# ----- paths --------------------------------------------------------------------------------

PATHS_GRAPH: dict[str, Any] = {
    "people": [{"id": f"p-{x}", "name": name} for x, name in
               (("a", "Ann"), ("x", "Xu"), ("y", "Yan"), ("t", "Tao"))],
    "reps": [{"id": "rep-r", "name": "Rui", "role": "AE"}],
    # Rui covers Ann, Xu and Tao (weakly: through him 0.1 x 0.1), not Yan: a rep logged in as
    # Rui does not see Yan.
    "coverage": [{"repId": "rep-r", "personId": p, "strength": 0.1} for p in ("p-a", "p-x", "p-t")],
    "acquaintance": [
        {"fromId": "p-a", "toId": "p-x", "strength": 0.6},
        {"fromId": "p-x", "toId": "p-t", "strength": 0.6},
        {"fromId": "p-a", "toId": "p-y", "strength": 0.2},
        {"fromId": "p-y", "toId": "p-t", "strength": 0.6},
    ],
}  # fmt: skip
PATH = """
query ($from: ID!, $to: ID!) {
  relationshipPath(fromId: $from, toId: $to, maxHops: 2, limit: 1) {
    weight nodes { id } links { type label strength }
  }
}"""


async def _path(gql: GraphQLClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    body = await gql(PATH, {"from": "p-a", "to": "p-t"}, headers=headers)
    (found,) = data_of(body)["relationshipPath"]
    return found


async def test_interactions_flip_the_path_through_a_weaker_declared_link(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(PATHS_GRAPH, tmp_path)
    # Declared only: Ann-Xu-Tao 0.6 x 0.6 = 0.36 beats Ann-Yan-Tao 0.2 x 0.6 = 0.12.
    before = await _path(gql)
    assert [n["id"] for n in before["nodes"]] == ["p-a", "p-x", "p-t"]
    assert before["weight"] == pytest.approx(0.36)
    # Ann and Yan meet three times today (no rep: two people, f = 1): A = 3, earned 0.75,
    # combined with the declared 0.2: 1 - 0.8 x 0.25 = 0.8; Ann-Yan-Tao 0.8 x 0.6 = 0.48.
    for n in range(3):
        data_of(await gql(CREATE, {"input": {
            "id": f"i-ay-{n}", "kind": "MEETING", "at": NOW.isoformat(),
            "partyIds": ["p-a", "p-y"]}}))  # fmt: skip
    after = await _path(gql)
    assert [n["id"] for n in after["nodes"]] == ["p-a", "p-y", "p-t"]
    assert after["weight"] == pytest.approx(0.48, abs=1e-4)
    first = after["links"][0]
    assert first["type"] == "KNOWS" and first["strength"] == pytest.approx(0.8, abs=1e-4)
    assert first["label"].endswith("3 meetings in 1 day, last today)")
    zh = await _path(gql, {"Accept-Language": "zh"})
    assert zh["links"][0]["label"].endswith("1天内会面3次，最近一次在今天)")

    # Rui, a rep, does not see Yan: his answer never passes through Yan, so it is still
    # the declared chain through Xu (0.36).
    rep = await access_for(db.store, Viewer(subject="rui", role=Role.REP, rep_id="rep-r"))
    assert not rep.sees("p-y")
    restricted = await paths_service.relationship_path(
        ScopedStore(db.store, rep), "p-a", "p-t", max_hops=2, limit=3, max_hops_allowed=6,
        max_limit=10, node_cap=5000,
    )  # fmt: skip
    # (The second: through Rui himself, 0.1 x 0.1.)
    assert [[n.id for n in p.nodes] for p in restricted] == [
        ["p-a", "p-x", "p-t"],
        ["p-a", "rep-r", "p-t"],
    ]

    # The same graph at two times: the earned part decays, nothing is rewritten.
    records = await paths_service.fetch_neighbourhood(
        ScopedStore(db.store, await access_for(db.store, ADMIN)), ["p-a", "p-t"], 1, 5000
    )
    now = NOW
    fresh = paths_service.graph_from_records(records, now=now)
    later = paths_service.graph_from_records(records, now=now + timedelta(days=90))
    # One half-life later A = 1.5, earned 0.6, combined 1 - 0.8 x 0.4 = 0.68.
    assert fresh["p-a"]["p-y"]["strength"] == pytest.approx(0.8, abs=1e-4)
    assert later["p-a"]["p-y"]["strength"] == pytest.approx(0.68, abs=1e-4)
    # Declared links without interactions do not move.
    assert later["p-a"]["p-x"]["strength"] == fresh["p-a"]["p-x"]["strength"] == 0.6


ENGAGED = (
    "MATCH (a)-[e:ENGAGED]->(b) RETURN a.id AS a, b.id AS b, e.lacc AS lacc, "
    "e.halfLife AS halfLife, e.count AS count ORDER BY a, b"
)


async def test_refresh_strength_recomputes_every_pair(
    db: Database, tmp_path: Path, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await db.load(GRAPH, tmp_path)
    # The importer computed the one pair of the document: rep-s and Alice, one meeting.
    loaded = [dict(r) for r in await db.store.read(ENGAGED)]
    assert [(r["a"], r["b"], r["count"], r["halfLife"]) for r in loaded] == [
        ("rep-s", "p-a", 1, 90.0)
    ]
    # A pair no interaction backs (written outside the service) and a damaged accumulator.
    await db.store.write(
        "MATCH (r:Rep {id: 'rep-s'}), (p:Person {id: 'p-b'}) "
        "CREATE (r)-[:ENGAGED {lacc: 1.0, halfLife: 90.0, count: 1}]->(p)"
    )
    await db.store.write("MATCH (:Rep {id: 'rep-s'})-[e:ENGAGED]->(:Person {id: 'p-a'}) "
                         "SET e.lacc = 0.0")  # fmt: skip
    # A half-life change: every pair recomputed with 30 days; lacc = log2(w) + days/h, so
    # with one meeting it is the days since the epoch over 30 instead of over 90.
    monkeypatch.setenv("GRAPH_API_STRENGTH_HALF_LIFE_DAYS", "30")
    assert await run_cli(neo4j_uri, monkeypatch, "refresh-strength") == 0
    after = [dict(r) for r in await db.store.read(ENGAGED)]
    assert [(r["a"], r["b"], r["count"], r["halfLife"]) for r in after] == [
        ("rep-s", "p-a", 1, 30.0)
    ]
    assert after[0]["lacc"] == pytest.approx(loaded[0]["lacc"] * 90 / 30)
    db.dirty()
