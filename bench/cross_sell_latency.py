"""crossSell latency over HTTP on generated graphs of several sizes, and the statistics refresh.

    .venv/bin/python bench/cross_sell_latency.py --sizes 1000,100000 --requests 500

For each size: a local Neo4j of its own (kept under .state/bench-cross-sell-<size>, so a rerun
skips the import), the generated graph imported through the normal import (which also computes
the co-holding statistics), `refresh-stats` timed, the service started on a free port, then
sequential crossSell requests for random parties. Prints a table of medians and percentiles,
and the ratio of each size's median to the smallest size's. The graphs come from the
project's generator (`graph-api generate --parties SIZE --seed SEED`); `--import PATH` loads
a document or CSV folder made elsewhere instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from graph_api.api.app import create_app
from graph_api.bulk.load import import_path
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.generate import write_dataset
from graph_api.services.co_holding import refresh_co_holding_stats
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

QUERY = """
query ($id: ID!) {
  crossSell(partyId: $id, limit: 10) {
    popularityFallback
    suggestions { score kinds product { id } evidence { kind probability path {
      nodes { id kind label } links { source target type label } explanation } } }
  }
}
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Server:
    def __init__(self, uri: str) -> None:
        settings = Settings(NEO4J_URI=uri, NEO4J_USER="neo4j", NEO4J_PASSWORD="")
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/graphql"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


async def prepare(uri: str, to_import: Path | None) -> dict[str, Any]:
    """Imports `to_import` into an emptied database (None: keep what is there), times the
    statistics refresh, and samples party ids."""
    store = Store.connect(uri, "neo4j", "", "neo4j", query_timeout_s=600)
    try:
        await store.migrate()
        if to_import is not None:
            await store.clear()
            print(f"  importing {to_import} ...", file=sys.stderr)
            report = await import_path(store, to_import)
            if report.problems:
                raise SystemExit(f"import problems: {[p.line() for p in report.problems[:5]]}")
            print(
                f"  imported {report.total_rows:,} rows in {report.seconds:.0f}s", file=sys.stderr
            )
        refresh = [(await refresh_co_holding_stats(store)).seconds for _ in range(3)]
        counts = await store.read_one(
            "MATCH (p:Party) WITH count(p) AS parties "
            "MATCH (h:Holding) RETURN parties, count(h) AS holdings"
        )
        ids = [
            r["id"]
            for r in await store.read(
                "MATCH (p:Party) WITH p, rand() AS r ORDER BY r LIMIT $n "
                "RETURN p.id AS id, p:Person AS person",
                {"n": 5000},
            )
        ]
        assert counts is not None
        return {
            "parties": counts["parties"],
            "holdings": counts["holdings"],
            "refresh_s": statistics.median(refresh),
            "ids": ids,
        }
    finally:
        await store.close()


def measure(url: str, ids: list[str], requests: int, warmup: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    latencies: list[float] = []
    fallback = 0
    with httpx.Client(timeout=60) as client:
        for n in range(warmup + requests):
            party = rng.choice(ids)
            started = time.perf_counter()
            response = client.post(url, json={"query": QUERY, "variables": {"id": party}})
            elapsed = (time.perf_counter() - started) * 1000
            body = response.json()
            if body.get("errors"):
                raise SystemExit(f"{party}: {body['errors']}")
            if n >= warmup:
                latencies.append(elapsed)
                fallback += bool(body["data"]["crossSell"]["popularityFallback"])
    return {
        "median": statistics.median(latencies),
        "p95": pct(latencies, 0.95),
        "p99": pct(latencies, 0.99),
        "max": max(latencies),
        "fallback": fallback / requests,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="parties per graph, comma-separated")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--import", dest="source", help="import this instead of generating")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--page-cache", default="1g")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    source = Path(args.source).resolve() if args.source else None
    rows = []
    for size in sizes:
        data_dir = PROJECT_ROOT / ".state" / f"bench-cross-sell-{size}"
        data_dir.mkdir(parents=True, exist_ok=True)
        print(f"size {size:,}: starting Neo4j in {data_dir}", file=sys.stderr)
        local = LocalNeo4j(data_dir=data_dir / "neo4j", heap=args.heap, page_cache=args.page_cache)
        uri = local.start()
        marker = data_dir / "loaded.json"
        # The generator is named so that data left by an older benchmark is not reused.
        wanted = {
            "size": size,
            "seed": args.seed,
            "source": str(source) if source else "graph-api generate",
        }
        to_import: Path | None = None
        if not marker.exists() or json.loads(marker.read_text()) != wanted:
            to_import = source
            if to_import is None:
                to_import = data_dir / f"generated-{size}.json"
                print(f"  generating {size:,} parties ...", file=sys.stderr)
                write_dataset(to_import, size, args.seed)
        try:
            info = asyncio.run(prepare(uri, to_import))
            marker.write_text(json.dumps(wanted))
            with Server(uri) as url:
                result = measure(url, info["ids"], args.requests, args.warmup, args.seed)
        finally:
            local.stop()
        rows.append({"size": size, **info, **result})

    print()
    print(
        f"crossSell over HTTP, {args.requests} sequential requests for random parties "
        f"(after {args.warmup} warm-up), limit 10; times in ms"
    )
    print()
    print(
        "| parties | holdings | refresh-stats (s) | median | p95 | p99 | max "
        "| popularity fallback | median vs smallest |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = rows[0]["median"]
    for r in rows:
        print(
            f"| {r['parties']:,} | {r['holdings']:,} | {r['refresh_s']:.2f} | "
            f"{r['median']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
            f"{r['fallback']:.0%} | {r['median'] / base:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
