"""Key deciders and the TAS 9/10 assessment of an account or an opportunity's buying centre."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from graph_api.analytics.assessment import assess
from graph_api.analytics.deciders import (
    DecisionGraph,
    Scored,
    columnar_decision_graph,
    declared_role_value,
    rank_deciders,
    score_deciders,
)
from graph_api.analytics.deciders_zh import assessment_in_chinese, in_chinese
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.access import Access
from graph_api.domain.deciders import (
    Assessment,
    Candidate,
    DecisionLayerMember,
    KeyDecider,
    RoleSource,
)
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.i18n import DEFAULT_LANGUAGE, Language
from graph_api.services.access import restrict_decision_record
from graph_api.services.analysis_cache import AnalysisCache
from graph_api.services.parties import check_as_of, check_between, check_id
from graph_api.store.mapping import PERSON_FIELDS, person_from_row, to_enum
from graph_api.store.scoped import ScopedStore, restriction


@dataclass(frozen=True, slots=True)
class DecisionScope:
    """Whose decision power is asked about: an account (with or without its subsidiaries) or
    one opportunity's buying centre (with its account's people for the structure)."""

    account_id: str | None = None
    opportunity_id: str | None = None
    include_subsidiaries: bool = False
    # The day the buying centre is read as of (None: the current graph, issue 14.2).
    as_of: date | None = None

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
        check_as_of(self.as_of)
        return self


async def at_close(reader: ScopedStore, scope: DecisionScope, as_of: date | None) -> DecisionScope:
    """The scope read as of its opportunity's close date (`atClose`): the buying centre on
    the day the deal was won or lost. INVALID_INPUT without an opportunity, with asOf as well,
    or for an opportunity still open or without a close date; NOT_FOUND as for an unknown id."""
    if scope.opportunity_id is None:
        raise InvalidInput(
            "atClose needs opportunityId (an account has no close date)",
            field="atClose",
            value="true",
        )
    if as_of is not None:
        raise InvalidInput("give asOf or atClose, not both", field="asOf", value=as_of.isoformat())
    check_id("opportunityId", scope.opportunity_id)
    found = await reader.read_one("deciders.close_date", {"opportunityId": scope.opportunity_id})
    if found is None:
        raise NotFound(
            f"no opportunity with id {scope.opportunity_id!r}",
            field="opportunityId",
            value=scope.opportunity_id,
        )
    stage, closed = found["stage"], found["closeDate"]
    if stage not in (m.OpportunityStage.WON.value, m.OpportunityStage.LOST.value) or closed is None:
        raise InvalidInput(
            f"opportunity {scope.opportunity_id!r} is not closed won or lost with a close date "
            f"(stage {stage}); atClose needs one",
            field="atClose",
            value="true",
        )
    return replace(scope, as_of=closed.to_native() if hasattr(closed, "to_native") else closed)


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    account_id: str
    account_name: str
    opportunity_id: str | None
    assessment: Assessment


async def fetch_scope(
    reader: ScopedStore, scope: DecisionScope, known_version: str | None = None
) -> Mapping[str, Any]:
    """The account's or opportunity's subgraph in one query, without what the viewer may not
    see; NotFound names the unknown (or invisible) id. With `known_version` (that of an
    analysis the caller keeps), a graph still at that version answers only
    {"graphVersion": known_version}: the kept analysis is current."""
    found = await reader.read_restricted(
        "deciders.scope",
        {
            "accountId": scope.account_id,
            "opportunityId": scope.opportunity_id,
            "includeSubsidiaries": scope.include_subsidiaries,
            "knownVersion": known_version,
        },
        as_of=scope.as_of,
    )
    return found.restrict(visible_scope, scope, known_version)


@restriction("deciders.scope")
def visible_scope(
    access: Access,
    records: Sequence[Mapping[str, Any]],
    scope: DecisionScope,
    known_version: str | None = None,
) -> Mapping[str, Any]:
    """The scope's record without what the viewer may not see (`restrict_decision_record`);
    NotFound, as for an unknown id, for an account or opportunity they may not see."""
    record = records[0] if records else None
    if known_version is not None and record is not None:
        current = record["graphVersion"] == known_version
        if current:  # the caller's kept analysis is current: nothing else was read
            return {"graphVersion": known_version}
    if record is None or record["accountId"] is None or not access.sees(record["accountId"]):
        if scope.opportunity_id is not None:
            raise NotFound(
                f"no opportunity with id {scope.opportunity_id!r}",
                field="opportunityId",
                value=scope.opportunity_id,
            )
        raise NotFound(
            f"no account with id {scope.account_id!r}", field="accountId", value=scope.account_id
        )
    return restrict_decision_record(access, with_person_ids(record))


def with_person_ids(record: Mapping[str, Any]) -> dict[str, Any]:
    """The scope's row with the ids of the scope's people where the query gives their position
    in `ids` (jobPeople, linePeople, influenceTo, the first item of a marker and of a
    coverage row): what the restriction and the mapping read."""
    out = dict(record)
    ids: list[str] = record["ids"]
    for name in ("jobPeople", "linePeople", "influenceTo"):
        out[name] = [ids[i] for i in record[name]]
    for name in ("markers", "coverage"):
        out[name] = [[ids[x[0]], *x[1:]] for x in record[name]]
    return out


# The person fields the scope query reads (the others are null in its rows): what the ranking
# and its explanations use. `_people` reads the rest for the people an answer returns.
SCOPE_PERSON_FIELDS = ("id", "name", "gender")

# A person row in PERSON_FIELDS order with only the fields the scope query reads (the others
# null, as `person_from_row` expects them when not read).
_ID, _NAME, _GENDER = (PERSON_FIELDS.index(f) for f in SCOPE_PERSON_FIELDS)
_EMPTY_ROW: tuple[Any, ...] = (None,) * len(PERSON_FIELDS)


def _person(pid: str, name: str | None, gender: str | None) -> m.Person:
    row = list(_EMPTY_ROW)
    row[_ID], row[_NAME], row[_GENDER] = pid, name, gender
    return person_from_row(row)


def _coverage(rows: Sequence[Sequence[Any]], reps: dict[str, v.Rep]) -> tuple[v.Coverage, ...]:
    """Coverage rows [rep id, name, email, role, region, strength, kind], strongest first; a
    rep covering many people is one object."""
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
    """The primary job, else the first by organization id: [organization id, ..., primary]."""
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
    """Maps the query's row (columns, see cypher/deciders.cypher) to the analytics' input:
    the columns the scores need for everyone, a `Candidate` only for the people a request
    puts into words."""
    account_id: str = record["accountId"]
    parents = {u[0]: u[2] for u in record["units"]}
    unit_names = {u[0]: u[1] for u in record["units"]}
    # Markers count on the opportunity, the account or one of the units in scope; jobs in
    # any unit of the account's family.
    unit_ids = {u[0] for u in record["units"]}
    if not record["includeSubsidiaries"]:
        unit_ids = {account_id} & unit_ids
    scope_ids: list[str] = record["ids"]
    names: list[str | None] = record["names"]
    genders: list[str | None] = record["genders"]
    inside = set(scope_ids)
    jobs: dict[str, list[tuple[str, str | None, bool | None]]] = {}
    for pid, unit, title, primary in zip(
        record["jobPeople"],
        record["jobUnits"],
        record["jobTitles"],
        record["jobPrimary"],
        strict=True,
    ):
        if unit in unit_names:
            jobs.setdefault(pid, []).append((unit, title, primary))
    markers: dict[str, list[Sequence[Any]]] = {}
    for pid, target, on_opp, on_account, *rest in record["markers"]:
        if on_opp or on_account or target in unit_ids:
            markers.setdefault(pid, []).append((target, on_opp, *rest))
    covered: dict[str, list[Sequence[Any]]] = {}
    for pid, *rest in record["coverage"]:
        covered.setdefault(pid, []).append(rest)
    outside = [x for x in record["influencers"] if x[0] not in inside]
    ids = sorted([*scope_ids, *(x[0] for x in outside)])
    # What a candidate needs at once (external, role) from the facts, the rest when made.
    position_in_scope = {pid: i for i, pid in enumerate(scope_ids)}
    outsider = {x[0]: x for x in outside}
    employment = {pid: _main_employment(rows) for pid, rows in jobs.items()}
    chosen: dict[str, tuple[Sequence[Any] | None, RoleSource | None]] = {}
    for pid, rows in markers.items():
        job = employment.get(pid)
        chosen[pid] = _marker(rows, job[0] if job else None, parents, account_id)
    placed = {*employment, account_id}
    external = [pid not in position_in_scope or pid not in placed for pid in ids]
    role_values = [declared_role_value(None, None)] * len(ids)
    at_id = {pid: i for i, pid in enumerate(ids)}
    for pid, (marker, _) in chosen.items():
        if marker is not None:
            role_values[at_id[pid]] = declared_role_value(
                to_enum(m.BuyingRole, marker[2]), to_enum(m.InfluenceLevel, marker[4])
            )
    reps: dict[str, v.Rep] = {}

    def make(i: int) -> Candidate:
        pid = ids[i]
        at = position_in_scope.get(pid)
        if at is None:
            row = outsider[pid]
            outside_job = _main_employment(row[3])
            return Candidate(
                person=_person(pid, row[1], row[2]),
                title=outside_job[2] if outside_job else None,
                organization_id=outside_job[0] if outside_job else None,
                organization_name=outside_job[1] if outside_job else None,
                external=True,
                coverage=_coverage(row[4], reps),
            )
        job = employment.get(pid)
        marker, source = chosen.get(pid, (None, None))
        return Candidate(
            person=_person(pid, names[at], genders[at]),
            title=job[1] if job else None,
            organization_id=job[0] if job else None,
            organization_name=unit_names[job[0]] if job else None,
            external=job is None and pid != account_id,
            role=to_enum(m.BuyingRole, marker[2]) if marker else None,
            attitude=to_enum(m.Attitude, marker[3]) if marker else None,
            influence=to_enum(m.InfluenceLevel, marker[4]) if marker else None,
            role_source=source,
            coverage=_coverage(covered.get(pid, ()), reps),
        )

    reporting: list[tuple[str, str]] = [(a, b) for a, b in record["reporting"]]
    reporting += zip(record["linePeople"], record["lineManagers"], strict=True)
    others = {x[0]: (x[1] or x[0], x[2]) for x in record["managers"]}
    return columnar_decision_graph(
        ids,
        make,
        external,
        role_values,
        reporting,
        (record["influenceFrom"], record["influenceTo"], record["influenceStrength"]),
        others,
        for_opportunity=record["opportunityId"] is not None,
    )


@dataclass(frozen=True, slots=True)
class _Analysed:
    account_id: str
    account_name: str
    opportunity_id: str | None
    graph: DecisionGraph
    scored: Sequence[Scored]


def _analyse(record: Mapping[str, Any]) -> _Analysed:
    graph = graph_from_record(record)
    return _Analysed(
        record["accountId"],
        record["accountName"] or record["accountId"],
        record["opportunityId"],
        graph,
        score_deciders(graph),
    )


@dataclass(frozen=True, slots=True)
class Head:
    """Whose analysis it is: the scope's account (and opportunity)."""

    account_id: str
    account_name: str
    opportunity_id: str | None


