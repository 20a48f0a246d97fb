"""Query field `accountEconomics` (issue 18.3): BP, revenue, SOW, SOA, V值 and the RAD cell."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api.context import Info
from graph_api.domain import economics as ec
from graph_api.domain.model import reported_or_none
from graph_api.services.economics import account_economics


@strawberry.type(description="The economics of a set of units: the account, or its group.")
class EconomicsFigures:
    units: int = strawberry.field(description="Organizations counted (0 for a person account).")
    buying_power: float | None = strawberry.field(
        description="BP: the sum of the units' own annual purchase volumes (null: none known)."
    )
    revenue: float | None = strawberry.field(
        description="Our annual revenue: the units' revenue (else BP x their share of wallet)."
    )
    share_of_wallet: float | None = strawberry.field(
        description="SOW = revenue / BP over the units with both known, 0..1."
    )
    rad_cell: str | None = strawberry.field(
        description="The RAD cell of BP and SOW (R1..A3; null when either is unknown)."
    )
    people: int = strawberry.field(description="The account's people (employees of the units).")
    people_covered: int = strawberry.field(description="Of them, those a rep of ours covers.")
    share_of_account_people: float | None = strawberry.field(
        description="SOA by people: people covered / people, 0..1 (null: no people)."
    )
    units_covered: int = strawberry.field(
        description="Units with at least one person a rep of ours covers."
    )
    share_of_account_units: float | None = strawberry.field(
        description="SOA by units: units covered / units, 0..1 (null: no units)."
    )
    open_opportunities: int = strawberry.field(description="Opportunities not won or lost.")
    pipeline_amount: float = strawberry.field(description="Their amounts, unweighted.")
    remaining_value: float = strawberry.field(
        description="V值: their amounts weighted by the stage's win probability "
        "(I/C/Q/D/C 10/25/50/75/90%)."
    )

    @classmethod
    def from_domain(cls, f: ec.Figures) -> EconomicsFigures:
        return cls(
            units=f.units,
            buying_power=f.buying_power,
            revenue=f.revenue,
            share_of_wallet=reported_or_none(f.share_of_wallet),
            rad_cell=f.rad_cell,
            people=f.people,
            people_covered=f.people_covered,
            share_of_account_people=reported_or_none(f.share_of_account_people),
            units_covered=f.units_covered,
            share_of_account_units=reported_or_none(f.share_of_account_units),
            open_opportunities=f.open_opportunities,
            pipeline_amount=f.pipeline_amount,
            remaining_value=f.remaining_value,
        )


@strawberry.type(description="Account economics (seed 003): the account, and its group.")
class AccountEconomics:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    account_name: str = strawberry.field(description="Its name.")
    own: EconomicsFigures = strawberry.field(description="The account's own figures.")
    group: EconomicsFigures = strawberry.field(
        description="Rolled up through the organizations below it (PART_OF, any depth) when "
        "includeSubsidiaries; else the same as own."
    )


@strawberry.type
class EconomicsQuery:
    @strawberry.field(
        description=(
            "An account's economics: BP, our revenue, SOW, SOA, V值 and the RAD cell, of the "
            "account and rolled up through its group; only what the viewer may see counts. "
            "Unknown or invisible account: null and NOT_FOUND."
        )
    )
    async def account_economics(
        self,
        info: Info,
        account_id: Annotated[
            strawberry.ID, strawberry.argument(description="The account (organization or person).")
        ],
        include_subsidiaries: Annotated[
            bool, strawberry.argument(description="Roll up the organizations below it.")
        ] = True,
    ) -> AccountEconomics | None:
        ctx = info.context
        e = await account_economics(await ctx.reader(), str(account_id), include_subsidiaries)
        return AccountEconomics(
            account_id=strawberry.ID(e.account_id),
            account_name=e.account_name,
            own=EconomicsFigures.from_domain(e.own),
            group=EconomicsFigures.from_domain(e.group),
        )
