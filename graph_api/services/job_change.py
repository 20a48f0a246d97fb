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
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from graph_api.analytics.job_change import job_change_impact
from graph_api.config import Settings
from graph_api.domain import job_change as jc
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import Role
from graph_api.domain.errors import Forbidden, InvalidInput, NotFound
from graph_api.domain.writes import Change, ChangeAction, EntityKind, LinkRecord
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.store.mapping import to_date, to_enum
from graph_api.store.scoped import ScopedStore

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


# ----- jobChanges: recent moves affecting a rep's or a team's accounts -----

JOB_CHANGES_CURSOR = "jobChanges"
DEFAULT_SINCE_DAYS = 365


async def recent_job_changes(
    reader: ScopedStore,
    settings: Settings,
    rep_id: str | None,
    team_id: str | None,
    since: date | None,
    first: int | None,
    after: str | None,
) -> v.Page[jc.JobChange]:
    """Job changes since `since` (default: a year ago) whose old or new employer is an
    account (or a unit below one) of the rep's teams or of the team, newest first.

    Exactly one of repId and teamId (INVALID_INPUT); a rep asks about themselves only
    (FORBIDDEN), admins and managers about anyone; an unknown rep or team is NOT_FOUND."""
    if (rep_id is None) == (team_id is None):
        raise InvalidInput(
            "give exactly one of repId and teamId",
            field="repId" if rep_id is not None else "teamId",
            value=rep_id or team_id,
        )
    viewer = reader.access.viewer
    if viewer.role is Role.REP and (team_id is not None or rep_id != viewer.rep_id):
        raise Forbidden(
            f"{viewer.subject} may list the job changes of their own accounts only "
            "(repId: their own); managers and admins ask about any rep or team",
            field="repId" if rep_id is not None else "teamId",
            value=rep_id or team_id,
        )
    size = check_first(first, settings)
    key: list[Any] = [None, None, None]
    if after is not None:
        day_text, person, to = decode_cursor(JOB_CHANGES_CURSOR, after, (str, str, str))
        try:
            key = [date.fromisoformat(day_text), person, to]
        except ValueError:
            raise InvalidInput(
                "after is not a cursor of this connection", field="after", value=after
            ) from None
    start = since or (datetime.now(UTC).date() - timedelta(days=DEFAULT_SINCE_DAYS))
    row = await reader.read_one(
        "job_change.recent",
        {
            "repId": rep_id,
            "teamId": team_id,
            "since": start,
            "first": size,
            "afterDay": key[0],
            "afterPerson": key[1],
            "afterTo": key[2],
        },
    )
    if row is None or not row["known"]:
        field, value = ("repId", rep_id) if rep_id is not None else ("teamId", team_id)
        what = "rep" if rep_id is not None else "account team"
        raise NotFound(f"no {what} with id {value!r}", field=field, value=value)
    found = [
        jc.JobChange(
            c["personId"],
            c["personName"],
            c["fromId"],
            c["fromName"],
            c["toId"],
            c["toName"],
            to_date(c["date"]) or start,
            c["title"],
            c["previousTitle"],
        )
        for c in row["changes"]
    ]
    edges = tuple(
        v.Edge(
            encode_cursor(
                JOB_CHANGES_CURSOR, [c.date.isoformat(), c.person_id, c.to_organization_id]
            ),
            c,
        )
        for c in found[:size]
    )
    return v.Page(
        edges=edges,
        total_count=len(edges),
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
    )
