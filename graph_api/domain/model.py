"""The domain vocabulary of DOMAIN.md: enums and plain dataclasses shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from graph_api.domain import i18n

# Scores, strengths, shares and probabilities the API returns carry this many decimals: a
# float sum such as 0.1 + 0.2 (0.30000000000000004) is noise, not information, for a client.
REPORTED_DIGITS = 4


def reported(x: float) -> float:
    """A score, strength or probability as the API returns it."""
    return round(x, REPORTED_DIGITS) + 0.0  # + 0.0: never -0.0


def reported_or_none(x: float | None) -> float | None:
    return None if x is None else reported(x)


class PartyKind(StrEnum):
    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"


i18n.labels(
    PartyKind,
    {
        PartyKind.PERSON: i18n.Label("Person", "个人"),
        PartyKind.ORGANIZATION: i18n.Label("Organization", "机构"),
    },
)


class OrgType(StrEnum):
    """Place of an organization in a customer's structure (group / head office / branch ...)."""

    GROUP = "GROUP"
    HEAD_OFFICE = "HEAD_OFFICE"
    BRANCH = "BRANCH"
    SUBSIDIARY = "SUBSIDIARY"
    DEPARTMENT = "DEPARTMENT"
    COMPANY = "COMPANY"
    INSTITUTE = "INSTITUTE"


i18n.labels(
    OrgType,
    {
        OrgType.GROUP: i18n.Label("Group", "集团"),
        OrgType.HEAD_OFFICE: i18n.Label("Head office", "总公司"),
        OrgType.BRANCH: i18n.Label("Branch", "分公司"),
        OrgType.SUBSIDIARY: i18n.Label("Subsidiary", "子公司"),
        OrgType.DEPARTMENT: i18n.Label("Department", "部门"),
        OrgType.COMPANY: i18n.Label("Company", "公司"),
        OrgType.INSTITUTE: i18n.Label("Institute", "研究院所"),
    },
)


class Tier(StrEnum):
    """客户分层: strategic Top-10, mid strategic, non-strategic."""

    STRATEGIC = "STRATEGIC"
    MID_STRATEGIC = "MID_STRATEGIC"
    NON_STRATEGIC = "NON_STRATEGIC"


i18n.labels(
    Tier,
    {
        Tier.STRATEGIC: i18n.Label(
            "Strategic (Top-10)",
            "战略客户(Top10)",
            "3-year account plan, senior visit at least monthly",
            "制定未来3年计划,高层至少每月拜访",
        ),
        Tier.MID_STRATEGIC: i18n.Label(
            "Mid strategic",
            "中等战略客户",
            "Annual plan, visit at least quarterly",
            "年度计划,至少每季度拜访",
        ),
        Tier.NON_STRATEGIC: i18n.Label(
            "Non-strategic",
            "非战略客户",
            "No plan; visit when an opportunity appears",
            "无计划,有商机时拜访",
        ),
    },
)


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


i18n.labels(
    FamilyKind,
    {
        FamilyKind.SPOUSE: i18n.Label("Spouse", "配偶"),
        FamilyKind.PARENT: i18n.Label("Parent", "父母"),
        FamilyKind.CHILD: i18n.Label("Child", "子女"),
        FamilyKind.SIBLING: i18n.Label("Sibling", "兄弟姐妹"),
        FamilyKind.OTHER: i18n.Label("Other relative", "其他亲属"),
    },
)


class BuyingRole(StrEnum):
    """Buying-centre markers 决 审 研 咨 用."""

    DECISION_MAKER = "DECISION_MAKER"  # 决
    APPROVER = "APPROVER"  # 审
    EVALUATOR = "EVALUATOR"  # 研
    INFLUENCER = "INFLUENCER"  # 咨
    USER = "USER"  # 用


i18n.labels(
    BuyingRole,
    {
        BuyingRole.DECISION_MAKER: i18n.Label(
            "Decision maker (决)", "决策者(决)", "Decides", "做决定的人"
        ),
        BuyingRole.APPROVER: i18n.Label(
            "Approver (审)",
            "审批者(审)",
            "Approves or signs off, often finance or the CEO",
            "审批、签字,常为财务或CEO",
        ),
        BuyingRole.EVALUATOR: i18n.Label(
            "Evaluator (研)", "评估者(研)", "Evaluates technically or by research", "技术或研究评估"
        ),
        BuyingRole.INFLUENCER: i18n.Label(
            "Influencer (咨)", "咨询者(咨)", "Is consulted, advises", "被咨询、提供建议"
        ),
        BuyingRole.USER: i18n.Label("User (用)", "使用者(用)", "Uses the product", "使用产品的人"),
    },
)


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


i18n.labels(
    Attitude,
    {
        Attitude.SUPPORTER: i18n.Label("Supporter (+)", "支持(+)", "Supports us", "支持我们"),
        Attitude.NEUTRAL: i18n.Label("Neutral (=)", "中立(=)"),
        Attitude.NON_SUPPORTER: i18n.Label(
            "Non-supporter (-)", "不支持(-)", "Does not support us", "不支持我们"
        ),
        Attitude.OPPONENT: i18n.Label(
            "Opponent (X)", "反对(X)", "Opposes us actively", "积极反对我们"
        ),
    },
)


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


