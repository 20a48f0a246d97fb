"""The change feed in the API: query `changes` (Relay pages after a cursor), `changesCursor`,
and the subscriptions `changes` and `partyChanged` (graphql-transport-ws over WebSocket)."""

from __future__ import annotations

import asyncio
import datetime
import time
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.audit import PropertyChange
from graph_api.api.context import Info
from graph_api.domain.errors import InvalidInput
from graph_api.domain.feed import FeedChange, FeedPage
from graph_api.services import feed

# How often a subscription computes its viewer's scope again (coverage may have changed).
_RENEW_ACCESS_S = 30.0

Types = Annotated[
    list[str] | None,
    strawberry.argument(
        description=(
            "Only changes of these types (the import format's section names: people, "
            "organizations, holdings, employment, ...). The INITIAL_LOAD marker always shows."
        )
    ),
]


@strawberry.type(
    description=("One committed change (a mutation's or an import's), at its position in the feed.")
)
class Change:
    cursor: str = strawberry.field(
        description="This change's cursor: pass it as `after` to continue after it."
    )
    position: int = strawberry.field(
        description="Global position, strictly increasing in commit order, without gaps."
    )
    id: strawberry.ID = strawberry.field(description="The change's id.")
    at: datetime.datetime = strawberry.field(description="Server time of the write (UTC).")
    who: str = strawberry.field(description="The caller's subject, or `import`.")
    mutation: str = strawberry.field(
        description="The mutation (e.g. createPerson), `import` or `initialImport`."
    )
    action: str = strawberry.field(
        description=(
            "CREATE, UPDATE, DELETE (mutations); IMPORT (a row an import wrote, created or "
            "updated: read the entity again); INITIAL_LOAD (a first load replaced the whole "
            "graph: resynchronise)."
        )
    )
    type: str = strawberry.field(
        description="What changed: the import section's name (people, employment, ...)."
    )
    key: JSON = strawberry.field(
        description='The node\'s {"id"} or the link\'s key fields, e.g. {"personId", "managerId"}.'
    )
    version: int | None = strawberry.field(
        description="The node's or link's version after the change; null when deleted or imported."
    )
    changes: list[PropertyChange] = strawberry.field(
        description="The properties changed, before and after (sensitive values withheld)."
    )
    party_ids: list[strawberry.ID] = strawberry.field(description="The parties the change touched.")
    request_id: strawberry.ID = strawberry.field(
        description="Shared by the changes of one mutation or import batch."
    )

    @classmethod
    def from_domain(cls, c: FeedChange) -> Change:
        return cls(
            cursor=feed.cursor_of(c.position),
            position=c.position,
            id=strawberry.ID(c.id),
            at=c.at,
            who=c.who,
            mutation=c.mutation,
            action=c.action,
            type=c.type,
            key=JSON(dict(c.key)),
            version=c.version,
            changes=[
                PropertyChange(field=x.field, before=JSON(x.before), after=JSON(x.after))
                for x in c.changes
            ],
            party_ids=[strawberry.ID(p) for p in c.party_ids],
            request_id=strawberry.ID(c.request_id),
        )


@strawberry.type(description="A change in a page, with its cursor.")
class ChangeEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: Change = strawberry.field(description="The change.")


@strawberry.type(description="Where a page of changes ends.")
class ChangePageInfo:
    has_next_page: bool = strawberry.field(description="More changes follow now.")
    end_cursor: str = strawberry.field(
        description=(
            "Pass it as `after` for the next page: the last change read, shown to you or not "
            "(so a page may hold fewer than `first`), or the same cursor when nothing is new."
        )
    )


@strawberry.type(
    name="ChangePage",
    description=(
        "Committed changes, oldest first. Not a Relay connection: its end cursor is never "
        "null, so a client can always resume from it."
    ),
)
class ChangeConnection:
    edges: list[ChangeEdge] = strawberry.field(description="The changes of this page, in order.")
    page_info: ChangePageInfo = strawberry.field(description="Where this page ends.")

    @classmethod
    def from_domain(cls, page: FeedPage) -> ChangeConnection:
        assert page.end_cursor is not None
        return cls(
            edges=[ChangeEdge(cursor=c, node=Change.from_domain(n)) for c, n in page.edges],
            page_info=ChangePageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description=(
            "Every committed change (mutations and imports) after the cursor, in commit order: "
            "no gaps, no duplicates. Without `after`, from the oldest change kept. A rep or a "
            "manager sees only changes to parties they see (masked fields stay masked). A "
            "cursor older than the retention is CURSOR_EXPIRED: resynchronise."
        )
    )
    async def changes(
        self,
        info: Info,
        after: After = None,
        first: First = None,
        types: Types = None,
        party_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Only changes that touched one of these parties."),
        ] = None,
    ) -> ChangeConnection:
        ctx = info.context
        page = await feed.changes_page(
            await ctx.reader(),
            ctx.settings,
            after,
            first,
            types,
            None if party_ids is None else [str(p) for p in party_ids],
        )
        return ChangeConnection.from_domain(page)

    @strawberry.field(
        description=(
            "The cursor of the newest change now. To resynchronise: take it, read the state "
            "you need, then follow `changes(after:)` from it."
        )
    )
    async def changes_cursor(self, info: Info) -> str:
        return await feed.current_cursor(await info.context.reader())


async def _follow(
    info: Info, after: str | None, types: list[str] | None, party_ids: list[str] | None
) -> AsyncGenerator[Change, None]:
    """The changes after `after` (or from now), read from the feed every GRAPH_API_FEED_POLL_S:
    whichever replica the client reached, it sees every committed change."""
    ctx = info.context
    settings = ctx.settings
    reader = await ctx.reader()
    if after is None:
        position, _ = await feed.head(reader)
    else:
        position = await feed.start_position(reader, after)
    renewed = time.monotonic()
    while True:
        page = await feed.read_after(reader, position, settings.max_page_size, types, party_ids)
        for _, change in page.edges:
            yield Change.from_domain(change)
        if page.end_cursor is not None:
            position = feed.position_of(page.end_cursor)
        if not page.has_next_page:
            await asyncio.sleep(settings.feed_poll_s)
        if time.monotonic() - renewed > _RENEW_ACCESS_S:
            await ctx.renew_access()
            reader = await ctx.reader()
            renewed = time.monotonic()


@strawberry.type(
    description="Changes as they are committed, over WebSocket (graphql-transport-ws)."
)
class Subscription:
    @strawberry.subscription(
        description=(
            "Every committed change (of `types`, when given) as it happens, in commit order. "
            "With `after` (the cursor of the last change received), it first sends what was "
            "missed: resume after a reconnect without a gap. Access as for `changes`."
        )
    )
    async def changes(
        self,
        info: Info,
        types: Types = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="Resume after this change's cursor."),
        ] = None,
    ) -> AsyncGenerator[Change, None]:
        async for change in _follow(info, after, feed.check_types(types), None):
            yield change

    @strawberry.subscription(
        description=(
            "The changes that touch any of the parties `ids` (their fields or any link of "
            "them), as they are committed; `after` resumes as for `changes`."
        )
    )
    async def party_changed(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="The parties.")],
        after: Annotated[
            str | None,
            strawberry.argument(description="Resume after this change's cursor."),
        ] = None,
    ) -> AsyncGenerator[Change, None]:
        if not ids:
            raise InvalidInput("ids must name at least one party", field="ids", value=0)
        wanted = feed.check_party_ids([str(i) for i in ids], info.context.settings, "ids")
        async for change in _follow(info, after, None, wanted):
            yield change
