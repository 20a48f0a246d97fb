"""Idempotency keys over real HTTP: a retried mutation is answered from its first attempt and
written once; the same key with another request is a CONFLICT; a refused write keeps no key;
keys expire."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_api.services import idempotency
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, LiveServer, data_of, error_codes

GRAPH: dict[str, Any] = {
    "organizations": [{"id": "org-acme", "name": "Acme Group", "employees": 100}],
    "people": [{"id": "p-chen", "name": "陈总"}],
}

CREATE = """mutation($id: ID!, $name: String!) {
  createPerson(input: {id: $id, name: $name}) { id name version }
}"""
UPDATE = """mutation($v: Int!, $e: Int!) {
  updateOrganization(input: {id: "org-acme", expectedVersion: $v, employees: $e}) {
    id employees version
  }
}"""


async def post(
    server: LiveServer, query: str, variables: dict[str, Any], key: str | None
) -> httpx.Response:
    # As bytes: a client may send any octets, not only ASCII.
    headers = {idempotency.HEADER: key.encode()} if key is not None else {}
    async with httpx.AsyncClient(timeout=60) as client:
        return await client.post(
            f"{server.url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )


async def audit_count(store: Store, entity_id: str) -> int:
    rows = await store.read(
        "MATCH (a:AuditEntry) WHERE a.key CONTAINS $id RETURN count(a) AS n", {"id": entity_id}
    )
    return int(rows[0]["n"])


@pytest.fixture
async def graph(db: Database, tmp_path: Path) -> Database:
    await db.load(GRAPH, tmp_path)
    return db


async def test_a_retried_create_is_answered_from_its_first_attempt(
    graph: Database, server: LiveServer
) -> None:
    first = await post(server, CREATE, {"id": "p-new", "name": "新人"}, "key-create-1")
    assert data_of(first.json())["createPerson"] == {"id": "p-new", "name": "新人", "version": 1}
    assert idempotency.REPLAYED_HEADER not in first.headers

    again = await post(server, CREATE, {"id": "p-new", "name": "新人"}, "key-create-1")
    assert data_of(again.json()) == data_of(first.json())
    assert again.headers[idempotency.REPLAYED_HEADER] == "true"
    assert await audit_count(graph.store, "p-new") == 1


async def test_a_retried_update_is_not_a_conflict_and_not_applied_twice(
    graph: Database, server: LiveServer
) -> None:
    # Without a key, a retry of an update that was applied meets its own new version.
    first = await post(server, UPDATE, {"v": 1, "e": 101}, "key-update-1")
    answer = data_of(first.json())["updateOrganization"]
    assert answer == {"id": "org-acme", "employees": 101, "version": 2}

    again = await post(server, UPDATE, {"v": 1, "e": 101}, "key-update-1")
    assert data_of(again.json())["updateOrganization"] == answer
    rows = await graph.store.read("MATCH (o:Organization {id: 'org-acme'}) RETURN o.version AS v")
    assert rows[0]["v"] == 2


async def test_the_same_key_for_another_request_is_a_conflict(
    graph: Database, server: LiveServer
) -> None:
    await post(server, CREATE, {"id": "p-one", "name": "One"}, "key-reused")
    other = (await post(server, CREATE, {"id": "p-two", "name": "Two"}, "key-reused")).json()
    assert error_codes(other) == ["CONFLICT"]
    assert other["errors"][0]["extensions"]["field"] == idempotency.HEADER
    assert other["errors"][0]["extensions"]["value"] == "key-reused"
    rows = await graph.store.read("MATCH (p:Person {id: 'p-two'}) RETURN count(p) AS n")
    assert rows[0]["n"] == 0


async def test_a_refused_write_keeps_no_key(graph: Database, server: LiveServer) -> None:
    stale = (await post(server, UPDATE, {"v": 7, "e": 5}, "key-refused")).json()
    assert error_codes(stale) == ["CONFLICT"]
    # Nothing was written, the key included: the corrected request may use it.
    fixed = await post(server, UPDATE, {"v": 1, "e": 5}, "key-refused")
    assert data_of(fixed.json())["updateOrganization"]["employees"] == 5


async def test_each_mutation_field_of_a_request_has_its_own_claim(
    graph: Database, server: LiveServer
) -> None:
    query = """mutation {
      a: createPerson(input: {id: "p-a", name: "A"}) { id version }
      b: createPerson(input: {id: "p-b", name: "B"}) { id version }
    }"""
    first = data_of((await post(server, query, {}, "key-two-fields")).json())
    assert first == {"a": {"id": "p-a", "version": 1}, "b": {"id": "p-b", "version": 1}}
    again = await post(server, query, {}, "key-two-fields")
    assert data_of(again.json()) == first
    assert again.headers[idempotency.REPLAYED_HEADER] == "true"


async def test_apply_changes_and_links_are_replayed_whole(
    graph: Database, server: LiveServer
) -> None:
    query = """mutation {
      applyChanges(changes: [
        {createPerson: {id: "p-lin", name: "林"}},
        {setEmployment: {personId: "p-lin", organizationId: "org-acme", title: "CTO"}}
      ]) {
        ... on Person { id version }
        ... on EmploymentLink { title since version }
      }
    }"""
    first = data_of((await post(server, query, {}, "key-batch")).json())
    again = await post(server, query, {}, "key-batch")
    assert data_of(again.json()) == first
    assert again.headers[idempotency.REPLAYED_HEADER] == "true"
    assert await audit_count(graph.store, "p-lin") == 2  # the person and the employment


@pytest.mark.parametrize("key", ["", "x" * 201, "ключ", "tab\there"])
async def test_a_malformed_key_is_invalid_input(
    graph: Database, server: LiveServer, key: str
) -> None:
    body = (await post(server, CREATE, {"id": "p-bad-key", "name": "X"}, key)).json()
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == idempotency.HEADER


async def test_expired_keys_are_pruned(graph: Database, server: LiveServer) -> None:
    await post(server, CREATE, {"id": "p-old", "name": "Old"}, "key-old")
    assert await idempotency.prune(graph.store, timedelta(hours=1)) == 0
    assert await idempotency.prune(graph.store, timedelta(0)) >= 1
    # Forgotten: the same key may now carry another request.
    other = await post(server, CREATE, {"id": "p-newer", "name": "Newer"}, "key-old")
    assert data_of(other.json())["createPerson"]["id"] == "p-newer"


def test_answers_round_trip_through_their_record() -> None:
    from datetime import UTC, date, datetime

    from graph_api.domain import model as m
    from graph_api.domain import view as v
    from graph_api.domain.writes import EntityKind, HoldingRecord, LinkRecord

    answers = [
        m.Person(id="p", name="P", aliases=("a",), gender=m.Gender.FEMALE, version=3),
        HoldingRecord(
            id="h",
            holder=m.Organization(id="o", name="O", org_type=m.OrgType.GROUP),
            product=m.Product(id="pr", name="Loan"),
            since=date(2024, 1, 2),
            amount=1.5,
            status=None,
            version=1,
        ),
        LinkRecord(
            kind=EntityKind.EMPLOYMENT,
            key={"personId": "p", "organizationId": "o"},
            properties={"since": date(2020, 5, 1), "at": datetime(2026, 1, 1, tzinfo=UTC)},
            version=2,
            ends={"personId": m.Person(id="p", name="P"), "repId": v.Rep(id="r", name="R")},
        ),
    ]
    assert idempotency.decode_answer(idempotency.encode_answer(answers)) == answers
