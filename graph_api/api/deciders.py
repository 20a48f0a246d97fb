"""Query fields for key deciders and the TAS 9/10 assessment (who decides, are we covered)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Annotated

import strawberry
from graphql import FieldNode

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import (
    AccountId,
    GraphAsOf,
    IncludeSubsidiaries,
    Limit,
    OpportunityId,
)
from graph_api.api.context import Info
from graph_api.api.declared import declared_names
from graph_api.api.selection import child_fields
from graph_api.api.tas import Competition, competition_of
from graph_api.api.types import Person
from graph_api.api.view_types import Coverage
from graph_api.domain import deciders as d
from graph_api.domain import model as m
from graph_api.services.deciders import (
    SCOPE_PERSON_FIELDS,
    AssessmentResult,
    DecisionScope,
    decision_assessment,
    key_deciders,
)
from graph_api.services.deciders import (
    at_close as at_close_of,
)


@strawberry.type(description="One component of a decider's score.")
class ScorePart:
    component: d.ScoreComponent = strawberry.field(description="Which component.")
    value: float = strawberry.field(description="The component, 0..1.")
    weight: float = strawberry.field(description="Its weight in the score.")
    contribution: float = strawberry.field(description="What it adds: value x weight.")
    detail: str = strawberry.field(description="The facts behind it, in words.")

    @classmethod
    def from_domain(cls, p: d.ScorePart) -> ScorePart:
        return cls(
            component=p.component,
            value=p.value,
            weight=p.weight,
            contribution=p.contribution,
            detail=p.detail,
        )


@strawberry.type(description="A person ranked by decision power, with the reasons.")
class KeyDecider:
    rank: int = strawberry.field(description="1 = the most decision power.")
    person: Person = strawberry.field(description="The person ranked.")
    title: str | None = strawberry.field(
        description="Title at the account (or, if external, at their own organization)."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        description="The organization they work for (in the account)."
    )
    organization_name: str | None = strawberry.field(description="Its name.")
    external: bool = strawberry.field(
        description="Outside the account's organizations (an adviser, a research institute)."
    )
    role: m.BuyingRole | None = strawberry.field(description="Buying-centre role (决审研咨用).")
    attitude: m.Attitude | None = strawberry.field(description="Attitude to us (+ = - X).")
    influence: m.InfluenceLevel | None = strawberry.field(description="Declared influence level.")
    role_source: d.RoleSource | None = strawberry.field(
        description="Where the role marker comes from."
    )
    score: float = strawberry.field(description="0..1, the sum of the parts' contributions.")
    parts: list[ScorePart] = strawberry.field(description="The components of the score.")
    level: int | None = strawberry.field(
        description="1 = top of the known reporting lines, 2 = reports to a level-1 person, "
        "...; null: on no known reporting line (or external)."
    )
    direct_reports: int = strawberry.field(description="How many people report to them.")
    people_below: int = strawberry.field(
        description="Span of control: people below, directly or not."
    )
    manager_ids: list[strawberry.ID] = strawberry.field(description="The people they report to.")
    listened_to_by: list[strawberry.ID] = strawberry.field(
        description="People who listen to this person (INFLUENCES), strongest first."
    )
    listens_to: list[strawberry.ID] = strawberry.field(
        description="People this person listens to, strongest first."
    )
    coverage: list[Coverage] = strawberry.field(description="Our reps, strongest first.")
    explanation: str = strawberry.field(
        description='In words, e.g. "approves; reports to 王志强; three evaluators listen to her".'
    )

    @strawberry.field(
        description="Whether we or a competitor is closer to them (competitorCoverage)."
    )
    async def competition(self, info: Info) -> Competition:
        ours = max((c.strength or 0.0 for c in self.coverage), default=None)
        return await competition_of(info, str(self.person.id), ours)

    @classmethod
    def from_domain(cls, k: d.KeyDecider) -> KeyDecider:
        c = k.candidate
        return cls(
            rank=k.rank,
            person=Person.from_domain(c.person),
            title=c.title,
            organization_id=strawberry.ID(c.organization_id) if c.organization_id else None,
            organization_name=c.organization_name,
            external=c.external,
            role=c.role,
            attitude=c.attitude,
            influence=c.influence,
            role_source=c.role_source,
            score=k.score,
            parts=[ScorePart.from_domain(p) for p in k.parts],
            level=k.level,
            direct_reports=k.direct_reports,
            people_below=k.people_below,
            manager_ids=[strawberry.ID(x) for x in k.manager_ids],
            listened_to_by=[strawberry.ID(x) for x in k.listened_to_by],
            listens_to=[strawberry.ID(x) for x in k.listens_to],
            coverage=[Coverage.from_domain(x) for x in c.coverage],
            explanation=k.explanation,
        )


@strawberry.type(description="A member of the decision layer and why they are in it.")
class DecisionLayerMember:
    decider: KeyDecider = strawberry.field(description="The decider.")
    reason: str = strawberry.field(description="Declared decision maker/approver, or rank.")


@strawberry.type(description="Our coverage of one level of the customer's hierarchy.")
class LevelCoverage:
    level: int = strawberry.field(description="1 = the top of the reporting lines.")
    people: int = strawberry.field(description="People at this level.")
    covered: int = strawberry.field(description="People at this level covered by a rep.")
    covered_share: float = strawberry.field(description="Share of them our reps cover, 0..1.")
    strongest: float | None = strawberry.field(
        description="Our strongest coverage at this level, 0..1."
    )
    average_strength: float | None = strawberry.field(description="Over the covered people.")
    uncovered_ids: list[strawberry.ID] = strawberry.field(
        description="The people at this level nobody covers."
    )

    @classmethod
    def from_domain(cls, lv: d.LevelCoverage) -> LevelCoverage:
        return cls(
            level=lv.level,
            people=lv.people,
            covered=lv.covered,
            covered_share=round(lv.covered_share, 6),
            strongest=lv.strongest,
            average_strength=lv.average_strength,
            uncovered_ids=[strawberry.ID(x) for x in lv.uncovered_ids],
        )


@strawberry.type(description="A risk to our position: opposed or uncovered deciders, bare levels.")
class Risk:
    kind: d.RiskKind = strawberry.field(description="The kind of gap.")
    severity: d.Severity = strawberry.field(description="How much it matters.")
    message: str = strawberry.field(description="The risk in words, with a way in.")
    person_id: strawberry.ID | None = strawberry.field(description="The person concerned, if any.")
    level: int | None = strawberry.field(description="The hierarchy level concerned, if any.")
    via_ids: list[strawberry.ID] = strawberry.field(
        description="For an uncovered decider: covered people one link away (a way in)."
    )

    @classmethod
    def from_domain(cls, r: d.Risk) -> Risk:
        return cls(
            kind=r.kind,
            severity=r.severity,
            message=r.message,
            person_id=strawberry.ID(r.person_id) if r.person_id else None,
            level=r.level,
            via_ids=[strawberry.ID(x) for x in r.via_ids],
        )


@strawberry.type(
    description=(
        "TAS 9 (does anyone in the customer's decision layer support us?) and 10 (are our "
        "relationships in place at every level?), answered with their evidence."
    )
)
class DecisionAssessment:
    account_id: strawberry.ID = strawberry.field(description="The account assessed.")
    account_name: str = strawberry.field(description="Its name.")
    opportunity_id: strawberry.ID | None = strawberry.field(
        description="The opportunity assessed, when one was given."
    )
    decision_layer_supports_us: bool = strawberry.field(description="TAS 9.")
    relationships_at_every_level: bool = strawberry.field(
        description="TAS 10: every level has coverage and every decider is covered."
    )
    support_answer: str = strawberry.field(
        description="TAS 9: does anyone in the decision layer support us?"
    )
    coverage_answer: str = strawberry.field(
        description="TAS 10: are our relationships in place at every level?"
    )
    decision_layer: list[DecisionLayerMember] = strawberry.field(
        description="Declared decision makers and approvers, and the top three of the ranking."
    )
    supporters: list[KeyDecider] = strawberry.field(
        description="The supporters in the decision layer."
    )
    opponents: list[KeyDecider] = strawberry.field(description="Non-supporters and opponents.")
    levels: list[LevelCoverage] = strawberry.field(
        description="Our coverage at each level of the hierarchy."
    )
    unplaced_people: int = strawberry.field(
        description="The account's people on no known reporting line (not in any level)."
    )
    unplaced_covered: int = strawberry.field(
        description="People we cover whose level is unknown (no reporting line)."
    )
    risks: list[Risk] = strawberry.field(description="Most severe first.")

    @classmethod
    def from_domain(cls, r: AssessmentResult) -> DecisionAssessment:
        a = r.assessment
        return cls(
            account_id=strawberry.ID(r.account_id),
            account_name=r.account_name,
            opportunity_id=strawberry.ID(r.opportunity_id) if r.opportunity_id else None,
            decision_layer_supports_us=a.decision_layer_supports_us,
            relationships_at_every_level=a.relationships_at_every_level,
            support_answer=a.support_answer,
            coverage_answer=a.coverage_answer,
            decision_layer=[
                DecisionLayerMember(decider=KeyDecider.from_domain(x.decider), reason=x.reason)
                for x in a.decision_layer
            ],
            supporters=[KeyDecider.from_domain(x) for x in a.supporters],
            opponents=[KeyDecider.from_domain(x) for x in a.opponents],
            levels=[LevelCoverage.from_domain(x) for x in a.levels],
            unplaced_people=a.unplaced_people,
            unplaced_covered=a.unplaced_covered,
            risks=[Risk.from_domain(x) for x in a.risks],
        )


# Person fields the deciders' scope query does not read (cypher/deciders.cypher): asking for
# any of them under a `person` costs one more, small, query for the people returned. The
# GraphQL names of a person's stored fields are their property names.
_DETAIL_FIELDS = (declared_names("people") | {"version"}) - frozenset(SCOPE_PERSON_FIELDS)


def _asks_person_details(info: Info) -> bool:
    """Whether the selection asks, under a `person` field, for one of _DETAIL_FIELDS (through
    fragments too). Anything under a person's own resolvers (employments, ...) counts as well:
    a conservative answer costs one small query, never a wrong one."""
    fragments = info._raw_info.fragments

    def walk(nodes: Iterable[FieldNode], inside_person: bool) -> bool:
        for node in nodes:
            for sel in child_fields(fragments, node):
                name = sel.name.value
                if inside_person and name in _DETAIL_FIELDS:
                    return True
                if walk((sel,), inside_person or name == "person"):
                    return True
        return False

    return walk(info._raw_info.field_nodes, False)


def _scope(
    account_id: strawberry.ID | None,
    opportunity_id: strawberry.ID | None,
    subsidiaries: bool,
    as_of: datetime.date | None = None,
) -> DecisionScope:
    return DecisionScope(
        account_id=str(account_id) if account_id is not None else None,
        opportunity_id=str(opportunity_id) if opportunity_id is not None else None,
        include_subsidiaries=subsidiaries,
        as_of=as_of,
    )


AtClose = Annotated[
    bool,
    strawberry.argument(
        description=(
            "Read the buying centre as it was on the opportunity's close date (opportunityId "
            "of an opportunity WON or LOST with a closeDate): who decided, and who was on our "
            "side, the day the deal closed. Not with asOf."
        )
    ),
]


@strawberry.type
class DecidersQuery:
    @strawberry.field(
        description=(
            "The people of an account (accountId; with includeSubsidiaries also its branches "
            "and subsidiaries) or of an opportunity's buying centre (opportunityId; with the "
            "account's people for the structure) ranked by decision power: declared role, "
            "formal position and informal influence (outside influencers included), each "
            "with its score, its parts and an explanation. Give exactly one of accountId and "
            "opportunityId (INVALID_INPUT otherwise); an unknown id gives NOT_FOUND."
        )
    )
    async def key_deciders(
        self,
        info: Info,
        account_id: AccountId = None,
        opportunity_id: OpportunityId = None,
        include_subsidiaries: IncludeSubsidiaries = False,
        limit: Limit = 10,
        as_of: GraphAsOf = None,
        at_close: AtClose = False,
    ) -> list[KeyDecider] | None:
        ctx = info.context
        reader = await ctx.reader()
        scope = _scope(account_id, opportunity_id, include_subsidiaries, as_of)
        ranking = await key_deciders(
            reader,
            await at_close_of(reader, scope, as_of) if at_close else scope,
            limit,
            ctx.settings.max_page_size,
            memo=ctx.cache,
            details=_asks_person_details(info),
            language=ctx.language,
            analyses=ctx.analyses,
            runner=ctx.analysis,
        )
        return [KeyDecider.from_domain(k) for k in ranking]

    @strawberry.field(
        description=(
            "TAS questions 9 and 10 for an account or an opportunity: does anyone in the "
            "decision layer support us, and are our relationships in place at every level "
            "of the hierarchy and with every decider; the risks (opposed or uncovered "
            "deciders, levels without coverage) with a way in for each uncovered decider."
        )
    )
    async def decision_assessment(
        self,
        info: Info,
        account_id: AccountId = None,
        opportunity_id: OpportunityId = None,
        include_subsidiaries: IncludeSubsidiaries = False,
        as_of: GraphAsOf = None,
        at_close: AtClose = False,
    ) -> DecisionAssessment | None:
        ctx = info.context
        reader = await ctx.reader()
        scope = _scope(account_id, opportunity_id, include_subsidiaries, as_of)
        result = await decision_assessment(
            reader,
            await at_close_of(reader, scope, as_of) if at_close else scope,
            memo=ctx.cache,
            details=_asks_person_details(info),
            language=ctx.language,
            analyses=ctx.analyses,
            runner=ctx.analysis,
        )
        return DecisionAssessment.from_domain(result)
