"""Cursors and page sizes: round trips, and every malformed cursor is INVALID_INPUT."""

from __future__ import annotations

import base64

import pytest

from graph_api.config import Settings
from graph_api.domain.errors import InvalidInput
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor


def test_a_cursor_round_trips_its_key() -> None:
    cursor = encode_cursor("people", ["张立", "p-zhang-li", "org-1"])
    assert decode_cursor("people", cursor, (str, str, str)) == ["张立", "p-zhang-li", "org-1"]
    assert "张" not in cursor and "=" not in cursor  # opaque, URL-safe


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


PEOPLE = ("people", (str, str, str))
SEARCH = ("search", (int, str))


@pytest.mark.parametrize(
    ("connection", "cursor"),
    [
        (PEOPLE, ""),
        (PEOPLE, "%%%"),
        (PEOPLE, "bm90IGpzb24"),  # "not json"
        (PEOPLE, _raw('{"a": 1}')),  # not a list
        (PEOPLE, _raw('["interactions", "x", "y"]')),  # another connection's
        (PEOPLE, _raw('["people", "x", "y"]')),  # too short
        (PEOPLE, _raw('["people", "x", "y", 3]')),  # wrong type
        (SEARCH, _raw('["search", true, "f"]')),  # a boolean is no offset
        (PEOPLE, "A" * 2000),
    ],
)
def test_malformed_cursors_are_invalid_input(
    connection: tuple[str, tuple[type, ...]], cursor: str
) -> None:
    name, types = connection
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(name, cursor, types)
    assert caught.value.field == "after"


def test_page_size_bounds() -> None:
    settings = Settings(max_page_size=100, default_page_size=20)
    assert check_first(None, settings) == 20
    assert check_first(1, settings) == 1 and check_first(100, settings) == 100
    for bad in (0, -1, 101):
        with pytest.raises(InvalidInput) as caught:
            check_first(bad, settings)
        assert (caught.value.field, caught.value.value) == ("first", bad)
