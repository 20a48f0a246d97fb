"""POST /graphql with a JSON body, answered without FastAPI's routing and dependency injection.

Nearly every request the service gets is this one, and for a small query the framework
around it cost more than the query: FastAPI's route matching, its dependency solver (which
builds the context), strawberry's HTTP view (its content-type parsing goes through the
`email` package) and Starlette's response objects came to about two thirds of the CPU of a
`{ __typename }` (issue 16.4; docs/PERFORMANCE.md). This plain ASGI layer takes those
requests and runs the same steps the view runs (`GraphRouter` in app.py), in the same order:

1. the context, with the viewer authenticated from the headers (401 UNAUTHENTICATED, 503
   when a stored key cannot be looked up), as `create_app`'s `get_context`;
2. the body: JSON (orjson), an object, `query`/`variables`/`extensions` of the right types
   (HTTP 400 BAD_REQUEST otherwise), persisted queries resolved by their hash;
3. strawberry's `Schema.execute` with the schema's extensions (limits, observation, error
   codes), the operation types of a POST;
4. the result formatted by `GraphRouter.process_result` (codes, request id), encoded with
   orjson, with the headers and status resolvers set on `context.response`.

It sits inside the other middlewares (request ids, the body limit, the development header)
and FastAPI's server-error handler, as the router did. Everything else goes to FastAPI:
other paths and methods, GET (the GraphiQL page, queries by GET), WebSockets, a content type
other than exactly `application/json`, a mounted root path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from graph_api.domain.errors import Unauthenticated, Unavailable

if TYPE_CHECKING:
    from graph_api.api.app import GraphRouter
    from graph_api.api.context import Context

PATH = "/graphql"
# A POST may carry any operation type (strawberry's OperationType.from_http("POST")).
_POST_OPERATIONS = frozenset(OperationType.from_http("POST"))
_JSON = b"application/json"
_CONTENT_TYPE = b"content-type"
_RESPONSE_HEADERS = (_CONTENT_TYPE, _JSON)


def _is_json(content_type: bytes) -> bool:
    """Exactly `application/json`, with or without parameters (`; charset=utf-8`); any other
    spelling goes the general way, where strawberry's own parsing decides."""
    return content_type.partition(b";")[0].strip() == _JSON


class GraphQLPost:
    """The ASGI layer serving POST /graphql (module docstring); `app` serves the rest."""

    def __init__(
        self,
        app: Any,
        *,
        router: GraphRouter,
        context_getter: Callable[[Request], Awaitable[Context]],
        unauthenticated: Callable[[Request, Unauthenticated], Response],
        unavailable: Callable[[Unavailable], Response],
    ) -> None:
        if router.schema.config.batching_config is not None:
            # Lists of operations would need strawberry's batch handling here too.
            raise ValueError("GraphQLPost does not serve batched requests")
        self.app = app
        self.router = router
        self.schema = router.schema
        self.context_getter = context_getter
        self.unauthenticated = unauthenticated
        self.unavailable = unavailable

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != PATH
            or scope.get("root_path")
        ):
            await self.app(scope, receive, send)
            return
        content_type = next((v for k, v in scope["headers"] if k == _CONTENT_TYPE), None)
        if content_type is None or not _is_json(content_type):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            context = await self.context_getter(request)
        except Unauthenticated as exc:
            await self.unauthenticated(request, exc)(scope, receive, send)
            return
        except Unavailable as exc:
            await self.unavailable(exc)(scope, receive, send)
            return
        # As FastAPI's `response` parameter: resolvers may set headers (Retry-After, an
        # idempotent replay's) and a status on it.
        sub_response = Response()
        del sub_response.headers["content-length"]
        sub_response.status_code = None  # type: ignore[assignment]
        context.request = request
        context.response = sub_response
        try:
            status, body = await self._answer(request, context)
        except Exception as exc:
            error = self.router.error_response(exc)
            if error is None:
                raise
            await error(scope, receive, send)
            return
        headers = [
            (b"content-length", str(len(body)).encode("latin-1")),
            _RESPONSE_HEADERS,
            *sub_response.headers.raw,
        ]
        await send(
            {
                "type": "http.response.start",
                "status": sub_response.status_code or status,
                "headers": headers,
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, request: Request, context: Context) -> tuple[int, bytes]:
        router = self.router
        data = router.parse_json(await request.body())
        if isinstance(data, list):
            router._validate_batch_request(data, protocol="http")  # raises: no batching
        query = data.get("query")
        if not isinstance(query, str | None):
            raise HTTPException(
                400, "The GraphQL operation's `query` must be a string or null, if provided."
            )
        variables = data.get("variables")
        if not isinstance(variables, dict | None):
            raise HTTPException(
                400,
                "The GraphQL operation's `variables` must be an object or null, if provided.",
            )
        extensions = data.get("extensions")
        if not isinstance(extensions, dict | None):
            raise HTTPException(
                400,
                "The GraphQL operation's `extensions` must be an object or null, if provided.",
            )
        request_data = router.persisted.resolve(
            GraphQLRequestData(
                query=query,
                variables=variables,
                operation_name=data.get("operationName"),
                extensions=extensions,
            )
        )
        try:
            result = await self.schema.execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                root_value=None,
                operation_name=request_data.operation_name,
                allowed_operation_types=_POST_OPERATIONS,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason()) from e
        except InvalidOperationTypeError as e:
            raise HTTPException(400, e.as_http_error_reason("POST")) from e
        except MissingQueryError as e:
            raise HTTPException(400, "No GraphQL query found in the request") from e
        response_data = await router.process_result(request, result)
        return 200, router.encode_json(response_data)
