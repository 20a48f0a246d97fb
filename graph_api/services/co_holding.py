"""Keeps the product co-holding statistics current (cross-selling's SIMILAR_CUSTOMERS, POPULARITY).

The statistics live in the graph beside the catalogue: one (:CoHoldingStats {id: 'current'})
node with the customer counts, (stats)-[:COUNTS {people, organizations}]->(product) per held
product, and (a:Product)-[:CO_HELD {pairCount, support, confidence, lift}]->(b:Product) per
co-held pair and direction. A refresh (`graph-api refresh-stats`) recomputes them from all
holdings and swaps them in one transaction, so a request sees the old set or the new one,
never a mix. Between refreshes every write of holdings keeps them current in its own
transaction (`CoHoldingChange`): it reads the products of the parties it touches before and
after, and adds the difference to the stored counts, at a cost bounded by those parties and
the catalogue, not by the database.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import combinations
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
        async def run(name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
            result = await tx.run(query(name), dict(params))
            return [dict(r) async for r in result]

        async def rows(name: str) -> list[dict[str, Any]]:
            return await run(name, {})

        # Locked first: a write of holdings that commits while the holdings are read adds
        # its change after this refresh commits, not to the counts this one replaces.
        await run("cross_sell.lock_stats", {})
        counts = await rows("cross_sell.holders")
        customers = (await rows("cross_sell.customers"))[0]
        pairs = await rows("cross_sell.pairs")
        people, organizations = int(customers["people"]), int(customers["organizations"])
        rules = await _replace_stats(
            run,
            now,
            started,
            people,
            organizations,
            {c["product"]: (int(c["people"]), int(c["organizations"])) for c in counts},
            {(p["a"], p["b"]): int(p["pairs"]) for p in pairs},
        )
        return StatsRefresh(
            refreshed_at=now,
            people=people,
            organizations=organizations,
            products=len(counts),
            associations=rules,
            seconds=0.0,
        )

    done = await store.transaction(work)
    return replace(done, seconds=time.perf_counter() - started)


Run = Callable[[str, Mapping[str, Any]], Awaitable[Any]]


async def _records(run: Run, name: str, params: Mapping[str, Any]) -> list[Any]:
    return list(await run(name, params))


async def _replace_stats(
    run: Run,
    now: datetime,
    started: float,
    people: int,
    organizations: int,
    holders: Mapping[str, tuple[int, int]],
    pairs: Mapping[tuple[str, str], int],
) -> int:
    """Writes the statistics of these counts in place of the stored ones; returns how many
    associations (both directions of each co-held pair) they hold."""
    rules = associations({p: a + b for p, (a, b) in holders.items()}, pairs, people + organizations)
    params = {
        "now": now,
        "people": people,
        "organizations": organizations,
        "counts": [
            {"product": p, "people": a, "organizations": b} for p, (a, b) in holders.items()
        ],
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
    }
    await _records(run, "cross_sell.replace_stats", params)
    return len(rules)


# A party's part in the statistics: whether a person, and the products it holds (not closed).
Holdings = tuple[bool, frozenset[str]]


@dataclass
class CoHoldingChange:
    """The parties one transaction changes holdings of, with their products before it; at
    its end `apply` adds the difference to the stored statistics. Both steps run in the
    transaction: the parties and the statistics are locked until it commits."""

    before: dict[str, Holdings | None] = field(default_factory=dict)

    async def touch(self, run: Run, party_ids: Iterable[str | None]) -> None:
        """To be called before the first write to these parties' holdings."""
        new = sorted({p for p in party_ids if p and p not in self.before})
        if not new:
            return
        found = await party_products(run, new)
        for party in new:
            self.before[party] = found.get(party)

    async def apply(self, run: Run, now: datetime) -> bool:
        """Adds the transaction's changes to the stored statistics; False when there are
        none stored yet (then only a refresh makes them: nothing to add to)."""
        if not self.before:
            return True
        started = time.perf_counter()
        after = await party_products(run, sorted(self.before))
        rows = await _records(run, "cross_sell.current_stats", {})
        if not rows:
            return False
        stored = rows[0]
        people, organizations = int(stored["people"] or 0), int(stored["organizations"] or 0)
        holders = {
            c["product"]: [int(c["people"]), int(c["organizations"])] for c in stored["counts"]
        }
        pairs = {(p["a"], p["b"]): int(p["pairs"]) for p in stored["pairs"]}
        changed = False
        for party, old in self.before.items():
            new = after.get(party)
            if old == new:
                continue
            changed = True
            for state, sign in ((old, -1), (new, 1)):
                if state is None or not state[1]:
                    continue
                person, products = state
                if person:
                    people += sign
                else:
                    organizations += sign
                for product in products:
                    holders.setdefault(product, [0, 0])[0 if person else 1] += sign
                for pair in combinations(sorted(products), 2):
                    pairs[pair] = pairs.get(pair, 0) + sign
        self.before.clear()
        if changed:
            await _replace_stats(
                run,
                now,
                started,
                people,
                organizations,
                {p: (c[0], c[1]) for p, c in holders.items() if c[0] + c[1] > 0},
                {k: n for k, n in pairs.items() if n > 0},
            )
        return True


async def party_products(run: Run, ids: Sequence[str]) -> dict[str, Holdings]:
    """Each party's part in the statistics (parties not in the database are absent)."""
    rows = await _records(run, "cross_sell.party_products", {"ids": list(ids)})
    return {r["id"]: (bool(r["person"]), frozenset(r["products"] or ())) for r in rows}
