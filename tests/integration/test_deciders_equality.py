"""The columnar key-decider path answers exactly what the old one did.

The old path (one list per person from Cypher, networkx graphs, a Candidate per person) is
kept frozen in `tests/integration/deciders_reference`; here both run on the same database
and every field of every decider (explanations, score parts, coverage, in English and in
Chinese) and of the assessment must be equal: on every account and opportunity of the demo
data, as an admin and as reps who see part of it, and on generated accounts (a 300-person
group with subsidiaries, departments, dotted lines from the generator's shapes, advisers
and coverage).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from graph_api.analytics.assessment import assess
from graph_api.analytics.deciders import rank_deciders, score_deciders
from graph_api.analytics.deciders_zh import assessment_in_chinese, in_chinese
from graph_api.bulk.load import import_path
from graph_api.domain.access import DEVELOPMENT_VIEWER, Access, Role, Viewer
from graph_api.generate import AccountShape, account, document
from graph_api.services.access import access_for
from graph_api.services.deciders import DecisionScope, fetch_scope, graph_from_record
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database
from tests.integration import deciders_reference as reference
from tests.integration.deciders_reference import analytics as old_analytics
from tests.integration.deciders_reference import assessment as old_assessment
from tests.integration.deciders_reference import zh as old_zh

ADMIN = Access.everything(DEVELOPMENT_VIEWER)


async def assert_same_answers(
    store: Store,
    access: Access,
    *,
    account_id: str | None = None,
    opportunity_id: str | None = None,
    subsidiaries: bool = False,
) -> int:
    """Compares the new and the old path on one scope; answers how many people were ranked."""
    scope = DecisionScope(account_id, opportunity_id, subsidiaries)
    new_graph = graph_from_record(await fetch_scope(ScopedStore(store, access), scope))
    old_graph = await reference.reference_graph(
        store, access, account_id, opportunity_id, subsidiaries
    )
    what = f"{account_id or opportunity_id} subsidiaries={subsidiaries} viewer={access.viewer}"
    new = rank_deciders(new_graph, scored=score_deciders(new_graph))
    old = old_analytics.rank_deciders(old_graph)
    assert len(new) == len(old), what
    for a, b in zip(new, old, strict=True):
        assert a == b, f"{what}: rank {b.rank}\nnew {a}\nold {b}"
        assert in_chinese(new_graph, a) == old_zh.in_chinese(old_graph, b), what
    # A ranking cut short is the start of the whole one.
    assert rank_deciders(new_graph, 3) == old[:3], what
    new_assessment = assess(new_graph)
    old_assessment_ = old_assessment.assess(old_graph)
    assert new_assessment == old_assessment_, what
    assert assessment_in_chinese(new_graph, new_assessment) == old_zh.assessment_in_chinese(
        old_graph, old_assessment_
    ), what
    return len(new)


async def test_the_demo_data_ranks_as_before_for_every_scope_and_viewer(
    db: Database, store: Store
) -> None:
    await db.demo()
    accounts = [
        r["id"] for r in await store.read("MATCH (o:Organization) RETURN o.id AS id ORDER BY id")
    ]
    people = [r["id"] for r in await store.read("MATCH (p:Person) RETURN p.id AS id ORDER BY id")]
    opportunities = [
        r["id"] for r in await store.read("MATCH (o:Opportunity) RETURN o.id AS id ORDER BY id")
    ]
    # Admin, the demo's rep of 中集 (刘洋) and their manager (马骏): the reps see part of it.
    viewers = [
        ADMIN,
        await access_for(store, Viewer("liu-yang", Role.REP, "rep-liu-yang")),
        await access_for(store, Viewer("ma-jun", Role.MANAGER, "rep-ma-jun")),
    ]
    ranked = 0
    for access in viewers:
        for account_id in [*accounts, *people[:5]]:
            for subsidiaries in (False, True):
                if access.sees(account_id):
                    ranked += await assert_same_answers(
                        store, access, account_id=account_id, subsidiaries=subsidiaries
                    )
        for opportunity_id in opportunities:
            scope = DecisionScope(opportunity_id=opportunity_id)
            record = await store.read(
                "MATCH (:Opportunity {id: $id})-[:FOR_ACCOUNT]->(a) RETURN a.id AS id",
                {"id": opportunity_id},
            )
            if access.sees(record[0]["id"]):
                ranked += await assert_same_answers(
                    store, access, opportunity_id=scope.opportunity_id
                )
    # The comparisons ranked people (a test that compared empty lists would prove nothing).
    assert ranked > 50


@pytest.mark.parametrize("seed", [3, 11])
async def test_generated_accounts_rank_as_before(
    db: Database, store: Store, tmp_path: Path, seed: int
) -> None:
    shapes = [
        AccountShape(
            people=300,
            kind="GROUP",
            branches=2,
            subsidiaries=2,
            departments=4,
            fan_out_top=6,
            fan_out=4,
            markers=15,
            influence=450,
            advisers=6,
            acquaintances=200,
            households=40,
            team=4,
            covered=40,
            opportunities=2,
        ),
        AccountShape(people=60, departments=2, markers=8, influence=90, advisers=2, team=2),
    ]
    doc = document(lambda gen: [account(gen, s) for s in shapes], seed=seed, reps=20)
    made = doc.pop("result")
    path = tmp_path / "accounts.json"
    path.write_bytes(orjson.dumps(doc))
    await store.clear(everything=True)
    db.dirty()
    report = await import_path(store, path)
    assert not report.problems, [p.line() for p in report.problems[:5]]
    ranked = 0
    for acct in made:
        for subsidiaries in (False, True):
            ranked += await assert_same_answers(
                store, ADMIN, account_id=acct.root_id, subsidiaries=subsidiaries
            )
        for opportunity_id in acct.opportunity_ids:
            ranked += await assert_same_answers(store, ADMIN, opportunity_id=opportunity_id)
    assert ranked > 300
