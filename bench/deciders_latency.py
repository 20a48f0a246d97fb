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
--reuse keeps a database that already holds this script's accounts (NEO4J_URI): no import,
so before/after runs of a change measure the same data back to back.
Prints medians and p95 in milliseconds. Measure on a quiet machine: absolute figures vary
with the hardware; the ratios between the pieces are what to read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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
from graph_api.services import deciders as deciders_service
from graph_api.services import paths as paths_service
from graph_api.services.deciders import DecisionScope
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

ROLES = ["DECISION_MAKER"] + ["APPROVER"] * 3 + ["EVALUATOR"] * 15 + ["INFLUENCER"] * 10
ROLES += ["USER"] * 11
ATTITUDES = ["SUPPORTER", "NEUTRAL", "NON_SUPPORTER", "OPPONENT"]
LEVELS = ["HIGH", "MEDIUM", "LOW"]


def account_document(prefix: str, people: int, seed: int) -> dict[str, Any]:
    """One large account in the import format; ids start with `prefix`."""
    rng = random.Random(seed)
    org = f"{prefix}-group"
    depts = [f"{prefix}-dept-{i}" for i in range(10)]
    ids = [f"{prefix}-p{i:05d}" for i in range(people)]
    # Org chart: ids[0] is the CEO; breadth-first, 8 reports at the top, 6 below.
    managers: dict[str, str] = {}
    frontier, nxt = [ids[0]], 1
    while nxt < people:
        new_frontier = []
        for mgr in frontier:
            fan = 8 if mgr == ids[0] else 6
            for _ in range(fan):
                if nxt >= people:
                    break
                managers[ids[nxt]] = mgr
                new_frontier.append(ids[nxt])
                nxt += 1
        frontier = new_frontier
    advisers = [f"{prefix}-adviser-{i}" for i in range(20)]
    spouses = [f"{prefix}-spouse-{i}" for i in range(400)]
    reps = [f"{prefix}-rep-{i}" for i in range(12)]
    marked = rng.sample(ids[:300], len(ROLES))
    influence: set[tuple[str, str]] = set()
    while len(influence) < 3000:
        a, b = rng.choice(ids), rng.choice(ids)
        if a != b:
            influence.add((a, b))
    knows: set[tuple[str, str]] = set()
    while len(knows) < 2000:
        a, b = sorted((rng.choice(ids), rng.choice(ids)))
        if a != b:
            knows.add((a, b))
    covered = rng.sample(ids[:600], 200)
    return {
        "organizations": [
            {"id": org, "name": f"{prefix} group", "orgType": "GROUP"},
            *({"id": d, "name": d, "orgType": "DEPARTMENT", "parentId": org} for d in depts),
            {"id": f"{prefix}-institute", "name": "institute", "orgType": "INSTITUTE"},
        ],
        "people": [
            *({"id": p, "name": p} for p in ids),
            *({"id": p, "name": p} for p in advisers + spouses),
        ],
        "reps": [{"id": r, "name": r, "role": "AE"} for r in reps],
        "employment": [
            *(
                {
                    "personId": p,
                    "organizationId": org if i < 9 else depts[i % 10],
                    "title": "CEO" if i == 0 else f"title {i}",
                    "primary": True,
                }
                for i, p in enumerate(ids)
            ),
            *(
                {"personId": a, "organizationId": f"{prefix}-institute", "title": "adviser"}
                for a in advisers
            ),
        ],
        "reporting": [{"personId": p, "managerId": mgr} for p, mgr in managers.items()],
        "buyingRoles": [
            {
                "personId": p,
                "accountId": org,
                "role": role,
                "attitude": rng.choice(ATTITUDES),
                "influence": rng.choice(LEVELS),
            }
            for p, role in zip(marked, ROLES, strict=True)
        ],
        "influence": [
            *(
                {"fromId": a, "toId": b, "strength": round(rng.uniform(0.1, 1.0), 2)}
                for a, b in sorted(influence)
            ),
            *({"fromId": a, "toId": rng.choice(ids[:50]), "strength": 0.8} for a in advisers),
        ],
        "acquaintance": [
            {"fromId": a, "toId": b, "strength": round(rng.uniform(0.1, 1.0), 2)}
            for a, b in sorted(knows)
        ],
        "family": [
            {"fromId": ids[i * 5], "toId": s, "kind": "SPOUSE"} for i, s in enumerate(spouses)
        ],
        "coverage": [
            {"repId": reps[i % len(reps)], "personId": p, "strength": round(rng.uniform(0.2, 1), 2)}
            for i, p in enumerate(covered)
        ],
    }


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
        "--reuse", action="store_true", help="keep the accounts already loaded (NEO4J_URI)"
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
        loaded = await store.read(
            "MATCH (p:Person)-[:WORKS_FOR]->(:Organization {id: 'big-group'}) RETURN count(p) AS n"
        )
        reuse = args.reuse and loaded[0]["n"] > 0
        if not reuse:
            await store.clear()
        accounts = [] if reuse else ["big", *(f"other{j}" for j in range(args.other_accounts))]
        for i, prefix in enumerate(accounts):
            path = tmp / f"{prefix}.json"
            doc = account_document(prefix, args.people, seed=i)
            path.write_bytes(orjson.dumps({"format": "relgraph-import", "version": 1, **doc}))
            t0 = time.perf_counter()
            report = await import_path(store, path)
            assert not report.problems, [p.line() for p in report.problems[:5]]
            print(f"loaded {prefix}: {report.total_rows} rows in {time.perf_counter() - t0:.1f} s")
        counts = await store.read("MATCH (n) RETURN count(n) AS nodes")
        print(f"database: {counts[0]['nodes']} nodes\n")

        settings = Settings(NEO4J_URI=uri)
        server, url = await asyncio.to_thread(start_service, uri)

        ceo, mid = "big-p00000", "big-p00100"
        async with httpx.AsyncClient(timeout=120) as client:

            def call(query: str, variables: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
                async def run() -> Any:
                    body = (
                        await client.post(url, json={"query": query, "variables": variables})
                    ).json()
                    assert not body.get("errors"), body["errors"]
                    return body["data"]

                return run

            first = await call(KEY_DECIDERS, {"a": "big-group"})()
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
                    await timed(args.runs, call(KEY_DECIDERS, {"a": "big-group"})),
                ),
                (
                    "decisionAssessment",
                    await timed(args.runs, call(ASSESSMENT, {"a": "big-group"})),
                ),
                ("warmIntroductions(CEO, 4 hops)", await timed(args.runs, call(WARM, {"t": ceo}))),
                (
                    "warmIntroductions(level-2 manager, 4 hops)",
                    await timed(args.runs, call(WARM, {"t": mid})),
                ),
                (
                    "relationshipPath(manager -> CEO, 4 hops)",
                    await timed(args.runs, call(PATH, {"f": mid, "t": ceo})),
                ),
            ]

        scope = DecisionScope(account_id="big-group", include_subsidiaries=True)
        record = await deciders_service.fetch_scope(store, scope)
        graph = deciders_service.graph_from_record(record)
        hood = await paths_service.fetch_neighbourhood(store, [ceo], 4, settings.max_path_nodes)
        pgraph = paths_service.graph_from_records(hood)
        pieces = [
            (
                "deciders: Cypher query (deciders.scope)",
                await timed(args.runs, lambda: deciders_service.fetch_scope(store, scope)),
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
                        store, [ceo], 4, settings.max_path_nodes
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
