"""Key-decider analyses in processes of their own (services/analysis_processes.py) answer
exactly what the serving process answers by itself, keep the request's one round trip per
scope, pass domain errors through, and survive a killed process.

Each check compares the answer through an analysis process with the in-process one
(`runner=None`) on the demo data, for every account and opportunity, as an admin and as a
rep who sees part of it, in English and Chinese; and it checks that a process was started
(else the comparison would compare the in-process path with itself).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from graph_api.api.app import create_app
from graph_api.domain.access import DEVELOPMENT_VIEWER, Access, Role, Viewer
from graph_api.domain.errors import NotFound
from graph_api.domain.i18n import Language
from graph_api.services.access import access_for
from graph_api.services.analysis_processes import AnalysisProcesses, Connection
from graph_api.services.deciders import (
    DecisionScope,
    buying_centre,
    decision_assessment,
    key_deciders,
)
from graph_api.store.neo4j_store import Store, start_counting_round_trips
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database, settings_for

ADMIN = Access.everything(DEVELOPMENT_VIEWER)


def connection(store: Store, cache_size: int = 0) -> Connection:
    return Connection(
        uri=store.uri,
        user="neo4j",
        password="",
        database=store.database,
        pool_size=4,
        connection_timeout_s=5.0,
        query_timeout_s=60.0,
        wait_s=3.0,
        cache_size=cache_size,
        gc_threshold=0,
    )


def children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


@pytest_asyncio.fixture
async def runner(store: Store) -> AsyncIterator[AnalysisProcesses]:
    processes = AnalysisProcesses(2, lambda: connection(store))
    yield processes
    processes.close()


async def scopes(store: Store) -> list[DecisionScope]:
    accounts = await store.read("MATCH (o:Organization) RETURN o.id AS id ORDER BY id")
    opportunities = await store.read("MATCH (o:Opportunity) RETURN o.id AS id ORDER BY id")
    return [
        *(
            DecisionScope(account_id=r["id"], include_subsidiaries=s)
            for r in accounts
            for s in (False, True)
        ),
        *(DecisionScope(opportunity_id=r["id"]) for r in opportunities),
    ]


async def answers(reader: ScopedStore, scope: DecisionScope, **kw: Any) -> Any:
    """Every job on the scope, or the error's code and field."""
    try:
        return (
            await key_deciders(reader, scope, 10, 100, **kw),
            await key_deciders(reader, scope, 3, 100, language=Language.ZH, **kw),
            await decision_assessment(reader, scope, **kw),
            await decision_assessment(reader, scope, language=Language.ZH, details=False, **kw),
            await buying_centre(reader, scope, **kw),
        )
    except NotFound as exc:
        return (exc.code, exc.field, exc.value)


async def test_the_processes_answer_as_the_serving_process(
    db: Database, store: Store, runner: AnalysisProcesses
) -> None:
    await db.demo()
    before = children()
    rep = await access_for(store, Viewer("liu-yang", Role.REP, "rep-liu-yang"))
    compared = hidden = 0
    for access in (ADMIN, rep):
        reader = ScopedStore(store, access)
        for scope in await scopes(store):
            here = await answers(reader, scope)
            there = await answers(reader, scope, runner=runner)
            assert there == here, scope
            if isinstance(here[0], str):
                hidden += 1
            else:
                compared += len(here[0])
    # An analysis process was started (one at least: questions asked one after the other
    # go to the first idle one), people were ranked, and the rep's invisible accounts were
    # NOT_FOUND through the processes too.
    assert children() - before
    assert compared > 50
    assert hidden > 0


async def test_one_round_trip_per_scope_and_request(
    db: Database, store: Store, runner: AnalysisProcesses
) -> None:
    await db.demo()
    reader = ScopedStore(store, ADMIN)
    scope = DecisionScope(account_id="org-cimc")
    counter = start_counting_round_trips()
    memo: dict[Any, Any] = {}
    ranked = await key_deciders(reader, scope, 5, 100, memo=memo, details=False, runner=runner)
    assessed = await decision_assessment(reader, scope, memo=memo, details=False, runner=runner)
    centre = await buying_centre(reader, scope, memo=memo, runner=runner)
    # The scope query ran once, in an analysis process, and was counted here.
    assert counter.count == 1
    assert ranked == await key_deciders(reader, scope, 5, 100, details=False)
    assert assessed == await decision_assessment(reader, scope, details=False)
    assert centre == await buying_centre(reader, scope)


async def test_a_killed_process_is_replaced(
    db: Database, store: Store, runner: AnalysisProcesses
) -> None:
    await db.demo()
    reader = ScopedStore(store, ADMIN)
    scope = DecisionScope(account_id="org-cimc", include_subsidiaries=True)
    before = children()
    first = await key_deciders(reader, scope, 5, 100, runner=runner)
    started = children() - before
    assert len(started) == 1
    for pid in started:
        os.kill(pid, signal.SIGKILL)
    assert await key_deciders(reader, scope, 5, 100, runner=runner) == first
    assert not started & children()  # the killed one is gone, another answered


async def test_start_readies_every_process_before_any_question(
    db: Database, store: Store, runner: AnalysisProcesses
) -> None:
    """`start` (what `graph-api serve` does with the app) spawns the processes and connects
    them: a first question then starts nothing (it would pay for a process's start)."""
    await db.demo()
    before = children()
    pids = {await asyncio.wrap_future(ready) for ready in runner.start()}
    assert len(pids) == 2
    assert pids <= children() - before
    started = children()
    scope = DecisionScope(account_id="org-cimc", include_subsidiaries=True)
    reader = ScopedStore(store, ADMIN)
    ranked = await key_deciders(reader, scope, 5, 100, runner=runner)
    assert ranked == await key_deciders(reader, scope, 5, 100)
    assert children() == started


async def test_the_served_app_starts_its_analysis_processes(store: Store) -> None:
    """create_app(start_analysis=True) starts the processes with the app; without it they
    wait for a first question (what every other app of the tests does)."""
    settings = settings_for(store.uri, analysis_processes=1, webhook_worker=False)
    for start, started in ((False, 0), (True, 1)):
        before = children()
        app = create_app(settings, store, start_analysis=start)
        async with app.router.lifespan_context(app):
            for _ in range(200):
                if len(children() - before) >= started:
                    break
                await asyncio.sleep(0.05)
            assert len(children() - before) == started
