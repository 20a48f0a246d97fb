"""Relationship paths between two parties and warm introductions from our reps to a target."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import networkx as nx

from graph_api.analytics import paths
from graph_api.analytics.paths_zh import in_chinese
from graph_api.analytics.strength import Accumulator
from graph_api.domain import model as m
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.i18n import DEFAULT_LANGUAGE, Language
from graph_api.services.parties import check_as_of, check_between, check_id
from graph_api.services.strength import clock
from graph_api.store.scoped import ScopedStore

log = logging.getLogger(__name__)

PARTY_KINDS = (m.PartyKind.PERSON.value, m.PartyKind.ORGANIZATION.value)
# Levels cypher/paths.cypher can expand: GRAPH_API_MAX_PATH_HOPS above it is not honoured.
NEIGHBOURHOOD_LEVELS = 6


# One list per node: [id, kind, name, level, links, headcount], each link [type, to,
# strength, kind, detail] (cypher/paths.cypher).
Neighbourhood = list[list[Any]]


async def fetch_neighbourhood(
    reader: ScopedStore, ids: Sequence[str], radius: int, cap: int, as_of: date | None = None
) -> Neighbourhood:
    """Nodes within `radius` levels of the endpoints (at most `cap`), with their links; only
    parties the viewer may see (and our reps), so that no path passes through another."""
    record = await reader.read_one(
        "paths.neighbourhood", {"ids": list(ids), "radius": radius, "cap": cap}, as_of=as_of
    )
    nodes: Neighbourhood = record["nodes"] if record is not None else []
    # The query prunes already; this keeps the rule true whatever the query does.
    nodes = [n for n in nodes if n[1] == "REP" or reader.access.sees(n[0])]
    if len(nodes) >= cap:
        log.warning("path neighbourhood of %s reached the cap of %d nodes", list(ids), cap)
    return nodes


def graph_from_records(
    nodes: Neighbourhood,
    link_types: Sequence[str] = paths.LINK_TYPES,
    now: datetime | None = None,
) -> nx.Graph:
    """The relationship graph of a neighbourhood; COVERS and KNOWS strengths are combined
    with what interactions earned by `now` (default: the strength clock, services/strength.py)."""
    loaded = {n[0] for n in nodes}
    reps = {n[0] for n in nodes if n[1] == paths.REP}
    strength = paths.stored_strength
    engaged: dict[tuple[str, str], Accumulator] = {}
    declared: list[paths.Link] = []
    for source, _, _, _, out, *_ in nodes:
        for link_type, to, value, kind, detail in out:
            if to not in loaded:
                continue
            if link_type == "ENGAGED":
                engaged[(source, to)] = Accumulator.from_row(detail, rep_pair=source in reps)
            else:
                link = paths.Link(source, to, link_type, strength(link_type, value, kind), kind,
                                  detail)  # fmt: skip
                declared.append(link)
    links = paths.with_engagement(declared, engaged, reps, now or clock())
    path_nodes = [m.PathNode(id=n[0], kind=n[1], label=n[2] or n[0]) for n in nodes]
    headcounts = {n[0]: n[5] for n in nodes if len(n) > 5 and n[5] is not None}
    return paths.relationship_graph(path_nodes, links, link_types=link_types, headcounts=headcounts)


def check_link_types(link_types: Sequence[str] | None, *, needs_coverage: bool) -> tuple[str, ...]:
    """The link types a search may use (None: all of them); a bad combination is named."""
    if link_types is None:
        return paths.LINK_TYPES
    chosen = tuple(dict.fromkeys(str(t) for t in link_types))
    shown = ",".join(chosen) or "[]"
    unknown = [t for t in chosen if t not in paths.LINK_TYPES]
    if unknown:
        raise InvalidInput(f"unknown link type {unknown[0]!r}", field="linkTypes", value=shown)
    if not chosen:
        raise InvalidInput("linkTypes must name at least one link type", field="linkTypes",
                           value=shown)  # fmt: skip
    if needs_coverage and "COVERS" not in chosen:
        raise InvalidInput(
            "linkTypes must include COVERS: our reps reach people only through the people "
            "they cover",
            field="linkTypes",
            value=shown,
        )
    return chosen


def _endpoint(nodes: Neighbourhood, field: str, value: str, party_only: bool) -> None:
    kinds = {n[1] for n in nodes if n[0] == value and n[3] == 0}
    if party_only:
        kinds &= set(PARTY_KINDS)
    if not kinds:
        what = "party" if party_only else "party or rep"
        raise NotFound(f"no {what} with id {value!r}", field=field, value=value)


async def relationship_path(
    reader: ScopedStore,
    from_id: str,
    to_id: str,
    *,
    max_hops: int,
    limit: int,
    max_hops_allowed: int,
    max_limit: int,
    node_cap: int,
    language: Language = DEFAULT_LANGUAGE,
    link_types: Sequence[str] | None = None,
    as_of: date | None = None,
) -> list[m.GraphPath]:
    """The strongest paths from one party (or rep) to another; none: an empty list."""
    check_id("fromId", from_id)
    check_id("toId", to_id)
    if from_id == to_id:
        raise InvalidInput("toId must differ from fromId", field="toId", value=to_id)
    check_between("maxHops", max_hops, 1, min(max_hops_allowed, NEIGHBOURHOOD_LEVELS))
    check_between("limit", limit, 1, max_limit)
    types = check_link_types(link_types, needs_coverage=False)
    # Meet in the middle: every node of a path of at most k links lies within ceil(k/2) of
    # one of its ends.
    radius = (max_hops + 1) // 2
    check_as_of(as_of)
    records = await fetch_neighbourhood(reader, [from_id, to_id], radius, node_cap, as_of)
    _endpoint(records, "fromId", from_id, party_only=False)
    _endpoint(records, "toId", to_id, party_only=False)
    graph = graph_from_records(records, types)
    found = paths.strongest_paths(graph, from_id, to_id, max_hops, limit)
    return [in_chinese(graph, p) for p in found] if language is Language.ZH else found


async def warm_introductions(
    reader: ScopedStore,
    target_id: str,
    *,
    max_hops: int,
    limit: int,
    max_hops_allowed: int,
    max_limit: int,
    node_cap: int,
    language: Language = DEFAULT_LANGUAGE,
    link_types: Sequence[str] | None = None,
    as_of: date | None = None,
) -> list[m.GraphPath]:
    """Ways for our reps to reach a customer person, strongest first; none: an empty list."""
    check_id("targetId", target_id)
    check_between("maxHops", max_hops, 1, min(max_hops_allowed, NEIGHBOURHOOD_LEVELS))
    check_between("limit", limit, 1, max_limit)
    types = check_link_types(link_types, needs_coverage=True)
    check_as_of(as_of)
    records = await fetch_neighbourhood(reader, [target_id], max_hops, node_cap, as_of)
    _endpoint(records, "targetId", target_id, party_only=True)
    graph = graph_from_records(records, types)
    found = paths.warm_introductions(graph, target_id, max_hops, limit)
    return [in_chinese(graph, p) for p in found] if language is Language.ZH else found
