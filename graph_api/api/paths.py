"""Query fields for relationship paths and warm introductions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api.arguments import GraphAsOf, Limit, MaxHops
from graph_api.api.context import Info
from graph_api.api.types import GraphPath
from graph_api.domain import model as m
from graph_api.services.paths import relationship_path, warm_introductions

LinkTypes = Annotated[
    list[m.PathLinkType] | None,
    strawberry.argument(
        description=(
            "The kinds of link the paths may use (default: all). Personal links only: "
            "[FAMILY, INFLUENCES, KNOWS, COVERS]. An empty list gives INVALID_INPUT."
        )
    ),
]
WarmLinkTypes = Annotated[
    list[m.PathLinkType] | None,
    strawberry.argument(
        description=(
            "The kinds of link the paths may use (default: all); must include COVERS (our "
            "reps reach people through the people they cover), else INVALID_INPUT."
        )
    ),
]


@strawberry.type
class PathsQuery:
    @strawberry.field(
        description=(
            "The strongest paths from one party (or rep) to another through employment, "
            "reporting, colleague, family, influence, acquaintance and coverage links: the "
            "greatest product of link strengths with at most maxHops links "
            "(1..GRAPH_API_MAX_PATH_HOPS), one path per first link, strongest first. An "
            "organization is never passed through unless it is an end. No path: an empty "
            "list. Unknown ids give NOT_FOUND."
        )
    )
    async def relationship_path(
        self,
        info: Info,
        from_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Where the paths start: a party or one of our reps."),
        ],
        to_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Where the paths end: a party or one of our reps."),
        ],
        max_hops: MaxHops = 4,
        limit: Limit = 3,
        link_types: LinkTypes = None,
        as_of: GraphAsOf = None,
    ) -> list[GraphPath] | None:
        ctx = info.context
        found = await relationship_path(
            await ctx.reader(),
            str(from_id),
            str(to_id),
            max_hops=max_hops,
            limit=limit,
            max_hops_allowed=ctx.settings.max_path_hops,
            max_limit=ctx.settings.max_page_size,
            node_cap=ctx.settings.max_path_nodes,
            language=ctx.language,
            link_types=link_types,
            as_of=as_of,
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
        target_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The person (or party) to be introduced to."),
        ],
        max_hops: MaxHops = 4,
        limit: Limit = 5,
        link_types: WarmLinkTypes = None,
        as_of: GraphAsOf = None,
    ) -> list[GraphPath] | None:
        ctx = info.context
        found = await warm_introductions(
            await ctx.reader(),
            str(target_id),
            max_hops=max_hops,
            limit=limit,
            max_hops_allowed=ctx.settings.max_path_hops,
            max_limit=ctx.settings.max_page_size,
            node_cap=ctx.settings.max_path_nodes,
            language=ctx.language,
            link_types=link_types,
            as_of=as_of,
        )
        return [GraphPath.from_domain(p) for p in found]
