"""Relay's node(id:) / nodes(ids:) for every kind with an id (issue 15 item 4): global ids
(base64 of `Kind:id`), a party's own id still accepted, the access rules of each kind (an
invisible node is answered as an unknown one), malformed global ids refused, on the demo
data (seed/demo.json)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes
from tests.principals import as_key


def gid(kind: str, node_id: str) -> str:
    """The global id, built here by hand: base64 of `Kind:id`."""
    return base64.b64encode(f"{kind}:{node_id}".encode()).decode()


NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id globalId
    ... on Person { name }
    ... on Organization { name }
    ... on Rep { name }
    ... on AccountTeam { name account { id } manager { id } }
    ... on Product { name }
    ... on Holding { holder { id } product { id } }
    ... on Opportunity { name account { id } owner { id } }
    ... on Interaction { kind opportunity { id } }
    ... on BusinessEvent { eventKind: kind }
    ... on Competitor { name }
  }
}
"""

# One node of each kind in seed/demo.json, and what the demo file says of it.
DEMO_NODES: list[tuple[str, str, dict[str, Any]]] = [
    ("Person", "p-zhang-cuishan", {"name": "张翠山"}),
    ("Organization", "org-cimc", {"name": "中集集团"}),
    ("Rep", "rep-liu-yang", {"name": "刘洋"}),
    # team-cimc covers 中集集团 and 张翠山: the first by name (中 U+4E2D < 张 U+5F20).
    (
        "AccountTeam",
        "team-cimc",
        {"name": "中集客户组", "account": {"id": "org-cimc"}, "manager": {"id": "rep-ma-jun"}},
    ),
    ("Product", "prod-payroll", {"name": "代发工资"}),
    (
        "Holding",
        "h-cimc-commercial-loan",
        {"holder": {"id": "org-cimc"}, "product": {"id": "prod-commercial-loan"}},
    ),
    (
        "Opportunity",
        "opp-cimc-overseas",
        {"account": {"id": "org-cimc"}, "owner": {"id": "rep-liu-yang"}},
    ),
    (
        "Interaction",
        "i-cimc-visit-1",
        {"kind": "VISIT", "opportunity": {"id": "opp-cimc-overseas"}},
    ),
    ("BusinessEvent", "ev-cimc-overseas-lines", {"eventKind": "OVERSEAS_EXPANSION"}),
    ("Competitor", "comp-yy-bank", {"name": "YY银行"}),
]


@pytest.fixture
async def demo(db: Database) -> Database:
    await db.demo()
    return db


@pytest.mark.parametrize(("kind", "node_id", "expected"), DEMO_NODES)
async def test_node_fetches_every_kind_by_its_global_id_in_one_round_trip(
    demo: Database, gql: GraphQLClient, kind: str, node_id: str, expected: dict[str, Any]
) -> None:
    body = await gql(NODE, {"id": gid(kind, node_id)})
    node = data_of(body)["node"]
    assert node["__typename"] == kind
    assert node["id"] == node_id
    assert node["globalId"] == gid(kind, node_id)
    for key, value in expected.items():
        assert node[key] == value, (kind, key)
    assert body["extensions"]["roundTrips"] == 1


async def test_a_partys_own_id_is_still_a_node_id(demo: Database, gql: GraphQLClient) -> None:
    body = await gql(NODE, {"id": "p-zhang-cuishan"})
    node = data_of(body)["node"]
    assert node["__typename"] == "Person" and node["globalId"] == gid("Person", "p-zhang-cuishan")


async def test_a_global_id_names_the_kind_too(demo: Database, gql: GraphQLClient) -> None:
    # An organization's id under the Person kind, a rep's under Product: no such nodes.
    for value in (gid("Person", "org-cimc"), gid("Product", "rep-liu-yang")):
        body = await gql(NODE, {"id": value})
        assert body["data"]["node"] is None
        assert error_codes(body) == ["NOT_FOUND"]
        assert body["errors"][0]["extensions"]["value"] == value


