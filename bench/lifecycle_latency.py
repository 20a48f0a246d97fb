"""Latency of the lifecycle mutations over HTTP: archive and restore a party, merge two
parties, erase a person's personal data.

    NEO4J_URI=bolt://... .venv/bin/python bench/lifecycle_latency.py [--runs 20]

The database at NEO4J_URI is CLEARED, then holds the demo data plus --runs pairs of
duplicate people (each with a job, a manager, a spouse, a holding, an acquaintance and an
interaction, so a merge moves and folds links and an erasure has something to remove). The
service runs in this process (uvicorn in a thread). Prints medians and p95 in milliseconds;
absolute figures depend on the machine and its load: compare the rows with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.api.app import create_app
from graph_api.bulk.load import import_path
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.store.neo4j_store import Store

ARCHIVE = 'mutation ($id: ID!) { archiveParty(id: $id, reason: "bench") { version } }'
RESTORE = "mutation ($id: ID!) { restoreParty(id: $id) { version } }"
MERGE = "mutation ($s: ID!, $m: ID!) { mergeParties(survivorId: $s, mergedId: $m) { version } }"
ERASE = 'mutation ($id: ID!) { erasePersonalData(personId: $id, reason: "bench") { version } }'


def pairs(n: int) -> dict[str, Any]:
    people, jobs, lines, family, holdings, knows, visits = [], [], [], [], [], [], []
    for i in range(n):
        for side in ("a", "b"):
            pid = f"bench-{side}-{i}"
            people.append({"id": pid, "name": f"客户{i}{side}", "phone": f"139{i:08d}"})
            people.append({"id": f"{pid}-spouse", "name": f"配偶{i}{side}"})
            jobs.append({"personId": pid, "organizationId": "org-cimc", "title": "经理"})
            lines.append({"personId": pid, "managerId": "p-li-na"})
            family.append({"fromId": pid, "toId": f"{pid}-spouse", "kind": "SPOUSE"})
            holdings.append(
                {"id": f"h-{pid}", "partyId": pid, "productId": "prod-fx", "status": "ACTIVE"}
            )
            knows.append({"fromId": pid, "toId": "p-zhang-li", "strength": 0.5})
            visits.append(
                {
                    "id": f"i-{pid}",
                    "kind": "VISIT",
                    "at": "2026-10-01T02:00:00Z",
                    "subject": "拜访",
                    "partyIds": [pid],
                    "repIds": ["rep-liu-yang"],
                }
            )
    return {
        "people": people,
        "employment": jobs,
        "reporting": lines,
        "family": family,
        "holdings": holdings,
        "acquaintance": knows,
        "interactions": visits,
    }


def _wait_started(server: uvicorn.Server) -> None:
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def timed(runs: int, call: Callable[[int], Awaitable[dict[str, Any]]]) -> tuple[float, float]:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        body = await call(i)
        times.append((time.perf_counter() - started) * 1000)
        assert not body.get("errors"), body["errors"]
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    uri = os.environ["NEO4J_URI"]
    store = Store.connect(uri, "neo4j", os.environ.get("NEO4J_PASSWORD", ""), "neo4j")
    await store.migrate()
    await store.clear()
    await import_path(store, PROJECT_ROOT / "seed" / "demo.json")
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "pairs.json"
        doc.write_bytes(
            orjson.dumps({"format": "relgraph-import", "version": 1, **pairs(args.runs)})
        )
        await import_path(store, doc)
    await store.close()

    port = free_port()
    settings = Settings(NEO4J_URI=uri, NEO4J_USER="neo4j", NEO4J_PASSWORD="")
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    await asyncio.to_thread(_wait_started, server)
    url = f"http://127.0.0.1:{port}/graphql"
    async with httpx.AsyncClient(timeout=120) as client:

        async def ask(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post(url, json={"query": query, "variables": variables})
            body: dict[str, Any] = response.json()
            return body

        rows = {
            "archiveParty (person with 6 links)": await timed(
                args.runs, lambda i: ask(ARCHIVE, {"id": f"bench-a-{i}"})
            ),
            "restoreParty": await timed(args.runs, lambda i: ask(RESTORE, {"id": f"bench-a-{i}"})),
            "mergeParties (6 links moved or folded)": await timed(
                args.runs, lambda i: ask(MERGE, {"s": f"bench-a-{i}", "m": f"bench-b-{i}"})
            ),
            "erasePersonalData": await timed(
                args.runs, lambda i: ask(ERASE, {"id": f"bench-a-{i}"})
            ),
        }
    server.should_exit = True
    thread.join(timeout=15)
    print(f"{'mutation':<42} {'median ms':>10} {'p95 ms':>8}   ({args.runs} runs)")
    for name, (median, p95) in rows.items():
        print(f"{name:<42} {median:>10.0f} {p95:>8.0f}")


if __name__ == "__main__":
    asyncio.run(main())
