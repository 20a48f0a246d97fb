"""Checks that ours and the peer answer the 360° view with the same content, so the ratio
compares the same work.

Both answers are brought to one form before they are compared; what that form forgives is
exactly the documented differences of bench/peer/view360.graphql: the peer's `party` is a
one-element list, cursors are opaque (each server's own), timestamps are the same instant
written differently ("+00:00" vs "Z"), and lists whose order our API does not define (the
reps of an interaction, team members, beneficiaries, a buying centre) are compared as sets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import orjson

UNORDERED = frozenset({"reps", "members", "beneficiaries", "buyingCentre"})
OPAQUE = frozenset({"cursor", "endCursor"})
TIMESTAMPS = frozenset({"at"})


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            return value
    return value


def normalize(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {
            k: (_instant(v) if k in TIMESTAMPS else normalize(v, k))
            for k, v in value.items()
            if k not in OPAQUE
        }
    if isinstance(value, list):
        items = [normalize(v, key) for v in value]
        if key in UNORDERED:
            items.sort(key=lambda v: orjson.dumps(v, option=orjson.OPT_SORT_KEYS))
        return items
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def first_difference(a: Any, b: Any, path: str = "party") -> str | None:
    """Where two normalized answers differ first, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'ours' if k in a else 'peer'}"
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items (ours) vs {len(b)} (peer)"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if a != b:
        return f"{path}: {a!r} (ours) vs {b!r} (peer)"
    return None


def _answer(client: httpx.Client, url: str, body: bytes) -> Any:
    response = client.post(url, content=body, headers={"content-type": "application/json"})
    payload = response.json()
    if response.status_code != 200 or payload.get("errors"):
        raise RuntimeError(f"{url}: {response.status_code} {payload.get('errors')}")
    return payload["data"]["party"]


def compare(
    ours_url: str, peer_url: str, ours_bodies: list[bytes], peer_bodies: list[bytes]
) -> dict[str, Any]:
    """Asks both servers the same questions; counts the answers that match."""
    checked, equal, differences = 0, 0, []
    with httpx.Client(timeout=120) as client:
        for ours_body, peer_body in zip(ours_bodies, peer_bodies, strict=True):
            party = orjson.loads(ours_body)["variables"]["id"]
            checked += 1
            try:
                ours = _answer(client, ours_url, ours_body)
                theirs = _answer(client, peer_url, peer_body)
            except (RuntimeError, httpx.HTTPError) as exc:
                differences.append(f"{party}: no answer to compare: {exc}"[:600])
                continue
            if isinstance(theirs, list):
                theirs = theirs[0] if len(theirs) == 1 else theirs
            diff = first_difference(normalize(ours), normalize(theirs))
            if diff is None:
                equal += 1
            else:
                differences.append(f"{party}: {diff}")
    return {"checked": checked, "equal": equal, "differences": differences[:10]}
