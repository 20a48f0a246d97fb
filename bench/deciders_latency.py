"""Latency of keyDeciders, decisionAssessment, warmIntroductions and relationshipPath on an
account of 2,000 people, over HTTP, with the pieces (Cypher query vs mapping vs networkx).

    .venv/bin/python bench/deciders_latency.py [--people 2000] [--runs 30] [--other-accounts 0]
        [--reuse]

Builds the account through the import format: a group with ten departments (PART_OF), an
org chart of --people people (fan-out 8 at the top, 6 below), 40 buying-centre markers,
3,000 influence links inside plus 20 outside advisers, 2,000 acquaintances, 400 spouses
outside the account, 12 reps covering 200 people. --other-accounts N loads N more accounts
of the same size, to show that the cost follows the account, not the database.

Uses NEO4J_URI if set (the database is CLEARED), otherwise starts a throwaway local Neo4j.
--reuse keeps a database that already holds exactly these accounts (NEO4J_URI; same
--people and --other-accounts): no import, so runs before and after a change measure the
same data back to back.
Prints medians and p95 in milliseconds. Measure on a quiet machine: absolute figures vary
with the hardware; the ratios between the pieces are what to read.
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

from graph_api.analytics import paths as path_analytics
from graph_api.analytics.assessment import assess
from graph_api.analytics.deciders import rank_deciders, score_deciders
from graph_api.bulk.load import import_path
from graph_api.config import Settings
from graph_api.domain.access import DEVELOPMENT_VIEWER, Access
from graph_api.generate import Account, AccountShape, account, document
from graph_api.services import deciders as deciders_service
from graph_api.services import paths as paths_service
from graph_api.services.deciders import DecisionScope
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore

# The analytics are measured as an admin sees them: no scope query, nothing filtered.
ADMIN = Access.everything(DEVELOPMENT_VIEWER)


def account_shape(people: int) -> AccountShape:
    """The benchmark's account: a group whose head office has ten departments, an org chart
    8 wide at the top and 6 below, dense influence and acquaintance, a 12-rep team."""
    return AccountShape(
        people=people,
        kind="GROUP",
        departments=10,
        fan_out_top=8,
        fan_out=6,
        markers=40,
        influence=round(people * 1.5),
        advisers=20,
        acquaintances=people,
        households=people // 5,
        children=0.0,
        team=12,
        covered=people // 10,
        opportunities=2,
        interactions=50,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(uri: str, timeout_s: float = 60) -> tuple[subprocess.Popen[bytes], str]:
    """`graph-api serve` in its own process, as in production: a server in this process
    would share the interpreter with the client that times it."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "graph-api"), "serve", "--port", str(port)],
        env={**os.environ, "NEO4J_URI": uri, "GRAPH_API_LOG_LEVEL": "warning"},
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
        time.sleep(0.3)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(name: str, samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"| {name:<44} | {statistics.median(ms):>9.1f} | {pct(ms, 0.95):>8.1f} |"


async def timed(runs: int, fn: Callable[[], Awaitable[Any]]) -> list[float]:
    await fn()  # warm-up: plans cached, pages in memory
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t0)
    return out


def sync_timed(runs: int, fn: Callable[[], Any]) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


KEY_DECIDERS = """query ($a: ID!) { keyDeciders(accountId: $a, includeSubsidiaries: true, limit: 10)
  { rank score explanation person { id } parts { component contribution } } }"""
ASSESSMENT = """query ($a: ID!) { decisionAssessment(accountId: $a, includeSubsidiaries: true)
  { decisionLayerSupportsUs relationshipsAtEveryLevel supportAnswer coverageAnswer
    levels { level people covered } risks { kind message viaIds } } }"""
WARM = """query ($t: ID!) { warmIntroductions(targetId: $t, maxHops: 4, limit: 5)
  { weight hops nodes { id } links { type strength } } }"""
