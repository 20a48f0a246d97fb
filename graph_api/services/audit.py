"""The audit trail of one party: every change that touched it, newest first, a Relay page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson

from graph_api.config import Settings
from graph_api.domain import view as v
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS, Access
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.writes import AuditAction, AuditEntry, EntityKind, PropertyChange
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.services.parties import check_id
from graph_api.store.mapping import to_datetime
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore, restriction

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
    reader: ScopedStore,
    settings: Settings,
    party_id: str,
    first: int | None = None,
    after: str | None = None,
) -> v.Page[AuditEntry]:
    """The changes that touched the party (its own data or any link of it), newest first;
    NOT_FOUND for an unknown party, INVALID_INPUT for a bad `first` or `after`.

    For a rep or a manager (README, Security): NOT_FOUND for a party they do not see; the
    page leaves out the entries that touch a party they do not see, and the family,
    holding and beneficiary entries of people whose sensitive fields are masked for them;
    a masked person's sensitive values show as null. Entries are filtered after paging,
    so a page may hold fewer than `first`; totalCount counts the entries the viewer sees
    (for a restricted viewer one more query reads what decides that for every entry)."""
    check_id("partyId", party_id)
    access = reader.access
    if not access.sees(party_id):
        raise NotFound(f"no party with id {party_id!r}", field="partyId", value=party_id)
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
    found = await reader.read_restricted(
        "audit.trail",
        {
            "partyId": party_id,
            "first": size,
            "afterAt": after_key[0] if after_key else None,
            "afterSeq": after_key[1] if after_key else None,
            "afterId": after_key[2] if after_key else None,
        },
    )
    edges, total, more = found.restrict(visible_entries, party_id, size)
    if not access.unrestricted:
        # Not the count of every entry: that would tell a rep that hidden changes exist.
        everything = await reader.read_restricted("audit.visibility", {"partyId": party_id})
        total = everything.restrict(visible_count)
    return v.Page(
        edges=edges,
        total_count=total,
        has_next_page=more,
        has_previous_page=after is not None,
    )


@restriction("audit.trail")
def visible_entries(
    access: Access, records: Sequence[Mapping[str, Any]], party_id: str, size: int
) -> tuple[tuple[v.Edge[AuditEntry], ...], int, bool]:
    """The page's entries as the viewer may see them (`restrict_entry`), the total of every
    entry (replaced by `visible_count` for a restricted viewer) and whether more follow."""
    record = records[0] if records else None
    if record is None:
        raise NotFound(f"no party with id {party_id!r}", field="partyId", value=party_id)
    rows = list(record["entries"])
    edges = tuple(
        v.Edge(encode_cursor(AUDIT_CURSOR, [e.at.isoformat(), int(row["seq"]), e.id]), shown)
        for row, e in ((row, _entry(row)) for row in rows[:size])
        if (shown := restrict_entry(access, e)) is not None
    )
    return edges, int(record["total"]), len(rows) > size


@restriction("audit.visibility")
def visible_count(access: Access, records: Sequence[Mapping[str, Any]]) -> int:
    """How many of the party's entries the viewer sees."""
    everything = records[0] if records else None
    return sum(
        entry_shown(access, EntityKind[entity], tuple(ids or ()))
        for entity, ids in (everything["entries"] if everything else ())
    )


_SENSITIVE_ENTITIES = frozenset({EntityKind.FAMILY, EntityKind.HOLDING, EntityKind.BENEFICIARY})


def entry_shown(access: Access, entity: EntityKind, party_ids: tuple[str, ...]) -> bool:
    """Whether the viewer sees an entry at all: every party it touches, and for family,
    holding and beneficiary entries the sensitive fields of the people it touches."""
    if access.unrestricted:
        return True
    if not all(access.sees(p) for p in party_ids):
        return False
    return entity not in _SENSITIVE_ENTITIES or all(
        access.sees_sensitive(p) or p in access.organizations for p in party_ids
    )


def restrict_entry(access: Access, e: AuditEntry) -> AuditEntry | None:
    """The entry as the viewer may see it, or None when it must not be shown at all."""
    if access.unrestricted:
        return e
    if not entry_shown(access, e.entity, e.party_ids):
        return None
    person = e.key.get("id") if e.entity is EntityKind.PERSON else None
    if person is not None and not access.sees_sensitive(person):
        masked = tuple(
            PropertyChange(c.field, None, None) if c.field in SENSITIVE_PERSON_FIELDS else c
            for c in e.changes
        )
        return replace(e, changes=masked)
    return e


async def prune_audit(store: Store, before: datetime) -> int:
    """Deletes the audit entries older than `before`; answers how many went. The trail is kept
    until this runs (`graph-api prune-audit`): retention is the operator's policy."""
    counters = await store.write_in_batches("audit.prune", {"before": before})
    return counters["nodes_deleted"]
