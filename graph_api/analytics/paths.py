"""Strongest relationship paths and warm introductions on a bounded neighbourhood graph.

A path's strength is the product of its links' strengths (equivalently the shortest path
on -log(strength)): every weak link multiplies the whole path down, so a strong detour
beats a short weak link. Paths are simple and have at most `max_hops` links; among equally
strong paths the one with fewer links wins, then the smaller sequence of ids.
Organizations are never passed through (a shared employer is not a relationship): two
people of one organization are linked by a COLLEAGUE link whose strength follows their
real proximity (same team, skip level, same unit weakening with its headcount).
See docs/ANALYTICS.md for the link strengths and why.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import networkx as nx

from graph_api.analytics import strength as earned_strength
from graph_api.analytics.strength import Accumulator
from graph_api.domain import model as m

# Default strengths of links that carry none (0..1). Stored strengths (COVERS, INFLUENCES,
# KNOWS) win when present.
DEFAULT_STRENGTH: dict[str, float] = {
    "COVERS": 0.5,
    "INFLUENCES": 0.5,
    "KNOWS": 0.5,
    "REPORTS_TO": 0.7,  # they work together every day
    "WORKS_FOR": 0.5,  # colleagues through an employer: 0.5 x 0.5 = 0.25
}
FAMILY_STRENGTH: dict[str, float] = {
    m.FamilyKind.SPOUSE: 0.9,
    m.FamilyKind.PARENT: 0.8,
    m.FamilyKind.CHILD: 0.8,
    m.FamilyKind.SIBLING: 0.7,
    m.FamilyKind.OTHER: 0.5,
}
# Colleagues, derived from WORKS_FOR and REPORTS_TO (docs/ANALYTICS.md, "Colleagues").
SAME_TEAM = "SAME_TEAM"  # the same manager
SKIP_LEVEL = "SKIP_LEVEL"  # the manager's manager
SAME_UNIT = "SAME_UNIT"  # the same employing organization (unit)
SAME_TEAM_STRENGTH = 0.5  # they work side by side: a default acquaintance
SKIP_LEVEL_STRENGTH = 0.4  # met in the manager's meetings; the chain through him is 0.49
LINK_TYPES = ("WORKS_FOR", "REPORTS_TO", "FAMILY", "INFLUENCES", "KNOWS", "COVERS", "COLLEAGUE")
PERSONAL_LINK_TYPES = frozenset(("FAMILY", "INFLUENCES", "KNOWS", "COVERS"))
REP = "REP"
ORGANIZATION = "ORGANIZATION"
_DIGITS = 12  # strengths are compared rounded, so float noise never decides a tie


@dataclass(frozen=True, slots=True)
class Link:
    """A stored relationship, in its stored direction (source -> target)."""

    source: str
    target: str
    type: str
    strength: float
    kind: str | None = None  # FAMILY kind, INFLUENCES/COVERS kind, COLLEAGUE kind
    detail: str | None = None  # WORKS_FOR title, KNOWS context, COLLEAGUE unit or manager
    size: int | None = None  # COLLEAGUE of the same unit: the unit's headcount
    # COVERS and KNOWS with interactions (analytics/strength.py): the pair's accumulator and
    # the time its strength was computed for; declared False: no declared link, earned only.
    engaged: Accumulator | None = None
    now: datetime | None = None
    declared: bool = True


def unit_strength(headcount: int) -> float:
    """How strongly two people of one unit of `headcount` people are linked by it alone:
    1 / (1 + log2(headcount)), at most a teammate's 0.5 (docs/ANALYTICS.md, "Colleagues")."""
    return min(SAME_TEAM_STRENGTH, 1.0 / (1.0 + math.log2(max(headcount, 1))))


