"""Query fields for reading parties: `party(id)` and `parties(ids)`, the unified 360° view."""

from typing import Annotated

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view import prime, requested_parts, wants_timestamps
from graph_api.domain.errors import NotFound
from graph_api.services.view360 import parties_view, party_view


@strawberry.type
class PartyQuery:
    @strawberry.field(
        description=(
            "The person or organization with this id, with whichever parts of its 360° view "
            "are selected, all read in one database round trip. An unknown id gives null and "
            "an error with extensions.code NOT_FOUND (for an admin, with reason ARCHIVED and "
            "archivedAt when the party is archived). The id of a party merged into another "
            "(mergeParties) gives that one."
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
            await ctx.reader(),
            ctx.settings,
            str(id),
            requested_parts(info),
            timestamps=wants_timestamps(info),
        )
        prime(info, parts)
        return party_to_gql(party)

    @strawberry.field(
        description=(
            "The parties with these ids, in the order asked, each with the selected parts of "
            "its 360° view: the whole batch is read in one database round trip. At most "
            "GRAPH_API_MAX_PAGE_SIZE ids (more: INVALID_INPUT naming ids). An unknown id, "
            "or one the viewer may not see, gives null at its position and an error with "
            "extensions.code NOT_FOUND naming the id (for an admin, reason ARCHIVED when it "
            "is archived). The id of a party merged into another gives that one."
        )
    )
    async def parties(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description=(
                    "Party ids (people and organizations), at most GRAPH_API_MAX_PAGE_SIZE; "
                    "the answer keeps their order."
                )
            ),
        ],
    ) -> list[Party | None]:
        ctx = info.context
        found, parts, errors = await parties_view(
            await ctx.reader(),
            ctx.settings,
            [str(i) for i in ids],
            requested_parts(info),
            timestamps=wants_timestamps(info),
        )
        prime(info, parts)
        # graphql-core raises an exception item at its own index (null there, an error with
        # the path [parties, i]), and the other items are served.
        out: list[Party | None] = []
        for party_id in ids:
            party = found.get(str(party_id))
            if party is None:
                missing = errors.get(str(party_id)) or NotFound(
                    f"no party with id {party_id!r}", field="ids", value=party_id
                )
                out.append(missing)  # type: ignore[arg-type]
            else:
                out.append(party_to_gql(party))
        return out
