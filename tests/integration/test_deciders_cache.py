"""The cache of key-decider analyses (keyDeciders, decisionAssessment) is never stale.

Analyses are kept under the graph's version (cypher/graph_version.cypher), which every write
of the party graph moves in its own transaction. Here a server with the cache on (the
session's) and one with it off (`deciders_cache_size=0`) answer the same questions after each
kind of write: a person's fields, an influence link, a buying-centre marker, coverage, a
reporting line, a removed link, an import, and a cleared and reloaded database. The cached
answer must equal the uncached one every time, and each write must change the answer (or
the comparison would prove nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_api.domain.access import DEVELOPMENT_VIEWER, Access
from graph_api.services.analysis_cache import AnalysisCache
from graph_api.services.deciders import DecisionScope, decision_assessment, key_deciders
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, settings_for

QUESTIONS = """
query {
  account: keyDeciders(accountId: "org-cimc", includeSubsidiaries: true, limit: 20) {
    rank score explanation person { id name } role attitude level managerIds listenedToBy
    listensTo coverage { rep { id } strength } parts { component value detail }
  }
  opportunity: keyDeciders(opportunityId: "opp-cimc-overseas") {
    rank score explanation person { id } role roleSource
  }
  assessment: decisionAssessment(accountId: "org-cimc") {
    decisionLayerSupportsUs relationshipsAtEveryLevel supportAnswer coverageAnswer
    levels { level people covered strongest } risks { kind message viaIds }
  }
}
"""


@pytest.fixture(scope="module")
def uncached(neo4j_uri: str) -> Iterator[GraphQLClient]:
    live = LiveServer(settings_for(neo4j_uri, deciders_cache_size=0)).start()
    yield GraphQLClient(live.url)
    live.stop()


async def answers(cached: GraphQLClient, uncached: GraphQLClient) -> dict[str, Any]:
    """The cached server's answer, asked twice (the second from the cache), checked against
    the uncached server's."""
    first = data_of(await cached(QUESTIONS))
    again = data_of(await cached(QUESTIONS))
    fresh = data_of(await uncached(QUESTIONS))
    assert first == again == fresh
    return first


async def person_version(gql: GraphQLClient, pid: str) -> int:
    data = data_of(await gql("query ($id: ID!) { party(id: $id) { version } }", {"id": pid}))
    return int(data["party"]["version"])


async def test_no_kind_of_write_leaves_a_stale_answer(
    db: Database, gql: GraphQLClient, uncached: GraphQLClient, tmp_path: Path
) -> None:
    await db.demo()
    db.dirty()  # this test writes
    start = await answers(gql, uncached)
    before = start
    writes: list[tuple[str, str, dict[str, Any]]] = [
        (
            "a person's name",
            'mutation ($v: Int!) { updatePerson(input: {id: "p-sun-wei", expectedVersion: $v,'
            ' name: "孙伟伟"}) { id } }',
            {"v": await person_version(gql, "p-sun-wei")},
        ),
        (
            "an influence link",
            'mutation { setInfluence(input: {fromId: "p-sun-wei", toId: "p-wang-zhiqiang",'
            " strength: 1.0}) { version } }",
            {},
        ),
        (
            "a marker",
            'mutation { setBuyingRole(input: {personId: "p-sun-wei", opportunityId:'
            ' "opp-cimc-overseas", role: DECISION_MAKER, influence: HIGH}) { version } }',
            {},
        ),
        (
            "coverage",
            'mutation { setCoverage(input: {repId: "rep-huang-lei", personId:'
            ' "p-wang-zhiqiang", strength: 0.8, kind: "BUSINESS"}) { version } }',
            {},
        ),
        (
            "a reporting line",
            'mutation { setReportingLine(input: {personId: "p-zhao-min",'
            ' managerId: "p-wang-zhiqiang"}) { version } }',
            {},
        ),
        (
            "a removed link",
            'mutation { removeLink(input: {kind: INFLUENCE, fromId: "p-sun-wei",'
            ' toId: "p-wang-zhiqiang"}) { kind } }',
            {},
        ),
    ]
    for what, mutation, variables in writes:
        data_of(await gql(mutation, variables))
        after = await answers(gql, uncached)
        assert after != before, f"the write of {what} changed no answer: the test proves nothing"
        before = after

    # An import: a new person marked as the account's decision maker.
    await db.load(
        {
            "people": [{"id": "p-new-boss", "name": "新董事长", "gender": "MALE"}],
            "employment": [{"personId": "p-new-boss", "organizationId": "org-cimc"}],
            "buyingRoles": [
                {
                    "personId": "p-new-boss",
                    "accountId": "org-cimc",
                    "role": "DECISION_MAKER",
                    "influence": "HIGH",
                }
            ],
        },
        tmp_path,
        clear=False,
    )
    after = await answers(gql, uncached)
    assert after != before, "the import changed no answer"
    assert "p-new-boss" in {r["person"]["id"] for r in after["account"]}

    # Cleared and loaded again: the demo's answers, not the last ones kept.
    db.dirty()
    await db.demo()
    assert await answers(gql, uncached) == start


async def test_a_repeated_question_is_answered_from_the_cache(db: Database, store: Store) -> None:
    await db.demo()
    reader = ScopedStore(store, Access.everything(DEVELOPMENT_VIEWER))
    cache = AnalysisCache(8)
    scope = DecisionScope(account_id="org-cimc")
    first = await key_deciders(reader, scope, 5, 100, analyses=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert await key_deciders(reader, scope, 5, 100, analyses=cache) == first
    # The same analysis serves another limit and the assessment of the same scope.
    assert await key_deciders(reader, scope, 3, 100, analyses=cache) == first[:3]
    await decision_assessment(reader, scope, analyses=cache)
    assert (cache.hits, cache.misses) == (3, 1)
    # Another scope is another analysis.
    await key_deciders(
        reader,
        DecisionScope(account_id="org-cimc", include_subsidiaries=True),
        5,
        100,
        analyses=cache,
    )
    assert (cache.hits, cache.misses) == (3, 2)


async def test_the_graph_version_moves_with_writes_only(db: Database, store: Store) -> None:
    await db.demo()
    version = await store.graph_version()
    assert version is not None  # the import made it
    await store.read("MATCH (p:Person) RETURN count(p) AS n")
    assert await store.graph_version() == version
    await db.store.clear(everything=True)
    db.dirty()
    assert await store.graph_version() is None  # nothing is kept for an empty database
    await db.demo()
    # A new epoch: no answer kept before the clear can be found under the new versions.
    assert (await store.graph_version() or "").split(":")[0] != version.split(":")[0]
