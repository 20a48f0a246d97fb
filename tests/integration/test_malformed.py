"""Malformed requests over real HTTP: bodies that are no GraphQL request and argument values
at the edge of their type get BAD_REQUEST or INVALID_INPUT naming what is wrong, never an
HTTP 500 or INTERNAL_SERVER_ERROR (issue 13.5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from graph_api.services.pagination import encode_cursor
from graph_api.services.search import CURSOR, _fingerprint, lucene_query
from tests.conftest import Database, GraphQLClient, LiveServer, data_of

DEEP = 5000

BODIES: list[tuple[str, bytes]] = [
    ("invalid UTF-8", b'{"query": "{ __typename }", "x": "\xff\xfe"}'),
    ("invalid UTF-8 in the query", b'{"query": "{ party(id: \\"\xc3\\") { id } }"}'),
    ("null", b"null"),
    ("a number", b"42"),
    ("a string", b'"x"'),
    ("true", b"true"),
    ("a list", b"[]"),
    ("a list of requests", b'[{"query": "{ __typename }"}]'),
    ("not JSON", b"{query: x}"),
    ("empty", b""),
    ("a query that is no string", b'{"query": 42}'),
    ("variables that are no object", b'{"query": "{ __typename }", "variables": [1]}'),
    ("nested lists", b"[" * DEEP + b"]" * DEEP),
    ("nested objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    (
        "nested variables",
        b'{"query": "query ($v: JSON) { __typename }", "variables": {"v": '
        + b"[" * DEEP
        + b"]" * DEEP
        + b"}}",
    ),
]


@pytest.mark.parametrize("body", [b for _, b in BODIES], ids=[n for n, _ in BODIES])
async def test_a_body_that_is_no_graphql_request_is_a_bad_request(
    server: LiveServer, body: bytes
) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(
            f"{server.url}/graphql", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    answer = response.json()
    assert answer["data"] is None
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["BAD_REQUEST"], answer


def invalid(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The extensions of every error, which must all be INVALID_INPUT."""
    errors = body.get("errors") or []
    assert errors, body
    assert {e["extensions"]["code"] for e in errors} == {"INVALID_INPUT"}, errors
    return [e["extensions"] for e in errors]


SIGNALS = 'query ($d: Date) { party(id: "p-zhang-li") { signals(asOf: $d) { tier } } }'


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31"])
async def test_a_signals_date_out_of_range_is_invalid_input(
    db: Database, gql: GraphQLClient, as_of: str
) -> None:
    await db.demo()
    (error,) = invalid(await gql(SIGNALS, {"d": as_of}))
    assert (error["field"], error["value"]) == ("asOf", as_of)


async def test_a_signals_date_in_range_is_answered(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    data_of(await gql(SIGNALS, {"d": "2999-12-31"}))
    data_of(await gql(SIGNALS, {"d": "1900-01-01"}))


SEARCH = 'query ($after: String) { search(text: "张", first: 2, after: $after) { totalCount } }'


@pytest.mark.parametrize("offset", [2**31, 2**63, 10**30, -(2**63) - 1])
async def test_a_search_cursor_with_a_huge_offset_is_invalid_input(
    db: Database, gql: GraphQLClient, offset: int
) -> None:
    await db.demo()
    # A cursor of the right shape and fingerprint, as a client could forge one.
    print_ = _fingerprint(lucene_query("张") or "", (None, None, None, None))
    cursor = encode_cursor(CURSOR, [offset, print_])
    (error,) = invalid(await gql(SEARCH, {"after": cursor}))
    assert (error["field"], error["value"]) == ("after", cursor)


INTS: list[tuple[str, str, dict[str, Any]]] = [
    ("first", 'query ($n: Int) { auditTrail(partyId: "org-cimc", first: $n) { totalCount } }', {}),
    (
        "depth",
        'query ($n: Int!) { orgChart(organizationId: "org-cimc", depth: $n) { nodes { id } } }',
        {},
    ),
    (
        "limit",
        'query ($n: Int!) { crossSell(partyId: "org-cimc", limit: $n) { popularityFallback } }',
        {},
    ),
    (
        "maxHops",
        'query ($n: Int!) { warmIntroductions(targetId: "p-li-na", maxHops: $n) { weight } }',
        {},
    ),
]


@pytest.mark.parametrize(("field", "query", "_"), INTS, ids=[i[0] for i in INTS])
@pytest.mark.parametrize("n", [0, -(2**31), 2**31 - 1])
async def test_integer_arguments_at_the_edges_are_invalid_input(
    db: Database, gql: GraphQLClient, field: str, query: str, _: Any, n: int
) -> None:
    await db.demo()
    (error,) = invalid(await gql(query, {"n": n}))
    assert (error["field"], error["value"]) == (field, n)


WRITE_EDGES: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "employees at the largest GraphQL Int",
        "mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }",
        {"id": "org-edge", "name": "Edge", "employees": 2**31 - 1},
        "",
    ),
    (
        "an amount beyond a double",
        "mutation ($i: CreateHoldingInput!) { createHolding(input: $i) { id } }",
        {"id": "h-edge", "partyId": "org-cimc", "productId": "prod-infra-loan", "amount": 1e308},
        "",
    ),
    (
        "a date at the end of the calendar",
        "mutation ($i: CreatePersonInput!) { createPerson(input: $i) { id } }",
        {"id": "p-edge", "name": "Edge", "birthDate": "9999-12-31"},
        "input.birthDate",
    ),
    (
        "a date-time at the start of the calendar",
        "mutation ($i: CreateInteractionInput!) { createInteraction(input: $i) { id } }",
        {"id": "i-edge", "kind": "CALL", "at": "0001-01-01T00:00:00", "partyIds": ["org-cimc"]},
        "",
    ),
]


@pytest.mark.parametrize(
    ("query", "given", "field"), [w[1:] for w in WRITE_EDGES], ids=[w[0] for w in WRITE_EDGES]
)
async def test_write_values_at_the_edges_are_answered_or_invalid(
    db: Database, gql: GraphQLClient, query: str, given: dict[str, Any], field: str
) -> None:
    await db.demo()
    db.dirty()
    body = await gql(query, {"i": given})
    for error in body.get("errors") or []:
        assert error["extensions"]["code"] == "INVALID_INPUT", error
        if field:
            assert error["extensions"]["field"] == field
