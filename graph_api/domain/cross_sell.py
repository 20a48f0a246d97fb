"""The vocabulary of cross-selling: evidence kinds, exclusion scopes, suggestions, statistics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from graph_api.domain import i18n
from graph_api.domain.model import GraphPath, PartyKind, Product


class EvidenceKind(StrEnum):
    """Why a product is suggested: the kind of path in the graph that supports it."""

    HOUSEHOLD = "HOUSEHOLD"  # a family member holds it
    EMPLOYER = "EMPLOYER"  # public-private linkage (公私联动) along employment
    GROUP = "GROUP"  # a parent, sister or child organization along PART_OF holds it
    SIMILAR_CUSTOMERS = "SIMILAR_CUSTOMERS"  # association rule from co-holding statistics
    RULE = "RULE"  # an AffinityRule triggered by the party's event or holding
    OPPORTUNITY = "OPPORTUNITY"  # a product of one of the party's open opportunities
    POPULARITY = "POPULARITY"  # fallback: no neighbourhood evidence, popular with the same kind


i18n.labels(
    EvidenceKind,
    {
        EvidenceKind.HOUSEHOLD: i18n.Label("Household", "家庭"),
        EvidenceKind.EMPLOYER: i18n.Label("Employer (public-private linkage)", "雇主(公私联动)"),
        EvidenceKind.GROUP: i18n.Label("Group", "集团"),
        EvidenceKind.SIMILAR_CUSTOMERS: i18n.Label("Similar customers", "相似客户"),
        EvidenceKind.RULE: i18n.Label("Rule", "规则"),
        EvidenceKind.OPPORTUNITY: i18n.Label("Open opportunity", "在途商机"),
        EvidenceKind.POPULARITY: i18n.Label("Popularity", "热门产品"),
    },
)


class CrossSellScope(StrEnum):
    """Whose holdings rule a product out: the party's own, its household's, or its group's."""

    SELF = "SELF"
    HOUSEHOLD = "HOUSEHOLD"  # people only: the party and its family members
    GROUP = "GROUP"  # organizations only: the party and its PART_OF relatives

    def applies_to(self, kind: PartyKind) -> bool:
        if self is CrossSellScope.HOUSEHOLD:
            return kind is PartyKind.PERSON
        if self is CrossSellScope.GROUP:
            return kind is PartyKind.ORGANIZATION
        return True


i18n.labels(
    CrossSellScope,
    {
        CrossSellScope.SELF: i18n.Label("Own holdings", "本人持有"),
        CrossSellScope.HOUSEHOLD: i18n.Label("Household holdings", "家庭持有"),
        CrossSellScope.GROUP: i18n.Label("Group holdings", "集团持有"),
    },
)


# Titles that make a person an executive for the public-private linkage: executives of a
# corporate client are private-banking prospects (DOMAIN.md, cross-selling).
_EXECUTIVE_TITLE = re.compile(
    r"首席|总裁|总经理|董事|行长|院长|合伙人|总监|"
    r"\b(CEO|CFO|COO|CTO|CIO|CMO|chief|president|chairman|chairwoman|director|partner|VP)\b",
    re.IGNORECASE,
)


def is_executive(title: str | None) -> bool:
    return bool(title) and _EXECUTIVE_TITLE.search(title or "") is not None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One path supporting one product, with the probability-like strength it lends.

    `via` names what makes two evidences of the same kind dependent (the relative, the group
    company, the rule...): the ranking counts one evidence per (kind, via, product).
    """

    kind: EvidenceKind
    product_id: str
    probability: float
    path: GraphPath
    via: str
    rule_id: str | None = None
    reason: str | None = None
    pair_count: int | None = None
    support: float | None = None
    confidence: float | None = None
    lift: float | None = None

    @property
    def party_ids(self) -> frozenset[str]:
        """Customer parties the path shows (what an access filter must check)."""
        return frozenset(n.id for n in self.path.nodes if n.kind in ("PERSON", "ORGANIZATION"))


@dataclass(frozen=True, slots=True)
class Suggestion:
    product: Product
    score: float
    kinds: tuple[EvidenceKind, ...]  # by contribution, strongest first
    evidence: tuple[Evidence, ...]  # strongest first, at most the configured number
    evidence_count: int  # all evidences found, before the cut
    formerly_held: bool = False  # the party held it once (closed holding)


@dataclass(frozen=True, slots=True)
class CrossSellResult:
    party_id: str
    party_kind: PartyKind
    scope: CrossSellScope
    suggestions: tuple[Suggestion, ...]
    popularity_fallback: bool
    excluded: tuple[Product, ...]
    stats_refreshed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Association:
    """Association rule `antecedent -> consequent` from co-holding counts.

    support = pairs / customers; confidence = pairs / holders(antecedent);
    lift = confidence / (holders(consequent) / customers).
    """

    antecedent: str
    consequent: str
    pair_count: int
    support: float
    confidence: float
    lift: float


@dataclass(frozen=True, slots=True)
class Popularity:
    """How many customers of each kind hold a product (the fallback's statistics)."""

    product: Product
    people: int
    organizations: int


@dataclass(frozen=True, slots=True)
class CoHoldingStats:
    """The part of the co-holding statistics one request needs.

    `people`/`organizations` count customers holding at least one (not closed) product;
    `associations` are keyed by antecedent and hold only the party's held products';
    `popular` is the catalogue's most held products.
    """

    refreshed_at: datetime | None = None
    people: int = 0
    organizations: int = 0
    associations: dict[str, tuple[Association, ...]] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    popular: tuple[Popularity, ...] = ()
