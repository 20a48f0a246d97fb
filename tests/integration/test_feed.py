"""The change feed over real HTTP: completeness and order under concurrent writers, no trace
of a refused write, imports in the feed, access rules, retention and its error.

Concurrency, derived: W writers each create K people one after the other while C clients
increment one organization's employee count (read, +1, send with the version read; on
CONFLICT read again). Every acknowledged write must be in the feed exactly once; the
positions after the starting cursor are exactly start+1 .. start+n (no gap, no duplicate);
each writer's creates appear in the order it made them (each was acknowledged before the
next was sent); and the organization's updates appear in version order 2, 3, ... with each
one's `before` equal to the previous one's `after` (the order the database committed them).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from graph_api.services.feed import prune_feed
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes
from tests.principals import as_key

WRITERS = 3
CREATES = 3
INCREMENTERS = 2
INCREMENTS = 3

CURSOR = "{ changesCursor }"
PAGE = """
query($after: String, $first: Int, $types: [String!], $partyIds: [ID!]) {
  changes(after: $after, first: $first, types: $types, partyIds: $partyIds) {
    edges { cursor node { position action type key version partyIds who mutation
                          changes { field before after } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
CREATE = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }"""
INCREMENT = """
mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { version employees }
}"""


async def all_changes(gql: Any, after: str | None, **filters: Any) -> list[dict[str, Any]]:
    """Every change after the cursor, following endCursor page by page."""
    out: list[dict[str, Any]] = []
    while True:
        page = data_of(await gql(PAGE, {"after": after, "first": 7, **filters}))["changes"]
        out.extend(e["node"] for e in page["edges"])
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return out


async def post(client: httpx.AsyncClient, url: str, query: str, variables: Any = None) -> Any:
    response = await client.post(f"{url}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


async def creator(url: str, writer: int, acknowledged: list[str]) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        for k in range(CREATES):
            pid = f"p-w{writer}-{k}"
            body = await post(client, url, CREATE, {"input": {"id": pid, "name": pid}})
            assert data_of(body)["createPerson"]["id"] == pid
            acknowledged.append(pid)


async def incrementer(url: str, acknowledged: list[int]) -> None:
    """Sets employees to the version it expects (imported: version 1), so that each update
    changes the value; on CONFLICT it takes the current version from the error."""
    async with httpx.AsyncClient(timeout=60) as client:
        done = 0
        version = 1
        while done < INCREMENTS:
            body = await post(
                client,
                url,
                INCREMENT,
                {"input": {"id": "org-acme", "expectedVersion": version, "employees": version}},
            )
            if body.get("errors"):
                assert error_codes(body) == ["CONFLICT"], body
                version = body["errors"][0]["extensions"]["currentVersion"]
                continue
            version = body["data"]["updateOrganization"]["version"]
            acknowledged.append(version)
            done += 1


async def test_concurrent_writers_every_acknowledged_change_once_in_commit_order(
    db: Database, server: LiveServer, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"organizations": [{"id": "org-acme", "name": "Acme", "employees": 0}]}, tmp_path)
    start = data_of(await gql(CURSOR))["changesCursor"]
    start_position = (await all_changes(gql, None))[-1]["position"]
    created: list[str] = []
    versions: list[int] = []
    await asyncio.gather(
        *(creator(server.url, w, created) for w in range(WRITERS)),
        *(incrementer(server.url, versions) for _ in range(INCREMENTERS)),
    )
    assert len(created) == WRITERS * CREATES
    assert len(versions) == INCREMENTERS * INCREMENTS

    changes = await all_changes(gql, start)
    positions = [c["position"] for c in changes]
    assert positions == list(range(start_position + 1, start_position + 1 + len(changes)))
    people = [c["key"]["id"] for c in changes if c["type"] == "people"]
    assert sorted(people) == sorted(created)  # each acknowledged create exactly once
    for w in range(WRITERS):
        mine = [p for p in people if p.startswith(f"p-w{w}-")]
        assert mine == [f"p-w{w}-{k}" for k in range(CREATES)]
    updates = [c for c in changes if c["type"] == "organizations"]
    assert (
        [u["version"] for u in updates]
        == sorted(versions)
        == list(range(2, 2 + INCREMENTERS * INCREMENTS))
    )
    employees = [
        (ch["before"], ch["after"])
        for u in updates
        for ch in u["changes"]
        if ch["field"] == "employees"
    ]
    assert employees == [(n, n + 1) for n in range(INCREMENTERS * INCREMENTS)]  # 0 -> 1 -> ...
    assert len(changes) == len(created) + len(versions)


async def test_a_refused_write_leaves_no_change_and_no_gap(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"organizations": [{"id": "org-acme", "name": "Acme"}]}, tmp_path)
    start = data_of(await gql(CURSOR))["changesCursor"]
    refused = await gql(
        """mutation { applyChanges(changes: [
             {createPerson: {id: "p-new", name: "New"}},
             {setEmployment: {personId: "p-new", organizationId: "org-nowhere"}}
           ]) { __typename } }"""
    )
    assert error_codes(refused) == ["NOT_FOUND"]
    assert await all_changes(gql, start) == []
    data_of(await gql(CREATE, {"input": {"id": "p-next", "name": "Next"}}))
    (after,) = await all_changes(gql, start)
    assert after["key"] == {"id": "p-next"} and after["action"] == "CREATE"
    before = await all_changes(gql, None)
    assert after["position"] == before[-2]["position"] + 1


async def test_an_import_records_one_change_per_row_with_its_parties(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"organizations": [{"id": "org-acme", "name": "Acme"}]}, tmp_path)
    start = data_of(await gql(CURSOR))["changesCursor"]
    await db.load(
        {
            "people": [{"id": "p-1", "name": "One"}, {"id": "p-2", "name": "Two"}],
            "employment": [{"personId": "p-1", "organizationId": "org-acme", "title": "CFO"}],
        },
        tmp_path,
        clear=False,
    )
    changes = await all_changes(gql, start)
    assert [(c["type"], c["action"], c["key"], sorted(c["partyIds"])) for c in changes] == [
        ("people", "IMPORT", {"id": "p-1"}, ["p-1"]),
        ("people", "IMPORT", {"id": "p-2"}, ["p-2"]),
        (
            "employment",
            "IMPORT",
            {"personId": "p-1", "organizationId": "org-acme"},
            ["org-acme", "p-1"],
        ),
    ]
    only = await all_changes(gql, start, types=["employment"])
    assert [c["type"] for c in only] == ["employment"]
    of_p2 = await all_changes(gql, start, partyIds=["p-2"])
    assert [c["key"] for c in of_p2] == [{"id": "p-2"}]


async def test_bad_arguments_name_the_field_and_value(gql: GraphQLClient) -> None:
    body = await gql(PAGE, {"types": ["peoples"]})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "types"
    assert body["errors"][0]["extensions"]["value"] == "peoples"
    body = await gql(PAGE, {"after": "garbage"})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"
    body = await gql(PAGE, {"first": 0})
    assert error_codes(body) == ["INVALID_INPUT"]


async def test_a_cursor_older_than_the_retention_must_resynchronise(
    db: Database, store: Store, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"organizations": [{"id": "org-acme", "name": "Acme"}]}, tmp_path)
    old = data_of(await gql(CURSOR))["changesCursor"]
    data_of(await gql(CREATE, {"input": {"id": "p-old", "name": "Old"}}))
    upto = await prune_feed(store, datetime.now(UTC) + timedelta(seconds=1))
    assert upto > 0
    body = await gql(PAGE, {"after": old})
    assert error_codes(body) == ["CURSOR_EXPIRED"]
    assert "resynchronise" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["field"] == "after"
    # Resynchronising: the current cursor, then what follows it.
    now = data_of(await gql(CURSOR))["changesCursor"]
    assert await all_changes(gql, now) == []
    assert await all_changes(gql, None) == []
    data_of(await gql(CREATE, {"input": {"id": "p-new", "name": "New"}}))
    (new,) = await all_changes(gql, now)
    assert new["key"] == {"id": "p-new"} and new["position"] == upto + 1


# ----- access -----

ACCESS_GRAPH: dict[str, Any] = {
    "organizations": [{"id": "org-a", "name": "Alpha"}, {"id": "org-b", "name": "Beta"}],
    "people": [
        {"id": "pa-ceo", "name": "Zhang Wei", "homeAddress": "1 Alpha Road"},
        {"id": "pa-cfo", "name": "Li Alpha"},
        {"id": "pb-staff", "name": "Beta Staff"},
    ],
    "reps": [
        {"id": "rep-m1", "name": "Manager One", "role": "MANAGER"},
        {"id": "rep-a1", "name": "Rep A1", "role": "AE", "managerId": "rep-m1"},
        {"id": "rep-a2", "name": "Rep A2", "role": "SR", "managerId": "rep-m1"},
        {"id": "rep-b1", "name": "Rep B1", "role": "AE"},
    ],
    "accountTeams": [
        {"id": "team-a", "name": "Alpha team", "managerId": "rep-m1"},
        {"id": "team-b", "name": "Beta team"},
    ],
    "teamMembers": [
        {"teamId": "team-a", "repId": "rep-a1", "role": "AE"},
        {"teamId": "team-a", "repId": "rep-a2", "role": "SR"},
        {"teamId": "team-b", "repId": "rep-b1", "role": "AE"},
    ],
    "teamAccounts": [
        {"teamId": "team-a", "partyId": "org-a"},
        {"teamId": "team-b", "partyId": "org-b"},
    ],
    "employment": [
        {"personId": "pa-ceo", "organizationId": "org-a", "title": "CEO"},
        {"personId": "pa-cfo", "organizationId": "org-a", "title": "CFO"},
        {"personId": "pb-staff", "organizationId": "org-b", "title": "Clerk"},
    ],
    "coverage": [{"repId": "rep-a1", "personId": "pa-ceo", "strength": 0.8}],
}


async def test_the_feed_keeps_to_what_each_viewer_sees_and_masks_what_is_masked(
    db: Database, production: LiveServer, tmp_path: Path
) -> None:
    """Derived from the rules (README, Security): team-a's reps see org-a and its people,
    team-b's rep org-b's; pa-ceo's sensitive fields (homeAddress) are open to rep-a1, who
    covers him, and closed to rep-a2; a family link is shown only where both people's
    sensitive fields are open (pa-cfo's are open to no rep): to no rep here."""
    await db.load(ACCESS_GRAPH, tmp_path)
    admin = as_key(production.url, "admin")
    start = data_of(await admin(CURSOR))["changesCursor"]
    ceo = staff = 1  # imported nodes count as version 1
    data_of(
        await admin(
            """mutation($c: Int!, $s: Int!) { applyChanges(changes: [
                 {updatePerson: {id: "pa-ceo", expectedVersion: $c, name: "Zhang Wei II",
                                 homeAddress: "9 New Road"}},
                 {updatePerson: {id: "pb-staff", expectedVersion: $s, name: "Beta Clerk"}},
                 {setFamilyLink: {fromId: "pa-ceo", toId: "pa-cfo", kind: SIBLING}}
               ]) { __typename } }""",
            {"c": ceo, "s": staff},
        )
    )

    def summary(changes: list[dict[str, Any]]) -> list[tuple[str, Any, dict[str, Any]]]:
        return [
            (c["type"], c["key"], {ch["field"]: ch["after"] for ch in c["changes"]})
            for c in changes
        ]

    everything = summary(await all_changes(admin, start))
    assert everything == [
        ("people", {"id": "pa-ceo"}, {"name": "Zhang Wei II", "homeAddress": "9 New Road"}),
        ("people", {"id": "pb-staff"}, {"name": "Beta Clerk"}),
        # A new link's period begins the day it is recorded (issue 14.1).
        (
            "family",
            {"fromId": "pa-ceo", "toId": "pa-cfo"},
            {"kind": "SIBLING", "validFrom": datetime.now(UTC).date().isoformat()},
        ),
    ]
    a1 = summary(await all_changes(as_key(production.url, "rep-a1"), start))
    assert a1 == [
        ("people", {"id": "pa-ceo"}, {"name": "Zhang Wei II", "homeAddress": "9 New Road"}),
    ]
    a2 = summary(await all_changes(as_key(production.url, "rep-a2"), start))
    assert a2 == [("people", {"id": "pa-ceo"}, {"name": "Zhang Wei II", "homeAddress": None})]
    b1 = summary(await all_changes(as_key(production.url, "rep-b1"), start))
    assert b1 == [("people", {"id": "pb-staff"}, {"name": "Beta Clerk"})]
    # A party filter cannot reach past the scope either.
    none = await all_changes(as_key(production.url, "rep-b1"), start, partyIds=["pa-ceo"])
    assert none == []
