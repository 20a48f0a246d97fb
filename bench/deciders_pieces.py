"""Where a cold keyDeciders spends its time, piece by piece, on the bench's database.

    .venv/bin/python bench/deciders_pieces.py [--size 10k] [--runs 400] [--block 40]

Starts the bench's Neo4j of that size (`.state/bench/neo4j-<size>`, loaded by `make bench`,
which must not be running) and, on its 2,000-person account (subsidiaries included), times:

- `deciders.scope` as the service reads it (`Store.read`), in blocks of --block runs: the
  median of each block shows the JVM's JIT warming up (the first blocks after a start are
  slower); with Neo4j's own time (the summary's result_available_after + consumed_after)
  beside it, the difference being the transfer and the driver's decoding;
- then, on the last record: the restriction (`fetch_scope`'s ids put back), the mapping
  (`graph_from_record`), the scores (`score_deciders`) and the top 10 in words.

Prints medians in milliseconds. What docs/PERFORMANCE.md ("keyDeciders cold against the
< 40 ms target") quotes.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness.account import ACCOUNT_ID
from bench.harness.config import STATE_DIR
from graph_api.analytics.deciders import rank_deciders, score_deciders
from graph_api.domain.access import DEVELOPMENT_VIEWER, Access
from graph_api.services import deciders as service
from graph_api.services.deciders import DecisionScope
from graph_api.store.cypher import query
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


async def measure(uri: str, runs: int, block: int) -> None:
    store = Store.connect(uri, "neo4j", "", "neo4j")
    scope = DecisionScope(ACCOUNT_ID, None, True, None)
    params = {
        "accountId": scope.account_id,
        "opportunityId": None,
        "includeSubsidiaries": True,
        "knownVersion": None,
    }
    text = query("deciders.scope")
    try:
        wall: list[float] = []
        server: list[float] = []
        for n in range(1, runs + 1):
            t = time.perf_counter()
            await store.read("deciders.scope", params)
            wall.append(1000 * (time.perf_counter() - t))
            async with store.driver.session(database=store.database) as session:
                result = await session.run(text, params)
                await result.values()
                summary = await result.consume()
            server.append(
                float(summary.result_available_after or 0)
                + float(summary.result_consumed_after or 0)
            )
            if n % block == 0:
                print(
                    f"runs {n - block + 1}-{n}: deciders.scope through Store.read "
                    f"{statistics.median(wall):.1f} ms; Neo4j's own time "
                    f"{statistics.median(server):.1f} ms"
                )
                wall, server = [], []
        admin = ScopedStore(store, Access.everything(DEVELOPMENT_VIEWER))
        record = await service.fetch_scope(admin, scope)
        raw = (await store.read("deciders.scope", params))[0]
        restrict = median_ms(lambda: service.with_person_ids(raw), 100)
        # Each run on a fresh graph: the candidates' words and scores are computed lazily
        # and kept on the graph, so a second ranking of the same graph costs almost nothing.
        mapping, scores, words = [], [], []
        for _ in range(100):
            t0 = time.perf_counter()
            graph = service.graph_from_record(record)
            t1 = time.perf_counter()
            scored = score_deciders(graph)
            t2 = time.perf_counter()
            rank_deciders(graph, 10, scored=scored)
            t3 = time.perf_counter()
            mapping.append(t1 - t0)
            scores.append(t2 - t1)
            words.append(t3 - t2)
        print(
            f"restriction (ids put back) {restrict:.1f} ms; mapping "
            f"{1000 * statistics.median(mapping):.1f} ms; scores "
            f"{1000 * statistics.median(scores):.1f} ms; top 10 in words "
            f"{1000 * statistics.median(words):.1f} ms ({len(record['ids'])} people in scope)"
        )
    finally:
        await store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k")
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--block", type=int, default=40)
    args = parser.parse_args()
    folder = STATE_DIR / f"neo4j-{args.size}" / "neo4j"
    if not folder.exists():
        print(f"no {folder}: run `make bench` (BENCH_SIZES={args.size}) first", file=sys.stderr)
        return 2
    local = LocalNeo4j(data_dir=folder, heap="2g")
    local.start()
    try:
        asyncio.run(measure(local.uri or "", args.runs, args.block))
    finally:
        local.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
