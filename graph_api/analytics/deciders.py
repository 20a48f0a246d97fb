"""Key-decider ranking: declared role, formal position and informal influence, explained.

Pure functions on a `DecisionGraph` (the people of one account or buying centre, their
reporting lines and who listens to whom). The scoring model is documented, with the
reasons for every weight, in docs/ANALYTICS.md; the constants below are that model.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

import networkx as nx
import numpy as np

from graph_api.domain import model as m
from graph_api.domain.deciders import Candidate, KeyDecider, RoleSource, ScoreComponent, ScorePart

# Weights of the three components (they sum to 1, so a score is 0..1). The declared role is
# the team's own judgement and weighs most; formal and informal structure are the two equal
# halves of "who really decides" (reporting lines and influence links together).
ROLE_WEIGHT = 0.40
FORMAL_WEIGHT = 0.30
INFORMAL_WEIGHT = 0.30

# Role component = 0.8 x role base + 0.2 x declared influence level.
ROLE_BASE: dict[m.BuyingRole, float] = {
    m.BuyingRole.DECISION_MAKER: 1.0,
    m.BuyingRole.APPROVER: 0.7,
    m.BuyingRole.EVALUATOR: 0.45,
    m.BuyingRole.INFLUENCER: 0.35,
    m.BuyingRole.USER: 0.1,
}
INFLUENCE_LEVEL: dict[m.InfluenceLevel, float] = {
    m.InfluenceLevel.HIGH: 1.0,
    m.InfluenceLevel.MEDIUM: 0.5,
    m.InfluenceLevel.LOW: 0.0,
}
ROLE_SHARE = 0.8
LEVEL_SHARE = 0.2
UNKNOWN_LEVEL_WITH_ROLE = 0.5  # a declared role without a level counts as MEDIUM

# Formal component = 0.4 x position (1 / (1 + managers above)) + 0.6 x span of control
# (share of the account's other people below, directly or not).
POSITION_SHARE = 0.4
SPAN_SHARE = 0.6

# Informal component: weighted PageRank on the listening graph.
PAGERANK_ALPHA = 0.85
DEFAULT_INFLUENCE_STRENGTH = 0.5
# Full informal weight needs listeners whose strengths add up to this: a single weak
# link must not make someone look like the account's kingmaker.
FULL_LISTENING = 1.0

SCORE_DIGITS = 6  # scores are rounded so that ties are exact and broken by id


class Candidates(Mapping[str, Candidate]):
    """The ranked people by id, in id order, each `Candidate` made when first asked for: a
    ranking puts ten of 2,000 people into words, and making the other 1,990 objects cost more
    than scoring them."""

    __slots__ = ("_ids", "_index", "_made", "_make")

    def __init__(
        self, ids: Sequence[str], index: Mapping[str, int], make: Callable[[int], Candidate]
    ) -> None:
        self._ids = ids
        self._index = index
        self._make = make
        self._made: dict[int, Candidate] = {}

    def __getitem__(self, pid: str) -> Candidate:
        i = self._index[pid]  # KeyError for someone not ranked, as a dict
        c = self._made.get(i)
        if c is None:
            c = self._made[i] = self._make(i)
        return c

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, pid: object) -> bool:
        return pid in self._index


@dataclass
class DecisionGraph:
    """The bounded subgraph a ranking is computed on, in columns.

    `candidates` are the people ranked, by id in id order: the account's people (or the
    buying centre) and outside people who influence them; `ids`, `external` and
    `role_values` are the same people's ids, whether they are outside the account, and
    their role component, by position. The reporting lines are the `hierarchy`'s edges
    manager -> report over `nodes` (the candidates, then managers above the account who fix
    the levels); the influence links are `influence_links`: influencer -> listener with
    their strength, by position in `ids`, in (influencer, listener) order, one per pair.
    `reporting` and `influence` are the same as networkx graphs, made when first used.
    """

    candidates: Mapping[str, Candidate]
    ids: list[str]
    index: dict[str, int]
    external: list[bool]
    role_values: list[float]
    nodes: list[str]  # hierarchy nodes: `ids`, then the managers above who are not ranked
    reports_of: list[list[int]]  # by hierarchy node: its reports (manager -> report edges)
    managers_of: list[list[int]]  # by hierarchy node: its managers
    influence_links: tuple[np.ndarray, np.ndarray, np.ndarray]  # sources, listeners, strengths
    # Display names (and titles) of people who are not candidates: managers above the account.
    others: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    for_opportunity: bool = False
    _nx: dict[str, nx.DiGraph] = field(default_factory=dict, repr=False, compare=False)

    def display(self, person_id: str) -> str:
        c = self.candidates.get(person_id)
        if c is not None:
            return c.name
        name, _ = self.others.get(person_id, (person_id, None))
        return name

    def title(self, person_id: str) -> str | None:
        c = self.candidates.get(person_id)
        if c is not None:
            return c.title
        return self.others.get(person_id, (person_id, None))[1]

    @property
    def internal_ids(self) -> set[str]:
        return {i for i, ext in zip(self.ids, self.external, strict=True) if not ext}

    @property
    def reporting(self) -> nx.DiGraph:
        """The reporting lines as a networkx graph (manager -> report)."""
        g = self._nx.get("reporting")
        if g is None:
            g = self._nx["reporting"] = nx.DiGraph()
            g.add_nodes_from(self.nodes)
            g.add_edges_from(
                (self.nodes[m], self.nodes[r])
                for m, reports in enumerate(self.reports_of)
                for r in reports
            )
        return g

    @property
    def influence(self) -> nx.DiGraph:
        """The influence links as a networkx graph (influencer -> listener, `strength`)."""
        g = self._nx.get("influence")
        if g is None:
            g = self._nx["influence"] = nx.DiGraph()
            g.add_nodes_from(self.ids)
            sources, listeners, strengths = self.influence_links
            g.add_edges_from(
                (self.ids[a], self.ids[b], {"strength": w})
                for a, b, w in zip(
                    sources.tolist(), listeners.tolist(), strengths.tolist(), strict=True
                )
            )
        return g

    def listened_to_by(self, pid: str) -> list[tuple[str, float]]:
        """(listener, strength) of the people listening to `pid`, in listener id order."""
        sources, listeners, strengths = self.influence_links
        i = self.index[pid]
        lo, hi = np.searchsorted(sources, [i, i + 1])
        return [
            (self.ids[b], w)
            for b, w in zip(listeners[lo:hi].tolist(), strengths[lo:hi].tolist(), strict=True)
        ]

    def listens_to(self, pid: str) -> list[tuple[str, float]]:
        """(influencer, strength) of the people `pid` listens to, in influencer id order."""
        sources, listeners, strengths = self.influence_links
        at = np.flatnonzero(listeners == self.index[pid])
        return [
            (self.ids[a], w)
            for a, w in zip(sources[at].tolist(), strengths[at].tolist(), strict=True)
        ]

    def listens(self, listener: str, influencer: str) -> bool:
        """Whether `listener` listens to `influencer` (an influence link influencer -> listener)."""
        return any(b == listener for b, _ in self.listened_to_by(influencer))

    def line_neighbours(self, pid: str) -> list[str]:
        """The managers, then the reports, of `pid` along the reporting lines."""
        i = self._node_index().get(pid)
        if i is None:
            return []
        return [self.nodes[x] for x in (*self.managers_of[i], *self.reports_of[i])]

    def _node_index(self) -> dict[str, int]:
        found: dict[str, int] | None = getattr(self, "_nodes_index", None)
        if found is None:
            found = {n: i for i, n in enumerate(self.nodes)}
            object.__setattr__(self, "_nodes_index", found)
        return found


def decision_graph(
    candidates: Iterable[Candidate],
    reporting: Iterable[tuple[str, str]],
    influence: Iterable[tuple[str, str, float | None]],
    others: Mapping[str, tuple[str, str | None]] | None = None,
    *,
    for_opportunity: bool = False,
) -> DecisionGraph:
    """Builds the graph from plain facts, in a fixed order so that results never depend on
    the order the database returned them in.

    `reporting`: (person, manager) pairs. `influence`: (influencer, listener, strength);
    links that do not end at a candidate are ignored (only listening inside the ranked
    group counts).
    """
    by_id = {c.id: c for c in sorted(candidates, key=lambda c: c.id)}
    ids = list(by_id)
    sources, listeners, strengths = [], [], []
    for source, listener, strength in influence:
        sources.append(source)
        listeners.append(listener)
        strengths.append(strength)
    return columnar_decision_graph(
        ids,
        lambda i: by_id[ids[i]],
        [c.external for c in by_id.values()],
        [role_value(c) for c in by_id.values()],
        reporting,
        (sources, listeners, strengths),
        others,
        for_opportunity=for_opportunity,
        made=by_id,
    )


def columnar_decision_graph(
    ids: list[str],
    make: Callable[[int], Candidate],
    external: list[bool],
    role_values: list[float],
    reporting: Iterable[tuple[str, str]],
    influence: tuple[Sequence[str], Sequence[str], Sequence[float | None]],
    others: Mapping[str, tuple[str, str | None]] | None = None,
    *,
    for_opportunity: bool = False,
    made: Mapping[str, Candidate] | None = None,
) -> DecisionGraph:
    """The graph from columns: `ids` sorted, `make(i)` the candidate at position i (called
    only for the people a ranking puts into words), `external` and `role_values` by
    position; `reporting` (person, manager) pairs; `influence` three columns (influencer,
    listener, strength). As `decision_graph`, which calls it."""
    index = {pid: i for i, pid in enumerate(ids)}
    # Reporting lines: once each, no one their own manager; managers who are not ranked
    # become nodes after the candidates. Positions do not depend on the lines' order.
    nodes = list(ids)
    where = dict(index)
    reports_of: list[list[int]] = [[] for _ in ids]
    managers_of: list[list[int]] = [[] for _ in ids]
    for person, manager in set(reporting):
        if person == manager:
            continue
        boss = where.get(manager)
        if boss is None:
            boss = where[manager] = len(nodes)
            nodes.append(manager)
            reports_of.append([])
            managers_of.append([])
        report = where.get(person)
        if report is None:
            report = where[person] = len(nodes)
            nodes.append(person)
            reports_of.append([])
            managers_of.append([])
        reports_of[boss].append(report)
        managers_of[report].append(boss)
    # Influence links between candidates, clamped strengths, in (influencer, listener) order;
    # of two links between the same pair the last given counts (as networkx's add_edges_from).
    src_ids, dst_ids, raw = influence
    a_arr = np.array([index.get(x, -1) for x in src_ids], dtype=np.intp)
    b_arr = np.array([index.get(x, -1) for x in dst_ids], dtype=np.intp)
    w_arr = np.clip(
        np.array([DEFAULT_INFLUENCE_STRENGTH if w is None else w for w in raw], dtype=np.float64),
        0.0,
        1.0,
    )
    keep = (a_arr >= 0) & (b_arr >= 0) & (a_arr != b_arr)
    a_arr, b_arr, w_arr = a_arr[keep], b_arr[keep], w_arr[keep]
    order = np.lexsort((b_arr, a_arr))  # stable: equal pairs keep the order they were given
    a_arr, b_arr, w_arr = a_arr[order], b_arr[order], w_arr[order]
    if len(a_arr) > 1:
        last = np.ones(len(a_arr), dtype=bool)
        last[:-1] = (a_arr[1:] != a_arr[:-1]) | (b_arr[1:] != b_arr[:-1])
        if not last.all():
            a_arr, b_arr, w_arr = a_arr[last], b_arr[last], w_arr[last]
    candidates = Candidates(ids, index, make)
    if made is not None:
        candidates._made.update((index[pid], c) for pid, c in made.items())
    return DecisionGraph(
        candidates=candidates,
        ids=ids,
        index=index,
        external=external,
        role_values=role_values,
        nodes=nodes,
        reports_of=reports_of,
        managers_of=managers_of,
        influence_links=(a_arr, b_arr, w_arr),
        others=dict(others or {}),
        for_opportunity=for_opportunity,
    )


@dataclass(frozen=True, slots=True)
class Position:
    """A person's place along reporting lines."""

    depth: int | None  # managers above (0 = top); None: not in any known reporting line
    managers: tuple[str, ...]
    direct_reports: int  # inside the ranked group
    people_below: int  # inside the ranked group, directly or not


