"""Automatic persisted queries over real HTTP (Apollo's protocol): a hash alone, an unknown
hash, the hash with its text, a hash that does not match, GET and POST, the bounded store."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import orjson
import pytest
from strawberry.http import GraphQLRequestData

from graph_api.api.persisted import PersistedQueries, PersistedQueryNotFound
from graph_api.domain.errors import InvalidInput
from tests.conftest import Database, LiveServer, data_of, error_codes

QUERY = '{ party(id: "p-zhang-li") { id name } }'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def persisted(sha256_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}}


async def post(server: LiveServer, body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.post(f"{server.url}/graphql", json=body)


async def get(server: LiveServer, params: dict[str, Any]) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in params.items()}
    async with httpx.AsyncClient(timeout=30) as client:
        # curl's and browsers' Accept: GraphiQL's page must not answer a persisted query.
        return await client.get(f"{server.url}/graphql", params=encoded, headers={"accept": "*/*"})


async def test_unknown_hash_then_text_then_hash_alone(db: Database, server: LiveServer) -> None:
    await db.demo()
    # A text no other test sends: the store is the live server's, shared by the session.
    query = QUERY + " # apq post"
    digest = sha256(query)
    first = await post(server, {"extensions": persisted(digest)})
    assert first.status_code == 200
    body = first.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["PersistedQueryNotFound"]
    assert error_codes(body) == ["PERSISTED_QUERY_NOT_FOUND"]
    # The client resends with the text: answered, and remembered.
    with_text = await post(server, {"query": query, "extensions": persisted(digest)})
    assert data_of(with_text.json())["party"] == {"id": "p-zhang-li", "name": "张立"}
    alone = await post(server, {"extensions": persisted(digest)})
    assert alone.json() == with_text.json()


async def test_by_get_with_variables(db: Database, server: LiveServer) -> None:
    await db.demo()
    query = "query One($id: ID!) { party(id: $id) { id name } } # apq get"
    digest = sha256(query)
    params = {"variables": {"id": "p-li-na"}, "extensions": persisted(digest)}
    missing = await get(server, params)
    assert missing.status_code == 200
    assert error_codes(missing.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    answered = await get(server, {**params, "query": query})
    assert data_of(answered.json())["party"]["id"] == "p-li-na"
    by_hash = await get(server, params)
    assert by_hash.headers["content-type"].startswith("application/json")
    assert data_of(by_hash.json())["party"]["id"] == "p-li-na"
    # Learnt by GET, used by POST: one store.
    posted = await post(server, {"variables": {"id": "p-li-na"}, "extensions": persisted(digest)})
    assert posted.json() == by_hash.json()


async def test_a_mutation_by_hash_over_get_is_refused(db: Database, server: LiveServer) -> None:
    await db.demo()
    mutation = 'mutation { deleteParty(id: "p-li-na") { id } } # apq'
    digest = sha256(mutation)
    # Learnt by POST (the validation error is the mutation's own: no such field), then by GET:
    # GET never runs a mutation, whether the text comes with it or from the store.
    await post(server, {"query": mutation, "extensions": persisted(digest)})
    refused = await get(server, {"extensions": persisted(digest)})
    assert refused.status_code in (400, 405)
    assert refused.json()["data"] is None


@pytest.mark.parametrize(
    ("extensions", "field"),
    [
        ({"persistedQuery": {"version": 1, "sha256Hash": sha256("{ __typename }")}}, "sha256Hash"),
        ({"persistedQuery": {"version": 2, "sha256Hash": sha256(QUERY)}}, "version"),
        ({"persistedQuery": {"version": 1, "sha256Hash": "abc"}}, "sha256Hash"),
        ({"persistedQuery": {"version": 1, "sha256Hash": sha256(QUERY).upper()}}, "sha256Hash"),
        ({"persistedQuery": "yes"}, None),
    ],
)
async def test_bad_persisted_query_extension(
    server: LiveServer, extensions: dict[str, Any], field: str | None
) -> None:
    response = await post(server, {"query": QUERY, "extensions": extensions})
    assert response.status_code == 400
    body = response.json()
    assert error_codes(body) == ["INVALID_INPUT"]
    expected = "extensions.persistedQuery" + (f".{field}" if field else "")
    assert body["errors"][0]["extensions"]["field"] == expected
    assert body["errors"][0]["extensions"]["requestId"]


def test_mismatch_names_the_right_hash() -> None:
    store = PersistedQueries(4)
    with pytest.raises(InvalidInput) as raised:
        store.resolve(GraphQLRequestData(QUERY, None, None, persisted(sha256("{ __typename }"))))
    assert sha256(QUERY) in raised.value.message
    assert len(store) == 0


def test_the_store_is_bounded_least_recently_used_out() -> None:
    store = PersistedQueries(2)
    texts = [f"{{ __typename }} # {i}" for i in range(3)]

    def send(text: str, with_text: bool = True) -> GraphQLRequestData:
        return store.resolve(
            GraphQLRequestData(text if with_text else None, None, None, persisted(sha256(text)))
        )

    send(texts[0])
    send(texts[1])
    assert send(texts[0], with_text=False).query == texts[0]  # 0 is now the most recent
    send(texts[2])  # evicts 1, the least recently used
    assert len(store) == 2
    assert send(texts[2], with_text=False).query == texts[2]
    assert send(texts[0], with_text=False).query == texts[0]
    with pytest.raises(PersistedQueryNotFound):
        send(texts[1], with_text=False)
    # The remembered text is the first object: the parse cache finds it by identity.
    copy = "".join(texts[0])
    assert (
        send(copy).query
        is store.resolve(GraphQLRequestData(None, None, None, persisted(sha256(texts[0])))).query
    )


def test_requests_without_the_extension_pass_through() -> None:
    store = PersistedQueries(2)
    data = GraphQLRequestData(QUERY, None, None, {"other": 1})
    assert store.resolve(data) is data
    assert store.resolve(GraphQLRequestData(QUERY, None, None, None)).query == QUERY
    assert len(store) == 0
