"""Strongest relationship paths and warm introductions on a bounded neighbourhood graph.

A path's strength is the product of its links' strengths (equivalently the shortest path
on -log(strength)): every weak link multiplies the whole path down, so a strong detour
beats a short weak link. Paths are simple and have at most `max_hops` links; among equally
strong paths the one with fewer links wins, then the smaller sequence of ids.
See docs/ANALYTICS.md for the link strengths and why.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

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
LINK_TYPES = ("WORKS_FOR", "REPORTS_TO", "FAMILY", "INFLUENCES", "KNOWS", "COVERS")
REP = "REP"
_DIGITS = 12  # strengths are compared rounded, so float noise never decides a tie


@dataclass(frozen=True, slots=True)
class Link:
    """A stored relationship, in its stored direction (source -> target)."""

    source: str
    target: str
    type: str
    strength: float
    kind: str | None = None  # FAMILY kind, INFLUENCES/COVERS kind
    detail: str | None = None  # WORKS_FOR title, KNOWS context


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


def relationship_graph(nodes: Iterable[m.PathNode], links: Iterable[Link]) -> nx.Graph:
    """An undirected graph: one edge per pair of nodes, the strongest of their links.

    Links with strength 0 are no relationship and are left out; so are links to nodes not
    given (the edge of the loaded neighbourhood).
    """
    graph = nx.Graph()
    graph.add_nodes_from((n.id, {"node": n}) for n in sorted(nodes, key=lambda n: n.id))
    loaded = set(graph)  # a set lookup, not networkx's __contains__, per link
    best: dict[tuple[str, str], Link] = {}
    for link in links:
        source, target = link.source, link.target
        if source == target or link.strength <= 0 or source not in loaded or target not in loaded:
            continue
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
    return graph


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
    passing through `blocked` nodes (hop-bounded dynamic programming, O(hops x links)).

    A path found for a neighbour that runs through the node itself is never needed: the
    node's own suffix of that path is at least as strong and shorter.
    """
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
    best = strongest_to(graph, target, max_hops - 1, blocked={source})
    found: list[Best] = []
    for first in graph.neighbors(source):
        if first in best:
            strength, rest = best[first]
            found.append((graph[source][first]["strength"] * strength, (source, *rest)))
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
    best = strongest_to(graph, target, max_hops - 1, blocked=reps)
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


def link_label(link: Link, forward: bool) -> str:
    """Human wording of a link read along the path (forward: in its stored direction)."""
    if link.type == "FAMILY":
        words = _FAMILY_WORDS.get(link.kind or "", _FAMILY_WORDS[m.FamilyKind.OTHER])
        return words[0] if forward else words[1]
    label = _WORDS[link.type][0 if forward else 1]
    if link.type in ("WORKS_FOR", "KNOWS"):
        extra = link.detail  # a title, or how they know each other
    else:
        extra = link.kind.lower() if link.kind else None  # e.g. political, personal
    return f"{label} ({extra})" if extra else label


def draw(graph: nx.Graph, nodes: tuple[str, ...], strength: float) -> m.GraphPath:
    """A drawable path: its nodes, its links oriented along it, and the words for it."""
    path_nodes = tuple(graph.nodes[n]["node"] for n in nodes)
    links: list[m.PathLink] = []
    sentences: list[str] = []
    for a, b in itertools.pairwise(nodes):
        link: Link = graph[a][b]["link"]
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
