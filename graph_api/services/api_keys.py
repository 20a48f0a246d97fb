"""API keys kept in Neo4j (their SHA-256 only): created, listed and revoked by admins, and
looked up by the authenticator with a short cache.

A key is shown once, when it is created; the database holds its hash, its first characters
(to recognise it in a list) and whom it stands for. Revocation is immediate in the process
that revoked (its cache entry is dropped) and within `ttl_s` seconds in every other process
(a found key is trusted from the cache that long; an unknown key is never cached, so a new
key works at once everywhere).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_api.config import ApiKey
from graph_api.domain.access import Role, Viewer
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.services.access import require_admin
from graph_api.store.neo4j_store import Store

# Characters of a key kept in clear: enough to tell keys apart in a list, far too few to
# guess the rest (a key is 256 random bits after its "gk_" prefix).
PREFIX_LENGTH = 8
DEFAULT_TTL_S = 5.0


def key_hash(key: str) -> str:
    """The hex SHA-256 under which a key is kept. Keys are random 256-bit strings, so a fast
    hash cannot be brute-forced back into one."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return "gk_" + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A stored key as listed: never the key itself, nor its hash."""

    id: str
    prefix: str
    subject: str
    role: Role
    rep_id: str | None
    label: str | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None

    @property
    def viewer(self) -> Viewer:
        return Viewer(subject=self.subject, role=self.role, rep_id=self.rep_id)


def _stored(props: Mapping[str, Any]) -> StoredKey:
    def instant(value: Any) -> datetime | None:
        return None if value is None else value.to_native()

    created = instant(props["createdAt"])
    assert created is not None
    return StoredKey(
        id=props["id"],
        prefix=props["prefix"],
        subject=props["subject"],
        role=Role(props["role"]),
        rep_id=props.get("repId"),
        label=props.get("label"),
        created_at=created,
        created_by=props["createdBy"],
        revoked_at=instant(props.get("revokedAt")),
        revoked_by=props.get("revokedBy"),
    )


def checked_entry(subject: str, role: str, rep_id: str | None, field_prefix: str = "") -> ApiKey:
    """The key's owner, checked by the rules of a key in GRAPH_API_API_KEYS."""

    def bad(name: str, value: Any, why: str) -> InvalidInput:
        return InvalidInput(
            f"{field_prefix}{name} {why}, got {value!r}", field=f"{field_prefix}{name}", value=value
        )

    if not 1 <= len(subject.strip()) <= 200 or subject != subject.strip():
        raise bad("subject", subject, "must hold 1 to 200 characters, without outer spaces")
    if role.upper() not in Role.__members__:
        raise bad("role", role, "must be ADMIN, MANAGER or REP")
    if rep_id is not None and not 1 <= len(rep_id) <= 128:
        raise bad("repId", rep_id, "must hold 1 to 128 characters")
    if role.upper() != Role.ADMIN.value and rep_id is None:
        raise bad("repId", rep_id, f"is required for role {role.upper()} (the caller's Rep id)")
    return ApiKey(sha256="0" * 64, subject=subject, role=role, repId=rep_id)


class StoredKeys:
    """The keys of the database as the authenticator sees them: found keys cached `ttl_s`."""

    def __init__(self, ttl_s: float = DEFAULT_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._found: dict[str, tuple[float, Viewer]] = {}

    async def viewer(self, store: Store, sha256: str) -> Viewer | None:
        now = time.monotonic()
        cached = self._found.get(sha256)
        if cached is not None and now - cached[0] < self.ttl_s:
            return cached[1]
        record = await store.read_one("keys.find", {"sha256": sha256})
        if record is None:
            self._found.pop(sha256, None)
            return None
        viewer = _stored(record["props"]).viewer
        self._found[sha256] = (now, viewer)
        return viewer

    def forget(self, sha256: str) -> None:
        self._found.pop(sha256, None)


async def create_key(
    store: Store,
    *,
    subject: str,
    role: str,
    rep_id: str | None,
    label: str | None,
    by: str,
    field_prefix: str = "",
) -> tuple[str, StoredKey]:
    """A new key and its stored record; the key is not kept anywhere."""
    entry = checked_entry(subject, role, rep_id, field_prefix)
    if label is not None and not 1 <= len(label) <= 200:
        raise InvalidInput(
            f"{field_prefix}label must hold 1 to 200 characters, got {len(label)}",
            field=f"{field_prefix}label",
            value=label,
        )
    key = new_key()
    records = await store.write(
        "keys.create",
        {
            "id": "key-" + secrets.token_hex(8),
            "sha256": key_hash(key),
            "prefix": key[:PREFIX_LENGTH],
            "subject": entry.subject,
            "role": entry.role.value,
            "repId": entry.rep_id,
            "label": label,
            "now": datetime.now(UTC),
            "by": by,
        },
    )
    return key, _stored(records[0]["props"])


async def list_keys(store: Store, *, include_revoked: bool = False) -> list[StoredKey]:
    records = await store.read("keys.list", {"includeRevoked": include_revoked})
    return [_stored(r["props"]) for r in records]


async def revoke_key(
    store: Store, key_id: str, *, by: str, cache: StoredKeys | None = None, field: str = "id"
) -> StoredKey:
    """Revokes the key (at once in this process's `cache`); revoking it again changes
    nothing."""
    records = await store.write("keys.revoke", {"id": key_id, "now": datetime.now(UTC), "by": by})
    if not records:
        raise NotFound(f"no API key with id {key_id!r}", field=field, value=key_id)
    if cache is not None:
        cache.forget(records[0]["props"]["sha256"])
    return _stored(records[0]["props"])


class KeyAdmin:
    """The stored keys as an admin of the API manages them."""

    def __init__(self, store: Store, viewer: Viewer, cache: StoredKeys | None) -> None:
        require_admin(viewer, "API keys")
        self._store = store
        self._viewer = viewer
        self._cache = cache

    async def create(
        self, subject: str, role: str, rep_id: str | None, label: str | None
    ) -> tuple[str, StoredKey]:
        return await create_key(
            self._store,
            subject=subject,
            role=role,
            rep_id=rep_id,
            label=label,
            by=self._viewer.subject,
            field_prefix="input.",
        )

    async def list(self, include_revoked: bool) -> list[StoredKey]:
        return await list_keys(self._store, include_revoked=include_revoked)

    async def revoke(self, key_id: str) -> StoredKey:
        return await revoke_key(
            self._store, key_id, by=self._viewer.subject, cache=self._cache, field="id"
        )
