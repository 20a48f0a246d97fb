"""Query fields for reading parties."""

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.services.parties import get_party


@strawberry.type
class PartyQuery:
    @strawberry.field(
        description=(
            "The person or organization with this id. An unknown id gives null and an error "
            "with extensions.code NOT_FOUND."
        )
    )
    async def party(self, info: Info, id: strawberry.ID) -> Party | None:
        ctx = info.context
        return party_to_gql(await get_party(ctx.store, str(id)))
