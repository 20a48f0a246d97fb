"""The domain vocabulary of DOMAIN.md: enums and plain dataclasses shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PartyKind(StrEnum):
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"


class OrgType(StrEnum):
    """Place of an organization in a customer's structure (group / head office / branch ...)."""

    GROUP = "GROUP"
    HEAD_OFFICE = "HEAD_OFFICE"
    BRANCH = "BRANCH"
    SUBSIDIARY = "SUBSIDIARY"
    DEPARTMENT = "DEPARTMENT"
    COMPANY = "COMPANY"
    INSTITUTE = "INSTITUTE"


class Tier(StrEnum):
    """客户分层: strategic Top-10, mid strategic, non-strategic."""

    STRATEGIC = "STRATEGIC"
    MID_STRATEGIC = "MID_STRATEGIC"
    NON_STRATEGIC = "NON_STRATEGIC"


class FamilyKind(StrEnum):
    """Kind of a family link, read from its start: (a)-[PARENT]->(b) means a is b's parent."""

    SPOUSE = "SPOUSE"
    PARENT = "PARENT"
    CHILD = "CHILD"
    SIBLING = "SIBLING"
    OTHER = "OTHER"

    def inverse(self) -> FamilyKind:
        if self is FamilyKind.PARENT:
            return FamilyKind.CHILD
        if self is FamilyKind.CHILD:
            return FamilyKind.PARENT
        return self


class BuyingRole(StrEnum):
    """Buying-centre markers 决 审 研 咨 用."""

    DECISION_MAKER = "DECISION_MAKER"  # 决
    APPROVER = "APPROVER"  # 审
    EVALUATOR = "EVALUATOR"  # 研
    INFLUENCER = "INFLUENCER"  # 咨
    USER = "USER"  # 用


# Close vocabularies of other systems, mapped onto ours (DOMAIN.md: accept them where they add
# meaning). Gatekeepers and coaches are influencers of a kind; the economic buyer decides.
BUYING_ROLE_ALIASES: dict[str, BuyingRole] = {
    "ECONOMIC_BUYER": BuyingRole.DECISION_MAKER,
    "DECIDER": BuyingRole.DECISION_MAKER,
    "决": BuyingRole.DECISION_MAKER,
    "SIGNER": BuyingRole.APPROVER,
    "审": BuyingRole.APPROVER,
    "TECHNICAL_BUYER": BuyingRole.EVALUATOR,
    "研": BuyingRole.EVALUATOR,
    "COACH": BuyingRole.INFLUENCER,
    "MENTOR": BuyingRole.INFLUENCER,
    "GATEKEEPER": BuyingRole.INFLUENCER,
    "ADVISOR": BuyingRole.INFLUENCER,
    "咨": BuyingRole.INFLUENCER,
    "END_USER": BuyingRole.USER,
    "用": BuyingRole.USER,
}


class Attitude(StrEnum):
    """+ / = / - / X: supports us, neutral, does not support, opposes actively."""

    SUPPORTER = "SUPPORTER"
    NEUTRAL = "NEUTRAL"
    NON_SUPPORTER = "NON_SUPPORTER"
    OPPONENT = "OPPONENT"


ATTITUDE_ALIASES: dict[str, Attitude] = {
    "+": Attitude.SUPPORTER,
    "CHAMPION": Attitude.SUPPORTER,
    "=": Attitude.NEUTRAL,
    "-": Attitude.NON_SUPPORTER,
    "X": Attitude.OPPONENT,
    "BLOCKER": Attitude.OPPONENT,
}


