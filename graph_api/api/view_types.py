"""GraphQL types of the 360° view's parts: thin views of `graph_api.domain.view`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.domain import model as m
from graph_api.domain import signals as s
from graph_api.domain import view as v
from graph_api.domain.model import reported_or_none

if TYPE_CHECKING:
    from graph_api.api.types import Organization, Party, Person

PersonRef = Annotated["Person", strawberry.lazy("graph_api.api.types")]
OrganizationRef = Annotated["Organization", strawberry.lazy("graph_api.api.types")]
PartyRef = Annotated["Party", strawberry.lazy("graph_api.api.types")]


def _party(p: m.Party) -> Person | Organization:
    from graph_api.api.types import party_to_gql

    return party_to_gql(p)


def _person(p: m.Person) -> Person:
    from graph_api.api.types import Person

    return Person.from_domain(p)


def _organization(o: m.Organization) -> Organization:
    from graph_api.api.types import Organization

    return Organization.from_domain(o)


@strawberry.type(description="One of our own sales people.")
class Rep:
    id: strawberry.ID
    name: str
    email: str | None
    role: m.RepRole | None
    region: str | None

    @classmethod
    def from_domain(cls, r: v.Rep) -> Rep:
        return cls(id=strawberry.ID(r.id), name=r.name, email=r.email, role=r.role, region=r.region)


@strawberry.type(description="One of our products.")
class Product:
    id: strawberry.ID
    name: str
    category: str | None
    line: str | None = strawberry.field(description="e.g. CREDIT, SETTLEMENT, INSURANCE")
    segment: m.ProductSegment | None

    @classmethod
    def from_domain(cls, p: v.Product) -> Product:
        return cls(
            id=strawberry.ID(p.id), name=p.name, category=p.category, line=p.line, segment=p.segment
        )


@strawberry.type(description="A person's job or contact role at an organization.")
class Employment:
    organization: OrganizationRef
    title: str | None
    department: str | None
    since: datetime.date | None
    primary: bool = strawberry.field(description="The person's main employer.")

    @classmethod
    def from_domain(cls, e: v.Employment) -> Employment:
        return cls(
            organization=_organization(e.organization),
            title=e.title,
            department=e.department,
            since=e.since,
            primary=e.primary,
        )


@strawberry.type(description="A relative of the viewed person.")
class HouseholdMember:
    person: PersonRef
    relation: m.FamilyKind = strawberry.field(
        description="What the member is to the viewed person: CHILD = the member is their child."
    )

    @classmethod
    def from_domain(cls, h: v.HouseholdMember) -> HouseholdMember:
        return cls(person=_person(h.person), relation=h.relation)


@strawberry.type(description="A beneficiary of a policy.")
class Beneficiary:
    person: PersonRef
    share: float | None = strawberry.field(description="Share of the benefit, 0..1.")

    @classmethod
    def from_domain(cls, b: v.Beneficiary) -> Beneficiary:
        return cls(person=_person(b.person), share=b.share)


@strawberry.type(description="A product held by a party (policy, account, loan).")
class Holding:
    id: strawberry.ID
    holder: PartyRef = strawberry.field(description="Whose holding it is.")
    product: Product
    since: datetime.date | None
    amount: float | None
    status: m.HoldingStatus | None
    beneficiaries: list[Beneficiary]
    household_relation: m.FamilyKind | None = strawberry.field(
        description=(
            "In a household's holdings: what the holder is to the viewed person "
            "(SPOUSE, CHILD, ...); null when the viewed person holds it."
        )
    )

    @classmethod
    def from_domain(cls, h: v.Holding) -> Holding:
        return cls(
            id=strawberry.ID(h.id),
            holder=_party(h.holder),
            product=Product.from_domain(h.product),
            since=h.since,
            amount=h.amount,
            status=h.status,
            beneficiaries=[Beneficiary.from_domain(b) for b in h.beneficiaries],
            household_relation=h.household_relation,
        )


@strawberry.type(description="Influence (who listens to whom) or acquaintance.")
class Relationship:
    kind: v.RelationshipKind
    party: PartyRef = strawberry.field(description="The other party.")
    strength: float | None = strawberry.field(description="0..1")
    influence_kind: str | None = strawberry.field(
        description="For influence: POLITICAL, TECHNICAL, ADVISORY, ..."
    )
    context: str | None = strawberry.field(
        description="For acquaintance: how they know each other."
    )

    @classmethod
    def from_domain(cls, r: v.Relationship) -> Relationship:
        return cls(
            kind=r.kind,
            party=_party(r.party),
            strength=reported_or_none(r.strength),
            influence_kind=r.influence_kind,
            context=r.context,
        )


@strawberry.type(description="One of our reps' relationship with the party.")
class Coverage:
    rep: Rep
    strength: float | None = strawberry.field(description="0..1")
    kind: str | None = strawberry.field(description="PERSONAL, BUSINESS, SOCIAL, ...")

    @classmethod
    def from_domain(cls, c: v.Coverage) -> Coverage:
        return cls(rep=Rep.from_domain(c.rep), strength=reported_or_none(c.strength), kind=c.kind)


@strawberry.type
class TeamMember:
    rep: Rep
    role: m.RepRole | None

    @classmethod
    def from_domain(cls, t: v.TeamMember) -> TeamMember:
        return cls(rep=Rep.from_domain(t.rep), role=t.role)


@strawberry.type(description="An account team covering the party or one of its ancestors.")
class AccountTeam:
    id: strawberry.ID
    name: str
    account: PartyRef = strawberry.field(
        description="The account the team covers: the party itself or an ancestor."
    )
    manager: Rep | None
    members: list[TeamMember]

    @classmethod
    def from_domain(cls, t: v.AccountTeam) -> AccountTeam:
        return cls(
            id=strawberry.ID(t.id),
            name=t.name,
            account=_party(t.account),
            manager=Rep.from_domain(t.manager) if t.manager else None,
            members=[TeamMember.from_domain(x) for x in t.members],
        )


@strawberry.type(description="A person's buying-centre markers on an opportunity.")
class BuyingCentreMember:
    person: PersonRef
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None

    @classmethod
    def from_domain(cls, b: v.BuyingCentreMember) -> BuyingCentreMember:
        return cls(
            person=_person(b.person), role=b.role, attitude=b.attitude, influence=b.influence
        )


@strawberry.type(description="A sales opportunity.")
class Opportunity:
    id: strawberry.ID
    name: str
    account: PartyRef
    stage: m.OpportunityStage
    probability: float = strawberry.field(description="Win probability of the stage, 0..1.")
    amount: float | None
    close_date: datetime.date | None
    owner: Rep | None
    products: list[Product]
    buying_centre: list[BuyingCentreMember]

    @classmethod
    def from_domain(cls, o: v.Opportunity) -> Opportunity:
        return cls(
            id=strawberry.ID(o.id),
            name=o.name,
            account=_party(o.account),
            stage=o.stage,
            probability=o.probability,
            amount=o.amount,
            close_date=o.close_date,
            owner=Rep.from_domain(o.owner) if o.owner else None,
            products=[Product.from_domain(p) for p in o.products],
            buying_centre=[BuyingCentreMember.from_domain(b) for b in o.buying_centre],
        )


@strawberry.type(description="The opportunity an interaction was about.")
class OpportunityRef:
    id: strawberry.ID
    name: str
    stage: m.OpportunityStage | None


@strawberry.type(description="A contact with the customer: visit, call, complaint, claim, ...")
class Interaction:
    id: strawberry.ID
    kind: m.InteractionKind | None
    at: datetime.datetime
    direction: m.InteractionDirection | None
    purpose: m.InteractionPurpose | None
    channel: m.Channel | None
    subject: str | None
    summary: str | None
    reps: list[Rep] = strawberry.field(description="Our reps who conducted it.")
    opportunity: OpportunityRef | None

    @classmethod
    def from_domain(cls, i: v.Interaction) -> Interaction:
        opp = i.opportunity
        return cls(
            id=strawberry.ID(i.id),
            kind=i.kind,
            at=i.at,
            direction=i.direction,
            purpose=i.purpose,
            channel=i.channel,
            subject=i.subject,
            summary=i.summary,
            reps=[Rep.from_domain(r) for r in i.reps],
            opportunity=(
                OpportunityRef(id=strawberry.ID(opp.id), name=opp.name, stage=opp.stage)
                if opp
                else None
            ),
        )


@strawberry.type(description="News or a business event of a customer.")
class BusinessEvent:
    id: strawberry.ID
    kind: str
    title: str
    date: datetime.date | None
    description: str | None

    @classmethod
    def from_domain(cls, e: v.BusinessEvent) -> BusinessEvent:
        return cls(
            id=strawberry.ID(e.id),
            kind=e.kind,
            title=e.title,
            date=e.date,
            description=e.description,
        )


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def from_page(cls, page: v.Page[Any]) -> PageInfo:
        return cls(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        )


@strawberry.type
class InteractionEdge:
    cursor: str
    node: Interaction


@strawberry.type(description="Interactions, newest first (ties by id).")
class InteractionConnection:
    edges: list[InteractionEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_domain(cls, page: v.Page[v.Interaction]) -> InteractionConnection:
        return cls(
            edges=[
                InteractionEdge(cursor=e.cursor, node=Interaction.from_domain(e.node))
                for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
        )


@strawberry.type(description="A person working for the organization (or a branch of it).")
class EmployeeEdge:
    cursor: str
    node: PersonRef
    organization: OrganizationRef = strawberry.field(
        description="Where the person works: the organization or one of its branches."
    )
    title: str | None
    department: str | None
    since: datetime.date | None
    primary: bool


@strawberry.type(description="People of an organization, by name (ties by id).")
class EmployeeConnection:
    edges: list[EmployeeEdge]
    page_info: PageInfo
    total_count: int

    @classmethod
    def from_domain(cls, page: v.Page[v.Employment]) -> EmployeeConnection:
        return cls(
            edges=[
                EmployeeEdge(
                    cursor=e.cursor,
                    node=_person(e.node.person),
                    organization=_organization(e.node.organization),
                    title=e.node.title,
                    department=e.node.department,
                    since=e.node.since,
                    primary=e.node.primary,
                )
                for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
        )


@strawberry.type(description="沉睡客户: days without interaction against the review windows.")
class SleepingSignal:
    last_interaction_at: datetime.datetime | None
    days_since_last_interaction: int | None = strawberry.field(
        description="Days since the last interaction (or customerSince); null if neither is known."
    )
    sleeping: bool = strawberry.field(description="No interaction for windowDays (or ever).")
    escalated: bool = strawberry.field(description="No interaction for escalationDays (or ever).")
    escalate_to: s.Escalation
    window_days: int
    escalation_days: int


@strawberry.type
class ProfileField:
    field: str = strawberry.field(description="Property name, as in the import format.")
    points: int


@strawberry.type(description="客户画像打分: profile completeness out of 100.")
class ProfileCompleteness:
    score: int
    threshold: int
    compliant: bool = strawberry.field(description="score >= threshold")
    missing_fields: list[ProfileField] = strawberry.field(description="Most points first.")
    flagged: bool = strawberry.field(
        description="Grade 3+ customer below the threshold: reported to managers."
    )


@strawberry.type(description="Customer signals of the documents, as of a date.")
class Signals:
    as_of: datetime.date
    tier: m.Tier | None
    grade: int | None
    rad_cell: str | None = strawberry.field(description="Key-account RAD cell (organizations).")
    sleeping: SleepingSignal
    profile: ProfileCompleteness

    @classmethod
    def from_domain(cls, x: s.Signals) -> Signals:
        sl, pr = x.sleeping, x.profile
        return cls(
            as_of=x.as_of,
            tier=x.tier,
            grade=x.grade,
            rad_cell=x.rad_cell,
            sleeping=SleepingSignal(
                last_interaction_at=sl.last_interaction_at,
                days_since_last_interaction=sl.days_since_last_interaction,
                sleeping=sl.sleeping,
                escalated=sl.escalated,
                escalate_to=sl.escalate_to,
                window_days=sl.window_days,
                escalation_days=sl.escalation_days,
            ),
            profile=ProfileCompleteness(
                score=pr.score,
                threshold=pr.threshold,
                compliant=pr.compliant,
                missing_fields=[ProfileField(field=f.field, points=f.points) for f in pr.missing],
                flagged=pr.flagged,
            ),
        )
