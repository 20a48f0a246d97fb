"""Checks of the ids and numbers that the API's services take as arguments."""

from __future__ import annotations

from datetime import date

from graph_api.domain.errors import InvalidInput

MAX_ID_LENGTH = 128


def check_id(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"{field} must not be empty", field=field, value=value)
    if len(value) > MAX_ID_LENGTH:
        raise InvalidInput(
            f"{field} is longer than {MAX_ID_LENGTH} characters", field=field, value=value[:40]
        )
    return value


def check_between(field: str, value: int, lowest: int, highest: int) -> int:
    if value < lowest or value > highest:
        raise InvalidInput(
            f"{field} must be between {lowest} and {highest}", field=field, value=value
        )
    return value


# The days an as-of question may ask about (issue 14.2); the same range as the signals' day.
EARLIEST_GRAPH_DAY = date(1900, 1, 1)
LATEST_GRAPH_DAY = date(2999, 12, 31)


def check_as_of(as_of: date | None, field: str = "asOf") -> date | None:
    """The day a question reads the graph as of (None: the current graph); INVALID_INPUT
    outside the range the store's dates hold sensibly."""
    if as_of is not None and not EARLIEST_GRAPH_DAY <= as_of <= LATEST_GRAPH_DAY:
        raise InvalidInput(
            f"{field} must be between {EARLIEST_GRAPH_DAY} and {LATEST_GRAPH_DAY}, got {as_of}",
            field=field,
            value=as_of.isoformat(),
        )
    return as_of
