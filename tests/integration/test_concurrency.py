"""Optimistic concurrency over real HTTP: concurrent clients lose no update, and a stale
expectedVersion is a CONFLICT in every mutation that takes one, whatever the values."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Database, GraphQLClient, LiveServer, data_of

GRAPH: dict[str, Any] = {
    "organizations": [{"id": "org-acme", "name": "Acme Group", "employees": 100}],
    "people": [{"id": "p-li", "name": "李娜"}, {"id": "p-wang", "name": "王工"}],
    "reps": [{"id": "rep-ann", "name": "Ann", "role": "AE"}],
    "products": [{"id": "prod-life", "name": "Life insurance", "segment": "RETAIL"}],
    "holdings": [{"id": "h-li", "partyId": "p-li", "productId": "prod-life", "amount": 10.0}],
    "interactions": [
        {
            "id": "i-call",
            "kind": "CALL",
            "at": "2026-01-05T12:00:00Z",
            "subject": "hello",
            "partyIds": ["p-li"],
            "repIds": ["rep-ann"],
        }
    ],
    "employment": [{"personId": "p-li", "organizationId": "org-acme", "title": "CFO"}],
}

READ_ORG = '{ party(id: "org-acme") { version ... on Organization { employees } } }'
INCREMENT = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { version employees }
}"""

CLIENTS = 6
INCREMENTS = 5


async def post(client: httpx.AsyncClient, url: str, query: str, variables: Any = None) -> Any:
    response = await client.post(f"{url}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


async def increment_employees(url: str, acknowledged: list[tuple[int, int]]) -> int:
    """One client: read, add one, send with the version read; on CONFLICT read again.
    Records every acknowledged (version, employees); answers how many conflicts it met."""
    conflicts = 0
    async with httpx.AsyncClient(timeout=60) as client:
        done = 0
        while done < INCREMENTS:
            org = data_of(await post(client, url, READ_ORG))["party"]
            body = await post(
                client,
                url,
                INCREMENT,
                {
                    "input": {
                        "id": "org-acme",
                        "expectedVersion": org["version"],
                        "employees": org["employees"] + 1,
                    }
                },
            )
            if body.get("errors"):
                codes = [e["extensions"]["code"] for e in body["errors"]]
                assert codes == ["CONFLICT"], body
                conflicts += 1
                continue
            result = body["data"]["updateOrganization"]
            acknowledged.append((result["version"], result["employees"]))
            done += 1
    return conflicts


async def test_concurrent_increments_are_all_applied(
    db: Database, server: LiveServer, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load(GRAPH, tmp_path)
    acknowledged: list[tuple[int, int]] = []
    conflicts = await asyncio.gather(
        *(increment_employees(server.url, acknowledged) for _ in range(CLIENTS))
    )
    org = data_of(await gql(READ_ORG))["party"]
    # 100 employees, 30 acknowledged increments: 130, and one new version per increment.
    assert len(acknowledged) == CLIENTS * INCREMENTS
    assert org == {"version": 1 + CLIENTS * INCREMENTS, "employees": 100 + CLIENTS * INCREMENTS}
    # Each acknowledgement is its own step: versions 2..31 carrying 101..130, none twice.
    assert sorted(acknowledged) == [(v, 99 + v) for v in range(2, 2 + CLIENTS * INCREMENTS)]
    # Clients that read the same version did collide (else the test proved nothing).
    assert sum(conflicts) > 0


# Each mutation taking expectedVersion, sent with version 1 after the thing moved to version 2,
# and with values equal to what is stored now (the no-change case that used to succeed).
STALE: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (
        "updatePerson",
        "mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { version } }",
        {"id": "p-li", "expectedVersion": 1, "city": "深圳"},
        {"id": "p-li", "expectedVersion": 1, "city": "深圳"},
    ),
    (
        "updateOrganization",
        INCREMENT,
        {"id": "org-acme", "expectedVersion": 1, "employees": 101},
        {"id": "org-acme", "expectedVersion": 1, "employees": 101},
    ),
    (
        "updateHolding",
        "mutation ($input: UpdateHoldingInput!) { updateHolding(input: $input) { version } }",
        {"id": "h-li", "expectedVersion": 1, "amount": 20.0},
        {"id": "h-li", "expectedVersion": 1, "amount": 20.0},
    ),
    (
        "updateInteraction",
        "mutation ($input: UpdateInteractionInput!) "
        "{ updateInteraction(input: $input) { version } }",
        {"id": "i-call", "expectedVersion": 1, "subject": "again"},
        {"id": "i-call", "expectedVersion": 1, "subject": "again"},
    ),
    (
        "setEmployment",
        "mutation ($input: EmploymentInput!) { setEmployment(input: $input) { version } }",
        {"personId": "p-li", "organizationId": "org-acme", "title": "CEO", "expectedVersion": 1},
        {"personId": "p-li", "organizationId": "org-acme", "title": "CEO", "expectedVersion": 1},
    ),
    (
        "removeLink",
        "mutation ($input: EmploymentInput!) { setEmployment(input: $input) { version } }",
        {"personId": "p-li", "organizationId": "org-acme", "title": "CEO", "expectedVersion": 1},
        {"kind": "EMPLOYMENT", "personId": "p-li", "organizationId": "org-acme"},
    ),
]
REMOVE = "mutation ($input: RemoveLinkInput!) { removeLink(input: $input) { kind } }"


@pytest.mark.parametrize(("mutation", "query", "first", "stale"), STALE, ids=[s[0] for s in STALE])
async def test_a_stale_version_is_a_conflict_whatever_the_values(
    db: Database,
    gql: GraphQLClient,
    tmp_path: Path,
    mutation: str,
    query: str,
    first: dict[str, Any],
    stale: dict[str, Any],
) -> None:
    await db.load(GRAPH, tmp_path)
    moved = data_of(await gql(query, {"input": first}))
    assert next(iter(moved.values()))["version"] == 2
    if mutation == "removeLink":
        body = await gql(REMOVE, {"input": {**stale, "expectedVersion": 1}})
    else:
        body = await gql(query, {"input": stale})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["CONFLICT"], body
    error = body["errors"][0]["extensions"]
    assert (error["field"], error["value"], error["currentVersion"]) == (
        "input.expectedVersion",
        1,
        2,
    )
    if mutation == "removeLink":
        # Gone with the right version; a stale version on a link that is gone is stale too.
        data_of(await gql(REMOVE, {"input": {**stale, "expectedVersion": 2}}))
        body = await gql(REMOVE, {"input": {**stale, "expectedVersion": 2}})
        assert body["errors"][0]["extensions"]["currentVersion"] is None
        # Without a version, removing what is not there answers as removing it did.
        data_of(await gql(REMOVE, {"input": stale}))
