"""Key deciders and the TAS assessment (questions 9 and 10): the facts in, the answers out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain import view as v


class RoleSource(StrEnum):
    """Where a person's buying-centre marker comes from."""

    OPPORTUNITY = "OPPORTUNITY"  # marked on the opportunity itself
    ACCOUNT = "ACCOUNT"  # marked on the account (or one of its units)


i18n.labels(
    RoleSource,
    {
        RoleSource.OPPORTUNITY: i18n.Label("Marked on the opportunity", "商机上标注"),
        RoleSource.ACCOUNT: i18n.Label("Marked on the account", "客户上标注"),
    },
)


class ScoreComponent(StrEnum):
    ROLE = "ROLE"  # the declared buying role and influence level
    FORMAL = "FORMAL"  # position and span of control along reporting lines
    INFORMAL = "INFORMAL"  # centrality among who listens to whom


i18n.labels(
    ScoreComponent,
    {
        ScoreComponent.ROLE: i18n.Label("Buying role", "采购角色"),
        ScoreComponent.FORMAL: i18n.Label("Formal position", "正式职位"),
        ScoreComponent.INFORMAL: i18n.Label("Informal influence", "非正式影响力"),
    },
)


class RiskKind(StrEnum):
    NO_SUPPORTER_IN_DECISION_LAYER = "NO_SUPPORTER_IN_DECISION_LAYER"
    OPPOSED_DECIDER = "OPPOSED_DECIDER"
    UNCOVERED_DECIDER = "UNCOVERED_DECIDER"
    WEAKLY_COVERED_DECIDER = "WEAKLY_COVERED_DECIDER"
    LEVEL_WITHOUT_COVERAGE = "LEVEL_WITHOUT_COVERAGE"


i18n.labels(
    RiskKind,
    {
        RiskKind.NO_SUPPORTER_IN_DECISION_LAYER: i18n.Label(
            "No supporter in the decision layer", "决策层无人支持"
        ),
        RiskKind.OPPOSED_DECIDER: i18n.Label("Decider against us", "决策人反对我们"),
        RiskKind.UNCOVERED_DECIDER: i18n.Label("Uncovered decider", "决策人无覆盖"),
        RiskKind.WEAKLY_COVERED_DECIDER: i18n.Label("Weakly covered decider", "决策人覆盖薄弱"),
        RiskKind.LEVEL_WITHOUT_COVERAGE: i18n.Label("Level without coverage", "层级无覆盖"),
    },
)


class Severity(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"


i18n.labels(
    Severity,
    {
        Severity.HIGH: i18n.Label("High", "高"),
        Severity.MEDIUM: i18n.Label("Medium", "中"),
    },
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What is known of one person whose decision power is ranked."""

    person: m.Person
    title: str | None = None
    organization_id: str | None = None
    organization_name: str | None = None
    # Outside the account's organizations: an adviser, a supervising engineer, a researcher.
    external: bool = False
    role: m.BuyingRole | None = None
    attitude: m.Attitude | None = None
    influence: m.InfluenceLevel | None = None
    role_source: RoleSource | None = None
    coverage: tuple[v.Coverage, ...] = ()  # strongest first

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def name(self) -> str:
        return self.person.name


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One component of a decider's score: its value 0..1, its weight, what it adds."""

    component: ScoreComponent
    value: float
    weight: float
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class KeyDecider:
    rank: int
    candidate: Candidate
    score: float
    parts: tuple[ScorePart, ...]
    # 1 = top of the known reporting lines, 2 = reports to level 1, ...; None: unplaced.
    level: int | None
    direct_reports: int
    people_below: int
    manager_ids: tuple[str, ...]
    listened_to_by: tuple[str, ...]
    listens_to: tuple[str, ...]
    explanation: str

    @property
    def id(self) -> str:
        return self.candidate.id

    @property
    def strongest_coverage(self) -> float | None:
        return max((c.strength or 0.0 for c in self.candidate.coverage), default=None)


@dataclass(frozen=True, slots=True)
class DecisionLayerMember:
    decider: KeyDecider
    reason: str  # why they are in the decision layer: declared role or rank


@dataclass(frozen=True, slots=True)
class LevelCoverage:
    """Our coverage of one level of the customer's hierarchy (1 = the top)."""

    level: int
    people: int
    covered: int
    strongest: float | None
    average_strength: float | None  # over the covered people
    uncovered_ids: tuple[str, ...]

    @property
    def covered_share(self) -> float:
        return self.covered / self.people if self.people else 0.0


@dataclass(frozen=True, slots=True)
class Risk:
    kind: RiskKind
    severity: Severity
    message: str
    person_id: str | None = None
    level: int | None = None
    # Covered people with a direct link to an uncovered decider: a way in.
    via_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assessment:
    """TAS 9: does anyone in the decision layer support us? TAS 10: are our relationships in
    place at every level of the customer? Each answer with its evidence."""

    decision_layer_supports_us: bool
    relationships_at_every_level: bool
    support_answer: str
    coverage_answer: str
    decision_layer: tuple[DecisionLayerMember, ...]
    supporters: tuple[KeyDecider, ...]
    opponents: tuple[KeyDecider, ...]
    levels: tuple[LevelCoverage, ...]
    unplaced_people: int
    unplaced_covered: int
    risks: tuple[Risk, ...]