def hierarchy_positions(graph: DecisionGraph) -> dict[str, Position]:
    """Level, managers and span of control of every candidate.

    The depth is the shortest distance from a top (someone with no manager), so a person
    with a dotted line to the CEO counts as close to the top. Externals have no position
    in the account: their standing in their own organization is not power over this deal.
    """
    depth, below = _hierarchy_columns(graph)
    out: dict[str, Position] = {}
    for i, pid in enumerate(graph.ids):
        out[pid] = _position(graph, i, depth, below)
    return out


def _hierarchy_columns(graph: DecisionGraph) -> tuple[list[int], list[int]]:
    """Depth (-1: none) and internal people below, by hierarchy node."""
    succ, pred = graph.reports_of, graph.managers_of
    n = len(graph.nodes)
    internal = [not e for e in graph.external] + [False] * (n - len(graph.ids))
    # Depth: breadth first from the tops (no manager, at least one report); the shortest
    # line wins whatever order the nodes come in.
    depth = [-1] * n
    queue = [i for i in range(n) if not pred[i] and succ[i]]
    for t in queue:
        depth[t] = 0
    for node in queue:  # the list grows while it is read
        d = depth[node] + 1
        for child in succ[node]:
            if depth[child] < 0:
                depth[child] = d
                queue.append(child)
    return depth, _internal_below(succ, pred, internal)


