"""The walking skeleton: the service answers over HTTP with data read from Neo4j."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from graph_api.api.schema import schema_sdl
from graph_api.cli import SCHEMA_FILE
from graph_api.store.local_neo4j import LocalNeo4j
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes, settings_for

PARTY = """
query ($id: ID!) {
  party(id: $id) {
    __typename id kind name aliases tier
    ... on Person { gender occupation city homeAddress }
    ... on Organization { orgType industry employees annualPurchase shareOfWallet radCell }
  }
}
"""


async def test_party_person_read_from_neo4j(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    party = data_of(await gql(PARTY, {"id": "p-zhang-li"}))["party"]
    assert party["__typename"] == "Person"
    assert party["kind"] == "PERSON"
    assert party["name"] == "张立"
    assert party["homeAddress"] == "金色花园 2-107"
    assert "Zhang Li" in party["aliases"]


async def test_party_reflects_a_change_in_the_database(db: Database, gql: GraphQLClient) -> None:
    # Proves the answer comes from Neo4j, not from a copy of the demo file.
    await db.demo()
    await db.store.write("MATCH (p:Person {id: 'p-liu-hui'}) SET p.city = '广州'")
    db.dirty()
    party = data_of(await gql(PARTY, {"id": "p-liu-hui"}))["party"]
    assert party["city"] == "广州"


async def test_party_organization_with_rad_cell(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    party = data_of(await gql(PARTY, {"id": "org-cimc"}))["party"]
    assert party["__typename"] == "Organization"
    assert party["name"] == "中集集团"
    assert party["orgType"] == "GROUP"
    # 1.5M annual purchase -> column 1; 30% share of wallet -> Development.
    assert party["radCell"] == "D1"


async def test_unknown_party_is_null_with_not_found(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    body = await gql(PARTY, {"id": "no-such-party"})
    assert body["data"] == {"party": None}
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["value"] == "no-such-party"
    assert "no-such-party" in body["errors"][0]["message"]


async def test_empty_id_is_invalid_input(db: Database, gql: GraphQLClient) -> None:
    body = await gql(PARTY, {"id": " "})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "id"


async def test_unknown_field_has_a_validation_code(gql: GraphQLClient) -> None:
    body = await gql('{ party(id: "x") { nope } }')
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_healthz_and_readyz(server: LiveServer) -> None:
    async with httpx.AsyncClient() as client:
        health = await client.get(f"{server.url}/healthz")
        ready = await client.get(f"{server.url}/readyz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_schema_file_matches_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema/schema.graphql drifted from the code: run `make schema`"
    )


@pytest.mark.slow
async def test_readyz_follows_neo4j_down_and_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A Neo4j of its own, stopped and restarted under a running service."""
    local = LocalNeo4j(data_dir=tmp_path_factory.mktemp("neo4j-readyz"), heap="512m")
    await asyncio.to_thread(local.start)
    live = LiveServer(settings_for(local.uri or "")).start()
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            assert (await client.get(f"{live.url}/readyz")).status_code == 200
            await asyncio.to_thread(local.stop)
            down = await client.get(f"{live.url}/readyz")
            assert down.status_code == 503
            assert down.json()["status"] == "unavailable"
            assert down.json()["reason"]
            await asyncio.to_thread(local.start)
            deadline = time.monotonic() + 30
            while True:
                up = await client.get(f"{live.url}/readyz")
                if up.status_code == 200 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
            assert up.status_code == 200, up.text
    finally:
        live.stop()
        await asyncio.to_thread(local.stop)


async def test_responses_are_utf8_json(db: Database, server: LiveServer) -> None:
    await db.demo()
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{server.url}/graphql",
            json={"query": '{ party(id: "p-zhang-li") { name } }'},
        )
    assert "张立".encode() in response.content