@dataclass(frozen=True, slots=True)
class RankJob:
    """The first `limit` deciders in words (`rank_deciders`), in `language`."""

    limit: int
    language: Language


@dataclass(frozen=True, slots=True)
class AssessJob:
    """TAS 9 and 10 (`assess`), in `language`."""

    language: Language


@dataclass(frozen=True, slots=True)
class CentreJob:
    """Every candidate as the ranking sees them, in id order."""


Job = RankJob | AssessJob | CentreJob


def run_job(analysed: _Analysed, job: Job) -> Any:
    """What a request asks of an analysis: plain values (dataclasses), picklable, so that an
    analysis process (services/analysis_processes.py) hands back only these."""
    if isinstance(job, RankJob):
        ranked = rank_deciders(analysed.graph, job.limit, scored=analysed.scored)
        if job.language is Language.ZH:
            ranked = [in_chinese(analysed.graph, k) for k in ranked]
        return ranked
    if isinstance(job, AssessJob):
        return _assess(analysed, job.language)
    graph = analysed.graph
    return [graph.candidates[k] for k in sorted(graph.candidates)]


def head_of(analysed: _Analysed) -> Head:
    return Head(analysed.account_id, analysed.account_name, analysed.opportunity_id)


class AnalysisRunner(Protocol):
    """Runs a scope's analysis and a job on it elsewhere than the serving process's event
    loop (services/analysis_processes.py): same answers as `run_job` on `_analysed`."""

    async def run(
        self, reader: ScopedStore, scope: DecisionScope, memo: dict[Any, Any] | None, job: Job
    ) -> tuple[Head, Any]: ...


