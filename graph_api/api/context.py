"""Per-request GraphQL context: the store, settings and the viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.fastapi import BaseContext
from strawberry.types import Info as _Info

from graph_api.config import Settings
from graph_api.domain.access import Viewer
from graph_api.store.neo4j_store import Store


@dataclass
class Context(BaseContext):
    store: Store
    settings: Settings
    viewer: Viewer
    # Per-request caches (DataLoaders, computed scopes), keyed by their owner's name.
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()


Info = _Info[Context, None]
