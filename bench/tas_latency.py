"""Latency of opportunityAssessment and funnel over HTTP on the bench's 2,000-person account,
in a generated data set (default 10,000 parties), the account given one opportunity.

    .venv/bin/python bench/tas_latency.py [--parties 10000] [--runs 30]

The opportunity carries the account's 40 buying-centre markers again, two competitors (one
shortlisted) covering 30 of the marked and other people, and 12 recorded answers. Starts a
throwaway local Neo4j (512 MB heap) and the service in its own process; prints medians and
p95 in milliseconds. Read the figures with the load average printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.deciders_latency import row, start_service, timed
from bench.harness.account import ACCOUNT_ID, account_document
from graph_api.bulk.load import import_path
from graph_api.generate.dataset import write_dataset
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

OPP = "bench-acct-opp"
ASSESS = """query ($o: ID!) { opportunityAssessment(opportunityId: $o, asOf: "2026-11-01") {
  headings { verdict questions { number answer source reason history { id } } }
  gaps { message } deciders { personId closer } competitors { competitor { id } holds { personId } }
} }"""
FUNNEL = """query ($a: ID!) { funnel(accountId: $a, includeSubsidiaries: true, asOf: "2026-11-01") {
  weightedAmount stages { count opportunities { id criteria { code status } } } } }"""


def opportunity_document(account: dict[str, Any]) -> dict[str, Any]:
    marked = [r for r in account["buyingRoles"] if r.get("accountId") == ACCOUNT_ID]
    people = [r["personId"] for r in marked]
    return {
        "format": "relgraph-import",
        "version": 1,
        "opportunities": [
            {"id": OPP, "name": "基准商机", "accountId": ACCOUNT_ID, "stage": "QUALIFIED",
             "amount": 5e6, "closeDate": "2027-03-31"}
        ],
        "buyingRoles": [
            {**{k: v for k, v in r.items() if k != "accountId"}, "opportunityId": OPP}
            for r in marked
        ],
        "competitors": [{"id": "bench-comp-1", "name": "C1"}, {"id": "bench-comp-2", "name": "C2"}],
        "competitorOpportunities": [
            {"competitorId": "bench-comp-1", "opportunityId": OPP, "shortlisted": True},
            {"competitorId": "bench-comp-2", "opportunityId": OPP, "shortlisted": False},
        ],
        "competitorCoverage": [
            {"competitorId": f"bench-comp-{1 + i % 2}", "personId": p, "strength": 0.3 + i % 7 / 10}
            for i, p in enumerate(people[:20] + [f"bench-acct-p{i:05d}" for i in range(500, 510)])
        ],
        "tasAnswers": [
            {"id": f"bench-tas-{q}-{n}", "opportunityId": OPP, "question": q, "answer": "YES",
             "answeredBy": "bench", "answeredAt": f"2026-10-{10 + n:02d}T08:00:00Z"}
            for q in (1, 2, 5, 7, 8, 12) for n in range(2)
        ],
    }  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parties", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tas-bench-"))
    local = LocalNeo4j(data_dir=tmp / "neo4j", heap="512m", page_cache="256m")
    uri = await asyncio.to_thread(local.start)
    store = Store.connect(uri, "neo4j", "")
    server: subprocess.Popen[bytes] | None = None
    try:
        await store.migrate()
        write_dataset(tmp / "generated.json", args.parties, 7)
        account = account_document()
        (tmp / "account.json").write_bytes(orjson.dumps(account))
        (tmp / "opportunity.json").write_bytes(orjson.dumps(opportunity_document(account)))
        for name in ("generated.json", "account.json", "opportunity.json"):
            report = await import_path(store, tmp / name)
            assert not report.problems, [p.line() for p in report.problems[:5]]
        nodes = (await store.read("MATCH (n) RETURN count(n) AS n"))[0]["n"]
        print(f"database: {nodes} nodes")
        server, url = await asyncio.to_thread(start_service, uri)
        async with httpx.AsyncClient(timeout=120) as client:

            async def call(query: str, variables: dict[str, Any]) -> Any:
                body = await client.post(url, json={"query": query, "variables": variables})
                data = body.json()
                assert not data.get("errors"), data["errors"]
                return data

            print("| field | median ms | p95 ms |\n| --- | ---: | ---: |")
            print(
                row(
                    "opportunityAssessment",
                    await timed(args.runs, lambda: call(ASSESS, {"o": OPP})),
                )
            )
            print(
                row(
                    "funnel (account + subsidiaries)",
                    await timed(args.runs, lambda: call(FUNNEL, {"a": ACCOUNT_ID})),
                )
            )
        print("load average:", os.getloadavg())
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        await store.close()
        await asyncio.to_thread(local.stop)


if __name__ == "__main__":
    started = time.monotonic()
    asyncio.run(main())
    print(f"({time.monotonic() - started:.0f} s)")
