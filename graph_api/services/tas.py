"""The TAS scorecard of an opportunity and the funnel of an account or an account team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from graph_api.analytics import funnel as fa
from graph_api.analytics import tas as ta
from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain.access import Access
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.i18n import DEFAULT_LANGUAGE, Language
from graph_api.services.deciders import (
    AnalysisRunner,
    DecisionScope,
    buying_centre,
    decision_assessment,
)
from graph_api.services.parties import check_id
from graph_api.services.view360 import EARLIEST_AS_OF, LATEST_AS_OF, today
from graph_api.store.mapping import rep_from_props, stamps, to_date, to_datetime, to_enum
from graph_api.store.scoped import ScopedStore, restriction


def _as_of(as_of: date | None) -> date:
    if as_of is None:
        return today()
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise InvalidInput(
            f"asOf must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}, got {as_of}",
            field="asOf",
            value=as_of.isoformat(),
        )
    return as_of


def _competitor(c: Mapping[str, Any]) -> t.Competitor:
    return t.Competitor(
        id=c["id"],
        name=c.get("name") or c["id"],
        aliases=tuple(c.get("aliases") or ()),
        website=c.get("website"),
        note=c.get("note"),
        **stamps(c),
    )


def recorded_answer(p: Mapping[str, Any], opportunity_id: str) -> t.RecordedAnswer:
    at = to_datetime(p["answeredAt"])
    assert at is not None
    return t.RecordedAnswer(
        id=p["id"],
        opportunity_id=opportunity_id,
        question=int(p["question"]),
        answer=t.TasAnswer(p["answer"]),
        answered_by=p.get("answeredBy") or "",
        answered_at=at,
        comment=p.get("comment"),
        evidence=tuple(p.get("evidence") or ()),
    )


@restriction("tas.holds")
def visible_holds(
    access: Access, records: Sequence[Mapping[str, Any]]
) -> dict[str, list[t.CompetitorHold]]:
    """The competitors' relationships with the people the viewer may see, strongest first."""
    out: dict[str, list[t.CompetitorHold]] = {}
    for r in records:
        if access.sees(r["personId"]):
            out.setdefault(r["personId"], []).append(
                t.CompetitorHold(
                    competitor=_competitor(r["competitor"]),
                    person_id=r["personId"],
                    strength=float(r["strength"] if r["strength"] is not None else 0.5),
                    champion=bool(r["champion"]),
                    note=r["note"],
                    **stamps(r),
                )
            )
    return out


async def competitor_holds(
    reader: ScopedStore, person_ids: Sequence[str]
) -> list[list[t.CompetitorHold]]:
    """Per person, in the order given: the competitors covering them, strongest first."""
    found = await reader.read_restricted("tas.holds", {"ids": sorted(set(person_ids))})
    holds = found.restrict(visible_holds)
    return [holds.get(pid, []) for pid in person_ids]


def closer(ours: float | None, holds: Sequence[t.CompetitorHold]) -> t.Closer:
    """Who is closer to a person: our strongest coverage against the strongest competitor."""
    theirs = max((h.strength for h in holds), default=None)
    if ours is None and theirs is None:
        return t.Closer.NOBODY
    if theirs is None or (ours is not None and ours > theirs):
        return t.Closer.US
    if ours is None or theirs > ours:
        return t.Closer.COMPETITOR
    return t.Closer.TIE


@restriction("tas.opportunity")
def visible_opportunity(
    access: Access, records: Sequence[Mapping[str, Any]], opportunity_id: str
) -> t.OpportunityFacts:
    """The opportunity's facts without the competitors' hold on people the viewer may not
    see; NotFound, as for an unknown id, when its account is not visible."""
    r = records[0] if records else None
    if r is None or not access.sees(r["accountId"]):
        raise NotFound(
            f"no opportunity with id {opportunity_id!r}",
            field="opportunityId",
            value=opportunity_id,
        )
    props = r["props"]
    competitors = {c["id"]: _competitor(c) for c in r["competitors"]}
    return t.OpportunityFacts(
        id=r["id"],
        name=props.get("name") or r["id"],
        stage=m.OpportunityStage(props["stage"]),
        amount=None if props.get("amount") is None else float(props["amount"]),
        close_date=to_date(props.get("closeDate")),
        account_id=r["accountId"],
        account_name=r["accountName"] or r["accountId"],
        account_tier=to_enum(m.Tier, r["tier"]),
        annual_purchase=None if r["annualPurchase"] is None else float(r["annualPurchase"]),
        share_of_wallet=None if r["shareOfWallet"] is None else float(r["shareOfWallet"]),
        strategy=to_enum(t.CompetitiveStrategy, props.get("competitiveStrategy")),
        strategy_rationale=props.get("strategyRationale"),
        competitors=tuple(
            (competitors[c["id"]], c.get("shortlisted"), c.get("onOpportunity"))
            for c in r["competitors"]
        ),
        holds=tuple(
            t.CompetitorHold(
                competitor=competitors[h["competitorId"]],
                person_id=h["personId"],
                strength=float(h["strength"] if h["strength"] is not None else 0.5),
                champion=bool(h.get("champion")),
                note=h.get("note"),
                **stamps(h),
            )
            for h in r["holds"]
            if access.sees(h["personId"])
        ),
        answers=tuple(recorded_answer(a, r["id"]) for a in r["answers"]),
    )