@dataclass(frozen=True, slots=True)
class Group:
    """People all linked to each other by one COLLEAGUE kind (a team, a unit): kept as a
    group, not as every pair, so a unit of thousands costs its size, not its size squared."""

    members: tuple[str, ...]
    strength: float
    kind: str
    detail: str
    size: int | None = None

    def link(self, a: str, b: str) -> Link:
        return Link(a, b, "COLLEAGUE", self.strength, self.kind, self.detail, self.size)


def link_strength(link_type: str, props: Mapping[str, Any]) -> float:
    """The strength of a stored relationship, from its properties or the documented default."""
    return stored_strength(link_type, props.get("strength"), props.get("kind"))


def stored_strength(link_type: str, strength: Any, kind: Any) -> float:
    """`link_strength` from the two properties it reads: `strength` and (FAMILY) `kind`."""
    if link_type == "FAMILY":
        return FAMILY_STRENGTH.get(str(kind), FAMILY_STRENGTH[m.FamilyKind.OTHER])
    if strength is None or link_type not in _STORED:
        return DEFAULT_STRENGTH[link_type]
    return max(0.0, min(1.0, float(strength)))


_STORED = frozenset(("COVERS", "INFLUENCES", "KNOWS"))  # types whose strength is stored


def relationship_graph(
    nodes: Iterable[m.PathNode],
    links: Iterable[Link],
    *,
    link_types: Collection[str] = LINK_TYPES,
    headcounts: Mapping[str, int] | None = None,
) -> nx.Graph:
    """An undirected graph: one edge per pair of nodes, the strongest of their links of
    `link_types`; with COLLEAGUE, the colleague groups in `graph.graph["groups"]`.

    Links with strength 0 are no relationship and are left out; so are links to nodes not
    given (the edge of the loaded neighbourhood). `headcounts`: people per organization
    (default: those given working for it).
    """
    graph = nx.Graph()
    graph.add_nodes_from((n.id, {"node": n}) for n in sorted(nodes, key=lambda n: n.id))
    loaded = set(graph)  # a set lookup, not networkx's __contains__, per link
    best: dict[tuple[str, str], Link] = {}
    given: list[Link] = []
    for link in links:
        source, target = link.source, link.target
        if source == target or link.strength <= 0 or source not in loaded or target not in loaded:
            continue
        given.append(link)
    derived = _colleagues(graph, given, headcounts) if "COLLEAGUE" in link_types else ([], [])
    pairs, groups = derived
    for link in itertools.chain((x for x in given if x.type in link_types), pairs):
        source, target = link.source, link.target
        pair = (source, target) if source < target else (target, source)
        old = best.get(pair)
        # The strongest link; between equally strong ones the first by type, then ends, so
        # the choice never depends on the order links come in.
        if (
            old is None
            or link.strength > old.strength
            or (
                link.strength == old.strength
                and (link.type, link.source, link.target) < (old.type, old.source, old.target)
            )
        ):
            best[pair] = link
    graph.add_edges_from(
        (a, b, {"link": link, "strength": link.strength}) for (a, b), link in sorted(best.items())
    )
    graph.graph["groups"] = groups
    graph.graph["member_of"] = _membership(groups)
    return graph


def _colleagues(
    graph: nx.Graph, links: list[Link], headcounts: Mapping[str, int] | None
) -> tuple[list[Link], list[Group]]:
    """Skip-level links (few: one per report of a report) and team and unit groups."""
    node = graph.nodes
    people = {n for n, d in node(data=True) if d["node"].kind == m.PartyKind.PERSON.value}
    manager: dict[str, set[str]] = defaultdict(set)
    team: dict[str, set[str]] = defaultdict(set)
    unit: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.source not in people:
            continue
        if link.type == "REPORTS_TO" and link.target in people:
            manager[link.source].add(link.target)
            team[link.target].add(link.source)
        elif link.type == "WORKS_FOR" and node[link.target]["node"].kind == ORGANIZATION:
            unit[link.target].add(link.source)
    pairs = [
        Link(a, top, "COLLEAGUE", SKIP_LEVEL_STRENGTH, SKIP_LEVEL, node[boss]["node"].label)
        for a in sorted(manager)
        for boss in sorted(manager[a])
        for top in sorted(manager.get(boss, ()))
        if top != a
    ]
    groups = [
        Group(tuple(sorted(members)), SAME_TEAM_STRENGTH, SAME_TEAM, node[boss]["node"].label)
        for boss, members in sorted(team.items())
        if len(members) > 1
    ]
    for org, members in sorted(unit.items()):
        size = max(len(members), (headcounts or {}).get(org, 0))
        if len(members) > 1:
            label = node[org]["node"].label
            groups.append(
                Group(tuple(sorted(members)), unit_strength(size), SAME_UNIT, label, size)
            )
    return pairs, groups