async def _answer(
    reader: ScopedStore,
    scope: DecisionScope,
    job: Job,
    memo: dict[Any, Any] | None,
    analyses: AnalysisCache | None,
    runner: AnalysisRunner | None,
    *,
    in_thread: bool = False,
) -> tuple[Head, Any]:
    """`job` on the scope's analysis: in an analysis process when there is a `runner`;
    otherwise here, the analysis in a thread, the job on the event loop (or in a thread
    too with `in_thread`)."""
    if runner is not None:
        return await runner.run(reader, scope, memo, job)
    analysed = await _analysed(reader, scope, memo, analyses)
    if in_thread:
        return head_of(analysed), await asyncio.to_thread(run_job, analysed, job)
    return head_of(analysed), run_job(analysed, job)


async def _analysed(
    reader: ScopedStore,
    scope: DecisionScope,
    memo: dict[Any, Any] | None,
    analyses: AnalysisCache | None = None,
    *,
    offload: bool = True,
) -> _Analysed:
    """The scope's graph and ranking; with a request's `memo`, computed once per request
    (keyDeciders and decisionAssessment asked together share one query and one ranking);
    with `analyses`, kept across requests while the graph's version stays the same.
    The mapping and the scores run in a thread, off the event loop (`offload`; an analysis
    process, which has nothing else to serve, runs them at once)."""

    async def compute() -> _Analysed:
        question = (scope, reader.access)
        known = analyses.known_version(question) if analyses is not None else None
        record = await fetch_scope(reader, scope, known)
        if known is not None and record.get("graphVersion") == known and analyses is not None:
            kept: _Analysed = analyses.kept(question, known)
            return kept
        analysed = await asyncio.to_thread(_analyse, record) if offload else _analyse(record)
        if analyses is not None:
            analyses.keep(question, record.get("graphVersion"), analysed)
        return analysed

    if memo is None:
        return await compute()
    key = ("deciders.scope", scope)
    task: asyncio.Future[_Analysed] | None = memo.get(key)
    if task is None:
        task = memo[key] = asyncio.ensure_future(compute())
    return await task


