"""The key-decider path as it was before the columnar one: the old `deciders.scope` query (one
list per person), its viewer filter and mapping, and the networkx analytics, frozen copies the
new path must equal (tests/integration/test_deciders_equality.py). Do not change them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import Access
from graph_api.domain.deciders import Candidate, RoleSource
from graph_api.store.mapping import PERSON_FIELDS, person_from_row, to_enum
from graph_api.store.neo4j_store import Store
from graph_api.store.projection import expand_fragments
from tests.integration.deciders_reference.analytics import DecisionGraph, decision_graph

SCOPE_QUERY = expand_fragments((Path(__file__).parent / "scope.cypher").read_text("utf-8"))


async def reference_graph(
    store: Store,
    access: Access,
    account_id: str | None = None,
    opportunity_id: str | None = None,
    include_subsidiaries: bool = False,
) -> DecisionGraph:
    """The old query, filter and mapping: the reference graph of a scope."""
    records = await store.read(
        SCOPE_QUERY,
        {
            "accountId": account_id,
            "opportunityId": opportunity_id,
            "includeSubsidiaries": include_subsidiaries,
        },
    )
    return graph_from_record(restrict_decision_record(access, records[0]))


# Positions in the query's person rows, after the person's fields (cypher/deciders.cypher).
_N = len(PERSON_FIELDS)
_OUT, _IN = _N, _N + 1  # a scope person's tagged links
_EMPLOYMENT, _COVERAGE = _N, _N + 1  # an outside influencer's jobs and coverage


def _coverage(rows: Sequence[Sequence[Any]], reps: dict[str, v.Rep]) -> tuple[v.Coverage, ...]:
    """Coverage rows, strongest first; a rep covering many people is one object."""
    if not rows:
        return ()
    cover = []
    for rep_id, name, email, role, region, strength, kind in rows:
        rep = reps.get(rep_id)
        if rep is None:
            rep = reps[rep_id] = v.Rep(
                rep_id, name or rep_id, email, to_enum(m.RepRole, role), region
            )
        cover.append(v.Coverage(rep, None if strength is None else float(strength), kind))
    return tuple(sorted(cover, key=lambda c: (-(c.strength or 0.0), c.rep.id)))


def _main_employment(rows: Sequence[Sequence[Any]]) -> Sequence[Any] | None:
    """The primary job, else the first by organization id: [organization id, title, ...]."""
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0]
    return sorted(rows, key=lambda e: (not e[-1], e[0]))[0]


def _marker(
    markers: Sequence[Sequence[Any]],
    employer: str | None,
    parents: Mapping[str, str | None],
    account_id: str,
) -> tuple[Sequence[Any] | None, RoleSource | None]:
    """The marker that applies: the opportunity's; else the one on the person's own unit or
    its nearest parent unit (the most specific judgement), else the account's.
    A marker row: [target id, on the opportunity, role, attitude, influence]."""
    if not markers:
        return None, None
    on_opp = [x for x in markers if x[1]]
    if on_opp:
        return on_opp[0], RoleSource.OPPORTUNITY
    by_target = {x[0]: x for x in markers}
    unit = employer
    seen: set[str] = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        if unit in by_target:
            return by_target[unit], RoleSource.ACCOUNT
        unit = parents.get(unit)
    if account_id in by_target:
        return by_target[account_id], RoleSource.ACCOUNT
    return by_target[min(by_target)], RoleSource.ACCOUNT


def graph_from_record(record: Mapping[str, Any]) -> DecisionGraph:
    """Maps the query's row (lists, see cypher/deciders.cypher) to the analytics' input."""
    account_id: str = record["accountId"]
    parents = {u[0]: u[2] for u in record["units"]}
    unit_names = {u[0]: u[1] for u in record["units"]}
    # Markers count on the opportunity, the account or one of the units in scope; jobs in
    # any unit of the account's family.
    unit_ids = {u[0] for u in record["units"]}
    if not record["includeSubsidiaries"]:
        unit_ids = {account_id} & unit_ids
    reps: dict[str, v.Rep] = {}
    candidates: list[Candidate] = []
    reporting: list[tuple[str, str]] = [(a, b) for a, b in record["reporting"]]
    influence: list[tuple[str, str, float | None]] = []
    for row in record["people"]:
        person = person_from_row(row)
        pid = person.id
        jobs: list[Sequence[Any]] = []
        markers: list[Sequence[Any]] = []
        for link in row[_OUT]:
            tag = link[0]
            if tag == "W":
                if link[1] in unit_names:
                    jobs.append(link[1:])
            elif tag == "B":
                if link[2] or link[3] or link[1] in unit_ids:
                    markers.append((link[1], link[2], *link[4:]))
            elif link[2]:  # "R", to a person
                reporting.append((pid, link[1]))
        covered: list[Sequence[Any]] = []
        for link in row[_IN]:
            if link[0] == "C":
                if link[2]:
                    covered.append((link[1], *link[3:]))
            elif link[2]:  # "I", from a person
                influence.append((link[1], pid, link[3]))
        job = _main_employment(jobs)
        organization_id = job[0] if job else None
        marker, source = _marker(markers, organization_id, parents, account_id)
        candidates.append(
            Candidate(
                person=person,
                title=job[1] if job else None,
                organization_id=organization_id,
                organization_name=unit_names[organization_id] if job else None,
                external=job is None and pid != account_id,
                role=to_enum(m.BuyingRole, marker[2]) if marker else None,
                attitude=to_enum(m.Attitude, marker[3]) if marker else None,
                influence=to_enum(m.InfluenceLevel, marker[4]) if marker else None,
                role_source=source,
                coverage=_coverage(covered, reps),
            )
        )
    inside = {c.id for c in candidates}
    for row in record["influencers"]:
        person = person_from_row(row)
        if person.id in inside:
            continue
        outside_job = _main_employment(row[_EMPLOYMENT])
        candidates.append(
            Candidate(
                person=person,
                title=outside_job[2] if outside_job else None,
                organization_id=outside_job[0] if outside_job else None,
                organization_name=outside_job[1] if outside_job else None,
                external=True,
                coverage=_coverage(row[_COVERAGE], reps),
            )
        )
    others = {x[0]: (x[1] or x[0], x[2]) for x in record["managers"]}
    return decision_graph(
        candidates,
        reporting,
        influence,
        others,
        for_opportunity=record["opportunityId"] is not None,
    )


def restrict_decision_record(access: Access, record: Mapping[str, Any]) -> dict[str, Any]:
    """The key-decider subgraph (cypher/deciders.cypher `scope`, compact lists) without the
    parties the viewer may not see: the ranking is then computed on what they can see, so
    neither the people nor their weight in the scores leak. The account itself is checked
    by the caller; markers stay (their targets are the account, its units, the opportunity)."""
    out = dict(record)
    if access.unrestricted:
        return out
    sees = access.sees
    n = len(PERSON_FIELDS)

    def person(row: Sequence[Any]) -> list[Any]:
        links_out = [x for x in row[n] if x[0] == "B" or sees(x[1])]
        links_in = [x for x in row[n + 1] if x[0] == "C" or sees(x[1])]
        return [*row[:n], links_out, links_in, *row[n + 2 :]]

    def influencer(row: Sequence[Any]) -> list[Any]:
        jobs = [j for j in row[n] if sees(j[0])]
        return [*row[:n], jobs, *row[n + 1 :]]

    out["units"] = [u for u in record["units"] if sees(u[0])]
    out["people"] = [person(p) for p in record["people"] if sees(p[0])]
    out["influencers"] = [influencer(p) for p in record["influencers"] if sees(p[0])]
    out["reporting"] = [(a, b) for a, b in record["reporting"] if sees(a) and sees(b)]
    out["managers"] = [x for x in record["managers"] if sees(x[0])]
    return out
