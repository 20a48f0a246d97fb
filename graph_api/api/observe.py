"""Per-request observation: the request id, the time budget, metrics and the slow-request log.

Kept to a few microseconds a request (the service is benchmarked per request): one ASGI
middleware and one operation-level GraphQL extension, no per-resolver hook; the per-query
work is in the store (graph_api/store/neo4j_store.py, `_Observed`).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from graph_api.config import Settings
from graph_api.domain.errors import DomainError
from graph_api.logs import FIELDS, OPERATION, REQUEST_ID
from graph_api.metrics import field_seconds, http_responses, operation_label, requests
from graph_api.store.neo4j_store import start_request_work

log = logging.getLogger("graph_api.requests")

REQUEST_ID_HEADER = "X-Request-Id"
_HEADER_KEY = b"x-request-id"
# A client's request id is echoed only if it is a plain token (it goes into headers, logs).
_CLIENT_ID = re.compile(rb"^[A-Za-z0-9._:\-]{1,128}$")
_KNOWN_PATHS = frozenset(("/graphql", "/metrics", "/healthz", "/readyz"))
OK = "OK"
# Made ids: random per process, then a counter (unique without a system call per request).
_ID_PREFIX = os.urandom(4).hex()
_ID_COUNTER = itertools.count(1)


def request_id() -> str | None:
    """The id of the request in flight (for error extensions)."""
    return REQUEST_ID.get()


class RequestIds:
    """Takes the request id from X-Request-Id or makes one, keeps it for the logs and
    errors of the request, echoes it in the response header; counts responses by status."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == _HEADER_KEY), None)
        if given is not None and _CLIENT_ID.match(given):
            rid, raw = given.decode("ascii"), given
        else:
            rid = f"{_ID_PREFIX}{next(_ID_COUNTER):08x}"
            raw = rid.encode("ascii")
        header = (_HEADER_KEY, raw)
        path = scope["path"] if scope["path"] in _KNOWN_PATHS else "_other"
        token = REQUEST_ID.set(rid)

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
                http_responses(path, str(message["status"])).inc()
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)


def outcome(errors: list[GraphQLError] | None) -> str:
    """OK, or the code of the first error."""
    if not errors:
        return OK
    first = errors[0]
    code = (first.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    original = first.original_error
    if isinstance(original, DomainError):
        return original.code
    return "GRAPHQL_VALIDATION_FAILED" if original is None else "INTERNAL_SERVER_ERROR"


# Top-level field names per parsed document (the parser cache gives the same text the
# same document object, so a document is looked at once), bounded.
_ROOT_FIELDS: dict[int, tuple[DocumentNode, str | None, tuple[str, ...]]] = {}
_ROOT_FIELDS_SIZE = 512


def root_fields(document: DocumentNode, operation_name: str | None) -> tuple[str, ...]:
    cached = _ROOT_FIELDS.get(id(document))
    if cached is not None and cached[0] is document and cached[1] == operation_name:
        return cached[2]
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    names: tuple[str, ...] = ()
    if len(operations) == 1:
        names = tuple(
            sorted(
                {
                    s.name.value
                    for s in operations[0].selection_set.selections
                    if isinstance(s, FieldNode) and not s.name.value.startswith("__")
                }
            )
        )
    if len(_ROOT_FIELDS) >= _ROOT_FIELDS_SIZE:
        _ROOT_FIELDS.clear()
    _ROOT_FIELDS[id(document)] = (document, operation_name, names)
    return names


class Observe(SchemaExtension):
    """Around each operation: the time budget of its database work, the operation's name
    for the logs, then its metrics and, past GRAPH_API_SLOW_REQUEST_MS, a slow-request line.

    Listed first among the extensions, it finishes last: errors have their codes by then."""

    def __init__(self, settings: Settings) -> None:
        self.budget_s = settings.request_timeout_s
        self.slow_s = settings.slow_request_ms / 1000

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        work = start_request_work(self.budget_s)
        ctx = self.execution_context
        # The name the client gave (operationName), for the log lines of its resolvers; one
        # taken from the document is known only after parsing, and named in the slow line.
        OPERATION.set(ctx.operation_name)
        yield
        elapsed = time.perf_counter() - started
        name = ctx.operation_name
        result = ctx.result
        code = outcome(result.errors if result is not None else None)
        requests(operation_label(name), code).inc()
        document = ctx.graphql_document
        fields = root_fields(document, ctx.operation_name) if document is not None else ()
        for field in fields:
            field_seconds(field).observe(elapsed)
        if elapsed >= self.slow_s:
            log.warning(
                "slow request: operation %s (%s) took %.0f ms, %d database round trips: %s",
                name or "anonymous",
                ", ".join(fields) or "no field",
                elapsed * 1000,
                len(work.queries),
                ", ".join(work.queries) or "none",
                extra={
                    FIELDS: {
                        "operation": name,
                        "durationMs": round(elapsed * 1000, 1),
                        "fields": list(fields),
                        "queries": work.queries,
                        "outcome": code,
                    }
                },
            )


def observe_extension(settings: Settings) -> Any:
    return lambda: Observe(settings)