async def _people(reader: ScopedStore, ids: Sequence[str]) -> dict[str, m.Person]:
    """The full records of a few people (the scope query reads only id, name and gender)."""
    if not ids:
        return {}
    found = await reader.read_restricted("deciders.people", {"ids": sorted(set(ids))})
    return found.restrict(visible_people)


@restriction("deciders.people")
def visible_people(access: Access, records: Sequence[Mapping[str, Any]]) -> dict[str, m.Person]:
    """The people read by id, those the viewer may see (the ids come from a ranking that
    holds no others; this keeps the rule true whatever the caller asks)."""
    people = (person_from_row(r["row"]) for r in records)
    return {p.id: p for p in people if access.sees(p.id)}


def _with_person(decider: KeyDecider, people: Mapping[str, m.Person]) -> KeyDecider:
    person = people.get(decider.id)
    if person is None:
        return decider
    return replace(decider, candidate=replace(decider.candidate, person=person))


async def key_deciders(
    reader: ScopedStore,
    scope: DecisionScope,
    limit: int,
    max_limit: int,
    *,
    memo: dict[Any, Any] | None = None,
    details: bool = True,
    language: Language = DEFAULT_LANGUAGE,
    analyses: AnalysisCache | None = None,
    runner: AnalysisRunner | None = None,
) -> list[KeyDecider]:
    """The people of the scope ranked by decision power, best first, at most `limit`.
    `memo`: a per-request cache shared with `decision_assessment`. `details`: the people's
    full records (one more small query); without, a person has only id, name and gender.
    `analyses`: the process's cache of analyses (services/analysis_cache.py). `runner`: the
    analysis processes (services/analysis_processes.py), which then keep their own."""
    scope.checked()
    check_between("limit", limit, 1, max_limit)
    _, answer = await _answer(reader, scope, RankJob(limit, language), memo, analyses, runner)
    ranked: list[KeyDecider] = answer
    if not details:
        return ranked
    people = await _people(reader, [k.id for k in ranked])
    return [_with_person(k, people) for k in ranked]


