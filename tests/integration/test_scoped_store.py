"""Access by construction (issue 17.2): every named query the API can run is declared with
how the viewer's scope applies to it, the services reach the database only through the store
bound to the viewer, and a query run without its scope is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graph_api.api.schema  # noqa: F401  (imports every service: their restrictions register)
from graph_api.domain.access import Access, Role, Viewer
from graph_api.store.neo4j_store import Store, Transaction
from graph_api.store.projection import AS_OF_SUFFIX
from graph_api.store.scoped import (
    QUERY_SCOPES,
    ScopedStore,
    Scoping,
    UnscopedQuery,
    restrictions_of,
)
from tests.conftest import Database, LiveServer, data_of, error_codes
from tests.integration.test_access import GRAPH
from tests.principals import as_key, production_settings


async def test_the_bound_store_refuses_what_is_not_declared(store: Store) -> None:
    rep = Access.scoped(Viewer("rep", Role.REP, "rep-x"), ["p-1"], [])
    reader = ScopedStore(store, rep)
    with pytest.raises(UnscopedQuery, match="not declared"):
        await reader.read("access.scope", {"repId": "rep-x", "manager": False})
    with pytest.raises(UnscopedQuery, match="not declared"):
        await reader.read("MATCH (n:Party) RETURN n")
    with pytest.raises(UnscopedQuery, match="RESTRICTED"):
        await reader.read("org_chart.chart", {"organizationId": "x"})
    with pytest.raises(UnscopedQuery, match="WRITE"):
        await reader.read("write.put_person", {"id": "x"})
    with pytest.raises(UnscopedQuery, match="VISIBLE"):
        await reader.read_restricted("search.parties", {})
    with pytest.raises(UnscopedQuery, match=r"\$visible"):
        await reader.read("paths.neighbourhood", {"ids": [], "visible": None})

    # A restricted answer opens only through a restriction registered for its query.
    found = await reader.read_restricted("deciders.people", {"ids": []})
    with pytest.raises(UnscopedQuery, match="no restriction"):
        found.restrict(lambda access, records: records)
    (visible_people,) = restrictions_of("deciders.people")
    assert found.restrict(visible_people) == {}
    (chart,) = restrictions_of("org_chart.chart")
    with pytest.raises(UnscopedQuery, match="no restriction"):
        found.restrict(chart, "x", None)

    async def work(tx: Any) -> None:
        await tx.run("view.parties", {"requests": []})

    with pytest.raises(UnscopedQuery, match=r"RESTRICTED: it cannot run as WRITE"):
        await reader.write_transaction(work)


# ----- at run time: what the API runs, and with which scope -----

# Every root field, each read part of the view: one request each (one at a time: the first
# planning of each query is slow on a loaded machine, and a dozen at once can time out).
EDGE_IDS = "edges { node { id } }"
ORDERS = (
    "NAME",
    "NAME_DESC",
    "PROFILE_SCORE",
    "PROFILE_SCORE_DESC",
    "LAST_FOLLOW_UP",
    "LAST_FOLLOW_UP_DESC",
)
READ_ALL = [
    """{ party(id: "pa-ceo") {
      id signals { tier } coverage { strength } relationships { kind } accountTeams { id }
      interactions(first: 5) { totalCount } masked
      ... on Person { employments { title } managers { id } directReports { id }
        household { relation } holdings { id } householdHoldings { id } beneficiaryOf { id } }
    } }""",
    """{ party(id: "org-a") {
      ... on Organization { ancestors { id } children { id } people(first: 5) { totalCount }
        holdings { id } openOpportunities { id } events { title } }
    } }""",
    '{ orgChart(organizationId: "org-a", includeInfluence: true) { nodes { id } } }',
    '{ search(text: "Zhang") { totalCount edges { node { id } } } }',
    '{ search(text: "Zhang", first: 1, exactCount: true) { edges { node { id } } } }',
    # With a filter: search.window (without, search.top).
    '{ search(text: "Zhang", kinds: [PERSON]) { totalCount edges { node { id } } } }',
    '{ keyDeciders(accountId: "org-a") { person { id name phone } competition { closer } } }',
    '{ decisionAssessment(accountId: "org-a") { supportAnswer } }',
    '{ relationshipPath(fromId: "pa-cfo", toId: "pa-br") { weight } }',
    '{ warmIntroductions(targetId: "pa-ceo") { weight } }',
    '{ crossSell(partyId: "org-a") { suggestions { rank } } }',
    # As-of variants (issue 14.2) run under their query's declaration.
    """{ keyDeciders(opportunityId: "opp-a-lost", atClose: true) { rank }
         orgChart(organizationId: "org-a", asOf: "2025-01-01") { nodes { id } }
         relationshipPath(fromId: "pa-cfo", toId: "pa-br", asOf: "2025-01-01") { weight }
         crossSell(partyId: "org-a", asOf: "2025-01-01") { suggestions { rank } } }""",
    # The 360° view as of a day (view.parties_asof), every part of it.
    """{ party(id: "pa-ceo", asOf: "2025-01-01") {
      id signals { tier } coverage { strength } relationships { kind } accountTeams { id }
      interactions(first: 5) { totalCount } masked
      ... on Person { employments { title } managers { id } directReports { id }
        household { relation } holdings { id } householdHoldings { id } beneficiaryOf { id } }
    } }""",
    """{ party(id: "org-a", asOf: "2025-01-01") {
      ... on Organization { ancestors { id } children { id } people(first: 5) { totalCount }
        holdings { id } openOpportunities { id } events { title } }
    } }""",
    '{ auditTrail(partyId: "pa-ceo") { totalCount edges { node { action } } } }',
    '{ jobChanges(repId: "rep-a1") { edges { node { personId } } } }',
    "{ portfolio(first: 5) { edges { node { id } } } }",
    "{ portfolio(orderBy: NAME_DESC, first: 5) { edges { node { id } } } }",
    "{ portfolio(orderBy: PROFILE_SCORE, first: 5) { edges { node { id } } } }",
    "{ portfolio(orderBy: PROFILE_SCORE_DESC, first: 5) { edges { node { id } } } }",
    "{ portfolio(orderBy: LAST_FOLLOW_UP, first: 5) { edges { node { id } } } }",
    "{ portfolio(orderBy: LAST_FOLLOW_UP_DESC, first: 5) { edges { node { id } } } }",
    "{ portfolio(filter: {mine: true}) { edges { node { id } } } }",
    # The walks of one tier's or one decision-layer gap's list, in every order (their own
    # indexes: services/portfolio.py `_TIER_VARIANT`, `_GAP_VARIANT`).
    *(
        f"{{ portfolio(filter: {{{flt}}}, orderBy: {order}, first: 5) {{ {EDGE_IDS} }} }}"
        for flt in (
            "tier: STRATEGIC",
            "decisionLayerGap: NO_SUPPORTER",
            "decisionLayerGap: UNCOVERED",
        )
        for order in ORDERS
    ),
    "{ radMatrix { cell count } }",
    '{ accountEconomics(accountId: "org-a") { group { people } } }',
    '{ opportunityAssessment(opportunityId: "opp-a") { gaps { message } } }',
    '{ funnel(accountId: "org-a") { openCount } }',
    "{ changesCursor changes(first: 5) { edges { node { position } } } }",
    # Timestamps of nodes a search found (view.stamps); a node other than a party by its
    # global id, base64 of "Opportunity:opp-a" (view.nodes).
    '{ search(text: "Zhang") { edges { node { id createdAt } } } }',
    '{ node(id: "T3Bwb3J0dW5pdHk6b3BwLWE=") { id } }',
]
# Reads an admin's lists over the whole graph run (by the order's index): a rep's and a
# manager's lists are their book, read by `portfolio.book` instead.
WHOLE_GRAPH_READS = frozenset(
    {
        *(
            f"portfolio.{name}{variant}"
            for name in (
                "by_name",
                "by_name_desc",
                "by_score",
                "by_score_desc",
                "by_follow_up",
                "by_follow_up_desc",
            )
            for variant in ("", "_tier", "_no_supporter", "_uncovered")
        ),
        "portfolio.rad_counts",
    }
)
# Reads only an admin may ask for (a rep is FORBIDDEN before any query runs), with the query
# each runs.
ADMIN_READS = ["{ archivedNodes(first: 5) { edges { node { id kind } } } }"]
ADMIN_ONLY_QUERIES = frozenset({"lifecycle.archived"})
# An opportunity of org-a (the rep's account) for the TAS reads.
OPPORTUNITY_A = {
    "opportunities": [
        {"id": "opp-a", "name": "Alpha", "accountId": "org-a", "stage": "QUALIFIED"},
        {
            "id": "opp-a-lost",
            "name": "Alpha lost",
            "accountId": "org-a",
            "stage": "LOST",
            "closeDate": "2025-03-01",
        },
    ]
}
WRITE = """
mutation {
  applyChanges(changes: [
    { createPerson: { id: "pa-scoped", name: "Scoped" } }
    { setEmployment: { personId: "pa-scoped", organizationId: "org-a", title: "x" } }
    { setReportingLine: { personId: "pa-scoped", managerId: "pa-ceo" } }
    { createInteraction: { id: "i-scoped", kind: CALL, at: "2026-01-01T00:00:00Z",
                           partyIds: ["pa-scoped"] } }
    { updateOrganization: { id: "org-a-br", expectedVersion: 1, parentId: "org-a" } }
  ]) { __typename }
}
"""


@pytest.fixture(scope="module")
def production(neo4j_uri: str) -> Iterator[LiveServer]:
    """The production-mode server, its key-decider analyses in its own process: `recorded`
    patches this process's store. (An analysis process reads through the same ScopedStore,
    bound to the access sent with the question: tests/integration/test_analysis_processes.py
    compares a rep's answers from there with these.)"""
    live = LiveServer(production_settings(neo4j_uri, analysis_processes=0)).start()
    yield live
    live.stop()