async def opportunity_assessment(
    reader: ScopedStore,
    opportunity_id: str,
    as_of: date | None,
    stale_days: int,
    *,
    memo: dict[Any, Any] | None = None,
    language: Language = DEFAULT_LANGUAGE,
    runner: AnalysisRunner | None = None,
) -> t.Scorecard:
    """The 14 TAS questions of the opportunity on `as_of` (default today); `runner`: the
    analysis processes (services/deciders.key_deciders)."""
    check_id("opportunityId", opportunity_id)
    day = _as_of(as_of)
    found = await reader.read_restricted("tas.opportunity", {"opportunityId": opportunity_id})
    facts = found.restrict(visible_opportunity, opportunity_id)
    scope = DecisionScope(opportunity_id=opportunity_id)
    decision = await decision_assessment(
        reader, scope, memo=memo, details=False, language=language, runner=runner
    )
    people = await buying_centre(reader, scope, memo=memo, runner=runner)
    members = [
        ta.Member(
            c.id,
            c.name,
            c.role,
            c.attitude,
            max((x.strength or 0.0 for x in c.coverage), default=None),
        )
        for c in people
    ]
    a = decision.assessment
    return ta.scorecard(
        facts,
        members,
        ta.DecisionAnswers(
            a.decision_layer_supports_us,
            a.relationships_at_every_level,
            a.support_answer,
            a.coverage_answer,
        ),
        day,
        stale_days,
        language,
    )


def _funnel_row(o: Mapping[str, Any]) -> fa.OpportunityRow:
    answers = []
    for q, answer, at in o["answers"]:
        when = to_datetime(at)
        if q is not None and answer is not None and when is not None:
            answers.append((int(q), str(answer), when))
    return fa.OpportunityRow(
        id=o["id"],
        name=o["name"] or o["id"],
        account_id=o["accountId"],
        account_name=o["accountName"] or o["accountId"],
        stage=m.OpportunityStage(o["stage"]),
        amount=None if o["amount"] is None else float(o["amount"]),
        close_date=to_date(o["closeDate"]),
        owner=rep_from_props(o["owner"]) if o["owner"] else None,
        opportunity_markers=[tuple(x) for x in o["opportunityMarkers"]],
        account_markers=[tuple(x) for x in o["accountMarkers"]],
        interaction_kinds=[k for k, _ in o["interactions"] if k],
        answers=answers,
        competitors=[(c, s) for c, s in o["competitors"]],
    )


async def funnel(
    reader: ScopedStore,
    account_id: str | None,
    team_id: str | None,
    include_subsidiaries: bool,
    as_of: date | None,
    stale_days: int,
    *,
    language: Language = DEFAULT_LANGUAGE,
) -> t.Funnel:
    """The funnel of an account (or a team's accounts) on `as_of` (default today)."""
    if (account_id is None) == (team_id is None):
        raise InvalidInput(
            "give exactly one of accountId and teamId",
            field="accountId" if account_id is None else "teamId",
            value=account_id or team_id or "",
        )
    if account_id is not None:
        check_id("accountId", account_id)
    if team_id is not None:
        check_id("teamId", team_id)
    day = _as_of(as_of)
    record = await reader.read_one(
        "tas.funnel",
        {"accountId": account_id, "teamId": team_id, "includeSubsidiaries": include_subsidiaries},
    )
    if record is None:
        if account_id is not None:
            raise NotFound(
                f"no account with id {account_id!r}", field="accountId", value=account_id
            )
        raise NotFound(f"no account team with id {team_id!r}", field="teamId", value=team_id)
    rows = [_funnel_row(o) for o in record["opportunities"]]
    return fa.funnel(rows, day, stale_days, language)
