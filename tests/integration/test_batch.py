"""`parties(ids:)`: many 360° views in one round trip, in the order asked, with the same
access rules, masking and NOT_FOUND answers as `party(id)`."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes
from tests.integration.test_access import EVERY_PARTY, GRAPH, PARTY, VISIBLE
from tests.principals import as_key

N_PEOPLE = 60
N_ORGS = 40


def generated_graph() -> dict[str, Any]:
    """60 people and 40 organizations. Person i works for org (i mod 40) with title T<i>,
    holds product (i mod 3) and had i mod 4 interactions; org j > 0 is a branch of org 0
    when j is even; org j holds product 3 when j is a multiple of 5."""
    people = [f"p-gen-{i:02d}" for i in range(N_PEOPLE)]
    orgs = [f"o-gen-{j:02d}" for j in range(N_ORGS)]
    return {
        "products": [{"id": f"prod-{k}", "name": f"Product {k}"} for k in range(4)],
        "organizations": [
            {"id": o, "name": f"机构 {j}", **({"parentId": orgs[0]} if j and j % 2 == 0 else {})}
            for j, o in enumerate(orgs)
        ],
        "people": [{"id": p, "name": f"客户 {i}"} for i, p in enumerate(people)],
        "employment": [
            {"personId": p, "organizationId": orgs[i % N_ORGS], "title": f"T{i}"}
            for i, p in enumerate(people)
        ],
        "holdings": [
            *(
                {"id": f"h-p-{i:02d}", "partyId": p, "productId": f"prod-{i % 3}"}
                for i, p in enumerate(people)
            ),
            *(
                {"id": f"h-o-{j:02d}", "partyId": o, "productId": "prod-3"}
                for j, o in enumerate(orgs)
                if j % 5 == 0
            ),
        ],
        "interactions": [
            {
                "id": f"i-{i:02d}-{n}",
                "kind": "CALL",
                "at": f"2026-0{n + 1}-01T10:00:00Z",
                "partyIds": [p],
            }
            for i, p in enumerate(people)
            for n in range(i % 4)
        ],
    }


def without_request_ids(body: dict[str, Any]) -> dict[str, Any]:
    """The answer without each error's requestId (unique per request, by design)."""
    for error in body.get("errors") or []:
        error.get("extensions", {}).pop("requestId", None)
    return body


BATCH = """
query ($ids: [ID!]!) {
  parties(ids: $ids) {
    id name
    interactions(first: 10) { totalCount }
    ... on Person { employments { organization { id } title } holdings { product { id } } }
    ... on Organization { parent { id } holdings { product { id } } }
  }
}
"""


@pytest_asyncio.fixture
async def generated(db: Database, tmp_path: Path) -> Database:
    await db.shared(generated_graph(), tmp_path)
    return db


async def test_a_hundred_views_in_one_round_trip_in_the_order_asked(
    generated: Database, gql: GraphQLClient
) -> None:
    ids = [f"p-gen-{i:02d}" for i in range(N_PEOPLE)] + [f"o-gen-{j:02d}" for j in range(N_ORGS)]
    random.Random(15).shuffle(ids)
    body = await gql(BATCH, {"ids": ids})
    parties = data_of(body)["parties"]
    assert body["extensions"]["roundTrips"] == 1
    assert [p["id"] for p in parties] == ids
    for party in parties:
        number = int(party["id"].rsplit("-", 1)[1])
        if party["id"].startswith("p-"):
            assert party["name"] == f"客户 {number}"
            assert party["employments"] == [
                {"organization": {"id": f"o-gen-{number % N_ORGS:02d}"}, "title": f"T{number}"}
            ]
            assert party["holdings"] == [{"product": {"id": f"prod-{number % 3}"}}]
            assert party["interactions"]["totalCount"] == number % 4
        else:
            assert party["name"] == f"机构 {number}"
            parent = {"id": "o-gen-00"} if number and number % 2 == 0 else None
            assert party["parent"] == parent
            holdings = [{"product": {"id": "prod-3"}}] if number % 5 == 0 else []
            assert party["holdings"] == holdings
            assert party["interactions"]["totalCount"] == 0


async def test_each_view_is_the_one_party_id_gives(generated: Database, gql: GraphQLClient) -> None:
    ids = ["o-gen-04", "p-gen-07", "p-gen-07", "o-gen-00"]
    batch = data_of(await gql(BATCH, {"ids": ids}))["parties"]
    single = BATCH.replace("($ids: [ID!]!)", "($id: ID!)").replace(
        "parties(ids: $ids)", "party(id: $id)"
    )
    for party_id, viewed in zip(ids, batch, strict=True):
        assert viewed == data_of(await gql(single, {"id": party_id}))["party"]


