"""Relay's `node(id:)`: any object of the API with a global id, fetched again by that id."""

from typing import Annotated

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import Node, party_to_gql
from graph_api.api.view import prime, requested_parts, wants_timestamps
from graph_api.services.view360 import party_view


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description=(
            "The object with this global id (Relay), with the same access rules and the same "
            "one-round-trip 360° view as party(id): a person or an organization, selected "
            "with `... on Person` / `... on Organization`. An unknown id, or one the viewer "
            "may not see, gives null and an error with extensions.code NOT_FOUND."
        )
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The global id (a person's or organization's id)."),
        ],
    ) -> Node | None:
        ctx = info.context
        party, parts = await party_view(
            await ctx.reader(),
            ctx.settings,
            str(id),
            requested_parts(info),
            timestamps=wants_timestamps(info),
        )
        prime(info, parts)
        return party_to_gql(party)
