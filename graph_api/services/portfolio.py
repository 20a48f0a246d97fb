"""Portfolio lists (issue 15.5): a rep's or manager's work lists, filtered, ordered and paged.

Two ways to a page, chosen by the filters, so that a page never costs the whole graph:

- a **book** (the viewer's own accounts, a rep's or a team's book, or everything a rep or
  manager may see): its candidates are read from the team or rep node they hang on, filtered,
  ordered and cut after the cursor in the query (`portfolio.book`); the cost follows the size
  of the book.
- the **whole graph** (an admin without a book filter): the query walks the composite index
  of the order, (key, id), or (flag, key, id) for a decision-layer gap list, from the cursor
  and stops after the page (`portfolio.by_*`).

The filters on derived facts (profile score, last follow-up, RAD cell, decision-layer gaps)
read properties that `portfolio.refresh` keeps on every party: in the transaction of every
write (`services/writes.py`), after every import (both importers), and on the day a party's
interaction dated ahead comes (`refresh_due`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from graph_api.config import Settings
from graph_api.domain import model as m
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.portfolio import (
    RAD_CELLS,
    DecisionLayerGap,
    PortfolioFilter,
    PortfolioOrder,
)
from graph_api.domain.signals import HEAD_OF_SALES_GRADE, Escalation, refresh_params
from graph_api.domain.view import Edge, Page
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.store.mapping import party_from_props
from graph_api.store.scoped import ScopedStore

MAX_FILTER_LENGTH = 200
MAX_GRADES = 5
EPOCH = date(1970, 1, 1)
# Larger than any name: the first page of a descending order by name starts below it.
_NAME_CEILING = "\U0010ffff"
_INT_CEILING = 2**31 - 1


# order -> (whole-graph query, book key, descending, key type, first page's key)
_ORDERS: dict[PortfolioOrder, tuple[str, str, bool, type, Any]] = {
    PortfolioOrder.NAME: ("portfolio.by_name", "name", False, str, ""),
    PortfolioOrder.NAME_DESC: ("portfolio.by_name_desc", "name", True, str, _NAME_CEILING),
    PortfolioOrder.PROFILE_SCORE: ("portfolio.by_score", "score", False, int, -1),
    PortfolioOrder.PROFILE_SCORE_DESC: ("portfolio.by_score_desc", "score", True, int, 1000),
    PortfolioOrder.LAST_FOLLOW_UP: ("portfolio.by_follow_up", "day", False, int, -1),
    PortfolioOrder.LAST_FOLLOW_UP_DESC: (
        "portfolio.by_follow_up_desc",
        "day",
        True,
        int,
        _INT_CEILING,
    ),
}
# The whole-graph walk of a decision-layer gap list: the query's variant over (flag, key, id);
# of a list of one tier: over (tier, key, id).
_TIER_VARIANT = "_tier"
_GAP_VARIANT = {
    DecisionLayerGap.NO_SUPPORTER: "_no_supporter",
    DecisionLayerGap.UNCOVERED: "_uncovered",
}


def epoch_day(day: date) -> int:
    return (day - EPOCH).days


def _check_text(field: str, value: str | None) -> str | None:
    if value is not None and (not value.strip() or len(value) > MAX_FILTER_LENGTH):
        raise InvalidInput(
            f"{field} must be 1..{MAX_FILTER_LENGTH} characters", field=field, value=value[:60]
        )
    return value


def check_filter(f: PortfolioFilter) -> None:
    """INVALID_INPUT naming the filter's field for a value no list can match."""
    _check_text("filter.region", f.region)
    _check_text("filter.industry", f.industry)
    _check_text("filter.coveredByRep", f.covered_by_rep)
    _check_text("filter.team", f.team)
    if f.rad_cell is not None and f.rad_cell not in RAD_CELLS:
        raise InvalidInput(
            f"radCell must be one of {', '.join(RAD_CELLS)}, got {f.rad_cell[:20]!r}",
            field="filter.radCell",
            value=f.rad_cell[:60],
        )
    if f.grades is not None:
        if not f.grades or len(f.grades) > MAX_GRADES:
            raise InvalidInput(
                f"grades must list 1..{MAX_GRADES} grades",
                field="filter.grades",
                value=list(f.grades),
            )
        for g in f.grades:
            if not 1 <= g <= MAX_GRADES:
                raise InvalidInput(
                    f"a grade is 1..{MAX_GRADES}, got {g}", field="filter.grades", value=g
                )
    if f.kinds is not None and not f.kinds:
        raise InvalidInput("kinds must not be empty", field="filter.kinds", value=[])


