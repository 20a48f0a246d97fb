"""Idempotency keys of writes: a retried write is answered from its first attempt, written once.

A client sends `Idempotency-Key: <key>` with a mutation request. Each mutation field of the
request then claims `sha256(caller, key, field alias)` first in its own transaction, and
records what it was asked (a fingerprint of its checked changes) and its answer last in the
SAME transaction: either both the write and the key are committed, or neither. A retry with
the same key finds the key and gets the recorded answer without writing again; the same key
with a different request is a CONFLICT. Keys are kept GRAPH_API_IDEMPOTENCY_RETENTION_HOURS.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

import orjson
from pydantic import TypeAdapter

from graph_api.domain import job_change as jc
from graph_api.domain import model as m
from graph_api.domain import view as v
from graph_api.domain.errors import Conflict, InvalidInput
from graph_api.domain.tas import RecordedAnswer
from graph_api.domain.writes import (
    Change,
    HoldingRecord,
    InteractionRecord,
    LifecycleRecord,
    LinkRecord,
    NodeRecord,
    StrengthChange,
    WriteResult,
)
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedTransaction

HEADER = "Idempotency-Key"
# On the response of a request answered (wholly or partly) from an earlier attempt.
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200

# The classes a recorded answer may hold, by the name it is recorded under.
_ANSWER_TYPES: Mapping[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        m.Person,
        m.Organization,
        m.Product,
        v.Rep,
        HoldingRecord,
        InteractionRecord,
        StrengthChange,
        LinkRecord,
        NodeRecord,
        RecordedAnswer,
        LifecycleRecord,
        jc.JobChangeRecord,
        jc.JobChangeImpact,
        jc.LostRole,
        jc.Gap,
        jc.LostIntroduction,
        jc.Insider,
        jc.OpenOpportunity,
        jc.CoverageOf,
    )
}
_TYPE = "__type"
_DATE = "__date"
_DATETIME = "__datetime"


@dataclass
class IdempotencyKey:
    """One mutation field's claim: the stored key, the fingerprint of what it asks, and,
    once it ran, whether its answer was replayed from an earlier attempt."""

    key: str
    fingerprint: str
    given: str
    replayed: bool = False


def checked_key(value: str) -> str:
    """The client's key, or INVALID_INPUT naming the header."""
    if not 1 <= len(value) <= MAX_KEY_LENGTH or not value.isascii() or not value.isprintable():
        raise InvalidInput(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters "
            "(a UUID is a good key)",
            field=HEADER,
            value=value[:MAX_KEY_LENGTH],
        )
    return value


def claim_for(
    given: str, subject: str, field_alias: str, mutation: str, changes: Sequence[Change]
) -> IdempotencyKey:
    """The claim of one mutation field of a request sent with key `given`: keys are the
    caller's own (two callers never share one), and one request's mutation fields each
    have theirs."""
    key = hashlib.sha256("\0".join((subject, given, field_alias)).encode()).hexdigest()
    asked = orjson.dumps(
        {"mutation": mutation, "changes": [_asked(c) for c in changes]},
        default=_plain,
        option=orjson.OPT_SORT_KEYS,
    )
    return IdempotencyKey(key, hashlib.sha256(asked).hexdigest(), given)


def _asked(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "action": change.action.value,
        "values": dict(change.values),
        "cleared": sorted(change.cleared),
        "expectedVersion": change.expected_version,
        "path": change.path,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value, key=str) if isinstance(value, frozenset | set) else list(value)
    if hasattr(value, "to_native"):
        return value.to_native().isoformat()
    if isinstance(value, Enum):
        return value.value
    return str(value)


async def claim(tx: ScopedTransaction, claim_: IdempotencyKey) -> list[WriteResult] | None:
    """First in the write's transaction: the recorded answer of an earlier attempt with this
    key (CONFLICT when it asked something else), or None: go on and write."""
    row = await tx.run_one("idempotency.claim", {"key": claim_.key})
    if row is None or row["answer"] is None:
        return None
    if row["fingerprint"] != claim_.fingerprint:
        raise Conflict(
            f"{HEADER} {claim_.given!r} was used for a different request; send a new key "
            "for a new request, and the same key only to retry the same one",
            field=HEADER,
            value=claim_.given,
        )
    claim_.replayed = True
    return decode_answer(row["answer"])


async def record(
    tx: ScopedTransaction,
    claim_: IdempotencyKey,
    mutation: str,
    results: Sequence[WriteResult],
    now: datetime,
) -> None:
    """Last in the write's transaction: what was asked and answered, committed with it."""
    await tx.run(
        "idempotency.record",
        {
            "key": claim_.key,
            "fingerprint": claim_.fingerprint,
            "answer": encode_answer(results),
            "at": now,
            "mutation": mutation,
        },
    )


async def prune(store: Store, retention: timedelta, batch: int = 10_000) -> int:
    """Deletes keys older than `retention`; answers how many."""
    before = datetime.now(UTC) - retention
    deleted = 0
    while True:
        rows = await store.write("idempotency.prune", {"before": before, "limit": batch})
        n = int(rows[0]["deleted"]) if rows else 0
        deleted += n
        if n < batch:
            return deleted


# ----- answers -----


def encode_answer(results: Sequence[WriteResult]) -> str:
    return orjson.dumps([_encode(r) for r in results]).decode()


def decode_answer(text: str) -> list[WriteResult]:
    return [_decode(item) for item in orjson.loads(text)]


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            _TYPE: type(value).__name__,
            **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if hasattr(value, "to_native"):
        return _encode(value.to_native())
    if isinstance(value, Mapping):
        return {str(k): _encode(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(x) for x in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(x) for x in value]
    if not isinstance(value, dict):
        return value
    if _DATETIME in value:
        return datetime.fromisoformat(value[_DATETIME])
    if _DATE in value:
        return date.fromisoformat(value[_DATE])
    fields = {k: _decode(x) for k, x in value.items() if k != _TYPE}
    name = value.get(_TYPE)
    if name is None:
        return fields
    # Nested records are already built; the adapter turns lists into tuples, names into
    # enums, as the record's annotations say.
    return _adapter(name).validate_python(fields)


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(name: str) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(name)
    if adapter is None:
        adapter = _ADAPTERS[name] = TypeAdapter(_ANSWER_TYPES[name])
    return adapter
