"""Reads of the nodes' lifecycle: what an id that no live party has is (archived, or the
alias of a party merged into another). The writes are in `services/writes.py`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.domain.access import Access
from graph_api.domain.errors import NotFound
from graph_api.store.mapping import to_datetime
from graph_api.store.scoped import ScopedStore, restriction


async def resolve_missing(reader: ScopedStore, party_id: str, field: str = "id") -> str:
    """The id a missing party id stands for (a merged party's survivor, when the viewer
    sees it); otherwise raises the NotFound to answer, which tells admins that the party is
    archived (`reason: ARCHIVED`) and everyone else no more than for an unknown id."""
    found = await reader.read_restricted(
        "lifecycle.resolve", {"id": party_id, "query": lucene_term(party_id)}
    )
    survivor: str = found.restrict(resolved_id, party_id, field)
    return survivor


def lucene_term(value: str) -> str:
    """The value as one Lucene term for the keyword-analysed full-text index
    party_merged_ids: every character but letters and digits escaped (no syntax, no
    whitespace split; `\\u` would start a Unicode escape), and an id that is an operator
    word (AND, OR, NOT) escaped too."""
    escaped = "".join(c if c.isalnum() else "\\" + c for c in value)
    return "\\" + escaped if value in ("AND", "OR", "NOT") else escaped


@restriction("lifecycle.resolve")
def resolved_id(
    access: Access, records: Sequence[Mapping[str, Any]], party_id: str, field: str
) -> str:
    unknown = NotFound(f"no party with id {party_id!r}", field=field, value=party_id)
    if not records:
        raise unknown
    record = records[0]
    if record["merged"]:
        survivor = record["survivorId"]
        if survivor is not None and access.sees(survivor):
            return str(survivor)
        raise unknown
    if not access.unrestricted:
        raise unknown
    at = to_datetime(record["archivedAt"])
    details: dict[str, Any] = {"reason": "ARCHIVED"}
    if at is not None:
        details["archivedAt"] = at.isoformat()
    raise NotFound(
        f"party {party_id!r} is archived (restoreParty brings it back)",
        field=field,
        value=party_id,
        details=details,
    )
