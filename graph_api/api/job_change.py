"""recordJobChange (issue 14.3): a person's move to another employer, one write through
`services.writes` (one transaction, versions, audit, change feed, idempotency keys, the
writes' access rules), answered with its impact."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.context import Info
from graph_api.api.mutations import _write
from graph_api.api.view_types import PageInfo
from graph_api.domain import job_change as jc
from graph_api.domain import model as m
from graph_api.domain import writes as w
from graph_api.domain.errors import InvalidInput
from graph_api.services import write_input as wi
from graph_api.services.job_change import recent_job_changes
from graph_api.services.parties import check_id

EARLIEST = datetime.date(1900, 1, 1)


@strawberry.input(description="A person's move to another employer.")
class RecordJobChangeInput:
    person_id: strawberry.ID = strawberry.field(description="The person who moves.")
    to_organization_id: strawberry.ID = strawberry.field(description="The new employer.")
    title: str | None = strawberry.field(default=None, description="The title at the new job.")
    department: str | None = strawberry.field(
        default=None, description="The department at the new job."
    )
    date: datetime.date = strawberry.field(
        description=(
            "The first day at the new employer: the old job's links end (validTo) and the new "
            "employment begins (validFrom) that day. Not in the future, not before the old "
            "employment began."
        )
    )
    from_organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "The employment that ends; by default the person's primary employment (or their "
            "only one)."
        ),
    )
    reports_to_id: strawberry.ID | None = strawberry.field(
        default=None, description="The manager at the new job (a reporting line from that day)."
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="The old employment's version; a stale one is a CONFLICT naming the current.",
    )


@strawberry.type(description="A buying role the person held and lost with the old job: a risk.")
class LostBuyingRole:
    target: jc.Target = strawberry.field(description="An account or an opportunity.")
    target_id: strawberry.ID = strawberry.field(description="The account's or opportunity's id.")
    target_name: str | None = strawberry.field(description="Its name.")
    account_id: strawberry.ID = strawberry.field(description="The account (of the opportunity).")
    role: m.BuyingRole | None = strawberry.field(
        description="The role the person had (决审研咨用)."
    )
    attitude: m.Attitude | None = strawberry.field(description="Their attitude to us (+ = - X).")
    influence: m.InfluenceLevel | None = strawberry.field(description="Their influence.")
    open_opportunity_ids: list[strawberry.ID] = strawberry.field(
        description="An account's role: the account's open opportunities, now at risk."
    )


@strawberry.type(description="An account or opportunity where a new person must be found.")
class BuyingCentreGap:
    target: jc.Target = strawberry.field(description="An account or an opportunity.")
    target_id: strawberry.ID = strawberry.field(description="Its id.")
    target_name: str | None = strawberry.field(description="Its name.")
    reason: jc.GapReason = strawberry.field(description="What is missing now.")
    role: m.BuyingRole | None = strawberry.field(
        description="NO_ONE_LEFT: the decision role left empty."
    )


@strawberry.type(
    description=(
        "A colleague reached through the old job's reporting line (and no personal link): "
        "the warm introduction through the person is gone."
    )
)
class LostIntroduction:
    person_id: strawberry.ID = strawberry.field(description="The colleague.")
    name: str | None = strawberry.field(description="The colleague's name.")
    relation: jc.WorkRelation = strawberry.field(description="How they were linked.")
    rep_ids: list[strawberry.ID] = strawberry.field(
        description=(
            "Our reps covering the person who do not cover the colleague themselves: they lost "
            "their way in."
        )
    )


@strawberry.type(description="A person of the new employer's group with a buying role there.")
class NewDoorPerson:
    person_id: strawberry.ID = strawberry.field(description="The person.")
    name: str | None = strawberry.field(description="Their name.")
    title: str | None = strawberry.field(description="Their title in the new employer's group.")
    target: jc.Target = strawberry.field(description="Where their role is placed.")
    target_id: strawberry.ID = strawberry.field(description="The account or opportunity.")
    role: m.BuyingRole | None = strawberry.field(description="Their role (决审研咨用).")
    attitude: m.Attitude | None = strawberry.field(description="Their attitude to us.")
    known: bool = strawberry.field(
        description="The moving person already has a personal link with them."
    )


@strawberry.type(description="An open opportunity (not won or lost).")
class OpenOpportunityRef:
    id: strawberry.ID = strawberry.field(description="The opportunity.")
    name: str | None = strawberry.field(description="Its name.")
    account_id: strawberry.ID = strawberry.field(description="Its account.")
    stage: m.OpportunityStage | None = strawberry.field(description="Its funnel stage.")


@strawberry.type(description="One of our reps' coverage of the person (kept by the move).")
class KeptCoverage:
    rep_id: strawberry.ID = strawberry.field(description="Our rep.")
    rep_name: str | None = strawberry.field(description="The rep's name.")
    strength: float | None = strawberry.field(description="0..1 strength of the relationship.")
    kind: str | None = strawberry.field(description="PERSONAL, BUSINESS, SOCIAL, ...")


@strawberry.type(description="What a job change changed for us.")
class JobChangeImpact:
    lost_roles: list[LostBuyingRole] = strawberry.field(
        description="The buying roles the person held in the old employer's group: risks."
    )
    gaps: list[BuyingCentreGap] = strawberry.field(
        description="Where a new person must be found (a decision role or a supporter gone)."
    )
    lost_introductions: list[LostIntroduction] = strawberry.field(
        description="Warm introductions that ran through the old job and no longer exist."
    )
    new_people: list[NewDoorPerson] = strawberry.field(
        description="New doors: the new employer's people with buying roles there."
    )
    new_opportunities: list[OpenOpportunityRef] = strawberry.field(
        description="New doors: the new employer's group's open opportunities."
    )
    coverage: list[KeptCoverage] = strawberry.field(
        description="Our coverage of the person, kept: our way to the new doors."
    )


@strawberry.type(description="A recorded job change and its impact.")
class JobChangeResult:
    person_id: strawberry.ID = strawberry.field(description="The person who moved.")
    from_organization_id: strawberry.ID = strawberry.field(description="The old employer.")
    to_organization_id: strawberry.ID = strawberry.field(description="The new employer.")
    date: datetime.date = strawberry.field(description="The first day at the new employer.")
    title: str | None = strawberry.field(description="The title at the new job.")
    department: str | None = strawberry.field(description="The department at the new job.")
    reports_to_id: strawberry.ID | None = strawberry.field(
        description="The manager at the new job."
    )
    version: int = strawberry.field(description="The new employment's version.")
    closed_reporting_lines: int = strawberry.field(
        description="Reporting lines closed (both ways), kept as history."
    )
    closed_buying_roles: int = strawberry.field(
        description="Buying roles in the old employer's group closed, kept as history."
    )
    impact: JobChangeImpact = strawberry.field(description="What the move changed for us.")

    @classmethod
    def from_domain(cls, r: jc.JobChangeRecord) -> JobChangeResult:
        i = r.impact
        return cls(
            person_id=strawberry.ID(r.person_id),
            from_organization_id=strawberry.ID(r.from_organization_id),
            to_organization_id=strawberry.ID(r.to_organization_id),
            date=r.date,
            title=r.title,
            department=r.department,
            reports_to_id=strawberry.ID(r.reports_to_id) if r.reports_to_id else None,
            version=r.version,
            closed_reporting_lines=r.closed_reporting,
            closed_buying_roles=r.closed_roles,
            impact=JobChangeImpact(
                lost_roles=[
                    LostBuyingRole(
                        target=x.target,
                        target_id=strawberry.ID(x.target_id),
                        target_name=x.target_name,
                        account_id=strawberry.ID(x.account_id),
                        role=x.role,
                        attitude=x.attitude,
                        influence=x.influence,
                        open_opportunity_ids=[strawberry.ID(o) for o in x.open_opportunity_ids],
                    )
                    for x in i.lost_roles
                ],
                gaps=[
                    BuyingCentreGap(
                        target=g.target,
                        target_id=strawberry.ID(g.target_id),
                        target_name=g.target_name,
                        reason=g.reason,
                        role=g.role,
                    )
                    for g in i.gaps
                ],
                lost_introductions=[
                    LostIntroduction(
                        person_id=strawberry.ID(x.person_id),
                        name=x.name,
                        relation=x.relation,
                        rep_ids=[strawberry.ID(rep) for rep in x.reps],
                    )
                    for x in i.lost_introductions
                ],
                new_people=[
                    NewDoorPerson(
                        person_id=strawberry.ID(p.id),
                        name=p.name,
                        title=p.title,
                        target=p.target,
                        target_id=strawberry.ID(p.target_id),
                        role=p.role,
                        attitude=p.attitude,
                        known=p.known,
                    )
                    for p in i.new_people
                ],
                new_opportunities=[
                    OpenOpportunityRef(
                        id=strawberry.ID(o.id),
                        name=o.name,
                        account_id=strawberry.ID(o.account_id),
                        stage=o.stage,
                    )
                    for o in i.new_opportunities
                ],
                coverage=[
                    KeptCoverage(
                        rep_id=strawberry.ID(c.rep_id),
                        rep_name=c.rep_name,
                        strength=c.strength,
                        kind=c.kind,
                    )
                    for c in i.coverage
                ],
            ),
        )


def job_change(given: RecordJobChangeInput, path: str = "input") -> w.Change:
    """The checked change of a recordJobChange input (INVALID_INPUT naming the field)."""
    values: dict[str, Any] = {
        "personId": check_id(f"{path}.personId", str(given.person_id)),
        "toOrganizationId": check_id(f"{path}.toOrganizationId", str(given.to_organization_id)),
    }
    for name, value in (
        ("fromOrganizationId", given.from_organization_id),
        ("reportsToId", given.reports_to_id),
    ):
        if value is not None:
            values[name] = check_id(f"{path}.{name}", str(value))
    if given.date < EARLIEST:
        raise InvalidInput(
            f"{path}.date must be {EARLIEST} or later", field=f"{path}.date", value=str(given.date)
        )
    values["date"] = given.date
    # The new job's title and department, checked by the employment's own rules.
    job = {"personId": values["personId"], "organizationId": values["toOrganizationId"]}
    job.update({k: v for k, v in (("title", given.title), ("department", given.department)) if v})
    checked = wi.set_link(w.EntityKind.EMPLOYMENT, job, None, path).values
    for name in ("title", "department"):
        if checked.get(name) is not None:
            values[name] = checked[name]
    if given.expected_version is not None and given.expected_version < 1:
        raise InvalidInput(
            f"{path}.expectedVersion must be 1 or more, got {given.expected_version}",
            field=f"{path}.expectedVersion",
            value=given.expected_version,
        )
    return w.Change(
        w.EntityKind.EMPLOYMENT,
        w.ChangeAction.JOB_CHANGE,
        values,
        expected_version=given.expected_version,
        path=path,
    )


@strawberry.type
class JobChangeMutation:
    @strawberry.mutation(
        description=(
            "Records a person's move to another employer, in one transaction: the old "
            "employment, the person's reporting lines (both ways) and their buying roles in "
            "the old employer's group (the organization, its parents and units, their "
            "opportunities) end on `date` (kept as history), the new employment begins that "
            "day; personal links (family, acquaintance, influence) and our coverage stay. "
            "Answers the impact: lost roles (risks), gaps, lost introductions and new doors. "
            "A rep or manager records the moves of people they see, when every reporting line "
            "closed is with people they see."
        )
    )
    async def record_job_change(
        self,
        info: Info,
        input: Annotated[RecordJobChangeInput, strawberry.argument(description="The move.")],
    ) -> JobChangeResult:
        (result,) = await _write(info, "recordJobChange", [job_change(input)])
        assert isinstance(result, jc.JobChangeRecord)
        return JobChangeResult.from_domain(result)


@strawberry.type(description="A person's move from one employer to another, found in the history.")
class JobChangeEvent:
    person_id: strawberry.ID = strawberry.field(description="The person who moved.")
    person_name: str | None = strawberry.field(description="Their name.")
    from_organization_id: strawberry.ID = strawberry.field(description="The old employer.")
    from_organization_name: str | None = strawberry.field(description="Its name.")
    to_organization_id: strawberry.ID = strawberry.field(description="The new employer.")
    to_organization_name: str | None = strawberry.field(description="Its name.")
    date: datetime.date = strawberry.field(description="The first day at the new employer.")
    title: str | None = strawberry.field(description="The title at the new employer.")
    previous_title: str | None = strawberry.field(description="The title at the old employer.")


@strawberry.type(description="A job change in a page, with its cursor.")
class JobChangeEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: JobChangeEvent = strawberry.field(description="The item.")


@strawberry.type(description="Job changes, newest first (ties by person, then new employer).")
class JobChangeConnection:
    edges: list[JobChangeEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")


@strawberry.type
class JobChangesQuery:
    @strawberry.field(
        description=(
            "Recent job changes affecting a rep's accounts (the accounts of the teams they "
            "are a member or the manager of) or one account team's: the old or the new "
            "employer is one of those accounts or a unit below one. Newest first. Exactly one "
            "of repId and teamId; a rep asks about themselves only (FORBIDDEN otherwise), "
            "managers and admins about any rep or team; people outside the viewer's scope "
            "are left out."
        )
    )
    async def job_changes(
        self,
        info: Info,
        rep_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The rep whose accounts.")
        ] = None,
        team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The account team.")
        ] = None,
        since: Annotated[
            datetime.date | None,
            strawberry.argument(description="From this day on (default: a year ago)."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> JobChangeConnection:
        ctx = info.context
        page = await recent_job_changes(
            await ctx.reader(),
            ctx.settings,
            check_id("repId", str(rep_id)) if rep_id is not None else None,
            check_id("teamId", str(team_id)) if team_id is not None else None,
            since,
            first,
            after,
        )
        return JobChangeConnection(
            edges=[
                JobChangeEdge(
                    cursor=e.cursor,
                    node=JobChangeEvent(
                        person_id=strawberry.ID(c.person_id),
                        person_name=c.person_name,
                        from_organization_id=strawberry.ID(c.from_organization_id),
                        from_organization_name=c.from_organization_name,
                        to_organization_id=strawberry.ID(c.to_organization_id),
                        to_organization_name=c.to_organization_name,
                        date=c.date,
                        title=c.title,
                        previous_title=c.previous_title,
                    ),
                )
                for e in page.edges
                for c in [e.node]
            ],
            page_info=PageInfo.from_page(page),
        )
