"""Time to first draw of a 2,000-person account's map in the explorer, in headless Chromium.

    .venv/bin/python bench/explorer_first_draw.py [--people 2000] [--runs 5]

Builds the account of bench/deciders_latency.py (a group with ten departments, 8 wide at the
top and 6 below, influence, outside advisers, a 12-rep team) through the import format into
a throwaway local Neo4j (or NEO4J_URI, which is CLEARED), starts `graph-api serve` in its own
process, and opens `/explore#party=<account>` in a fresh browser tab per run. Prints, per run
and as medians:

- first draw: from the page asking for the org chart to the chart painted (the request for
  the top levels, their layout, one animation frame);
- since navigation: from opening the address to that first draw (scripts loaded, the
  party's card asked first); complete: to the whole chart in (what is drawn of it painted);
- expand all: one click on "expand all" (on a large chart: one reporting level more, every
  unit open), from the click to the chart painted.

`--service URL --account ID` measures a running service that holds the account instead.

Needs the built explorer (`make web`) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.bulk.generate import Account, document

from bench.deciders_latency import account_shape, start_service
from graph_api.bulk.load import import_path
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

CHROMIUM = "/usr/bin/chromium"


def warm_up(base: str, account_id: str) -> None:
    """The page's first requests once, so that runs measure a warm database, not the first
    read of the store from disk."""
    queries = [
        "query($id: ID!) { party(id: $id) { name ... on Organization {"
        " people(first: 1, includeSubsidiaries: true) { totalCount }"
        " holdings(includeSubsidiaries: true) { id } } } }",
        "query($id: ID!) { orgChart(organizationId: $id, depth: 10, includeInfluence: true)"
        " { nodes { id } } keyDeciders(accountId: $id, includeSubsidiaries: true) { rank } }",
    ]
    for query in queries:
        httpx.post(
            f"{base}/graphql",
            json={"query": query, "variables": {"id": account_id}},
            timeout=300,
        )


async def measure(base: str, account_id: str, runs: int) -> list[dict[str, Any]]:
    results = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for _ in range(runs):
            context = await browser.new_context(viewport={"width": 1500, "height": 950})
            page = await context.new_page()
            page.set_default_timeout(180_000)
            await page.goto(f"{base}/explore#party={account_id}")
            await page.wait_for_function(
                "(e => e.state.complete && e.state.lastDraw && e.map.rendering === 0)"
                "(window.__explorer)"
            )
            first = await page.evaluate("window.__explorer.state.firstDraw")
            complete = await page.evaluate("window.__explorer.state.lastDraw")
            t0 = time.perf_counter()
            await page.evaluate(
                """() => new Promise(resolve => {
                     window.__explorer.state.lastDraw = null;
                     window.__explorer.map.expandAll();
                     const wait = () => window.__explorer.state.lastDraw
                       ? resolve() : setTimeout(wait, 20);
                     wait();
                   })"""
            )
            expanded = await page.evaluate("window.__explorer.state.lastDraw")
            results.append(
                {
                    "first_ms": first["ms"],
                    "since_navigation_ms": first["sinceNavigation"],
                    "drawn": first["drawn"],
                    "first_total": first["total"],
                    "complete_ms": complete["ms"],
                    "complete_since_navigation_ms": complete["sinceNavigation"],
                    "drawn_complete": complete["drawn"],
                    "total": complete["total"],
                    "expand_all_ms": expanded["ms"],
                    "expand_all_wall_ms": round((time.perf_counter() - t0) * 1000),
                    "expanded_drawn": expanded["drawn"],
                }
            )
            print(results[-1], flush=True)
            await context.close()
        await browser.close()
    return results


def report_runs(results: list[dict[str, Any]]) -> None:
    print(
        f"\n{results[0]['total']} people in the chart, {results[0]['drawn']} drawn first; "
        f"{results[0]['expanded_drawn']} after expand all"
    )
    for key in (
        "first_ms",
        "since_navigation_ms",
        "complete_since_navigation_ms",
        "expand_all_ms",
    ):
        values = [r[key] for r in results]
        print(f"{key}: median {statistics.median(values):.0f} ms, runs {values}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--service", help="measure this running service instead (with --account)", default=None
    )
    parser.add_argument("--account", help="the account's id on --service", default=None)
    args = parser.parse_args()
    if args.service:
        warm_up(args.service, args.account)
        report_runs(await measure(args.service, args.account, args.runs))
        return

    local: LocalNeo4j | None = None
    uri = os.environ.get("NEO4J_URI")
    tmp = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    if not uri:
        local = LocalNeo4j(data_dir=tmp / "neo4j", heap="512m", page_cache="256m")
        uri = await asyncio.to_thread(local.start)
    store = Store.connect(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    )
    server = None
    try:
        await store.migrate()
        await store.clear()
        doc = document(lambda gen: [gen.account(account_shape(args.people))], seed=7, reps=200)
        account: Account = doc.pop("result")[0]
        path = tmp / "account.json"
        path.write_bytes(orjson.dumps(doc))
        report = await import_path(store, path)
        assert not report.problems, [p.line() for p in report.problems[:5]]
        print(f"loaded {report.total_rows} rows; account {account.root_id}", flush=True)
        server, graphql_url = start_service(uri)
        base = graphql_url.removesuffix("/graphql")
        warm_up(base, account.root_id)
        report_runs(await measure(base, account.root_id, args.runs))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        await store.close()
        if local:
            local.stop()


if __name__ == "__main__":
    asyncio.run(main())
