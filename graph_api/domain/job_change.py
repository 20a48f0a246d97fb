"""A job change (issue 14.3): what `recordJobChange` reads before it writes, and the impact
it answers (analytics/job_change.py derives it; services/job_change.py reads and writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain import model as m


class Target(StrEnum):
    """What a buying role is placed on."""

    ACCOUNT = "ACCOUNT"
    OPPORTUNITY = "OPPORTUNITY"


i18n.labels(
    Target,
    {
        Target.ACCOUNT: i18n.Label("Account", "客户"),
        Target.OPPORTUNITY: i18n.Label("Opportunity", "商机"),
    },
)


class GapReason(StrEnum):
    """Why an account or opportunity needs a new person after the move."""

    NO_ONE_LEFT = "NO_ONE_LEFT"  # nobody else holds the person's decision role (决 or 审)
    NO_SUPPORTER_LEFT = "NO_SUPPORTER_LEFT"  # the person was the last supporter there


i18n.labels(
    GapReason,
    {
        GapReason.NO_ONE_LEFT: i18n.Label("No one left in the decision role", "决策层无人"),
        GapReason.NO_SUPPORTER_LEFT: i18n.Label("No supporter left", "无支持者"),
    },
)


class WorkRelation(StrEnum):
    """How a colleague was reached through the old job."""

    MANAGER = "MANAGER"  # the person reported to them
    DIRECT_REPORT = "DIRECT_REPORT"  # they reported to the person


i18n.labels(
    WorkRelation,
    {
        WorkRelation.MANAGER: i18n.Label("Manager", "上级"),
        WorkRelation.DIRECT_REPORT: i18n.Label("Direct report", "下属"),
    },
)

# The decision layer of a buying centre: a role here held by no one is a gap (决 审).
DECISION_ROLES = frozenset({m.BuyingRole.DECISION_MAKER, m.BuyingRole.APPROVER})


# ----- what is read (one bounded read, cypher/job_change.cypher `context`) -----


@dataclass(frozen=True, slots=True)
class RoleHeld:
    """A current buying role on an account or opportunity of the old employer's group."""

    person_id: str
    target: Target
    target_id: str
    target_name: str | None
    account_id: str
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None


@dataclass(frozen=True, slots=True)
class OpenOpportunity:
    """An open opportunity (not WON or LOST) of an account."""

    id: str
    name: str | None
    account_id: str
    stage: m.OpportunityStage | None


@dataclass(frozen=True, slots=True)
class Colleague:
    """Someone on the other end of one of the person's reporting lines at the old job.

    `personal`: the person also has a personal link with them (family, acquaintance,
    influence), which the move keeps. `reps`: our reps covering them directly."""

    id: str
    name: str | None
    relation: WorkRelation
    personal: bool
    reps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageOf:
    """One of our reps' coverage of the person (kept by the move)."""

    rep_id: str
    rep_name: str | None
    strength: float | None
    kind: str | None  # e.g. PERSONAL, BUSINESS, SOCIAL


@dataclass(frozen=True, slots=True)
class Insider:
    """A person of the new employer's group with a buying role there."""

    id: str
    name: str | None
    title: str | None
    target: Target
    target_id: str
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    known: bool  # the person already has a personal link with them


@dataclass(frozen=True, slots=True)
class JobChangeContext:
    """Everything the impact is derived from, read in the job change's transaction before
    anything is written: `roles` holds every current role on the targets where the person
    has one in the old group (the person's own and the others')."""

    person_id: str
    roles: tuple[RoleHeld, ...]
    open_opportunities: tuple[OpenOpportunity, ...]  # of the accounts the person had roles at
    colleagues: tuple[Colleague, ...]
    coverage: tuple[CoverageOf, ...]
    insiders: tuple[Insider, ...]
    new_opportunities: tuple[OpenOpportunity, ...]


# ----- the answer -----


@dataclass(frozen=True, slots=True)
class LostRole:
    """A role the person held and lost with the old job: a risk on that account or deal.
    `open_opportunity_ids`: for an account's role, the account's open opportunities."""

    target: Target
    target_id: str
    target_name: str | None
    account_id: str
    role: m.BuyingRole | None
    attitude: m.Attitude | None
    influence: m.InfluenceLevel | None
    open_opportunity_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gap:
    """An account or opportunity where a new person must be found."""

    target: Target
    target_id: str
    target_name: str | None
    reason: GapReason
    role: m.BuyingRole | None = None  # NO_ONE_LEFT: the decision role left empty


@dataclass(frozen=True, slots=True)
class LostIntroduction:
    """A colleague reached through the old job's reporting line and no personal link: the
    warm introduction through the person is gone. `reps`: the reps covering the person
    who do not cover the colleague themselves (they lost their way in)."""

    person_id: str
    name: str | None
    relation: WorkRelation
    reps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JobChangeImpact:
    """What a job change changed for us: risks, gaps, lost introductions, new doors."""

    lost_roles: tuple[LostRole, ...]
    gaps: tuple[Gap, ...]
    lost_introductions: tuple[LostIntroduction, ...]
    new_people: tuple[Insider, ...]
    new_opportunities: tuple[OpenOpportunity, ...]
    coverage: tuple[CoverageOf, ...]


@dataclass(frozen=True, slots=True)
class JobChangeRecord:
    """A recorded job change: the employment that ended, the one that began, the links
    closed (kind and key, closed on `date`), and the impact."""

    person_id: str
    from_organization_id: str
    to_organization_id: str
    date: dt.date
    title: str | None
    department: str | None
    reports_to_id: str | None
    version: int
    closed_reporting: int
    closed_roles: int
    impact: JobChangeImpact


@dataclass(frozen=True, slots=True)
class JobChange:
    """A job change found in the history: a job ended on `date` and another began that day."""

    person_id: str
    person_name: str | None
    from_organization_id: str
    from_organization_name: str | None
    to_organization_id: str
    to_organization_name: str | None
    date: dt.date
    title: str | None
    previous_title: str | None
