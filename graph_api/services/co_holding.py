"""Keeps the product co-holding statistics current (cross-selling's SIMILAR_CUSTOMERS, POPULARITY).

The statistics live in the graph beside the catalogue: one (:CoHoldingStats {id: 'current'})
node with the customer counts, (stats)-[:COUNTS {people, organizations}]->(product) per held
product, and (a:Product)-[:CO_HELD {pairCount, support, confidence, lift}]->(b:Product) per
co-held pair and direction. A refresh recomputes them from all holdings and swaps them in
one transaction, so a request sees the old set or the new one, never a mix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.analytics.co_holding import associations
from graph_api.store.cypher import query
from graph_api.store.neo4j_store import Store


@dataclass(frozen=True, slots=True)
class StatsRefresh:
    refreshed_at: datetime
    people: int
    organizations: int
    products: int
    associations: int
    seconds: float


async def refresh_co_holding_stats(store: Store) -> StatsRefresh:
    """Recomputes the statistics from every holding that is not closed; returns the counts."""
    started = time.perf_counter()
    now = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> StatsRefresh:
        async def rows(name: str) -> list[dict[str, Any]]:
            result = await tx.run(query(name))
            return [dict(r) async for r in result]

        counts = await rows("cross_sell.holders")
        customers = (await rows("cross_sell.customers"))[0]
        pairs = await rows("cross_sell.pairs")
        people, organizations = int(customers["people"]), int(customers["organizations"])
        rules = associations(
            {c["product"]: int(c["people"]) + int(c["organizations"]) for c in counts},
            {(p["a"], p["b"]): int(p["pairs"]) for p in pairs},
            people + organizations,
        )
        result = await tx.run(
            query("cross_sell.replace_stats"),
            {
                "now": now,
                "people": people,
                "organizations": organizations,
                "counts": counts,
                "associations": [
                    {
                        "antecedent": r.antecedent,
                        "consequent": r.consequent,
                        "pairCount": r.pair_count,
                        "support": r.support,
                        "confidence": r.confidence,
                        "lift": r.lift,
                    }
                    for r in rules
                ],
                "seconds": time.perf_counter() - started,
            },
        )
        await result.consume()
        return StatsRefresh(
            refreshed_at=now,
            people=people,
            organizations=organizations,
            products=len(counts),
            associations=len(rules),
            seconds=0.0,
        )

    done = await store.transaction(work)
    return replace(done, seconds=time.perf_counter() - started)
