"""Relay's `node(id:)` and `nodes(ids:)`: any object of the API with a global id, fetched again
by it (graph_api/domain/global_id.py; the access rules per kind in services/nodes.py)."""

from typing import Annotated, Any

import strawberry

from graph_api.api.context import Info
from graph_api.api.tas import Competitor
from graph_api.api.types import AccountTeam, Holding, Opportunity, party_to_gql
from graph_api.api.view import prime, requested_parts, wants_timestamps
from graph_api.api.view_types import BusinessEvent, Interaction, Node, Product, Rep
from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain import view as v
from graph_api.domain.errors import NotFound
from graph_api.domain.global_id import NodeRef, from_global_id
from graph_api.services.nodes import Found, load_nodes

_ACCEPTS = "A globalId of any node, or (as before global ids) a person's or organization's own id."


def _to_gql(found: Found) -> Node:
    if isinstance(found, (m.Person, m.Organization)):
        return party_to_gql(found)
    if isinstance(found, v.Rep):
        return Rep.from_domain(found)
    if isinstance(found, m.Product):
        return Product.from_domain(found)
    if isinstance(found, t.Competitor):
        return Competitor.from_domain(found)
    if isinstance(found, v.Holding):
        return Holding.from_domain(found)
    if isinstance(found, v.Opportunity):
        return Opportunity.from_domain(found)
    if isinstance(found, v.Interaction):
        return Interaction.from_domain(found)
    if isinstance(found, v.BusinessEvent):
        return BusinessEvent.from_domain(found)
    return AccountTeam.from_domain(found)


def _missing(value: str, field: str) -> NotFound:
    return NotFound(f"no node with id {value!r}", field=field, value=value)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description=(
            "The object with this id (Relay): any node, by its globalId, with the access "
            "rules of the places the API shows its kind (docs: README, Integrations); a person "
            "or organization comes with the same one-round-trip 360° view as party(id), and "
            "may also be named by its own id. An unknown id, or one the viewer may not see, "
            "gives null and an error with extensions.code NOT_FOUND; a malformed global id "
            "(an unknown kind) INVALID_INPUT naming it."
        )
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=_ACCEPTS)],
    ) -> Node | None:
        ref = from_global_id(str(id), "id")
        found = await _load(info, [ref], "id")
        node = found.get(ref)
        if node is None:
            raise _missing(str(id), "id")
        return node

    @strawberry.field(
        description=(
            "The objects with these ids, in the order asked, as node(id:) answers each: "
            "parties in one database round trip (with the selected parts of their 360° "
            "views), the other kinds in one more. At most GRAPH_API_MAX_PAGE_SIZE ids (more: "
            "INVALID_INPUT naming ids). An unknown id, or one the viewer may not see, gives "
            "null at its position and an error with extensions.code NOT_FOUND naming it."
        )
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description=_ACCEPTS + " At most GRAPH_API_MAX_PAGE_SIZE; the answer keeps "
                "their order."
            ),
        ],
    ) -> list[Node | None]:
        refs = [from_global_id(str(i), "ids") for i in ids]
        found = await _load(info, refs, "ids")
        # graphql-core raises an exception item at its own index (null there, an error with
        # the path [nodes, i]), and the other items are served.
        out: list[Any] = []
        for value, ref in zip(ids, refs, strict=True):
            node = found.get(ref)
            out.append(node if node is not None else _missing(str(value), "ids"))
        return out


async def _load(info: Info, refs: list[NodeRef], field: str) -> dict[NodeRef, Node]:
    ctx = info.context
    # The view parts asked on `... on Person` / `... on Organization` are read with the
    # parties, in their one round trip, as party(id) does.
    found, parts = await load_nodes(
        await ctx.reader(),
        ctx.settings,
        refs,
        requested_parts(info),
        timestamps=wants_timestamps(info),
        field=field,
    )
    prime(info, parts)
    return {ref: _to_gql(node) for ref, node in found.items()}
