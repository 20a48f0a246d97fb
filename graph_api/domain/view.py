"""The parts of the unified 360° view of a party, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from graph_api.domain import i18n
from graph_api.domain import model as m

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Rep:
    """One of our own sales people."""

    id: str
    name: str
    email: str | None = None
    role: m.RepRole | None = None
    region: str | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Employment:
    """A person's job or contact role at an organization (WORKS_FOR)."""

    person: m.Person
    organization: m.Organization
    title: str | None
    department: str | None
    since: date | None
    primary: bool
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    """A relative of the viewed person; `relation` is what the member is to that person."""

    person: m.Person
    relation: m.FamilyKind
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Beneficiary:
    person: m.Person
    share: float | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Holding:
    """A product held by a party; `household_relation` says how the holder is related to the
    viewed person (None when the viewed party holds it itself or for organizations)."""

    id: str
    holder: m.Party
    product: m.Product
    since: date | None
    amount: float | None
    status: m.HoldingStatus | None
    beneficiaries: tuple[Beneficiary, ...] = ()
    household_relation: m.FamilyKind | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


class RelationshipKind(StrEnum):
    """Informal links of a party, read from the viewed party."""

    INFLUENCES = "INFLUENCES"  # the viewed party influences the other (the other listens)
    INFLUENCED_BY = "INFLUENCED_BY"  # the viewed party listens to the other
    KNOWS = "KNOWS"  # acquaintance, undirected


i18n.labels(
    RelationshipKind,
    {
        RelationshipKind.INFLUENCES: i18n.Label("Influences", "影响"),
        RelationshipKind.INFLUENCED_BY: i18n.Label("Listens to", "受其影响"),
        RelationshipKind.KNOWS: i18n.Label("Knows", "认识"),
    },
)


@dataclass(frozen=True, slots=True)
class Relationship:
    kind: RelationshipKind
    party: m.Party
    strength: float | None
    influence_kind: str | None = None
    context: str | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Coverage:
    """One of our reps' relationship with a customer person (COVERS)."""

    rep: Rep
    strength: float | None
    kind: str | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class TeamMember:
    rep: Rep
    role: m.RepRole | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class AccountTeam:
    """A team covering the party, directly or through an ancestor organization (`account`)."""

    id: str
    name: str
    account: m.Party
    manager: Rep | None
    members: tuple[TeamMember, ...]
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class BuyingCentreMember:
    person: m.Person
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Opportunity:
    id: str
    name: str
    account: m.Party
    stage: m.OpportunityStage
    amount: float | None
    close_date: date | None
    owner: Rep | None
    products: tuple[m.Product, ...]
    buying_centre: tuple[BuyingCentreMember, ...]
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)

    @property
    def probability(self) -> float:
        return self.stage.probability


@dataclass(frozen=True, slots=True)
class OpportunityRef:
    id: str
    name: str
    stage: m.OpportunityStage | None
    account_id: str | None = None  # whose opportunity: access control needs it


@dataclass(frozen=True, slots=True)
class Interaction:
    id: str
    kind: m.InteractionKind | None
    at: datetime
    direction: m.InteractionDirection | None
    purpose: m.InteractionPurpose | None
    channel: m.Channel | None
    subject: str | None
    summary: str | None
    reps: tuple[Rep, ...]
    opportunity: OpportunityRef | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class BusinessEvent:
    id: str
    kind: str
    title: str
    date: date | None
    description: str | None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Edge(Generic[T]):
    cursor: str
    node: T


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a Relay connection."""

    edges: tuple[Edge[T], ...]
    total_count: int
    has_next_page: bool
    has_previous_page: bool
    # False: total_count is a lower bound (a search counts the hits of its window only).
    total_exact: bool = True

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0].cursor if self.edges else None

    @property
    def end_cursor(self) -> str | None:
        return self.edges[-1].cursor if self.edges else None