def _position(graph: DecisionGraph, i: int, depth: list[int], below: list[int]) -> Position:
    if graph.external[i]:
        return Position(None, (), 0, 0)
    succ, pred = graph.reports_of[i], graph.managers_of[i]
    nodes, external = graph.nodes, graph.external
    ranked = len(graph.ids)
    managers = tuple(sorted(nodes[m] for m in pred))
    direct = sum(1 for r in succ if r < ranked and not external[r])
    placed = bool(pred) or bool(succ)
    d = depth[i]
    return Position(d if placed and d >= 0 else None, managers, direct, below[i])


def reporting_depths(
    succ: Mapping[str, Sequence[str]], pred: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """Managers above each person on the shortest line up to a top (0: a top, someone with
    no manager and at least one report). `succ`: manager -> reports, `pred`: person ->
    managers, both over every node. People on no line (and lines that only go round in a
    circle) get no depth. The org chart's levels use it too, so that both agree."""
    depth: dict[str, int] = {}
    tops = sorted(n for n in succ if not pred[n] and succ[n])
    queue = deque(tops)
    for t in tops:
        depth[t] = 0
    while queue:
        node = queue.popleft()
        for child in sorted(succ[node]):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return depth


def _internal_below(
    succ: Sequence[Sequence[int]], pred: Sequence[Sequence[int]], internal: Sequence[bool]
) -> list[int]:
    """How many internal people are below each node, directly or not.

    In a tree (nobody has two managers) the people below a node are the disjoint union of
    its reports' and theirs, so counts add up in one pass from the bottom; dotted lines
    (two managers) and cycles need the sets of `_everyone_below`.
    """
    n = len(succ)
    if all(len(managers) <= 1 for managers in pred):
        order = [i for i in range(n) if not pred[i]]
        for node in order:  # breadth-first from the tops; the list grows while it is read
            order.extend(succ[node])
        if len(order) == n:  # every node reached once: no cycle
            counts = [0] * n
            for node in reversed(order):
                total = 0
                for child in succ[node]:
                    total += counts[child] + internal[child]
                counts[node] = total
            return counts
    return [sum(1 for x in people if internal[x]) for people in _everyone_below(succ, pred)]


def _everyone_below(succ: Sequence[Sequence[int]], pred: Sequence[Sequence[int]]) -> list[set[int]]:
    """Everyone below each node, in one pass from the bottom: set unions of the children's,
    instead of a graph search from every node."""
    n = len(succ)
    waiting = [len(p) for p in pred]
    order = [i for i in range(n) if not waiting[i]]
    for node in order:  # topological order (Kahn); the list grows while it is read
        for child in succ[node]:
            waiting[child] -= 1
            if not waiting[child]:
                order.append(child)
    if len(order) < n:  # a reporting cycle: imports refuse them, others may not
        return [_descendants(succ, i) for i in range(n)]
    below: list[set[int]] = [set() for _ in range(n)]
    for node in reversed(order):
        acc = below[node]
        for child in succ[node]:
            acc.add(child)
            acc |= below[child]
    return below


def _descendants(succ: Sequence[Sequence[int]], start: int) -> set[int]:
    seen: set[int] = set()
    stack = list(succ[start])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(succ[node])
    return seen


def weighted_pagerank(
    graph: nx.DiGraph,
    weight: str = "weight",
    alpha: float = PAGERANK_ALPHA,
    tol: float = 1e-10,
    max_iter: int = 500,
    *,
    reverse: bool = False,
) -> dict[str, float]:
    """PageRank with edge weights, by power iteration (networkx's own needs scipy).

    Dangling nodes (no outgoing weight) spread their rank evenly, as in networkx; the
    iteration stops when the total change is below n x tol. `reverse`: rank flows along
    the links backwards (on the influence graph: from listeners to the people listened to).
    """
    nodes = sorted(graph)
    index = {u: i for i, u in enumerate(nodes)}
    ends = [(index[u], index[v], float(d.get(weight, 1.0))) for u, v, d in graph.edges(data=True)]
    sources = np.array([a for a, _, _ in ends], dtype=np.intp)
    targets = np.array([b for _, b, _ in ends], dtype=np.intp)
    weights = np.array([w for _, _, w in ends], dtype=np.float64)
    if reverse:
        sources, targets = targets, sources
    rank = _pagerank(len(nodes), sources, targets, weights, alpha, tol, max_iter)
    return dict(zip(nodes, rank.tolist(), strict=True))


def _pagerank(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    alpha: float = PAGERANK_ALPHA,
    tol: float = 1e-10,
    max_iter: int = 500,
) -> np.ndarray:
    """`weighted_pagerank` on n nodes given by position and links in three columns. The
    iteration runs on numpy arrays: on a 2,000-person account it takes about a hundred
    rounds over thousands of links, too slow as Python loops."""
    if n == 0:
        return np.zeros(0)
    keep = weights > 0
    # A fixed order of the links, so sums never depend on how the graph was built.
    order = np.lexsort((weights[keep], targets[keep], sources[keep]))
    source = sources[keep][order]
    target = targets[keep][order]
    weights = weights[keep][order]
    out_weight = np.bincount(source, weights=weights, minlength=n)
    # Each link carries alpha x its share of its source's outgoing weight.
    share = alpha * weights / out_weight[source] if len(source) else weights
    dangling = out_weight == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        base = (1.0 - alpha) / n + alpha * float(rank[dangling].sum()) / n
        new = base + np.bincount(target, weights=share * rank[source], minlength=n)
        error = float(np.abs(new - rank).sum())
        rank = new
        if error < n * tol:
            break
    return rank


def _informal_values(graph: DecisionGraph) -> np.ndarray:
    """`informal_influence` by position in `graph.ids`."""
    n = len(graph.ids)
    sources, listeners, strengths = graph.influence_links
    if n == 0:
        return np.zeros(0)
    pr = _pagerank(n, listeners, sources, strengths)
    lo, hi = float(pr.min()), float(pr.max())
    heard = _listening_strength_values(graph)
    relative = np.zeros(n) if hi - lo <= 1e-12 else (pr - lo) / (hi - lo)
    return relative * np.minimum(1.0, heard / FULL_LISTENING)


def informal_influence(graph: DecisionGraph) -> dict[str, float]:
    """Informal influence 0..1 of every candidate.

    Weighted PageRank on the listening graph (an edge from each listener to the person
    listened to, weighted by strength): influence flows toward the people listened to,
    and being listened to by someone who is listened to counts. Normalised so that the
    most listened-to person of the group has 1 and people nobody listens to have 0, then
    damped when the listeners' strengths add up to less than FULL_LISTENING.
    """
    return dict(zip(graph.ids, _informal_values(graph).tolist(), strict=True))


def listening_strength(graph: DecisionGraph, pid: str) -> float:
    """The strengths of the people listening to `pid`, added up."""
    total = 0.0
    for _, w in graph.listened_to_by(pid):
        total += w
    return total


def _listening_strength_values(graph: DecisionGraph) -> np.ndarray:
    """`listening_strength` of every candidate by position, in one pass over the links
    (added up in the same order, so the same floats)."""
    sources, _, strengths = graph.influence_links
    return np.bincount(sources, weights=strengths, minlength=len(graph.ids)).astype(np.float64)


def role_value(c: Candidate) -> float:
    """Role component 0..1 from the declared role and influence level."""
    return declared_role_value(c.role, c.influence)


def declared_role_value(role: m.BuyingRole | None, influence: m.InfluenceLevel | None) -> float:
    """`role_value` of a declared role and influence level."""
    base = ROLE_BASE.get(role, 0.0) if role is not None else 0.0
    if influence is not None:
        level = INFLUENCE_LEVEL[influence]
    else:
        level = UNKNOWN_LEVEL_WITH_ROLE if role is not None else 0.0
    return ROLE_SHARE * base + LEVEL_SHARE * level


def formal_value(pos: Position, group_size: int) -> float:
    """Formal component 0..1 from the level and the span of control."""
    if pos.depth is None:
        return 0.0
    position = 1.0 / (1.0 + pos.depth)
    span = pos.people_below / (group_size - 1) if group_size > 1 else 0.0
    return POSITION_SHARE * position + SPAN_SHARE * span


WEIGHTS: dict[ScoreComponent, float] = {
    ScoreComponent.ROLE: ROLE_WEIGHT,
    ScoreComponent.FORMAL: FORMAL_WEIGHT,
    ScoreComponent.INFORMAL: INFORMAL_WEIGHT,
}


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's place in the ranking, before it is put into words."""

    rank: int
    id: str
    score: float
    values: dict[ScoreComponent, float]
    position: Position

    @property
    def level(self) -> int | None:
        """1 = top of the known reporting lines; None: on none."""
        return None if self.position.depth is None else self.position.depth + 1


class Ranking(Sequence[Scored]):
    """Every candidate scored and ranked (score, then id: ties are deterministic), as a
    sequence of `Scored` made when asked for: the scores are columns, and a request puts
    only the first few into words."""

    def __init__(self, graph: DecisionGraph) -> None:
        self.graph = graph
        n = len(graph.ids)
        depth, below = _hierarchy_columns(graph)
        self._depth, self._below = depth, below
        external = np.array(graph.external, dtype=bool)
        group_size = n - int(external.sum())
        d = np.array(depth[:n], dtype=np.float64)
        placed = np.array(
            [bool(graph.managers_of[i]) or bool(graph.reports_of[i]) for i in range(n)],
            dtype=bool,
        )
        on_line = placed & (d >= 0) & ~external
        span = (
            np.array(below[:n], dtype=np.float64) / (group_size - 1)
            if group_size > 1
            else np.zeros(n)
        )
        position = 1.0 / (1.0 + np.where(on_line, d, 0.0))
        formal = np.where(on_line, POSITION_SHARE * position + SPAN_SHARE * span, 0.0)
        role = np.array(graph.role_values, dtype=np.float64)
        informal = _informal_values(graph)
        total = ROLE_WEIGHT * role + FORMAL_WEIGHT * formal + INFORMAL_WEIGHT * informal
        # Python's round, not numpy's: the same decimals as always, ties exactly equal.
        scores = [round(x, SCORE_DIGITS) for x in total.tolist()]
        self._scores = scores
        self._role = role.tolist()
        self._formal = formal.tolist()
        self._informal = informal.tolist()
        self._order: list[int] = np.lexsort(
            (np.arange(n), -np.array(scores, dtype=np.float64))
        ).tolist()
        self._made: dict[int, Scored] = {}

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, at: int) -> Scored: ...

    @overload
    def __getitem__(self, at: slice) -> list[Scored]: ...

    def __getitem__(self, at: int | slice) -> Scored | list[Scored]:
        if isinstance(at, slice):
            return [self._scored(r) for r in range(*at.indices(len(self._order)))]
        if at < 0:
            at += len(self._order)
        if not 0 <= at < len(self._order):
            raise IndexError(at)
        return self._scored(at)

    def _scored(self, r: int) -> Scored:
        found = self._made.get(r)
        if found is None:
            i = self._order[r]
            values = {
                ScoreComponent.ROLE: self._role[i],
                ScoreComponent.FORMAL: self._formal[i],
                ScoreComponent.INFORMAL: self._informal[i],
            }
            position = _position(self.graph, i, self._depth, self._below)
            found = self._made[r] = Scored(
                r + 1, self.graph.ids[i], self._scores[i], values, position
            )
        return found


