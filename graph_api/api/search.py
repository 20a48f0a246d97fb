"""Query field `search`: parties by name or alias, with filters and Relay pagination."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view_types import PageInfo
from graph_api.domain import model as m
from graph_api.services.search import search_parties


@strawberry.type
class PartySearchEdge:
    cursor: str
    node: Party
    score: float = strawberry.field(description="Relevance; higher is better.")


@strawberry.type(description="Search results, best first, ties by id.")
class PartySearchConnection:
    edges: list[PartySearchEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="Every hit the viewer may see; counted only when asked for (it is most of "
        "the cost of a search with many hits)."
    )


def _top_level(info: Info) -> list[SelectedField]:
    """The fields selected on the connection, fragments included (first level only)."""
    out: list[SelectedField] = []
    stack: list[Any] = []
    for field in info.selected_fields:
        stack.extend(field.selections)
    while stack:
        sel = stack.pop()
        if isinstance(sel, SelectedField):
            out.append(sel)
        elif isinstance(sel, FragmentSpread | InlineFragment):
            stack.extend(sel.selections)
    return out


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "Parties whose name or alias contains every word of `text`: each Chinese character "
            "is a word (张 finds 张立), a Latin word also matches as a prefix (Zha finds Zhang "
            "Li). Filters: kinds, tier, industry (a person's employer's industry), region. "
            "`first` is 1..GRAPH_API_MAX_PAGE_SIZE."
        )
    )
    async def search(
        self,
        info: Info,
        text: str,
        kinds: list[m.PartyKind] | None = None,
        tier: m.Tier | None = None,
        industry: str | None = None,
        region: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> PartySearchConnection | None:
        ctx = info.context
        page = await search_parties(
            ctx.store,
            await ctx.access(),
            ctx.settings,
            text,
            kinds=kinds,
            tier=tier,
            industry=industry,
            region=region,
            first=first,
            after=after,
            # Counting every hit is most of a search with many hits: only when asked.
            count=any(f.name == "totalCount" for f in _top_level(info)),
        )
        return PartySearchConnection(
            edges=[
                PartySearchEdge(
                    cursor=e.cursor, node=party_to_gql(e.node.party), score=e.node.score
                )
                for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
        )
