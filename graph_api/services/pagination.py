"""Relay pagination: page-size limits and opaque cursors.

A cursor is base64url of a small JSON list whose first item names the connection it belongs
to (e.g. "interactions"), followed by the sort key of the last item seen, so that a page
continues after that item even when others were added in between (keyset pagination).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from graph_api.config import Settings
from graph_api.domain.errors import InvalidInput

MAX_CURSOR_LENGTH = 1000
MAX_CURSOR_NUMBER = 2**31 - 1


def check_first(first: int | None, settings: Settings, field: str = "first") -> int:
    """The page size asked for, within 1..GRAPH_API_MAX_PAGE_SIZE (default when None)."""
    if first is None:
        return settings.default_page_size
    if first < 1 or first > settings.max_page_size:
        raise InvalidInput(
            f"{field} must be between 1 and {settings.max_page_size}, got {first}",
            field=field,
            value=first,
        )
    return first


def encode_cursor(connection: str, key: Sequence[Any]) -> str:
    raw = json.dumps([connection, *key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(
    connection: str, cursor: str, types: Sequence[type], field: str = "after"
) -> list[Any]:
    """The sort key in a cursor made by `encode_cursor(connection, ...)`.

    Anything else (garbage, a cursor of another connection, wrong arity or types) is
    INVALID_INPUT naming the argument and the value.
    """

    def bad() -> InvalidInput:
        return InvalidInput(
            f"{field} is not a cursor of this connection: {cursor[:60]!r}",
            field=field,
            value=cursor[:200],
        )

    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise bad()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeError):
        raise bad() from None
    if not isinstance(data, list) or len(data) != len(types) + 1 or data[0] != connection:
        raise bad()
    key = data[1:]
    for value, expected in zip(key, types, strict=True):
        # bool is an int in Python; a cursor never holds booleans where numbers go.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise bad()
        # The numbers of our cursors are positions and sequence numbers: a forged one
        # beyond them would reach Neo4j as an integer it cannot hold.
        if isinstance(value, int) and not 0 <= value <= MAX_CURSOR_NUMBER:
            raise bad()
    return key
