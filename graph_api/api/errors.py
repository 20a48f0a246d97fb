"""Turns exceptions into GraphQL errors with a stable `extensions.code`; masks internal ones."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from graph_api.api.limits import too_complex
from graph_api.domain.errors import DomainError

log = logging.getLogger("graph_api.errors")

INTERNAL_MESSAGE = "Internal server error. It has been logged."

# The parser's message when a document has more tokens than allowed.
_TOKEN_LIMIT = re.compile(r"Document contains more than (\d+) (tokens)")


def format_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, DomainError):
        return GraphQLError(
            original.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=original.extensions(),
        )
    if original is None or isinstance(original, GraphQLError):
        tokens = _TOKEN_LIMIT.search(error.message)
        if tokens is not None:
            # A limit the client can respect, not a malformed query.
            limit, what = int(tokens.group(1)), tokens.group(2)
            return GraphQLError(
                f"the query document has more than {limit} {what} (GRAPH_API_MAX_TOKENS)",
                extensions=too_complex("GRAPH_API_MAX_TOKENS", limit),
            )
        # Syntax and validation errors (unknown field, bad enum literal, wrong type...).
        ext = dict(error.extensions or {})
        ext.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=ext,
        )
    log.error("internal error at %s: %s", error.path, original, exc_info=original)
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR"},
    )


# Errors after which the client should wait before retrying: their `retryAfter` (seconds)
# also goes into an HTTP Retry-After header.
_RETRY_LATER = frozenset({"SERVICE_UNAVAILABLE", "COMMIT_UNKNOWN"})


class DomainErrors(SchemaExtension):
    """Formats every error of an operation once it has run."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [format_error(e) for e in errors]
            waits = [
                int(ext.get("retryAfter", 1))
                for ext in (e.extensions or {} for e in result.errors)
                if ext.get("code") in _RETRY_LATER
            ]
            response = getattr(self.execution_context.context, "response", None)
            if waits and response is not None:
                response.headers["Retry-After"] = str(max(waits))
