"""How database failures reach a client: a lost commit is COMMIT_UNKNOWN (never the
SERVICE_UNAVAILABLE that says nothing was written), both carry a retry hint, and a database
known to be down (a local Neo4j being restarted) fails requests at once."""

from __future__ import annotations

import pytest
from neo4j import AsyncManagedTransaction
from neo4j.exceptions import IncompleteCommit

from graph_api.domain.errors import CommitUnknown, Unavailable
from graph_api.store.neo4j_store import RETRY_AFTER_S, Store


async def test_a_commit_lost_on_the_way_is_commit_unknown(store: Store) -> None:
    # The driver raises IncompleteCommit when the connection drops while it waits for the
    # commit's answer (tests/integration/test_fault.py meets it for real); it is not retried.
    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run("RETURN 1")
        raise IncompleteCommit("connection lost while committing")

    with pytest.raises(CommitUnknown) as raised:
        await store.transaction(work)
    extensions = raised.value.extensions()
    assert extensions["code"] == "COMMIT_UNKNOWN"
    assert extensions["retryAfter"] == RETRY_AFTER_S
    assert "Idempotency-Key" in raised.value.message
    assert not isinstance(raised.value, Unavailable)


async def test_a_database_known_to_be_down_fails_at_once(neo4j_uri: str) -> None:
    store = Store.connect(neo4j_uri, "neo4j", "", "neo4j", wait_s=1)
    store.known_down = lambda: "the local Neo4j died (exit -9); restarting it"
    try:
        with pytest.raises(Unavailable) as raised:
            await store.read("MATCH (n) RETURN count(n) AS n")
        assert "restarting it" in raised.value.message
        assert raised.value.extensions()["retryAfter"] == RETRY_AFTER_S
        store.known_down = lambda: None
        rows = await store.read("RETURN 1 AS one")
        assert rows[0]["one"] == 1
    finally:
        await store.close()


async def test_an_unreachable_database_is_unavailable_naming_its_uri() -> None:
    from tests.conftest import free_port

    uri = f"bolt://127.0.0.1:{free_port()}"
    store = Store.connect(uri, "neo4j", "", "neo4j", wait_s=0.5)
    try:
        for attempt in (store.read("RETURN 1"), store.write("CREATE (n:X) RETURN n"), store.ping()):
            with pytest.raises(Unavailable) as raised:
                await attempt
            assert uri in raised.value.message
            assert raised.value.extensions()["code"] == "SERVICE_UNAVAILABLE"
    finally:
        await store.close()
