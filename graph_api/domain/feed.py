"""The change feed's vocabulary: one committed change as integrations read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph_api.domain.writes import PropertyChange

# The action of the marker a first (offline) load records: everything may have changed, and
# a client following the feed must read the whole state again. Shown whatever the filters.
INITIAL_LOAD = "INITIAL_LOAD"
# The action of a row written by a transactional import (created or updated: the importer
# does not compare with what was stored).
IMPORT = "IMPORT"
# The type of a change that is about the whole graph (the initial-load marker).
GRAPH = "graph"


@dataclass(frozen=True, slots=True)
class FeedChange:
    position: int
    id: str
    at: datetime
    who: str
    mutation: str
    action: str
    type: str  # the import section's name: people, holdings, employment, ...
    key: Mapping[str, Any]
    version: int | None
    changes: tuple[PropertyChange, ...]
    party_ids: tuple[str, ...]
    request_id: str


@dataclass(frozen=True, slots=True)
class FeedPage:
    """Changes after a cursor; `end_cursor` is the last change read, shown or not, so that
    a restricted viewer's next page goes on after changes it may not see."""

    edges: tuple[tuple[str, FeedChange], ...]
    end_cursor: str | None
    has_next_page: bool