i18n.labels(
    InfluenceLevel,
    {
        InfluenceLevel.HIGH: i18n.Label("High influence", "影响力高"),
        InfluenceLevel.MEDIUM: i18n.Label("Medium influence", "影响力中"),
        InfluenceLevel.LOW: i18n.Label("Low influence", "影响力低"),
    },
)


class RepRole(StrEnum):
    """Our sales people: outside account executive, inside sales, solution engineer, manager."""

    AE = "AE"
    SR = "SR"
    SE = "SE"
    MANAGER = "MANAGER"


i18n.labels(
    RepRole,
    {
        RepRole.AE: i18n.Label("Account executive (outside sales)", "外部销售(AE)"),
        RepRole.SR: i18n.Label("Sales rep (inside sales)", "内部销售(SR)"),
        RepRole.SE: i18n.Label("Solution engineer", "解决方案工程师"),
        RepRole.MANAGER: i18n.Label("Sales manager", "销售经理"),
    },
)


class ProductSegment(StrEnum):
    RETAIL = "RETAIL"
    CORPORATE = "CORPORATE"


i18n.labels(
    ProductSegment,
    {
        ProductSegment.RETAIL: i18n.Label("Retail", "零售"),
        ProductSegment.CORPORATE: i18n.Label("Corporate", "对公"),
    },
)


class HoldingStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"
    PENDING = "PENDING"


i18n.labels(
    HoldingStatus,
    {
        HoldingStatus.ACTIVE: i18n.Label("Active", "有效"),
        HoldingStatus.CLOSED: i18n.Label("Closed", "已结清"),
        HoldingStatus.PENDING: i18n.Label("Pending", "待生效"),
    },
)


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


i18n.labels(
    OpportunityStage,
    {
        OpportunityStage.IDENTIFIED: i18n.Label("Identified (10%)", "识别(10%)"),
        OpportunityStage.CONTACTED: i18n.Label("Contacted (25%)", "接触(25%)"),
        OpportunityStage.QUALIFIED: i18n.Label("Qualified (50%)", "拿到资格(50%)"),
        OpportunityStage.DEVELOPED: i18n.Label("Developed (75%)", "发展(75%)"),
        OpportunityStage.COMMITTED: i18n.Label("Committed (90%)", "承诺(90%)"),
        OpportunityStage.WON: i18n.Label("Won (100%)", "赢单(100%)"),
        OpportunityStage.LOST: i18n.Label("Lost", "丢单"),
    },
)


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


i18n.labels(
    InteractionKind,
    {
        InteractionKind.VISIT: i18n.Label("Visit", "拜访"),
        InteractionKind.CALL: i18n.Label("Call", "电话"),
        InteractionKind.MEETING: i18n.Label("Meeting", "会议"),
        InteractionKind.EMAIL: i18n.Label("Email", "邮件"),
        InteractionKind.MESSAGE: i18n.Label("Message", "消息"),
        InteractionKind.COMPLAINT: i18n.Label("Complaint", "投诉"),
        InteractionKind.CLAIM: i18n.Label("Claim", "理赔"),
        InteractionKind.SERVICE: i18n.Label("Service", "服务"),
        InteractionKind.PURCHASE: i18n.Label("Purchase", "购买"),
        InteractionKind.BILLING: i18n.Label("Billing", "账单"),
        InteractionKind.EVENT: i18n.Label("Event", "活动"),
    },
)


class InteractionDirection(StrEnum):
    """Who started it: we (ACTIVE, e.g. a visit) or the customer (PASSIVE, e.g. a complaint)."""

    ACTIVE = "ACTIVE"
    PASSIVE = "PASSIVE"


i18n.labels(
    InteractionDirection,
    {
        InteractionDirection.ACTIVE: i18n.Label("Started by us", "主动"),
        InteractionDirection.PASSIVE: i18n.Label("Started by the customer", "被动"),
    },
)


class InteractionPurpose(StrEnum):
    DEVELOPMENT = "DEVELOPMENT"
    TRANSACTIONAL = "TRANSACTIONAL"


i18n.labels(
    InteractionPurpose,
    {
        InteractionPurpose.DEVELOPMENT: i18n.Label("Development", "开发"),
        InteractionPurpose.TRANSACTIONAL: i18n.Label("Transactional", "事务"),
    },
)


