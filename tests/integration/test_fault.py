"""Fault test: kill -9 the service's local Neo4j under a loopback load of creates, each sent
with an Idempotency-Key and retried on error. Every acknowledged write must be in the graph
exactly once; prints the figures (time to ready, client-visible codes and their waits)."""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import GraphDatabase

from tests.conftest import free_port
from tests.integration.test_service_lifecycle import Served, cli_env, java_children

WRITES = 300
CLIENTS = 6
# The kill comes once this many writes are acknowledged, so that writes are under way on
# every client when the database dies.
KILL_AFTER = WRITES // 3
# A write still failing after this long fails the test (the restart would have failed).
GIVE_UP_S = 240.0

CREATE = """mutation($id: ID!, $name: String!) {
  createPerson(input: {id: $id, name: $name}) { id name version }
}"""


@dataclass
class Load:
    acknowledged: dict[str, dict[str, Any]] = field(default_factory=dict)
    enough_for_the_kill: asyncio.Event = field(default_factory=asyncio.Event)
    codes: Counter[str] = field(default_factory=Counter)
    # Seconds each failed attempt took to come back (how fast the service fails).
    error_latencies: list[float] = field(default_factory=list)
    # Seconds from a write's first failed attempt to its acknowledgement.
    outage_waits: list[float] = field(default_factory=list)
    replayed: int = 0
    # (seconds after the kill, code, message) of every failed attempt.
    errors: list[tuple[float, str, str]] = field(default_factory=list)
    killed_at: float | None = None
    ready_after_kill_s: float | None = None


async def one_write(client: httpx.AsyncClient, url: str, n: int, load: Load) -> None:
    person_id = f"fault-{n:04d}"
    key = f"fault-key-{n:04d}"
    first_error: float | None = None
    started = time.monotonic()
    while True:
        attempt = time.monotonic()
        code: str
        wait = 0.5
        try:
            response = await client.post(
                url,
                json={"query": CREATE, "variables": {"id": person_id, "name": f"故障 {n}"}},
                headers={"Idempotency-Key": key},
            )
            body = response.json()
            errors = body.get("errors")
            if not errors:
                load.acknowledged[person_id] = body["data"]["createPerson"]
                if len(load.acknowledged) >= KILL_AFTER:
                    load.enough_for_the_kill.set()
                load.replayed += response.headers.get("Idempotent-Replayed") == "true"
                if first_error is not None:
                    load.outage_waits.append(time.monotonic() - first_error)
                return
            extensions = errors[0].get("extensions", {})
            code = extensions.get("code", "NO_CODE")
            message = errors[0].get("message", "")
            wait = float(extensions.get("retryAfter", wait))
            # TIMEOUT: the request's budget ran out while Neo4j was coming back (seen on a
            # loaded machine); like the other two, the client retries with the same key.
            assert code in ("SERVICE_UNAVAILABLE", "COMMIT_UNKNOWN", "TIMEOUT"), body
        except httpx.TransportError as exc:
            code, message = f"transport:{exc.__class__.__name__}", str(exc)
        load.codes[code] += 1
        load.errors.append((attempt - (load.killed_at or attempt), code, message))
        load.error_latencies.append(time.monotonic() - attempt)
        first_error = first_error if first_error is not None else attempt
        assert time.monotonic() - started < GIVE_UP_S, (person_id, load.codes)
        await asyncio.sleep(wait)


async def run_load(served: Served, load: Load) -> None:
    numbers = iter(range(WRITES))
    url = f"{served.url}/graphql"

    async def client_loop() -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            for n in numbers:
                await one_write(client, url, n, load)

    async def killer() -> None:
        await load.enough_for_the_kill.wait()
        (java,) = java_children(served.proc.pid)
        os.kill(java, signal.SIGKILL)
        load.killed_at = time.monotonic()
        async with httpx.AsyncClient(timeout=30) as client:
            while True:
                response = await client.get(f"{served.url}/readyz")
                if response.status_code == 200 and response.json()["localNeo4j"]["restarts"]:
                    load.ready_after_kill_s = time.monotonic() - load.killed_at
                    return
                await asyncio.sleep(0.1)

    await asyncio.gather(killer(), *(client_loop() for _ in range(CLIENTS)))


def stored(uri: str) -> tuple[dict[str, int], dict[str, int]]:
    """Per id: Person nodes, and audit entries of their creation."""
    with GraphDatabase.driver(uri, auth=("neo4j", "")) as driver:
        people, _, _ = driver.execute_query(
            "MATCH (p:Person) WHERE p.id STARTS WITH 'fault-' RETURN p.id AS id, count(*) AS n"
        )
        audits, _, _ = driver.execute_query(
            "MATCH (a:AuditEntry {mutation: 'createPerson', action: 'CREATE'}) "
            "WHERE a.key CONTAINS 'fault-' RETURN a.key AS key, count(*) AS n"
        )
    return (
        {r["id"]: r["n"] for r in people},
        {r["key"].split('"')[3]: r["n"] for r in audits},
    )


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return f"n={len(values)} median {statistics.median(values):.2f}s max {max(values):.2f}s"


@pytest.mark.slow
def test_kill_9_under_load_loses_and_duplicates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = Served(cli_env(tmp_path, GRAPH_API_DB_WAIT_S="2"), free_port())
    try:
        served.wait_for("serving GraphQL on")
        load = Load()
        started = time.monotonic()
        asyncio.run(run_load(served, load))
        seconds = time.monotonic() - started
        ready = httpx.get(f"{served.url}/readyz", timeout=30).json()
        people, creations = stored(ready["localNeo4j"]["uri"])
    finally:
        served.kill()

    acknowledged = set(load.acknowledged)
    found = acknowledged & set(people)
    ready_at = load.ready_after_kill_s or 0.0
    after_ready = Counter(
        f"{code}: {message[:100]}" for at, code, message in load.errors if at > ready_at
    )
    duplicated = {i for i in people if people[i] != 1} | {i for i in creations if creations[i] != 1}
    with capsys.disabled():
        print(
            f"\nfault run: {WRITES} creates by {CLIENTS} clients in {seconds:.1f}s, kill -9 of "
            f"the local Neo4j after {KILL_AFTER} acknowledged\n"
            f"  acknowledged {len(acknowledged)}, found {len(found)}, duplicated "
            f"{len(duplicated)}, answered from a replay {load.replayed}\n"
            f"  time to ready after the kill: {load.ready_after_kill_s:.1f}s "
            f"(restarts {ready['localNeo4j']['restarts']})\n"
            f"  client-visible errors: {dict(load.codes)}\n"
            f"  time to each error answer: {spread(load.error_latencies)}\n"
            f"  wait of a write from its first error to its acknowledgement: "
            f"{spread(load.outage_waits)}\n"
            f"  errors after /readyz was ready again: {dict(after_ready) or 'none'}"
        )
    assert len(acknowledged) == WRITES
    assert found == acknowledged
    assert set(people) == acknowledged
    assert not duplicated, duplicated
    assert set(creations) == acknowledged
    assert ready["localNeo4j"]["restarts"] == 1
    # The answers are the creations' own, replayed or not.
    assert all(a["version"] == 1 for a in load.acknowledged.values())
    assert "Traceback" not in served.log