PATH = """query ($f: ID!, $t: ID!) { relationshipPath(fromId: $f, toId: $t, maxHops: 4, limit: 3)
  { weight hops nodes { id } } }"""


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--other-accounts", type=int, default=0)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the same accounts if loaded (NEO4J_URI)"
    )
    args = parser.parse_args()

    local: LocalNeo4j | None = None
    uri = os.environ.get("NEO4J_URI")
    tmp = Path(tempfile.mkdtemp(prefix="deciders-bench-"))
    if not uri:
        local = LocalNeo4j(data_dir=tmp / "neo4j", heap="1g", page_cache="512m")
        uri = await asyncio.to_thread(local.start)
    store = Store.connect(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        await store.migrate()
        shape = account_shape(args.people)
        doc = document(
            lambda gen: [account(gen, shape) for _ in range(1 + args.other_accounts)],
            seed=7,
            reps=200,
        )
        accounts: list[Account] = doc.pop("result")
        parties = [p["id"] for p in doc.get("people", [])]
        parties += [o["id"] for o in doc.get("organizations", [])]
        found = await store.read(
            "MATCH (n:Party) RETURN count(n) AS total, count(CASE WHEN n.id IN $ids THEN 1 END) "
            "AS ours",
            {"ids": parties},
        )
        if args.reuse and found[0]["total"] == found[0]["ours"] == len(parties):
            print(f"reusing the {len(accounts)} account(s) already loaded")
        else:
            await store.clear()
            path = tmp / "accounts.json"
            path.write_bytes(orjson.dumps(doc))
            t0 = time.perf_counter()
            report = await import_path(store, path)
            assert not report.problems, [p.line() for p in report.problems[:5]]
            print(
                f"loaded {len(accounts)} account(s): {report.total_rows} rows in "
                f"{time.perf_counter() - t0:.1f} s"
            )
        counts = await store.read("MATCH (n) RETURN count(n) AS nodes")
        print(f"database: {counts[0]['nodes']} nodes\n")

        settings = Settings(NEO4J_URI=uri)
        server, url = await asyncio.to_thread(start_service, uri)

        big = accounts[0]
        # The head, and a manager four levels down (the 101st person, breadth first).
        ceo, mid, group = big.head_id, big.people[100], big.root_id
        async with httpx.AsyncClient(timeout=120) as client:

            def call(query: str, variables: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
                async def run() -> Any:
                    body = (
                        await client.post(url, json={"query": query, "variables": variables})
                    ).json()
                    assert not body.get("errors"), body["errors"]
                    return body["data"]

                return run

            first = await call(KEY_DECIDERS, {"a": group})()
            warm = await call(WARM, {"t": ceo})()
            print(
                "top decider:",
                first["keyDeciders"][0]["person"]["id"],
                first["keyDeciders"][0]["explanation"],
            )
            print(
                "warm introductions to the CEO:",
                [p["weight"] for p in warm["warmIntroductions"]],
                "\n",
            )
            http = [
                (
                    "keyDeciders (2,000 people, subsidiaries)",
                    await timed(args.runs, call(KEY_DECIDERS, {"a": group})),
                ),
                (
                    "decisionAssessment",
                    await timed(args.runs, call(ASSESSMENT, {"a": group})),
                ),
                ("warmIntroductions(CEO, 4 hops)", await timed(args.runs, call(WARM, {"t": ceo}))),
                (
                    "warmIntroductions(level-4 manager, 4 hops)",
                    await timed(args.runs, call(WARM, {"t": mid})),
                ),
                (
                    "relationshipPath(manager -> CEO, 4 hops)",
                    await timed(args.runs, call(PATH, {"f": mid, "t": ceo})),
                ),
            ]

        scope = DecisionScope(account_id=group, include_subsidiaries=True)
        admin = ScopedStore(store, ADMIN)
        record = await deciders_service.fetch_scope(admin, scope)
        graph = deciders_service.graph_from_record(record)
        hood = await paths_service.fetch_neighbourhood(admin, [ceo], 4, settings.max_path_nodes)
        pgraph = paths_service.graph_from_records(hood)
        pieces = [
            (
                "deciders: Cypher query (deciders.scope)",
                await timed(
                    args.runs,
                    lambda: deciders_service.fetch_scope(admin, scope),
                ),
            ),
            (
                "deciders: mapping + networkx graphs",
                sync_timed(args.runs, lambda: deciders_service.graph_from_record(record)),
            ),
            (
                "deciders: scores (PageRank, spans, roles)",
                sync_timed(args.runs, lambda: score_deciders(graph)),
            ),
            (
                "deciders: scores + top 10 in words",
                sync_timed(args.runs, lambda: rank_deciders(graph, 10)),
            ),
            (
                "deciders: assessment (scores included)",
                sync_timed(args.runs, lambda: assess(graph)),
            ),
            (
                "warm intro: Cypher neighbourhood (CEO)",
                await timed(
                    args.runs,
                    lambda: paths_service.fetch_neighbourhood(
                        admin, [ceo], 4, settings.max_path_nodes
                    ),
                ),
            ),
            (
                "warm intro: build networkx graph",
                sync_timed(args.runs, lambda: paths_service.graph_from_records(hood)),
            ),
            (
                "warm intro: path search",
                sync_timed(args.runs, lambda: path_analytics.warm_introductions(pgraph, ceo, 4, 5)),
            ),
        ]
        print(
            f"account: {len(graph.internal_ids)} people in scope, {len(graph.candidates)} ranked, "
            f"{graph.influence.number_of_edges()} influence links; CEO neighbourhood "
            f"{len(hood)} nodes, {pgraph.number_of_edges()} links\n"
        )
        print(f"| {'over HTTP (' + str(args.runs) + ' runs)':<44} | median ms |   p95 ms |")
        print(f"|{'-' * 46}|{'-' * 11}|{'-' * 10}|")
        for name, samples in http:
            print(row(name, samples))
        print(f"\n| {'pieces, in process':<44} | median ms |   p95 ms |")
        print(f"|{'-' * 46}|{'-' * 11}|{'-' * 10}|")
        for name, samples in pieces:
            print(row(name, samples))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        await store.close()
        if local is not None:
            await asyncio.to_thread(local.stop)


if __name__ == "__main__":
    asyncio.run(main())
