"""Test fixtures: one real Neo4j per session (the project's launcher), a live HTTP server."""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import pytest_asyncio
import uvicorn

from graph_api.api.app import create_app
from graph_api.bulk.load import import_path
from graph_api.cli import main
from graph_api.config import PROJECT_ROOT, Settings, get_settings
from graph_api.store.local_neo4j import LocalNeo4j
from graph_api.store.neo4j_store import Store

DEMO = PROJECT_ROOT / "seed" / "demo.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway local Neo4j for the whole session (NEO4J_TEST_URI reuses a running one)."""
    given = os.environ.get("NEO4J_TEST_URI")
    if given:
        yield given
        return
    local = LocalNeo4j(data_dir=tmp_path_factory.mktemp("neo4j"), heap="1g", page_cache="256m")
    local.start()
    try:
        yield local.uri or ""
    finally:
        local.stop()


def settings_for(uri: str, **overrides: Any) -> Settings:
    # A request's first run of a large query includes Neo4j planning it, which on a loaded
    # shared machine took over the default 10 s budget: tests that are not about the budget
    # get a generous one (those that are set their own).
    overrides.setdefault("request_timeout_s", 120.0)
    # Webhook deliveries only where a test asks for them (tests/integration/test_webhooks.py).
    overrides.setdefault("webhook_worker", False)
    return Settings(NEO4J_URI=uri, NEO4J_USER="neo4j", NEO4J_PASSWORD="", **overrides)


@pytest_asyncio.fixture(scope="session")
async def store(neo4j_uri: str) -> AsyncIterator[Store]:
    s = Store.connect(neo4j_uri, "neo4j", "", "neo4j")
    await s.migrate()
    yield s
    await s.close()


class Database:
    """The test database's contents: the demo data set, empty, or something a test made."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.state = "unknown"

    async def demo(self) -> None:
        """The demo data set, loaded once and reused by read-only tests."""
        if self.state != "demo":
            await self.store.clear(everything=True)
            report = await import_path(self.store, DEMO)
            assert not report.problems, [p.line() for p in report.problems]
            self.state = "demo"

    async def empty(self) -> None:
        await self.store.clear(everything=True)
        self.state = "dirty"

    async def load(self, doc: dict[str, Any], tmp_path: Path, *, clear: bool = True) -> Any:
        """Imports a document given as a dict (the test's own hand-made graph)."""
        if clear:
            await self.store.clear(everything=True)
        self.state = "dirty"
        path = tmp_path / f"doc-{time.monotonic_ns()}.json"
        path.write_bytes(orjson.dumps({"format": "relgraph-import", "version": 1, **doc}))
        report = await import_path(self.store, path)
        assert not report.problems, [p.line() for p in report.problems]
        return report

    async def shared(self, doc: dict[str, Any], tmp_path: Path) -> None:
        """The document's graph for tests that only read it: imported once, then reused until
        a test writes (which must call `dirty()`) or another graph is loaded."""
        key = "shared:" + hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()
        if self.state != key:
            await self.load(doc, tmp_path)
            self.state = key

    def dirty(self) -> None:
        self.state = "dirty"


_DB: Database | None = None


@pytest_asyncio.fixture
async def db(store: Store) -> Database:
    global _DB
    if _DB is None or _DB.store is not store:
        _DB = Database(store)
    return _DB


class LiveServer:
    """The service in a background thread, on a free port, over real HTTP."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            loop="asyncio",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="session")
def server(neo4j_uri: str) -> Iterator[LiveServer]:
    live = LiveServer(settings_for(neo4j_uri)).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def production(neo4j_uri: str) -> Iterator[LiveServer]:
    """A live server in production mode (API keys and JWTs of tests/principals.py), one per
    test module; a module that needs other settings defines its own `production`."""
    from tests.principals import production_settings  # principals imports this module

    live = LiveServer(production_settings(neo4j_uri)).start()
    yield live
    live.stop()


class GraphQLClient:
    def __init__(self, url: str) -> None:
        self.url = url

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(
                f"{self.url}/graphql",
                json={"query": query, "variables": variables or {}},
                headers=headers or {},
            )
        assert response.status_code in (200, 400), response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(server: LiveServer) -> GraphQLClient:
    return GraphQLClient(server.url)


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    """The data of a response that must have no errors."""
    assert not body.get("errors"), body.get("errors")
    data: dict[str, Any] = body["data"]
    return data


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


async def run_cli(neo4j_uri: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """The command line against the test Neo4j (in a thread: it runs its own event loop)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "")
    get_settings.cache_clear()
    try:
        return await asyncio.to_thread(main, list(args))
    finally:
        get_settings.cache_clear()
