"""Keeps the earned-strength accumulators current (analytics/strength.py, cypher/strength.cypher).

Every write of an interaction recomputes the pairs it touches (before and after the write)
in its own transaction; the transactional importer recomputes the pairs of the interactions
it loaded; the bulk initial importer writes them as files (`accumulators_from_rows`); and
`graph-api refresh-strength` recomputes every pair (after a half-life change).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_api.analytics import paths
from graph_api.analytics import strength as s
from graph_api.analytics.strength_zh import explain_zh
from graph_api.config import get_settings
from graph_api.domain.model import REPORTED_DIGITS
from graph_api.domain.writes import StrengthChange
from graph_api.store.neo4j_store import Store

Pair = tuple[str, str, str]  # (kind R|P, a, b): a rep and a person, or two people a < b
REFRESH_BATCH = 500  # pairs per refresh query
INTERACTION_BATCH = 2000  # interactions per batch of a full refresh


def clock() -> datetime:
    """The instant strengths are computed for: GRAPH_API_STRENGTH_NOW, else now."""
    fixed = get_settings().strength_now
    if fixed is None:
        return datetime.now(UTC)
    return fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)


def pairs_of(rep_ids: Iterable[str], party_ids: Iterable[str]) -> set[Pair]:
    """The pairs an interaction's reps and parties make: each rep with each party, each two
    parties (organizations among them are dropped by the query: pairs are with people)."""
    reps, parties = sorted(set(rep_ids)), sorted(set(party_ids))
    found: set[Pair] = {(s.REP, r, p) for r in reps for p in parties}
    found.update((s.PERSON, a, b) for a, b in itertools.combinations(parties, 2))
    return found


def refresh_params(pairs: Iterable[Pair], half_life_days: float) -> dict[str, Any]:
    return {
        "pairs": [list(p) for p in sorted(pairs)],
        "weights": dict(s.KIND_WEIGHT),
        "kinds": list(s.KINDS),
        "halfLife": float(half_life_days),
        "epoch": s.EPOCH_SECONDS,
    }


@dataclass(frozen=True, slots=True)
class PairChange:
    """One pair's accumulator before and after a write (None: no interactions)."""

    rep_pair: bool
    a: str
    b: str
    before: s.Accumulator | None
    after: s.Accumulator | None
    declared: float | None = None  # the declared COVERS/KNOWS strength (None: no such link)

    def changed(self) -> bool:
        return self.before != self.after


def change_from_record(record: Mapping[str, Any]) -> PairChange:
    rep_pair = record["kind"] == s.REP

    def acc(props: Mapping[str, Any] | None) -> s.Accumulator | None:
        return None if props is None else s.Accumulator.from_props(props, rep_pair=rep_pair)

    declared = record.get("declared")
    return PairChange(
        rep_pair,
        record["a"],
        record["b"],
        acc(record["before"]),
        acc(record["after"]),
        None if declared is None else paths.stored_strength(declared[0], declared[1], None),
    )


def described(change: PairChange, now: datetime) -> StrengthChange:
    """A pair's change as a write answers it: the strength at `now` before and after, and the
    pair's interactions in words."""
    after = change.after
    return StrengthChange(
        rep=change.rep_pair,
        from_id=change.a,
        to_id=change.b,
        declared=change.declared,
        before=round(s.strength(change.declared, change.before, now), REPORTED_DIGITS),
        after=round(s.strength(change.declared, after, now), REPORTED_DIGITS),
        interactions=0 if after is None else after.count,
        explanation=None if after is None else s.explain(after, now),
        explanation_zh=None if after is None else explain_zh(after, now),
    )


async def refresh_pairs(store: Store, pairs: Iterable[Pair], half_life_days: float) -> int:
    """Recomputes these pairs in batches (each its own transaction); returns how many exist."""
    todo = sorted(set(pairs))
    done = 0
    for i in range(0, len(todo), REFRESH_BATCH):
        rows = await store.write(
            "strength.refresh_pairs", refresh_params(todo[i : i + REFRESH_BATCH], half_life_days)
        )
        done += len(rows)
    return done


@dataclass(frozen=True, slots=True)
class FullRefresh:
    interactions: int
    pairs: int
    removed: int
    seconds: float


async def refresh_all(store: Store, half_life_days: float) -> FullRefresh:
    """Recomputes every pair of every interaction with `half_life_days`, then removes the
    accumulators no interaction backs any more (left with another half-life)."""
    started = time.perf_counter()
    after, interactions, pairs = "", 0, 0
    while True:
        rows = await store.read(
            "strength.interaction_pairs", {"after": after, "first": INTERACTION_BATCH}
        )
        if not rows:
            break
        found: set[Pair] = set()
        for row in rows:
            found |= pairs_of(row["reps"], row["people"])
        pairs += await refresh_pairs(store, found, half_life_days)
        interactions += len(rows)
        after = rows[-1]["id"]
    removed = 0
    while True:
        deleted = await store.write(
            "strength.clear_stale", {"halfLife": float(half_life_days), "first": 10_000}
        )
        n = int(deleted[0]["deleted"]) if deleted else 0
        removed += n
        if n == 0:
            break
    return FullRefresh(interactions, pairs, removed, time.perf_counter() - started)


def accumulators_from_rows(
    interactions: Sequence[Mapping[str, Any]], people: set[str], half_life_days: float
) -> dict[Pair, s.Accumulator]:
    """The accumulators of every pair of these interaction rows (the import format's
    values: kind, at, direction, partyIds, repIds), for the bulk initial importer."""
    by_pair: dict[Pair, list[s.Interaction]] = defaultdict(list)
    for row in interactions:
        at = row.get("at")
        kind = row.get("kind")
        if not isinstance(at, datetime) or kind not in s.KIND_WEIGHT:
            continue
        item = s.Interaction(str(kind), at, row.get("direction"))
        parties = [p for p in row.get("partyIds") or () if p in people]
        for pair in pairs_of(row.get("repIds") or (), parties):
            by_pair[pair].append(item)
    found: dict[Pair, s.Accumulator] = {}
    for pair, items in by_pair.items():
        acc = s.accumulate(items, half_life_days, rep_pair=pair[0] == s.REP)
        if acc is not None:
            found[pair] = acc
    return found
