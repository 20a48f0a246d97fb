"""Checks of the ids and numbers that the API's services take as arguments."""

from __future__ import annotations

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