class InfluenceLevel(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


class RepRole(StrEnum):
    """Our sales people: outside account executive, inside sales, solution engineer, manager."""

    AE = "AE"
    SR = "SR"
    SE = "SE"
    MANAGER = "MANAGER"


class ProductSegment(StrEnum):
    RETAIL = "RETAIL"
    CORPORATE = "CORPORATE"


class HoldingStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"
    PENDING = "PENDING"


class OpportunityStage(StrEnum):
    """Funnel levels; `probability` is the documents' win probability per level."""

    IDENTIFIED = "IDENTIFIED"
    CONTACTED = "CONTACTED"
    QUALIFIED = "QUALIFIED"
    DEVELOPED = "DEVELOPED"
    COMMITTED = "COMMITTED"
    WON = "WON"
    LOST = "LOST"

    @property
    def probability(self) -> float:
        return STAGE_PROBABILITY[self]

    @property
    def is_open(self) -> bool:
        return self not in (OpportunityStage.WON, OpportunityStage.LOST)


STAGE_PROBABILITY: dict[OpportunityStage, float] = {
    OpportunityStage.IDENTIFIED: 0.10,
    OpportunityStage.CONTACTED: 0.25,
    OpportunityStage.QUALIFIED: 0.50,
    OpportunityStage.DEVELOPED: 0.75,
    OpportunityStage.COMMITTED: 0.90,
    OpportunityStage.WON: 1.0,
    OpportunityStage.LOST: 0.0,
}


class InteractionKind(StrEnum):
    VISIT = "VISIT"
    CALL = "CALL"
    MEETING = "MEETING"
    EMAIL = "EMAIL"
    MESSAGE = "MESSAGE"
    COMPLAINT = "COMPLAINT"
    CLAIM = "CLAIM"
    SERVICE = "SERVICE"
    PURCHASE = "PURCHASE"
    BILLING = "BILLING"
    EVENT = "EVENT"


class InteractionDirection(StrEnum):
    """Who started it: we (ACTIVE, e.g. a visit) or the customer (PASSIVE, e.g. a complaint)."""

    ACTIVE = "ACTIVE"
    PASSIVE = "PASSIVE"


class InteractionPurpose(StrEnum):
    DEVELOPMENT = "DEVELOPMENT"
    TRANSACTIONAL = "TRANSACTIONAL"


class Channel(StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    VISIT = "VISIT"
    WECHAT = "WECHAT"
    SMS = "SMS"
    MAIL = "MAIL"
    ONLINE = "ONLINE"


class Gender(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"


class WalletBand(StrEnum):
    """Share of wallet: >50% Retention, 10-50% Development, <10% Acquisition."""

    R = "R"
    D = "D"
    A = "A"


def rad_cell(annual_purchase: float | None, share_of_wallet: float | None) -> str | None:
    """RAD cell of a key account, e.g. 'R1'; None when either input is unknown.

    Buying power columns: >1M -> 1, 500K..1M -> 2, <500K -> 3. Share of wallet rows:
    >50% -> R, 10..50% -> D, <10% -> A (share given as a fraction 0..1).
    """
    if annual_purchase is None or share_of_wallet is None:
        return None
    if annual_purchase > 1_000_000:
        column = 1
    elif annual_purchase >= 500_000:
        column = 2
    else:
        column = 3
    if share_of_wallet > 0.5:
        row = "R"
    elif share_of_wallet >= 0.1:
        row = "D"
    else:
        row = "A"
    return f"{row}{column}"


@dataclass(frozen=True, slots=True)
class Product:
    """One of our products (the 360° view's holdings, opportunities and cross-selling)."""

    id: str
    name: str
    category: str | None = None
    line: str | None = None
    segment: ProductSegment | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    gender: Gender | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    wechat_id: str | None = None
    home_address: str | None = None
    city: str | None = None
    region: str | None = None
    occupation: str | None = None
    preferred_channel: Channel | None = None
    preferred_time: str | None = None
    source: str | None = None
    tier: Tier | None = None
    grade: int | None = None
    confidential: bool = False
    customer_since: date | None = None
    version: int = 1

    @property
    def kind(self) -> PartyKind:
        return PartyKind.PERSON


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    org_type: OrgType | None = None
    industry: str | None = None
    region: str | None = None
    city: str | None = None
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    employees: int | None = None
    annual_purchase: float | None = None
    share_of_wallet: float | None = None
    tier: Tier | None = None
    grade: int | None = None
    confidential: bool = False
    customer_since: date | None = None
    preferred_channel: Channel | None = None
    source: str | None = None
    version: int = 1

    @property
    def kind(self) -> PartyKind:
        return PartyKind.ORGANIZATION

    @property
    def rad_cell(self) -> str | None:
        return rad_cell(self.annual_purchase, self.share_of_wallet)


Party = Person | Organization


@dataclass(frozen=True, slots=True)
class PathNode:
    """A node of a drawn path: a party, one of our reps, a product, a rule, an event."""

    id: str
    kind: str  # PERSON, ORGANIZATION, REP, PRODUCT, HOLDING, RULE, EVENT, OPPORTUNITY
    label: str


@dataclass(frozen=True, slots=True)
class PathLink:
    """A link of a drawn path, oriented along the path (source -> target)."""

    source: str
    target: str
    type: str  # e.g. WORKS_FOR, REPORTS_TO, FAMILY, INFLUENCES, KNOWS, COVERS, HOLDS
    label: str  # human wording, e.g. "spouse", "CFO", "covers (strong)"
    strength: float | None = None


@dataclass(frozen=True, slots=True)
class GraphPath:
    """A path in the graph, drawable by a front end: nodes in order and the links between."""

    nodes: tuple[PathNode, ...]
    links: tuple[PathLink, ...]
    weight: float | None = None
    explanation: str = ""

    @property
    def hops(self) -> int:
        return len(self.links)
