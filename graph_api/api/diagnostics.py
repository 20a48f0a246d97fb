"""Development-only response extensions: round trips per request, the open-mode notice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graph_api.store.neo4j_store import RoundTrips, start_counting_round_trips


class RoundTripCount(SchemaExtension):
    """Adds `extensions.roundTrips` to every response (the no-N+1 test reads it)."""

    counter: RoundTrips | None = None

    def on_operation(self) -> Iterator[None]:
        # Set in the operation's own context: resolvers and the DataLoader tasks they start
        # inherit it, so every query of this request is counted and no other request's.
        self.counter = start_counting_round_trips()
        yield

    def get_results(self) -> dict[str, Any]:
        return {"roundTrips": self.counter.count if self.counter else 0}


class DevelopmentNotice(SchemaExtension):
    """Adds `extensions.development` to every response: this service is open to anyone."""

    def get_results(self) -> dict[str, Any]:
        return {
            "development": (
                "development mode: the API is OPEN, requests without credentials act as an "
                "admin (GRAPH_API_MODE=production turns on authentication)"
            )
        }
