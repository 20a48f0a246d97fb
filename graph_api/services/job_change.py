"""recordJobChange (issue 14.3): a person moves to another employer, in ONE write transaction
(services/writes.py: versions, audit, change feed, idempotency, the writes' access rules).

First the one bounded read (cypher/job_change.cypher `context`, under the viewer's scope),
then the checks (nothing is written when one fails), the impact (analytics/job_change.py,
from what was read before anything changed), and the writes, each an ordinary link change
of the transaction: the old employment, the person's reporting lines (both ways) and buying
roles in the old employer's group are closed on the day (WAS_ links keep their periods);
the new employment (and reporting line) begins that day. Personal links (family,
acquaintance, influence) and our reps' coverage are not touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from graph_api.analytics.job_change import job_change_impact
from graph_api.domain import job_change as jc
from graph_api.domain import model as m
from graph_api.domain.errors import Forbidden, InvalidInput, NotFound
from graph_api.domain.writes import Change, ChangeAction, EntityKind, LinkRecord
from graph_api.store.mapping import to_date, to_enum

if TYPE_CHECKING:
    from graph_api.services.writes import _Writer


def _opportunity(o: Mapping[str, Any]) -> jc.OpenOpportunity:
    return jc.OpenOpportunity(
        o["id"], o["name"], o["accountId"], to_enum(m.OpportunityStage, o["stage"])
    )


def context_from_row(person_id: str, row: Mapping[str, Any]) -> jc.JobChangeContext:
    """The analytic's input from the `context` record."""
    return jc.JobChangeContext(
        person_id=person_id,
        roles=tuple(
            jc.RoleHeld(
                r["personId"],
                jc.Target(r["target"]),
                r["targetId"],
                r["targetName"],
                r["accountId"],
                to_enum(m.BuyingRole, r["role"]),
                to_enum(m.Attitude, r["attitude"]),
                to_enum(m.InfluenceLevel, r["influence"]),
            )
            for r in row["roles"] or ()
        ),
        open_opportunities=tuple(_opportunity(o) for o in row["opens"] or ()),
        colleagues=tuple(
            jc.Colleague(
                c["id"],
                c["name"],
                jc.WorkRelation(c["relation"]),
                bool(c["personal"]),
                tuple(sorted(c["reps"] or ())),
            )
            for c in row["lines"]
            if c["visible"]
        ),
        coverage=tuple(
            jc.CoverageOf(c["repId"], c["repName"], c["strength"], c["kind"])
            for c in row["coverage"]
        ),
        insiders=tuple(
            jc.Insider(
                i["id"],
                i["name"],
                i["title"],
                jc.Target(i["target"]),
                i["targetId"],
                to_enum(m.BuyingRole, i["role"]),
                to_enum(m.Attitude, i["attitude"]),
                bool(i["known"]),
            )
            for i in row["insiders"]
        ),
        new_opportunities=tuple(_opportunity(o) for o in row["news"]),
    )


def _old_job(change: Change, row: Mapping[str, Any]) -> Mapping[str, Any]:
    """The employment that ends, or INVALID_INPUT saying why there is none."""
    person_id = change.values["personId"]
    given = change.values.get("fromOrganizationId")
    jobs = row["jobs"] or []
    if row["job"] is not None:
        return dict(row["job"])
    if given is not None:
        raise InvalidInput(
            f"{change.at('fromOrganizationId')}: {person_id!r} does not work at {given!r}",
            field=change.at("fromOrganizationId"),
            value=given,
            details={"reason": "NO_SUCH_EMPLOYMENT"},
        )
    if not jobs:
        raise InvalidInput(
            f"{change.at('personId')}: {person_id!r} has no current employment to leave",
            field=change.at("personId"),
            value=person_id,
            details={"reason": "NO_CURRENT_EMPLOYMENT"},
        )
    raise InvalidInput(
        f"{change.at('fromOrganizationId')}: {person_id!r} works at "
        f"{', '.join(sorted(j['organizationId'] for j in jobs))} and none is primary: "
        "name the employment that ends",
        field=change.at("fromOrganizationId"),
        value=None,
        details={"reason": "AMBIGUOUS_EMPLOYMENT"},
    )


def _not_before(change: Change, day: date, began: Any, what: str) -> None:
    start = to_date(began)
    if start is not None and day < start:
        raise InvalidInput(
            f"{change.at('date')}: the job change ({day}) cannot come before {what} "
            f"began ({start})",
            field=change.at("date"),
            value=day.isoformat(),
            details={"reason": "OVERLAPPING_PERIOD"},
        )


