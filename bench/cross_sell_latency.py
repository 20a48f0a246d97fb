"""crossSell latency over HTTP on generated graphs of several sizes, and the statistics refresh.

    .venv/bin/python bench/cross_sell_latency.py --sizes 1000,100000 --requests 500

For each size: a local Neo4j of its own (kept under .state/bench-cross-sell-<size>, so a rerun
skips the import), the generated graph imported through the normal import (which also computes
the co-holding statistics), `refresh-stats` timed, the service started on a free port, then
sequential crossSell requests for random parties. Prints a table of medians and percentiles,
and the ratio of each size's median to the smallest size's. `--import PATH` loads a document
or CSV folder made elsewhere (e.g. `graph-api generate`) instead of this script's generator.
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
from graph_api.services.co_holding import refresh_co_holding_stats
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

DEMO = PROJECT_ROOT / "seed" / "demo.json"

QUERY = """
query ($id: ID!) {
  crossSell(partyId: $id, limit: 10) {
    popularityFallback
    suggestions { score kinds product { id } evidence { kind probability path {
      nodes { id kind label } links { source target type label } explanation } } }
  }
}
"""

TITLES = ["首席执行官 CEO", "首席财务官 CFO", "总经理", "董事", "总监"]
STAFF = ["员工", "工程师", "会计", "销售经理", "采购部经理"]
EVENT_KINDS = ["OVERSEAS_EXPANSION", "NEW_PLANT", "IPO", "MERGER"]
STAGES = ["IDENTIFIED", "CONTACTED", "QUALIFIED", "DEVELOPED", "COMMITTED", "WON", "LOST"]


def generate(parties: int, seed: int) -> dict[str, Any]:
    """A graph shaped like the demo: organizations in groups (10%), people in households and
    jobs (90%), the demo's catalogue and rules, correlated holdings, events, opportunities."""
    rng = random.Random(seed)
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    products = demo["products"]
    retail = [p["id"] for p in products if p["segment"] == "RETAIL"]
    corporate = [p["id"] for p in products if p["segment"] == "CORPORATE"]
    retail_weights = [len(retail) - i for i in range(len(retail))]
    corporate_weights = [len(corporate) - i for i in range(len(corporate))]

    n_org = max(parties // 10, 1)
    orgs: list[dict[str, Any]] = []
    i = 0
    while i < n_org:
        size = min(rng.randint(1, 6), n_org - i)
        root = f"g-o{i}"
        orgs.append({"id": root, "name": f"集团{i}", "orgType": "GROUP" if size > 1 else "COMPANY"})
        for j in range(1, size):
            parent = root if j == 1 else f"g-o{i + 1}"
            kind = "HEAD_OFFICE" if j == 1 else "BRANCH"
            orgs.append(
                {"id": f"g-o{i + j}", "name": f"公司{i + j}", "orgType": kind, "parentId": parent}
            )
        i += size

    people = [{"id": f"g-p{k}", "name": f"客户{k}"} for k in range(parties - n_org)]
    family: list[dict[str, Any]] = []
    k = 0
    while k + 1 < len(people):
        if rng.random() < 0.45:
            family.append(
                {"fromId": people[k]["id"], "toId": people[k + 1]["id"], "kind": "SPOUSE"}
            )
            if k + 2 < len(people) and rng.random() < 0.3:
                family.append(
                    {"fromId": people[k]["id"], "toId": people[k + 2]["id"], "kind": "PARENT"}
                )
                k += 1
            k += 2
        else:
            k += 1

    employment = []
    for p in people:
        if rng.random() < 0.7:
            title = rng.choice(TITLES) if rng.random() < 0.08 else rng.choice(STAFF)
            employment.append(
                {
                    "personId": p["id"],
                    "organizationId": rng.choice(orgs)["id"],
                    "title": title,
                    "primary": True,
                }
            )

    holdings = []
    for p in people:
        if rng.random() < 0.7:
            held = set(rng.choices(retail, retail_weights, k=rng.randint(1, 3)))
            if "prod-accident" in held and rng.random() < 0.4:
                held.add("prod-life")
            for pid in held:
                status = "CLOSED" if rng.random() < 0.05 else "ACTIVE"
                holdings.append(
                    {
                        "id": f"h-{p['id']}-{pid}",
                        "partyId": p["id"],
                        "productId": pid,
                        "status": status,
                    }
                )
    for o in orgs:
        if rng.random() < 0.8:
            for pid in set(rng.choices(corporate, corporate_weights, k=rng.randint(1, 3))):
                holdings.append(
                    {
                        "id": f"h-{o['id']}-{pid}",
                        "partyId": o["id"],
                        "productId": pid,
                        "status": "ACTIVE",
                    }
                )

    events = []
    opportunities = []
    for n, o in enumerate(orgs):
        if rng.random() < 0.05:
            events.append(
                {
                    "id": f"ev-{n}",
                    "organizationId": o["id"],
                    "kind": rng.choice(EVENT_KINDS),
                    "title": f"事件{n}",
                    "date": "2026-09-15",
                }
            )
        if rng.random() < 0.05:
            opportunities.append(
                {
                    "id": f"opp-{n}",
                    "name": f"商机{n}",
                    "accountId": o["id"],
                    "stage": rng.choice(STAGES),
                    "amount": 1_000_000,
                    "productIds": rng.sample(corporate, 2),
                }
            )
    return {
        "format": "relgraph-import",
        "version": 1,
        "products": products,
        "affinityRules": demo["affinityRules"],
        "organizations": orgs,
        "people": people,
        "family": family,
        "employment": employment,
        "holdings": holdings,
        "events": events,
        "opportunities": opportunities,
    }


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
        wanted = {"size": size, "seed": args.seed, "source": str(source) if source else None}
        to_import: Path | None = None
        if not marker.exists() or json.loads(marker.read_text()) != wanted:
            to_import = source
            if to_import is None:
                to_import = data_dir / f"generated-{size}.json"
                print(f"  generating {size:,} parties ...", file=sys.stderr)
                to_import.write_text(json.dumps(generate(size, args.seed), ensure_ascii=False))
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
