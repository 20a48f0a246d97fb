"""The change feed: the transactional outbox every write records its changes in, and the
pages of it that integrations read (`changes`, subscriptions, webhooks).

`record` is THE place a change enters the feed. It runs inside the writing transaction, last
(it takes the feed's sequence lock, so the lock is held only for the end of the write), and
gives each change a global position in commit order (cypher/feed.cypher `append`). The
mutations reach it through `services/writes.py` (`_Writer.flush_audit`: every audited change
is also a change of the feed), the transactional importer per batch (`bulk/load.py`), and the
first offline load records one INITIAL_LOAD marker (`bulk/initial.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import orjson

from graph_api.bulk.spec import LINK_SECTIONS, NODE_SECTIONS, Section
from graph_api.config import Settings
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS, Access
from graph_api.domain.errors import CursorExpired, InvalidInput
from graph_api.domain.feed import GRAPH, IMPORT, INITIAL_LOAD, FeedChange, FeedPage
from graph_api.domain.writes import EntityKind, PropertyChange
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.services.parties import check_id
from graph_api.store.mapping import to_datetime
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore, restriction

FEED_CURSOR = "changes"

# Every type a change may have: the import format's sections, and the whole graph (markers).
CHANGE_TYPES: tuple[str, ...] = (*(s.name for s in (*NODE_SECTIONS, *LINK_SECTIONS)), GRAPH)

# Changes to a person's family, personal holdings and beneficiaries: shown only where the
# person's sensitive fields are open (as in the audit trail).
_SENSITIVE_TYPES = frozenset(
    {EntityKind.FAMILY.value, EntityKind.HOLDING.value, EntityKind.BENEFICIARY.value}
)
_PARTY_REFS = frozenset({"Party", "Person", "Organization"})


class Runs(Protocol):
    """A transaction that runs named queries (the scoped writer's or the importer's)."""

    async def run(self, name: str, params: Mapping[str, Any] | None = None) -> Any: ...


async def record(tx: Runs, entries: Sequence[Mapping[str, Any]]) -> None:
    """Appends the changes to the feed inside `tx`, in order, each at the next position.
    Nothing is recorded when `tx` rolls back; call it last in the transaction."""
    if entries:
        await tx.run("feed.append", {"entries": list(entries)})


def from_audit(props: Mapping[str, Any]) -> dict[str, Any]:
    """A change of the feed from an audit entry of the write API (the same fields; `type`
    is the entity's import section)."""
    out = {k: v for k, v in props.items() if k not in ("entity", "seq")}
    out["type"] = EntityKind[props["entity"]].value
    return out


def _party_ids(section: Section, values: Mapping[str, Any]) -> list[str]:
    ids: set[str] = set()
    if section.kind == "node" and section.entity in _PARTY_REFS:
        ids.add(values["id"])
    for f in section.fields:
        if f.ref in _PARTY_REFS and values.get(f.name):
            value = values[f.name]
            ids.update(value if isinstance(value, list) else [value])
    return sorted(ids)


def from_import_rows(
    section: Section, rows: Sequence[Mapping[str, Any]], now: datetime, mutation: str
) -> list[dict[str, Any]]:
    """One change per imported row: its key and the parties it touches, without the values
    (an import does not read what was stored before; a client reads the entity again)."""
    request_id = uuid.uuid4().hex
    key_fields = ("id",) if section.kind == "node" else section.key
    return [
        {
            "id": uuid.uuid4().hex,
            "at": now,
            "who": "import",
            "mutation": mutation,
            "requestId": request_id,
            "action": IMPORT,
            "type": section.name,
            "key": orjson.dumps({k: values.get(k) for k in key_fields}).decode(),
            "version": None,
            "changes": "[]",
            "partyIds": _party_ids(section, values),
        }
        for values in rows
    ]


def initial_load_marker(now: datetime, rows: int) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "at": now,
        "who": "import",
        "mutation": "initialImport",
        "requestId": uuid.uuid4().hex,
        "action": INITIAL_LOAD,
        "type": GRAPH,
        "key": orjson.dumps({"rows": rows}).decode(),
        "version": None,
        "changes": "[]",
        "partyIds": [],
    }


# ----- reading -----


def change_from_props(p: Mapping[str, Any]) -> FeedChange:
    at = to_datetime(p["at"])
    assert at is not None
    return FeedChange(
        position=int(p["position"]),
        id=p["id"],
        at=at,
        who=p["who"],
        mutation=p["mutation"],
        action=p["action"],
        type=p["type"],
        key=orjson.loads(p["key"]),
        version=p.get("version"),
        changes=tuple(
            PropertyChange(c["field"], c["before"], c["after"]) for c in orjson.loads(p["changes"])
        ),
        party_ids=tuple(p.get("partyIds") or ()),
        request_id=p["requestId"],
    )


def cursor_of(position: int) -> str:
    return encode_cursor(FEED_CURSOR, [position])


def position_of(cursor: str, field: str = "after") -> int:
    (position,) = decode_cursor(FEED_CURSOR, cursor, (int,), field)
    if position < 0:
        raise InvalidInput(f"{field} is not a cursor of this connection", field=field, value=cursor)
    return int(position)