def _membership(groups: list[Group]) -> dict[str, tuple[int, ...]]:
    member_of: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        for person in group.members:
            member_of[person].append(i)
    return {p: tuple(gs) for p, gs in member_of.items()}


def neighbours(graph: nx.Graph, u: str) -> Iterator[tuple[str, float]]:
    """Every node one link from `u` with the strength of the strongest link between them
    (edges and colleague groups; a pair may come more than once)."""
    for v in graph.neighbors(u):
        yield v, graph[u][v]["strength"]
    groups: list[Group] = graph.graph.get("groups", [])
    for i in graph.graph.get("member_of", {}).get(u, ()):
        for v in groups[i].members:
            if v != u:
                yield v, groups[i].strength


def link_between(graph: nx.Graph, a: str, b: str) -> Link:
    """The strongest link between two adjacent nodes, as the search used it."""
    found: Link | None = graph[a][b]["link"] if graph.has_edge(a, b) else None
    groups: list[Group] = graph.graph.get("groups", [])
    member_of = graph.graph.get("member_of", {})
    for i in sorted(set(member_of.get(a, ())) & set(member_of.get(b, ()))):
        if found is None or groups[i].strength > found.strength:
            found = groups[i].link(a, b)
    if found is None:
        raise KeyError((a, b))
    return found


def pass_through(graph: nx.Graph, ends: Iterable[str]) -> set[str]:
    """Nodes a path may not pass through: organizations, unless they are an end."""
    kept = set(ends)
    return {n for n, d in graph.nodes(data=True) if d["node"].kind == ORGANIZATION} - kept


Best = tuple[float, tuple[str, ...]]  # strength, nodes from here to the target


def _better(new: Best, old: Best | None) -> bool:
    if old is None:
        return True
    a, b = round(new[0], _DIGITS), round(old[0], _DIGITS)
    if a != b:
        return a > b
    if len(new[1]) != len(old[1]):
        return len(new[1]) < len(old[1])
    return new[1] < old[1]


def strongest_to(graph: nx.Graph, target: str, hops: int, blocked: set[str]) -> dict[str, Best]:
    """For every node, its strongest simple path to `target` with at most `hops` links, not
    passing through `blocked` nodes (hop-bounded dynamic programming, O(hops x links), a
    colleague group counting its size, not its pairs).

    A path found for a neighbour that runs through the node itself is never needed: the
    node's own suffix of that path is at least as strong and shorter.
    """
    groups: list[Group] = graph.graph.get("groups", [])
    member_of: dict[str, tuple[int, ...]] = graph.graph.get("member_of", {})
    best: dict[str, Best] = {target: (1.0, (target,))}
    frontier = dict(best)
    for _ in range(hops):
        changed: dict[str, Best] = {}
        for u in sorted(frontier):
            su, pu = frontier[u]
            for v in graph.neighbors(u):
                if v in blocked or v in pu:
                    continue
                cand = (su * graph[u][v]["strength"], (v, *pu))
                if _better(cand, changed.get(v) or best.get(v)):
                    changed[v] = cand
        for i in sorted({i for u in frontier for i in member_of.get(u, ())}):
            group = groups[i]
            # Every member's best way on through the group starts with the strongest
            # frontier member whose path does not already contain it.
            ranked = sorted(
                ((frontier[u][0] * group.strength, frontier[u][1]) for u in group.members
                 if u in frontier),
                key=_sort_key,
            )  # fmt: skip
            for v in group.members:
                if v in blocked:
                    continue
                for strength, pu in ranked:
                    if v in pu:
                        continue
                    cand = (strength, (v, *pu))
                    if _better(cand, changed.get(v) or best.get(v)):
                        changed[v] = cand
                    break
        improved = {v: b for v, b in changed.items() if _better(b, best.get(v))}
        if not improved:
            break
        best.update(improved)
        frontier = improved
    return best


