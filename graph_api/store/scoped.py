"""The store as one viewer may use it: every named query the API runs is declared with how
the viewer's scope applies to it, and runs only that way.

Services never hold the raw `Store`; they get a `ScopedStore` made per request from the
viewer's `Access` (`api/context.py`). For each named query, `QUERY_SCOPES` says one of:

- VISIBLE: the query keeps to the viewer's parties itself; the reader passes `$visible`
  (the viewer's visible ids, null for an admin), and a caller cannot pass its own.
- RESTRICTED: the answer holds parties the viewer may not see; the reader hands it over
  only as `Unrestricted`, which opens through a function registered with `@restriction`
  for that query (the service's rule for what of it the viewer sees).
- PUBLIC: reads nothing a viewer may be denied (products, reps, locks).
- WRITE: runs only inside the bound writer's transaction (`services/writes.py`), which
  treats every node the viewer may not see as absent.

A query not declared (or declared for another use) does not run: an unscoped read cannot be
written by accident. `tests/unit/test_query_declarations.py` checks every query of `cypher/` against
these declarations. Operator commands (import, export, statistics, audit pruning) and the
computation of the scope itself use the raw `Store`, outside the API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

import neo4j

from graph_api.domain.access import Access
from graph_api.store.cypher import as_of_name
from graph_api.store.neo4j_store import Store, Transaction

T = TypeVar("T")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


class Scoping(StrEnum):
    VISIBLE = "VISIBLE"
    RESTRICTED = "RESTRICTED"
    PUBLIC = "PUBLIC"
    WRITE = "WRITE"


@dataclass(frozen=True, slots=True)
class Declared:
    scoping: Scoping
    # Inside a write transaction too, the reader passes `$visible` (and `$created`, the
    # parties the transaction created, which count as seen).
    visible: bool = False


_V = Declared(Scoping.VISIBLE, visible=True)
_R = Declared(Scoping.RESTRICTED)
_W = Declared(Scoping.WRITE)

_WRITE_QUERIES = (
    "lock",
    "reporting_path",
    "parent_path",
    "claim_party",
    "lock_party",
    "put_person",
    "put_organization",
    "claim_holding",
    "lock_holding",
    "put_holding",
    "read_holding",
    "claim_interaction",
    "lock_interaction",
    "put_interaction",
    "read_interaction",
    *(
        f"{step}_{kind}"
        for kind in ("rep", "team", "product", "opportunity", "event", "rule")
        for step in ("claim", "lock", "put")
    ),
    "rep_manager_path",
    "claim_tas_answer",
    "lock_tas_answer",
    "put_tas_answer",
    "read_tas_answer",
    "opportunity_accounts",
    "audit",
    *(
        f"{kind}_{step}"
        for kind in (
            "employment",
            "reporting",
            "family",
            "beneficiary",
            "buying_role",
            "influence",
            "acquaintance",
            "coverage",
            "team_member",
            "team_account",
            "competitor_coverage",
            "competitor_opportunity",
        )
        for step in ("state", "put", "delete")
    ),
)

# Every named query the API may run, and how the viewer's scope applies to it.
QUERY_SCOPES: Mapping[str, Declared] = {
    "view.parties": Declared(Scoping.RESTRICTED, visible=True),
    # Timestamps of nodes already in an answer; parties kept to `$visible` all the same.
    "view.stamps": _V,
    # Nodes of the other kinds, with the parties they lead to (services/nodes.py).
    "view.nodes": _R,
    "search.parties": _V,
    "search.window": _V,
    "search.top": _V,
    "paths.neighbourhood": _V,
    "org_chart.chart": _R,
    "deciders.scope": _R,
    "deciders.people": _R,
    "deciders.close_date": _V,
    "cross_sell.neighbourhood": _R,
    "tas.opportunity": _R,
    "tas.funnel": _V,
    "tas.holds": _R,
    "audit.trail": _R,
    "audit.visibility": _R,
    "write.existing": Declared(Scoping.WRITE, visible=True),
    **{f"write.{name}": _W for name in _WRITE_QUERIES},
    # Portfolio lists (services/portfolio.py): the filters keep to `$visible` themselves.
    "portfolio.book": _V,
    "portfolio.book_rad_counts": _V,
    "economics.account": _V,
    **{
        f"portfolio.{name}{variant}": _V
        for name in (
            "by_name",
            "by_name_desc",
            "by_score",
            "by_score_desc",
            "by_follow_up",
            "by_follow_up_desc",
        )
        for variant in ("", "_no_supporter", "_uncovered", "_tier")
    },
    "portfolio.rad_counts": _V,
    # The derived portfolio properties of the parties a write touched, in its transaction.
    "portfolio.refresh": _W,
    # Earned strength: the pairs a write of an interaction touched, recomputed in its
    # transaction, and the sleeping signal of its parties before and after.
    "strength.refresh_pairs": _W,
    "strength.last_interactions": _W,
    # The caller's own idempotency keys (keyed by subject), in the write's transaction.
    "idempotency.claim": _W,
    "idempotency.record": _W,
    # The co-holding statistics, kept current by each write of holdings in its transaction.
    "cross_sell.party_products": _W,
    "cross_sell.current_stats": _W,
    "cross_sell.replace_stats": _W,
    # The change feed: appended last in every write's transaction (services/feed.py); read
    # after a cursor, kept to the viewer's parties ($visible) and opened by `visible_changes`.
    "feed.append": _W,
    "feed.head": Declared(Scoping.PUBLIC),
    "feed.page": Declared(Scoping.RESTRICTED, visible=True),
    # The lifecycle of nodes (archive, restore, merge, erase), in the write's transaction.
    **{
        f"lifecycle.{name}": _W
        for name in (
            "state",
            "taken",
            "related_accounts",
            "product_holders",
            "archive",
            "restore",
            "merge_links",
            "merge_apply",
            "merge_cycles",
            "merge_survivor",
            "drop_merged",
            "erase_person",
            "erase_trail",
            "erase_values",
            "erase_answers",
        )
    },
    # What an id no live party has is (archived, or a merged party's alias), opened by
    # `services/lifecycle.py` (only admins learn that a party is archived).
    "lifecycle.resolve": _R,
    "lifecycle.archived": _V,  # admins only (services/lifecycle.py), parties kept to $visible
    # recordJobChange's one read (services/job_change.py), in its write transaction: the
    # impact keeps to `$visible` (and the transaction's `$created`) itself.
    "job_change.context": Declared(Scoping.WRITE, visible=True),
    # jobChanges: the moved people kept to `$visible`.
    "job_change.recent": _V,
}

# Queries of `cypher/` that the API never runs through a bound store: the viewer's scope
# itself (`access.scope`, computed before there is a reader), the operator's commands, and the
# stored API keys (no party data: looked up before there is a viewer, managed by admins only,
# `services/api_keys.py`).
OUTSIDE_THE_API: frozenset[str] = frozenset(
    {
        "access.scope",
        "keys.create",
        "keys.find",
        "keys.list",
        "keys.revoke",
        # Webhooks: the service's configuration, managed by admins only and delivered by
        # the worker of each process (`services/webhooks.py`).
        *(
            f"webhooks.{name}"
            for name in (
                "create",
                "list",
                "get",
                "update",
                "delete",
                "claim",
                "release",
                "record",
                "skip",
                "waiting",
                "deliveries",
                "dead_letters",
                "by_ids",
                "replay",
                "holding",
                "prune_delivered",
            )
        ),
        "audit.prune",
        "feed.prune_upto",
        "feed.prune",
        "idempotency.prune",
        "cross_sell.lock_stats",
        "cross_sell.holders",
        "cross_sell.customers",
        "cross_sell.pairs",
        "schema",
        "search.backfill_titles",  # a migration (Store.migrate)
        "portfolio.ids",  # the initial import's refresh of every party
        "portfolio.stale",  # a migration (Store.migrate)
        "portfolio.ahead_unmarked",  # a migration (Store.migrate)
        "portfolio.due",  # the daily refresh of parties whose interaction dated ahead came
        "strength.interaction_pairs",  # graph-api refresh-strength
        "strength.clear_stale",
    }
)
# Whole files of operator queries (the importer's and exporter's), and the store's own
# bookkeeping: the graph's version (a counter, no party's data), bumped by the store in
# every write transaction and read by the analysis cache through `graph_version()`.
OUTSIDE_THE_API_FILES: frozenset[str] = frozenset({"import", "export", "initial", "graph_version"})


class UnscopedQuery(RuntimeError):
    """A query run in a way its declaration does not allow: a programming error."""


Restriction = Callable[..., Any]
_RESTRICTIONS: dict[str, set[Restriction]] = {}


def restriction(*names: str) -> Callable[[F], F]:
    """Registers a function `(access, records, ...)` as the rule that opens the answer of the
    RESTRICTED queries `names`."""

    def register(fn: F) -> F:
        for name in names:
            declared = QUERY_SCOPES.get(name)
            if declared is None or declared.scoping is not Scoping.RESTRICTED:
                raise UnscopedQuery(f"{fn.__qualname__}: {name!r} is no RESTRICTED query")
            _RESTRICTIONS.setdefault(name, set()).add(fn)
        return fn

    return register


def restrictions_of(name: str) -> frozenset[Restriction]:
    return frozenset(_RESTRICTIONS.get(name, ()))


class Unrestricted(Generic[T]):
    """An answer that may hold what the viewer may not see; only a registered restriction of
    its query opens it."""

    __slots__ = ("_access", "_name", "_value")

    def __init__(self, name: str, access: Access, value: T) -> None:
        self._name = name
        self._access = access
        self._value = value

    def restrict(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        if fn not in _RESTRICTIONS.get(self._name, ()):
            raise UnscopedQuery(f"{fn.__qualname__} is no restriction of {self._name!r}")
        return fn(self._access, self._value, *args, **kwargs)


def _declared(name: str, *allowed: Scoping) -> Declared:
    declared = QUERY_SCOPES.get(name)
    if declared is None:
        raise UnscopedQuery(f"query {name!r} is not declared in QUERY_SCOPES: it cannot run")
    if declared.scoping not in allowed:
        raise UnscopedQuery(
            f"query {name!r} is {declared.scoping}: it cannot run as "
            + "/".join(a.value for a in allowed)
        )
    return declared


def _scoped(
    name: str,
    declared: Declared,
    params: Mapping[str, Any] | None,
    access: Access,
    created: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    out = dict(params or {})
    if "visible" in out or "created" in out:
        raise UnscopedQuery(f"query {name!r}: $visible is the reader's to pass, not the caller's")
    if declared.visible:
        out["visible"] = access.visible_list()
        if declared.scoping is Scoping.WRITE:
            out["created"] = sorted(created)
    return out


def _dated(name: str, params: dict[str, Any], as_of: date | None) -> tuple[str, dict[str, Any]]:
    """The query to run: itself, or its as-of variant with `$asOf` (store/projection.py)."""
    if as_of is None:
        return name, params
    if "asOf" in params:
        raise UnscopedQuery(f"query {name!r}: $asOf is the reader's to pass, not the caller's")
    return as_of_name(name), {**params, "asOf": as_of}


class ScopedStore:
    """The store bound to one viewer: what the services of one request read and write with."""

    def __init__(self, store: Store, access: Access) -> None:
        self._store = store
        self.access = access

    async def read(
        self, name: str, params: Mapping[str, Any] | None = None, *, as_of: date | None = None
    ) -> list[neo4j.Record]:
        """A VISIBLE or PUBLIC query's records; `as_of`: its as-of variant, the graph as it
        was that day (the query's declaration and restrictions are its own)."""
        declared = _declared(name, Scoping.VISIBLE, Scoping.PUBLIC)
        scoped = _scoped(name, declared, params, self.access)
        return await self._store.read(*_dated(name, scoped, as_of))

    async def read_one(
        self, name: str, params: Mapping[str, Any] | None = None, *, as_of: date | None = None
    ) -> neo4j.Record | None:
        records = await self.read(name, params, as_of=as_of)
        return records[0] if records else None

    async def read_restricted(
        self, name: str, params: Mapping[str, Any] | None = None, *, as_of: date | None = None
    ) -> Unrestricted[list[neo4j.Record]]:
        """A RESTRICTED query's records, to be opened by one of its restrictions."""
        declared = _declared(name, Scoping.RESTRICTED)
        scoped = _scoped(name, declared, params, self.access)
        records = await self._store.read(*_dated(name, scoped, as_of))
        return Unrestricted(name, self.access, records)

    async def graph_version(self) -> str | None:
        """The graph's version (`Store.graph_version`): a counter, no party's data."""
        return await self._store.graph_version()

    async def bookmarks(self) -> list[str]:
        """`Store.bookmarks`: what another process's reads for this request must wait for."""
        return await self._store.bookmarks()

    async def write_transaction(self, work: Callable[[ScopedTransaction], Awaitable[T]]) -> T:
        """`work` in one write transaction, running WRITE queries only (all of it or nothing)."""

        async def bound(tx: Transaction) -> T:
            return await work(ScopedTransaction(tx, self.access))

        return await self._store.write_transaction(bound)


class ScopedTransaction:
    """A write transaction bound to the viewer; `created` holds the parties it created."""

    def __init__(self, tx: Transaction, access: Access) -> None:
        self._tx = tx
        self.access = access
        self.created: set[str] = set()

    async def run(self, name: str, params: Mapping[str, Any] | None = None) -> list[neo4j.Record]:
        declared = _declared(name, Scoping.WRITE)
        scoped = _scoped(name, declared, params, self.access, frozenset(self.created))
        return await self._tx.run(name, scoped)

    async def run_one(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> neo4j.Record | None:
        records = await self.run(name, params)
        return records[0] if records else None
