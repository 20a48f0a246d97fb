"""The import/export format: one section per entity or link kind, declared once.

The same declaration drives validation, loading (`cypher/import.cypher`), export
(`cypher/export.cypher`), CSV headers and the model documentation (docs/MODEL.md).
Field names are the property names stored in Neo4j (camelCase).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import Literal

from graph_api.domain import model as m
from graph_api.domain import tas

FieldType = Literal[
    "id",
    "str",
    "text",
    "int",
    "float",
    "bool",
    "date",
    "datetime",
    "enum",
    "strlist",
    "ref",
    "reflist",
]


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldType
    required: bool = False
    doc: str = ""
    enum: type[Enum] | None = None
    aliases: Mapping[str, Enum] | None = None
    ref: str | None = None  # entity kind a ref points at: Party, Person, Organization, Rep, ...
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    stored: bool = True  # False: used for links only, not stored as a property
    # Masked in the API unless the viewer's role opens the party's sensitive details (a
    # person's contact data); domain/access.py SENSITIVE_PERSON_FIELDS must list it.
    sensitive: bool = False

    def __post_init__(self) -> None:
        # Every number gets a range the store holds, so that no value passes validation and
        # then fails its batch half-way through an import (a float must be finite as well).
        if self.kind == "int":
            lo, hi = STORE_INT_RANGE
            if self.minimum is None or self.minimum < lo:
                object.__setattr__(self, "minimum", lo)
            if self.maximum is None or self.maximum > hi:
                object.__setattr__(self, "maximum", hi)
        # Every text is bounded too; a reference is an id.
        if self.max_length is None and self.kind in ("id", "ref", "reflist"):
            object.__setattr__(self, "max_length", ID_LEN)
        elif self.max_length is None and self.kind in ("str", "text", "strlist"):
            object.__setattr__(self, "max_length", SHORT_LEN)


# Neo4j stores integers as 64-bit signed values.
STORE_INT_RANGE = (-(2**63), 2**63 - 1)
# Money: a volume or an amount beyond any real one (and still exact to the cent in a
# double), so that a unit mistake is refused rather than stored.
MONEY_MAX = 1e13
# More people than any employer has.
EMPLOYEES_MAX = 10_000_000


@dataclass(frozen=True)
class Section:
    name: str
    kind: Literal["node", "link"]
    doc: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    entity: str | None = None  # node sections: the entity kind whose ids they define
    # Link semantics, for validation and documentation.
    graph: str = ""
    symmetric: bool = False  # key is an unordered pair (stored once, lower id first)
    no_self_link: tuple[str, str] | None = None
    acyclic: tuple[str, str] | None = None  # (from field, to field) must form no cycle
    exactly_one_of: tuple[str, ...] = ()
    at_least_one_of: tuple[str, ...] = ()
    # A link kind with history: the relationship type of its current links. Its rows carry a
    # validity period (validFrom, validTo); a closed period (validTo given) is stored as a
    # relationship of the parallel type `closed_type(rel_type)` (WORKS_FOR -> WAS_WORKS_FOR),
    # so that every query of the present sees the current links only, at no cost.
    rel_type: str | None = None
    # Fields whose change closes the period and opens a new one (a title, an attitude); a
    # change of any other field updates the current period in place.
    period_fields: tuple[str, ...] = ()

    @cached_property
    def field_map(self) -> dict[str, Field]:
        # Cached: the validator asks for it once per row (a frozen dataclass still has a
        # __dict__, which cached_property writes directly). Treat it as read-only.
        return {f.name: f for f in self.fields}

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def has_history(self) -> bool:
        return self.rel_type is not None


# The naming rule of closed periods: one parallel relationship type per link type.
CLOSED_PREFIX = "WAS_"


def closed_type(rel_type: str) -> str:
    """The relationship type that stores the closed periods of links of `rel_type`."""
    return CLOSED_PREFIX + rel_type


# Entity kinds and the Neo4j labels that hold them. Party is the union of Person and
# Organization: one id space for every customer, person or organization.
ENTITY_LABELS: dict[str, tuple[str, ...]] = {
    "Person": ("Person",),
    "Organization": ("Organization",),
    "Party": ("Person", "Organization"),
    "Rep": ("Rep",),
    "AccountTeam": ("AccountTeam",),
    "Product": ("Product",),
    "Holding": ("Holding",),
    "Opportunity": ("Opportunity",),
    "Interaction": ("Interaction",),
    "BusinessEvent": ("BusinessEvent",),
    "AffinityRule": ("AffinityRule",),
    "Competitor": ("Competitor",),
    "TasAnswer": ("TasAnswer",),
}

NAME_LEN = 200
SHORT_LEN = 200
TEXT_LEN = 5000
ID_LEN = 128


def _id(doc: str = "identifier chosen by the source system (stable, unique per kind)") -> Field:
    return Field("id", "id", required=True, doc=doc, max_length=ID_LEN)


def _name() -> Field:
    return Field("name", "str", required=True, max_length=NAME_LEN, doc="display name")


def _s(
    name: str,
    doc: str = "",
    required: bool = False,
    max_length: int = SHORT_LEN,
    sensitive: bool = False,
) -> Field:
    return Field(
        name, "str", required=required, doc=doc, max_length=max_length, sensitive=sensitive
    )


def _ref(name: str, ref: str, doc: str = "", required: bool = True) -> Field:
    return Field(name, "ref", required=required, ref=ref, doc=doc, stored=False)


def _enum(
    name: str,
    enum: type[Enum],
    doc: str = "",
    required: bool = False,
    aliases: Mapping[str, Enum] | None = None,
) -> Field:
    return Field(name, "enum", required=required, enum=enum, doc=doc, aliases=aliases)


def _unit(name: str, doc: str, required: bool = False) -> Field:
    return Field(name, "float", required=required, minimum=0.0, maximum=1.0, doc=doc)


def _period() -> tuple[Field, Field]:
    """The validity period of a link with history: [validFrom, validTo), open-ended when
    current. Valid on day d when validFrom <= d (or no validFrom) and d < validTo (or no
    validTo): the day a link ends is its validTo, and a new period may start that day."""
    return (
        Field("validFrom", "date", doc="first day the link held (unknown: since ever)"),
        Field(
            "validTo",
            "date",
            doc="the day the link ended (not included); absent: current. No earlier than validFrom",
        ),
    )


_PROFILE_COMMON = (
    _enum("tier", m.Tier, "客户分层: STRATEGIC (Top-10), MID_STRATEGIC, NON_STRATEGIC"),
    Field("grade", "int", minimum=1, maximum=5, doc="customer grade 1..5 (Lenovo grades 2..5)"),
    Field("confidential", "bool", doc="visible only to the account team and admins"),
    Field("customerSince", "date", doc="the day the party became a customer"),
    _enum("preferredChannel", m.Channel, "preferred communication channel"),
    _s("source", "information source (where we learnt of the customer)"),
    Field(
        "mergedIds",
        "strlist",
        max_length=ID_LEN,
        doc=(
            "ids of the parties merged into this one (mergeParties): they still resolve to it; "
            "set by merges, kept by export and import"
        ),
    ),
)

# Fields of people and organizations that only mergeParties writes (and the import, which
# restores an export): not in the create and update inputs.
WRITTEN_BY_MERGES: tuple[str, ...] = ("mergedIds",)

SECTIONS: tuple[Section, ...] = (
    Section(
        name="organizations",
        kind="node",
        entity="Organization",
        key=("id",),
        graph="(:Party:Organization {id, ...}); parentId -> (org)-[:PART_OF]->(parent)",
        doc="Customer organizations: groups, head offices, branches, subsidiaries, departments.",
        acyclic=("id", "parentId"),
        no_self_link=("id", "parentId"),
        fields=(
            _id(),
            _name(),
            Field("aliases", "strlist", doc="other names (Latin script, short names)"),
            _enum("orgType", m.OrgType, "place in the customer's structure"),
            _ref("parentId", "Organization", "parent organization (branch -> head office)", False),
            _s("industry", "industry (sector) the organization works in"),
            _s("region", "sales region"),
            _s("city", "city of the main site"),
            _s("address", "postal address of the main site", max_length=500),
            _s("phone", "switchboard phone number", max_length=50),
            _s("website", "website address", max_length=500),
            Field("employees", "int", minimum=0, maximum=EMPLOYEES_MAX, doc="number of employees"),
            Field(
                "annualPurchase",
                "float",
                minimum=0,
                maximum=MONEY_MAX,
                doc="buying power (BP): the organization's own annual purchase volume",
            ),
            Field(
                "revenue",
                "float",
                minimum=0,
                maximum=MONEY_MAX,
                doc="our annual revenue from the organization itself (SOW = revenue / BP)",
            ),
            _unit(
                "shareOfWallet",
                "our share of the customer's wallet, 0..1 (used where revenue is not given)",
            ),
            *_PROFILE_COMMON,
        ),
    ),
    Section(
        name="people",
        kind="node",
        entity="Person",
        key=("id",),
        graph="(:Party:Person {id, ...})",
        doc="Customer people: consumers, employees and contacts of organizations, relatives.",
        fields=(
            _id(),
            _name(),
            Field("aliases", "strlist", doc="other names (Latin script, nicknames)"),
            _enum("gender", m.Gender, "gender"),
            Field("birthDate", "date", doc="date of birth (sensitive)", sensitive=True),
            _s("phone", "phone number (contact data)", max_length=50, sensitive=True),
            _s("email", "e-mail address (contact data)", max_length=320, sensitive=True),
            _s("wechatId", "WeChat ID (微信号, contact data)", max_length=100, sensitive=True),
            _s("homeAddress", "home address (sensitive)", max_length=500, sensitive=True),
            _s("city", "city of residence"),
            _s("region", "region of residence (sales region)"),
            _s("occupation", "occupation or job title as the person states it"),
            _s("preferredTime", "preferred time of contact, e.g. 'weekday evenings'"),
            *_PROFILE_COMMON,
        ),
    ),
    Section(
        name="reps",
        kind="node",
        entity="Rep",
        key=("id",),
        graph="(:Rep {id, ...}); managerId -> (rep)-[:MANAGED_BY]->(manager)",
        doc="Our own sales people (account executives, inside sales, managers).",
        no_self_link=("id", "managerId"),
        acyclic=("id", "managerId"),
        fields=(
            _id(),
            _name(),
            _s("email", "e-mail address", max_length=320),
            _enum("role", m.RepRole, "AE outside sales, SR inside sales, SE, MANAGER"),
            _s("region", "sales region the rep covers"),
            _ref("managerId", "Rep", "the rep's line manager", False),
        ),
    ),
    Section(
        name="accountTeams",
        kind="node",
        entity="AccountTeam",
        key=("id",),
        graph="(:AccountTeam {id, name}); managerId -> (manager:Rep)-[:MANAGES]->(team)",
        doc="Account teams: the reps covering a set of accounts.",
        fields=(_id(), _name(), _ref("managerId", "Rep", "manager of the team", False)),
    ),
    Section(
        name="products",
        kind="node",
        entity="Product",
        key=("id",),
        graph="(:Product {id, name, category, line, segment})",
        doc="Our products, by line (e.g. credit, settlement, insurance) and segment.",
        fields=(
            _id(),
            _name(),
            _s("category", "product category, e.g. 保险 (insurance), 贷款 (loans)"),
            _s("line", "product line, e.g. CREDIT, SETTLEMENT, INVESTMENT_BANKING"),
            _enum("segment", m.ProductSegment, "RETAIL or CORPORATE"),
            _s("description", "what the product is", max_length=TEXT_LEN),
        ),
    ),
    Section(
        name="opportunities",
        kind="node",
        entity="Opportunity",
        key=("id",),
        graph=(
            "(:Opportunity {id, ...})-[:FOR_ACCOUNT]->(party); (o)-[:INCLUDES]->(product); "
            "(owner:Rep)-[:OWNS]->(o)"
        ),
        doc="Sales opportunities with funnel stage (probability follows the stage).",
        fields=(
            _id(),
            _name(),
            _ref("accountId", "Party", "the customer"),
            _enum("stage", m.OpportunityStage, "funnel level", required=True),
            Field("amount", "float", minimum=0, maximum=MONEY_MAX, doc="expected deal amount"),
            Field("closeDate", "date", doc="expected (or actual) close date"),
            _ref("ownerId", "Rep", "owning rep", False),
            Field("productIds", "reflist", ref="Product", stored=False, doc="products offered"),
            _enum(
                "competitiveStrategy",
                tas.CompetitiveStrategy,
                "竞争策略: FRONTAL 正面, FLANKING 侧面, FRAGMENTING 分化, DEFENSIVE 防御, "
                "DEVELOPMENT 拓展",
            ),
            _s("strategyRationale", "why this strategy", max_length=TEXT_LEN),
        ),
    ),
    Section(
        name="holdings",
        kind="node",
        entity="Holding",
        key=("id",),
        graph="(party)-[:HOLDS]->(:Holding {id, ...})-[:OF_PRODUCT]->(product)",
        doc="Products held by a party (policies, accounts, loans), with since/amount/status.",
        fields=(
            _id(),
            Field("partyId", "ref", required=True, ref="Party", doc="the holder"),
            Field("productId", "ref", required=True, ref="Product", doc="the product held"),
            Field("since", "date", doc="held since"),
            Field(
                "amount",
                "float",
                minimum=0,
                maximum=MONEY_MAX,
                doc="amount (balance, sum insured, loan)",
            ),
            _enum("status", m.HoldingStatus, "ACTIVE, CLOSED (formerly held) or PENDING"),
            _s("reference", "policy or account number (sensitive)", max_length=100),
        ),
    ),
    Section(
        name="interactions",
        kind="node",
        entity="Interaction",
        key=("id",),
        graph=(
            "(:Interaction {id, ...})-[:WITH]->(party); (rep)-[:CONDUCTED]->(i); "
            "(i)-[:ABOUT]->(opportunity)"
        ),
        doc="Contacts with customers: visits, calls, complaints, claims, service, billing.",
        fields=(
            _id(),
            _enum("kind", m.InteractionKind, "visit, call, complaint, claim, ...", required=True),
            Field("at", "datetime", required=True, doc="when (ISO 8601, UTC if no offset)"),
            _enum("direction", m.InteractionDirection, "ACTIVE (we started) or PASSIVE"),
            _enum("purpose", m.InteractionPurpose, "DEVELOPMENT or TRANSACTIONAL"),
            _enum("channel", m.Channel, "the channel used"),
            _s("subject", "subject line", max_length=500),
            _s("summary", "what was said or done", max_length=TEXT_LEN),
            Field(
                "partyIds", "reflist", required=True, ref="Party", stored=False, doc="the customers"
            ),
            Field("repIds", "reflist", ref="Rep", stored=False, doc="our reps who took part"),
            _ref("opportunityId", "Opportunity", "the opportunity it was about", required=False),
        ),
    ),
    Section(
        name="events",
        kind="node",
        entity="BusinessEvent",
        key=("id",),
        graph="(org)-[:HAS_EVENT]->(:BusinessEvent {id, kind, title, date, description})",
        doc="News and business events of a customer (e.g. 中集 adds overseas production lines).",
        fields=(
            _id(),
            _ref("organizationId", "Party", "whose event"),
            _s("kind", "event kind code, matched by affinity rules", required=True),
            _s("title", "headline", required=True, max_length=500),
            Field("date", "date", doc="when it happened (or was announced)"),
            _s("description", "details", max_length=TEXT_LEN),
        ),
    ),
    Section(
        name="affinityRules",
        kind="node",
        entity="AffinityRule",
        key=("id",),
        graph=(
            "(:AffinityRule {id, reason, weight, whenEventKind})-[:SUGGESTS]->(product); "
            "(rule)-[:WHEN_HOLDS]->(product)"
        ),
        doc="Product suggestions: holding a product, or an event kind, suggests products.",
        exactly_one_of=("whenProductId", "whenEventKind"),
        fields=(
            _id(),
            _s(
                "reason",
                "why the suggestion holds, shown to the rep",
                required=True,
                max_length=500,
            ),
            _ref("whenProductId", "Product", "trigger: the party holds this product", False),
            _s("whenEventKind", "trigger: the party has an event of this kind"),
            Field(
                "suggestsProductIds",
                "reflist",
                required=True,
                ref="Product",
                stored=False,
                doc="the products suggested",
            ),
            _unit("weight", "rule strength 0..1 (default 0.5)"),
        ),
    ),
    Section(
        name="competitors",
        kind="node",
        entity="Competitor",
        key=("id",),
        graph="(:Competitor {id, name, aliases, website, note})",
        doc="Our competitors (other banks, vendors): not customers, never parties.",
        fields=(
            _id(),
            _name(),
            Field("aliases", "strlist", doc="other names"),
            _s("website", "website address", max_length=500),
            _s("note", "what the account teams know of them", max_length=TEXT_LEN),
        ),
    ),
    Section(
        name="tasAnswers",
        kind="node",
        entity="TasAnswer",
        key=("id",),
        graph="(:TasAnswer {id, question, answer, ...})-[:ANSWERS]->(opportunity)",
        doc=(
            "The account team's answers to the 14 TAS questions of an opportunity; every "
            "answer is kept (the latest per question counts, older ones are its history)."
        ),
        fields=(
            _id(),
            _ref("opportunityId", "Opportunity", "the opportunity assessed"),
            Field(
                "question", "int", required=True, minimum=1, maximum=14, doc="TAS question 1..14"
            ),
            _enum("answer", tas.TasAnswer, "YES, NO or UNKNOWN", required=True),
            _s("answeredBy", "who answered (the API's subject)", required=True),
            Field("answeredAt", "datetime", required=True, doc="when (ISO 8601)"),
            _s("comment", "the answer's reasoning", max_length=TEXT_LEN),
            Field("evidence", "strlist", doc="links to the evidence (documents, minutes)"),
        ),
    ),
    # ----- links -----
    Section(
        name="employment",
        kind="link",
        key=("personId", "organizationId"),
        graph="(person)-[:WORKS_FOR {title, department, since, primary}]->(organization)",
        doc="Employment and contact roles of people at organizations.",
        rel_type="WORKS_FOR",
        period_fields=("title", "department"),
        fields=(
            _ref("personId", "Person", "the employee or contact"),
            _ref("organizationId", "Organization", "the employer"),
            _s("title", "job title, e.g. 首席财务官 CFO"),
            _s("department", "department"),
            Field("since", "date", doc="employed since"),
            Field("primary", "bool", doc="the person's main employer"),
            *_period(),
        ),
    ),
    Section(
        name="reporting",
        kind="link",
        key=("personId", "managerId"),
        graph="(person)-[:REPORTS_TO]->(manager)",
        doc="Reporting lines between people (no cycles, no self-links).",
        no_self_link=("personId", "managerId"),
        acyclic=("personId", "managerId"),
        rel_type="REPORTS_TO",
        fields=(
            _ref("personId", "Person", "the person who reports"),
            _ref("managerId", "Person", "the manager reported to"),
            *_period(),
        ),
    ),
    Section(
        name="family",
        kind="link",
        key=("fromId", "toId"),
        symmetric=True,
        graph=(
            "(a)-[:FAMILY {kind}]->(b); PARENT points from parent to child (CHILD rows are "
            "stored reversed as PARENT); SPOUSE/SIBLING/OTHER from the lower id"
        ),
        doc="Family links: spouse, parent/child, sibling, other.",
        no_self_link=("fromId", "toId"),
        rel_type="FAMILY",
        period_fields=("kind",),
        fields=(
            _ref("fromId", "Person", "one relative (the parent of a PARENT link)"),
            _ref("toId", "Person", "the other relative (the child of a PARENT link)"),
            _enum(
                "kind", m.FamilyKind, "read from fromId: PARENT means fromId is the parent", True
            ),
            *_period(),
        ),
    ),
    Section(
        name="beneficiaries",
        kind="link",
        key=("personId", "holdingId"),
        graph="(person)-[:BENEFICIARY_OF {share}]->(holding)",
        doc="Beneficiaries of policies.",
        fields=(
            _ref("personId", "Person", "the beneficiary"),
            _ref("holdingId", "Holding", "the policy (holding)"),
            _unit("share", "share of the benefit, 0..1"),
        ),
    ),
    Section(
        name="buyingRoles",
        kind="link",
        key=("personId", "accountId", "opportunityId"),
        graph=(
            "(person)-[:BUYING_ROLE {role, attitude, influence, note}]->(account or opportunity)"
        ),
        doc="Buying-centre markers of a person on an account or on one opportunity.",
        exactly_one_of=("accountId", "opportunityId"),
        at_least_one_of=("role", "attitude", "influence"),
        rel_type="BUYING_ROLE",
        period_fields=("role", "attitude", "influence"),
        fields=(
            _ref("personId", "Person", "the person marked"),
            _ref("accountId", "Party", "the account (organization or person)", False),
            _ref("opportunityId", "Opportunity", "or one opportunity", False),
            _enum("role", m.BuyingRole, "决审研咨用", aliases=m.BUYING_ROLE_ALIASES),
            _enum("attitude", m.Attitude, "+ = - X", aliases=m.ATTITUDE_ALIASES),
            _enum("influence", m.InfluenceLevel, "influence on the decision: HIGH, MEDIUM, LOW"),
            _s("note", "the account team's note", max_length=TEXT_LEN),
            *_period(),
        ),
    ),
    Section(
        name="influence",
        kind="link",
        key=("fromId", "toId"),
        graph="(from)-[:INFLUENCES {strength, kind}]->(to): `to` listens to `from`",
        doc="Informal influence (政治圈): who listens to whom, incl. outside advisers.",
        no_self_link=("fromId", "toId"),
        rel_type="INFLUENCES",
        fields=(
            _ref("fromId", "Person", "the one listened to"),
            _ref("toId", "Person", "the one who listens"),
            _unit("strength", "0..1 (default 0.5)"),
            _s("kind", "e.g. POLITICAL, TECHNICAL, ADVISORY"),
            *_period(),
        ),
    ),
    Section(
        name="acquaintance",
        kind="link",
        key=("fromId", "toId"),
        symmetric=True,
        graph="(a)-[:KNOWS {strength, context}]->(b), stored once from the lower id",
        doc="Acquaintance between parties (undirected).",
        no_self_link=("fromId", "toId"),
        rel_type="KNOWS",
        fields=(
            _ref("fromId", "Party", "one party"),
            _ref("toId", "Party", "the other party"),
            _unit("strength", "0..1 (default 0.5)"),
            _s("context", "how they know each other"),
            *_period(),
        ),
    ),
    Section(
        name="coverage",
        kind="link",
        key=("repId", "personId"),
        graph="(rep)-[:COVERS {strength, kind}]->(person)",
        doc="Our reps' relationships with customer people (the %/$/#/& marks of the charts).",
        rel_type="COVERS",
        fields=(
            _ref("repId", "Rep", "our rep"),
            _ref("personId", "Party", "the customer person covered"),
            _unit("strength", "0..1 strength of our relationship", required=True),
            _s("kind", "kind of relationship, e.g. PERSONAL, BUSINESS, SOCIAL"),
            *_period(),
        ),
    ),
    Section(
        name="competitorOpportunities",
        kind="link",
        key=("competitorId", "opportunityId"),
        graph="(competitor)-[:COMPETES_FOR {shortlisted, note}]->(opportunity)",
        doc="The competitors in an opportunity, and whether the customer shortlisted them.",
        fields=(
            _ref("competitorId", "Competitor", "the competitor"),
            _ref("opportunityId", "Opportunity", "the opportunity they compete for"),
            Field("shortlisted", "bool", doc="on the customer's shortlist"),
            _s("note", "their offer, their angle", max_length=TEXT_LEN),
        ),
    ),
    Section(
        name="competitorCoverage",
        kind="link",
        key=("competitorId", "personId"),
        graph="(competitor)-[:COMPETITOR_COVERS {strength, champion, note}]->(person)",
        doc="A competitor's relationships with customer people: whom they cover, how strongly.",
        rel_type="COMPETITOR_COVERS",
        fields=(
            _ref("competitorId", "Competitor", "the competitor"),
            _ref("personId", "Person", "the customer person"),
            _unit("strength", "0..1 strength of their relationship", required=True),
            Field("champion", "bool", doc="the person is the competitor's champion (支持者)"),
            _s("note", "what is known of it", max_length=TEXT_LEN),
            *_period(),
        ),
    ),
    Section(
        name="teamMembers",
        kind="link",
        key=("teamId", "repId"),
        graph="(rep)-[:MEMBER_OF {role}]->(team)",
        doc="Members of account teams.",
        rel_type="MEMBER_OF",
        fields=(
            _ref("teamId", "AccountTeam", "the team"),
            _ref("repId", "Rep", "the member"),
            _enum("role", m.RepRole, "the member's role in the team"),
            *_period(),
        ),
    ),
    Section(
        name="teamAccounts",
        kind="link",
        key=("teamId", "partyId"),
        graph="(team)-[:COVERS_ACCOUNT]->(party)",
        doc="The accounts an account team covers.",
        rel_type="COVERS_ACCOUNT",
        fields=(
            _ref("teamId", "AccountTeam", "the team"),
            _ref("partyId", "Party", "the account covered"),
            *_period(),
        ),
    ),
)

# Bookkeeping stored on every node and every link a section defines, beside its declared
# fields; not part of the format (an import sets them, export leaves them out). The API
# answers them as `createdAt` / `updatedAt` on every node and link type (api/declared.py
# `stamped`), and docs/MODEL.md lists them once for all sections.
BOOKKEEPING_FIELDS: tuple[Field, ...] = (
    Field(
        "createdAt",
        "datetime",
        stored=False,
        doc="when the node or link was first written (by an import or the write API), UTC",
    ),
    Field(
        "updatedAt",
        "datetime",
        stored=False,
        doc=(
            "when the node or link last changed (an import row or a mutation that changed "
            "it; equal to createdAt until then), UTC"
        ),
    ),
)
BOOKKEEPING_BY_NAME: dict[str, Field] = {f.name: f for f in BOOKKEEPING_FIELDS}

SECTION_BY_NAME: dict[str, Section] = {s.name: s for s in SECTIONS}
NODE_SECTIONS = tuple(s for s in SECTIONS if s.kind == "node")
LINK_SECTIONS = tuple(s for s in SECTIONS if s.kind == "link")
ENTITY_SECTION: dict[str, Section] = {s.entity: s for s in NODE_SECTIONS if s.entity}

FORMAT_NAME = "relgraph-import"
FORMAT_VERSION = 1
