"""The FastAPI application: /graphql, /healthz, /readyz and /metrics."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import orjson
from cross_web import HTTPException
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.middleware.base import RequestResponseEndpoint
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from graph_api import __version__, tracing
from graph_api.api.auth import Authenticator, anonymous
from graph_api.api.context import Context
from graph_api.api.errors import format_error
from graph_api.api.observe import RequestIds, request_id
from graph_api.api.schema import build_schema
from graph_api.config import Settings, get_settings
from graph_api.domain.errors import Unauthenticated, Unavailable
from graph_api.domain.i18n import negotiate
from graph_api.metrics import REGISTRY
from graph_api.store.neo4j_store import Store

log = logging.getLogger("graph_api")

# The code of a request that is not a GraphQL request (no query, not JSON, ...).
BAD_REQUEST = "BAD_REQUEST"

# On every response in development mode, so that nobody mistakes the demo for a secured API.
DEVELOPMENT_HEADER = "X-Graph-API-Mode"
DEVELOPMENT_NOTICE = "development; OPEN: requests without credentials act as an admin"


class GraphRouter(GraphQLRouter[Context, None]):
    """The GraphQL router, answering in UTF-8 JSON (names stay readable: 张立, not \\u5f20)."""

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # Requests that are no GraphQL request at all (no query, a body that is not JSON, a
        # mutation by GET...) get the same JSON shape as any other error, with their status.
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
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

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A document the parser refuses fails before the operation's extensions run, so
        # DomainErrors never saw it: the same formatting here gives every error its code.
        if result.errors:
            result.errors = [
                e if (e.extensions or {}).get("code") else format_error(e) for e in result.errors
            ]
        response = await super().process_result(request, result)
        errors = response.get("errors")
        if errors:
            # A copy: the extensions of cached validation errors are shared between requests.
            rid = request_id()
            for error in errors:
                formatted = cast(dict[str, Any], error)
                formatted["extensions"] = {**(formatted.get("extensions") or {}), "requestId": rid}
        return response


def connect_store(settings: Settings, uri: str | None = None) -> Store:
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
        query_timeout_s=settings.neo4j_query_timeout_s,
    )


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


def create_app(
    settings: Settings | None = None, store: Store | None = None, *, neo4j_uri: str | None = None
) -> FastAPI:
    """The service. Given a store, it uses it (tests); otherwise it connects on start-up."""
    settings = settings or get_settings()
    state: dict[str, Any] = {"store": store}
    # Bad authentication settings stop the service here, before it listens.
    authenticator = Authenticator(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = state["store"] is None
        if owned:
            state["store"] = connect_store(settings, neo4j_uri)
        the_store: Store = state["store"]
        applied = await the_store.migrate()
        log.info("schema migration: %d constraints/indexes ensured", applied)
        tune_garbage_collector(settings.gc_threshold)
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
            if owned:
                await the_store.close()

    app = FastAPI(
        title="Relationship graph service",
        version=__version__,
        lifespan=lifespan,
        docs_url=None if settings.is_production else "/docs",
        redoc_url=None,
    )
    # Before the schema: with tracing on, it gets strawberry's OpenTelemetry extension.
    tracing.configure_tracing()
    schema = build_schema(settings)

    async def get_context(request: Request) -> Context:
        if request.method == "GET" and "query" not in request.query_params:
            # The GraphiQL page runs no query: it loads without credentials, and the
            # queries it then sends are authenticated like any other.
            viewer = anonymous()
        else:
            viewer = authenticator.authenticate(request.headers)
        return Context(
            store=state["store"],
            settings=settings,
            viewer=viewer,
            language=negotiate(request.headers.get("accept-language")),
        )

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        # Before any query runs: HTTP 401, with the body a GraphQL client expects.
        log.info("unauthenticated request from %s: %s", _client(request), exc.message)
        extensions = {**exc.extensions(), "requestId": request_id()}
        return JSONResponse(
            {"data": None, "errors": [{"message": exc.message, "extensions": extensions}]},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="graph-api"'},
        )

    if not settings.is_production:

        @app.middleware("http")
        async def announce_development(
            request: Request, call_next: RequestResponseEndpoint
        ) -> Response:
            response = await call_next(request)
            response.headers[DEVELOPMENT_HEADER] = DEVELOPMENT_NOTICE
            return response

    router = GraphRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
    )
    app.include_router(router, prefix="/graphql")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is up (says nothing of the database)."""
        return {"status": "ok", "version": __version__}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        """Ready when Neo4j answers; 503 with the reason otherwise."""
        try:
            await state["store"].ping()
        except Unavailable as exc:
            return JSONResponse({"status": "unavailable", "reason": exc.message}, 503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        """Prometheus metrics; in production only with the API's own credentials."""
        if settings.is_production:
            authenticator.authenticate(request.headers)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    # Added last, so outermost: every response has the header, a refused body's too.
    app.add_middleware(RequestIds)
    return app


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
