"""TAS 9 and 10 as they were before the columnar path: a frozen copy of
graph_api/analytics/assessment.py on the reference graph (do not change it)."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.domain import model as m
from graph_api.domain.deciders import (
    Assessment,
    Candidate,
    DecisionLayerMember,
    KeyDecider,
    LevelCoverage,
    Risk,
    RiskKind,
    Severity,
)
from tests.integration.deciders_reference.analytics import (
    ATTITUDE_PHRASE,
    ROLE_NOUN,
    DecisionGraph,
    Scored,
    describe,
    join_words,
    pronoun,
    score_deciders,
)

# The decision layer: every declared decision maker and approver, plus the top of the
# ranking (someone with no declared role whom the ranking puts here decides too).
DECISION_ROLES = (m.BuyingRole.DECISION_MAKER, m.BuyingRole.APPROVER)
TOP_RANKED_IN_LAYER = 3
# Below this, a relationship is too weak to carry a conversation about the deal.
WEAK_COVERAGE = 0.4
# A reporting line counts as this strong when looking for a way in (as in path search).
REPORTING_LINK_STRENGTH = 0.7
WAYS_IN = 3

OPPOSED = (m.Attitude.NON_SUPPORTER, m.Attitude.OPPONENT)
_RISK_ORDER = {kind: i for i, kind in enumerate(RiskKind)}


def decision_layer(graph: DecisionGraph, scored: Sequence[Scored]) -> list[DecisionLayerMember]:
    members: list[DecisionLayerMember] = []
    for s in scored:
        role = graph.candidates[s.id].role
        reasons: list[str] = []
        if role in DECISION_ROLES:
            reasons.append(f"declared {ROLE_NOUN[role][0]}")
        if s.rank <= TOP_RANKED_IN_LAYER and s.score > 0:
            reasons.append(f"ranked #{s.rank} by decision power")
        if reasons:
            member = DecisionLayerMember(decider=describe(graph, s), reason=", ".join(reasons))
            members.append(member)
    return members


def strongest_coverage(c: Candidate) -> float | None:
    return max((x.strength or 0.0 for x in c.coverage), default=None)


def _who(d: KeyDecider) -> str:
    role = d.candidate.role
    what = ROLE_NOUN[role][0] if role is not None else "no declared role"
    return f"{d.candidate.name} ({what}, rank {d.rank})"


def ways_in(graph: DecisionGraph, decider_id: str) -> list[str]:
    """Covered people one link from an uncovered decider, most promising first: people the
    decider listens to or who listen to the decider, the decider's managers and direct
    reports (link strength x their strongest coverage)."""
    options: dict[str, float] = {}

    def offer(pid: str, link: float) -> None:
        cand = graph.candidates.get(pid)
        if cand is None or not cand.coverage:
            return
        value = link * max(c.strength or 0.0 for c in cand.coverage)
        options[pid] = max(options.get(pid, 0.0), value)

    for source, _, d in graph.influence.in_edges(decider_id, data=True):
        offer(source, d["strength"])
    for _, listener, d in graph.influence.out_edges(decider_id, data=True):
        offer(listener, d["strength"])
    if decider_id in graph.reporting:
        for other in (
            *graph.reporting.predecessors(decider_id),
            *graph.reporting.successors(decider_id),
        ):
            offer(other, REPORTING_LINK_STRENGTH)
    ranked = sorted(options.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))
    return [pid for pid, _ in ranked[:WAYS_IN]]


def _way_in_words(graph: DecisionGraph, decider: KeyDecider, via: list[str]) -> str:
    words = []
    for pid in via:
        cand = graph.candidates[pid]
        best = max(cand.coverage, key=lambda c: (c.strength or 0.0, c.rep.id))
        if graph.influence.has_edge(pid, decider.id):
            link = f"{decider.candidate.name} listens to {pronoun(cand.person)}"
        elif graph.influence.has_edge(decider.id, pid):
            link = f"listens to {decider.candidate.name}"
        elif pid in decider.manager_ids:
            link = "manager"
        else:
            link = "direct report"
        words.append(f"{cand.name} ({link}; covered by {best.rep.name}, {best.strength or 0:.1f})")
    return join_words(words)


def assess(graph: DecisionGraph, *, scored: Sequence[Scored] | None = None) -> Assessment:
    """Answers TAS 9 and 10 with their evidence, on the ranking of `graph`'s candidates
    (`scored`: the graph's `score_deciders`, when the caller already has it)."""
    if scored is None:
        scored = score_deciders(graph)
    layer = decision_layer(graph, scored)
    layer_deciders = [x.decider for x in layer]
    supporters = tuple(d for d in layer_deciders if d.candidate.attitude is m.Attitude.SUPPORTER)
    opponents = tuple(d for d in layer_deciders if d.candidate.attitude in OPPOSED)
    risks: list[Risk] = []

    # TAS 9
    supports = bool(supporters)
    if not layer:
        support_answer = "No: nobody in the decision layer is known (no roles, no structure)."
    elif supports:
        support_answer = "Yes: " + join_words([_who(d) for d in supporters])
        support_answer += " support us." if len(supporters) > 1 else " supports us."
    else:
        others = [d for d in layer_deciders if d.candidate.attitude not in OPPOSED]
        support_answer = "No: nobody in the decision layer supports us"
        if others:
            support_answer += "; without a declared attitude or neutral: " + join_words(
                [_who(d) for d in others]
            )
        support_answer += "."
        risks.append(
            Risk(
                RiskKind.NO_SUPPORTER_IN_DECISION_LAYER,
                Severity.HIGH,
                "Nobody in the decision layer supports us.",
            )
        )
    if opponents:
        verb = "oppose" if len(opponents) > 1 else "opposes"
        support_answer += f" Against us: {join_words([_who(d) for d in opponents])} {verb} us."
    for d in opponents:
        attitude = d.candidate.attitude
        assert attitude is not None
        risks.append(
            Risk(
                RiskKind.OPPOSED_DECIDER,
                Severity.HIGH,
                f"{_who(d)} {ATTITUDE_PHRASE[attitude]}.",
                person_id=d.id,
                level=d.level,
            )
        )

    # TAS 10: coverage per level of the hierarchy and per decider.
    by_level: dict[int, list[Candidate]] = {}
    unplaced: list[Candidate] = []
    for s in scored:
        cand = graph.candidates[s.id]
        if cand.external:
            continue
        if s.level is None:
            unplaced.append(cand)
        else:
            by_level.setdefault(s.level, []).append(cand)
    levels: list[LevelCoverage] = []
    for level in sorted(by_level):
        people = by_level[level]
        strengths = [x for c in people if (x := strongest_coverage(c)) is not None]
        levels.append(
            LevelCoverage(
                level=level,
                people=len(people),
                covered=len(strengths),
                strongest=max(strengths) if strengths else None,
                average_strength=round(sum(strengths) / len(strengths), 6) if strengths else None,
                uncovered_ids=tuple(c.id for c in people if not c.coverage),
            )
        )
    bare_levels = [lv for lv in levels if lv.covered == 0]
    for lv in bare_levels:
        names = [graph.display(pid) for pid in lv.uncovered_ids[:3]]
        more = f" and {lv.people - 3} more" if lv.people > 3 else ""
        risks.append(
            Risk(
                RiskKind.LEVEL_WITHOUT_COVERAGE,
                Severity.MEDIUM,
                f"Nobody at level {lv.level} is covered by our reps ({', '.join(names)}{more}).",
                level=lv.level,
            )
        )
    uncovered = [d for d in layer_deciders if d.strongest_coverage is None]
    for d in uncovered:
        via = ways_in(graph, d.id)
        message = f"{_who(d)} is not covered by any of our reps."
        if via:
            message += " Way in: " + _way_in_words(graph, d, via) + "."
        risks.append(
            Risk(
                RiskKind.UNCOVERED_DECIDER,
                Severity.HIGH,
                message,
                person_id=d.id,
                level=d.level,
                via_ids=tuple(via),
            )
        )
    for d in layer_deciders:
        strongest = d.strongest_coverage
        if strongest is not None and strongest < WEAK_COVERAGE:
            risks.append(
                Risk(
                    RiskKind.WEAKLY_COVERED_DECIDER,
                    Severity.MEDIUM,
                    f"{_who(d)} is covered only weakly (strongest {strongest:.1f}).",
                    person_id=d.id,
                    level=d.level,
                )
            )
    in_place = not bare_levels and not uncovered
    if in_place:
        # The levels the account's people are at: a head office's start below its group's top.
        numbers = join_words([str(lv.level) for lv in levels])
        if not levels:
            where = "no levels are known"
        elif len(levels) == 1:
            where = f"level {numbers} has coverage"
        else:
            where = f"each of levels {numbers} has coverage"
        coverage_answer = f"Yes: {where} and every decider is covered."
    else:
        gaps = []
        if bare_levels:
            gaps.append("no coverage at level " + join_words([str(lv.level) for lv in bare_levels]))
        if uncovered:
            gaps.append("not covered: " + join_words([_who(d) for d in uncovered]))
        coverage_answer = "No: " + "; ".join(gaps) + "."

    rank_of = {s.id: s.rank for s in scored}
    risks.sort(
        key=lambda r: (
            r.severity is not Severity.HIGH,
            _RISK_ORDER[r.kind],
            rank_of.get(r.person_id or "", 0),
            r.level if r.level is not None else -1,
        )
    )
    return Assessment(
        decision_layer_supports_us=supports,
        relationships_at_every_level=in_place,
        support_answer=support_answer,
        coverage_answer=coverage_answer,
        decision_layer=tuple(layer),
        supporters=supporters,
        opponents=opponents,
        levels=tuple(levels),
        unplaced_people=len(unplaced),
        unplaced_covered=sum(1 for c in unplaced if c.coverage),
        risks=tuple(risks),
    )
