"""The audit trail of one party: every change that touched it, newest first, a Relay page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from graph_api.config import Settings
from graph_api.domain import view as v
from graph_api.domain.access import Viewer
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.writes import AuditAction, AuditEntry, EntityKind, PropertyChange
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.services.parties import check_id
from graph_api.store.mapping import to_datetime
from graph_api.store.neo4j_store import Store

AUDIT_CURSOR = "audit"


def _entry(p: Mapping[str, Any]) -> AuditEntry:
    at = to_datetime(p["at"])
    assert at is not None
    return AuditEntry(
        id=p["id"],
        at=at,
        who=p["who"],
        mutation=p["mutation"],
        action=AuditAction(p["action"]),
        entity=EntityKind[p["entity"]],
        key=orjson.loads(p["key"]),
        version=p.get("version"),
        changes=tuple(
            PropertyChange(c["field"], c["before"], c["after"]) for c in orjson.loads(p["changes"])
        ),
        party_ids=tuple(p.get("partyIds") or ()),
        request_id=p["requestId"],
    )


async def audit_trail(
    store: Store,
    viewer: Viewer,
    settings: Settings,
    party_id: str,
    first: int | None = None,
    after: str | None = None,
) -> v.Page[AuditEntry]:
    """The changes that touched the party (its own data or any link of it), newest first;
    NOT_FOUND for an unknown party, INVALID_INPUT for a bad `first` or `after`."""
    del viewer  # access control will filter here, in one place
    check_id("partyId", party_id)
    size = check_first(first, settings)
    after_key: tuple[datetime, int, str] | None = None
    if after is not None:
        at_text, seq, entry_id = decode_cursor(AUDIT_CURSOR, after, (str, int, str))
        try:
            after_key = (datetime.fromisoformat(at_text), seq, entry_id)
        except ValueError:
            raise InvalidInput(
                "after is not a cursor of this connection", field="after", value=after
            ) from None
    record = await store.read_one(
        "audit.trail",
        {
            "partyId": party_id,
            "first": size,
            "afterAt": after_key[0] if after_key else None,
            "afterSeq": after_key[1] if after_key else None,
            "afterId": after_key[2] if after_key else None,
        },
    )
    if record is None:
        raise NotFound(f"no party with id {party_id!r}", field="partyId", value=party_id)
    rows = list(record["entries"])
    edges = tuple(
        v.Edge(encode_cursor(AUDIT_CURSOR, [e.at.isoformat(), int(row["seq"]), e.id]), e)
        for row, e in ((row, _entry(row)) for row in rows[:size])
    )
    return v.Page(
        edges=edges,
        total_count=int(record["total"]),
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
    )


async def prune_audit(store: Store, before: datetime) -> int:
    """Deletes the audit entries older than `before`; answers how many went. The trail is kept
    until this runs (`graph-api prune-audit`): retention is the operator's policy."""
    counters = await store.write_in_batches("audit.prune", {"before": before})
    return counters["nodes_deleted"]
