"""Query field crossSell: products to offer a party, each with the graph paths that support it."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from graph_api.api.arguments import GraphAsOf, Limit
from graph_api.api.context import Info
from graph_api.api.enums import register
from graph_api.api.types import GraphPath
from graph_api.api.view_types import Product
from graph_api.domain import cross_sell as cs
from graph_api.domain import model as m
from graph_api.domain.model import reported, reported_or_none
from graph_api.services.cross_sell import cross_sell

register(
    cs.EvidenceKind,
    "Why a product is suggested (交叉销售: each suggestion says why).",
    {
        "HOUSEHOLD": "A family member holds it.",
        "EMPLOYER": "Public-private linkage (公私联动) along employment.",
        "GROUP": "A parent, sister or child organization holds it.",
        "SIMILAR_CUSTOMERS": "Customers holding what this party holds also hold it.",
        "RULE": "An affinity rule fired by the party's event or holding.",
        "OPPORTUNITY": "It is in one of the party's open opportunities.",
        "POPULARITY": "Fallback, no neighbourhood evidence: popular with the same kind.",
    },
    name="CrossSellEvidenceKind",
)
register(
    cs.CrossSellScope,
    "Whose holdings rule a product out.",
    {
        "SELF": "The party's own holdings.",
        "HOUSEHOLD": "Also its family members' (people only).",
        "GROUP": "Also its group organizations' (organizations only).",
    },
    name="CrossSellExclusion",
)


@strawberry.type(description="One path in the graph supporting a suggestion.")
class CrossSellEvidence:
    kind: cs.EvidenceKind = strawberry.field(description="Why this path supports the product.")
    probability: float = strawberry.field(
        description="What this path alone lends the product, 0..1 (docs/CROSS_SELL.md)."
    )
    path: GraphPath = strawberry.field(
        description="Drawable path from the party to the product, with its explanation."
    )
    rule_id: strawberry.ID | None = strawberry.field(description="RULE and rule-based EMPLOYER.")
    reason: str | None = strawberry.field(description="The affinity rule's reason.")
    pair_count: int | None = strawberry.field(
        description="SIMILAR_CUSTOMERS: customers holding both products."
    )
    support: float | None = strawberry.field(
        description="SIMILAR_CUSTOMERS: share of customers holding both products."
    )
    confidence: float | None = strawberry.field(
        description="SIMILAR_CUSTOMERS: share of holders of the party's product holding this one."
    )
    lift: float | None = strawberry.field(
        description="SIMILAR_CUSTOMERS: confidence over this product's overall share (>1: related)."
    )

    @classmethod
    def from_domain(cls, e: cs.Evidence) -> CrossSellEvidence:
        return cls(
            kind=e.kind,
            probability=reported(e.probability),
            path=GraphPath.from_domain(e.path),
            rule_id=strawberry.ID(e.rule_id) if e.rule_id is not None else None,
            reason=e.reason,
            pair_count=e.pair_count,
            support=reported_or_none(e.support),
            confidence=reported_or_none(e.confidence),
            lift=reported_or_none(e.lift),
        )


@strawberry.type(description="A product the party does not hold, why, and how strongly.")
class CrossSellSuggestion:
    rank: int = strawberry.field(description="1 for the best suggestion.")
    product: Product = strawberry.field(description="The product suggested.")
    score: float = strawberry.field(
        description=(
            "Noisy-OR of the evidence probabilities, 0..1, comparable across parties: the "
            "chance that at least one of the independent reasons holds (docs/CROSS_SELL.md)."
        )
    )
    kinds: list[cs.EvidenceKind] = strawberry.field(
        description="Kinds of evidence supporting it, strongest first."
    )
    evidence: list[CrossSellEvidence] = strawberry.field(
        description="The supporting paths, strongest first (at most 10)."
    )
    evidence_count: int = strawberry.field(description="All supporting paths found.")
    formerly_held: bool = strawberry.field(
        description="The party held this product once (only closed holdings remain)."
    )

    @classmethod
    def from_domain(cls, rank: int, s: cs.Suggestion) -> CrossSellSuggestion:
        return cls(
            rank=rank,
            product=Product.from_domain(s.product),
            score=reported(s.score),
            kinds=list(s.kinds),
            evidence=[CrossSellEvidence.from_domain(e) for e in s.evidence],
            evidence_count=s.evidence_count,
            formerly_held=s.formerly_held,
        )


@strawberry.type(description="Cross-sell suggestions for one party.")
class CrossSell:
    party_id: strawberry.ID = strawberry.field(description="The party the suggestions are for.")
    party_kind: m.PartyKind = strawberry.field(description="Person or organization.")
    exclude: cs.CrossSellScope = strawberry.field(description="Whose holdings ruled products out.")
    suggestions: list[CrossSellSuggestion] = strawberry.field(
        description="The suggested products, best first."
    )
    popularity_fallback: bool = strawberry.field(
        description=(
            "True when the party's neighbourhood supports no product it lacks, so the "
            "suggestions are only the most popular products with customers of its kind."
        )
    )
    excluded_products: list[Product] = strawberry.field(
        description="Products never suggested here: held by the party (or household/group)."
    )
    stats_refreshed_at: datetime.datetime | None = strawberry.field(
        description="When the co-holding statistics were last computed (null: never)."
    )

    @classmethod
    def from_domain(cls, r: cs.CrossSellResult) -> CrossSell:
        return cls(
            party_id=strawberry.ID(r.party_id),
            party_kind=r.party_kind,
            exclude=r.scope,
            suggestions=[
                CrossSellSuggestion.from_domain(i, s) for i, s in enumerate(r.suggestions, 1)
            ],
            popularity_fallback=r.popularity_fallback,
            excluded_products=[Product.from_domain(p) for p in r.excluded],
            stats_refreshed_at=r.stats_refreshed_at,
        )


@strawberry.type
class CrossSellQuery:
    @strawberry.field(
        description=(
            "Products the party does not hold yet, ranked, each with the paths in the graph "
            "that support it. Unknown partyId: null and NOT_FOUND; limit outside "
            "1..GRAPH_API_MAX_PAGE_SIZE, or an exclusion that does not apply to the party's "
            "kind: INVALID_INPUT."
        )
    )
    async def cross_sell(
        self,
        info: Info,
        party_id: Annotated[
            strawberry.ID, strawberry.argument(description="The party to suggest products for.")
        ],
        limit: Limit = 10,
        exclude: Annotated[
            cs.CrossSellScope,
            strawberry.argument(description="Whose holdings rule a product out."),
        ] = cs.CrossSellScope.SELF,
        as_of: GraphAsOf = None,
    ) -> CrossSell | None:
        ctx = info.context
        result = await cross_sell(
            await ctx.reader(),
            str(party_id),
            limit=limit,
            scope=exclude,
            max_limit=ctx.settings.max_page_size,
            language=ctx.language,
            as_of=as_of,
        )
        return CrossSell.from_domain(result)
