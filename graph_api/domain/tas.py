"""The TAS opportunity scorecard, competitors and the funnel's exit criteria (seeds 000, 003)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain import view as v


class TasAnswer(StrEnum):
    YES = "YES"
    NO = "NO"
    UNKNOWN = "UNKNOWN"


i18n.labels(
    TasAnswer,
    {
        TasAnswer.YES: i18n.Label("Yes", "是"),
        TasAnswer.NO: i18n.Label("No", "否"),
        TasAnswer.UNKNOWN: i18n.Label("Unknown", "未知"),
    },
)


class AnswerSource(StrEnum):
    """Where an answer comes from: computed from the graph, or recorded by the account team."""

    GRAPH = "GRAPH"
    TEAM = "TEAM"
    NONE = "NONE"


i18n.labels(
    AnswerSource,
    {
        AnswerSource.GRAPH: i18n.Label("Computed from the graph", "由关系图计算"),
        AnswerSource.TEAM: i18n.Label("Recorded by the account team", "客户团队记录"),
        AnswerSource.NONE: i18n.Label("Nobody has answered", "尚无人回答"),
    },
)


class TasHeading(StrEnum):
    """The four groups of the 14 questions (seed 000, TAS-商机概览)."""

    REAL = "REAL"  # 是否有真实商机?
    COMPETITIVE = "COMPETITIVE"  # 是否有竞争力?
    WINNABLE = "WINNABLE"  # 是否可以成功?
    WORTH = "WORTH"  # 是否值得去赢?


i18n.labels(
    TasHeading,
    {
        TasHeading.REAL: i18n.Label("Is there a real opportunity?", "是否有真实商机?"),
        TasHeading.COMPETITIVE: i18n.Label("Can we compete?", "是否有竞争力?"),
        TasHeading.WINNABLE: i18n.Label("Can we win?", "是否可以成功?"),
        TasHeading.WORTH: i18n.Label("Is it worth winning?", "是否值得去赢?"),
    },
)


@dataclass(frozen=True, slots=True)
class Question:
    number: int
    heading: TasHeading
    en: str
    zh: str
    # Whom the gap's to-do names: the deciders (决), the approvers (审) or nobody in particular.
    ask: str = ""


# The 14 questions as seed 000 words them (its OCR slips corrected: 讣同 -> 认同, 不客户 -> 客户,
# 戓略 -> 战略). Headings in the order the seed numbers them.
QUESTIONS: tuple[Question, ...] = (
    Question(
        1, TasHeading.REAL, "Does the customer have a motive to buy our products?",
        "客户有采购我们产品的动机吗?", "DECISION_MAKER",
    ),
    Question(2, TasHeading.REAL, "Is the project's budget in place?", "项目预算已落实了吗?",
             "APPROVER"),
    Question(
        3, TasHeading.REAL, "Has the decision-making management endorsed the project?",
        "决策管理层已认同此项目吗?", "DECISION_MAKER",
    ),
    Question(4, TasHeading.REAL, "Is the project's date fixed?", "项目实施日期已敲定了吗?"),
    Question(
        5, TasHeading.COMPETITIVE,
        "Has the customer set its criteria for choosing a supplier?",
        "客户筛选供应商的标准已确定了吗?", "DECISION_MAKER",
    ),
    Question(
        6, TasHeading.COMPETITIVE, "Are we one of the suppliers the customer considers?",
        "我们是客户考虑的一个潜在供应商吗?",
    ),
    Question(
        7, TasHeading.COMPETITIVE, "Does our solution meet the customer's expectations?",
        "我们方案能满足客户的期望吗?", "EVALUATOR",
    ),
    Question(
        8, TasHeading.COMPETITIVE, "Does our solution bring the customer unique business value?",
        "我们方案能带给客户独特的商业价值吗?", "DECISION_MAKER",
    ),
    Question(
        9, TasHeading.WINNABLE, "Does anyone in the customer's decision layer support us?",
        "客户决策层里有人支持我们吗?",
    ),
    Question(
        10, TasHeading.WINNABLE, "Are our relationships in place at every level of the customer?",
        "客户各层面的关系都到位吗?",
    ),
    Question(
        11, TasHeading.WINNABLE, "Did we help the customer set up the project?",
        "我们早已协助客户立项吗?", "DECISION_MAKER",
    ),
    Question(
        12, TasHeading.WORTH, "Is the project's short-term return (margin) high?",
        "项目短期回报/利润度高吗?",
    ),
    Question(
        13, TasHeading.WORTH, "Is the project's long-term return (strategic value) high?",
        "项目长线回报/战略性价值高吗?",
    ),
    Question(
        14, TasHeading.WORTH, "Is the project's business risk controllable?",
        "项目的业务风险是可控制的吗?",
    ),
)  # fmt: skip
QUESTION_BY_NUMBER: dict[int, Question] = {q.number: q for q in QUESTIONS}
# The questions the graph answers when it knows; the others only the account team answers.
GRAPH_QUESTIONS = frozenset({3, 4, 6, 9, 10, 13})

# An answer recorded more than this many days before asOf no longer counts (it is shown as
# stale); GRAPH_API_TAS_STALE_DAYS overrides it.
DEFAULT_STALE_DAYS = 90


class CompetitiveStrategy(StrEnum):
    """The five competitive strategies of seed 000 (竞争策略)."""

    FRONTAL = "FRONTAL"
    FLANKING = "FLANKING"
    FRAGMENTING = "FRAGMENTING"
    DEFENSIVE = "DEFENSIVE"
    DEVELOPMENT = "DEVELOPMENT"


i18n.labels(
    CompetitiveStrategy,
    {
        CompetitiveStrategy.FRONTAL: i18n.Label(
            "Frontal", "正面策略", "Meet the customer head on, with a clear advantage",
            "直接接触客户,在竞争中占有绝对优势",
        ),
        CompetitiveStrategy.FLANKING: i18n.Label(
            "Flanking", "侧面策略", "Shift the project's focus to new aspects of our solution",
            "将客户对项目的重心转向我们解决方案的新方面",
        ),
        CompetitiveStrategy.FRAGMENTING: i18n.Label(
            "Fragmenting", "分化策略",
            "Divide the project; focus the customer on the problems we solve",
            "细分项目,使客户的注意力集中在我们可以解决的问题上",
        ),
        CompetitiveStrategy.DEFENSIVE: i18n.Label(
            "Defensive", "防御策略", "Protect us from the competitor's unavoidable attacks",
            "保护我们免受对手不可避免的“攻击”",
        ),
        CompetitiveStrategy.DEVELOPMENT: i18n.Label(
            "Development", "拓展策略", "Lay the ground for future contracts",
            "为将来可能签订的合约奠定基础",
        ),
    },
)  # fmt: skip


class Closer(StrEnum):
    """Who is closer to a customer person: we, a competitor, both equally, or nobody known."""

    US = "US"
    COMPETITOR = "COMPETITOR"
    TIE = "TIE"
    NOBODY = "NOBODY"


i18n.labels(
    Closer,
    {
        Closer.US: i18n.Label("We are closer", "我们更近"),
        Closer.COMPETITOR: i18n.Label("A competitor is closer", "竞争对手更近"),
        Closer.TIE: i18n.Label("As close as a competitor", "与竞争对手相当"),
        Closer.NOBODY: i18n.Label("Nobody covers them", "无人覆盖"),
    },
)


@dataclass(frozen=True, slots=True)
class Competitor:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    website: str | None = None
    note: str | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class CompetitorHold:
    """A competitor's relationship with one customer person (competitorCoverage)."""

    competitor: Competitor
    person_id: str
    strength: float
    champion: bool = False
    note: str | None = None
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class CompetitorOnOpportunity:
    competitor: Competitor
    shortlisted: bool | None
    note: str | None
    # The deciders (决/审) the competitor holds more strongly than we do (or we not at all).
    holds: tuple[CompetitorHold, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """One answer the account team recorded (history kept: a new answer never replaces)."""

    id: str
    opportunity_id: str
    question: int
    answer: TasAnswer
    answered_by: str
    answered_at: datetime
    comment: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeciderPosition:
    """A decider (决/审) of the opportunity and who is closer to them: we or a competitor."""

    person_id: str
    name: str
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    our_strength: float | None
    competitor_strength: float | None
    competitor: Competitor | None
    competitor_champion: bool
    closer: Closer


@dataclass(frozen=True, slots=True)
class QuestionAnswer:
    question: Question
    answer: TasAnswer
    source: AnswerSource
    reason: str
    recorded: RecordedAnswer | None = None  # the team's latest answer, fresh or stale
    stale: bool = False


@dataclass(frozen=True, slots=True)
class HeadingVerdict:
    heading: TasHeading
    verdict: TasAnswer
    answers: tuple[QuestionAnswer, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """A to-do: a question not answered YES and what to do about it."""

    question: int | None
    message: str
    person_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpportunityFacts:
    """What the scorecard computes from: one opportunity and its surroundings."""

    id: str
    name: str
    stage: m.OpportunityStage
    amount: float | None
    close_date: date | None
    account_id: str
    account_name: str
    account_tier: m.Tier | None
    annual_purchase: float | None
    share_of_wallet: float | None
    strategy: CompetitiveStrategy | None
    strategy_rationale: str | None
    competitors: tuple[tuple[Competitor, bool | None, str | None], ...]
    holds: tuple[CompetitorHold, ...]
    answers: tuple[RecordedAnswer, ...]  # every recorded answer, oldest first


@dataclass(frozen=True, slots=True)
class Scorecard:
    opportunity: OpportunityFacts
    as_of: date
    stale_after_days: int
    headings: tuple[HeadingVerdict, ...]
    gaps: tuple[Gap, ...]
    deciders: tuple[DeciderPosition, ...]
    competitors: tuple[CompetitorOnOpportunity, ...]
    # Deciders a competitor holds and we do not cover (the assessment names them).
    lost_to_competitors: tuple[str, ...] = ()


class CriterionStatus(StrEnum):
    MET = "MET"
    NOT_MET = "NOT_MET"
    UNKNOWN = "UNKNOWN"


i18n.labels(
    CriterionStatus,
    {
        CriterionStatus.MET: i18n.Label("Met", "已满足"),
        CriterionStatus.NOT_MET: i18n.Label("Not met", "未满足"),
        CriterionStatus.UNKNOWN: i18n.Label("Unknown", "未知"),
    },
)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One exit criterion of a funnel stage, checked for one opportunity."""

    code: str
    text: str
    status: CriterionStatus
    source: AnswerSource
    detail: str


@dataclass(frozen=True, slots=True)
class FunnelOpportunity:
    id: str
    name: str
    account_id: str
    account_name: str
    stage: m.OpportunityStage
    amount: float | None
    weighted_amount: float | None
    close_date: date | None
    owner: v.Rep | None
    criteria: tuple[Criterion, ...]

    @property
    def ready_to_advance(self) -> bool:
        return all(c.status is CriterionStatus.MET for c in self.criteria)


@dataclass(frozen=True, slots=True)
class FunnelStage:
    stage: m.OpportunityStage
    probability: float
    count: int
    amount: float
    weighted_amount: float
    opportunities: tuple[FunnelOpportunity, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    open_count: int
    open_amount: float
    weighted_amount: float
