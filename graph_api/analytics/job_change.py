"""The impact of a job change (issue 14.3), derived from what the person held and reached
before the move: pure, on the plain data of `domain.job_change.JobChangeContext`.

- Lost roles: every buying role the person held in the old employer's group (with its role,
  attitude and influence), an account's role with that account's open opportunities.
- Gaps: a target where the person held a decision role (决 or 审) that no one else holds
  there now, or where the person was a supporter and no one else there is.
- Lost introductions: colleagues on the other end of one of the person's reporting lines
  whom the person has no personal link with (those links survive the move), with the reps
  covering the person who do not cover the colleague themselves.
- New doors: the new group's people with a buying role, its open opportunities, and our
  coverage of the person (kept), as read.
"""

from __future__ import annotations

from graph_api.domain import model as m
from graph_api.domain.job_change import (
    DECISION_ROLES,
    Gap,
    GapReason,
    JobChangeContext,
    JobChangeImpact,
    LostIntroduction,
    LostRole,
    RoleHeld,
    Target,
)

_ROLE_ORDER = {r: i for i, r in enumerate(m.BuyingRole)}


def _role_rank(role: m.BuyingRole | None) -> int:
    return _ROLE_ORDER.get(role, len(_ROLE_ORDER)) if role is not None else len(_ROLE_ORDER)


def job_change_impact(ctx: JobChangeContext) -> JobChangeImpact:
    """The impact of `ctx.person_id` leaving the job `ctx` was read for."""
    own = [r for r in ctx.roles if r.person_id == ctx.person_id]
    others: dict[tuple[Target, str], list[RoleHeld]] = {}
    for r in ctx.roles:
        if r.person_id != ctx.person_id:
            others.setdefault((r.target, r.target_id), []).append(r)
    open_by_account: dict[str, list[str]] = {}
    for o in ctx.open_opportunities:
        open_by_account.setdefault(o.account_id, []).append(o.id)

    own.sort(key=lambda r: (r.target.value, _role_rank(r.role), r.target_id))
    lost = tuple(
        LostRole(
            r.target,
            r.target_id,
            r.target_name,
            r.account_id,
            r.role,
            r.attitude,
            r.influence,
            tuple(sorted(open_by_account.get(r.target_id, ())))
            if r.target is Target.ACCOUNT
            else (),
        )
        for r in own
    )

    gaps: list[Gap] = []
    for r in own:
        rest = others.get((r.target, r.target_id), [])
        if r.role in DECISION_ROLES and not any(o.role == r.role for o in rest):
            gaps.append(Gap(r.target, r.target_id, r.target_name, GapReason.NO_ONE_LEFT, r.role))
        if r.attitude is m.Attitude.SUPPORTER and not any(
            o.attitude is m.Attitude.SUPPORTER for o in rest
        ):
            gaps.append(Gap(r.target, r.target_id, r.target_name, GapReason.NO_SUPPORTER_LEFT))

    ours = {c.rep_id for c in ctx.coverage}
    introductions = tuple(
        LostIntroduction(c.id, c.name, c.relation, tuple(sorted(ours - set(c.reps))))
        for c in sorted(ctx.colleagues, key=lambda c: (c.relation.value, c.id))
        if not c.personal
    )
    new_people = tuple(
        sorted(
            ctx.insiders,
            key=lambda p: (_role_rank(p.role), p.target.value, p.target_id, p.id),
        )
    )
    return JobChangeImpact(
        lost_roles=lost,
        gaps=tuple(gaps),
        lost_introductions=introductions,
        new_people=new_people,
        new_opportunities=tuple(sorted(ctx.new_opportunities, key=lambda o: o.id)),
        coverage=tuple(sorted(ctx.coverage, key=lambda c: c.rep_id)),
    )