def score_deciders(graph: DecisionGraph) -> Ranking:
    """Every candidate scored and ranked (score, then id: ties are deterministic)."""
    return Ranking(graph)


def describe(graph: DecisionGraph, s: Scored) -> KeyDecider:
    """A scored candidate with the parts of the score and the explanation in words."""
    cand = graph.candidates[s.id]
    pos = s.position
    listeners = _ends(graph.listened_to_by(s.id))
    heard = _ends(graph.listens_to(s.id))
    role_words = _role_clause(graph, cand)
    formal_words = _formal_clause(graph, cand, pos)
    details = {
        ScoreComponent.ROLE: role_words,
        ScoreComponent.FORMAL: formal_words,
        ScoreComponent.INFORMAL: _informal_detail(graph, s.id, len(listeners)),
    }
    parts = tuple(
        ScorePart(
            component=comp,
            value=round(s.values[comp], SCORE_DIGITS),
            weight=WEIGHTS[comp],
            contribution=round(WEIGHTS[comp] * s.values[comp], SCORE_DIGITS),
            detail=details[comp],
        )
        for comp in ScoreComponent
    )
    clauses = (
        role_words,
        formal_words,
        _listeners_clause(graph, cand, listeners),
        _listens_to_clause(graph, heard),
    )
    return KeyDecider(
        rank=s.rank,
        candidate=cand,
        score=s.score,
        parts=parts,
        level=s.level,
        direct_reports=pos.direct_reports,
        people_below=pos.people_below,
        manager_ids=pos.managers,
        listened_to_by=listeners,
        listens_to=heard,
        # Plain words from the facts, e.g. "approves; reports to 王志强; three evaluators
        # listen to her".
        explanation="; ".join(x for x in clauses if x),
    )


