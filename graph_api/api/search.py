"""Query field `search`: parties by name or alias, with filters and Relay pagination."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view_types import PageInfo
from graph_api.domain import model as m
from graph_api.domain.model import reported
from graph_api.services.search import search_parties


@strawberry.type(description="A search hit, with its cursor and score.")
class PartySearchEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: Party = strawberry.field(description="The item.")
    score: float = strawberry.field(description="Relevance; higher is better.")


@strawberry.type(description="Search results, best first, ties by id.")
class PartySearchConnection:
    edges: list[PartySearchEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")
    total_count: int = strawberry.field(
        description="The hits the viewer may see: exact when `totalCountExact` is true; "
        "otherwise a lower bound, the hits among the index's best thousand or more that the "
        "search looked at (ask with `exactCount: true` to count them all)."
    )
    total_count_exact: bool = strawberry.field(
        description="Whether `totalCount` is exact (every hit counted) or a lower bound."
    )


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "Parties whose name or alias contains every word of `text`: each Chinese character "
            "is a word (张 finds 张立), a Latin word also matches as a prefix (Zha finds Zhang "
            "Li). Filters: kinds, tier, industry (a person's employer's industry), region. "
            "`first` is 1..GRAPH_API_MAX_PAGE_SIZE. Its work is bounded by the index's best "
            "hits (a thousand per page window), whatever the size of the graph: with more "
            "hits, `totalCount` is a lower bound unless `exactCount` is true."
        )
    )
    async def search(
        self,
        info: Info,
        text: Annotated[
            str, strawberry.argument(description="The words to find in names and aliases.")
        ],
        kinds: Annotated[
            list[m.PartyKind] | None,
            strawberry.argument(description="Only these kinds (default: both)."),
        ] = None,
        tier: Annotated[
            m.Tier | None, strawberry.argument(description="Only parties of this tier.")
        ] = None,
        industry: Annotated[
            str | None,
            strawberry.argument(description="Only this industry (a person: an employer of it)."),
        ] = None,
        region: Annotated[str | None, strawberry.argument(description="Only this region.")] = None,
        first: First = None,
        after: After = None,
        exact_count: Annotated[
            bool,
            strawberry.argument(
                description="Count every hit for an exact `totalCount` (and order every tie "
                "by id): work that grows with the hits, for a search with many of them."
            ),
        ] = False,
    ) -> PartySearchConnection | None:
        ctx = info.context
        page = await search_parties(
            await ctx.reader(),
            ctx.settings,
            text,
            kinds=kinds,
            tier=tier,
            industry=industry,
            region=region,
            first=first,
            after=after,
            exact_count=exact_count,
        )
        return PartySearchConnection(
            edges=[
                PartySearchEdge(
                    cursor=e.cursor, node=party_to_gql(e.node.party), score=reported(e.node.score)
                )
                for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
            total_count_exact=page.total_exact,
        )
