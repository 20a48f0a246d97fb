"""Strongest paths and warm introductions on small hand-made graphs.

A path's strength is the product of its links' strengths; the strongest path within the
hop limit wins, then the one with fewer links, then the smaller sequence of ids.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graph_api.analytics.paths import (
    LINK_TYPES,
    Link,
    link_label,
    link_strength,
    relationship_graph,
    strongest_paths,
    unit_strength,
    warm_introductions,
)
from graph_api.analytics.paths_zh import in_chinese
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


# ----- colleagues: proximity, not a shared employer ------------------------------------


def typed_graph(
    links: list[tuple[str, str, str, float]],
    orgs: tuple[str, ...] = (),
    reps: tuple[str, ...] = (),
    headcounts: dict[str, int] | None = None,
    link_types: tuple[str, ...] = LINK_TYPES,
) -> nx.Graph:
    ids = sorted({x for a, b, _, _ in links for x in (a, b)})
    kind = {**{o: "ORGANIZATION" for o in orgs}, **{r: "REP" for r in reps}}
    nodes = [m.PathNode(i, kind.get(i, "PERSON"), i.upper()) for i in ids]
    typed = [Link(a, b, t, s) for a, b, t, s in links]
    return relationship_graph(nodes, typed, link_types=link_types, headcounts=headcounts)


PERSONAL_ONLY = ("FAMILY", "INFLUENCES", "KNOWS", "COVERS")


def test_unit_strength_falls_with_the_log_of_headcount() -> None:
    # 1 / (1 + log2 n), at most a teammate's 0.5.
    assert unit_strength(1) == 0.5
    assert unit_strength(2) == 0.5
    assert unit_strength(4) == pytest.approx(1 / 3)
    assert unit_strength(8) == pytest.approx(0.25)
    assert unit_strength(1024) == pytest.approx(1 / 11)
    assert unit_strength(30_000) == pytest.approx(0.0630, abs=1e-4)  # 1 / (1 + 14.87)


# a and b both work at the bank (30,000 people); a knows x, x knows y, y knows b (.5 each).
BANK = [
    ("a", "bank", "WORKS_FOR", 0.5),
    ("b", "bank", "WORKS_FOR", 0.5),
    ("a", "x", "KNOWS", 0.5),
    ("x", "y", "KNOWS", 0.5),
    ("y", "b", "KNOWS", 0.5),
]


def test_a_large_employer_loses_to_a_real_chain_of_acquaintances() -> None:
    g = typed_graph(BANK, orgs=("bank",), headcounts={"bank": 30_000})
    found = strongest_paths(g, "a", "b", max_hops=4, limit=5)
    # Through acquaintances: .5^3 = .125. As colleagues of the bank: 1 / (1 + log2 30000)
    # = .0630. Before, a-bank-b was .5 x .5 = .25 and won; the bank is no longer passed
    # through, so the first link "a works for the bank" leads nowhere.
    assert seqs(found) == [["a", "x", "y", "b"], ["a", "b"]]
    assert [p.weight for p in found] == pytest.approx([0.125, 0.063001], abs=1e-6)
    assert found[1].links[0].type == "COLLEAGUE"
    assert found[1].links[0].label == "colleague of (BANK, 30000 people)"


def test_the_same_employer_when_small_is_a_real_link() -> None:
    # The same graph with a bank of 4: colleagues at 1 / (1 + 2) = .333 beat the chain (.125).
    g = typed_graph(BANK, orgs=("bank",), headcounts={"bank": 4})
    found = strongest_paths(g, "a", "b", max_hops=4, limit=5)
    assert seqs(found) == [["a", "b"], ["a", "x", "y", "b"]]
    assert [p.weight for p in found] == pytest.approx([1 / 3, 0.125])


def test_an_organization_is_passed_through_only_as_an_end() -> None:
    g = typed_graph(BANK, orgs=("bank",), headcounts={"bank": 30_000})
    # To the bank itself, one path per first link of a: a works for it (.5); through x, y
    # and b, who works for it: .5^4 = .0625; b as a colleague, then b works for it:
    # .063 x .5 = .0315.
    found = strongest_paths(g, "a", "bank", 4, 5)
    assert seqs(found) == [["a", "bank"], ["a", "x", "y", "b", "bank"], ["a", "b", "bank"]]
    assert [p.weight for p in found] == pytest.approx([0.5, 0.0625, 0.0315], abs=1e-4)
    # x knows a (.5) who works for it: .25; x knows y who knows b who works for it: .125.
    found = strongest_paths(g, "x", "bank", 4, 5)
    assert seqs(found) == [["x", "a", "bank"], ["x", "y", "b", "bank"]]
    assert [p.weight for p in found] == pytest.approx([0.25, 0.125])
    # From the bank: through its people, never back through itself.
    assert seqs(strongest_paths(g, "bank", "x", 4, 5)) == [
        ["bank", "a", "x"],
        ["bank", "b", "y", "x"],
    ]


def test_a_same_team_colleague_still_wins_when_it_is_the_real_link() -> None:
    # a and c report to m (.7 each) and work at the bank (30,000) with m; a knows x knows y
    # knows c (.5 each). a to c: teammates .5 directly; through their manager .7 x .7 = .49;
    # the acquaintances .125; the bank only .063 for the pair, so their team link is kept.
    links = [
        ("a", "m", "REPORTS_TO", 0.7),
        ("c", "m", "REPORTS_TO", 0.7),
        ("a", "bank", "WORKS_FOR", 0.5),
        ("c", "bank", "WORKS_FOR", 0.5),
        ("m", "bank", "WORKS_FOR", 0.5),
        ("a", "x", "KNOWS", 0.5),
        ("x", "y", "KNOWS", 0.5),
        ("y", "c", "KNOWS", 0.5),
    ]
    g = typed_graph(links, orgs=("bank",), headcounts={"bank": 30_000})
    found = strongest_paths(g, "a", "c", 4, 5)
    assert seqs(found) == [["a", "c"], ["a", "m", "c"], ["a", "x", "y", "c"]]
    assert [p.weight for p in found] == pytest.approx([0.5, 0.49, 0.125])
    assert found[0].links[0].label == "teammate of (under M)"
    # Personal links only: the acquaintances are the only way.
    personal = typed_graph(
        links, orgs=("bank",), headcounts={"bank": 30_000}, link_types=PERSONAL_ONLY
    )
    assert seqs(strongest_paths(personal, "a", "c", 4, 5)) == [["a", "x", "y", "c"]]


def test_skip_level_is_weaker_than_the_chain_through_the_manager() -> None:
    # p reports to q, q to r (.7 each): p to r .49 through q; skip level directly .4.
    g = typed_graph([("p", "q", "REPORTS_TO", 0.7), ("q", "r", "REPORTS_TO", 0.7)])
    found = strongest_paths(g, "p", "r", 3, 5)
    assert seqs(found) == [["p", "q", "r"], ["p", "r"]]
    assert [p.weight for p in found] == pytest.approx([0.49, 0.4])
    assert found[1].links[0].label == "skip-level report of (through Q)"
    assert strongest_paths(g, "r", "p", 3, 5)[1].links[0].label == (
        "skip-level manager of (through Q)"
    )
    # Within one link only the skip level exists.
    assert seqs(strongest_paths(g, "p", "r", 1, 5)) == [["p", "r"]]


def test_warm_introduction_through_a_large_employer_loses() -> None:
    # rep covers a (.9); a and t work at the bank (30,000); a knows x knows t (.5 each).
    # (rep, a): through x .9 x .25 = .225, as colleagues .9 x .063 = .0567: one introduction
    # per first contact, the stronger.
    g = typed_graph(
        [
            ("rep", "a", "COVERS", 0.9),
            ("a", "bank", "WORKS_FOR", 0.5),
            ("t", "bank", "WORKS_FOR", 0.5),
            ("a", "x", "KNOWS", 0.5),
            ("x", "t", "KNOWS", 0.5),
        ],
        orgs=("bank",),
        reps=("rep",),
        headcounts={"bank": 30_000},
    )
    found = warm_introductions(g, "t", 4, 5)
    assert seqs(found) == [["rep", "a", "x", "t"]]
    assert found[0].weight == pytest.approx(0.225)
    # Within two links only the colleague step is left.
    two = warm_introductions(g, "t", 2, 5)
    assert seqs(two) == [["rep", "a", "t"]]
    assert two[0].weight == pytest.approx(0.9 * 0.063001, abs=1e-6)


def test_a_group_path_never_repeats_a_member() -> None:
    # s, u, v work at a unit of 2 people as far as headcount says (max with the loaded 3:
    # 1 / (1 + log2 3) = .387); v knows t (.9). s to t: s-v-t .387 x .9 = .348; s-u-v-t is
    # weaker (.387^2 x .9). From u the best way on is through v; for v itself it must not be.
    g = typed_graph(
        [
            ("s", "unit", "WORKS_FOR", 0.5),
            ("u", "unit", "WORKS_FOR", 0.5),
            ("v", "unit", "WORKS_FOR", 0.5),
            ("v", "t", "KNOWS", 0.9),
        ],
        orgs=("unit",),
        headcounts={"unit": 2},
    )
    found = strongest_paths(g, "s", "t", 4, 5)
    third = 1 / (1 + math.log2(3))
    assert seqs(found) == [["s", "v", "t"], ["s", "u", "v", "t"]]
    assert [p.weight for p in found] == pytest.approx([third * 0.9, third * third * 0.9], abs=1e-6)


def test_colleague_links_in_chinese() -> None:
    g = typed_graph(
        [
            ("a", "m", "REPORTS_TO", 0.7),
            ("c", "m", "REPORTS_TO", 0.7),
            ("m", "top", "REPORTS_TO", 0.7),
            ("a", "bank", "WORKS_FOR", 0.5),
            ("z", "bank", "WORKS_FOR", 0.5),
        ],
        orgs=("bank",),
        headcounts={"bank": 8},
    )
    team = in_chinese(g, strongest_paths(g, "a", "c", 1, 1)[0])
    assert team.links[0].label == "同组同事(M下属)"
    assert team.explanation == "A与C是同组同事(M下属)(0.50)。共1步,强度0.50。"
    skip = in_chinese(g, strongest_paths(g, "a", "top", 1, 1)[0])
    assert skip.links[0].label == "隔级汇报给(经M)"
    assert in_chinese(g, strongest_paths(g, "top", "a", 1, 1)[0]).links[0].label == "隔级管理(经M)"
    unit = in_chinese(g, strongest_paths(g, "a", "z", 1, 1)[0])
    assert unit.links[0].label == "同事(BANK,8人)"  # 1 / (1 + log2 8) = .25
    assert unit.weight == pytest.approx(0.25)
