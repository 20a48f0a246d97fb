"""The key-decider scoring model and the TAS assessment on small hand-made graphs.

score = 0.40 role + 0.30 formal + 0.30 informal (docs/ANALYTICS.md):
role = 0.8 base (DM 1, APPROVER .7, EVALUATOR .45, INFLUENCER .35, USER .1)
       + 0.2 level (HIGH 1, MEDIUM .5, LOW 0; a role without a level counts .5);
formal = .4 / (1 + managers above) + .6 x people below / (internal people - 1);
informal = min-max normalised weighted PageRank on the listening graph x min(1, the
listeners' strengths added up).
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_api.analytics.assessment import assess
from graph_api.analytics.deciders import (
    DecisionGraph,
    decision_graph,
    rank_deciders,
    weighted_pagerank,
)
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.deciders import Candidate, RiskKind

B = m.BuyingRole
A = m.Attitude
L = m.InfluenceLevel


def person(pid: str, gender: m.Gender | None = None) -> m.Person:
    return m.Person(id=pid, name=pid.upper(), gender=gender)


def cand(
    pid: str,
    role: m.BuyingRole | None = None,
    influence: m.InfluenceLevel | None = None,
    attitude: m.Attitude | None = None,
    *,
    title: str | None = None,
    external: bool = False,
    covered: float | None = None,
    gender: m.Gender | None = None,
) -> Candidate:
    coverage = (v.Coverage(v.Rep("rep", "REP"), covered, None),) if covered is not None else ()
    return Candidate(
        person=person(pid, gender),
        title=title,
        role=role,
        influence=influence,
        attitude=attitude,
        external=external,
        coverage=coverage,
    )


def ranked_ids(graph: DecisionGraph) -> list[str]:
    return [d.id for d in rank_deciders(graph)]


def test_weighted_pagerank_matches_the_closed_form() -> None:
    # a -> b with weight 1; b is dangling and spreads its rank over both. With n = 2 and
    # alpha = .85: x = .075 + .425 y, y = .075 + .425 y + .85 x, x + y = 1 -> y = 1.85 x,
    # x = 1 / 2.85 = .350877, y = .649123.
    g = nx.DiGraph()
    g.add_edge("a", "b", weight=1.0)
    pr = weighted_pagerank(g)
    assert pr["a"] == pytest.approx(1 / 2.85, abs=1e-9)
    assert pr["b"] == pytest.approx(1.85 / 2.85, abs=1e-9)


def test_outside_adviser_everyone_listens_to_ranks_with_the_ceo() -> None:
    # ceo <- cfo (APPROVER, LOW) <- clerk; adviser z is outside the account, has no role and
    # the three of them listen to z at .6 each.
    # ceo: formal .4 + .6 x 2/2 = 1 -> .30. cfo: role .56 + 0 = .56 -> .224; formal .2 +
    # .6 x 1/2 = .5 -> .15; .374. z: informal 1 (all the listening, strengths 1.8) -> .30,
    # and z is external (no formal): .30, tied with the ceo: ordered by id, "ceo" < "z".
    # clerk: two managers above -> .4/3 x .3 = .04.
    g = decision_graph(
        [cand("ceo"), cand("cfo", B.APPROVER, L.LOW), cand("clerk"), cand("z", external=True)],
        [("cfo", "ceo"), ("clerk", "cfo")],
        [("z", "ceo", 0.6), ("z", "cfo", 0.6), ("z", "clerk", 0.6)],
    )
    ranking = rank_deciders(g)
    assert [d.id for d in ranking] == ["cfo", "ceo", "z", "clerk"]
    assert [d.score for d in ranking] == pytest.approx([0.374, 0.30, 0.30, 0.04])
    # All of the adviser's score is informal influence.
    z = ranking[2]
    assert [p.value for p in z.parts] == [0.0, 0.0, 1.0]
    assert z.explanation == (
        "no declared role; outside the account; one approver and two others listen to them"
    )


def test_power_behind_the_throne_outranks_the_declared_evaluators() -> None:
    # Everybody listens to the ceo's assistant h (.8), and the ceo listens to h too.
    # ceo (no role) <- e1, e2, e3 (EVALUATOR HIGH), h. 5 internal people.
    # e's: role .36 + .2 = .56 -> .224; one manager above: .4 x .5 = .2 -> .06: .284.
    # h: informal 1 -> .30 + .06 = .36. ceo: formal 1 -> .30. Order: h, ceo, e1, e2, e3.
    g = decision_graph(
        [cand("ceo"), cand("h"), *(cand(e, B.EVALUATOR, L.HIGH) for e in ("e1", "e2", "e3"))],
        [("e1", "ceo"), ("e2", "ceo"), ("e3", "ceo"), ("h", "ceo")],
        [("h", x, 0.8) for x in ("ceo", "e1", "e2", "e3")],
    )
    ranking = rank_deciders(g)
    assert [d.id for d in ranking] == ["h", "ceo", "e1", "e2", "e3"]
    assert [d.score for d in ranking] == pytest.approx([0.36, 0.30, 0.284, 0.284, 0.284])


def test_isolated_decision_maker_still_ranks_near_the_top() -> None:
    # A busy account: ceo (APPROVER HIGH) <- vp1 (EVALUATOR) <- 3 staff, ceo <- vp2 <- 2
    # staff; everybody listens to the ceo (.9). dm is marked DECISION_MAKER HIGH but is on no
    # reporting line and nobody is known to listen to her.
    # 9 internal people. ceo: role .56 + .2 = .76 -> .304; formal .4 + .6 x 7/8 = .925 (dm
    # is below nobody) -> .2775; informal 1 -> .3: .8815. dm: role 1 -> .40, nothing else.
    # vp1: EVALUATOR (no level: .36 + .1 = .46) -> .184, formal .2 + .6 x 3/8 = .425 ->
    # .1275: .3115. vp2: formal .2 + .6 x 2/8 = .35 -> .105. Order: ceo, dm, vp1, vp2, then
    # the staff.
    staff = ["s1", "s2", "s3", "t1", "t2"]
    g = decision_graph(
        [
            cand("ceo", B.APPROVER, L.HIGH),
            cand("dm", B.DECISION_MAKER, L.HIGH),
            cand("vp1", B.EVALUATOR),
            cand("vp2"),
            *(cand(s) for s in staff),
        ],
        [
            ("vp1", "ceo"),
            ("vp2", "ceo"),
            ("s1", "vp1"),
            ("s2", "vp1"),
            ("s3", "vp1"),
            ("t1", "vp2"),
            ("t2", "vp2"),
        ],
        [("ceo", x, 0.9) for x in ["vp1", "vp2", *staff]],
    )
    ranking = rank_deciders(g)
    assert [d.id for d in ranking][:4] == ["ceo", "dm", "vp1", "vp2"]
    assert [d.score for d in ranking][:4] == pytest.approx([0.8815, 0.40, 0.3115, 0.105])
    dm = ranking[1]
    assert dm.level is None
    assert dm.explanation == "decides (high influence); not in the known reporting lines"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_only_structure_or_a_role_outranks_an_isolated_decision_maker(data: st.DataObject) -> None:
    # By construction an isolated DECISION_MAKER (HIGH) scores exactly .40. Someone without a
    # declared role can reach at most .30 from formal position or .30 from informal influence
    # alone, so everyone above the decision maker has a declared role or both kinds of
    # structure.
    n = data.draw(st.integers(min_value=2, max_value=14))
    people = [f"p{i:02d}" for i in range(n)]
    roles = [data.draw(st.sampled_from([None, *B])) for _ in people]
    reporting = [(p, people[data.draw(st.integers(0, i - 1))]) for i, p in enumerate(people) if i]
    reporting = [r for r in reporting if data.draw(st.booleans())]
    pairs = st.tuples(st.sampled_from(people), st.sampled_from(people), st.floats(0.05, 1.0))
    influence = [x for x in data.draw(st.lists(pairs, max_size=25)) if x[0] != x[1]]
    g = decision_graph(
        [
            *(cand(p, r) for p, r in zip(people, roles, strict=True)),
            cand("zz-dm", B.DECISION_MAKER, L.HIGH),
        ],
        reporting,
        influence,
    )
    ranking = rank_deciders(g)
    dm = next(d for d in ranking if d.id == "zz-dm")
    assert dm.score == pytest.approx(0.40)
    for d in ranking[: dm.rank - 1]:
        formal, informal = d.parts[1].value, d.parts[2].value
        assert d.candidate.role is not None or (formal > 0 and informal > 0)


def test_structure_alone_ranks_when_no_roles_are_declared() -> None:
    # ceo <- a <- (a1, a2, a3); ceo <- b <- b1. 7 people, no roles, no influence.
    # ceo: formal 1 -> .30; a: .2 + .6 x 3/6 = .5 -> .15; b: .2 + .6 x 1/6 = .3 -> .09;
    # the leaves, two managers above: .4/3 -> .04, tied and ordered by id.
    g = decision_graph(
        [cand(p) for p in ("a1", "b1", "a3", "ceo", "a", "b", "a2")],
        [("a", "ceo"), ("b", "ceo"), ("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b")],
        [],
    )
    ranking = rank_deciders(g)
    assert [d.id for d in ranking] == ["ceo", "a", "b", "a1", "a2", "a3", "b1"]
    assert [d.score for d in ranking] == pytest.approx([0.30, 0.15, 0.09, 0.04, 0.04, 0.04, 0.04])
    assert ranking[0].explanation == (
        "no declared role; top of the reporting line, two direct reports, 6 people below"
    )


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    candidates = [cand(p, B.EVALUATOR) for p in ("e3", "e1", "e2")] + [cand("boss")]
    reporting = [("e1", "boss"), ("e2", "boss"), ("e3", "boss")]
    influence = [("boss", "e1", 0.5), ("boss", "e2", 0.5), ("boss", "e3", 0.5)]
    first = [(d.id, d.score, d.explanation) for d in rank_deciders(
        decision_graph(candidates, reporting, influence)
    )]  # fmt: skip
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(candidates)
        rng.shuffle(reporting)
        rng.shuffle(influence)
        again = [(d.id, d.score, d.explanation) for d in rank_deciders(
            decision_graph(candidates, reporting, influence)
        )]  # fmt: skip
        assert again == first
    assert [x[0] for x in first] == ["boss", "e1", "e2", "e3"]
    assert first[1][1] == first[2][1] == first[3][1]
    # Putting only the first two into words changes nothing about them.
    g = decision_graph(candidates, reporting, influence)
    assert rank_deciders(g, 2) == rank_deciders(g)[:2]


def test_explanation_counts_listeners_by_role() -> None:
    # The example: an approver who reports to the CEO and whom three evaluators
    # listen to.
    g = decision_graph(
        [
            cand("ceo", title="CEO"),
            cand("cfo", B.APPROVER, gender=m.Gender.FEMALE),
            *(cand(e, B.EVALUATOR) for e in ("e1", "e2", "e3")),
        ],
        [("cfo", "ceo")],
        [("cfo", e, 0.5) for e in ("e1", "e2", "e3")],
    )
    cfo = next(d for d in rank_deciders(g) if d.id == "cfo")
    assert cfo.explanation == "approves; reports to CEO (CEO); three evaluators listen to her"


def test_influence_from_or_to_people_outside_the_group_is_ignored() -> None:
    g = decision_graph([cand("a"), cand("b")], [], [("stranger", "a", 1.0), ("a", "b", 0.5)])
    assert list(g.influence.edges) == [("a", "b")]


def test_managers_above_the_account_fix_the_levels() -> None:
    # The account is a head office: its CFO reports to the group CEO, who is not in it.
    g = decision_graph(
        [cand("cfo"), cand("branch")],
        [("cfo", "group-ceo"), ("branch", "cfo")],
        [],
        {"group-ceo": ("何静", "集团首席执行官 CEO")},
    )
    cfo = rank_deciders(g)[0]
    assert cfo.id == "cfo" and cfo.level == 2 and cfo.people_below == 1
    assert (
        cfo.explanation
        == "no declared role; reports to 何静 (集团首席执行官 CEO), one direct report"
    )


# ----- assessment ---------------------------------------------------------------------


def test_assessment_all_in_place() -> None:
    # ceo (DM, supporter, covered .8) <- cfo (APPROVER, neutral, covered .5) <- clerk
    # (covered .3). Every level covered, every decider covered, a supporter decides: yes, yes.
    g = decision_graph(
        [
            cand("ceo", B.DECISION_MAKER, attitude=A.SUPPORTER, covered=0.8),
            cand("cfo", B.APPROVER, attitude=A.NEUTRAL, covered=0.5),
            cand("clerk", covered=0.3),
        ],
        [("cfo", "ceo"), ("clerk", "cfo")],
        [],
    )
    a = assess(g)
    assert a.decision_layer_supports_us and a.relationships_at_every_level
    # The clerk is third by rank, hence in the layer, and only weakly covered.
    assert [(r.kind, r.person_id) for r in a.risks] == [(RiskKind.WEAKLY_COVERED_DECIDER, "clerk")]
    assert a.coverage_answer == (
        "Yes: each of levels 1, 2 and 3 has coverage and every decider is covered."
    )


def test_assessment_opposed_decision_layer() -> None:
    # dm opposes us, approver does not support us, both covered; a supporter exists but is a
    # user low in the ranking (not in the decision layer). TAS 9: no.
    g = decision_graph(
        [
            cand("dm", B.DECISION_MAKER, attitude=A.OPPONENT, covered=0.6),
            cand("ap", B.APPROVER, attitude=A.NON_SUPPORTER, covered=0.6),
            cand("u1", B.USER, attitude=A.SUPPORTER, covered=0.9),
            cand("u2", B.USER),
            cand("u3", B.USER),
            cand("ev", B.EVALUATOR),
        ],
        [("ap", "dm"), ("u1", "ap"), ("u2", "ap"), ("u3", "ap"), ("ev", "dm")],
        [],
    )
    a = assess(g)
    layer = [x.decider.id for x in a.decision_layer]
    assert layer == ["dm", "ap", "ev"]
    assert not a.decision_layer_supports_us
    assert [d.id for d in a.opponents] == ["dm", "ap"]
    assert [(r.kind, r.person_id) for r in a.risks] == [
        (RiskKind.NO_SUPPORTER_IN_DECISION_LAYER, None),
        (RiskKind.OPPOSED_DECIDER, "dm"),
        (RiskKind.OPPOSED_DECIDER, "ap"),
        (RiskKind.UNCOVERED_DECIDER, "ev"),
    ]
    assert a.support_answer == (
        "No: nobody in the decision layer supports us; without a declared attitude or "
        "neutral: EV (evaluator, rank 3). Against us: DM (decision maker, rank 1) and AP "
        "(approver, rank 2) oppose us."
    )


def test_assessment_with_nothing_known() -> None:
    g = decision_graph([cand("a"), cand("b")], [], [])
    a = assess(g)
    assert a.decision_layer == ()
    assert not a.decision_layer_supports_us
    assert a.levels == () and a.unplaced_people == 2
    # No level and no decider is uncovered, but nothing is known either: TAS 10 says yes
    # only about what is known, and TAS 9 says no.
    assert a.relationships_at_every_level
    assert a.support_answer.startswith("No: nobody in the decision layer is known")
