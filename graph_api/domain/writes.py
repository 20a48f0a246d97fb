"""The write API's vocabulary: what a change writes, whom it touches, what the audit keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from graph_api.domain import i18n
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.job_change import JobChangeRecord
from graph_api.domain.tas import RecordedAnswer


class EntityKind(StrEnum):
    """A node or link kind the mutations write; the value names its import section."""

    PERSON = "people"
    ORGANIZATION = "organizations"
    HOLDING = "holdings"
    INTERACTION = "interactions"
    EMPLOYMENT = "employment"
    REPORTING_LINE = "reporting"
    FAMILY = "family"
    BENEFICIARY = "beneficiaries"
    BUYING_ROLE = "buyingRoles"
    INFLUENCE = "influence"
    ACQUAINTANCE = "acquaintance"
    COVERAGE = "coverage"
    REP = "reps"
    ACCOUNT_TEAM = "accountTeams"
    PRODUCT = "products"
    OPPORTUNITY = "opportunities"
    BUSINESS_EVENT = "events"
    AFFINITY_RULE = "affinityRules"
    TEAM_MEMBER = "teamMembers"
    TEAM_ACCOUNT = "teamAccounts"
    COMPETITOR_COVERAGE = "competitorCoverage"
    COMPETITOR_OPPORTUNITY = "competitorOpportunities"
    TAS_ANSWER = "tasAnswers"

    @property
    def is_link(self) -> bool:
        return self not in NODE_KINDS


i18n.labels(
    EntityKind,
    {
        EntityKind.PERSON: i18n.Label("Person", "个人"),
        EntityKind.ORGANIZATION: i18n.Label("Organization", "机构"),
        EntityKind.HOLDING: i18n.Label("Holding", "持有产品"),
        EntityKind.INTERACTION: i18n.Label("Interaction", "互动"),
        EntityKind.EMPLOYMENT: i18n.Label("Employment", "任职"),
        EntityKind.REPORTING_LINE: i18n.Label("Reporting line", "汇报关系"),
        EntityKind.FAMILY: i18n.Label("Family link", "家庭关系"),
        EntityKind.BENEFICIARY: i18n.Label("Beneficiary", "受益人"),
        EntityKind.BUYING_ROLE: i18n.Label("Buying role", "采购角色"),
        EntityKind.INFLUENCE: i18n.Label("Influence", "影响关系"),
        EntityKind.ACQUAINTANCE: i18n.Label("Acquaintance", "熟人关系"),
        EntityKind.COVERAGE: i18n.Label("Coverage", "客户覆盖"),
        EntityKind.REP: i18n.Label("Rep", "客户经理"),
        EntityKind.ACCOUNT_TEAM: i18n.Label("Account team", "客户团队"),
        EntityKind.PRODUCT: i18n.Label("Product", "产品"),
        EntityKind.OPPORTUNITY: i18n.Label("Opportunity", "商机"),
        EntityKind.BUSINESS_EVENT: i18n.Label("Business event", "商业事件"),
        EntityKind.AFFINITY_RULE: i18n.Label("Affinity rule", "关联规则"),
        EntityKind.TEAM_MEMBER: i18n.Label("Team member", "团队成员"),
        EntityKind.TEAM_ACCOUNT: i18n.Label("Team account", "团队客户"),
        EntityKind.COMPETITOR_COVERAGE: i18n.Label("Competitor coverage", "竞争对手覆盖"),
        EntityKind.COMPETITOR_OPPORTUNITY: i18n.Label(
            "Competitor in an opportunity", "参与商机的竞争对手"
        ),
        EntityKind.TAS_ANSWER: i18n.Label("TAS answer", "TAS评估回答"),
    },
)

# The nodes of our own sales side (rather than the customers'): written like the others,
# answered as a NodeRecord.
SALES_NODE_KINDS = frozenset(
    {
        EntityKind.REP,
        EntityKind.ACCOUNT_TEAM,
        EntityKind.PRODUCT,
        EntityKind.OPPORTUNITY,
        EntityKind.BUSINESS_EVENT,
        EntityKind.AFFINITY_RULE,
    }
)
NODE_KINDS = (
    frozenset(
        {
            EntityKind.PERSON,
            EntityKind.ORGANIZATION,
            EntityKind.HOLDING,
            EntityKind.INTERACTION,
            EntityKind.TAS_ANSWER,
        }
    )
    | SALES_NODE_KINDS
)
# What decides who sees what (reps, teams, their members and accounts) and the catalogue
# every rep reads (products, affinity rules): written by admins only.
ADMIN_ONLY_KINDS = frozenset(
    {
        EntityKind.REP,
        EntityKind.ACCOUNT_TEAM,
        EntityKind.PRODUCT,
        EntityKind.AFFINITY_RULE,
        EntityKind.TEAM_MEMBER,
        EntityKind.TEAM_ACCOUNT,
    }
)
LINK_KINDS = tuple(k for k in EntityKind if k not in NODE_KINDS)


class LinkKind(StrEnum):
    """The link kinds, as `removeLink` names them (the same names as in EntityKind)."""

    EMPLOYMENT = "employment"
    REPORTING_LINE = "reporting"
    FAMILY = "family"
    BENEFICIARY = "beneficiaries"
    BUYING_ROLE = "buyingRoles"
    INFLUENCE = "influence"
    ACQUAINTANCE = "acquaintance"
    COVERAGE = "coverage"
    TEAM_MEMBER = "teamMembers"
    TEAM_ACCOUNT = "teamAccounts"
    COMPETITOR_COVERAGE = "competitorCoverage"
    COMPETITOR_OPPORTUNITY = "competitorOpportunities"

    @property
    def entity(self) -> EntityKind:
        return EntityKind(self.value)


i18n.labels(
    LinkKind,
    {
        LinkKind.EMPLOYMENT: i18n.Label("Employment", "任职"),
        LinkKind.REPORTING_LINE: i18n.Label("Reporting line", "汇报关系"),
        LinkKind.FAMILY: i18n.Label("Family link", "家庭关系"),
        LinkKind.BENEFICIARY: i18n.Label("Beneficiary", "受益人"),
        LinkKind.BUYING_ROLE: i18n.Label("Buying role", "采购角色"),
        LinkKind.INFLUENCE: i18n.Label("Influence", "影响关系"),
        LinkKind.ACQUAINTANCE: i18n.Label("Acquaintance", "熟人关系"),
        LinkKind.COVERAGE: i18n.Label("Coverage", "客户覆盖"),
        LinkKind.TEAM_MEMBER: i18n.Label("Team member", "团队成员"),
        LinkKind.TEAM_ACCOUNT: i18n.Label("Team account", "团队客户"),
        LinkKind.COMPETITOR_COVERAGE: i18n.Label("Competitor coverage", "竞争对手覆盖"),
        LinkKind.COMPETITOR_OPPORTUNITY: i18n.Label(
            "Competitor in an opportunity", "参与商机的竞争对手"
        ),
    },
)


class ArchivableKind(StrEnum):
    """The nodes that can be archived (soft-deleted, history kept) and restored."""

    PERSON = "PERSON"
    ORGANIZATION = "ORGANIZATION"
    REP = "REP"
    ACCOUNT_TEAM = "ACCOUNT_TEAM"
    PRODUCT = "PRODUCT"
    OPPORTUNITY = "OPPORTUNITY"
    BUSINESS_EVENT = "BUSINESS_EVENT"
    AFFINITY_RULE = "AFFINITY_RULE"

    @property
    def entity(self) -> EntityKind:
        return EntityKind[self.name]


i18n.labels(
    ArchivableKind,
    {
        ArchivableKind.PERSON: i18n.Label("Person", "个人"),
        ArchivableKind.ORGANIZATION: i18n.Label("Organization", "机构"),
        ArchivableKind.REP: i18n.Label("Rep", "客户经理"),
        ArchivableKind.ACCOUNT_TEAM: i18n.Label("Account team", "客户团队"),
        ArchivableKind.PRODUCT: i18n.Label("Product", "产品"),
        ArchivableKind.OPPORTUNITY: i18n.Label("Opportunity", "商机"),
        ArchivableKind.BUSINESS_EVENT: i18n.Label("Business event", "商业事件"),
        ArchivableKind.AFFINITY_RULE: i18n.Label("Affinity rule", "关联规则"),
    },
)


class ChangeAction(StrEnum):
    """How a change writes: CREATE and UPDATE a node, SET (create or update) or REMOVE a link."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    SET = "SET"
    REMOVE = "REMOVE"
    # The lifecycle of a node (services/writes.py, "lifecycle"): archive or restore it,
    # merge a party into another, erase a person's personal data.
    ARCHIVE = "ARCHIVE"
    RESTORE = "RESTORE"
    MERGE = "MERGE"
    ERASE = "ERASE"
    # A person's move to another employer (services/job_change.py): closes the old job's
    # links on the day and opens the new employment, in the one transaction.
    JOB_CHANGE = "JOB_CHANGE"


