"""The TAS scorecard and the funnel's exit criteria on hand-made facts (no database).

Each case states the facts and the answer the rules of docs/ANALYTICS.md give for them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph_api.analytics import funnel as fa
from graph_api.analytics import tas as ta
from graph_api.domain import model as m
from graph_api.domain import tas as t

DM, AP, EV, US_ = (
    m.BuyingRole.DECISION_MAKER,
    m.BuyingRole.APPROVER,
    m.BuyingRole.EVALUATOR,
    m.BuyingRole.USER,
)
SUP, NEU, OPP = m.Attitude.SUPPORTER, m.Attitude.NEUTRAL, m.Attitude.OPPONENT
AS_OF = date(2026, 12, 1)
RIVAL = t.Competitor("c1", "YY银行")


def facts(**kw: object) -> t.OpportunityFacts:
    base: dict[str, object] = dict(
        id="o1",
        name="deal",
        stage=m.OpportunityStage.CONTACTED,
        amount=1000.0,
        close_date=date(2027, 1, 1),
        account_id="a1",
        account_name="客户",
        account_tier=None,
        annual_purchase=None,
        share_of_wallet=None,
        strategy=None,
        strategy_rationale=None,
        competitors=(),
        holds=(),
        answers=(),
    )
    base.update(kw)
    return t.OpportunityFacts(**base)  # type: ignore[arg-type]


def recorded(q: int, answer: str, day: date, id_: str = "") -> t.RecordedAnswer:
    at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    return t.RecordedAnswer(id_ or f"r{q}-{day}", "o1", q, t.TasAnswer(answer), "rep", at)


YES_NO = ta.DecisionAnswers(True, False, "someone supports", "level 2 is bare")


def card(o: t.OpportunityFacts, members: list[ta.Member], stale: int = 90) -> t.Scorecard:
    return ta.scorecard(o, members, YES_NO, AS_OF, stale)


def answer_of(s: t.Scorecard, n: int) -> tuple[str, str]:
    a = next(a for h in s.headings for a in h.answers if a.question.number == n)
    return a.answer.value, a.source.value


def test_q3_management_endorsement() -> None:
    # Nobody marked 决 or 审: unknown.
    assert answer_of(card(facts(), []), 3) == ("UNKNOWN", "GRAPH")
    # 决 neutral, 审 supporter, nobody against: YES.
    members = [ta.Member("p1", "王", DM, NEU, None), ta.Member("p2", "李", AP, SUP, 0.9)]
    assert answer_of(card(facts(), members), 3) == ("YES", "GRAPH")
    # An approver opposing: NO, whatever the decision maker thinks.
    members = [ta.Member("p1", "王", DM, SUP, None), ta.Member("p2", "李", AP, OPP, 0.9)]
    assert answer_of(card(facts(), members), 3) == ("NO", "GRAPH")
    # Only neutral management: the graph does not know; a fresh team answer then counts.
    members = [ta.Member("p1", "王", DM, NEU, None)]
    assert answer_of(card(facts(), members), 3) == ("UNKNOWN", "GRAPH")
    o = facts(answers=(recorded(3, "YES", date(2026, 11, 1)),))
    assert answer_of(card(o, members), 3) == ("YES", "TEAM")


def test_q4_q6_q13_from_the_graph() -> None:
    # Close date passed while open: NO; none: UNKNOWN.
    assert answer_of(card(facts(close_date=date(2026, 11, 30)), []), 4) == ("NO", "GRAPH")
    assert answer_of(card(facts(close_date=None), []), 4) == ("UNKNOWN", "GRAPH")
    # Early stage without competitors: unknown; with one recorded: the customer compares.
    assert answer_of(card(facts(), []), 6) == ("UNKNOWN", "GRAPH")
    o = facts(competitors=((RIVAL, True, None),))
    assert answer_of(card(o, []), 6) == ("YES", "GRAPH")
    assert answer_of(card(facts(stage=m.OpportunityStage.LOST), []), 6) == ("NO", "GRAPH")
    # Q13: BP 1.5M is column 1 (RAD D1): YES; non-strategic with BP 200K (column 3): NO;
    # mid strategic with BP 700K: the graph cannot tell.
    assert answer_of(card(facts(annual_purchase=1.5e6, share_of_wallet=0.3), []), 13)[0] == "YES"
    o = facts(account_tier=m.Tier.NON_STRATEGIC, annual_purchase=2e5, share_of_wallet=0.05)
    assert answer_of(card(o, []), 13) == ("NO", "GRAPH")
    o = facts(account_tier=m.Tier.MID_STRATEGIC, annual_purchase=7e5, share_of_wallet=0.05)
    assert answer_of(card(o, []), 13) == ("UNKNOWN", "GRAPH")


def test_team_answers_latest_fresh_and_stale() -> None:
    answers = (
        recorded(1, "NO", date(2026, 10, 1)),
        recorded(1, "YES", date(2026, 11, 1)),  # the latest counts
        recorded(2, "YES", date(2026, 9, 1)),  # 91 days before asOf: stale at 90
        recorded(5, "YES", date(2026, 12, 2)),  # after asOf: did not exist yet
    )
    s = card(facts(answers=answers), [])
    assert answer_of(s, 1) == ("YES", "TEAM")
    assert answer_of(s, 2) == ("UNKNOWN", "TEAM")
    assert answer_of(s, 5) == ("UNKNOWN", "NONE")
    # At 91 days the September answer still counts.
    assert answer_of(card(facts(answers=answers), [], stale=91), 2) == ("YES", "TEAM")


def test_verdicts_and_gaps() -> None:
    members = [ta.Member("p1", "王志强", DM, NEU, None)]
    answers = tuple(recorded(q, "YES", date(2026, 11, 1)) for q in (1, 2, 3))
    s = card(facts(answers=answers), members)
    verdicts = {h.heading.value: h.verdict.value for h in s.headings}
    # REAL: 1, 2 YES (team), 3 YES (team: graph unknown with only a neutral 决), 4 YES.
    # WINNABLE: Q10 NO (YES_NO) -> NO. The others hold unknowns.
    assert verdicts == {
        "REAL": "YES",
        "COMPETITIVE": "UNKNOWN",
        "WINNABLE": "NO",
        "WORTH": "UNKNOWN",
    }
    gaps = {g.question: g for g in s.gaps}
    assert gaps[5].message == "Nobody has confirmed the selection criteria with 决 王志强."
    assert gaps[5].person_ids == ("p1",)
    assert 1 not in gaps and 4 not in gaps
    # Q12 asks nobody in particular.
    assert gaps[12].message == "Nobody has confirmed the short-term margin."


def test_who_is_closer() -> None:
    members = [
        ta.Member("a", "甲", DM, NEU, None),  # only the rival: COMPETITOR, held
        ta.Member("b", "乙", AP, SUP, 0.5),  # 0.5 vs 0.5: TIE
        ta.Member("c", "丙", EV, NEU, 0.7),  # we alone: US
        ta.Member("d", "丁", US_, NEU, None),  # nobody: NOBODY
        ta.Member("e", "戊", None, None, 0.9),  # no role: not listed
    ]
    holds = (
        t.CompetitorHold(RIVAL, "a", 0.4, champion=True),
        t.CompetitorHold(RIVAL, "b", 0.5),
    )
    s = card(facts(competitors=((RIVAL, True, None),), holds=holds), members)
    assert [(d.person_id, d.closer.value) for d in s.deciders] == [
        ("a", "COMPETITOR"),
        ("b", "TIE"),
        ("c", "US"),
        ("d", "NOBODY"),
    ]
    assert s.lost_to_competitors == ("a",)
    assert [h.person_id for h in s.competitors[0].holds] == ["a"]
    assert "YY银行 holds 决 甲 (0.40, their champion); nobody on our team covers them." in [
        g.message for g in s.gaps
    ]


def row(stage: m.OpportunityStage, **kw: object) -> fa.OpportunityRow:
    base: dict[str, object] = dict(
        id="o1",
        name="deal",
        account_id="a1",
        account_name="客户",
        stage=stage,
        amount=1000.0,
        close_date=date(2027, 1, 1),
        owner=None,
        opportunity_markers=(),
        account_markers=(),
        interaction_kinds=(),
        answers=(),
        competitors=(),
    )
    base.update(kw)
    return fa.OpportunityRow(**base)  # type: ignore[arg-type]


def statuses(r: fa.OpportunityRow) -> list[tuple[str, str]]:
    return [(c.code, c.status.value) for c in fa.criteria(r, AS_OF, 90)]


def test_qualified_without_a_decider_fails_its_criterion() -> None:
    # No 决 anywhere, an approver supporting, no meeting recorded.
    r = row(m.OpportunityStage.QUALIFIED, opportunity_markers=[("p2", "APPROVER", "SUPPORTER")])
    assert statuses(r) == [("Q1", "NOT_MET"), ("Q2", "UNKNOWN"), ("Q3", "MET")]
    # A 决 marked on the account counts (the ranking's fallback); a visit: reviewed.
    r = row(
        m.OpportunityStage.QUALIFIED,
        account_markers=[("p1", "DECISION_MAKER", None), ("p2", "APPROVER", "OPPONENT")],
        opportunity_markers=[("p2", "APPROVER", "SUPPORTER")],  # overrides the account's
        interaction_kinds=["VISIT"],
    )
    assert statuses(r) == [("Q1", "MET"), ("Q2", "MET"), ("Q3", "MET")]


def test_identified_contacted_developed_committed() -> None:
    r = row(m.OpportunityStage.IDENTIFIED, opportunity_markers=[("p1", "DECISION_MAKER", None)])
    # Influencer and user missing; a call is no meeting; Q1 not answered.
    assert statuses(r) == [("I1", "NOT_MET"), ("I2", "NOT_MET"), ("I3", "UNKNOWN")]
    at = datetime(2026, 11, 20, tzinfo=UTC)
    r = row(
        m.OpportunityStage.CONTACTED,
        answers=[(1, "YES", at), (7, "NO", at)],
        close_date=date(2026, 11, 1),
    )
    assert statuses(r) == [("C1", "MET"), ("C2", "NOT_MET"), ("C3", "UNKNOWN"), ("C4", "NOT_MET")]
    r = row(
        m.OpportunityStage.DEVELOPED,
        opportunity_markers=[("p1", "DECISION_MAKER", "SUPPORTER")],
        answers=[(2, "YES", at), (7, "YES", at)],
        competitors=[("c1", True)],
    )
    assert statuses(r) == [("D1", "MET"), ("D2", "MET"), ("D3", "NOT_MET")]
    assert statuses(row(m.OpportunityStage.COMMITTED)) == [("K1", "UNKNOWN")]


def test_funnel_weights_by_stage() -> None:
    rows = [
        row(m.OpportunityStage.IDENTIFIED, id="a", amount=100.0),  # 10
        row(m.OpportunityStage.QUALIFIED, id="b", amount=200.0),  # 100
        row(m.OpportunityStage.QUALIFIED, id="c", amount=None),  # counted, no value
        row(m.OpportunityStage.COMMITTED, id="d", amount=1000.0),  # 900
        row(m.OpportunityStage.WON, id="e", amount=5000.0),  # not open
    ]
    f = fa.funnel(rows, AS_OF, 90)
    assert [(s.stage.value, s.count, s.amount, s.weighted_amount) for s in f.stages] == [
        ("IDENTIFIED", 1, 100.0, 10.0),
        ("CONTACTED", 0, 0.0, 0.0),
        ("QUALIFIED", 2, 200.0, 100.0),
        ("DEVELOPED", 0, 0.0, 0.0),
        ("COMMITTED", 1, 1000.0, 900.0),
    ]
    assert (f.open_count, f.open_amount, f.weighted_amount) == (4, 1300.0, 1010.0)