def rank_deciders(
    graph: DecisionGraph, limit: int | None = None, *, scored: Sequence[Scored] | None = None
) -> list[KeyDecider]:
    """The candidates ranked by decision power, best first; only the first `limit` are put
    into words (on a large account the words cost more than the scores). `scored`: the
    graph's `score_deciders`, when the caller already has it."""
    ranking = score_deciders(graph) if scored is None else scored
    return [describe(graph, s) for s in ranking[:limit]]


def _ends(links: Iterable[tuple[str, float]]) -> tuple[str, ...]:
    """The far ends of influence links, strongest first, then by id."""
    return tuple(p for p, _ in sorted(links, key=lambda p: (-p[1], p[0])))


# ----- explanations ---------------------------------------------------------------------

ROLE_PHRASE: dict[m.BuyingRole, str] = {
    m.BuyingRole.DECISION_MAKER: "decides",
    m.BuyingRole.APPROVER: "approves",
    m.BuyingRole.EVALUATOR: "evaluates",
    m.BuyingRole.INFLUENCER: "is consulted",
    m.BuyingRole.USER: "uses the product",
}
ROLE_NOUN: dict[m.BuyingRole, tuple[str, str]] = {
    m.BuyingRole.DECISION_MAKER: ("decision maker", "decision makers"),
    m.BuyingRole.APPROVER: ("approver", "approvers"),
    m.BuyingRole.EVALUATOR: ("evaluator", "evaluators"),
    m.BuyingRole.INFLUENCER: ("adviser", "advisers"),
    m.BuyingRole.USER: ("user", "users"),
}
ATTITUDE_PHRASE: dict[m.Attitude, str] = {
    m.Attitude.SUPPORTER: "supports us",
    m.Attitude.NEUTRAL: "is neutral towards us",
    m.Attitude.NON_SUPPORTER: "does not support us",
    m.Attitude.OPPONENT: "opposes us",
}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NAMED_LISTENERS = 2  # up to this many listeners are named; more are counted by role


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def pronoun(p: m.Person) -> str:
    if p.gender is m.Gender.FEMALE:
        return "her"
    if p.gender is m.Gender.MALE:
        return "him"
    return "them"


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _with_title(graph: DecisionGraph, pid: str) -> str:
    title = graph.title(pid)
    name = graph.display(pid)
    return f"{name} ({title})" if title else name


