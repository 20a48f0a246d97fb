"""Strongest paths and warm introductions on small hand-made graphs.

A path's strength is the product of its links' strengths; the strongest path within the
hop limit wins, then the one with fewer links, then the smaller sequence of ids.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph_api.analytics.paths import (
    Link,
    link_label,
    link_strength,
    relationship_graph,
    strongest_paths,
    warm_introductions,
)
from graph_api.domain import model as m


def graph(links: list[tuple[str, str, float]], reps: tuple[str, ...] = ()) -> nx.Graph:
    ids = sorted({x for a, b, _ in links for x in (a, b)})
    nodes = [m.PathNode(i, "REP" if i in reps else "PERSON", i.upper()) for i in ids]
    typed = [Link(a, b, "COVERS" if a in reps else "KNOWS", s) for a, b, s in links]
    return relationship_graph(nodes, typed)


def seqs(paths: list[m.GraphPath]) -> list[list[str]]:
    return [[n.id for n in p.nodes] for p in paths]


def test_a_strong_detour_beats_a_short_weak_link() -> None:
    # s-t .1 directly; s-a-b-t .9 each: .729. One path per first link: both, strong first.
    g = graph([("s", "t", 0.1), ("s", "a", 0.9), ("a", "b", 0.9), ("b", "t", 0.9)])
    found = strongest_paths(g, "s", "t", max_hops=4, limit=5)
    assert seqs(found) == [["s", "a", "b", "t"], ["s", "t"]]
    assert [p.weight for p in found] == pytest.approx([0.729, 0.1])
    assert found[0].hops == 3


def test_the_hop_limit_is_exact() -> None:
    # From x the strongest way to t is x-y-z-t (.729) but with s in front that is 4 links.
    # Within 3 links from s the best is s-x-t: .9 x .2 = .18; within 4, s-x-y-z-t: .6561.
    g = graph([("s", "x", 0.9), ("x", "t", 0.2), ("x", "y", 0.9), ("y", "z", 0.9), ("z", "t", 0.9)])
    assert seqs(strongest_paths(g, "s", "t", 3, 1)) == [["s", "x", "t"]]
    assert strongest_paths(g, "s", "t", 3, 1)[0].weight == pytest.approx(0.18)
    assert seqs(strongest_paths(g, "s", "t", 4, 1)) == [["s", "x", "y", "z", "t"]]
    assert strongest_paths(g, "s", "t", 4, 1)[0].weight == pytest.approx(0.6561)
    assert strongest_paths(g, "s", "t", 1, 1) == []


def test_equal_paths_prefer_fewer_links_then_ids() -> None:
    # s-t .5 directly; s-a-t: 1.0 x .5 = .5, as strong but longer. s-c-t and s-b-t: .6 x .6,
    # equal: b before c.
    g = graph(
        [
            ("s", "t", 0.5),
            ("s", "a", 1.0),
            ("a", "t", 0.5),
            ("s", "c", 0.6),
            ("c", "t", 0.6),
            ("s", "b", 0.6),
            ("b", "t", 0.6),
        ]
    )
    assert seqs(strongest_paths(g, "s", "t", 3, 5)) == [
        ["s", "t"],
        ["s", "a", "t"],
        ["s", "b", "t"],
        ["s", "c", "t"],
    ]


def test_no_path_is_an_empty_list() -> None:
    g = graph([("s", "a", 0.9), ("t", "b", 0.9)])
    assert strongest_paths(g, "s", "t", 6, 3) == []
    assert strongest_paths(g, "s", "nobody", 6, 3) == []


def test_warm_introductions_one_per_rep_and_contact() -> None:
    # r1 covers a (.9), a knows t (.7): .63. r1 covers b (.5), b knows t (.9): .45.
    # r2 covers t itself (.3). r3 covers x, whom r1 also covers; x knows nobody else: a rep is
    # never passed through, so r3 has no way. a also reaches t through b (.9 x .2 x .9), but
    # the (r1, a) introduction keeps only its strongest continuation.
    g = graph(
        [
            ("r1", "a", 0.9),
            ("a", "t", 0.7),
            ("r1", "b", 0.5),
            ("b", "t", 0.9),
            ("a", "b", 0.2),
            ("r2", "t", 0.3),
            ("r3", "x", 0.9),
            ("r1", "x", 0.9),
        ],
        reps=("r1", "r2", "r3"),
    )
    found = warm_introductions(g, "t", max_hops=4, limit=10)
    assert seqs(found) == [["r1", "a", "t"], ["r1", "b", "t"], ["r2", "t"]]
    assert [p.weight for p in found] == pytest.approx([0.63, 0.45, 0.3])
    assert warm_introductions(g, "r1", 4, 10) == []
    assert seqs(warm_introductions(g, "t", 1, 10)) == [["r2", "t"]]


def test_only_the_strongest_link_between_two_people_is_kept() -> None:
    nodes = [m.PathNode("a", "PERSON", "A"), m.PathNode("b", "PERSON", "B")]
    g = relationship_graph(
        nodes,
        [
            Link("a", "b", "KNOWS", 0.4),
            Link("a", "b", "REPORTS_TO", 0.7),
            Link("b", "a", "INFLUENCES", 0.0),  # strength 0: no relationship
            Link("a", "outside", "KNOWS", 1.0),  # beyond the loaded neighbourhood
        ],
    )
    assert list(g.edges(data="strength")) == [("a", "b", 0.7)]
    assert g["a"]["b"]["link"].type == "REPORTS_TO"


def test_default_strengths() -> None:
    assert link_strength("FAMILY", {"kind": "SPOUSE"}) == 0.9
    assert link_strength("FAMILY", {"kind": "PARENT"}) == 0.8
    assert link_strength("FAMILY", {"kind": "SIBLING"}) == 0.7
    assert link_strength("REPORTS_TO", {}) == 0.7
    assert link_strength("WORKS_FOR", {"title": "CFO"}) == 0.5
    assert link_strength("KNOWS", {"strength": None}) == 0.5
    assert link_strength("COVERS", {"strength": 0.9}) == 0.9
    assert link_strength("INFLUENCES", {"strength": 1.5}) == 1.0


def test_labels_read_along_the_path() -> None:
    influences = Link("li", "wang", "INFLUENCES", 0.7, kind="POLITICAL")
    assert link_label(influences, forward=True) == "influences (political)"
    assert link_label(influences, forward=False) == "listens to (political)"
    parent = Link("mum", "kid", "FAMILY", 0.8, kind="PARENT")
    assert link_label(parent, forward=True) == "parent of"
    assert link_label(parent, forward=False) == "child of"
    job = Link("li", "cimc", "WORKS_FOR", 0.5, detail="CFO")
    assert link_label(job, forward=True) == "works for (CFO)"
    assert link_label(job, forward=False) == "employs (CFO)"
    assert link_label(Link("r", "p", "COVERS", 0.4), forward=False) == "is covered by"
