"""Per-request GraphQL context: the settings, the viewer, what the viewer may see, and the
store bound to that scope (the only store resolvers hand to services)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from strawberry.fastapi import BaseContext
from strawberry.types import Info as _Info

from graph_api.config import Settings
from graph_api.domain.access import Access, Viewer
from graph_api.domain.i18n import DEFAULT_LANGUAGE, Language
from graph_api.services.access import access_for
from graph_api.services.analysis_cache import AnalysisCache
from graph_api.services.api_keys import KeyAdmin, StoredKeys
from graph_api.services.deciders import AnalysisRunner
from graph_api.services.webhooks import WebhookAdmin
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore

_ACCESS = "access"


@dataclass
class Context(BaseContext):
    store: Store
    settings: Settings
    viewer: Viewer
    # Per-request caches (DataLoaders, computed scopes), keyed by their owner's name.
    cache: dict[str, Any] = field(default_factory=dict)
    # The language of explanations and labels, from the request's Accept-Language.
    language: Language = DEFAULT_LANGUAGE
    # The process's cache of key-decider analyses (services/analysis_cache.py); None: off.
    analyses: AnalysisCache | None = None
    # The processes that run those analyses (services/analysis_processes.py), each keeping
    # its own cache; None: they run in this process.
    analysis: AnalysisRunner | None = None
    # The authenticator's cache of keys stored in the database (a revocation empties it).
    keys: StoredKeys | None = None
    # A WebSocket's connection_init payload (strawberry sets it): credentials may come there.
    connection_params: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    async def access(self) -> Access:
        """The viewer's visible scope, computed on first use and kept for the request (root
        fields of one request share one computation, even when they run concurrently)."""
        task: asyncio.Future[Access] | None = self.cache.get(_ACCESS)
        if task is None:
            task = asyncio.ensure_future(access_for(self.store, self.viewer))
            self.cache[_ACCESS] = task
        return await task

    async def reader(self) -> ScopedStore:
        """The store bound to the viewer's scope (made from the request's one `access()`)."""
        return ScopedStore(self.store, await self.access())

    async def renew_access(self) -> Access:
        """The scope computed again (after a write changed what the viewer may see); an
        admin's costs nothing either way."""
        if self.viewer.is_admin:
            return await self.access()
        self.cache.pop(_ACCESS, None)
        return await self.access()

    def key_admin(self) -> KeyAdmin:
        """The stored API keys, for an admin (FORBIDDEN for anyone else)."""
        return KeyAdmin(self.store, self.viewer, self.keys)

    def webhook_admin(self) -> WebhookAdmin:
        """The webhooks, for an admin (FORBIDDEN for anyone else)."""
        return WebhookAdmin(self.store, self.viewer, self.settings)

    def known_access(self) -> Access | None:
        """The scope if a resolver has computed it already (field resolvers below a root
        field that awaited `access()`); None otherwise, and callers then mask."""
        task: asyncio.Future[Access] | None = self.cache.get(_ACCESS)
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()


Info = _Info[Context, None]