def _sort_key(item: Best) -> tuple[float, int, tuple[str, ...]]:
    return (-round(item[0], _DIGITS), len(item[1]), item[1])


def strongest_paths(
    graph: nx.Graph, source: str, target: str, max_hops: int, limit: int
) -> list[m.GraphPath]:
    """The strongest paths from `source` to `target`, at most one per first link (the
    alternatives start differently), strongest first. No path: an empty list."""
    if source not in graph or target not in graph or source == target or max_hops < 1:
        return []
    blocked = {source} | pass_through(graph, (source, target))
    best = strongest_to(graph, target, max_hops - 1, blocked=blocked)
    first_links: dict[str, float] = {}
    for first, strength in neighbours(graph, source):
        first_links[first] = max(strength, first_links.get(first, 0.0))
    found: list[Best] = []
    for first, link in first_links.items():
        if first in best:
            strength, rest = best[first]
            found.append((link * strength, (source, *rest)))
    found.sort(key=_sort_key)
    return [draw(graph, nodes, strength) for strength, nodes in found[:limit]]


def warm_introductions(
    graph: nx.Graph, target: str, max_hops: int, limit: int
) -> list[m.GraphPath]:
    """Paths from any of our reps to `target`, at most one per (rep, first contact): each
    is a different introduction. Reps only start paths, they are never passed through."""
    if target not in graph or max_hops < 1:
        return []
    reps = {n for n, d in graph.nodes(data=True) if d["node"].kind == REP}
    if target in reps:
        return []
    best = strongest_to(graph, target, max_hops - 1, blocked=reps | pass_through(graph, [target]))
    found: list[Best] = []
    for rep in sorted(reps):
        for contact in graph.neighbors(rep):
            if contact in best:
                strength, rest = best[contact]
                found.append((graph[rep][contact]["strength"] * strength, (rep, *rest)))
    found.sort(key=_sort_key)
    return [draw(graph, nodes, strength) for strength, nodes in found[:limit]]


# ----- drawing ---------------------------------------------------------------------------

_FAMILY_WORDS: dict[str, tuple[str, str]] = {
    m.FamilyKind.SPOUSE: ("spouse of", "spouse of"),
    m.FamilyKind.PARENT: ("parent of", "child of"),
    m.FamilyKind.CHILD: ("child of", "parent of"),
    m.FamilyKind.SIBLING: ("sibling of", "sibling of"),
    m.FamilyKind.OTHER: ("relative of", "relative of"),
}
_WORDS: dict[str, tuple[str, str]] = {
    "WORKS_FOR": ("works for", "employs"),
    "REPORTS_TO": ("reports to", "manages"),
    "INFLUENCES": ("influences", "listens to"),
    "KNOWS": ("knows", "knows"),
    "COVERS": ("covers", "is covered by"),
}
_COLLEAGUE_WORDS: dict[str, tuple[str, str]] = {
    SAME_TEAM: ("teammate of", "teammate of"),
    SKIP_LEVEL: ("skip-level report of", "skip-level manager of"),
    SAME_UNIT: ("colleague of", "colleague of"),
}