class AuditAction(StrEnum):
    """What happened to the entity or link: it was created, changed or deleted."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    ARCHIVE = "ARCHIVE"
    RESTORE = "RESTORE"
    MERGE = "MERGE"
    ERASE = "ERASE"


i18n.labels(
    AuditAction,
    {
        AuditAction.CREATE: i18n.Label("Created", "新建"),
        AuditAction.UPDATE: i18n.Label("Updated", "修改"),
        AuditAction.DELETE: i18n.Label("Deleted", "删除"),
        AuditAction.ARCHIVE: i18n.Label("Archived", "归档"),
        AuditAction.RESTORE: i18n.Label("Restored", "恢复"),
        AuditAction.MERGE: i18n.Label("Merged", "合并"),
        AuditAction.ERASE: i18n.Label("Personal data erased", "个人信息已删除"),
    },
)


@dataclass(frozen=True, slots=True)
class Change:
    """One checked change of a mutation, ready for its transaction.

    `values` are the given fields, checked and coerced by the import's rules (keys included);
    `cleared` the fields given as null (removed when stored, refused when required);
    `path` locates the change's input for error fields ("input", "changes[2].setEmployment").
    """

    kind: EntityKind
    action: ChangeAction
    values: Mapping[str, Any]
    cleared: frozenset[str] = frozenset()
    expected_version: int | None = None
    path: str = "input"

    def at(self, name: str) -> str:
        """The error field of one input field of this change (a mutation taking arguments
        rather than an input object has no path: the argument's name)."""
        return f"{self.path}.{name}" if self.path else name


@dataclass(frozen=True, slots=True)
class WriteScope:
    """Who one change touches, known before anything is written: access checks decide on it,
    and its audit entry is filed under each of these parties.

    `party_ids`: every customer whose data or links change (both ends of a link, a holding's
    holder, an interaction's parties, a beneficiary's policy holder, an organization's old and
    new parent). `account_ids`: the accounts a buying-centre marker is placed on (the account
    itself, or the account an opportunity is for).
    """

    kind: EntityKind
    action: ChangeAction
    party_ids: frozenset[str]
    account_ids: frozenset[str] = frozenset()
    rep_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PropertyChange:
    """One changed property: its value before and after (None: absent)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change as the audit trail keeps it: who, when, which mutation, what changed."""

    id: str
    at: datetime
    who: str
    mutation: str
    action: AuditAction
    entity: EntityKind
    key: Mapping[str, str]
    version: int | None  # the entity's version after the change; None once deleted
    changes: tuple[PropertyChange, ...]
    party_ids: tuple[str, ...]
    request_id: str


@dataclass(frozen=True, slots=True)
class HoldingRecord:
    """A holding as written: its holder, product and stored properties."""

    id: str
    holder: m.Party
    product: m.Product
    since: date | None
    amount: float | None
    status: m.HoldingStatus | None
    version: int


@dataclass(frozen=True, slots=True)
class StrengthChange:
    """How a write of an interaction changed one relationship's strength (analytics/strength.py):
    a rep and a customer person (`rep` True), or two customer people."""

    rep: bool
    from_id: str
    to_id: str
    declared: float | None  # the declared COVERS/KNOWS strength; None: none declared
    before: float  # the strength just before the write, at its time
    after: float  # and just after
    interactions: int  # the pair's interactions after the write
    explanation: str | None  # the pair's interactions in words (None: none left)
    explanation_zh: str | None


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    """An interaction as written, with its parties and reps, and what it changed: the
    strengths of the relationships it touches, the customers it woke (no longer sleeping)."""

    id: str
    kind: m.InteractionKind | None
    at: datetime
    direction: m.InteractionDirection | None
    purpose: m.InteractionPurpose | None
    channel: m.Channel | None
    subject: str | None
    summary: str | None
    parties: tuple[m.Party, ...]
    reps: tuple[v.Rep, ...]
    opportunity_id: str | None
    version: int
    strength_changes: tuple[StrengthChange, ...] = ()
    sleeping_cleared: tuple[str, ...] = ()  # parties sleeping before the write, not after


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link as written (or, after a removal, as it was asked to be gone).

    `key`: the link's key fields (personId, organizationId, ...) after normalisation (a family
    CHILD link is stored as PARENT from the parent; symmetric links from the lower id).
    `ends`: the nodes at the ends, by key field. `present` is False after a removal.
    """

    kind: EntityKind
    key: Mapping[str, str]
    properties: Mapping[str, Any] = field(default_factory=dict)
    version: int | None = None
    ends: Mapping[str, m.Party | v.Rep] = field(default_factory=dict)
    present: bool = True
    created_at: datetime | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node of the sales side as written: its declared fields (links such as managerId and
    productIds included) by their import names, absent when unset."""

    kind: EntityKind
    id: str
    values: Mapping[str, Any]
    version: int
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LifecycleRecord:
    """What an archive, restore, merge or erasure did to a node.

    `archived`: whether the node is archived now; `survivor_id`: after a merge, the party
    the merged one lives on as (its id an alias of it); `moved`: links moved by a merge;
    `removed`: links dropped (duplicates by a merge, private links by an erasure)."""

    kind: EntityKind
    id: str
    action: AuditAction
    version: int
    at: datetime
    archived: bool = False
    reason: str | None = None
    survivor_id: str | None = None
    moved: int = 0
    removed: int = 0
    fields: tuple[str, ...] = ()


WriteResult = (
    LifecycleRecord
    | m.Person
    | m.Organization
    | HoldingRecord
    | InteractionRecord
    | LinkRecord
    | NodeRecord
    | RecordedAnswer
    | JobChangeRecord
)
