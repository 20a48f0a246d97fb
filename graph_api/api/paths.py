"""Query fields for relationship paths and warm introductions."""

from __future__ import annotations

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import GraphPath
from graph_api.services.paths import relationship_path, warm_introductions


@strawberry.type
class PathsQuery:
    @strawberry.field(
        description=(
            "The strongest paths from one party (or rep) to another through employment, "
            "reporting, family, influence, acquaintance and coverage links: the greatest "
            "product of link strengths with at most maxHops links (1..GRAPH_API_MAX_PATH_HOPS), "
            "one path per first link, strongest first. No path: an empty list. Unknown ids "
            "give NOT_FOUND."
        )
    )
    async def relationship_path(
        self,
        info: Info,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_hops: int = 4,
        limit: int = 3,
    ) -> list[GraphPath] | None:
        ctx = info.context
        found = await relationship_path(
            ctx.store,
            await ctx.access(),
            str(from_id),
            str(to_id),
            max_hops=max_hops,
            limit=limit,
            max_hops_allowed=ctx.settings.max_path_hops,
            max_limit=ctx.settings.max_page_size,
            node_cap=ctx.settings.max_path_nodes,
            language=ctx.language,
        )
        return [GraphPath.from_domain(p) for p in found]

    @strawberry.field(
        description=(
            "Who on our team can reach this person: paths from any of our reps (through the "
            "people they cover) to the target, at most one per rep and first contact, "
            "strongest first. No path: an empty list. An unknown party gives NOT_FOUND."
        )
    )
    async def warm_introductions(
        self,
        info: Info,
        target_id: strawberry.ID,
        max_hops: int = 4,
        limit: int = 5,
    ) -> list[GraphPath] | None:
        ctx = info.context
        found = await warm_introductions(
            ctx.store,
            await ctx.access(),
            str(target_id),
            max_hops=max_hops,
            limit=limit,
            max_hops_allowed=ctx.settings.max_path_hops,
            max_limit=ctx.settings.max_page_size,
            node_cap=ctx.settings.max_path_nodes,
            language=ctx.language,
        )
        return [GraphPath.from_domain(p) for p in found]
