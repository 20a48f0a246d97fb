"""The impact of a job change (analytics/job_change.py) on a hand-made context.

P leaves their job. In the old group, on account A: P is 决 DECISION_MAKER and a supporter,
Q is 审 APPROVER and a supporter. On opportunity O1 (A's): P is 审 APPROVER, neutral; R is
also APPROVER (opponent). On opportunity O2 (A's): P is 研 EVALUATOR and a supporter; S is
DECISION_MAKER, neutral. O1 and O2 are open.
P reported to M (no personal link); D1 and D2 reported to P; P and D1 are also
acquaintances; rep-1 covers D2. rep-1 and rep-2 cover P.
At the new employer: N1 is APPROVER on account B, N2 DECISION_MAKER on B (P knows N2);
opportunity OB is open at B.

Derived by hand:
- lost roles: A (DECISION_MAKER, SUPPORTER, HIGH; its open opportunities O1, O2), then the
  opportunities by role: O1 (APPROVER), O2 (EVALUATOR).
- gaps: A has no other DECISION_MAKER (Q approves): NO_ONE_LEFT DECISION_MAKER; Q still
  supports, so no supporter gap on A. O1 keeps an approver (R) and P was neutral: no gap.
  O2: P was the only supporter (S is neutral): NO_SUPPORTER_LEFT; EVALUATOR is not a
  decision role.
- lost introductions: D2 (direct report; rep-1 covers D2 itself, so only rep-2 lost the way
  in), M (manager; rep-1 and rep-2). D1 is kept (acquaintance).
- new doors: N2 (DECISION_MAKER, known) before N1 (APPROVER); OB; coverage rep-1, rep-2.
"""

from __future__ import annotations

from graph_api.analytics.job_change import job_change_impact
from graph_api.domain import job_change as jc
from graph_api.domain.model import Attitude as At
from graph_api.domain.model import BuyingRole as R
from graph_api.domain.model import InfluenceLevel as Inf
from graph_api.domain.model import OpportunityStage as St

ACC, OPP = jc.Target.ACCOUNT, jc.Target.OPPORTUNITY


def role(person: str, target: jc.Target, tid: str, r: R, a: At) -> jc.RoleHeld:
    return jc.RoleHeld(person, target, tid, tid.upper(), "A", r, a, Inf.HIGH)


CONTEXT = jc.JobChangeContext(
    person_id="P",
    roles=(
        role("P", ACC, "A", R.DECISION_MAKER, At.SUPPORTER),
        role("Q", ACC, "A", R.APPROVER, At.SUPPORTER),
        role("P", OPP, "O2", R.EVALUATOR, At.SUPPORTER),
        role("S", OPP, "O2", R.DECISION_MAKER, At.NEUTRAL),
        role("P", OPP, "O1", R.APPROVER, At.NEUTRAL),
        role("R", OPP, "O1", R.APPROVER, At.OPPONENT),
    ),
    open_opportunities=(
        jc.OpenOpportunity("O2", "o2", "A", St.QUALIFIED),
        jc.OpenOpportunity("O1", "o1", "A", St.CONTACTED),
    ),
    colleagues=(
        jc.Colleague("M", "m", jc.WorkRelation.MANAGER, personal=False),
        jc.Colleague("D1", "d1", jc.WorkRelation.DIRECT_REPORT, personal=True),
        jc.Colleague("D2", "d2", jc.WorkRelation.DIRECT_REPORT, personal=False, reps=("rep-1",)),
    ),
    coverage=(
        jc.CoverageOf("rep-2", "Two", 0.4, "BUSINESS"),
        jc.CoverageOf("rep-1", "One", 0.8, "PERSONAL"),
    ),
    insiders=(
        jc.Insider("N1", "n1", "CFO", ACC, "B", R.APPROVER, At.NEUTRAL, known=False),
        jc.Insider("N2", "n2", "CEO", ACC, "B", R.DECISION_MAKER, None, known=True),
    ),
    new_opportunities=(jc.OpenOpportunity("OB", "ob", "B", St.IDENTIFIED),),
)


def test_the_impact_derived_by_hand() -> None:
    impact = job_change_impact(CONTEXT)
    assert [
        (x.target_id, x.role, x.attitude, x.open_opportunity_ids) for x in impact.lost_roles
    ] == [
        ("A", R.DECISION_MAKER, At.SUPPORTER, ("O1", "O2")),
        ("O1", R.APPROVER, At.NEUTRAL, ()),
        ("O2", R.EVALUATOR, At.SUPPORTER, ()),
    ]
    assert [(g.target_id, g.reason, g.role) for g in impact.gaps] == [
        ("A", jc.GapReason.NO_ONE_LEFT, R.DECISION_MAKER),
        ("O2", jc.GapReason.NO_SUPPORTER_LEFT, None),
    ]
    assert [(x.person_id, x.relation, x.reps) for x in impact.lost_introductions] == [
        ("D2", jc.WorkRelation.DIRECT_REPORT, ("rep-2",)),
        ("M", jc.WorkRelation.MANAGER, ("rep-1", "rep-2")),
    ]
    assert [(p.id, p.known) for p in impact.new_people] == [("N2", True), ("N1", False)]
    assert [o.id for o in impact.new_opportunities] == ["OB"]
    assert [c.rep_id for c in impact.coverage] == ["rep-1", "rep-2"]


def test_nothing_held_nothing_lost() -> None:
    empty = jc.JobChangeContext("P", (), (), (), (), (), ())
    impact = job_change_impact(empty)
    assert impact == jc.JobChangeImpact((), (), (), (), (), ())


def test_a_role_shared_with_another_supporter_leaves_no_gap() -> None:
    ctx = jc.JobChangeContext(
        "P",
        (
            role("P", ACC, "A", R.APPROVER, At.SUPPORTER),
            role("Q", ACC, "A", R.APPROVER, At.SUPPORTER),
        ),
        (),
        (),
        (),
        (),
        (),
    )
    impact = job_change_impact(ctx)
    assert [x.target_id for x in impact.lost_roles] == ["A"]
    assert impact.gaps == ()