async def test_unknown_and_malformed_ids(demo: Database, gql: GraphQLClient) -> None:
    for unknown in (gid("Rep", "rep-nobody"), "p-nobody"):
        body = await gql(NODE, {"id": unknown})
        assert body["data"]["node"] is None and error_codes(body) == ["NOT_FOUND"]
        assert body["errors"][0]["extensions"]["field"] == "id"
        assert body["errors"][0]["extensions"]["value"] == unknown
    # A global id of a kind the API does not have, or of no id at all: the client's mistake.
    for malformed, says in ((gid("Nope", "x-1"), "unknown kind 'Nope'"), (gid("Rep", ""), "Rep")):
        body = await gql(NODE, {"id": malformed})
        assert body["data"]["node"] is None and error_codes(body) == ["INVALID_INPUT"]
        error = body["errors"][0]
        assert error["extensions"]["field"] == "id"
        assert error["extensions"]["value"] == malformed
        assert malformed in error["message"] and says in error["message"]


NODES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id ... on Person { employments { organization { id } } } }
}
"""


async def test_nodes_keeps_the_order_and_answers_unknown_ids_in_place(
    demo: Database, gql: GraphQLClient
) -> None:
    ids = [
        gid("Product", "prod-payroll"),
        "p-zhang-cuishan",
        gid("Rep", "rep-nobody"),
        gid("Opportunity", "opp-cimc-overseas"),
        gid("Organization", "org-cimc"),
    ]
    body = await gql(NODES, {"ids": ids})
    nodes = body["data"]["nodes"]
    assert [n and (n["__typename"], n["id"]) for n in nodes] == [
        ("Product", "prod-payroll"),
        ("Person", "p-zhang-cuishan"),
        None,
        ("Opportunity", "opp-cimc-overseas"),
        ("Organization", "org-cimc"),
    ]
    assert [e["path"] for e in body["errors"]] == [["nodes", 2]]
    assert error_codes(body) == ["NOT_FOUND"]
    # The person's employments came with the parties' round trip; the rest in one more.
    assert nodes[1]["employments"] == [{"organization": {"id": "org-cimc"}}]
    assert body["extensions"]["roundTrips"] == 2


async def test_node_timestamps(demo: Database, gql: GraphQLClient) -> None:
    body = await gql(
        """query ($a: ID!, $b: ID!) {
          a: node(id: $a) { ... on Rep { createdAt updatedAt } }
          b: node(id: $b) { ... on Holding { createdAt product { createdAt } } }
        }""",
        {"a": gid("Rep", "rep-liu-yang"), "b": gid("Holding", "h-cimc-commercial-loan")},
    )
    data = data_of(body)
    assert data["a"]["createdAt"] is not None and data["a"]["updatedAt"] == data["a"]["createdAt"]
    assert data["b"]["createdAt"] == data["b"]["product"]["createdAt"] == data["a"]["createdAt"]


# ----- access: 刘洋 (rep-liu-yang) is in 中集's team, not in 华盛's -----


# 华盛's opportunity, holding and team: seen by an admin, not by 刘洋.
HUASHENG = [
    ("Opportunity", "opp-huasheng-fx"),
    ("Holding", "h-huasheng-payroll"),
    ("AccountTeam", "team-huasheng"),
    ("Organization", "org-huasheng"),
]


@pytest.mark.parametrize(("kind", "node_id"), HUASHENG)
async def test_an_invisible_node_is_answered_as_an_unknown_one(
    demo: Database, production: LiveServer, kind: str, node_id: str
) -> None:
    admin = as_key(production.url, "admin")
    rep = as_key(production.url, "demo-rep")
    value = gid(kind, node_id)
    assert data_of(await admin(NODE, {"id": value}))["node"]["id"] == node_id
    hidden = await rep(NODE, {"id": value})
    unknown = await rep(NODE, {"id": gid(kind, node_id + "-nobody")})
    assert hidden["data"]["node"] is None and unknown["data"]["node"] is None
    assert error_codes(hidden) == error_codes(unknown) == ["NOT_FOUND"]
    assert hidden["errors"][0]["message"] == f"no node with id {value!r}"


async def test_a_rep_sees_the_catalogue_and_their_accounts_nodes(
    demo: Database, production: LiveServer
) -> None:
    rep = as_key(production.url, "demo-rep")
    for kind, node_id in (
        ("Rep", "rep-qian-bo"),
        ("Product", "prod-fx"),
        ("Opportunity", "opp-cimc-overseas"),
        ("AccountTeam", "team-cimc"),
        ("BusinessEvent", "ev-cimc-overseas-lines"),
    ):
        node = data_of(await rep(NODE, {"id": gid(kind, node_id)}))["node"]
        assert (node["__typename"], node["id"]) == (kind, node_id)