def _role_clause(graph: DecisionGraph, c: Candidate) -> str:
    if c.role is None:
        clause = "no declared role"
    else:
        clause = ROLE_PHRASE[c.role]
        if c.influence is not None:
            clause += f" ({c.influence.value.lower()} influence)"
        if graph.for_opportunity and c.role_source is RoleSource.ACCOUNT:
            clause += " [marked on the account]"
    if c.attitude is not None:
        clause += ", " + ATTITUDE_PHRASE[c.attitude]
    return clause


def _formal_clause(graph: DecisionGraph, c: Candidate, pos: Position) -> str:
    if c.external:
        where = ", ".join(x for x in (c.title, c.organization_name) if x)
        return f"outside the account ({where})" if where else "outside the account"
    if pos.depth is None:
        return "not in the known reporting lines"
    bits: list[str] = []
    if pos.managers:
        bits.append("reports to " + join_words([_with_title(graph, x) for x in pos.managers]))
    elif pos.people_below:
        bits.append("top of the reporting line")
    if pos.direct_reports:
        plural = "s" if pos.direct_reports > 1 else ""
        reports = f"{number_word(pos.direct_reports)} direct report{plural}"
        if pos.people_below > pos.direct_reports:
            reports += f", {pos.people_below} people below"
        bits.append(reports)
    return ", ".join(bits)