def _assess(analysed: _Analysed, language: Language) -> Assessment:
    assessment = assess(analysed.graph, scored=analysed.scored)
    if language is Language.ZH:
        assessment = assessment_in_chinese(analysed.graph, assessment)
    return assessment


async def decision_assessment(
    reader: ScopedStore,
    scope: DecisionScope,
    *,
    memo: dict[Any, Any] | None = None,
    details: bool = True,
    language: Language = DEFAULT_LANGUAGE,
    analyses: AnalysisCache | None = None,
    runner: AnalysisRunner | None = None,
) -> AssessmentResult:
    """TAS 9 and 10 for the scope, with their evidence; `details`, `analyses` and `runner`
    as in `key_deciders`. The assessment reads every ranked person: it runs in a thread (or
    in an analysis process)."""
    scope.checked()
    head, answer = await _answer(
        reader, scope, AssessJob(language), memo, analyses, runner, in_thread=True
    )
    assessment: Assessment = answer
    if details:
        assessment = await _assessment_with_people(reader, assessment)
    return AssessmentResult(
        account_id=head.account_id,
        account_name=head.account_name,
        opportunity_id=head.opportunity_id,
        assessment=assessment,
    )


async def _assessment_with_people(reader: ScopedStore, a: Assessment) -> Assessment:
    deciders = [x.decider for x in a.decision_layer] + [*a.supporters, *a.opponents]
    people = await _people(reader, [k.id for k in deciders])
    return replace(
        a,
        decision_layer=tuple(
            DecisionLayerMember(_with_person(x.decider, people), x.reason) for x in a.decision_layer
        ),
        supporters=tuple(_with_person(k, people) for k in a.supporters),
        opponents=tuple(_with_person(k, people) for k in a.opponents),
    )


async def buying_centre(
    reader: ScopedStore,
    scope: DecisionScope,
    *,
    memo: dict[Any, Any] | None = None,
    runner: AnalysisRunner | None = None,
) -> list[Candidate]:
    """The people of the scope as the ranking sees them (markers, coverage), in id order;
    with `memo`, from the same query and ranking as keyDeciders and decisionAssessment."""
    scope.checked()
    _, people = await _answer(reader, scope, CentreJob(), memo, None, runner)
    result: list[Candidate] = people
    return result
