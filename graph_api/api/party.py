"""Query fields for reading parties: `party(id)`, the unified 360° view."""

from typing import Annotated

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view import prime, requested_parts
from graph_api.services.view360 import party_view


@strawberry.type
class PartyQuery:
    @strawberry.field(
        description=(
            "The person or organization with this id, with whichever parts of its 360° view "
            "are selected, all read in one database round trip. An unknown id gives null and "
            "an error with extensions.code NOT_FOUND."
        )
    )
    async def party(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The party id (person or organization).")
        ],
    ) -> Party | None:
        ctx = info.context
        party, parts = await party_view(
            await ctx.reader(), ctx.settings, str(id), requested_parts(info)
        )
        prime(info, parts)
        return party_to_gql(party)
