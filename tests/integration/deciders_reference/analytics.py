"""The key-decider ranking as it was before the columnar path (networkx graphs, one Candidate
per person): a frozen copy of graph_api/analytics/deciders.py, the reference the new path
must equal (tests/integration/test_deciders_equality.py). Do not change it.

Pure functions on a `DecisionGraph` (the people of one account or buying centre, their
reporting lines and who listens to whom). The scoring model is documented, with the
reasons for every weight, in docs/ANALYTICS.md; the constants below are that model.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


@dataclass
class DecisionGraph:
    """The bounded subgraph a ranking is computed on.

    `candidates` are the people ranked: the account's people (or the buying centre) and
    outside people who influence them. `reporting` has an edge manager -> report for every
    known reporting line, managers outside the account included (they fix the levels);
    `influence` has an edge influencer -> listener with its `strength`.
    """

    candidates: dict[str, Candidate]
    reporting: nx.DiGraph
    influence: nx.DiGraph
    # Display names (and titles) of people who are not candidates: managers above the account.
    others: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    for_opportunity: bool = False

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
        return {i for i, c in self.candidates.items() if not c.external}


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
    # Whole lists to add_*_from: networkx's per-edge add_edge costs more than the rest.
    hierarchy = nx.DiGraph()
    hierarchy.add_nodes_from(by_id)
    hierarchy.add_edges_from(
        (manager, person) for person, manager in sorted(set(reporting)) if person != manager
    )
    listening = nx.DiGraph()
    listening.add_nodes_from(by_id)
    listening.add_edges_from(
        (
            source,
            listener,
            {
                "strength": max(
                    0.0,
                    min(1.0, DEFAULT_INFLUENCE_STRENGTH if strength is None else float(strength)),
                )
            },
        )
        for source, listener, strength in sorted(influence, key=lambda t: (t[0], t[1]))
        if source in by_id and listener in by_id and source != listener
    )
    return DecisionGraph(
        candidates=by_id,
        reporting=hierarchy,
        influence=listening,
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
    tree = graph.reporting
    internal = graph.internal_ids
    # Plain dicts of the adjacency: networkx's degree and neighbour views cost more than
    # the walk itself on a 2,000-person account.
    succ: dict[str, list[str]] = {n: list(nbrs) for n, nbrs in tree.adjacency()}
    pred: dict[str, list[str]] = {n: [] for n in succ}
    for n, reports in succ.items():
        for r in reports:
            pred[r].append(n)
    depth = reporting_depths(succ, pred)
    below = _internal_below(tree, succ, pred, internal)
    out: dict[str, Position] = {}
    for pid, cand in graph.candidates.items():
        if cand.external or pid not in succ:
            out[pid] = Position(None, (), 0, 0)
            continue
        managers = tuple(sorted(pred[pid]))
        people_below = below[pid]
        direct = sum(1 for r in succ[pid] if r in internal)
        placed = bool(managers) or bool(succ[pid])
        out[pid] = Position(depth.get(pid) if placed else None, managers, direct, people_below)
    return out


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
    tree: nx.DiGraph,
    succ: Mapping[str, list[str]],
    pred: Mapping[str, list[str]],
    internal: set[str],
) -> dict[str, int]:
    """How many internal people are below each node, directly or not.

    In a tree (nobody has two managers) the people below a node are the disjoint union of
    its reports' and theirs, so counts add up in one pass from the bottom; dotted lines
    (two managers) and cycles need the sets of `_everyone_below`.
    """
    if all(len(managers) <= 1 for managers in pred.values()):
        order = [n for n, managers in pred.items() if not managers]
        for node in order:  # breadth-first from the tops; the list grows while it is read
            order.extend(succ[node])
        if len(order) == len(pred):  # every node reached once: no cycle
            counts: dict[str, int] = {}
            for node in reversed(order):
                total = 0
                for child in succ[node]:
                    total += counts[child] + (child in internal)
                counts[node] = total
            return counts
    below = _everyone_below(tree)
    return {n: len(people & internal) if people else 0 for n, people in below.items()}


def _everyone_below(tree: nx.DiGraph) -> dict[str, set[str]]:
    """Everyone below each node, in one pass from the bottom: set unions of the children's,
    instead of a graph search from every node."""
    try:
        order = list(nx.topological_sort(tree))
    except nx.NetworkXUnfeasible:  # a reporting cycle: imports refuse them, others may not
        return {n: nx.descendants(tree, n) for n in tree}
    below: dict[str, set[str]] = {}
    for node in reversed(order):
        acc: set[str] = set()
        for child in tree.successors(node):
            acc.add(child)
            acc |= below[child]
        below[node] = acc
    return below


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
    The iteration runs on numpy arrays: on a 2,000-person account it takes about a hundred
    rounds over thousands of links, too slow as Python loops.
    """
    nodes = sorted(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {u: i for i, u in enumerate(nodes)}
    links: list[tuple[int, int, float]] = []
    for u, v, d in graph.edges(data=True):
        w = float(d.get(weight, 1.0))
        if w > 0:
            a, b = (index[v], index[u]) if reverse else (index[u], index[v])
            links.append((a, b, w))
    # A fixed order of the links, so sums never depend on how the graph was built.
    links.sort()
    source = np.fromiter((a for a, _, _ in links), dtype=np.intp, count=len(links))
    target = np.fromiter((b for _, b, _ in links), dtype=np.intp, count=len(links))
    weights = np.fromiter((w for _, _, w in links), dtype=np.float64, count=len(links))
    out_weight = np.bincount(source, weights=weights, minlength=n)
    # Each link carries alpha x its share of its source's outgoing weight.
    share = alpha * weights / out_weight[source] if len(links) else weights
    dangling = out_weight == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        base = (1.0 - alpha) / n + alpha * float(rank[dangling].sum()) / n
        new = base + np.bincount(target, weights=share * rank[source], minlength=n)
        error = float(np.abs(new - rank).sum())
        rank = new
        if error < n * tol:
            break
    return dict(zip(nodes, rank.tolist(), strict=True))


def informal_influence(graph: DecisionGraph) -> dict[str, float]:
    """Informal influence 0..1 of every candidate.

    Weighted PageRank on the listening graph (an edge from each listener to the person
    listened to, weighted by strength): influence flows toward the people listened to,
    and being listened to by someone who is listened to counts. Normalised so that the
    most listened-to person of the group has 1 and people nobody listens to have 0, then
    damped when the listeners' strengths add up to less than FULL_LISTENING.
    """
    pr = weighted_pagerank(graph.influence, weight="strength", reverse=True)
    if not pr:
        return {}
    lo, hi = min(pr.values()), max(pr.values())
    strengths = _listening_strengths(graph)
    out: dict[str, float] = {}
    for pid in graph.candidates:
        heard = strengths[pid]
        relative = 0.0 if hi - lo <= 1e-12 else (pr[pid] - lo) / (hi - lo)
        out[pid] = relative * min(1.0, heard / FULL_LISTENING)
    return out


def listening_strength(graph: DecisionGraph, pid: str) -> float:
    """The strengths of the people listening to `pid`, added up."""
    return float(sum(d["strength"] for _, _, d in graph.influence.out_edges(pid, data=True)))


def _listening_strengths(graph: DecisionGraph) -> dict[str, float]:
    """`listening_strength` of every candidate, in one pass over the links (added up in
    the same order, so the same floats)."""
    out: dict[str, float] = {}
    for pid, listeners in graph.influence.adjacency():
        total = 0
        for d in listeners.values():
            total += d["strength"]
        out[pid] = float(total)
    return out


def role_value(c: Candidate) -> float:
    """Role component 0..1 from the declared role and influence level."""
    base = ROLE_BASE.get(c.role, 0.0) if c.role is not None else 0.0
    if c.influence is not None:
        level = INFLUENCE_LEVEL[c.influence]
    else:
        level = UNKNOWN_LEVEL_WITH_ROLE if c.role is not None else 0.0
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


def score_deciders(graph: DecisionGraph) -> list[Scored]:
    """Every candidate scored and ranked (score, then id: ties are deterministic)."""
    positions = hierarchy_positions(graph)
    informal = informal_influence(graph)
    group_size = len(graph.internal_ids)
    rows: list[tuple[float, str, dict[ScoreComponent, float]]] = []
    for pid, cand in graph.candidates.items():
        values = {
            ScoreComponent.ROLE: role_value(cand),
            ScoreComponent.FORMAL: formal_value(positions[pid], group_size),
            ScoreComponent.INFORMAL: informal[pid],
        }
        # The same sum as over WEIGHTS in component order, written out (it runs per person).
        score = round(
            ROLE_WEIGHT * values[ScoreComponent.ROLE]
            + FORMAL_WEIGHT * values[ScoreComponent.FORMAL]
            + INFORMAL_WEIGHT * values[ScoreComponent.INFORMAL],
            SCORE_DIGITS,
        )
        rows.append((score, pid, values))
    rows.sort(key=lambda t: (-t[0], t[1]))
    return [
        Scored(rank, pid, score, values, positions[pid])
        for rank, (score, pid, values) in enumerate(rows, start=1)
    ]


def describe(graph: DecisionGraph, s: Scored) -> KeyDecider:
    """A scored candidate with the parts of the score and the explanation in words."""
    cand = graph.candidates[s.id]
    pos = s.position
    listeners = _ends(graph.influence.out_edges(s.id, data=True), far=1)
    heard = _ends(graph.influence.in_edges(s.id, data=True), far=0)
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


def _ends(edges: Iterable[tuple[str, str, dict[str, float]]], far: int) -> tuple[str, ...]:
    """The far ends (0: sources, 1: targets) of influence links, strongest first, then by id."""
    pairs = sorted(
        ((a if far == 0 else b, d["strength"]) for a, b, d in edges), key=lambda p: (-p[1], p[0])
    )
    return tuple(p for p, _ in pairs)


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
