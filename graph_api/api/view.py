"""Serving the 360° view: one query per top-level party, a DataLoader for nested parties.

`party(id)` reads its own selection set (through fragments), turns the view fields asked
for into view keys, and runs one Cypher query that returns all of them; it primes the
request's view loader with the answers, so the field resolvers of Person/Organization
find their part ready. A party nested in the view (an employer, a relative, a rep's
account) whose view fields are asked goes through the same loader, which batches every
such request of one level into one query: round trips grow with the depth of the query,
never with the number of items.
"""

from __future__ import annotations

import datetime
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import convert_arguments

from graph_api.api.context import Info
from graph_api.api.selection import fields_with_condition
from graph_api.config import Settings
from graph_api.domain.errors import DomainError
from graph_api.services.view360 import (
    PartArgs,
    Stamps,
    SubsidiariesArgs,
    ViewKey,
    ViewPart,
    interactions_args,
    load_views,
    node_stamps,
    people_args,
    signals_args,
)

_LOADER = "view360"
_STAMPS_LOADER = "stamps"
_WANTS_STAMPS = "wantsTimestamps"
_STAMP_FIELDS = frozenset(("createdAt", "updatedAt"))

# (type condition, GraphQL field) -> part; None as condition: fields of every party.
_COMMON: dict[str, ViewPart] = {
    "interactions": ViewPart.INTERACTIONS,
    "signals": ViewPart.SIGNALS,
    "coverage": ViewPart.COVERAGE,
    "relationships": ViewPart.RELATIONSHIPS,
    "accountTeams": ViewPart.ACCOUNT_TEAMS,
}
_PERSON: dict[str, ViewPart] = {
    "employments": ViewPart.EMPLOYMENTS,
    "managers": ViewPart.MANAGERS,
    "directReports": ViewPart.DIRECT_REPORTS,
    "household": ViewPart.HOUSEHOLD,
    "householdHoldings": ViewPart.HOUSEHOLD_HOLDINGS,
    "holdings": ViewPart.HOLDINGS,
    "beneficiaryOf": ViewPart.BENEFICIARY_OF,
}
_ORGANIZATION: dict[str, ViewPart] = {
    "parent": ViewPart.ANCESTORS,
    "ancestors": ViewPart.ANCESTORS,
    "children": ViewPart.CHILDREN,
    "people": ViewPart.PEOPLE,
    "holdings": ViewPart.ORGANIZATION_HOLDINGS,
    "openOpportunities": ViewPart.OPEN_OPPORTUNITIES,
    "events": ViewPart.EVENTS,
}


def view_loader(info: Info) -> DataLoader[ViewKey, Any]:
    ctx = info.context
    loader: DataLoader[ViewKey, Any] | None = ctx.cache.get(_LOADER)
    if loader is None:

        async def load(keys: list[ViewKey]) -> list[Any]:
            timestamps = bool(ctx.cache.get(_WANTS_STAMPS))
            batch = await load_views(
                await ctx.reader(), ctx.settings, [], keys, timestamps=timestamps
            )
            return [batch.values[k] for k in keys]

        loader = DataLoader(load_fn=load)
        ctx.cache[_LOADER] = loader
    return loader


async def view_part(
    info: Info,
    party_id: str,
    part: ViewPart,
    args: PartArgs = None,
    as_of: datetime.date | None = None,
) -> Any:
    """A part of a party's view (as of `as_of`, None: today): ready if the party's query
    primed it, else batched."""
    wants_timestamps(info)
    return await view_loader(info).load(ViewKey(party_id, part, args, as_of))


def wants_timestamps(info: Info) -> bool:
    """Whether the request's operation selects createdAt or updatedAt anywhere: then the
    view's query reads the timestamps of every node and link it returns (a date-time costs
    the driver more to decode than the database to read; cypher/view.cypher `STAMPS`)."""
    cache = info.context.cache
    found = cache.get(_WANTS_STAMPS)
    if found is None:
        raw = info._raw_info
        found = _selects(raw.operation.selection_set, raw.fragments, set())
        cache[_WANTS_STAMPS] = found
    return bool(found)


