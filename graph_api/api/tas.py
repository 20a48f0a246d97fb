"""Query fields for the TAS scorecard of an opportunity, its competitors and the funnel."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import AccountId, AsOf, IncludeSubsidiaries
from graph_api.api.context import Info
from graph_api.api.declared import stamp_values, stamped
from graph_api.api.view_types import Node, Rep
from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain.i18n import Language
from graph_api.services import tas as service


@strawberry.type(description="A competitor of ours (another bank, a vendor): never a customer.")
@stamped("Competitor")
class Competitor(Node):
    id: strawberry.ID = strawberry.field(description="The competitor's id.")
    name: str = strawberry.field(description="Its name.")
    aliases: list[str] = strawberry.field(description="Other names.")
    website: str | None = strawberry.field(description="Its website.")
    note: str | None = strawberry.field(description="What the account teams know of it.")

    @classmethod
    def from_domain(cls, c: t.Competitor) -> Competitor:
        return cls(
            **stamp_values(c),
            id=strawberry.ID(c.id),
            name=c.name,
            aliases=list(c.aliases),
            website=c.website,
            note=c.note,
        )


@strawberry.type(description="A competitor's relationship with one customer person.")
@stamped()
class CompetitorHold:
    competitor: Competitor = strawberry.field(description="The competitor.")
    person_id: strawberry.ID = strawberry.field(description="The customer person.")
    strength: float = strawberry.field(description="0..1 strength of their relationship.")
    champion: bool = strawberry.field(description="The person is the competitor's champion.")
    note: str | None = strawberry.field(description="What is known of it.")

    @classmethod
    def from_domain(cls, h: t.CompetitorHold) -> CompetitorHold:
        return cls(
            **stamp_values(h),
            competitor=Competitor.from_domain(h.competitor),
            person_id=strawberry.ID(h.person_id),
            strength=m.reported(h.strength),
            champion=h.champion,
            note=h.note,
        )


@strawberry.type(
    description="Who is closer to a customer person: our reps or the competitors covering them."
)
class Competition:
    closer: t.Closer = strawberry.field(
        description="US, COMPETITOR, TIE or NOBODY: our strongest coverage against theirs."
    )
    holds: list[CompetitorHold] = strawberry.field(
        description="The competitors covering the person, strongest first."
    )


_HOLDS_LOADER = "tas.holds"


async def competition_of(info: Info, person_id: str, ours: float | None) -> Competition:
    """The competition for one person of an org chart or a ranking; the people of one
    request are read together (one query)."""
    ctx = info.context
    loader = ctx.cache.get(_HOLDS_LOADER)
    if loader is None:
        reader = await ctx.reader()

        async def load(ids: list[str]) -> list[list[t.CompetitorHold]]:
            return await service.competitor_holds(reader, ids)

        loader = ctx.cache[_HOLDS_LOADER] = DataLoader(load_fn=load)
    holds: list[t.CompetitorHold] = await loader.load(person_id)
    return Competition(
        closer=service.closer(ours, holds),
        holds=[CompetitorHold.from_domain(h) for h in holds],
    )


@strawberry.type(description="A competitor in one opportunity.")
class CompetitorOnOpportunity:
    competitor: Competitor = strawberry.field(description="The competitor.")
    shortlisted: bool | None = strawberry.field(
        description="On the customer's shortlist (null: not known)."
    )
    note: str | None = strawberry.field(description="Their offer, their angle.")
    holds: list[CompetitorHold] = strawberry.field(
        description="The deciders (决/审) they are closer to than we are."
    )

    @classmethod
    def from_domain(cls, c: t.CompetitorOnOpportunity) -> CompetitorOnOpportunity:
        return cls(
            competitor=Competitor.from_domain(c.competitor),
            shortlisted=c.shortlisted,
            note=c.note,
            holds=[CompetitorHold.from_domain(h) for h in c.holds],
        )


@strawberry.type(description="An answer the account team recorded to a TAS question.")
class TasRecordedAnswer:
    id: strawberry.ID = strawberry.field(description="The answer's id.")
    question: int = strawberry.field(description="The question, 1..14.")
    answer: t.TasAnswer = strawberry.field(description="YES, NO or UNKNOWN.")
    answered_by: str = strawberry.field(description="Who answered (the API's subject).")
    answered_at: datetime.datetime = strawberry.field(description="When.")
    comment: str | None = strawberry.field(description="The answer's reasoning.")
    evidence: list[str] = strawberry.field(description="Links to the evidence.")

    @classmethod
    def from_domain(cls, a: t.RecordedAnswer) -> TasRecordedAnswer:
        return cls(
            id=strawberry.ID(a.id),
            question=a.question,
            answer=a.answer,
            answered_by=a.answered_by,
            answered_at=a.answered_at,
            comment=a.comment,
            evidence=list(a.evidence),
        )


@strawberry.input(description="An answer of the account team to one TAS question.")
class RecordTasAnswerInput:
    id: strawberry.ID = strawberry.field(
        description="The answer's id, chosen by the client: sending it again is a retry "
        "(the same data changes nothing), not a second answer."
    )
    opportunity_id: strawberry.ID = strawberry.field(description="The opportunity assessed.")
    question: int = strawberry.field(description="The TAS question, 1..14.")
    answer: t.TasAnswer = strawberry.field(description="YES, NO or UNKNOWN.")
    comment: str | None = strawberry.field(
        default=strawberry.UNSET, description="The answer's reasoning."
    )
    evidence: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Links to the evidence (documents, minutes)."
    )


@strawberry.type(description="One of the 14 TAS questions answered, with its source.")
class TasQuestionAnswer:
    number: int = strawberry.field(description="1..14, as seed 000 numbers them.")
    heading: t.TasHeading = strawberry.field(description="The group of the question.")
    question: str = strawberry.field(description="The question (in the request's language).")
    answer: t.TasAnswer = strawberry.field(description="YES, NO or UNKNOWN.")
    source: t.AnswerSource = strawberry.field(
        description="GRAPH (computed), TEAM (recorded by the account team) or NONE."
    )
    reason: str = strawberry.field(description="Why, in words: the facts or the team's comment.")
    stale: bool = strawberry.field(
        description="The team's latest answer is older than staleAfterDays: it no longer counts."
    )
    recorded: TasRecordedAnswer | None = strawberry.field(
        description="The team's latest answer on asOf, fresh or stale."
    )
    history: list[TasRecordedAnswer] = strawberry.field(
        description="Every answer recorded to this question up to asOf, oldest first."
    )


@strawberry.type(description="A verdict on one of the four headings.")
class TasHeadingVerdict:
    heading: t.TasHeading = strawberry.field(description="The heading.")
    title: str = strawberry.field(description="The heading's question, e.g. 是否有真实商机?")
    verdict: t.TasAnswer = strawberry.field(
        description="NO if any question is NO; YES if all are YES; else UNKNOWN."
    )
    questions: list[TasQuestionAnswer] = strawberry.field(description="Its questions.")


@strawberry.type(description="A to-do: what is missing for a question, or a decider lost.")
class TasGap:
    question: int | None = strawberry.field(description="The question concerned, if any.")
    message: str = strawberry.field(description="What to do, naming the people to see.")
    person_ids: list[strawberry.ID] = strawberry.field(description="The people concerned.")


@strawberry.type(description="A person of the buying centre: are we or a competitor closer?")
class DeciderPosition:
    person_id: strawberry.ID = strawberry.field(description="The person.")
    name: str = strawberry.field(description="Their name.")
    role: m.BuyingRole | None = strawberry.field(description="Their buying role (决审研咨用).")
    attitude: m.Attitude | None = strawberry.field(description="Their attitude to us.")
    our_strength: float | None = strawberry.field(
        description="Our strongest coverage, 0..1 (null: nobody covers them)."
    )
    competitor_strength: float | None = strawberry.field(
        description="The strongest competitor's relationship, 0..1 (null: none known)."
    )
    competitor: Competitor | None = strawberry.field(description="That competitor.")
    competitor_champion: bool = strawberry.field(description="They are its champion.")
    closer: t.Closer = strawberry.field(description="US, COMPETITOR, TIE or NOBODY.")

    @classmethod
    def from_domain(cls, d: t.DeciderPosition) -> DeciderPosition:
        return cls(
            person_id=strawberry.ID(d.person_id),
            name=d.name,
            role=d.role,
            attitude=d.attitude,
            our_strength=m.reported_or_none(d.our_strength),
            competitor_strength=m.reported_or_none(d.competitor_strength),
            competitor=Competitor.from_domain(d.competitor) if d.competitor else None,
            competitor_champion=d.competitor_champion,
            closer=d.closer,
        )


@strawberry.type(
    description=(
        "The TAS scorecard of an opportunity: the 14 questions under their four headings, "
        "each YES/NO/UNKNOWN with its source, a verdict per heading, the gaps as a to-do "
        "list, and the competitors' hold on the buying centre."
    )
)
class OpportunityAssessment:
    opportunity_id: strawberry.ID = strawberry.field(description="The opportunity.")
    opportunity_name: str = strawberry.field(description="Its name.")
    account_id: strawberry.ID = strawberry.field(description="Its account.")
    account_name: str = strawberry.field(description="The account's name.")
    stage: m.OpportunityStage = strawberry.field(description="Its funnel stage.")
    as_of: datetime.date = strawberry.field(description="The day it is assessed for.")
    stale_after_days: int = strawberry.field(
        description="Recorded answers older than this do not count (GRAPH_API_TAS_STALE_DAYS)."
    )
    competitive_strategy: t.CompetitiveStrategy | None = strawberry.field(
        description="The strategy chosen (正面/侧面/分化/防御/拓展)."
    )
    strategy_rationale: str | None = strawberry.field(description="Why that strategy.")
    headings: list[TasHeadingVerdict] = strawberry.field(
        description="The four headings in the seed's order, each with its questions."
    )
    gaps: list[TasGap] = strawberry.field(description="What to do, question by question.")
    deciders: list[DeciderPosition] = strawberry.field(
        description="The marked people (决 first): whether we or a competitor is closer."
    )
    competitors: list[CompetitorOnOpportunity] = strawberry.field(
        description="The competitors recorded on the opportunity."
    )
    deciders_held_by_competitors: list[strawberry.ID] = strawberry.field(
        description="Deciders and approvers (决/审) a competitor covers and we do not."
    )

    @classmethod
    def from_domain(cls, s: t.Scorecard, language: Language) -> OpportunityAssessment:
        o = s.opportunity
        answers = [a for a in o.answers if a.answered_at.date() <= s.as_of]

        def question(a: t.QuestionAnswer) -> TasQuestionAnswer:
            q = a.question
            return TasQuestionAnswer(
                number=q.number,
                heading=q.heading,
                question=q.zh if language is Language.ZH else q.en,
                answer=a.answer,
                source=a.source,
                reason=a.reason,
                stale=a.stale,
                recorded=TasRecordedAnswer.from_domain(a.recorded) if a.recorded else None,
                history=[
                    TasRecordedAnswer.from_domain(x) for x in answers if x.question == q.number
                ],
            )

        return cls(
            opportunity_id=strawberry.ID(o.id),
            opportunity_name=o.name,
            account_id=strawberry.ID(o.account_id),
            account_name=o.account_name,
            stage=o.stage,
            as_of=s.as_of,
            stale_after_days=s.stale_after_days,
            competitive_strategy=o.strategy,
            strategy_rationale=o.strategy_rationale,
            headings=[
                TasHeadingVerdict(
                    heading=h.heading,
                    title=_TITLE[h.heading].label(language),
                    verdict=h.verdict,
                    questions=[question(a) for a in h.answers],
                )
                for h in s.headings
            ],
            gaps=[
                TasGap(
                    question=g.question,
                    message=g.message,
                    person_ids=[strawberry.ID(x) for x in g.person_ids],
                )
                for g in s.gaps
            ],
            deciders=[DeciderPosition.from_domain(d) for d in s.deciders],
            competitors=[CompetitorOnOpportunity.from_domain(c) for c in s.competitors],
            deciders_held_by_competitors=[strawberry.ID(x) for x in s.lost_to_competitors],
        )


@strawberry.type(description="One exit criterion of a funnel stage, checked for an opportunity.")
class ExitCriterion:
    code: str = strawberry.field(description="I1..I3, C1..C4, Q1..Q3, D1..D3, K1.")
    text: str = strawberry.field(description="The criterion as seed 003 words it.")
    status: t.CriterionStatus = strawberry.field(description="MET, NOT_MET or UNKNOWN.")
    source: t.AnswerSource = strawberry.field(
        description="GRAPH (checked on the graph) or TEAM (from the recorded TAS answers)."
    )
    detail: str = strawberry.field(description="The facts it was checked on.")


@strawberry.type(description="An opportunity in the funnel, with its stage's exit criteria.")
class FunnelOpportunity:
    id: strawberry.ID = strawberry.field(description="The opportunity.")
    name: str = strawberry.field(description="Its name.")
    account_id: strawberry.ID = strawberry.field(description="Its account.")
    account_name: str = strawberry.field(description="The account's name.")
    stage: m.OpportunityStage = strawberry.field(description="Its stage.")
    amount: float | None = strawberry.field(description="Expected deal amount.")
    weighted_amount: float | None = strawberry.field(
        description="The amount x the stage's probability."
    )
    close_date: datetime.date | None = strawberry.field(description="Expected close date.")
    owner: Rep | None = strawberry.field(description="The owning rep.")
    criteria: list[ExitCriterion] = strawberry.field(
        description="The exit criteria of its stage (seed 003)."
    )
    ready_to_advance: bool = strawberry.field(description="Every criterion is MET.")


@strawberry.type(description="One stage of the funnel.")
class FunnelStage:
    stage: m.OpportunityStage = strawberry.field(description="The stage.")
    probability: float = strawberry.field(description="Its win probability (0.1 .. 0.9).")
    count: int = strawberry.field(description="Opportunities at this stage.")
    amount: float = strawberry.field(description="Their amounts added up.")
    weighted_amount: float = strawberry.field(description="The amount x the probability.")
    opportunities: list[FunnelOpportunity] = strawberry.field(description="In id order.")


@strawberry.type(description="The open opportunities by stage I/C/Q/D/C (seed 003).")
class Funnel:
    stages: list[FunnelStage] = strawberry.field(
        description="IDENTIFIED, CONTACTED, QUALIFIED, DEVELOPED, COMMITTED (all five)."
    )
    open_count: int = strawberry.field(description="Open opportunities.")
    open_amount: float = strawberry.field(description="Their amounts added up.")
    weighted_amount: float = strawberry.field(
        description="Probability-weighted value of the open opportunities."
    )

    @classmethod
    def from_domain(cls, f: t.Funnel) -> Funnel:
        return cls(
            stages=[
                FunnelStage(
                    stage=s.stage,
                    probability=s.probability,
                    count=s.count,
                    amount=s.amount,
                    weighted_amount=s.weighted_amount,
                    opportunities=[
                        FunnelOpportunity(
                            id=strawberry.ID(o.id),
                            name=o.name,
                            account_id=strawberry.ID(o.account_id),
                            account_name=o.account_name,
                            stage=o.stage,
                            amount=o.amount,
                            weighted_amount=o.weighted_amount,
                            close_date=o.close_date,
                            owner=Rep.from_domain(o.owner) if o.owner else None,
                            criteria=[
                                ExitCriterion(
                                    code=c.code,
                                    text=c.text,
                                    status=c.status,
                                    source=c.source,
                                    detail=c.detail,
                                )
                                for c in o.criteria
                            ],
                            ready_to_advance=o.ready_to_advance,
                        )
                        for o in s.opportunities
                    ],
                )
                for s in f.stages
            ],
            open_count=f.open_count,
            open_amount=f.open_amount,
            weighted_amount=f.weighted_amount,
        )


_TITLE = i18n.ENUM_LABELS[t.TasHeading]

TheOpportunity = Annotated[
    strawberry.ID, strawberry.argument(description="The opportunity assessed.")
]
TeamId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="An account team: the accounts it covers; or accountId."),
]


@strawberry.type
class TasQuery:
    @strawberry.field(
        description=(
            "The TAS scorecard of an opportunity on asOf (default today): the 14 questions "
            "of seed 000 under 是否有真实商机? 是否有竞争力? 是否可以成功? 是否值得去赢?, each "
            "answered from the graph where it knows (3, 4, 6, 9, 10, 13), else by the account "
            "team's latest recorded answer (recordTasAnswer) unless it is stale; verdicts, "
            "gaps, and who is closer to each decider: we or a competitor. NOT_FOUND for an "
            "unknown opportunity."
        )
    )
    async def opportunity_assessment(
        self, info: Info, opportunity_id: TheOpportunity, as_of: AsOf = None
    ) -> OpportunityAssessment | None:
        ctx = info.context
        card = await service.opportunity_assessment(
            await ctx.reader(),
            str(opportunity_id),
            as_of,
            ctx.settings.tas_stale_days,
            memo=ctx.cache,
            language=ctx.language,
            runner=ctx.analysis,
        )
        return OpportunityAssessment.from_domain(card, ctx.language)

    @strawberry.field(
        description=(
            "The funnel of an account (accountId; with includeSubsidiaries its branches and "
            "subsidiaries too) or of an account team (teamId: the accounts it covers): the "
            "open opportunities by stage with probability-weighted value, and each one's "
            "exit criteria of its stage (seed 003) checked on the graph where possible. Give "
            "exactly one of accountId and teamId."
        )
    )
    async def funnel(
        self,
        info: Info,
        account_id: AccountId = None,
        team_id: TeamId = None,
        include_subsidiaries: IncludeSubsidiaries = False,
        as_of: AsOf = None,
    ) -> Funnel | None:
        ctx = info.context
        result = await service.funnel(
            await ctx.reader(),
            str(account_id) if account_id is not None else None,
            str(team_id) if team_id is not None else None,
            include_subsidiaries,
            as_of,
            ctx.settings.tas_stale_days,
            language=ctx.language,
        )
        return Funnel.from_domain(result)
