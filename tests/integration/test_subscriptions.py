"""Subscriptions over WebSocket (graphql-transport-ws): a change arrives as it is committed,
a reconnect with the last cursor resumes without a gap, and credentials are checked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest
import websockets

from tests.conftest import Database, GraphQLClient, LiveServer, data_of

CREATE = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }"""
SUBSCRIBE = """subscription($after: String) {
  changes(types: ["people"], after: $after) { cursor position action key }
}"""


async def connect(server: LiveServer, payload: dict[str, Any] | None = None) -> Any:
    ws = await websockets.connect(
        server.url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    await ws.send(orjson.dumps({"type": "connection_init", "payload": payload or {}}).decode())
    ack = orjson.loads(await asyncio.wait_for(ws.recv(), 60))
    assert ack["type"] == "connection_ack", ack
    return ws


async def subscribe(ws: Any, after: str | None) -> None:
    message = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": SUBSCRIBE, "variables": {"after": after}},
    }
    await ws.send(orjson.dumps(message).decode())


async def next_change(ws: Any) -> dict[str, Any]:
    message = orjson.loads(await asyncio.wait_for(ws.recv(), 60))
    assert message["type"] == "next", message
    change: dict[str, Any] = data_of(message["payload"])["changes"]
    return change


async def test_a_subscription_receives_changes_and_resumes_after_a_reconnect(
    db: Database, server: LiveServer, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"organizations": [{"id": "org-acme", "name": "Acme"}]}, tmp_path)
    ws = await connect(server)
    await subscribe(ws, None)
    await asyncio.sleep(1.0)  # the subscription takes its starting position first
    data_of(await gql(CREATE, {"input": {"id": "p-1", "name": "One"}}))
    first = await next_change(ws)
    assert first["key"] == {"id": "p-1"} and first["action"] == "CREATE"
    await ws.close()

    # Written while the client is away: sent first after the reconnect, then what follows.
    data_of(await gql(CREATE, {"input": {"id": "p-2", "name": "Two"}}))
    ws = await connect(server)
    await subscribe(ws, first["cursor"])
    missed = await next_change(ws)
    assert missed["key"] == {"id": "p-2"} and missed["position"] == first["position"] + 1
    data_of(await gql(CREATE, {"input": {"id": "p-3", "name": "Three"}}))
    live = await next_change(ws)
    assert live["key"] == {"id": "p-3"} and live["position"] == missed["position"] + 1
    await ws.close()


@pytest.fixture(scope="module")
def production(neo4j_uri: str) -> Any:
    from tests.principals import production_settings

    live = LiveServer(production_settings(neo4j_uri)).start()
    yield live
    live.stop()


async def test_a_subscription_is_authenticated_like_http(
    db: Database, production: LiveServer, tmp_path: Path
) -> None:
    from tests.principals import KEYS

    ws = await websockets.connect(
        production.url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
    )
    await ws.send(
        orjson.dumps({"type": "connection_init", "payload": {"X-API-Key": "nope"}}).decode()
    )
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 60)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    ok = await connect(production, {"X-API-Key": KEYS["admin"]})
    await ok.close()