def check_types(types: Sequence[str] | None, field: str = "types") -> list[str] | None:
    if types is None:
        return None
    for t in types:
        if t not in CHANGE_TYPES:
            raise InvalidInput(
                f"{field}: unknown change type {t!r}; one of {', '.join(CHANGE_TYPES)}",
                field=field,
                value=t,
            )
    return sorted(set(types))


def check_party_ids(
    party_ids: Sequence[str] | None, settings: Settings, field: str = "partyIds"
) -> list[str] | None:
    if party_ids is None:
        return None
    if len(party_ids) > settings.max_page_size:
        raise InvalidInput(
            f"{field} holds {len(party_ids)} ids, more than {settings.max_page_size} "
            "(GRAPH_API_MAX_PAGE_SIZE)",
            field=field,
            value=len(party_ids),
        )
    return sorted({check_id(field, p) for p in party_ids})


async def head(reader: ScopedStore) -> tuple[int, int]:
    """The newest position and the newest pruned one."""
    record = await reader.read_one("feed.head")
    return (int(record["position"]), int(record["pruned"])) if record else (0, 0)


async def current_cursor(reader: ScopedStore) -> str:
    position, _ = await head(reader)
    return cursor_of(position)


async def start_position(reader: ScopedStore, after: str | None, field: str = "after") -> int:
    """The position to read after: the cursor's, or before the oldest change kept; a cursor
    older than the retention is CURSOR_EXPIRED."""
    newest, pruned = await head(reader)
    if after is None:
        return pruned
    position = position_of(after, field)
    if position < pruned:
        raise CursorExpired(
            f"{field}: the changes after this cursor are older than the feed's retention "
            "(GRAPH_API_FEED_RETENTION_HOURS) and were pruned; resynchronise: read the "
            "current state, then follow the feed from changesCursor",
            field=field,
            value=after,
            details={"oldestPosition": pruned + 1},
        )
    if position > newest:
        raise InvalidInput(f"{field} is not a cursor of this feed", field=field, value=after)
    return position


async def read_after(
    reader: ScopedStore,
    after: int,
    size: int,
    types: list[str] | None = None,
    party_ids: list[str] | None = None,
) -> FeedPage:
    found = await reader.read_restricted(
        "feed.page",
        {"after": after, "first": size, "types": types, "partyIds": party_ids},
    )
    return found.restrict(visible_changes, size)


async def changes_page(
    reader: ScopedStore,
    settings: Settings,
    after: str | None,
    first: int | None,
    types: Sequence[str] | None,
    party_ids: Sequence[str] | None,
) -> FeedPage:
    """The committed changes after the cursor, oldest first (see `changes` in the API)."""
    size = check_first(first, settings)
    wanted_types = check_types(types)
    wanted_parties = check_party_ids(party_ids, settings)
    position = await start_position(reader, after)
    page = await read_after(reader, position, size, wanted_types, wanted_parties)
    if page.end_cursor is None:
        # Nothing new: the same cursor again, so a poller keeps its place.
        return replace(page, end_cursor=cursor_of(position))
    return page


@restriction("feed.page")
def visible_changes(access: Access, records: Sequence[Mapping[str, Any]], size: int) -> FeedPage:
    rows = list(records[0]["changes"]) if records else []
    read = [change_from_props(r) for r in rows[:size]]
    edges = tuple(
        (cursor_of(c.position), shown)
        for c in read
        if (shown := restrict_change(access, c)) is not None
    )
    return FeedPage(
        edges=edges,
        end_cursor=cursor_of(read[-1].position) if read else None,
        has_next_page=len(rows) > size,
    )


def change_shown(access: Access, change: FeedChange) -> bool:
    """Whether the viewer sees the change: every party it touches, and for family, holding
    and beneficiary changes the sensitive fields of the people it touches."""
    if access.unrestricted:
        return True
    if not all(access.sees(p) for p in change.party_ids):
        return False
    return change.type not in _SENSITIVE_TYPES or all(
        access.sees_sensitive(p) or p in access.organizations for p in change.party_ids
    )


def restrict_change(access: Access, change: FeedChange) -> FeedChange | None:
    """The change as the viewer may see it (a masked person's sensitive values as null),
    or None when it must not be shown."""
    if access.unrestricted:
        return change
    if not change_shown(access, change):
        return None
    person = change.key.get("id") if change.type == EntityKind.PERSON.value else None
    if person is not None and not access.sees_sensitive(person):
        masked = tuple(
            PropertyChange(c.field, None, None) if c.field in SENSITIVE_PERSON_FIELDS else c
            for c in change.changes
        )
        return replace(change, changes=masked)
    return change


# ----- retention -----


async def prune_feed(store: Store, before: datetime) -> int:
    """Deletes the changes up to the newest one older than `before`; answers the position
    pruned up to (0: none). Cursors before it then get CURSOR_EXPIRED."""
    record = await store.write("feed.prune_upto", {"before": before})
    upto = record[0]["upto"] if record else None
    if upto is None:
        return 0
    await store.write_in_batches("feed.prune", {"upto": int(upto)})
    return int(upto)


def retention_cutoff(settings: Settings, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(hours=settings.feed_retention_hours)
