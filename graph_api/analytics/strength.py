"""Relationship strength earned from interactions, combined with the declared strength.

Per pair (one of our reps and a customer person: the interactions the rep CONDUCTED WITH the
person; two customer people: the interactions they were both in) the graph keeps an
accumulator, `(a)-[:ENGAGED]->(b)`, written by every write of an interaction and by the
importers (`cypher/strength.cypher`, `refresh_pairs`):

    lacc = log2( sum_i w(kind_i) * 2^((t_i - EPOCH) / h) )      (t in days, h the half-life)

so that the decayed activity at any later time t is `2^(lacc - (t - EPOCH) / h)`: it decays
with time without anything being rewritten, and logging an interaction adds its term. Log
space keeps the sum finite whatever the dates and the half-life. With it: the number of
interactions per kind, who started them (ACTIVE: we, PASSIVE: the customer), the first and
the last, and `h` itself (a half-life change recomputes every pair: `graph-api
refresh-strength`). docs/ANALYTICS.md, "Earned strength", gives the rule and the constants.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_api.domain import model as m

# The fixed origin of the accumulators' exponents (any date works; it must never change
# without a refresh).
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
EPOCH_SECONDS = int(EPOCH.timestamp())
DAY_SECONDS = 86_400

# How much one interaction of a kind is worth when fresh: being together counts most, a
# conversation next, a written message least; routine transactions barely count.
KIND_WEIGHT: dict[str, float] = {
    m.InteractionKind.MEETING: 1.0,
    m.InteractionKind.VISIT: 1.0,
    m.InteractionKind.EVENT: 0.6,
    m.InteractionKind.CALL: 0.5,
    m.InteractionKind.SERVICE: 0.3,
    m.InteractionKind.COMPLAINT: 0.3,
    m.InteractionKind.CLAIM: 0.3,
    m.InteractionKind.MESSAGE: 0.25,
    m.InteractionKind.EMAIL: 0.2,
    m.InteractionKind.PURCHASE: 0.2,
    m.InteractionKind.BILLING: 0.1,
}
KINDS: tuple[str, ...] = tuple(k.value for k in m.InteractionKind)  # order of `kind_counts`
# A rep's relationship where only one side ever starts the contact (only ACTIVE, only PASSIVE
# or no direction recorded) counts this much of a two-way one.
ONE_WAY_FACTOR = 0.75
# Decayed activity A gives earned strength A / (A + SATURATION): one fresh meeting 0.5,
# three 0.75, nine 0.9; never 1.
SATURATION = 1.0
REP = "R"  # pair kinds in `refresh_pairs`
PERSON = "P"


@dataclass(frozen=True, slots=True)
class Interaction:
    kind: str
    at: datetime
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class Accumulator:
    """What the graph keeps per pair (the ENGAGED relationship's properties)."""

    lacc: float
    half_life_days: float
    count: int
    kind_counts: tuple[int, ...]  # per KINDS
    active: int
    passive: int
    first_at: datetime
    last_at: datetime
    rep_pair: bool = True  # a rep and a person (direction counts); False: two people

    @classmethod
    def from_props(cls, props: Mapping[str, object], *, rep_pair: bool) -> Accumulator:
        counts = props.get("kindCounts") or ()
        assert isinstance(counts, Sequence)
        return cls(
            lacc=float(props["lacc"]),  # type: ignore[arg-type]
            half_life_days=float(props["halfLife"]),  # type: ignore[arg-type]
            count=int(props["count"]),  # type: ignore[call-overload]
            kind_counts=tuple(int(c) for c in counts),
            active=int(props.get("active") or 0),  # type: ignore[call-overload]
            passive=int(props.get("passive") or 0),  # type: ignore[call-overload]
            first_at=_native(props["firstAt"]),
            last_at=_native(props["lastAt"]),
            rep_pair=rep_pair,
        )

    @classmethod
    def from_row(cls, row: Sequence[Any], *, rep_pair: bool) -> Accumulator:
        """From cypher/paths.cypher's list: [lacc, halfLife, count, kindCounts, active,
        passive, firstAt, lastAt] (the times in epoch seconds)."""
        lacc, half_life, count, counts, active, passive, first, last = row
        return cls(
            lacc=float(lacc),
            half_life_days=float(half_life),
            count=int(count),
            kind_counts=tuple(int(c) for c in counts or ()),
            active=int(active or 0),
            passive=int(passive or 0),
            first_at=datetime.fromtimestamp(int(first), UTC),
            last_at=datetime.fromtimestamp(int(last), UTC),
            rep_pair=rep_pair,
        )


def _native(value: object) -> datetime:
    native = value.to_native() if hasattr(value, "to_native") else value
    assert isinstance(native, datetime)
    return native if native.tzinfo else native.replace(tzinfo=UTC)


def _days(at: datetime) -> float:
    return (int(at.timestamp()) - EPOCH_SECONDS) / DAY_SECONDS


def accumulate(
    interactions: Iterable[Interaction], half_life_days: float, *, rep_pair: bool = True
) -> Accumulator | None:
    """The accumulator of a pair's interactions (None: none), as `refresh_pairs` computes it."""
    items = [i for i in interactions if i.kind in KIND_WEIGHT]
    if not items:
        return None
    exps = [math.log2(KIND_WEIGHT[i.kind]) + _days(i.at) / half_life_days for i in items]
    top = max(exps)
    lacc = top + math.log2(sum(2.0 ** (x - top) for x in exps))
    return Accumulator(
        lacc=lacc,
        half_life_days=half_life_days,
        count=len(items),
        kind_counts=tuple(sum(1 for i in items if i.kind == k) for k in KINDS),
        active=sum(1 for i in items if i.direction == m.InteractionDirection.ACTIVE),
        passive=sum(1 for i in items if i.direction == m.InteractionDirection.PASSIVE),
        first_at=min(i.at for i in items),
        last_at=max(i.at for i in items),
        rep_pair=rep_pair,
    )


def two_way(acc: Accumulator) -> bool:
    """Whether both sides start contacts (always, between two customer people: they were in
    the same interactions, and who started it is about us)."""
    return not acc.rep_pair or (acc.active > 0 and acc.passive > 0)


def activity(acc: Accumulator, now: datetime) -> float:
    """The decayed, weighted number of interactions at `now` (a fresh two-way meeting: 1)."""
    decayed: float = 2.0 ** (acc.lacc - _days(now) / acc.half_life_days)
    return decayed * (1.0 if two_way(acc) else ONE_WAY_FACTOR)


def earned(acc: Accumulator | None, now: datetime) -> float:
    """The strength the interactions alone give, 0..1."""
    if acc is None:
        return 0.0
    a = activity(acc, now)
    return a / (a + SATURATION)


def combine(declared: float | None, earned_strength: float) -> float:
    """Declared and earned together: either is evidence of the relationship, so
    1 - (1 - declared)(1 - earned) (no declared link: the earned strength alone). It is never
    below either, and decays back to the declared strength when the contacts stop."""
    d = 0.0 if declared is None else max(0.0, min(1.0, declared))
    return 1.0 - (1.0 - d) * (1.0 - earned_strength)


def strength(declared: float | None, acc: Accumulator | None, now: datetime) -> float:
    """The strength of a relationship at `now`: `combine(declared, earned(acc, now))`."""
    if acc is None:
        return 0.0 if declared is None else max(0.0, min(1.0, declared))
    return combine(declared, earned(acc, now))


def days_ago(at: datetime, now: datetime) -> int:
    """Whole days from `at` to `now` (0: within the last day; never negative)."""
    return max(0, int((now - at).total_seconds() // DAY_SECONDS))


# ----- words ------------------------------------------------------------------------------

_EN_KIND: dict[str, tuple[str, str]] = {
    m.InteractionKind.MEETING: ("meeting", "meetings"),
    m.InteractionKind.VISIT: ("visit", "visits"),
    m.InteractionKind.EVENT: ("event", "events"),
    m.InteractionKind.CALL: ("call", "calls"),
    m.InteractionKind.SERVICE: ("service contact", "service contacts"),
    m.InteractionKind.COMPLAINT: ("complaint", "complaints"),
    m.InteractionKind.CLAIM: ("claim", "claims"),
    m.InteractionKind.MESSAGE: ("message", "messages"),
    m.InteractionKind.EMAIL: ("email", "emails"),
    m.InteractionKind.PURCHASE: ("purchase", "purchases"),
    m.InteractionKind.BILLING: ("billing contact", "billing contacts"),
}
NAMED_KINDS = 2  # kinds named in an explanation; the others are counted together


def kinds_by_count(acc: Accumulator) -> list[tuple[str, int]]:
    """(kind, count) of the kinds that occur, most first, then by weight, then by name."""
    pairs = [(k, c) for k, c in zip(KINDS, acc.kind_counts, strict=False) if c > 0]
    return sorted(pairs, key=lambda kc: (-kc[1], -KIND_WEIGHT[kc[0]], kc[0]))


def explain(acc: Accumulator, now: datetime) -> str:
    """E.g. "4 meetings and 1 call in 90 days, last 6 days ago" (the days: since the first)."""
    kinds = kinds_by_count(acc)
    parts = [f"{c} {_EN_KIND[k][0 if c == 1 else 1]}" for k, c in kinds[:NAMED_KINDS]]
    rest = sum(c for _, c in kinds[NAMED_KINDS:])
    if rest:
        parts.append(f"{rest} other interaction{'s' if rest != 1 else ''}")
    what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    last = days_ago(acc.last_at, now)
    when = "today" if last == 0 else f"{last} day{'s' if last != 1 else ''} ago"
    if acc.count == 1:
        text = f"{what}, {when}"
    else:
        span = max(1, days_ago(acc.first_at, now))
        text = f"{what} in {span} day{'s' if span != 1 else ''}, last {when}"
    if acc.rep_pair and not two_way(acc):
        if acc.passive and not acc.active:
            text += "; only they reach out"
        elif acc.active and not acc.passive:
            text += "; only we reach out"
    return text