def _selects(selection_set: SelectionSetNode | None, fragments: Any, seen: set[str]) -> bool:
    if selection_set is None:
        return False
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            if sel.name.value in _STAMP_FIELDS or _selects(sel.selection_set, fragments, seen):
                return True
        elif isinstance(sel, InlineFragmentNode):
            if _selects(sel.selection_set, fragments, seen):
                return True
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
            seen.add(sel.name.value)
            fragment = fragments.get(sel.name.value)
            if fragment is not None and _selects(fragment.selection_set, fragments, seen):
                return True
    return False


async def node_timestamps(info: Info, label: str, node_id: str) -> Stamps:
    """(createdAt, updatedAt) of a node in the answer whose query did not read them: one
    round trip for all such nodes of a level (`services/view360.node_stamps`)."""
    ctx = info.context
    loader: DataLoader[tuple[str, str], Stamps] | None = ctx.cache.get(_STAMPS_LOADER)
    if loader is None:

        async def load(keys: list[tuple[str, str]]) -> list[Stamps]:
            found = await node_stamps(await ctx.reader(), keys)
            return [found.get(k, (None, None)) for k in keys]

        loader = DataLoader(load_fn=load)
        ctx.cache[_STAMPS_LOADER] = loader
    return await loader.load((label, node_id))


# ----- from the selection set to view keys -----


def _int(value: Any) -> int | None:
    # Literals arrive as text ("5"), variables already coerced.
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # let the argument check name the bad value later


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value == "true"
    return bool(value)


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def part_args(
    part: ViewPart,
    raw: dict[str, Any],
    settings: Settings,
    as_of: datetime.date | None = None,
) -> PartArgs:
    """The arguments of a view field, checked, as the field's resolver will build them
    (`as_of`: the day the party is read as of, signals' default day)."""
    match part:
        case ViewPart.INTERACTIONS:
            return interactions_args(_int(raw.get("first")), raw.get("after"), settings)
        case ViewPart.PEOPLE:
            return people_args(
                _int(raw.get("first")),
                raw.get("after"),
                _bool(raw.get("includeSubsidiaries")),
                settings,
            )
        case ViewPart.ORGANIZATION_HOLDINGS | ViewPart.OPEN_OPPORTUNITIES:
            return SubsidiariesArgs(_bool(raw.get("includeSubsidiaries")))
        case ViewPart.SIGNALS:
            day = _date(raw.get("asOf"))
            return signals_args(day if day is not None else as_of)
    return None


def requested_parts(
    info: Info, as_of: datetime.date | None = None
) -> list[tuple[ViewPart, PartArgs]]:
    """The view parts the current field's selection asks for, with their arguments (`as_of`:
    the day the parties are read as of).

    A field whose arguments are wrong is left out: its own resolver will then raise the
    INVALID_INPUT error at the right path, while the rest of the view is served.
    """
    out: list[tuple[ViewPart, PartArgs]] = []
    # The graphql-core view of the field: strawberry's Info has no shallow selection.
    raw = info._raw_info
    for field in raw.field_nodes:
        if field.selection_set is None:
            continue
        for condition, sel in fields_with_condition(
            raw.fragments, field.selection_set.selections, None
        ):
            table = {"Person": _PERSON, "Organization": _ORGANIZATION}.get(condition or "", {})
            name = sel.name.value
            part = table.get(name) or _COMMON.get(name)
            if part is None:
                continue
            try:
                raw_args = convert_arguments(raw, sel.arguments)
                args = part_args(part, raw_args, info.context.settings, as_of)
            except (DomainError, ValueError):
                continue
            if (part, args) not in out:
                out.append((part, args))
    return out


def prime(info: Info, values: dict[ViewKey, Any]) -> None:
    view_loader(info).prime_many(values)


def forget_views(info: Info) -> None:
    """Drops what the request's view loader has read: a mutation just changed the graph, and
    the views selected on its result (and on later mutations) must show the change."""
    info.context.cache.pop(_LOADER, None)
    info.context.cache.pop(_STAMPS_LOADER, None)
