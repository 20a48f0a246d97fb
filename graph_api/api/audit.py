"""Query field `auditTrail(partyId)`: who changed what about a party, and when."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.arguments import After, First
from graph_api.api.context import Info
from graph_api.api.view_types import PageInfo
from graph_api.domain import view as v
from graph_api.domain import writes as w
from graph_api.services.audit import audit_trail


@strawberry.type(description="One changed property, before and after (null: absent).")
class PropertyChange:
    field: str = strawberry.field(description="Property name, as in the import format.")
    before: JSON | None = strawberry.field(
        description="Value before (JSON; null: unset or withheld)."
    )
    after: JSON | None = strawberry.field(
        description="Value after (JSON; null: unset or withheld)."
    )


@strawberry.type(description="One change made through the write API.")
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    at: datetime.datetime = strawberry.field(description="Server time of the change (UTC).")
    who: str = strawberry.field(description="The caller's subject (user or API key).")
    mutation: str = strawberry.field(description="The mutation, e.g. createPerson.")
    action: w.AuditAction = strawberry.field(description="What the change did.")
    entity: w.EntityKind = strawberry.field(description="The kind of node or link changed.")
    key: JSON = strawberry.field(
        description='The node\'s {"id"} or the link\'s key fields, e.g. {"personId", "managerId"}.'
    )
    version: int | None = strawberry.field(
        description="The node's or link's version after the change; null once deleted."
    )
    changes: list[PropertyChange] = strawberry.field(
        description="The properties changed, before and after (sensitive values withheld)."
    )
    party_ids: list[strawberry.ID] = strawberry.field(
        description="The parties the change touched (it is in each one's trail)."
    )
    request_id: strawberry.ID = strawberry.field(
        description="Shared by the entries of one mutation (applyChanges writes several)."
    )

    @classmethod
    def from_domain(cls, e: w.AuditEntry) -> AuditEntry:
        return cls(
            id=strawberry.ID(e.id),
            at=e.at,
            who=e.who,
            mutation=e.mutation,
            action=e.action,
            entity=e.entity,
            key=JSON(dict(e.key)),
            version=e.version,
            changes=[
                PropertyChange(field=c.field, before=JSON(c.before), after=JSON(c.after))
                for c in e.changes
            ],
            party_ids=[strawberry.ID(p) for p in e.party_ids],
            request_id=strawberry.ID(e.request_id),
        )


@strawberry.type(description="An audit entry in a page, with its cursor.")
class AuditEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: AuditEntry = strawberry.field(description="The item.")


@strawberry.type(description="Audit entries, newest first.")
class AuditConnection:
    edges: list[AuditEdge] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")
    total_count: int = strawberry.field(description="Items in the whole list.")

    @classmethod
    def from_domain(cls, page: v.Page[w.AuditEntry]) -> AuditConnection:
        return cls(
            edges=[
                AuditEdge(cursor=e.cursor, node=AuditEntry.from_domain(e.node)) for e in page.edges
            ],
            page_info=PageInfo.from_page(page),
            total_count=page.total_count,
        )


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description=(
            "Every change made through the mutations that touched the party (its own fields "
            "or any link of it), newest first: who, when, which mutation, what before and "
            "after. `first` is 1..GRAPH_API_MAX_PAGE_SIZE. An unknown party is NOT_FOUND."
        )
    )
    async def audit_trail(
        self,
        info: Info,
        party_id: Annotated[
            strawberry.ID, strawberry.argument(description="The party whose changes to list.")
        ],
        first: First = None,
        after: After = None,
    ) -> AuditConnection | None:
        ctx = info.context
        page = await audit_trail(await ctx.reader(), ctx.settings, str(party_id), first, after)
        return AuditConnection.from_domain(page)