# The service's own periodic jobs (api/app.py's lifespan tasks) run whenever their timer
# says, also in the middle of a test: no viewer's request, not what these tests look at.
BACKGROUND = frozenset(
    {"portfolio.due", "audit.prune", "feed.prune", "feed.prune_upto", "idempotency.prune"}
)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every named query the service runs, with its parameters (the live server's store is
    the same class, in another thread)."""
    runs: list[tuple[str, dict[str, Any]]] = []
    read, run = Store.read, Transaction.run

    async def recording_read(self: Store, name: str, params: Any = None, **options: Any) -> Any:
        if name not in BACKGROUND:
            runs.append((name, dict(params or {})))
        return await read(self, name, params, **options)

    async def recording_run(self: Transaction, name: str, params: Any = None) -> Any:
        if name not in BACKGROUND:
            runs.append((name, dict(params or {})))
        return await run(self, name, params)

    monkeypatch.setattr(Store, "read", recording_read)
    monkeypatch.setattr(Transaction, "run", recording_run)
    yield runs


async def test_every_query_a_rep_runs_carries_their_scope(
    db: Database, production: LiveServer, tmp_path: Path, recorded: list[Any]
) -> None:
    await db.load(GRAPH, tmp_path)
    await db.load(OPPORTUNITY_A, tmp_path, clear=False)
    recorded.clear()  # the import's queries: an operator's, not the API's
    rep = as_key(production.url, "rep-a1")
    for read in READ_ALL:
        data_of(await rep(read))
    # A party the rep may not see: not found, after the miss's check (lifecycle.resolve:
    # archived, or a merged party's alias), which runs under the rep's scope too.
    assert error_codes(await rep('{ party(id: "pb-vip") { id } }')) == ["NOT_FOUND"]
    data_of(await rep(WRITE))
    # The store's own bookkeeping (the graph's version, bumped in every write transaction)
    # is no read of the API's.
    names = {
        name.removesuffix(AS_OF_SUFFIX)
        for name, _ in recorded
        if not name.startswith("graph_version.")
    }
    assert any(name.endswith(AS_OF_SUFFIX) for name, _ in recorded)
    # The 360° view as of a day ran as its own variant, under the same scope (below).
    assert "view.parties" + AS_OF_SUFFIX in {name for name, _ in recorded}
    # The rep's own scope, then only declared queries.
    assert "access.scope" in names
    assert names - {"access.scope"} <= set(QUERY_SCOPES), names - set(QUERY_SCOPES)
    # Every query of the API's reads ran (the write queries vary with the changes).
    reads = {n for n, d in QUERY_SCOPES.items() if d.scoping is not Scoping.WRITE}
    assert reads - names == WHOLE_GRAPH_READS | ADMIN_ONLY_QUERIES
    for read in ADMIN_READS:
        assert error_codes(await rep(read)) == ["FORBIDDEN"]
    for name, params in ((n.removesuffix(AS_OF_SUFFIX), p) for n, p in recorded):
        if name in names and name != "access.scope" and QUERY_SCOPES[name].visible:
            # The rep's visible ids: a list (an admin's is null), never forgotten.
            assert isinstance(params.get("visible"), list) and "pa-ceo" in params["visible"]
            assert "pb-vip" not in params["visible"], name


async def test_an_admin_runs_the_same_queries_unrestricted(
    db: Database, production: LiveServer, tmp_path: Path, recorded: list[Any]
) -> None:
    await db.load(GRAPH, tmp_path)
    await db.load(OPPORTUNITY_A, tmp_path, clear=False)
    recorded.clear()
    admin = as_key(production.url, "admin")
    for read in READ_ALL + ADMIN_READS:
        data_of(await admin(read))
    assert "access.scope" not in {name for name, _ in recorded}
    ran = {name.removesuffix(AS_OF_SUFFIX) for name, _ in recorded}
    assert ran >= WHOLE_GRAPH_READS | ADMIN_ONLY_QUERIES
    for name, params in ((n.removesuffix(AS_OF_SUFFIX), p) for n, p in recorded):
        if not name.startswith("graph_version.") and QUERY_SCOPES[name].visible:
            assert params["visible"] is None, name