def _listeners_clause(graph: DecisionGraph, c: Candidate, listeners: tuple[str, ...]) -> str:
    if not listeners:
        return ""
    whom = pronoun(c.person)
    if len(listeners) <= NAMED_LISTENERS:
        names = []
        for pid in listeners:
            role = graph.candidates[pid].role
            name = graph.display(pid)
            names.append(f"{name} ({ROLE_NOUN[role][0]})" if role else name)
        verb = "listens" if len(names) == 1 else "listen"
        return f"{join_words(names)} {verb} to {whom}"
    counts: dict[m.BuyingRole | None, int] = {}
    for pid in listeners:
        role = graph.candidates[pid].role
        counts[role] = counts.get(role, 0) + 1
    groups = []
    for role in (*m.BuyingRole, None):
        n = counts.get(role, 0)
        if not n:
            continue
        if role is None:
            groups.append(f"{number_word(n)} {'other' if n == 1 else 'others'}")
        else:
            singular, plural = ROLE_NOUN[role]
            groups.append(f"{number_word(n)} {singular if n == 1 else plural}")
    return f"{join_words(groups)} listen to {whom}"


def _listens_to_clause(graph: DecisionGraph, heard: tuple[str, ...]) -> str:
    if not heard:
        return ""
    if len(heard) <= NAMED_LISTENERS:
        return "listens to " + join_words([graph.display(p) for p in heard])
    return f"listens to {len(heard)} people"


def _informal_detail(graph: DecisionGraph, pid: str, listeners: int) -> str:
    if not listeners:
        return "nobody is known to listen to this person"
    plural = "" if listeners == 1 else "s"
    heard = listening_strength(graph, pid)
    return f"{listeners} listener{plural}, strengths adding up to {heard:.2f}"
