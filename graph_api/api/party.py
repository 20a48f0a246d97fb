"""Query fields for reading parties: `party(id)` and `parties(ids)`, the unified 360° view."""

import datetime
from typing import Annotated

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import Party, party_to_gql
from graph_api.api.view import prime, requested_parts, wants_timestamps
from graph_api.domain.errors import NotFound
from graph_api.services.view360 import parties_view, party_view

PartyAsOf = Annotated[
    datetime.date | None,
    strawberry.argument(
        description=(
            "Read the 360° view as it was that day (issue 14): jobs (employments, people), "
            "reporting lines (managers, directReports), family (household), influence and "
            "acquaintance (relationships), coverage (the declared strength: what "
            "interactions earned is known for today only), account teams and their members, "
            "and the buying centres of openOpportunities, as valid that day; interactions up "
            "to that day (UTC), events dated up to it, holdings held since then or undated; "
            "signals as of that day unless signals(asOf:) names another. Without history, "
            "so today's values: the party's own fields (name, phone, tier, ...), a holding's "
            "status and amount, the organization tree (parent, ancestors, children), which "
            "opportunities are open and their stages. Every party reached from the view is "
            "read as of the same day. Access is today's. Between 1900-01-01 and today, not "
            "in the future (else INVALID_INPUT naming asOf). Default: today's view."
        )
    ),
]


@strawberry.type
class PartyQuery:
    @strawberry.field(
        description=(
            "The person or organization with this id, with whichever parts of its 360° view "
            "are selected, all read in one database round trip. An unknown id gives null and "
            "an error with extensions.code NOT_FOUND (for an admin, with reason ARCHIVED and "
            "archivedAt when the party is archived). The id of a party merged into another "
            "(mergeParties) gives that one. With asOf, the view as it was that day."
        )
    )
    async def party(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The party id (person or organization).")
        ],
        as_of: PartyAsOf = None,
    ) -> Party | None:
        ctx = info.context
        party, parts = await party_view(
            await ctx.reader(),
            ctx.settings,
            str(id),
            requested_parts(info, as_of),
            timestamps=wants_timestamps(info),
            as_of=as_of,
        )
        prime(info, parts)
        return party_to_gql(party, as_of)

    @strawberry.field(
        description=(
            "The parties with these ids, in the order asked, each with the selected parts of "
            "its 360° view: the whole batch is read in one database round trip. At most "
            "GRAPH_API_MAX_PAGE_SIZE ids (more: INVALID_INPUT naming ids). An unknown id, "
            "or one the viewer may not see, gives null at its position and an error with "
            "extensions.code NOT_FOUND naming the id (for an admin, reason ARCHIVED when it "
            "is archived). The id of a party merged into another gives that one. With asOf, "
            "the views as they were that day."
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
        as_of: PartyAsOf = None,
    ) -> list[Party | None]:
        ctx = info.context
        found, parts, errors = await parties_view(
            await ctx.reader(),
            ctx.settings,
            [str(i) for i in ids],
            requested_parts(info, as_of),
            timestamps=wants_timestamps(info),
            as_of=as_of,
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
                out.append(party_to_gql(party, as_of))
        return out
