"""CPU per request of one bench operation, in process: the service's ASGI app driven through
httpx's ASGI transport (no sockets, no other process), so that two code trees can be
compared on the same database without the noise of a load generator.

    .venv/bin/python bench/inprocess_cpu.py OPERATION [--requests N] [--size 10k] [--profile]

OPERATION is a bench operation with a bodies file (`.state/bench/bodies-<size>/<op>.jsonl`,
written by `make bench`: view360, floor, keyDeciders, orgChart...); its database is the
bench's (`.state/bench/neo4j-<size>`, started here, so `make bench` must not be running).
Prints the process's CPU and the wall time per request after a warm-up of 50; --profile
then runs them again under cProfile and prints the 45 functions of most own time
(`--profile cumulative`: of most time with what they call). The
analysis cache is off and analyses run in a thread of this process (so their CPU counts).
The figure includes httpx's client side (about a fifth of the floor's).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness.config import STATE_DIR
from graph_api.api.app import create_app
from graph_api.config import Settings
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store


async def run(uri: str, bodies: list[bytes], profile: str | None, label: str) -> None:
    settings = Settings(
        NEO4J_URI=uri,
        NEO4J_USER="neo4j",
        NEO4J_PASSWORD="",
        webhook_worker=False,
        deciders_cache_size=0,
        analysis_processes=0,
        request_timeout_s=120.0,
    )
    store = Store.connect(uri, "neo4j", "", "neo4j")
    app = create_app(settings, store)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

                async def send(body: bytes) -> None:
                    response = await client.post(
                        "/graphql", content=body, headers={"content-type": "application/json"}
                    )
                    if response.status_code != 200:
                        raise SystemExit(f"HTTP {response.status_code}: {response.text[:300]}")

                for body in bodies[:50]:
                    await send(body)
                cpu, wall = time.process_time(), time.perf_counter()
                for body in bodies:
                    await send(body)
                n = len(bodies)
                print(
                    f"{label}: {1000 * (time.process_time() - cpu) / n:.2f} ms CPU per request, "
                    f"{1000 * (time.perf_counter() - wall) / n:.2f} ms wall ({n} requests)"
                )
                if profile:
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for body in bodies:
                        await send(body)
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats(profile).print_stats(45)
    finally:
        await store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("operation")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--size", default="10k")
    parser.add_argument(
        "--profile", nargs="?", const="tottime", choices=("tottime", "cumulative"), default=None
    )
    args = parser.parse_args()
    source = STATE_DIR / f"bodies-{args.size}" / f"{args.operation}.jsonl"
    if not source.exists():
        print(f"no {source}: run `make bench` (BENCH_SIZES={args.size}) first", file=sys.stderr)
        return 2
    bodies = [line for line in source.read_bytes().splitlines() if line]
    bodies = (bodies * args.requests)[: args.requests]
    local = LocalNeo4j(data_dir=STATE_DIR / f"neo4j-{args.size}" / "neo4j", heap="2g")
    local.start()
    try:
        asyncio.run(run(local.uri or "", bodies, args.profile, f"{args.operation} {args.size}"))
    finally:
        local.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