async def apply(writer: _Writer, change: Change) -> jc.JobChangeRecord:
    """Checks, derives the impact, writes; raises before writing anything when a check fails."""
    values = change.values
    person_id: str = values["personId"]
    to_id: str = values["toOrganizationId"]
    reports_to: str | None = values.get("reportsToId")
    day: date = values["date"]
    row = await writer.tx.run_one(
        "job_change.context",
        {
            "personId": person_id,
            "fromOrganizationId": values.get("fromOrganizationId"),
            "toOrganizationId": to_id,
            "reportsToId": reports_to,
        },
    )
    assert row is not None
    if not row["found"]:
        raise NotFound(
            f"{change.at('personId')}: no person with id {person_id!r}",
            field=change.at("personId"),
            value=person_id,
        )
    if not row["toFound"]:
        raise NotFound(
            f"{change.at('toOrganizationId')}: no organization with id {to_id!r}",
            field=change.at("toOrganizationId"),
            value=to_id,
        )
    if reports_to is not None and not row["reportsToFound"]:
        raise NotFound(
            f"{change.at('reportsToId')}: no person with id {reports_to!r}",
            field=change.at("reportsToId"),
            value=reports_to,
        )
    if reports_to == person_id:
        raise InvalidInput(
            f"{change.at('reportsToId')}: a person cannot report to themselves",
            field=change.at("reportsToId"),
            value=reports_to,
            details={"reason": "SELF_LINK"},
        )
    job = _old_job(change, row)
    from_id: str = job["organizationId"]
    if from_id == to_id:
        raise InvalidInput(
            f"{change.at('toOrganizationId')}: {person_id!r} already works at {to_id!r}; "
            "a new title there is setEmployment",
            field=change.at("toOrganizationId"),
            value=to_id,
            details={"reason": "SAME_ORGANIZATION"},
        )
    if any(j["organizationId"] == to_id for j in row["jobs"]):
        raise InvalidInput(
            f"{change.at('toOrganizationId')}: {person_id!r} already has a current "
            f"employment at {to_id!r}",
            field=change.at("toOrganizationId"),
            value=to_id,
            details={"reason": "ALREADY_EMPLOYED"},
        )
    if day > writer.today:
        raise InvalidInput(
            f"{change.at('date')}: a job change is recorded once it happened ({day} is after "
            f"today, {writer.today})",
            field=change.at("date"),
            value=day.isoformat(),
            details={"reason": "FUTURE_DATE"},
        )
    _not_before(change, day, job["validFrom"] or job["since"], f"the employment at {from_id!r}")
    lines = list(row["lines"])
    if any(not c["visible"] for c in lines):
        raise Forbidden(
            f"{writer.viewer.subject} may not record the job change of {person_id!r}: it "
            "closes reporting lines with people outside their scope; a manager or an admin "
            "records it",
            field=change.at("personId"),
            value=person_id,
        )
    own_roles = [r for r in row["roles"] if r["personId"] == person_id]
    for c in lines:
        _not_before(change, day, c["validFrom"], f"the reporting line with {c['id']!r}")
    for r in own_roles:
        _not_before(change, day, r["validFrom"], f"the buying role on {r['targetId']!r}")

    impact = job_change_impact(context_from_row(person_id, row))

    async def link(kind: EntityKind, action: ChangeAction, vals: Mapping[str, Any]) -> Any:
        return await writer._link(
            Change(
                kind,
                action,
                vals,
                expected_version=change.expected_version
                if kind is EntityKind.EMPLOYMENT and action is ChangeAction.REMOVE
                else None,
                path=change.path,
            )
        )

    await link(
        EntityKind.EMPLOYMENT,
        ChangeAction.REMOVE,
        {"personId": person_id, "organizationId": from_id, "validTo": day},
    )
    for c in lines:
        ends = (
            {"personId": person_id, "managerId": c["id"]}
            if c["relation"] == jc.WorkRelation.MANAGER.value
            else {"personId": c["id"], "managerId": person_id}
        )
        await link(EntityKind.REPORTING_LINE, ChangeAction.REMOVE, {**ends, "validTo": day})
    for r in own_roles:
        target = "opportunityId" if r["target"] == jc.Target.OPPORTUNITY.value else "accountId"
        await link(
            EntityKind.BUYING_ROLE,
            ChangeAction.REMOVE,
            {"personId": person_id, target: r["targetId"], "validTo": day},
        )
    new_job: dict[str, Any] = {
        "personId": person_id,
        "organizationId": to_id,
        "since": day,
        "validFrom": day,
        "primary": bool(job["primary"]),
    }
    for name in ("title", "department"):
        if values.get(name) is not None:
            new_job[name] = values[name]
    written = await link(EntityKind.EMPLOYMENT, ChangeAction.SET, new_job)
    assert isinstance(written, LinkRecord)
    if reports_to is not None:
        await link(
            EntityKind.REPORTING_LINE,
            ChangeAction.SET,
            {"personId": person_id, "managerId": reports_to, "validFrom": day},
        )
    return jc.JobChangeRecord(
        person_id=person_id,
        from_organization_id=from_id,
        to_organization_id=to_id,
        date=day,
        title=values.get("title"),
        department=values.get("department"),
        reports_to_id=reports_to,
        version=written.version or 1,
        closed_reporting=len(lines),
        closed_roles=len(own_roles),
        impact=impact,
    )