def filter_params(
    f: PortfolioFilter,
    settings: Settings,
    today: date,
    access_teams: Sequence[str] | None,
    access_reps: Sequence[str] | None,
) -> dict[str, Any]:
    """The Cypher parameters of the portfolio filters (cypher fragment PORTFOLIO_FILTERS)."""
    day = epoch_day(today)
    at_most: list[int] = []
    after: list[int] = []
    head_of_sales: bool | None = None
    if f.sleeping is True:
        at_most.append(day - settings.sleeping_days)
    elif f.sleeping is False:
        after.append(day - settings.sleeping_days)
    if f.escalation is Escalation.NONE:
        after.append(day - settings.sleeping_escalation_days)
    elif f.escalation is not None:
        at_most.append(day - settings.sleeping_escalation_days)
        head_of_sales = f.escalation is Escalation.HEAD_OF_SALES
    threshold = settings.profile_compliance_threshold
    return {
        "kinds": sorted(k.value for k in f.kinds) if f.kinds else None,
        "tier": f.tier.value if f.tier else None,
        "grades": sorted(set(f.grades)) if f.grades else None,
        "radCell": f.rad_cell,
        "region": f.region,
        "industry": f.industry,
        "followUpAtMost": min(at_most) if at_most else None,
        "followUpAfter": max(after) if after else None,
        "headOfSales": head_of_sales,
        "scoreBelow": threshold if f.below_compliance else None,
        "noSupporter": True if f.decision_layer_gap is DecisionLayerGap.NO_SUPPORTER else None,
        "uncovered": True if f.decision_layer_gap is DecisionLayerGap.UNCOVERED else None,
        "team": f.team,
        "rep": f.covered_by_rep,
        "mineTeams": list(access_teams or ()) if f.mine else None,
        "mineReps": list(access_reps or ()) if f.mine else None,
    }


def _source(f: PortfolioFilter, unrestricted: bool) -> str | None:
    """Where a book's candidates come from; None: the whole graph, by the order's index."""
    if f.team is not None:
        return "TEAM"
    if f.covered_by_rep is not None:
        return "REP"
    if f.mine:
        return "MINE"
    if not unrestricted:
        return "VISIBLE"
    return None


def _fingerprint(order: PortfolioOrder, f: PortfolioFilter, today: date) -> str:
    """Ties a cursor to its list (filters, order and day), so another list's is refused."""
    return hashlib.sha256(repr((order, f, today)).encode("utf-8")).hexdigest()[:12]


def _cursor_name(order: PortfolioOrder) -> str:
    return f"portfolio.{order.value.lower()}"


def _decode(order: PortfolioOrder, after: str, fingerprint: str, key_type: type) -> tuple[Any, str]:
    key, last_id, printed = decode_cursor(_cursor_name(order), after, (key_type, str, str))
    if printed != fingerprint:
        raise InvalidInput(
            "after is not a cursor of this list (its filters, order or day differ)",
            field="after",
            value=after[:200],
        )
    return key, last_id


