"""Co-holding statistics kept current by each write of holdings, equal to a full recompute.

A small catalogue (products A, B, C), three people and one organization. After each kind of
write the stored statistics are compared with the counts derived by hand below, and then
with what `refresh_co_holding_stats` (every holding read again) makes of the same graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_api.domain.access import Access, Role, Viewer
from graph_api.domain.writes import EntityKind
from graph_api.services.co_holding import refresh_co_holding_stats
from graph_api.services.write_input import create_node, update_node
from graph_api.services.writes import apply_changes
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database

GRAPH: dict[str, Any] = {
    "organizations": [{"id": "o-x", "name": "X Co"}],
    "people": [
        {"id": "p-a", "name": "甲"},
        {"id": "p-b", "name": "乙"},
        {"id": "p-c", "name": "丙"},
    ],
    "products": [
        {"id": "A", "name": "Product A"},
        {"id": "B", "name": "Product B"},
        {"id": "C", "name": "Product C"},
    ],
    # p-a: {A}; p-b: {A, B}; o-x: {B}.
    "holdings": [
        {"id": "h-a-A", "partyId": "p-a", "productId": "A"},
        {"id": "h-b-A", "partyId": "p-b", "productId": "A"},
        {"id": "h-b-B", "partyId": "p-b", "productId": "B"},
        {"id": "h-x-B", "partyId": "o-x", "productId": "B"},
    ],
}

ADMIN = Viewer(subject="admin@example.com", role=Role.ADMIN)


async def stored(store: Store) -> dict[str, Any]:
    """The statistics without their timing: customers, holders per product, co-held pairs."""
    stats = await store.read(
        "MATCH (s:CoHoldingStats) RETURN s.people AS people, s.organizations AS organizations, "
        "s.products AS products, s.associations AS associations"
    )
    counts = await store.read(
        "MATCH (:CoHoldingStats)-[c:COUNTS]->(p:Product) "
        "RETURN p.id AS p, c.people AS people, c.organizations AS organizations ORDER BY p"
    )
    pairs = await store.read(
        "MATCH (a:Product)-[r:CO_HELD]->(b:Product) "
        "RETURN a.id AS a, b.id AS b, properties(r) AS props ORDER BY a, b"
    )
    return {"stats": stats, "counts": counts, "pairs": pairs}


def expected(
    people: int, organizations: int, holders: dict[str, tuple[int, int]], pairs: dict[str, int]
) -> dict[str, Any]:
    """What the statistics must hold, in `stored`'s shape but for the pairs' counts only."""
    return {
        "stats": [
            {
                "people": people,
                "organizations": organizations,
                "products": len(holders),
                "associations": 2 * len(pairs),
            }
        ],
        "counts": [
            {"p": p, "people": n[0], "organizations": n[1]} for p, n in sorted(holders.items())
        ],
        "pairs": sorted(
            (a, b, n) for ab, n in pairs.items() for a, b in ((ab[0], ab[1]), (ab[1], ab[0]))
        ),
    }


def pair_counts(got: dict[str, Any]) -> dict[str, Any]:
    return {**got, "pairs": sorted((r["a"], r["b"], r["props"]["pairCount"]) for r in got["pairs"])}


async def write(store: Store, *changes: Any) -> None:
    await apply_changes(ScopedStore(store, Access.everything(ADMIN)), "applyChanges", list(changes))


async def check(store: Store, want: dict[str, Any]) -> None:
    incremental = await stored(store)
    assert pair_counts(incremental) == want
    await refresh_co_holding_stats(store)
    assert await stored(store) == incremental


def holding(hid: str, party: str, product: str, status: str | None = None) -> Any:
    raw = {"id": hid, "partyId": party, "productId": product}
    if status:
        raw["status"] = status
    return create_node(EntityKind.HOLDING, raw)


def status(hid: str, value: str, version: int) -> Any:
    return update_node(EntityKind.HOLDING, {"id": hid, "status": value}, version)


async def test_each_write_of_holdings_keeps_the_statistics_equal_to_a_recompute(
    db: Database, tmp_path: Path
) -> None:
    await db.load(GRAPH, tmp_path)
    store = db.store
    # The import's refresh: customers p-a, p-b (people) and o-x; A held by 2 people, B by one
    # person and one organization; only p-b holds a pair (A, B).
    await check(store, expected(2, 1, {"A": (2, 0), "B": (1, 1)}, {"AB": 1}))

    # A new customer: p-c's first holding, of C.
    await write(store, holding("h-c-C", "p-c", "C"))
    await check(store, expected(3, 1, {"A": (2, 0), "B": (1, 1), "C": (1, 0)}, {"AB": 1}))

    # A customer's second product: p-a now {A, B}, a second holder of the pair.
    await write(store, holding("h-a-B", "p-a", "B"))
    await check(store, expected(3, 1, {"A": (2, 0), "B": (2, 1), "C": (1, 0)}, {"AB": 2}))

    # A product held twice counts once: p-a's second A changes nothing.
    await write(store, holding("h-a-A2", "p-a", "A"))
    await check(store, expected(3, 1, {"A": (2, 0), "B": (2, 1), "C": (1, 0)}, {"AB": 2}))

    # Closing p-a's B: p-a back to {A}.
    await write(store, status("h-a-B", "CLOSED", 1))
    await check(store, expected(3, 1, {"A": (2, 0), "B": (1, 1), "C": (1, 0)}, {"AB": 1}))

    # Closing p-a's first A leaves the second: nothing changes.
    await write(store, status("h-a-A", "CLOSED", 1))
    await check(store, expected(3, 1, {"A": (2, 0), "B": (1, 1), "C": (1, 0)}, {"AB": 1}))

    # Closing p-c's only holding: p-c is no customer any more and C has no holder.
    await write(store, status("h-c-C", "CLOSED", 1))
    await check(store, expected(2, 1, {"A": (2, 0), "B": (1, 1)}, {"AB": 1}))

    # An organization's pending holding counts (only CLOSED does not): o-x now {A, B}.
    await write(store, holding("h-x-A", "o-x", "A", "PENDING"))
    await check(store, expected(2, 1, {"A": (2, 1), "B": (1, 1)}, {"AB": 2}))

    # Two changes to one party in one transaction: p-c's C reopened and a new A.
    await write(store, status("h-c-C", "ACTIVE", 2), holding("h-c-A", "p-c", "A"))
    await check(
        store,
        expected(3, 1, {"A": (3, 1), "B": (1, 1), "C": (1, 0)}, {"AB": 2, "AC": 1}),
    )


async def test_without_statistics_a_write_makes_none(db: Database, tmp_path: Path) -> None:
    # Never refreshed (the import's refresh undone): there is nothing to add to, and a write
    # does not pretend the rest of the database holds nothing.
    await db.load(GRAPH, tmp_path)
    await db.store.write("MATCH (s:CoHoldingStats) DETACH DELETE s")
    await db.store.write("MATCH (:Product)-[r:CO_HELD]->() DELETE r")
    await write(db.store, holding("h-c-C", "p-c", "C"))
    assert await stored(db.store) == {"stats": [], "counts": [], "pairs": []}
