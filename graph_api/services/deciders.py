"""Key deciders and the TAS 9/10 assessment of an account or an opportunity's buying centre."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.analytics.assessment import assess
from graph_api.analytics.deciders import DecisionGraph, decision_graph, rank_deciders
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import Access
from graph_api.domain.deciders import Assessment, Candidate, KeyDecider, RoleSource
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.services.access import restrict_decision_record
from graph_api.services.parties import check_between, check_id
from graph_api.store.mapping import coverage_from_map, person_from_props, to_enum
from graph_api.store.neo4j_store import Store


@dataclass(frozen=True, slots=True)
class DecisionScope:
    """Whose decision power is asked about: an account (with or without its subsidiaries) or
    one opportunity's buying centre (with its account's people for the structure)."""

    account_id: str | None = None
    opportunity_id: str | None = None
    include_subsidiaries: bool = False

    def checked(self) -> DecisionScope:
        if (self.account_id is None) == (self.opportunity_id is None):
            raise InvalidInput(
                "give exactly one of accountId and opportunityId",
                field="accountId" if self.account_id is None else "opportunityId",
                value=self.account_id or self.opportunity_id or "",
            )
        if self.account_id is not None:
            check_id("accountId", self.account_id)
        if self.opportunity_id is not None:
            check_id("opportunityId", self.opportunity_id)
        return self


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    account_id: str
    account_name: str
    opportunity_id: str | None
    assessment: Assessment


async def fetch_scope(store: Store, scope: DecisionScope, access: Access) -> Mapping[str, Any]:
    """The account's or opportunity's subgraph in one query, without what the viewer may not
    see; NotFound names the unknown (or invisible) id."""
    record = await store.read_one(
        "deciders.scope",
        {
            "accountId": scope.account_id,
            "opportunityId": scope.opportunity_id,
            "includeSubsidiaries": scope.include_subsidiaries,
        },
    )
    if record is None or not access.sees(record["accountId"]):
        if scope.opportunity_id is not None:
            raise NotFound(
                f"no opportunity with id {scope.opportunity_id!r}",
                field="opportunityId",
                value=scope.opportunity_id,
            )
        raise NotFound(
            f"no account with id {scope.account_id!r}", field="accountId", value=scope.account_id
        )
    return restrict_decision_record(access, record)


def _coverage(rows: Sequence[Mapping[str, Any]]) -> tuple[v.Coverage, ...]:
    cover = [coverage_from_map(r) for r in rows]
    return tuple(sorted(cover, key=lambda c: (-(c.strength or 0.0), c.rep.id)))


def _main_employment(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if not rows:
        return None
    return sorted(rows, key=lambda e: (not e["primary"], e["organizationId"]))[0]


def _marker(
    markers: Sequence[Mapping[str, Any]],
    employer: str | None,
    parents: Mapping[str, str | None],
    account_id: str,
) -> tuple[Mapping[str, Any] | None, RoleSource | None]:
    """The marker that applies: the opportunity's; else the one on the person's own unit or
    its nearest parent unit (the most specific judgement), else the account's."""
    on_opp = [x for x in markers if x["opportunity"]]
    if on_opp:
        return on_opp[0], RoleSource.OPPORTUNITY
    by_target = {x["targetId"]: x for x in markers}
    unit = employer
    seen: set[str] = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        if unit in by_target:
            return by_target[unit], RoleSource.ACCOUNT
        unit = parents.get(unit)
    if account_id in by_target:
        return by_target[account_id], RoleSource.ACCOUNT
    if by_target:
        return by_target[min(by_target)], RoleSource.ACCOUNT
    return None, None


def graph_from_record(record: Mapping[str, Any]) -> DecisionGraph:
    """Maps the query's row to the analytics' input."""
    account_id: str = record["accountId"]
    parents = {u["id"]: u["parentId"] for u in record["units"]}
    candidates: list[Candidate] = []
    for row in record["people"]:
        person = person_from_props(row["props"])
        job = _main_employment(row["employment"])
        marker, source = _marker(
            row["markers"], job["organizationId"] if job else None, parents, account_id
        )
        candidates.append(
            Candidate(
                person=person,
                title=job["title"] if job else None,
                organization_id=job["organizationId"] if job else None,
                organization_name=job["organizationName"] if job else None,
                external=job is None and person.id != account_id,
                role=to_enum(m.BuyingRole, marker["role"]) if marker else None,
                attitude=to_enum(m.Attitude, marker["attitude"]) if marker else None,
                influence=to_enum(m.InfluenceLevel, marker["influence"]) if marker else None,
                role_source=source,
                coverage=_coverage(row["coverage"]),
            )
        )
    inside = {c.id for c in candidates}
    for row in record["influencers"]:
        person = person_from_props(row["props"])
        if person.id in inside:
            continue
        job = _main_employment(row["employment"])
        candidates.append(
            Candidate(
                person=person,
                title=job["title"] if job else None,
                organization_id=job["organizationId"] if job else None,
                organization_name=job["organizationName"] if job else None,
                external=True,
                coverage=_coverage(row["coverage"]),
            )
        )
    others = {x["id"]: (x["name"] or x["id"], x["title"]) for x in record["managers"]}
    return decision_graph(
        candidates,
        [(a, b) for a, b in record["reporting"]],
        [(x["from"], x["to"], x["strength"]) for x in record["influence"]],
        others,
        for_opportunity=record["opportunityId"] is not None,
    )


async def key_deciders(
    store: Store, access: Access, scope: DecisionScope, limit: int, max_limit: int
) -> list[KeyDecider]:
    """The people of the scope ranked by decision power, best first, at most `limit`."""
    scope.checked()
    check_between("limit", limit, 1, max_limit)
    graph = graph_from_record(await fetch_scope(store, scope, access))
    return rank_deciders(graph, limit)


async def decision_assessment(
    store: Store, access: Access, scope: DecisionScope
) -> AssessmentResult:
    """TAS 9 and 10 for the scope, with their evidence."""
    scope.checked()
    record = await fetch_scope(store, scope, access)
    graph = graph_from_record(record)
    return AssessmentResult(
        account_id=record["accountId"],
        account_name=record["accountName"] or record["accountId"],
        opportunity_id=record["opportunityId"],
        assessment=assess(graph),
    )
