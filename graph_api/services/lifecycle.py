"""Reads of the nodes' lifecycle: what an id that no live party has is (archived, or the
alias of a party merged into another). The writes are in `services/writes.py`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph_api.config import Settings
from graph_api.domain.access import Access, Viewer
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.writes import ArchivableKind
from graph_api.services.access import require_admin
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.store.mapping import to_datetime
from graph_api.store.scoped import ScopedStore, restriction

ARCHIVED_CURSOR = "archived"


@dataclass(frozen=True, slots=True)
class ArchivedNode:
    """A node archived (soft-deleted): what it was, when, by whom and why."""

    kind: ArchivableKind
    id: str
    label: str | None
    archived_at: datetime
    archived_by: str | None
    reason: str | None
    version: int


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    edges: tuple[tuple[str, ArchivedNode], ...]
    has_next_page: bool

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0][0] if self.edges else None

    @property
    def end_cursor(self) -> str | None:
        return self.edges[-1][0] if self.edges else None


async def archived_nodes(
    reader: ScopedStore,
    viewer: Viewer,
    settings: Settings,
    kinds: Sequence[ArchivableKind] | None,
    first: int | None,
    after: str | None,
) -> ArchivedPage:
    """The archived nodes of these kinds (None: all), the latest archived first, then by id
    (keyset pages: archiving more between two pages moves nothing already listed). Admins
    only (an archived party is in no rep's scope); the query keeps to the viewer's parties
    all the same."""
    require_admin(viewer, "archived nodes")
    size = check_first(first, settings)
    at: str | None = None
    last_id: str | None = None
    if after is not None:
        at, last_id = decode_cursor(ARCHIVED_CURSOR, after, (str, str))
        try:
            datetime.fromisoformat(at)
        except ValueError:
            raise InvalidInput(
                f"after is not a cursor of this connection: {after[:60]!r}",
                field="after",
                value=after[:200],
            ) from None
    names = None if kinds is None else sorted({k.entity.name for k in kinds})
    records = await reader.read(
        "lifecycle.archived",
        {"kinds": names, "at": at, "id": last_id, "first": size},
    )
    found = [_archived(r) for r in records]
    return ArchivedPage(
        edges=tuple(
            (encode_cursor(ARCHIVED_CURSOR, [n.archived_at.isoformat(), n.id]), n)
            for n in found[:size]
        ),
        has_next_page=len(found) > size,
    )


def _archived(record: Mapping[str, Any]) -> ArchivedNode:
    at = to_datetime(record["archivedAt"])
    assert at is not None  # the query lists only nodes with archivedAt
    return ArchivedNode(
        kind=ArchivableKind[str(record["kind"])],
        id=str(record["id"]),
        label=record["label"],
        archived_at=at,
        archived_by=record["archivedBy"],
        reason=record["reason"],
        version=int(record["version"] or 0),
    )


async def resolve_missing(reader: ScopedStore, party_id: str, field: str = "id") -> str:
    """The id a missing party id stands for (a merged party's survivor, when the viewer
    sees it); otherwise raises the NotFound to answer, which tells admins that the party is
    archived (`reason: ARCHIVED`) and everyone else no more than for an unknown id."""
    answer = (await resolve_all(reader, [party_id], field))[party_id]
    if isinstance(answer, NotFound):
        raise answer
    return answer


async def resolve_all(
    reader: ScopedStore, party_ids: Sequence[str], field: str
) -> dict[str, str | NotFound]:
    """For each missing party id (one round trip for all): the survivor it resolves to, or
    the NotFound to answer for it."""
    requests = [{"id": pid, "query": lucene_term(pid)} for pid in dict.fromkeys(party_ids)]
    found = await reader.read_restricted("lifecycle.resolve", {"requests": requests})
    resolved: dict[str, str | NotFound] = found.restrict(resolved_ids, party_ids, field)
    return resolved


def lucene_term(value: str) -> str:
    """The value as one Lucene term for the keyword-analysed full-text index
    party_merged_ids: every character but letters and digits escaped (no syntax, no
    whitespace split; `\\u` would start a Unicode escape), and an id that is an operator
    word (AND, OR, NOT) escaped too."""
    escaped = "".join(c if c.isalnum() else "\\" + c for c in value)
    return "\\" + escaped if value in ("AND", "OR", "NOT") else escaped


@restriction("lifecycle.resolve")
def resolved_ids(
    access: Access, records: Sequence[Mapping[str, Any]], party_ids: Sequence[str], field: str
) -> dict[str, str | NotFound]:
    by_id = {r["id"]: r for r in records}
    return {pid: _resolved(access, by_id.get(pid), pid, field) for pid in party_ids}


def _resolved(
    access: Access, record: Mapping[str, Any] | None, party_id: str, field: str
) -> str | NotFound:
    unknown = NotFound(f"no party with id {party_id!r}", field=field, value=party_id)
    if record is None:
        return unknown
    if record["merged"]:
        survivor = record["survivorId"]
        if survivor is not None and access.sees(survivor):
            return str(survivor)
        return unknown
    if not access.unrestricted:
        return unknown
    at = to_datetime(record["archivedAt"])
    details: dict[str, Any] = {"reason": "ARCHIVED"}
    if at is not None:
        details["archivedAt"] = at.isoformat()
    return NotFound(
        f"party {party_id!r} is archived (restoreParty brings it back)",
        field=field,
        value=party_id,
        details=details,
    )
