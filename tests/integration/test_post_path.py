"""POST /graphql's own ASGI path (graph_api/api/endpoint.py) answers as the FastAPI route did.

The same requests go to the service as built (POST /graphql served by `GraphQLPost`) and to
the same service with that layer taken out (FastAPI's route and strawberry's view, the path
every POST took before issue 16.4): status, body and headers must be equal, the request ids
aside (made per request). The requests cover each way a POST ends: an answer, a resolver's
INVALID_INPUT, a validation error, a limit, a persisted query unknown and known, a bad hash,
bodies that are not GraphQL requests (not JSON, a scalar, a list, a wrong `query` type), no
query, an unknown operation name, a subscription by POST, and in production no credentials,
an unknown key and a good key.
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import orjson
import pytest

from graph_api.api.app import create_app
from graph_api.api.endpoint import GraphQLPost
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, settings_for
from tests.principals import KEYS, production_settings

VIEW = '{ party(id: "p-zhang-cuishan") { id name } }'
APQ_TEXT = "{ __typename }"
APQ_HASH = hashlib.sha256(APQ_TEXT.encode()).hexdigest()

# (body, extra headers); a body that is bytes is sent as it is.
REQUESTS: list[tuple[Any, dict[str, str]]] = [
    ({"query": "{ __typename }"}, {}),
    ({"query": VIEW}, {}),
    ({"query": VIEW}, {"content-type": "application/json; charset=utf-8"}),
    ({"query": "query Q($id: ID!) { party(id: $id) { id } }", "variables": {"id": ""}}, {}),
    ({"query": "{ party(id: 1) { nope } }"}, {}),
    ({"query": "{ " + "a: __typename " * 200 + "}"}, {}),
    ({"query": "{ __typename }", "operationName": "Missing"}, {}),
    ({"query": 'subscription { changes(types: ["people"]) { cursor } }'}, {}),
    ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}, {}),
    (
        {
            "query": APQ_TEXT,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": APQ_HASH}},
        },
        {},
    ),
    ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": APQ_HASH}}}, {}),
    ({"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 2}}}, {}),
    (b"{not json", {}),
    (b"42", {}),
    (b"[]", {}),
    ([{"query": "{ __typename }"}], {}),
    ({"query": 7}, {}),
    ({"query": "{ __typename }", "variables": [1]}, {}),
    ({"query": "{ __typename }", "extensions": "x"}, {}),
    ({}, {}),
]

PRODUCTION_REQUESTS: list[tuple[Any, dict[str, str]]] = [
    ({"query": "{ __typename }"}, {}),
    ({"query": "{ __typename }"}, {"x-api-key": "not-a-key"}),
    ({"query": "{ __typename }"}, {"x-api-key": KEYS["admin"], "authorization": "Bearer x"}),
    ({"query": VIEW}, {"x-api-key": KEYS["admin"]}),
    ({"query": VIEW}, {"x-api-key": KEYS["rep-b1"]}),
]


def without_post_path(app: Any) -> Any:
    """The same service with POST /graphql left to FastAPI's route."""
    app.user_middleware = [m for m in app.user_middleware if m.cls is not GraphQLPost]
    app.middleware_stack = None
    return app


def comparable(response: httpx.Response) -> tuple[int, Any, list[tuple[str, str]]]:
    body: Any = response.content
    if response.headers.get("content-type", "").startswith("application/json"):
        body = orjson.loads(response.content)
        for error in body.get("errors") or () if isinstance(body, dict) else ():
            error.get("extensions", {}).pop("requestId", None)
    headers = sorted(
        (k, v) for k, v in response.headers.items() if k not in ("x-request-id", "content-length")
    )
    return response.status_code, body, headers


async def answers(app: Any, requests: list[tuple[Any, dict[str, str]]]) -> list[Any]:
    out = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for body, headers in requests:
            content = body if isinstance(body, bytes) else orjson.dumps(body)
            response = await client.post(
                "/graphql",
                content=content,
                headers={"content-type": "application/json", **headers},
            )
            out.append(comparable(response))
    return out


def test_the_service_serves_post_by_its_own_path(neo4j_uri: str) -> None:
    app = create_app(settings_for(neo4j_uri), store=None)
    assert [m.cls for m in app.user_middleware][-1] is GraphQLPost  # the innermost


@pytest.mark.parametrize("mode", ["development", "production"])
async def test_post_answers_as_the_fastapi_route(
    mode: str, neo4j_uri: str, store: Store, db: Database
) -> None:
    await db.demo()
    if mode == "development":
        settings, requests = settings_for(neo4j_uri), REQUESTS
    else:
        settings, requests = production_settings(neo4j_uri), PRODUCTION_REQUESTS
    fast = await answers(create_app(settings, store), requests)
    general = await answers(without_post_path(create_app(settings, store)), requests)
    for (body, headers), ours, theirs in zip(requests, fast, general, strict=True):
        assert ours == theirs, (body, headers)
    statuses = {status for status, _, _ in fast}
    # The requests reach each kind of answer (so that the comparison means something).
    assert {200, 400} <= statuses if mode == "development" else {200, 401} <= statuses
