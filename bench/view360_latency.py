"""Latency of the 360° view over HTTP: median/p95/p99 of `party(id)` with the whole view.

    # 1. a generated data set (the project's generator, `graph-api generate`):
    .venv/bin/graph-api generate --parties 100000 --seed 7 bench/data/v360.json
    # 2. load it into a Neo4j (NEO4J_URI) with the project's importer:
    NEO4J_URI=bolt://... .venv/bin/graph-api import bench/data/v360.json --reset
    # 3. measure: starts `graph-api serve` on that database (or --url for a running one)
    NEO4J_URI=bolt://... .venv/bin/python bench/view360_latency.py measure

Prints one table: the basic `party(id)` read and the full view, sequentially and with a
few concurrent clients, on the same random sample of party ids.
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
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


BASIC = "query ($id: ID!) { party(id: $id) { id kind name tier } }"

FULL = """
query ($id: ID!) {
  party(id: $id) {
    id kind name aliases tier grade
    signals { radCell sleeping { daysSinceLastInteraction sleeping escalated escalateTo }
              profile { score compliant flagged missingFields { field points } } }
    interactions(first: 20) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id kind at subject reps { id name } opportunity { id name } } }
    }
    coverage { rep { id name } strength kind }
    relationships { kind party { id name } strength influenceKind context }
    accountTeams { id name account { id } manager { id name } members { rep { id name } role } }
    ... on Person {
      phone email city
      employments { organization { id name } title department since primary }
      managers { id name } directReports { id name }
      household { person { id name } relation }
      householdHoldings { id holder { id name } householdRelation product { id name }
                          amount status beneficiaries { person { id name } share } }
      beneficiaryOf { id holder { id name } product { id name } }
    }
    ... on Organization {
      industry region radCell
      ancestors { id name } children { id name }
      people(first: 20, includeSubsidiaries: true) {
        totalCount edges { node { id name } organization { id } title department }
      }
      holdings(includeSubsidiaries: true) { id holder { id name } product { id name } amount }
      openOpportunities { id name stage probability amount closeDate owner { id name }
                          products { id name } buyingCentre { person { id name } role attitude } }
      events { id title date }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _sample_ids(n: int, seed: int) -> list[str]:
    """A random sample of every party id in the database (fixed seed)."""
    from neo4j import AsyncGraphDatabase

    uri = os.environ["NEO4J_URI"]
    driver = AsyncGraphDatabase.driver(
        uri, auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    )
    try:
        result = await driver.execute_query("MATCH (n:Party) RETURN n.id AS id")
        ids = sorted(r["id"] for r in result.records)
    finally:
        await driver.close()
    return random.Random(seed).sample(ids, min(n, len(ids)))


async def _run(
    url: str, query: str, ids: list[str], clients: int
) -> tuple[list[float], float, int]:
    """Latencies (ms) of one request per id, spread over `clients` concurrent clients."""
    latencies: list[float] = []
    errors = 0
    queue = list(ids)

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(timeout=60) as http:
            while queue:
                pid = queue.pop()
                t0 = time.perf_counter()
                response = await http.post(
                    f"{url}/graphql", json={"query": query, "variables": {"id": pid}}
                )
                latencies.append((time.perf_counter() - t0) * 1000)
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, time.perf_counter() - started, errors


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _measure(url: str, n: int, clients: int, seed: int) -> None:
    ids = await _sample_ids(n, seed)
    await _run(url, FULL, ids[: min(50, len(ids))], 1)  # warm-up: plans and page cache
    await _run(url, BASIC, ids[: min(50, len(ids))], 1)
    rows = []
    for label, query, c in (
        ("basic party(id)", BASIC, 1),
        ("full 360 view", FULL, 1),
        (f"full 360 view, {clients} clients", FULL, clients),
    ):
        lat, seconds, errors = await _run(url, query, ids, c)
        rows.append(
            (
                label,
                len(lat),
                statistics.median(lat),
                _pct(lat, 95),
                _pct(lat, 99),
                max(lat),
                len(lat) / seconds,
                errors,
            )
        )
    print(f"\n{n} random parties, each requested once per row; latency over HTTP in ms\n")
    print(
        f"{'request':<28}{'n':>6}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}{'req/s':>8}{'errors':>8}"
    )
    for label, count, med, p95, p99, mx, rps, errors in rows:
        print(
            f"{label:<28}{count:>6}{med:>9.1f}{p95:>9.1f}{p99:>9.1f}{mx:>9.1f}{rps:>8.1f}{errors:>8}"
        )
    print(f"\nfull / basic median: {rows[1][2] / rows[0][2]:.1f}x")


def cmd_measure(args: argparse.Namespace) -> int:
    url = args.url
    server = None
    if not url:
        if not os.environ.get("NEO4J_URI"):
            print("set NEO4J_URI (the loaded database) or give --url", file=sys.stderr)
            return 2
        port = _free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "graph-api"), "serve", "--port", str(port)],
            env={**os.environ, "GRAPH_API_LOG_LEVEL": "warning"},
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the service did not start", file=sys.stderr)
                return 3
            time.sleep(0.5)
    try:
        asyncio.run(_measure(url, args.requests, args.clients, args.seed))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="measure the view over HTTP")
    m.add_argument("--url", help="a running service (default: start one on NEO4J_URI)")
    m.add_argument("--requests", type=int, default=300, help="random parties per row")
    m.add_argument("--clients", type=int, default=4)
    m.add_argument("--seed", type=int, default=11)
    m.set_defaults(func=cmd_measure)
    args = parser.parse_args()
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