async def test_unknown_ids_are_null_with_an_error_at_their_position(
    generated: Database, gql: GraphQLClient
) -> None:
    body = without_request_ids(
        await gql(BATCH, {"ids": ["p-gen-01", "p-none", "o-gen-01", "o-none"]})
    )
    parties = body["data"]["parties"]
    assert [p and p["id"] for p in parties] == ["p-gen-01", None, "o-gen-01", None]
    errors = sorted(body["errors"], key=lambda e: e["path"])
    assert [e["path"] for e in errors] == [["parties", 1], ["parties", 3]]
    assert [e["extensions"] for e in errors] == [
        {"code": "NOT_FOUND", "field": "ids", "value": "p-none"},
        {"code": "NOT_FOUND", "field": "ids", "value": "o-none"},
    ]


async def test_more_ids_than_a_page_is_invalid_input(
    generated: Database, gql: GraphQLClient
) -> None:
    body = await gql(BATCH, {"ids": [f"p-gen-{i % N_PEOPLE:02d}" for i in range(101)]})
    assert body["data"] is None or body["data"]["parties"] is None
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "ids"
    assert body["errors"][0]["extensions"]["value"] == 101
    assert "at most 100" in body["errors"][0]["message"]
    body = await gql(BATCH, {"ids": ["p-gen-01", " "]})
    assert error_codes(body) == ["INVALID_INPUT"]


# ----- access: the hand-made graph of tests/integration/test_access.py -----


@pytest_asyncio.fixture
async def access_graph(db: Database, tmp_path: Path) -> None:
    await db.shared(GRAPH, tmp_path)


MASKED = """
query ($ids: [ID!]!) {
  parties(ids: $ids) {
    id name masked
    ... on Person { homeAddress phone email birthDate }
  }
}
"""


@pytest.mark.parametrize("who", ["admin", "manager", "rep-a1", "rep-b1", "rep-none"])
async def test_a_viewer_gets_what_party_gives_and_null_for_the_rest(
    access_graph: None, production: LiveServer, who: str
) -> None:
    ask = as_key(production.url, who)
    ids = sorted(EVERY_PARTY)
    body = without_request_ids(await ask(MASKED, {"ids": ids}))
    parties = body["data"]["parties"]
    seen = {p["id"] for p in parties if p is not None}
    assert seen == VISIBLE[who]
    for party_id, viewed in zip(ids, parties, strict=True):
        single = await ask(PARTY, {"id": party_id})
        # The same fields, masked the same way, or the same null.
        assert viewed == single["data"]["party"], (who, party_id)
    hidden = sorted(EVERY_PARTY - VISIBLE[who])
    codes = {tuple(e["path"]): e["extensions"] for e in body.get("errors") or []}
    assert sorted(codes) == sorted(("parties", ids.index(h)) for h in hidden)
    for h in hidden:
        assert codes[("parties", ids.index(h))] == {"code": "NOT_FOUND", "field": "ids", "value": h}


async def test_an_invisible_id_looks_like_an_unknown_one(
    access_graph: None, production: LiveServer
) -> None:
    ask = as_key(production.url, "rep-a1")
    hidden = without_request_ids(await ask(MASKED, {"ids": ["org-a", "pb-vip"]}))
    unknown = without_request_ids(await ask(MASKED, {"ids": ["org-a", "pb-none"]}))
    assert str(hidden).replace("pb-vip", "X") == str(unknown).replace("pb-none", "X")


# ----- node(id:) -----

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Party { name interactions(first: 10) { totalCount } }
    ... on Person { employments { organization { id } title } holdings { product { id } } }
    ... on Organization { parent { id } holdings { product { id } } }
  }
}
"""


async def test_node_is_the_party_view_in_one_round_trip(
    generated: Database, gql: GraphQLClient
) -> None:
    single = BATCH.replace("($ids: [ID!]!)", "($id: ID!)").replace(
        "parties(ids: $ids)", "party(id: $id)"
    )
    for party_id, typename in [("p-gen-07", "Person"), ("o-gen-10", "Organization")]:
        body = await gql(NODE, {"id": party_id})
        node = data_of(body)["node"]
        assert body["extensions"]["roundTrips"] == 1
        assert node.pop("__typename") == typename
        assert node == data_of(await gql(single, {"id": party_id}))["party"]
    body = await gql(NODE, {"id": "p-none"})
    assert body["data"]["node"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_node_follows_the_access_rules(access_graph: None, production: LiveServer) -> None:
    ask = as_key(production.url, "rep-a1")
    seen = await ask(NODE, {"id": "org-a"})
    assert data_of(seen)["node"]["id"] == "org-a"
    hidden = without_request_ids(await ask(NODE, {"id": "pb-vip"}))
    unknown = without_request_ids(await ask(NODE, {"id": "pb-none"}))
    assert hidden["data"]["node"] is None
    assert str(hidden).replace("pb-vip", "X") == str(unknown).replace("pb-none", "X")
