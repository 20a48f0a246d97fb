"""The FastAPI application: /graphql, /healthz, /readyz, /metrics and the web pages."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import re
from collections.abc import AsyncIterator
from concurrent.futures import Future
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, Protocol, cast

import orjson
from cross_web import HTTPException
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from graphql.error import GraphQLError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import HTTPConnection
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from graph_api import __version__, tracing
from graph_api.api.auth import API_KEY_HEADER, Authenticator, anonymous
from graph_api.api.context import Context
from graph_api.api.endpoint import GraphQLPost
from graph_api.api.errors import format_error
from graph_api.api.observe import RequestIds, request_id
from graph_api.api.pages import graphiql_page, mount_pages
from graph_api.api.persisted import PersistedQueries, PersistedQueryNotFound
from graph_api.api.schema import build_schema
from graph_api.config import Settings, get_settings
from graph_api.domain.errors import InvalidInput, Unauthenticated, Unavailable
from graph_api.domain.i18n import negotiate
from graph_api.metrics import REGISTRY
from graph_api.services import feed, idempotency, webhooks
from graph_api.services.analysis_cache import AnalysisCache
from graph_api.services.analysis_processes import AnalysisProcesses, Connection, default_processes
from graph_api.store.neo4j_store import RETRY_AFTER_S, Store


class LocalNeo4jState(Protocol):
    """What /readyz reports of a local Neo4j: the LocalNeo4j this process started, or in a
    worker the parent's, relayed (graph_api/api/workers.py)."""

    @property
    def uri(self) -> str | None: ...
    @property
    def ready(self) -> bool: ...
    @property
    def restarts(self) -> int: ...
    @property
    def down_reason(self) -> str | None: ...


log = logging.getLogger("graph_api")
_PID = os.getpid()

# The code of a request that is not a GraphQL request (no query, not JSON, ...).
BAD_REQUEST = "BAD_REQUEST"

# On every response in development mode, so that nobody mistakes the demo for a secured API.
DEVELOPMENT_HEADER = "X-Graph-API-Mode"
DEVELOPMENT_NOTICE = "development; OPEN: requests without credentials act as an admin"


_CREDENTIAL_HEADERS = (API_KEY_HEADER, "authorization")


