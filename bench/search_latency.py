"""search latency over HTTP against a running service, and the database work of its query.

    .venv/bin/python bench/search_latency.py --url http://127.0.0.1:8000 \
        --neo4j bolt://127.0.0.1:7687 --requests 300

Draws search texts as the benchmark harness does (bench/harness/operations.py: a random
person's full name, or the first three letters of an alias: "Zha"), sends the harness's search
request (first 10, with totalCount) one at a time, and prints the median and p90 per kind of
text. Then PROFILEs the Cypher the service runs for a few texts (the default bounded search and
the exact count of `exactCount: true`) and prints the rows the
full-text index gave and the database hits: figures that do not depend on the machine's load,
to compare graph sizes (flat search: the same hits at 10k and 1M). Last, the index alone
(its top-k counted, no node read) for texts with few and many matching documents: Lucene's
walk over the postings, the part that still grows with the graph.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

import httpx
from neo4j import GraphDatabase

from graph_api.services.search import search_plan

SEARCH = """
query Search($text: String!) {
  search(text: $text, first: 10) {
    totalCount
    edges { cursor score node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def draw_texts(driver: Any, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    ids = [r["id"] for r in driver.execute_query("MATCH (p:Person) RETURN p.id AS id").records]
    chosen = rng.sample(ids, min(n, len(ids)))
    records = driver.execute_query(
        "UNWIND $ids AS id MATCH (n:Person {id: id}) RETURN n.name AS name, n.aliases AS aliases",
        ids=chosen,
    ).records
    texts: list[tuple[str, str]] = []
    for r in records:
        aliases = r["aliases"] or []
        if aliases and rng.random() < 0.5:
            texts.append(("prefix", str(aliases[0]).split()[0][:3]))
        else:
            texts.append(("name", str(r["name"])))
    return texts


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def profile(driver: Any, text: str, name: str) -> tuple[int, int, int]:
    """Rows from the index, database hits, and the total count the answer reports."""
    cypher, params = search_plan(text, first=10, name=name)
    summary = driver.execute_query("PROFILE " + cypher, params).summary
    plan = summary.profile
    hits = 0
    index_rows = 0  # the procedure reports no rows: the widest operator after it
    stack = [plan]
    while stack:
        node = stack.pop()
        hits += int(node.get("dbHits") or 0)
        index_rows = max(index_rows, int(node.get("rows") or 0))
        stack.extend(node.get("children", []))
    record = driver.execute_query(cypher, params).records[0]
    return index_rows, hits, int(record["total"])


# The index alone: its best hits counted, nothing read from the nodes.
INDEX_ONLY = (
    "CALL db.index.fulltext.queryNodes('party_search', $query, {limit: $window}) "
    "YIELD node, score RETURN count(*) AS n"
)
ALL_HITS = (
    "CALL db.index.fulltext.queryNodes('party_search', $query) YIELD node RETURN count(*) AS n"
)


def index_cost(driver: Any, text: str, runs: int = 40) -> tuple[int, float]:
    """The hits of `text` in the index, and the lower quartile of the index's top-k (the
    window) in milliseconds: what Lucene's walk over the postings costs, which grows with
    the matching documents (database hits do not show it)."""
    _, params = search_plan(text, first=10)
    hits = int(driver.execute_query(ALL_HITS, params).records[0]["n"])
    with driver.session() as session:
        for _ in range(5):
            session.run(INDEX_ONLY, params).consume()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            session.run(INDEX_ONLY, params).consume()
            times.append((time.perf_counter() - started) * 1000)
    return hits, pct(times, 0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--neo4j", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with GraphDatabase.driver(args.neo4j, auth=("neo4j", "")) as driver:
        parties = driver.execute_query("MATCH (p:Party) RETURN count(p) AS n").records[0]["n"]
        texts = draw_texts(driver, args.requests, args.seed)
        times: dict[str, list[float]] = {"name": [], "prefix": []}
        with httpx.Client(base_url=args.url, timeout=60) as client:
            for _, text in texts[:20]:  # warm-up
                client.post("/graphql", json={"query": SEARCH, "variables": {"text": text}})
            for kind, text in texts:
                started = time.perf_counter()
                response = client.post(
                    "/graphql", json={"query": SEARCH, "variables": {"text": text}}
                )
                times[kind].append((time.perf_counter() - started) * 1000)
                assert not response.json().get("errors"), response.text
        print(f"{parties:,} parties, {len(texts)} searches (first 10, with totalCount)")
        every = times["name"] + times["prefix"]
        for kind, values in (*times.items(), ("all", every)):
            print(
                f"  {kind:6} n={len(values):4}  median {statistics.median(values):6.2f} ms"
                f"  p90 {pct(values, 0.9):6.2f} ms"
            )
        print("database work (PROFILE): text, index rows, db hits, totalCount")
        kinds = {
            "search.top": "default",
            "search.window": "with filters, here none",
            "search.parties": "exactCount: true",
        }
        for name, kind in kinds.items():
            print(f" {name} ({kind})")
            for text in ("张", "王伟", "Zha", "Li", texts[0][1], texts[1][1]):
                rows, hits, total = profile(driver, text, name)
                print(f"  {text!r:12} rows {rows:7,}  db hits {hits:9,}  totalCount {total:,}")
        print("the index alone (its best 1,000, lower quartile; a word with no hit first):")
        for text in ("zzzzqqq", "王伟", "张", "Zha", "Li", "L"):
            matching, ms = index_cost(driver, text)
            print(f"  {text!r:12} matching {matching:9,}  {ms:6.2f} ms")


if __name__ == "__main__":
    main()
