"""The org chart of an organization: people along reporting lines, markers, coverage, sub-charts.

`depth` bounds the chart both ways: at most `depth` reporting levels in each unit (the
first is the top of the unit: people with no manager in it) and, with subsidiaries, units
at most `depth - 1` levels below the charted organization. A node's `level` is not that
unit-relative rank but the person's level in the account, the one keyDeciders gives:
1 + the managers on the shortest reporting line up to a top, managers outside the chart
included (docs/ANALYTICS.md). Everything is read in one query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from graph_api.analytics.deciders import reporting_depths
from graph_api.config import Settings
from graph_api.domain import model as m
from graph_api.domain import org_chart as oc
from graph_api.domain import view as v
from graph_api.domain.access import Access
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.services.access import require_visible
from graph_api.services.parties import check_as_of, check_id
from graph_api.store.mapping import (
    coverage_from_map,
    organization_from_props,
    person_from_props,
    to_enum,
)
from graph_api.store.scoped import ScopedStore, restriction


def check_depth(depth: int, settings: Settings) -> int:
    limit = settings.max_org_chart_depth
    if depth < 1 or depth > limit:
        raise InvalidInput(
            f"depth must be between 1 and {limit} (GRAPH_API_MAX_ORG_CHART_DEPTH), got {depth}",
            field="depth",
            value=depth,
        )
    return depth


async def org_chart(
    reader: ScopedStore,
    settings: Settings,
    organization_id: str,
    *,
    depth: int,
    include_subsidiaries: bool = True,
    include_influence: bool = False,
    opportunity_id: str | None = None,
    as_of: date | None = None,
) -> oc.OrgChart:
    check_id("organizationId", organization_id)
    check_as_of(as_of)
    check_depth(depth, settings)
    if opportunity_id is not None:
        check_id("opportunityId", opportunity_id)
    found = await reader.read_restricted(
        "org_chart.chart",
        {
            "organizationId": organization_id,
            "depth": depth,
            "includeSubsidiaries": include_subsidiaries,
            "includeInfluence": include_influence,
            "opportunityId": opportunity_id,
        },
        as_of=as_of,
    )
    root, units, people, above = found.restrict(restrict_chart, organization_id, opportunity_id)
    return build_chart(root, units, people, depth, above)


@restriction("org_chart.chart")
def restrict_chart(
    access: Access,
    records: Sequence[Mapping[str, Any]],
    organization_id: str,
    opportunity_id: str | None,
) -> tuple[Any, list[Mapping[str, Any]], list[Mapping[str, Any]], list[tuple[str, str]]]:
    """The chart's root, units, people and reporting lines above its top people (`above`)
    as the viewer may see them; NotFound, as for an
    unknown id, for an organization or opportunity they may not see."""
    record = records[0] if records else None
    if record is None:
        raise NotFound(
            f"no organization with id {organization_id!r}",
            field="organizationId",
            value=organization_id,
        )
    require_visible(access, organization_id, "organizationId", "organization")
    if opportunity_id is not None and not (
        record["opportunityFound"] and access.sees(record["opportunityAccountId"] or "")
    ):
        raise NotFound(
            f"no opportunity with id {opportunity_id!r}",
            field="opportunityId",
            value=opportunity_id,
        )
    units, people = visible_chart(access, organization_id, record["units"], record["people"])
    above = [
        (a, b)
        for a, b in record["above"] or ()
        if access.unrestricted or (access.sees(a) and access.sees(b))
    ]
    return record["root"], units, people, above


def visible_chart(
    access: Access,
    root_id: str,
    units: Sequence[Mapping[str, Any]],
    people: Sequence[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """The chart's units and people the viewer may see: a unit only below a kept unit (units
    come parent first), people of kept units, the influencers the viewer may see. Reporting
    lines to a hidden manager end: the person is drawn at the top of their unit."""
    if access.unrestricted:
        return list(units), list(people)
    kept: set[str] = set()
    shown_units: list[Mapping[str, Any]] = []
    for u in units:
        uid = u["organization"]["id"]
        if access.sees(uid) and (uid == root_id or u["parentId"] in kept):
            kept.add(uid)
            shown_units.append(u)
    shown_people: list[Mapping[str, Any]] = []
    for row in people:
        if row["unitId"] not in kept or not access.sees(row["person"]["id"]):
            continue
        shown = dict(row)
        shown["managerIds"] = [x for x in row["managerIds"] if access.sees(x)]
        shown["influencedBy"] = [
            _visible_influencer(access, inf)
            for inf in row.get("influencedBy") or ()
            if access.sees(inf["person"]["id"])
        ]
        shown_people.append(shown)
    return shown_units, shown_people


def _visible_influencer(access: Access, inf: Mapping[str, Any]) -> dict[str, Any]:
    shown = dict(inf)
    shown["employment"] = [
        j for j in inf.get("employment") or () if access.sees(j["organization"]["id"])
    ]
    return shown


def _coverage(items: Sequence[Mapping[str, Any]]) -> tuple[v.Coverage, ...]:
    return tuple(
        sorted(map(coverage_from_map, items), key=lambda c: (-(c.strength or 0), c.rep.id))
    )


def _markers(marker: Mapping[str, Any] | None) -> oc.Markers | None:
    if not marker:
        return None
    return oc.Markers(
        role=to_enum(m.BuyingRole, marker.get("role")),
        attitude=to_enum(m.Attitude, marker.get("attitude")),
        influence=to_enum(m.InfluenceLevel, marker.get("influence")),
    )


def build_chart(
    root_props: Mapping[str, Any],
    units: Sequence[Mapping[str, Any]],
    people: Sequence[Mapping[str, Any]],
    depth: int,
    above: Sequence[tuple[str, str]] = (),
) -> oc.OrgChart:
    """Places each person in one unit, ranks them along reporting lines inside it to cut at
    `depth`, and gives each their level in the account. `above`: (person, manager) lines
    above the charted people, to the top."""
    root = organization_from_props(root_props)
    unit_level = {u["organization"]["id"]: int(u["level"]) for u in units}
    unit_org = {u["organization"]["id"]: organization_from_props(u["organization"]) for u in units}

    # One node per person: the primary job first, then the unit nearest the top.
    chosen: dict[str, Mapping[str, Any]] = {}
    for row in sorted(
        people,
        key=lambda r: (not r.get("primary"), unit_level[r["unitId"]], r["unitId"]),
    ):
        chosen.setdefault(row["person"]["id"], row)

    members: dict[str, set[str]] = {}
    for pid, row in chosen.items():
        members.setdefault(row["unitId"], set()).add(pid)

    level: dict[str, int] = {}
    for unit_members in members.values():
        # Top of the unit: people with no manager inside it. Then down the reporting lines.
        reports: dict[str, list[str]] = {}
        tops = []
        for pid in unit_members:
            managers = [mid for mid in chosen[pid]["managerIds"] if mid in unit_members]
            if not managers:
                tops.append(pid)
            for mid in managers:
                reports.setdefault(mid, []).append(pid)
        frontier, current = sorted(tops), 1
        while frontier:
            nxt: list[str] = []
            for pid in frontier:
                if pid in level:
                    continue
                level[pid] = current
                nxt.extend(reports.get(pid, ()))
            frontier, current = sorted(set(nxt) - level.keys()), current + 1

    drawn = {pid for pid, lv in level.items() if lv <= depth}
    account_level = account_levels(people, above)
    nodes: list[oc.ChartNode] = []
    links: list[oc.ChartLink] = []
    for pid in drawn:
        row = chosen[pid]
        managers = sorted(
            (mid for mid in row["managerIds"] if mid in drawn),
            key=lambda mid: (chosen[mid]["unitId"] != row["unitId"], mid),
        )
        nodes.append(
            oc.ChartNode(
                person=person_from_props(row["person"]),
                organization=unit_org[row["unitId"]],
                title=row.get("title"),
                department=row.get("department"),
                manager_id=managers[0] if managers else None,
                level=account_level.get(pid, 1),
                markers=_markers(row.get("marker")),
                coverage=_coverage(row.get("coverage") or ()),
            )
        )
        links.extend(oc.ChartLink(pid, mid, oc.ChartLinkType.REPORTS_TO) for mid in managers)

    # Who the drawn people listen to; outsiders (advisers, institutes) join as external nodes.
    external: dict[str, oc.ChartNode] = {}
    for pid in drawn:
        for inf in chosen[pid].get("influencedBy") or ():
            src = inf["person"]["id"]
            if src not in drawn and src not in external:
                jobs = sorted(inf.get("employment") or (), key=lambda j: not j.get("primary"))
                job = jobs[0] if jobs else None
                external[src] = oc.ChartNode(
                    person=person_from_props(inf["person"]),
                    organization=organization_from_props(job["organization"]) if job else None,
                    title=job.get("title") if job else None,
                    department=job.get("department") if job else None,
                    manager_id=None,
                    level=0,
                    markers=None,
                    coverage=_coverage(inf.get("coverage") or ()),
                    external=True,
                )
            strength = inf.get("strength")
            links.append(
                oc.ChartLink(
                    src,
                    pid,
                    oc.ChartLinkType.INFLUENCES,
                    None if strength is None else float(strength),
                    inf.get("kind"),
                )
            )

    def node_order(n: oc.ChartNode) -> tuple[Any, ...]:
        unit = n.organization.id if n.organization else ""
        return (n.external, unit_level.get(unit, 0), unit, n.level, n.person.name, n.person.id)

    ordered = sorted([*nodes, *external.values()], key=node_order)
    sub_charts = tuple(
        oc.SubChart(
            organization=unit_org[u["organization"]["id"]],
            parent_id=u["parentId"],
            level=int(u["level"]),
            node_ids=tuple(
                n.person.id
                for n in ordered
                if not n.external
                and n.organization is not None
                and n.organization.id == u["organization"]["id"]
            ),
        )
        for u in units
        if int(u["level"]) > 0
    )
    links.sort(key=lambda link: (link.type, link.source, link.target))
    return oc.OrgChart(
        organization=root,
        depth=depth,
        nodes=tuple(ordered),
        links=tuple(links),
        sub_charts=sub_charts,
    )


def account_levels(
    people: Sequence[Mapping[str, Any]], above: Sequence[tuple[str, str]]
) -> dict[str, int]:
    """Each charted person's level as keyDeciders computes it (reporting_depths + 1) over the
    reporting lines of the chart's people and those above them. Absent: on no reporting
    line, or only on a circle of them; the chart puts those people at level 1."""
    lines = {(row["person"]["id"], mid) for row in people for mid in row["managerIds"]}
    lines.update((a, b) for a, b in above)
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for person, manager in sorted(lines):
        if person == manager:
            continue
        succ.setdefault(manager, []).append(person)
        succ.setdefault(person, [])
        pred.setdefault(person, []).append(manager)
        pred.setdefault(manager, [])
    return {pid: d + 1 for pid, d in reporting_depths(succ, pred).items()}