class Channel(StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    VISIT = "VISIT"
    WECHAT = "WECHAT"
    SMS = "SMS"
    MAIL = "MAIL"
    ONLINE = "ONLINE"


i18n.labels(
    Channel,
    {
        Channel.PHONE: i18n.Label("Phone", "电话"),
        Channel.EMAIL: i18n.Label("Email", "邮件"),
        Channel.VISIT: i18n.Label("Visit", "上门拜访"),
        Channel.WECHAT: i18n.Label("WeChat", "微信"),
        Channel.SMS: i18n.Label("SMS", "短信"),
        Channel.MAIL: i18n.Label("Mail", "信函"),
        Channel.ONLINE: i18n.Label("Online", "线上"),
    },
)


class Gender(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"


i18n.labels(
    Gender,
    {
        Gender.FEMALE: i18n.Label("Female", "女"),
        Gender.MALE: i18n.Label("Male", "男"),
        Gender.OTHER: i18n.Label("Other", "其他"),
    },
)


class WalletBand(StrEnum):
    """Share of wallet: >50% Retention, 10-50% Development, <10% Acquisition."""

    R = "R"
    D = "D"
    A = "A"


i18n.labels(
    WalletBand,
    {
        WalletBand.R: i18n.Label("Retention (SOW > 50%)", "保持型R(份额>50%)"),
        WalletBand.D: i18n.Label("Development (SOW 10-50%)", "发展型D(份额10-50%)"),
        WalletBand.A: i18n.Label("Acquisition (SOW < 10%)", "开拓型A(份额<10%)"),
    },
)


def share_of_wallet(
    buying_power: float | None, revenue: float | None, given: float | None
) -> float | None:
    """SOW = our revenue / BP (seed 003) when both are known and BP > 0; else the share of
    wallet given as such (the import's shareOfWallet), or None."""
    if revenue is not None and buying_power is not None and buying_power > 0:
        return revenue / buying_power
    return given


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


# The RAD cells' labels (signals.radCell is a string, R1..A3): row by share of wallet, column
# by buying power, as the key-account documents name them.
_WALLET_ROWS = {
    "R": ("Retention", "保持型"),
    "D": ("Development", "发展型"),
    "A": ("Acquisition", "开拓型"),
}
_BUYING_POWER = {
    1: ("BP > 1M", "采购量>1M"),
    2: ("BP 500K-1M", "采购量500K-1M"),
    3: ("BP < 500K", "采购量<500K"),
}
i18n.value_labels(
    "RadCell",
    {
        f"{row}{column}": i18n.Label(
            f"{row}{column}: {band[0]}, {power[0]}", f"{row}{column}:{band[1]},{power[1]}"
        )
        for row, band in _WALLET_ROWS.items()
        for column, power in _BUYING_POWER.items()
    },
)


@dataclass(frozen=True, slots=True)
class Product:
    """One of our products (the 360° view's holdings, opportunities and cross-selling)."""

    id: str
    name: str
    category: str | None = None
    line: str | None = None
    segment: ProductSegment | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


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
    merged_ids: tuple[str, ...] = ()
    version: int = 1
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)

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
    revenue: float | None = None
    share_of_wallet: float | None = None
    tier: Tier | None = None
    grade: int | None = None
    confidential: bool = False
    customer_since: date | None = None
    preferred_channel: Channel | None = None
    source: str | None = None
    merged_ids: tuple[str, ...] = ()
    version: int = 1
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)

    @property
    def kind(self) -> PartyKind:
        return PartyKind.ORGANIZATION

    @property
    def wallet_share(self) -> float | None:
        """SOW: our revenue / BP where both are known, else the share given."""
        return share_of_wallet(self.annual_purchase, self.revenue, self.share_of_wallet)

    @property
    def rad_cell(self) -> str | None:
        return rad_cell(self.annual_purchase, self.wallet_share)


Party = Person | Organization


@dataclass(frozen=True, slots=True)
class PathNode:
    """A node of a drawn path: a party, one of our reps, a product, a rule, an event."""

    id: str
    kind: str  # PERSON, ORGANIZATION, REP, PRODUCT, HOLDING, RULE, EVENT, OPPORTUNITY
    label: str


class PathLinkType(StrEnum):
    """A kind of link a relationship path may use (COLLEAGUE: derived from employment and
    reporting, docs/ANALYTICS.md)."""

    WORKS_FOR = "WORKS_FOR"
    REPORTS_TO = "REPORTS_TO"
    COLLEAGUE = "COLLEAGUE"
    FAMILY = "FAMILY"
    INFLUENCES = "INFLUENCES"
    KNOWS = "KNOWS"
    COVERS = "COVERS"


i18n.labels(
    PathLinkType,
    {
        PathLinkType.WORKS_FOR: i18n.Label("Works for", "任职"),
        PathLinkType.REPORTS_TO: i18n.Label("Reports to", "汇报"),
        PathLinkType.COLLEAGUE: i18n.Label("Colleague", "同事"),
        PathLinkType.FAMILY: i18n.Label("Family", "亲属"),
        PathLinkType.INFLUENCES: i18n.Label("Influences", "影响"),
        PathLinkType.KNOWS: i18n.Label("Knows", "认识"),
        PathLinkType.COVERS: i18n.Label("Covers", "覆盖"),
    },
)


@dataclass(frozen=True, slots=True)
class PathLink:
    """A link of a drawn path, oriented along the path (source -> target)."""

    source: str
    target: str
    type: str  # e.g. WORKS_FOR, REPORTS_TO, COLLEAGUE, FAMILY, INFLUENCES, KNOWS, COVERS, HOLDS
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
