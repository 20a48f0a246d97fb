"""Webhooks against a receiver the test runs on loopback (http.server in a thread): signed
deliveries, retries with backoff after failures and timeouts, the dead-letter list and its
replay, exactly one deliverer per webhook among several workers (the lease in Neo4j), a
restart that resumes from the cursor, the feed's retention held back by a webhook, access.

The delivery workers are driven round by round (`tick()`), with small backoff settings, so
that each test says exactly what the receiver must have seen after each round.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest

from graph_api.config import Settings
from graph_api.metrics import REGISTRY
from graph_api.services.feed import prune_feed
from graph_api.services.webhooks import DeliveryWorker
from graph_api.store.neo4j_store import Store
from tests.conftest import (
    Database,
    GraphQLClient,
    LiveServer,
    data_of,
    error_codes,
    run_cli,
    settings_for,
)
from tests.principals import as_key

SECRET = "test-secret-0123456789abcdef"

CREATE_HOOK = """
mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { secret webhook { id url eventTypes partyIds enabled cursor } }
}"""
UPDATE_HOOK = """
mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { id enabled cursor } }"""
DELETE_HOOK = "mutation($id: ID!) { deleteWebhook(id: $id) { id } }"
HOOKS = "{ webhooks { id url description leaseOwner } }"
DELIVERIES = """
query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(webhookId: $id, status: $status, first: $first, after: $after) {
    edges { cursor node { id kind position type status replays payload
                          attempts { at statusCode error durationMs } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
DEAD = """
query($id: ID) { webhookDeadLetters(webhookId: $id) { id position status
                                                      attempts { statusCode error } } }"""
REPLAY = "mutation($ids: [ID!]!) { replayWebhookDeliveries(ids: $ids) { id status } }"
CREATE_PERSON = "mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }"


class Receiver:
    """An HTTP receiver on loopback. `plan` holds what to do with the next requests, in
    order: an HTTP status to answer, or ("sleep", seconds) to answer 200 that late; when it
    is empty, 200. Every request is kept (headers, body, the status it was answered)."""

    def __init__(self) -> None:
        self.plan: list[Any] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    action = receiver.plan.pop(0) if receiver.plan else 200
                if isinstance(action, tuple):
                    time.sleep(action[1])
                    action = 200
                with receiver.lock:
                    receiver.requests.append(
                        {"headers": dict(self.headers), "body": body, "status": action}
                    )
                try:
                    self.send_response(action)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the worker gave up waiting (a timeout)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accepted(self) -> list[dict[str, Any]]:
        """The bodies of the requests answered 2xx, in order."""
        with self.lock:
            return [orjson.loads(r["body"]) for r in self.requests if r["status"] == 200]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def worker_settings(uri: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "webhook_worker": True,
        # Generous: a loopback answer is never slower on a loaded machine (the timeout test
        # sets its own).
        "webhook_timeout_s": 5.0,
        # Long enough that no lease runs out in a test on a loaded machine by accident
        # (the expiry test makes its lease run out on purpose).
        "webhook_lease_s": 10.0,
        "webhook_backoff_base_s": 0.05,
        "webhook_backoff_factor": 2.0,
        "webhook_backoff_cap_s": 0.2,
        "webhook_max_attempts": 3,
    }
    values.update(overrides)
    return settings_for(uri, **values)


async def register(gql: GraphQLClient, url: str, **extra: Any) -> str:
    body = await gql(
        CREATE_HOOK,
        {
            "input": {
                "url": url,
                "eventTypes": ["people"],
                "description": "test receiver",
                "secret": SECRET,
                **extra,
            }
        },
    )
    created = data_of(body)["createWebhook"]
    assert created["secret"] is None  # given, not generated: not answered
    return str(created["webhook"]["id"])


async def create_people(gql: GraphQLClient, *ids: str) -> None:
    for pid in ids:
        data_of(await gql(CREATE_PERSON, {"input": {"id": pid, "name": pid}}))


async def rounds(worker: DeliveryWorker, n: int, pause_s: float = 0.0) -> None:
    for _ in range(n):
        await worker.tick()
        if pause_s:
            await asyncio.sleep(pause_s)


async def until_delivered(worker: DeliveryWorker, receiver: Receiver, count: int) -> None:
    """Rounds until the receiver accepted `count` requests (backoff waits in between)."""
    for _ in range(100):
        if len(receiver.accepted()) >= count:
            return
        await worker.tick()
        await asyncio.sleep(0.06)
    raise AssertionError(f"only {len(receiver.accepted())} of {count} delivered")


async def deliveries(gql: GraphQLClient, hook: str, **args: Any) -> list[dict[str, Any]]:
    body = await gql(DELIVERIES, {"id": hook, "first": 100, **args})
    return [e["node"] for e in data_of(body)["webhookDeliveries"]["edges"]]


def delivered_count() -> float:
    return (
        REGISTRY.get_sample_value("graph_api_webhook_attempts_total", {"outcome": "DELIVERED"}) or 0
    )


@pytest.fixture
async def fresh(db: Database) -> AsyncIterator[Database]:
    await db.empty()
    yield db
    # No registration outlives its test: an enabled webhook holds the feed's retention back
    # (the feed's tests prune), whatever state a failed test left it in.
    await db.store.driver.execute_query(
        "MATCH (n) WHERE n:Webhook OR n:WebhookDelivery DETACH DELETE n",
        database_=db.store.database,
    )


async def test_a_change_is_posted_signed_with_its_cursor_and_delivery_id(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    hook = await register(gql, receiver.url)
    await create_people(gql, "p-wh-1")
    delivered_before = delivered_count()
    worker = DeliveryWorker(store, worker_settings(neo4j_uri), owner="w1")
    try:
        await rounds(worker, 1)
    finally:
        await worker.close()
    assert len(receiver.requests) == 1
    assert delivered_count() == delivered_before + 1  # graph_api_webhook_attempts_total
    request = receiver.requests[0]
    body: bytes = request["body"]
    headers = request["headers"]
    # Verified as a receiver would: t and v1 from the header, HMAC-SHA256 of "<t>.<body>".
    parts = dict(item.split("=", 1) for item in headers["X-Graph-Signature"].split(","))
    expected = hmac.new(
        SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert abs(int(parts["t"]) - time.time()) < 60
    assert headers["X-Graph-Webhook"] == hook
    change = orjson.loads(body)
    assert change["type"] == "people" and change["action"] == "CREATE"
    assert change["key"] == {"id": "p-wh-1"} and change["partyIds"] == ["p-wh-1"]
    # The body is the change as `changes` shows it, cursor included.
    page = data_of(await gql("{ changes { edges { cursor node { id position } } } }"))
    (edge,) = [e for e in page["changes"]["edges"] if e["node"]["id"] == change["id"]]
    assert change["cursor"] == edge["cursor"] and change["position"] == edge["node"]["position"]
    assert headers["X-Graph-Delivery"] == f"{hook}:{change['position']}"
    (logged,) = await deliveries(gql, hook)
    assert logged["status"] == "DELIVERED" and logged["id"] == headers["X-Graph-Delivery"]
    assert [a["statusCode"] for a in logged["attempts"]] == [200]
    assert logged["payload"] == change
    # A second round sends nothing more: the cursor moved past the change.
    worker = DeliveryWorker(store, worker_settings(neo4j_uri), owner="w1")
    try:
        await rounds(worker, 1)
    finally:
        await worker.close()
    assert len(receiver.requests) == 1
    fresh.dirty()


async def test_failures_are_retried_with_backoff_in_order_and_logged(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    # Five tries allowed: 500, 500, then 200 for the first change; the second waits for it.
    receiver.plan = [500, 503]
    hook = await register(gql, receiver.url)
    await create_people(gql, "p-r-1", "p-r-2")
    worker = DeliveryWorker(store, worker_settings(neo4j_uri, webhook_max_attempts=5), "w1")
    try:
        await worker.tick()  # the first try fails: the worker waits (backoff 0.05 s)
        assert [r["status"] for r in receiver.requests] == [500]
        await until_delivered(worker, receiver, 2)
    finally:
        await worker.close()
    statuses = [r["status"] for r in receiver.requests]
    assert statuses == [500, 503, 200, 200]
    # Each change accepted once, in feed order.
    assert [b["key"]["id"] for b in receiver.accepted()] == ["p-r-1", "p-r-2"]
    # The retries carry the same delivery id (the receiver deduplicates by it).
    ids = [r["headers"]["X-Graph-Delivery"] for r in receiver.requests]
    assert ids[0] == ids[1] == ids[2] != ids[3]
    logged = {d["payload"]["key"]["id"]: d for d in await deliveries(gql, hook)}
    first = logged["p-r-1"]
    assert first["status"] == "DELIVERED"
    assert [(a["statusCode"], a["error"]) for a in first["attempts"]] == [
        (500, "HTTP 500"),
        (503, "HTTP 503"),
        (200, None),
    ]
    # Exponential backoff: 0.05 s after the first failure, 0.1 s after the second (at least;
    # an attempt's time is when it ended, so the gap also holds the next try's duration).
    at = [datetime.fromisoformat(a["at"]) for a in first["attempts"]]
    assert (at[1] - at[0]).total_seconds() >= 0.05
    assert (at[2] - at[1]).total_seconds() >= 0.1
    assert [a["statusCode"] for a in logged["p-r-2"]["attempts"]] == [200]
    fresh.dirty()


async def test_a_receiver_that_times_out_is_tried_again(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    receiver.plan = [("sleep", 3.0)]  # the worker's timeout is 1 s
    hook = await register(gql, receiver.url)
    await create_people(gql, "p-t-1")
    worker = DeliveryWorker(store, worker_settings(neo4j_uri, webhook_timeout_s=1.0), "w1")
    try:
        await until_delivered(worker, receiver, 2)  # the late answer counts in the log only
    finally:
        await worker.close()
    (logged,) = await deliveries(gql, hook)
    assert logged["status"] == "DELIVERED"
    (timed_out, ok) = logged["attempts"]
    assert timed_out["statusCode"] is None and timed_out["error"].startswith("timed out after 1 s")
    assert timed_out["durationMs"] >= 950
    assert (ok["statusCode"], ok["error"]) == (200, None)
    fresh.dirty()


async def test_after_max_attempts_a_dead_letter_the_worker_goes_on_and_replay_delivers_it(
    fresh: Database,
    store: Store,
    gql: GraphQLClient,
    receiver: Receiver,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Three tries allowed: the first change fails all three and is dead-lettered; the second
    # is then delivered; the replay of the first, after the receiver recovered, succeeds.
    receiver.plan = [500, 500, 500]
    hook = await register(gql, receiver.url)
    await create_people(gql, "p-d-1", "p-d-2")
    worker = DeliveryWorker(store, worker_settings(neo4j_uri), "w1")
    try:
        await until_delivered(worker, receiver, 1)
        assert [r["status"] for r in receiver.requests] == [500, 500, 500, 200]
        assert [b["key"]["id"] for b in receiver.accepted()] == ["p-d-2"]
        dead = data_of(await gql(DEAD, {"id": hook}))["webhookDeadLetters"]
        assert [d["status"] for d in dead] == ["DEAD"]
        assert [a["statusCode"] for a in dead[0]["attempts"]] == [500, 500, 500]
        dead_id = dead[0]["id"]
        # The operator's command lists the same.
        capsys.readouterr()
        assert await run_cli(neo4j_uri, monkeypatch, "webhooks", "list") == 0
        assert f"{hook}  enabled  {receiver.url}  types=people" in capsys.readouterr().out
        assert await run_cli(neo4j_uri, monkeypatch, "webhooks", "dead-letters") == 0
        assert f"{dead_id}  people  tries=3" in capsys.readouterr().out
        # Replaying something that is not dead is refused, and then nothing is replayed.
        delivered = await deliveries(gql, hook, status="DELIVERED")
        refused = await gql(REPLAY, {"ids": [dead_id, delivered[0]["id"]]})
        assert error_codes(refused) == ["CONFLICT"]
        assert error_codes(await gql(REPLAY, {"ids": ["no-such-delivery"]})) == ["NOT_FOUND"]
        replayed = data_of(await gql(REPLAY, {"ids": [dead_id]}))["replayWebhookDeliveries"]
        assert replayed == [{"id": dead_id, "status": "REPLAY"}]
        await until_delivered(worker, receiver, 2)
    finally:
        await worker.close()
    assert [b["key"]["id"] for b in receiver.accepted()] == ["p-d-2", "p-d-1"]
    assert receiver.requests[-1]["headers"]["X-Graph-Delivery"] == dead_id
    assert data_of(await gql(DEAD, {"id": hook}))["webhookDeadLetters"] == []
    (again,) = [d for d in await deliveries(gql, hook) if d["id"] == dead_id]
    assert again["status"] == "DELIVERED" and again["replays"] == 1
    assert [a["statusCode"] for a in again["attempts"]] == [500, 500, 500, 200]
    fresh.dirty()


async def test_two_workers_deliver_each_change_exactly_once(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    hooks = [await register(gql, receiver.url) for _ in range(3)]
    people = [f"p-x-{i}" for i in range(6)]
    await create_people(gql, *people)
    settings = worker_settings(neo4j_uri)
    one = DeliveryWorker(store, settings, "worker-one")
    two = DeliveryWorker(store, settings, "worker-two")
    try:
        for _ in range(4):
            await asyncio.gather(one.tick(), two.tick())
    finally:
        await one.close()
        await two.close()
    # 3 webhooks x 6 changes: each (webhook, change) exactly once, in order per webhook.
    got: dict[str, list[str]] = {h: [] for h in hooks}
    for r in receiver.requests:
        got[r["headers"]["X-Graph-Webhook"]].append(orjson.loads(r["body"])["key"]["id"])
    assert got == {h: people for h in hooks}
    fresh.dirty()


async def test_a_lease_keeps_other_workers_off_until_it_expires(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    hook = await register(gql, receiver.url)
    settings = worker_settings(neo4j_uri)
    holder = DeliveryWorker(store, settings, "holder")
    other = DeliveryWorker(store, settings, "other")
    try:
        await holder.tick()  # nothing to deliver, but the lease is taken
        (listed,) = data_of(await gql(HOOKS))["webhooks"]
        assert listed["leaseOwner"] == "holder"
        await create_people(gql, "p-l-1")
        # The holder "dies" (never ticks again, never releases): the other waits.
        await other.tick()
        assert receiver.requests == []
        # Time passes: the holder's lease ends (set in the past, on the database's clock,
        # rather than waited for).
        await store.driver.execute_query(
            "MATCH (w:Webhook {id: $id}) SET w.leaseUntil = datetime() - duration('PT1S')",
            {"id": hook},
            database_=store.database,
        )
        await other.tick()
        assert [b["key"]["id"] for b in receiver.accepted()] == ["p-l-1"]
        assert data_of(await gql(HOOKS))["webhooks"][0]["leaseOwner"] == "other"
    finally:
        await other.close()
        await holder._client.aclose()
    assert hook
    fresh.dirty()


async def test_a_restarted_worker_resumes_after_the_cursor(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    hook = await register(gql, receiver.url)
    await create_people(gql, "p-s-1", "p-s-2")
    first = DeliveryWorker(store, worker_settings(neo4j_uri), "before-restart")
    await first.tick()
    await first.close()  # a clean stop gives the lease back
    await create_people(gql, "p-s-3")
    second = DeliveryWorker(store, worker_settings(neo4j_uri), "after-restart")
    try:
        await second.tick()
    finally:
        await second.close()
    assert [b["key"]["id"] for b in receiver.accepted()] == ["p-s-1", "p-s-2", "p-s-3"]
    assert len(receiver.requests) == 3
    # The log in pages, newest first: two, then the oldest, then nothing more.
    body = data_of(await gql(DELIVERIES, {"id": hook, "first": 2}))["webhookDeliveries"]
    assert [e["node"]["payload"]["key"]["id"] for e in body["edges"]] == ["p-s-3", "p-s-2"]
    assert body["pageInfo"]["hasNextPage"] is True
    after = body["pageInfo"]["endCursor"]
    body = data_of(await gql(DELIVERIES, {"id": hook, "first": 2, "after": after}))
    page = body["webhookDeliveries"]
    assert [e["node"]["payload"]["key"]["id"] for e in page["edges"]] == ["p-s-1"]
    assert page["pageInfo"]["hasNextPage"] is False
    fresh.dirty()


async def test_filters_and_the_retention_a_webhook_holds_back(
    fresh: Database,
    store: Store,
    gql: GraphQLClient,
    receiver: Receiver,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Only p-f-2's changes; the feed keeps what the webhook has not delivered.
    hook = await register(gql, receiver.url, partyIds=["p-f-2"])
    await create_people(gql, "p-f-1", "p-f-2", "p-f-3")
    cursor_before = data_of(await gql(HOOKS))["webhooks"]
    assert cursor_before
    # Everything is older than "now + 1 h": without the webhook all of it would be pruned.
    upto = await prune_feed(store, datetime.now(UTC) + timedelta(hours=1))
    body = data_of(await gql("{ changes(first: 100) { edges { node { key } } } }"))
    kept = [e["node"]["key"]["id"] for e in body["changes"]["edges"]]
    assert kept == ["p-f-1", "p-f-2", "p-f-3"], upto
    # The operator's command says who holds the changes back.
    assert await run_cli(neo4j_uri, monkeypatch, "prune-feed", "--older-than-hours", "0") == 0
    assert f"kept: webhook {hook} ({receiver.url})" in capsys.readouterr().err
    worker = DeliveryWorker(store, worker_settings(neo4j_uri), "w1")
    try:
        await rounds(worker, 2)
    finally:
        await worker.close()
    assert [b["key"]["id"] for b in receiver.accepted()] == ["p-f-2"]
    # Delivered, and p-f-3 (not for it) skipped: the webhook no longer holds anything back.
    await prune_feed(store, datetime.now(UTC) + timedelta(hours=1))
    body = data_of(await gql("{ changes(first: 100) { edges { node { key } } } }"))
    assert body["changes"]["edges"] == []
    assert hook
    fresh.dirty()


async def test_an_update_applies_to_the_next_changes(
    fresh: Database, store: Store, gql: GraphQLClient, neo4j_uri: str
) -> None:
    old, new = Receiver(), Receiver()
    try:
        hook = await register(gql, old.url)
        worker = DeliveryWorker(store, worker_settings(neo4j_uri), "w1")
        try:
            await create_people(gql, "p-u-1")
            await worker.tick()
            changed = {"id": hook, "url": new.url, "eventTypes": ["organizations"]}
            data_of(await gql(UPDATE_HOOK, {"input": changed}))
            await create_people(gql, "p-u-2")  # a person: no longer for this webhook
            org = 'mutation { createOrganization(input: {id: "o-u-1", name: "U"}) { id } }'
            data_of(await gql(org))
            await worker.tick()
        finally:
            await worker.close()
        assert [b["key"]["id"] for b in old.accepted()] == ["p-u-1"]
        assert [(b["type"], b["key"]["id"]) for b in new.accepted()] == [("organizations", "o-u-1")]
    finally:
        old.stop()
        new.stop()
    fresh.dirty()


async def test_a_webhook_disabled_past_the_retention_gets_a_resync_notice(
    fresh: Database, store: Store, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    hook = await register(gql, receiver.url)
    data_of(await gql(UPDATE_HOOK, {"input": {"id": hook, "enabled": False}}))
    await create_people(gql, "p-z-1", "p-z-2")
    # Disabled: it holds nothing back, both changes are pruned.
    upto = await prune_feed(store, datetime.now(UTC) + timedelta(hours=1))
    assert upto > 0
    worker = DeliveryWorker(store, worker_settings(neo4j_uri), "w1")
    try:
        await worker.tick()
        assert receiver.requests == []  # disabled: nothing
        data_of(await gql(UPDATE_HOOK, {"input": {"id": hook, "enabled": True}}))
        await create_people(gql, "p-z-3")
        await rounds(worker, 2)
    finally:
        await worker.close()
    notice, change = receiver.accepted()
    assert notice["action"] == "RESYNC" and notice["position"] == upto
    assert change["key"] == {"id": "p-z-3"}
    logged = await deliveries(gql, hook)
    assert [d["kind"] for d in logged] == ["CHANGE", "RESYNC"]  # newest first
    fresh.dirty()


async def test_the_service_process_runs_the_worker(
    fresh: Database, gql: GraphQLClient, receiver: Receiver, neo4j_uri: str
) -> None:
    live = LiveServer(worker_settings(neo4j_uri, webhook_poll_s=0.1)).start()
    try:
        client = GraphQLClient(live.url)
        hook = await register(client, receiver.url)
        await create_people(client, "p-live-1")
        for _ in range(100):
            if receiver.accepted():
                break
            await asyncio.sleep(0.1)
        assert [b["key"]["id"] for b in receiver.accepted()] == ["p-live-1"]
        assert data_of(await client(DELETE_HOOK, {"id": hook}))["deleteWebhook"]["id"] == hook
        assert data_of(await client(HOOKS))["webhooks"] == []
    finally:
        live.stop()
    fresh.dirty()


async def test_two_service_instances_deliver_each_change_once(
    fresh: Database, receiver: Receiver, neo4j_uri: str
) -> None:
    # Two apps on one database, as two replicas (or two `serve` workers): both run a worker.
    settings = worker_settings(neo4j_uri, webhook_poll_s=0.05)
    one, two = LiveServer(settings).start(), LiveServer(settings).start()
    try:
        client = GraphQLClient(one.url)
        await register(client, receiver.url)
        people = [f"p-two-{i}" for i in range(8)]
        await create_people(GraphQLClient(two.url), *people[:4])
        await create_people(client, *people[4:])
        for _ in range(200):
            if len(receiver.accepted()) >= len(people):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # time for a duplicate to arrive, were there one
    finally:
        one.stop()
        two.stop()
    assert [b["key"]["id"] for b in receiver.accepted()] == people
    assert len(receiver.requests) == len(people)
    fresh.dirty()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.com/hook", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("http:///no-host", "host"),
        ("not a url", "URL"),
        ("https://example.com:99999/", "valid URL"),
    ],
)
async def test_a_bad_url_is_invalid_input_naming_it(gql: GraphQLClient, url: str, why: str) -> None:
    body = await gql(
        CREATE_HOOK, {"input": {"url": url, "eventTypes": ["people"], "description": "x"}}
    )
    assert error_codes(body) == ["INVALID_INPUT"]
    extensions = body["errors"][0]["extensions"]
    assert extensions["field"] == "input.url" and extensions["value"] == url
    assert why in body["errors"][0]["message"]


async def test_bad_types_secret_and_ids_are_invalid_input(gql: GraphQLClient) -> None:
    def create(**extra: Any) -> dict[str, Any]:
        return {
            "input": {
                "url": "https://example.com/h",
                "eventTypes": ["people"],
                "description": "x",
                **extra,
            }
        }

    body = await gql(CREATE_HOOK, create(eventTypes=["peeple"]))
    assert body["errors"][0]["extensions"]["field"] == "input.eventTypes"
    body = await gql(CREATE_HOOK, create(eventTypes=[]))
    assert body["errors"][0]["extensions"]["field"] == "input.eventTypes"
    body = await gql(CREATE_HOOK, create(secret="short"))
    assert body["errors"][0]["extensions"]["field"] == "input.secret"
    assert "short" not in body["errors"][0]["message"]
    body = await gql(UPDATE_HOOK, {"input": {"id": "wh-nope", "enabled": False}})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(UPDATE_HOOK, {"input": {"id": "wh-nope", "url": None}})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "input.url"
    body = await gql(UPDATE_HOOK, {"input": {"id": "wh-nope", "url": "gopher://x"}})
    assert error_codes(body) == ["INVALID_INPUT"]
    body = await gql(DELIVERIES, {"id": "wh-nope"})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(DELIVERIES, {"id": "wh-nope", "after": "garbage"})
    assert error_codes(body) == ["INVALID_INPUT"]


async def test_a_generated_secret_is_answered_once(fresh: Database, gql: GraphQLClient) -> None:
    body = await gql(
        CREATE_HOOK,
        {"input": {"url": "https://example.com/h", "eventTypes": ["people"], "description": "x"}},
    )
    created = data_of(body)["createWebhook"]
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    listed = await gql("{ webhooks { id } }")
    assert "secret" not in str(listed)
    assert error_codes(await gql("{ webhooks { id secret } }")) == ["GRAPHQL_VALIDATION_FAILED"]
    fresh.dirty()


async def test_only_an_admin_manages_webhooks(production: LiveServer, fresh: Database) -> None:
    rep = as_key(production.url, "rep-a1")
    manager = as_key(production.url, "manager")
    new = {"input": {"url": "https://example.com/h", "eventTypes": ["people"], "description": "x"}}
    for caller in (rep, manager):
        assert error_codes(await caller(CREATE_HOOK, new)) == ["FORBIDDEN"]
        assert error_codes(await caller(HOOKS)) == ["FORBIDDEN"]
        assert error_codes(await caller(DEAD)) == ["FORBIDDEN"]
        assert error_codes(await caller(REPLAY, {"ids": ["x"]})) == ["FORBIDDEN"]
        assert error_codes(await caller(DELIVERIES, {"id": "x"})) == ["FORBIDDEN"]
    admin = as_key(production.url, "admin")
    created = data_of(await admin(CREATE_HOOK, new))["createWebhook"]["webhook"]
    assert [w["id"] for w in data_of(await admin(HOOKS))["webhooks"]] == [created["id"]]
    assert error_codes(await rep(DELETE_HOOK, {"id": created["id"]})) == ["FORBIDDEN"]
    data_of(await admin(DELETE_HOOK, {"id": created["id"]}))
    fresh.dirty()