def link_label(link: Link, forward: bool) -> str:
    """Human wording of a link read along the path (forward: in its stored direction)."""
    if link.type == "FAMILY":
        words = _FAMILY_WORDS.get(link.kind or "", _FAMILY_WORDS[m.FamilyKind.OTHER])
        return words[0] if forward else words[1]
    if link.type == "COLLEAGUE":
        word = _COLLEAGUE_WORDS[link.kind or SAME_UNIT][0 if forward else 1]
        if link.kind == SAME_UNIT:
            return f"{word} ({link.detail}, {link.size} people)"
        return f"{word} ({'under' if link.kind == SAME_TEAM else 'through'} {link.detail})"
    if link.engaged is not None and not link.declared:
        return f"in contact with ({_earned_words(link)})"
    label = _WORDS[link.type][0 if forward else 1]
    if link.type in ("WORKS_FOR", "KNOWS"):
        extra = link.detail  # a title, or how they know each other
    else:
        extra = link.kind.lower() if link.kind else None  # e.g. political, personal
    if link.engaged is not None:
        extra = f"{extra}; {_earned_words(link)}" if extra else _earned_words(link)
    return f"{label} ({extra})" if extra else label


def _earned_words(link: Link) -> str:
    assert link.engaged is not None and link.now is not None
    return earned_strength.explain(link.engaged, link.now)


def _reported(x: float) -> float:
    """Rounded as the coverage strengths of the other reads (store/projection.py)."""
    return round(x, m.REPORTED_DIGITS)


def with_engagement(
    links: Iterable[Link],
    engaged: Mapping[tuple[str, str], Accumulator],
    reps: Collection[str],
    now: datetime,
) -> list[Link]:
    """The links with the earned strength (docs/ANALYTICS.md, "Earned strength"): a rep's
    COVERS and a KNOWS link of a pair with interactions take the combined strength; a pair
    with interactions and no such link gets one of its own (COVERS from a rep, KNOWS between
    people), of the earned strength. `engaged`: (rep or lower id, person) -> accumulator."""
    found: list[Link] = []
    used: set[tuple[str, str]] = set()
    for link in links:
        if link.type in ("COVERS", "KNOWS"):
            a, b = link.source, link.target
            key = (a, b) if link.type == "COVERS" or a < b else (b, a)
            acc = engaged.get(key)
            if acc is not None:
                used.add(key)
                combined = earned_strength.strength(link.strength, acc, now)
                link = replace(link, strength=_reported(combined), engaged=acc, now=now)
        found.append(link)
    for (a, b), acc in sorted(engaged.items()):
        if (a, b) in used:
            continue
        value = _reported(earned_strength.earned(acc, now))
        kind = "COVERS" if a in reps else "KNOWS"
        found.append(Link(a, b, kind, value, engaged=acc, now=now, declared=False))
    return found


def draw(graph: nx.Graph, nodes: tuple[str, ...], strength: float) -> m.GraphPath:
    """A drawable path: its nodes, its links oriented along it, and the words for it."""
    path_nodes = tuple(graph.nodes[n]["node"] for n in nodes)
    links: list[m.PathLink] = []
    sentences: list[str] = []
    for a, b in itertools.pairwise(nodes):
        link = link_between(graph, a, b)
        label = link_label(link, forward=link.source == a)
        links.append(
            m.PathLink(source=a, target=b, type=link.type, label=label, strength=link.strength)
        )
        sentences.append(
            f"{graph.nodes[a]['node'].label} {label} {graph.nodes[b]['node'].label} "
            f"({link.strength:.2f})"
        )
    hops = len(links)
    explanation = "; ".join(sentences) + f". Strength {strength:.2f} over {hops} link"
    explanation += "s." if hops != 1 else "."
    return m.GraphPath(
        nodes=path_nodes, links=tuple(links), weight=round(strength, 6), explanation=explanation
    )
