"""GraphQL types of the 360° view's parts: thin views of `graph_api.domain.view`."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.declared import described_by, stamp_values, stamped
from graph_api.domain import model as m
from graph_api.domain import signals as s
from graph_api.domain import view as v
from graph_api.domain.global_id import to_global_id
from graph_api.domain.model import reported_or_none


@strawberry.interface(
    description=(
        "Relay's Node: an object fetched again by its globalId with node(id:) (or many with "
        "nodes(ids:)). Every kind with an id is a node: people and organizations, reps, "
        "account teams, products, holdings, opportunities, interactions, business events, "
        "competitors. Relay clients use globalId as the node id (relay-compiler: "
        "nodeInterfaceIdField globalId); `id` stays each type's own id, as before."
    )
)
class Node:
    id: strawberry.ID = strawberry.field(
        description=(
            "The object's own id, unique within its kind (the import format's id); people "
            "and organizations share one id space, and node(id:) accepts a party's id too."
        )
    )

    @strawberry.field(
        description=(
            "Unique across the API and opaque (base64 of `Kind:id`, Relay's convention): "
            "node(id:) fetches the object again by it."
        )
    )
    def global_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(type(self).__name__, str(self.id)))


@described_by("reps")
@strawberry.type(description="One of our own sales people.")
@stamped("Rep")
class Rep(Node):
    id: strawberry.ID
    name: str
    email: str | None
    role: m.RepRole | None
    region: str | None

    @classmethod
    def from_domain(cls, r: v.Rep) -> Rep:
        return cls(
            **stamp_values(r),
            id=strawberry.ID(r.id),
            name=r.name,
            email=r.email,
            role=r.role,
            region=r.region,
        )


@described_by("products")
@strawberry.type(description="One of our products.")
@stamped("Product")
class Product(Node):
    id: strawberry.ID
    name: str
    category: str | None
    line: str | None = strawberry.field(
        description="Product line, e.g. CREDIT, SETTLEMENT, INSURANCE."
    )
    segment: m.ProductSegment | None

    @classmethod
    def from_domain(cls, p: m.Product) -> Product:
        return cls(
            **stamp_values(p),
            id=strawberry.ID(p.id),
            name=p.name,
            category=p.category,
            line=p.line,
            segment=p.segment,
        )


@described_by("coverage")
@strawberry.type(description="One of our reps' relationship with the party.")
@stamped()
class Coverage:
    rep: Rep
    strength: float | None = strawberry.field(description="0..1")
    kind: str | None = strawberry.field(description="PERSONAL, BUSINESS, SOCIAL, ...")

    @classmethod
    def from_domain(cls, c: v.Coverage) -> Coverage:
        return cls(
            **stamp_values(c),
            rep=Rep.from_domain(c.rep),
            strength=reported_or_none(c.strength),
            kind=c.kind,
        )


@described_by("teamMembers")
@strawberry.type(description="A rep in an account team, with their role in it.")
@stamped()
class TeamMember:
    rep: Rep = strawberry.field(description="The member.")
    role: m.RepRole | None

    @classmethod
    def from_domain(cls, t: v.TeamMember) -> TeamMember:
        return cls(**stamp_values(t), rep=Rep.from_domain(t.rep), role=t.role)


@strawberry.type(description="The opportunity an interaction was about.")
class OpportunityRef:
    id: strawberry.ID = strawberry.field(description="The opportunity's id.")
    name: str = strawberry.field(description="Its name.")
    stage: m.OpportunityStage | None = strawberry.field(description="Its funnel level.")


@described_by("interactions")
@strawberry.type(description="A contact with the customer: visit, call, complaint, claim, ...")
@stamped("Interaction")
class Interaction(Node):
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
            **stamp_values(i),
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


@described_by("events")
@strawberry.type(description="News or a business event of a customer.")
@stamped("BusinessEvent")
class BusinessEvent(Node):
    id: strawberry.ID
    kind: str
    title: str
    date: datetime.date | None
    description: str | None

    @classmethod
    def from_domain(cls, e: v.BusinessEvent) -> BusinessEvent:
        return cls(
            **stamp_values(e),
            id=strawberry.ID(e.id),
            kind=e.kind,
            title=e.title,
            date=e.date,
            description=e.description,
        )


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge: pass it as `after` for the next page."
    )

    @classmethod
    def from_page(cls, page: v.Page[Any]) -> PageInfo:
        return cls(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        )


@strawberry.type(description="An interaction in a page, with its cursor.")
class InteractionEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: Interaction = strawberry.field(description="The item.")


@strawberry.type(description="Interactions, newest first (ties by id).")
class InteractionConnection:
    edges: list[InteractionEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")
    total_count: int = strawberry.field(description="Items in the whole list.")

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


@strawberry.type(description="沉睡客户: days without interaction against the review windows.")
class SleepingSignal:
    last_interaction_at: datetime.datetime | None = strawberry.field(
        description="The last contact before asOf."
    )
    days_since_last_interaction: int | None = strawberry.field(
        description="Days since the last interaction (or customerSince); null if neither is known."
    )
    sleeping: bool = strawberry.field(description="No interaction for windowDays (or ever).")
    escalated: bool = strawberry.field(description="No interaction for escalationDays (or ever).")
    escalate_to: s.Escalation = strawberry.field(description="Who must hear of it.")
    window_days: int = strawberry.field(
        description="Days without contact before a customer sleeps."
    )
    escalation_days: int = strawberry.field(description="Days before it goes to management.")


@strawberry.type(description="A profile field and the points it is worth when filled.")
class ProfileField:
    field: str = strawberry.field(description="Property name, as in the import format.")
    points: int = strawberry.field(description="Points the field adds to the score.")


@strawberry.type(
    description=(
        "客户画像打分: profile completeness out of 100. For a viewer to whom the person's "
        "sensitive fields are masked (`Party.masked`), those fields count neither as filled "
        "nor as missing: `score` and `missingFields` leave them out and `maskedFields` names "
        "them, so score + missing points + masked points = 100 and nothing tells whether a "
        "masked field is filled."
    )
)
class ProfileCompleteness:
    score: int = strawberry.field(
        description="Points of 100 of the filled fields the viewer sees (masked ones: not counted)."
    )
    threshold: int = strawberry.field(
        description="Points below which the profile is non-compliant."
    )
    compliant: bool = strawberry.field(
        description=(
            "Whether the record's score over every field, masked ones included, is >= "
            "threshold: the record's status, the same for every viewer (as the portfolio's "
            "belowCompliance filter)."
        )
    )
    missing_fields: list[ProfileField] = strawberry.field(
        description="The empty fields the viewer sees, most points first (masked fields: never)."
    )
    masked_fields: list[ProfileField] = strawberry.field(
        description=(
            "The fields masked for the viewer, most points first: counted neither as filled "
            "nor as missing. Empty when nothing is masked."
        )
    )
    flagged: bool = strawberry.field(
        description=(
            "Grade 3+ customer not compliant (the record's status, the same for every "
            "viewer): reported to managers."
        )
    )


@strawberry.type(description="Customer signals of the documents, as of a date.")
class Signals:
    as_of: datetime.date = strawberry.field(description="The day the signals are for.")
    tier: m.Tier | None = strawberry.field(description="客户分层.")
    grade: int | None = strawberry.field(description="Customer grade 1..5.")
    rad_cell: str | None = strawberry.field(description="Key-account RAD cell (organizations).")
    sleeping: SleepingSignal = strawberry.field(description="沉睡客户: the follow-up signal.")
    profile: ProfileCompleteness = strawberry.field(
        description="客户画像打分: profile completeness."
    )

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
                masked_fields=[ProfileField(field=f.field, points=f.points) for f in pr.masked],
                flagged=pr.flagged,
            ),
        )
