"""Query fields of the portfolio lists (issue 15.5) and the RAD matrix's counts (issue 18.3)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view_types import PageInfo
from graph_api.domain import model as m
from graph_api.domain.portfolio import DecisionLayerGap, PortfolioFilter, PortfolioOrder
from graph_api.domain.signals import Escalation
from graph_api.services.portfolio import portfolio_page, rad_counts


@strawberry.input(
    description=(
        "The filters of a portfolio list; every one given must hold. Sleeping, escalation "
        "and compliance are judged as of today (UTC) with GRAPH_API_SLEEPING_DAYS, "
        "GRAPH_API_SLEEPING_ESCALATION_DAYS and GRAPH_API_PROFILE_COMPLIANCE_THRESHOLD."
    )
)
class PortfolioFilterInput:
    mine: bool | None = strawberry.field(
        default=None,
        description=(
            "true: only the viewer's book: the accounts of the viewer's account teams (a "
            "manager's: also those of every rep below them) and the parties their reps cover. "
            "An admin without a rep has none."
        ),
    )
    covered_by_rep: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "Only the book of this rep: the accounts of the rep's teams and the parties the "
            "rep covers. A rep may ask for their own, a manager for the reps below them."
        ),
    )
    team: strawberry.ID | None = strawberry.field(
        default=None, description="Only the accounts of this account team."
    )
    kinds: list[m.PartyKind] | None = strawberry.field(
        default=None, description="Only these kinds (default: both)."
    )
    tier: m.Tier | None = strawberry.field(default=None, description="Only this tier.")
    grades: list[int] | None = strawberry.field(
        default=None, description="Only these customer grades (1..5)."
    )
    rad_cell: str | None = strawberry.field(
        default=None, description="Only organizations in this RAD cell (R1..A3)."
    )
    region: str | None = strawberry.field(default=None, description="Only this region.")
    industry: str | None = strawberry.field(
        default=None, description="Only organizations of this industry."
    )
    sleeping: bool | None = strawberry.field(
        default=None,
        description=(
            "true: only sleeping customers (no follow-up for GRAPH_API_SLEEPING_DAYS days, or "
            "never); false: only the others."
        ),
    )
    escalation: Escalation | None = strawberry.field(
        default=None,
        description=(
            "Only the customers whose sleeping goes to this level: MANAGEMENT or "
            "HEAD_OF_SALES (grade 5) after GRAPH_API_SLEEPING_ESCALATION_DAYS days; NONE: "
            "the others."
        ),
    )
    below_compliance: bool | None = strawberry.field(
        default=None,
        description="true: only profiles scoring below GRAPH_API_PROFILE_COMPLIANCE_THRESHOLD.",
    )
    decision_layer_gap: DecisionLayerGap | None = strawberry.field(
        default=None,
        description=(
            "Only accounts with this gap in their declared decision layer (the people marked "
            "决 or 审 on the account or one of its opportunities)."
        ),
    )

    def to_domain(self) -> PortfolioFilter:
        return PortfolioFilter(
            mine=self.mine,
            covered_by_rep=str(self.covered_by_rep) if self.covered_by_rep is not None else None,
            team=str(self.team) if self.team is not None else None,
            kinds=tuple(self.kinds) if self.kinds is not None else None,
            tier=self.tier,
            grades=tuple(self.grades) if self.grades is not None else None,
            rad_cell=self.rad_cell,
            region=self.region,
            industry=self.industry,
            sleeping=self.sleeping,
            escalation=self.escalation,
            below_compliance=self.below_compliance,
            decision_layer_gap=self.decision_layer_gap,
        )


@strawberry.type(description="A party of a portfolio list, with its cursor.")
class PortfolioEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: Party = strawberry.field(description="The item.")


@strawberry.type(description="A page of a portfolio list.")
class PortfolioConnection:
    edges: list[PortfolioEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")


@strawberry.type(description="How many accounts of a list are in one RAD cell.")
class RadCellCount:
    cell: str = strawberry.field(description="The RAD cell, R1..A3.")
    count: int = strawberry.field(description="Accounts of the list in the cell.")


Filter = Annotated[
    PortfolioFilterInput | None,
    strawberry.argument(description="The filters (none: every party the viewer may see)."),
]


@strawberry.type
class PortfolioQuery:
    @strawberry.field(
        description=(
            "A portfolio list: the parties the viewer may see that pass every filter (my "
            "accounts, a rep's or team's book, sleeping and escalated customers, profiles "
            "below compliance, decision-layer gaps, tier, grade, RAD cell, region, industry), "
            "in `orderBy` order with ties by id, paged by keyset (opaque cursors that stay "
            "valid while the list changes). `first` is 1..GRAPH_API_MAX_PAGE_SIZE. "
            "`parties(ids:)` fetches known ids."
        )
    )
    async def portfolio(
        self,
        info: Info,
        filter: Filter = None,
        order_by: Annotated[
            PortfolioOrder, strawberry.argument(description="The order (ties by id).")
        ] = PortfolioOrder.NAME,
        first: First = None,
        after: After = None,
    ) -> PortfolioConnection:
        ctx = info.context
        page = await portfolio_page(
            await ctx.reader(),
            ctx.settings,
            filter.to_domain() if filter is not None else PortfolioFilter(),
            order_by,
            first=first,
            after=after,
        )
        return PortfolioConnection(
            edges=[PortfolioEdge(cursor=e.cursor, node=party_to_gql(e.node)) for e in page.edges],
            page_info=PageInfo.from_page(page),
        )

    @strawberry.field(
        description=(
            "The RAD matrix of a list (a rep's or team's book: filter.coveredByRep, "
            "filter.team, filter.mine): how many of its accounts are in each cell, R1..A3 "
            "in the matrix's order, empty cells with 0. The accounts of one cell: "
            "portfolio(filter: {radCell: ...})."
        )
    )
    async def rad_matrix(self, info: Info, filter: Filter = None) -> list[RadCellCount]:
        ctx = info.context
        counts = await rad_counts(
            await ctx.reader(),
            ctx.settings,
            filter.to_domain() if filter is not None else PortfolioFilter(),
        )
        return [RadCellCount(cell=c.cell, count=c.count) for c in counts]