async def portfolio_page(
    reader: ScopedStore,
    settings: Settings,
    f: PortfolioFilter,
    order: PortfolioOrder,
    *,
    first: int | None = None,
    after: str | None = None,
    today: date | None = None,
) -> Page[m.Party]:
    """One page of the list: the parties the viewer may see that pass every filter."""
    check_filter(f)
    size = check_first(first, settings)
    today = today or datetime.now(UTC).date()
    query, row_key, descending, key_type, start = _ORDERS[order]
    fingerprint = _fingerprint(order, f, today)
    key, last_id = (start, "") if after is None else _decode(order, after, fingerprint, key_type)
    access = reader.access
    params = filter_params(f, settings, today, sorted(access.teams), sorted(access.reps))
    source = _source(f, access.unrestricted)
    # A rep's book is open to the rep, their managers and admins only.
    hidden_rep = f.covered_by_rep is not None and f.covered_by_rep not in access.reps
    if hidden_rep and not access.unrestricted:
        raise NotFound(
            f"no rep with id {f.covered_by_rep!r}",
            field="filter.coveredByRep",
            value=f.covered_by_rep,
        )
    if f.team is not None and not access.unrestricted and f.team not in access.teams:
        raise NotFound(f"no account team with id {f.team!r}", field="filter.team", value=f.team)

    if source is None:
        if f.decision_layer_gap is not None:
            query += _GAP_VARIANT[f.decision_layer_gap]
        elif f.tier is not None:
            query += _TIER_VARIANT
        rows = await _walk(reader, query, params, key, last_id, size + 1)
    else:
        records = await reader.read(
            "portfolio.book",
            {
                **params,
                "source": source,
                "order": row_key,
                "desc": descending,
                "key": None if after is None else key,
                "id": None if after is None else last_id,
                "limit": size + 1,
            },
        )
        rows = [(r["key"], r["props"]["id"], r["props"], r["kind"]) for r in records]
    more = len(rows) > size
    edges = tuple(
        Edge(
            encode_cursor(_cursor_name(order), [k, pid, fingerprint]),
            party_from_props(props, kind),
        )
        for k, pid, props, kind in rows[:size]
    )
    return Page(edges, len(edges), more, after is not None)


# Round trips of one page of a whole-graph list by score, descending (a key's rows, then the
# next key's): at most one per score, 0..100.
_MAX_KEYS = 102


async def _walk(
    reader: ScopedStore, query: str, params: dict[str, Any], key: Any, last_id: str, limit: int
) -> list[tuple[Any, str, dict[str, Any], str]]:
    """The rows of a whole-graph walk after (key, last_id), up to `limit`. A query that
    answers `next` (by score, descending) gives the rows of one key: it is asked again from
    the next key until the page is full or the keys run out."""
    rows: list[tuple[Any, str, dict[str, Any], str]] = []
    for _ in range(_MAX_KEYS):
        records = await reader.read(
            query, {**params, "key": key, "id": last_id, "limit": limit - len(rows)}
        )
        following = None
        for r in records:
            following = r["next"]
            if r["props"] is not None:
                rows.append((r["key"], r["props"]["id"], r["props"], r["kind"]))
        if following is None or len(rows) >= limit:
            return rows
        key, last_id = following, ""
    return rows


@dataclass(frozen=True, slots=True)
class RadCount:
    cell: str
    count: int


async def rad_counts(
    reader: ScopedStore,
    settings: Settings,
    f: PortfolioFilter,
    today: date | None = None,
) -> list[RadCount]:
    """Accounts per RAD cell (R1..A3, in the matrix's order) among the list's parties."""
    if f.rad_cell is not None:
        raise InvalidInput(
            "radCell is what is counted: leave it out of the filter",
            field="filter.radCell",
            value=f.rad_cell,
        )
    check_filter(f)
    today = today or datetime.now(UTC).date()
    access = reader.access
    params = filter_params(f, settings, today, sorted(access.teams), sorted(access.reps))
    source = _source(f, access.unrestricted)
    counts = dict.fromkeys(RAD_CELLS, 0)
    if source is None:
        for r in await reader.read("portfolio.rad_counts", {**params, "cells": list(RAD_CELLS)}):
            counts[r["cell"]] = int(r["n"])
    else:
        for r in await reader.read("portfolio.book_rad_counts", {**params, "source": source}):
            if r["cell"] in counts:
                counts[r["cell"]] = int(r["n"])
    return [RadCount(cell, n) for cell, n in counts.items()]


__all__ = [
    "HEAD_OF_SALES_GRADE",
    "RAD_CELLS",
    "DecisionLayerGap",
    "PortfolioFilter",
    "PortfolioOrder",
    "RadCount",
    "portfolio_page",
    "rad_counts",
    "refresh_params",
]