class GraphRouter(GraphQLRouter[Context, None]):
    """The GraphQL router, answering in UTF-8 JSON (names stay readable: 张立, not \\u5f20)."""

    # With introspection off, validation messages keep their "Did you mean 'name'?" hints
    # to themselves: they would spell out the schema one typo at a time.
    hide_schema_hints = False
    # Automatic persisted queries; create_app sizes the store from the settings.
    persisted = PersistedQueries(0)

    authenticator: Authenticator | None = None

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticates a WebSocket as an HTTP request: the credentials in the
        connection_init payload (`X-API-Key` or `Authorization`, as the headers), else in
        the handshake's headers. Refused: the socket closes with 4403."""
        assert self.authenticator is not None
        request = context.request
        headers = {k.lower(): v for k, v in (request.headers.items() if request else ())}
        given = {
            k.lower(): v
            for k, v in (context.connection_params or {}).items()
            if isinstance(v, str) and k.lower() in _CREDENTIAL_HEADERS
        }
        if given:
            headers = {k: v for k, v in headers.items() if k not in _CREDENTIAL_HEADERS}
            headers.update(given)
        try:
            context.viewer = self.authenticator.authenticate(headers)
        except Unauthenticated as exc:
            log.info("unauthenticated WebSocket: %s", exc.message)
            raise ConnectionRejectionError({"message": exc.message, "code": exc.code}) from None
        context.cache.clear()
        return cast(UnsetType, UNSET)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    @property
    def graphql_ide_html(self) -> str:
        # strawberry's page loads GraphiQL from unpkg.com: blank without internet.
        return graphiql_page()

    def parse_json(self, data: str | bytes) -> Any:
        # orjson refuses invalid UTF-8 and nesting deeper than 1,024 levels as a decode
        # error, where the json module raised UnicodeDecodeError or RecursionError (HTTP 500).
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise HTTPException(400, f"the request body is not JSON: {exc}") from None
        if not isinstance(parsed, dict | list):
            # A bare scalar (null, 42, "x") is JSON, but no GraphQL request.
            raise HTTPException(
                400,
                "the request body must be a JSON object with a `query`, "
                f"not {type(parsed).__name__ if parsed is not None else 'null'}",
            )
        return parsed

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A persisted query by GET has no `query` parameter, only its hash in `extensions`.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def parse_http_body(self, request: Any) -> Any:
        data = await super().parse_http_body(request)
        if isinstance(data, list):
            return [self.persisted.resolve(item) for item in data]
        return self.persisted.resolve(data)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # Requests that are no GraphQL request at all (no query, a body that is not JSON, a
        # mutation by GET...) get the same JSON shape as any other error, with their status.
        try:
            return await super().run(request, context=context, root_value=root_value)
        except (PersistedQueryNotFound, InvalidInput, HTTPException) as exc:
            response = self.error_response(exc)
            assert response is not None
            return response

    @staticmethod
    def error_response(exc: Exception) -> JSONResponse | None:
        """The answer to a request refused before its operation ran (also by the POST path,
        graph_api/api/endpoint.py); None for any other exception."""
        if isinstance(exc, PersistedQueryNotFound):
            # HTTP 200, as Apollo answers it: clients then resend the hash with the text.
            return _error_response(str(exc), exc.extensions(), 200)
        if isinstance(exc, InvalidInput):
            return _error_response(exc.message, exc.extensions(), 400)
        if isinstance(exc, HTTPException):
            return JSONResponse(
                {
                    "data": None,
                    "errors": [
                        {
                            "message": exc.reason,
                            "extensions": {"code": BAD_REQUEST, "requestId": request_id()},
                        }
                    ],
                },
                status_code=exc.status_code,
            )
        return None

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A document the parser refuses fails before the operation's extensions run, so
        # DomainErrors never saw it: the same formatting here gives every error its code.
        if result.errors:
            result.errors = [
                e if (e.extensions or {}).get("code") else format_error(e) for e in result.errors
            ]
            if self.hide_schema_hints:
                result.errors = [without_schema_hints(e) for e in result.errors]
        response = await super().process_result(request, result)
        errors = response.get("errors")
        if errors:
            # A copy: the extensions of cached validation errors are shared between requests.
            rid = request_id()
            for error in errors:
                formatted = cast(dict[str, Any], error)
                formatted["extensions"] = {**(formatted.get("extensions") or {}), "requestId": rid}
        return response


