"""Latency of the write API over HTTP: single mutations, retries, a batch, the audit trail,
and writes from several clients at once.

    .venv/bin/python bench/write_latency.py [--runs 50] [--chain 200] [--clients 8]

Loads the demo data plus a reporting chain of --chain people (the cycle check of a new
line walks up it) and serves `graph-api serve` in its own process. Uses NEO4J_URI if set
(the database is CLEARED), otherwise starts a throwaway local Neo4j. Prints medians and p95
in milliseconds and, for the concurrent part, writes per second. Absolute figures depend
on the machine; compare the rows with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.bulk.load import import_path
from graph_api.config import PROJECT_ROOT
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

CREATE = "mutation ($i: CreatePersonInput!) { createPerson(input: $i) { id version } }"
UPDATE = "mutation ($i: UpdatePersonInput!) { updatePerson(input: $i) { id version } }"
EMPLOY = "mutation ($i: EmploymentInput!) { setEmployment(input: $i) { version } }"
REPORT = "mutation ($i: ReportingLineInput!) { setReportingLine(input: $i) { version } }"
APPLY = "mutation ($c: [ChangeInput!]!) { applyChanges(changes: $c) { __typename } }"
AUDIT = """query ($p: ID!) { auditTrail(partyId: $p, first: 20) {
  totalCount edges { node { at who mutation changes { field before after } } } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(uri: str, timeout_s: float = 60) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "NEO4J_URI": uri, "GRAPH_API_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "graph-api"), "serve", "--port", str(port)], env=env
    )
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server, f"http://127.0.0.1:{port}/graphql"
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise RuntimeError("the service did not start")
        time.sleep(0.2)


async def timed(calls: list[Callable[[], Awaitable[Any]]]) -> list[float]:
    out = []
    for call in calls:
        t0 = time.perf_counter()
        await call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def row(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"| {name} | {len(ms)} | {statistics.median(ms):.1f} | {p95:.1f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--chain", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    local: LocalNeo4j | None = None
    uri = os.environ.get("NEO4J_URI")
    tmp = Path(tempfile.mkdtemp(prefix="write-bench-"))
    if not uri:
        local = LocalNeo4j(data_dir=tmp / "neo4j", heap="1g", page_cache="256m")
        uri = await asyncio.to_thread(local.start)
    store = Store.connect(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        await store.migrate()
        await store.clear()
        report = await import_path(store, PROJECT_ROOT / "seed" / "demo.json")
        assert not report.problems
        chain = [f"c-{i:04d}" for i in range(args.chain)]
        doc = {
            "format": "relgraph-import",
            "version": 1,
            "people": [{"id": c, "name": c} for c in chain],
            "reporting": [
                {"personId": a, "managerId": b} for a, b in zip(chain[1:], chain[:-1], strict=True)
            ],
        }
        (tmp / "chain.json").write_bytes(orjson.dumps(doc))
        assert not (await import_path(store, tmp / "chain.json")).problems
        server, url = await asyncio.to_thread(start_service, uri)

        async with httpx.AsyncClient(timeout=120) as client:

            def call(query: str, variables: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
                async def run() -> Any:
                    body = (
                        await client.post(url, json={"query": query, "variables": variables})
                    ).json()
                    assert not body.get("errors"), body["errors"]
                    return body["data"]

                return run

            n = args.runs
            person = {"name": "基准", "city": "深圳", "grade": 3, "aliases": ["Bench"]}
            rows = [
                (
                    "createPerson (new id)",
                    await timed(
                        [call(CREATE, {"i": {"id": f"b-{i}", **person}}) for i in range(n)]
                    ),
                ),
                (
                    "createPerson retried (same id and data: no write)",
                    await timed(
                        [call(CREATE, {"i": {"id": f"b-{i}", **person}}) for i in range(n)]
                    ),
                ),
                (
                    "updatePerson (expectedVersion)",
                    await timed(
                        [
                            call(
                                UPDATE, {"i": {"id": "b-0", "expectedVersion": v, "city": f"c{v}"}}
                            )
                            for v in range(1, n + 1)
                        ]
                    ),
                ),
                (
                    "setEmployment (new link)",
                    await timed(
                        [
                            call(
                                EMPLOY, {"i": {"personId": f"b-{i}", "organizationId": "org-cimc"}}
                            )
                            for i in range(n)
                        ]
                    ),
                ),
                (
                    f"setReportingLine under a {args.chain}-level chain (cycle check)",
                    await timed(
                        [
                            call(REPORT, {"i": {"personId": f"b-{i}", "managerId": chain[-1]}})
                            for i in range(n)
                        ]
                    ),
                ),
                (
                    "applyChanges (20 changes: 10 people + 10 jobs)",
                    await timed(
                        [
                            call(
                                APPLY,
                                {
                                    "c": [
                                        *(
                                            {"createPerson": {"id": f"a-{r}-{k}", "name": "批量"}}
                                            for k in range(10)
                                        ),
                                        *(
                                            {
                                                "setEmployment": {
                                                    "personId": f"a-{r}-{k}",
                                                    "organizationId": "org-cimc",
                                                }
                                            }
                                            for k in range(10)
                                        ),
                                    ]
                                },
                            )
                            for r in range(max(5, n // 5))
                        ]
                    ),
                ),
            ]
            total = (await call(AUDIT, {"p": "org-cimc"})())["auditTrail"]["totalCount"]
            rows.append(
                (
                    f"auditTrail(first: 20) of a party with {total} entries",
                    await timed([call(AUDIT, {"p": "org-cimc"}) for _ in range(n)]),
                )
            )

            print("| operation | runs | median ms | p95 ms |")
            print("| --- | --- | --- | --- |")
            for name, ms in rows:
                print(row(name, ms))

            per_client = max(5, n // 2)

            async def burst(make: Callable[[int, int], Callable[[], Awaitable[Any]]]) -> float:
                async def client_loop(c: int) -> None:
                    for k in range(per_client):
                        await make(c, k)()

                t0 = time.perf_counter()
                await asyncio.gather(*(client_loop(c) for c in range(args.clients)))
                return args.clients * per_client / (time.perf_counter() - t0)

            creates = await burst(
                lambda c, k: call(CREATE, {"i": {"id": f"x-{c}-{k}", "name": "并发"}})
            )
            lines = await burst(
                lambda c, k: call(
                    REPORT, {"i": {"personId": f"x-{c}-{k}", "managerId": chain[(c * 7) % 50]}}
                )
            )
            print(f"\n{args.clients} clients at once, {per_client} writes each:")
            print("| writes | per second |")
            print("| --- | --- |")
            print(f"| createPerson (independent nodes) | {creates:.0f} |")
            print(f"| setReportingLine (serialised by the REPORTS_TO lock) | {lines:.0f} |")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        await store.close()
        if local is not None:
            local.stop()


if __name__ == "__main__":
    asyncio.run(main())