def unauthenticated_response(request: Request, exc: Unauthenticated) -> JSONResponse:
    """Before any query runs: HTTP 401, with the body a GraphQL client expects."""
    log.info("unauthenticated request from %s: %s", _client(request), exc.message)
    extensions = {**exc.extensions(), "requestId": request_id()}
    return JSONResponse(
        {"data": None, "errors": [{"message": exc.message, "extensions": extensions}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="graph-api"'},
    )


def unavailable_response(exc: Unavailable) -> JSONResponse:
    """A stored API key could not be looked up: the database is down, nothing ran (503)."""
    extensions = {**exc.extensions(), "requestId": request_id()}
    return JSONResponse(
        {"data": None, "errors": [{"message": exc.message, "extensions": extensions}]},
        status_code=503,
        headers={"Retry-After": str(exc.retry_after_s)},
    )


def _error_response(message: str, extensions: dict[str, Any], status: int) -> JSONResponse:
    return JSONResponse(
        {
            "data": None,
            "errors": [
                {"message": message, "extensions": {**extensions, "requestId": request_id()}}
            ],
        },
        status_code=status,
    )


_SCHEMA_HINT = re.compile(r" Did you mean .*\?$", re.DOTALL)


def without_schema_hints(error: GraphQLError) -> GraphQLError:
    message = _SCHEMA_HINT.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=error.extensions,
    )


def connect_store(settings: Settings, uri: str | None = None, *, job: bool = False) -> Store:
    """The store of the service's requests, or with `job` of a command (the CLI's): each of its
    queries then runs under `GRAPH_API_NEO4J_JOB_TIMEOUT_S` instead of the interactive
    `GRAPH_API_NEO4J_QUERY_TIMEOUT_S`."""
    target = uri or settings.neo4j_uri
    if not target:
        raise RuntimeError("no Neo4j URI: set NEO4J_URI or let `graph-api serve` start one")
    return Store.connect(
        target,
        settings.neo4j_user,
        settings.neo4j_password,
        settings.neo4j_database,
        pool_size=settings.neo4j_pool_size,
        connection_timeout_s=settings.neo4j_connection_timeout_s,
        query_timeout_s=settings.neo4j_job_timeout_s if job else settings.neo4j_query_timeout_s,
        wait_s=settings.db_wait_s,
        job_timeout_s=settings.neo4j_job_timeout_s,
    )


def _connection(settings: Settings, state: dict[str, Any]) -> Connection:
    """How the analysis processes connect: as the serving process's store."""
    store: Store = state["store"]
    return Connection(
        uri=store.uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=store.database,
        pool_size=settings.neo4j_pool_size,
        connection_timeout_s=settings.neo4j_connection_timeout_s,
        query_timeout_s=store.query_timeout_s,
        wait_s=store.retry_time_s,
        cache_size=settings.deciders_cache_size,
        gc_threshold=settings.gc_threshold,
        nice=settings.analysis_nice,
    )


def _analysis_started(ready: Future[int]) -> None:
    """Logs an analysis process that could not start (it is started again on its first
    question, as it would be without `start_analysis`). A database it cannot reach is not
    logged again: the service says that once, and /readyz says it until it is back."""
    if ready.cancelled():
        return
    error = ready.exception()
    if error is not None and not isinstance(error, Unavailable):
        log.warning("an analysis process did not start: %s", error)


def tune_garbage_collector(threshold: int) -> None:
    """Fewer collections of the young generation, and none of what start-up made.

    Everything alive once the service is up (the schema, the modules) lives as long as the
    process: frozen, the collector no longer walks it; and a request's answer is freed by
    reference counting, not by the cycle collector, so collecting after every 700 new
    objects only cost time (a third of a 2,000-person keyDeciders request).
    """
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(threshold, middle, oldest)


# How often the service retries its start-up migration while the database is unreachable,
# and prunes expired idempotency keys.
_MIGRATE_RETRY_S = 2.0
_PRUNE_EVERY_S = 600.0
_PRUNE_FEED_EVERY_S = 3600.0
_REFRESH_DUE_EVERY_S = 300.0


async def _migrate_when_reachable(
    store: Store, state: dict[str, Any], first_attempt: asyncio.Event
) -> None:
    """The schema migration, retried until the database answers: the service starts (and
    /readyz answers 503 with the reason) while it does not."""
    while True:
        try:
            applied = await store.migrate()
        except Unavailable as exc:
            if state["not_ready"] is None:
                log.error("%s; serving anyway, /readyz answers 503 until it is", exc.message)
            state["not_ready"] = exc.message
            first_attempt.set()
            await asyncio.sleep(_MIGRATE_RETRY_S)
            continue
        except BaseException:
            first_attempt.set()  # start-up then fails with the migration's error
            raise
        first_attempt.set()
        if state["not_ready"] is not None:
            log.info("Neo4j at %s is reachable again", store.uri or "the configured URI")
        state["not_ready"] = None
        log.info("schema migration: %d constraints/indexes ensured", applied)
        return


async def _prune_idempotency_keys(store: Store, retention: timedelta) -> None:
    while True:
        with contextlib.suppress(Unavailable):
            deleted = await idempotency.prune(store, retention)
            if deleted:
                log.info("pruned %d idempotency keys older than %s", deleted, retention)
        await asyncio.sleep(_PRUNE_EVERY_S)


async def _refresh_due_portfolio(store: Store) -> None:
    """Parties whose interaction dated ahead has come get their follow-up day (the sleeping
    lists read it): the migration did today's at start-up; then every few minutes, so a new
    day's are current minutes after midnight (UTC). Every replica runs it: a second refresh
    of the same parties finds none due."""
    while True:
        await asyncio.sleep(_REFRESH_DUE_EVERY_S)
        with contextlib.suppress(Unavailable):
            done = await store.refresh_due()
            if done:
                log.info("portfolio: %d parties refreshed on the day of their interaction", done)


async def _prune_feed(store: Store, settings: Settings) -> None:
    """The change feed's retention (every replica runs it: pruning twice deletes nothing)."""
    while True:
        with contextlib.suppress(Unavailable):
            cutoff = feed.retention_cutoff(settings)
            upto = await feed.prune_feed(store, cutoff)
            if upto:
                log.info("pruned the change feed up to position %d", upto)
            for hook, url, cursor in await webhooks.holding_back(store, cutoff):
                log.warning(
                    "webhook %s (%s) holds the change feed's retention back at position %d: "
                    "older changes it has not delivered yet are kept",
                    hook,
                    url,
                    cursor,
                )
            await webhooks.prune_deliveries(store, cutoff)
        await asyncio.sleep(_PRUNE_FEED_EVERY_S)


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    neo4j_uri: str | None = None,
    local: LocalNeo4jState | None = None,
    unreachable: str | None = None,
    start_analysis: bool = False,
) -> FastAPI:
    """The service. Given a store, it uses it (tests); otherwise it connects on start-up.
    `local`: the local Neo4j it started and supervises (reported by /readyz).
    `start_analysis`: start the analysis processes with the app (`graph-api serve`) rather
    than on their first question."""
    settings = settings or get_settings()
    # `unreachable`: why the database could not be migrated, already said by the parent of
    # this worker (then not said again by every worker).
    state: dict[str, Any] = {"store": store, "not_ready": unreachable}
    # Bad authentication settings stop the service here, before it listens.
    authenticator = Authenticator(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = state["store"] is None
        if owned:
            state["store"] = connect_store(settings, neo4j_uri)
        the_store: Store = state["store"]
        if local is not None:
            the_store.known_down = lambda: None if local.ready else local.down_reason
        first_attempt = asyncio.Event()
        migration = asyncio.create_task(_migrate_when_reachable(the_store, state, first_attempt))
        # Serving waits for the constraints (uniqueness makes retried creates safe), unless
        # the database is unreachable: then it serves, not ready, and migrates later.
        await first_attempt.wait()
        if migration.done() and migration.exception() is not None:
            raise RuntimeError("the schema migration failed") from migration.exception()
        retention = timedelta(hours=settings.idempotency_retention_hours)
        pruning = asyncio.create_task(_prune_idempotency_keys(the_store, retention))
        feed_pruning = asyncio.create_task(_prune_feed(the_store, settings))
        refreshing = asyncio.create_task(_refresh_due_portfolio(the_store))
        # Webhook deliveries: every process runs a worker; leases in Neo4j make each
        # webhook delivered by one of them at a time.
        worker = webhooks.DeliveryWorker(the_store, settings) if settings.webhook_worker else None
        delivering = asyncio.create_task(worker.run()) if worker is not None else None
        tune_garbage_collector(settings.gc_threshold)
        if start_analysis and analysis is not None:
            for ready in analysis.start():
                ready.add_done_callback(_analysis_started)
        if not settings.is_production:
            log.warning(
                "DEVELOPMENT MODE: the API is OPEN, every request without credentials acts "
                "as an admin; set GRAPH_API_MODE=production for authentication"
            )
        elif not authenticator.configured:
            log.error(
                "PRODUCTION MODE WITHOUT CREDENTIALS: every request is refused (401 "
                "UNAUTHENTICATED) because %s",
                authenticator.not_configured_message(),
            )
        else:
            log.info("production mode: authentication by %s", authenticator.describe())
        try:
            yield
        finally:
            for task in (migration, pruning, feed_pruning, refreshing, delivering):
                if task is None:
                    continue
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if worker is not None:
                await worker.close()
            if analysis is not None:
                analysis.close()
            if owned:
                await the_store.close()

    app = FastAPI(
        title="Relationship graph service",
        version=__version__,
        lifespan=lifespan,
        # Swagger UI and ReDoc load from a CDN and would document only /graphql.
        docs_url=None,
        redoc_url=None,
        # The OpenAPI document describes the endpoints: hidden with the schema.
        openapi_url="/openapi.json" if settings.introspection_enabled else None,
    )
    # Before the schema: with tracing on, it gets strawberry's OpenTelemetry extension.
    tracing.configure_tracing()
    schema = build_schema(settings)
    processes = settings.analysis_processes
    if processes is None:
        processes = default_processes(settings.workers)
    analysis = (
        AnalysisProcesses(processes, lambda: _connection(settings, state)) if processes else None
    )
    # With analysis processes, each keeps its own cache of analyses.
    analyses = (
        AnalysisCache(settings.deciders_cache_size)
        if settings.deciders_cache_size and analysis is None
        else None
    )

    async def get_context(request: HTTPConnection) -> Context:
        if request.scope["type"] == "websocket":
            # Authenticated in `on_ws_connect`, once the connection_init payload (which may
            # carry the credentials) has arrived; until then it may do nothing.
            viewer = anonymous()
        elif (
            isinstance(request, Request)
            and request.method == "GET"
            and not ("query" in request.query_params or "extensions" in request.query_params)
        ):
            # The GraphiQL page runs no query: it loads without credentials, and the
            # queries it then sends are authenticated like any other.
            viewer = anonymous()
        else:
            viewer = await authenticator.authenticate_with(request.headers, state["store"])
        return Context(
            store=state["store"],
            settings=settings,
            viewer=viewer,
            keys=authenticator.stored,
            language=negotiate(request.headers.get("accept-language")),
            analyses=analyses,
            analysis=analysis,
        )

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        return unauthenticated_response(request, exc)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable) -> JSONResponse:
        return unavailable_response(exc)

    router = GraphRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
    )
    router.hide_schema_hints = not settings.introspection_enabled
    router.persisted = PersistedQueries(settings.persisted_queries)
    router.authenticator = authenticator
    app.include_router(router, prefix="/graphql")
    # POST /graphql without FastAPI's routing and dependency injection (the hot path, the
    # same steps as the router's); the innermost middleware, so every other one wraps it.
    app.add_middleware(
        GraphQLPost,
        router=router,
        context_getter=get_context,
        unauthenticated=unauthenticated_response,
        unavailable=unavailable_response,
    )
    if not settings.is_production:
        app.add_middleware(DevelopmentNotice)

    @app.get("/healthz")
    async def healthz() -> dict[str, str | int]:
        """The process is up (says nothing of the database); `worker`: the process that
        answered (with `serve --workers N`, one of N)."""
        return {"status": "ok", "version": __version__, "worker": _PID}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        """Ready when Neo4j answers and the schema is migrated; 503 with the reason otherwise
        (and a Retry-After). With a local Neo4j, its state and automatic restarts."""
        body: dict[str, Any] = {}
        if local is not None:
            body["localNeo4j"] = {
                "uri": local.uri,
                "ready": local.ready,
                "restarts": local.restarts,
            }
        reason: str | None = None
        if local is not None and not local.ready:
            reason = local.down_reason or "the local Neo4j is not running"
        else:
            try:
                await state["store"].ping()
            except Unavailable as exc:
                reason = exc.message
            else:
                reason = state["not_ready"] and f"schema migration pending: {state['not_ready']}"
        if reason:
            return JSONResponse(
                {"status": "unavailable", "reason": reason, **body},
                503,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        return JSONResponse({"status": "ready", **body})

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        """Prometheus metrics; in production only with the API's own credentials."""
        if settings.is_production:
            await authenticator.authenticate_with(request.headers, state["store"])
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    # For whoever reports on the process (metrics): the local Neo4j, with its `restarts`.
    app.state.local_neo4j = local
    mount_pages(app, settings)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    # Added last, so outermost: every response has the header, a refused body's too.
    app.add_middleware(RequestIds)
    return app


class DevelopmentNotice:
    """Adds the development-mode header to every HTTP response. A plain ASGI middleware: a
    Starlette `@app.middleware("http")` runs each request in a task group of its own, which
    cost more than answering `{ __typename }`."""

    _HEADER = (DEVELOPMENT_HEADER.lower().encode("ascii"), DEVELOPMENT_NOTICE.encode("ascii"))

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_notice(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self._HEADER]
            await send(message)

        await self.app(scope, receive, send_with_notice)


class BodyLimit:
    """Refuses a request body over `limit` bytes with HTTP 413 before the application sees
    it: by its Content-Length, or, for a body sent without one (chunked), by reading it up
    to the limit first (a GraphQL request is read whole anyway) and replaying it."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        if length is not None:
            if length.isdigit() and int(length) > self.limit:
                await self._refuse(send, int(length))
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send, size)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Any, size: int) -> None:
        message = (
            f"the request body ({size} bytes or more) is larger than "
            f"GRAPH_API_MAX_REQUEST_BYTES = {self.limit}"
        )
        body = orjson.dumps(
            {
                "data": None,
                "errors": [
                    {
                        "message": message,
                        "extensions": {
                            "code": "QUERY_TOO_COMPLEX",
                            "limit": "GRAPH_API_MAX_REQUEST_BYTES",
                            "maximum": self.limit,
                            "value": size,
                            "requestId": request_id(),
                        },
                    }
                ],
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _client(request: Request) -> str:
    return f"{request.client.host}:{request.client.port}" if request.client else "unknown"
