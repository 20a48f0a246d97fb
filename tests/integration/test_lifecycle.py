"""The lifecycle of nodes (issue 15 item 6): archiving and restoring, merging two parties,
erasing a person's personal data, through the write path (versions, audit, change feed,
access rules)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    Undefined,
    build_schema,
    get_named_type,
)

from graph_api.bulk.export import export_path
from graph_api.bulk.load import import_path
from graph_api.config import PROJECT_ROOT
from graph_api.services import idempotency
from graph_api.services.co_holding import refresh_co_holding_stats
from graph_api.store.neo4j_store import Store
from tests.conftest import (
    Database,
    GraphQLClient,
    LiveServer,
    data_of,
    error_codes,
    settings_for,
)
from tests.principals import as_key

ARCHIVE_PARTY = """mutation($id: ID!, $reason: String!, $v: Int) {
  archiveParty(id: $id, reason: $reason, expectedVersion: $v) {
    kind id action version archived reason at } }"""
RESTORE_PARTY = """mutation($id: ID!, $v: Int) {
  restoreParty(id: $id, expectedVersion: $v) { kind id action version archived reason } }"""
ARCHIVE = """mutation($kind: ArchivableKind!, $id: ID!, $reason: String!) {
  archive(kind: $kind, id: $id, reason: $reason) { kind id action version archived } }"""
RESTORE = """mutation($kind: ArchivableKind!, $id: ID!) {
  restore(kind: $kind, id: $id) { kind id action version archived } }"""
PARTY = """query($id: ID!) { party(id: $id) { id name } }"""
BATCH = """query($ids: [ID!]!) { parties(ids: $ids) { id } }"""
SEARCH = """query($text: String!) { search(text: $text) { edges { node { id } } } }"""
CHART = """query($id: ID!) { orgChart(organizationId: $id, depth: 5) { nodes { id } } }"""
MANAGERS = """query($id: ID!) { party(id: $id) { ... on Person { managers { id } } } }"""
PORTFOLIO = """{ portfolio(first: 100) { edges { node { id } } } }"""
OPPORTUNITIES = """query($id: ID!) {
  party(id: $id) { ... on Organization { openOpportunities { id } } } }"""
CREATE_PERSON = """mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }"""
CHANGES = """query($after: String, $ids: [ID!]) {
  changes(first: 100, after: $after, partyIds: $ids) {
    edges { node { type action partyIds } } pageInfo { hasNextPage endCursor } } }"""


def error(body: dict[str, Any]) -> dict[str, Any]:
    (only,) = body["errors"]
    extensions: dict[str, Any] = only["extensions"]
    return extensions


async def one(store: Store, cypher: str, **params: Any) -> Any:
    rows = await store.read(cypher, params)
    return rows[0][0] if rows else None


async def feed_of(gql: GraphQLClient, party_id: str) -> list[dict[str, Any]]:
    """Every change of the feed about the party, oldest first."""
    out: list[dict[str, Any]] = []
    after = None
    while True:
        page = data_of(await gql(CHANGES, {"after": after, "ids": [party_id]}))["changes"]
        out += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


async def found_by_search(gql: GraphQLClient, text: str) -> set[str]:
    data = data_of(await gql(SEARCH, {"text": text}))
    return {e["node"]["id"] for e in data["search"]["edges"]}


async def reads_of_zhang_li(gql: GraphQLClient) -> dict[str, Any]:
    """Where 张立 shows in the demo: his view, search, 华盛深圳's chart, as 黄芳's manager,
    in the portfolio."""
    view = await gql(PARTY, {"id": "p-zhang-li"})
    chart = data_of(await gql(CHART, {"id": "org-huasheng-sz"}))["orgChart"]["nodes"]
    managers = data_of(await gql(MANAGERS, {"id": "p-huang-fang"}))["party"]["managers"]
    listed = data_of(await gql(PORTFOLIO))["portfolio"]["edges"]
    return {
        "view": (view["data"]["party"], error_codes(view)),
        "search": "p-zhang-li" in await found_by_search(gql, "张立"),
        "chart": "p-zhang-li" in {n["id"] for n in chart},
        "manager": [m["id"] for m in managers],
        "portfolio": "p-zhang-li" in {e["node"]["id"] for e in listed},
    }


async def test_an_archived_party_is_gone_from_every_read_and_back_after_restore(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    await refresh_co_holding_stats(store)
    # 张立 is the one holder of a credit card in the demo.
    stats = "MATCH (s:CoHoldingStats)-[c:COUNTS]->(:Product {id: 'prod-credit-card'}) RETURN "
    people_before = await one(store, "MATCH (s:CoHoldingStats) RETURN s.people")
    assert await one(store, stats + "c.people") == 1
    flag = "MATCH (o:Party {id: 'org-huasheng'}) RETURN o.decisionLayerNoSupporter"
    # 华盛's decision layer: 何静 (决, neutral) and 张立 (审, supporter): a supporter.
    assert await one(store, flag) is None
    before = await reads_of_zhang_li(gql)
    assert before == {
        "view": ({"id": "p-zhang-li", "name": "张立"}, []),
        "search": True,
        "chart": True,
        "manager": ["p-zhang-li"],
        "portfolio": True,
    }

    archived = data_of(
        await gql(ARCHIVE_PARTY, {"id": "p-zhang-li", "reason": "客户注销", "v": 1})
    )["archiveParty"]
    assert {k: archived[k] for k in ("kind", "id", "action", "version", "archived", "reason")} == {
        "kind": "PERSON",
        "id": "p-zhang-li",
        "action": "ARCHIVE",
        "version": 2,
        "archived": True,
        "reason": "客户注销",
    }
    after = await reads_of_zhang_li(gql)
    assert after["view"] == (None, ["NOT_FOUND"])
    assert {k: v for k, v in after.items() if k != "view"} == {
        "search": False,
        "chart": False,
        "manager": [],
        "portfolio": False,
    }
    # Admins learn why; the links and the node are kept.
    gone = await gql(PARTY, {"id": "p-zhang-li"})
    assert error(gone)["reason"] == "ARCHIVED" and error(gone)["field"] == "id"
    batch = await gql(BATCH, {"ids": ["p-zhang-li", "p-li-na"]})
    assert batch["data"]["parties"] == [None, {"id": "p-li-na"}]
    assert error(batch)["reason"] == "ARCHIVED" and error(batch)["field"] == "ids"
    assert await one(store, "MATCH (:ArchivedParty {id: 'p-zhang-li'})-[r]-() RETURN count(r)") > 5
    # 张立 held a credit card: one customer less in the co-holding statistics; 华盛's decision
    # layer is 何静 alone, neutral: no supporter left.
    assert await one(store, "MATCH (s:CoHoldingStats) RETURN s.people") == people_before - 1
    assert await one(store, stats + "c.people") is None
    assert await one(store, flag) is True
    # The audit trail and the change feed say it.
    entry = await store.read(
        "MATCH (a:AuditEntry {action: 'ARCHIVE'})-[:CONCERNS]->"
        "(:ArchivedParty {id: 'p-zhang-li'}) "
        "RETURN a.who AS who, a.entity AS entity, a.version AS version"
    )
    assert [dict(e) for e in entry] == [{"who": "development", "entity": "PERSON", "version": 2}]
    feed = await feed_of(gql, "p-zhang-li")
    assert feed[-1] == {"type": "people", "action": "ARCHIVE", "partyIds": ["p-zhang-li"]}
    # Archiving again changes nothing.
    again = data_of(await gql(ARCHIVE_PARTY, {"id": "p-zhang-li", "reason": "again"}))
    assert again["archiveParty"]["version"] == 2 and again["archiveParty"]["reason"] == "客户注销"

    restored = data_of(await gql(RESTORE_PARTY, {"id": "p-zhang-li", "v": 2}))["restoreParty"]
    assert restored == {
        "kind": "PERSON",
        "id": "p-zhang-li",
        "action": "RESTORE",
        "version": 3,
        "archived": False,
        "reason": None,
    }
    assert await reads_of_zhang_li(gql) == before
    assert await one(store, "MATCH (s:CoHoldingStats) RETURN s.people") == people_before
    assert await one(store, stats + "c.people") == 1
    assert await one(store, flag) is None
    assert await one(store, "MATCH (n:Archived) RETURN count(n)") == 0
    assert (await feed_of(gql, "p-zhang-li"))[-1]["action"] == "RESTORE"


async def test_archive_checks_versions_and_input_and_keeps_archived_ids(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    stale = await gql(ARCHIVE_PARTY, {"id": "p-li-na", "reason": "dup", "v": 7})
    assert error_codes(stale) == ["CONFLICT"] and error(stale)["currentVersion"] == 1
    unknown = await gql(ARCHIVE_PARTY, {"id": "p-nobody", "reason": "dup"})
    assert error_codes(unknown) == ["NOT_FOUND"] and error(unknown)["field"] == "id"
    blank = await gql(ARCHIVE_PARTY, {"id": "p-li-na", "reason": "  "})
    assert error_codes(blank) == ["INVALID_INPUT"] and error(blank)["field"] == "reason"
    assert await one(store, "MATCH (n:Archived) RETURN count(n)") == 0

    data_of(await gql(ARCHIVE_PARTY, {"id": "p-li-na", "reason": "duplicate record"}))
    taken = await gql(CREATE_PERSON, {"input": {"id": "p-li-na", "name": "李娜"}})
    assert error_codes(taken) == ["CONFLICT"] and error(taken)["reason"] == "ARCHIVED"
    # Restoring a party that is not archived changes nothing.
    data_of(await gql(RESTORE_PARTY, {"id": "p-li-na"}))
    same = data_of(await gql(RESTORE_PARTY, {"id": "p-li-na"}))["restoreParty"]
    assert same["version"] == 3 and same["archived"] is False


async def test_sales_nodes_are_archived_and_restored(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()

    async def opportunities() -> list[str]:
        data = data_of(await gql(OPPORTUNITIES, {"id": "org-huasheng"}))
        return [o["id"] for o in data["party"]["openOpportunities"]]

    assert await opportunities() == ["opp-huasheng-fx"]
    done = data_of(
        await gql(ARCHIVE, {"kind": "OPPORTUNITY", "id": "opp-huasheng-fx", "reason": "lost"})
    )["archive"]
    assert done == {
        "kind": "OPPORTUNITY",
        "id": "opp-huasheng-fx",
        "action": "ARCHIVE",
        "version": 2,
        "archived": True,
    }
    assert await opportunities() == []
    # A product of a kind that is not it: unknown.
    wrong = await gql(ARCHIVE, {"kind": "PRODUCT", "id": "opp-huasheng-fx", "reason": "x"})
    assert error_codes(wrong) == ["NOT_FOUND"]
    data_of(await gql(RESTORE, {"kind": "OPPORTUNITY", "id": "opp-huasheng-fx"}))
    assert await opportunities() == ["opp-huasheng-fx"]

    # An archived product: no one holds it in the statistics any more.
    await refresh_co_holding_stats(store)
    counted = (
        "MATCH (:CoHoldingStats)-[c:COUNTS]->(:Product {id: 'prod-credit-card'}) RETURN count(c)"
    )
    assert await one(store, counted) == 1
    data_of(await gql(ARCHIVE, {"kind": "PRODUCT", "id": "prod-credit-card", "reason": "retired"}))
    assert await one(store, counted) == 0
    data_of(await gql(RESTORE, {"kind": "PRODUCT", "id": "prod-credit-card"}))
    assert await one(store, counted) == 1


async def test_archiving_follows_the_write_rules(
    db: Database, production: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    rep = as_key(production.url, "demo-rep")  # 刘洋: 中集's team, not 华盛's
    outside = await rep(ARCHIVE_PARTY, {"id": "p-zhang-li", "reason": "x"})
    unknown = await rep(ARCHIVE_PARTY, {"id": "p-nobody", "reason": "x"})
    assert error_codes(outside) == error_codes(unknown) == ["NOT_FOUND"]
    assert error(outside)["field"] == error(unknown)["field"] == "id"
    catalogue = await rep(ARCHIVE, {"kind": "PRODUCT", "id": "prod-fx", "reason": "x"})
    assert error_codes(catalogue) == ["FORBIDDEN"]
    assert await one(store, "MATCH (n:Archived) RETURN count(n)") == 0

    # Within their scope (李娜 works for 中集) a rep archives; the archived party is then
    # outside every rep's scope: only an admin restores it.
    data_of(await rep(ARCHIVE_PARTY, {"id": "p-li-na", "reason": "left the company"}))
    assert error_codes(await rep(RESTORE_PARTY, {"id": "p-li-na"})) == ["NOT_FOUND"]
    hidden = await rep(PARTY, {"id": "p-li-na"})
    assert error_codes(hidden) == ["NOT_FOUND"] and "reason" not in error(hidden)
    admin = as_key(production.url, "admin")
    data_of(await admin(RESTORE_PARTY, {"id": "p-li-na"}))
    assert data_of(await rep(PARTY, {"id": "p-li-na"}))["party"]["id"] == "p-li-na"


ARCHIVED = """query($kinds: [ArchivableKind!], $first: Int, $after: String) {
  archivedNodes(kinds: $kinds, first: $first, after: $after) {
    edges { node { kind id label archivedBy reason version } }
    pageInfo { hasNextPage endCursor } } }"""


async def test_admins_list_the_archived_nodes_latest_first(
    db: Database, production: LiveServer
) -> None:
    await db.demo()
    db.dirty()
    admin = as_key(production.url, "admin")  # subject "ops"

    async def listed(**variables: Any) -> tuple[list[tuple[str, ...]], dict[str, Any]]:
        page = data_of(await admin(ARCHIVED, variables))["archivedNodes"]
        nodes = [
            (n["kind"], n["id"], n["label"], n["archivedBy"], n["reason"], n["version"])
            for n in (e["node"] for e in page["edges"])
        ]
        return nodes, page["pageInfo"]

    assert await listed() == ([], {"hasNextPage": False, "endCursor": None})
    # Archived in this order: 李娜 (a person), 外汇管理 (a product), then an opportunity.
    data_of(await admin(ARCHIVE_PARTY, {"id": "p-li-na", "reason": "离职"}))
    data_of(await admin(ARCHIVE, {"kind": "PRODUCT", "id": "prod-fx", "reason": "retired"}))
    data_of(
        await admin(ARCHIVE, {"kind": "OPPORTUNITY", "id": "opp-huasheng-fx", "reason": "lost"})
    )
    opportunity = ("OPPORTUNITY", "opp-huasheng-fx", "华盛集团外汇管理扩展", "ops", "lost", 2)
    product = ("PRODUCT", "prod-fx", "外汇管理", "ops", "retired", 2)
    person = ("PERSON", "p-li-na", "李娜", "ops", "离职", 2)
    first, info = await listed(first=2)
    assert first == [opportunity, product] and info["hasNextPage"] is True
    rest, info = await listed(first=2, after=info["endCursor"])
    assert rest == [person] and info["hasNextPage"] is False
    assert (await listed(kinds=["PRODUCT", "PERSON"]))[0] == [product, person]

    # A restored node leaves the list; archived again, it is the latest.
    data_of(await admin(RESTORE, {"kind": "PRODUCT", "id": "prod-fx"}))
    assert (await listed())[0] == [opportunity, person]
    data_of(await admin(ARCHIVE, {"kind": "PRODUCT", "id": "prod-fx", "reason": "again"}))
    assert (await listed(first=1))[0] == [("PRODUCT", "prod-fx", "外汇管理", "ops", "again", 4)]

    # Admins only; a cursor that is not one of this list names `after`.
    rep = as_key(production.url, "demo-rep")
    forbidden = await rep(ARCHIVED, {})
    assert error_codes(forbidden) == ["FORBIDDEN"] and error(forbidden)["field"] == "role"
    for bad in ("garbage", info["endCursor"][:-4] + "AAAA"):
        wrong = await admin(ARCHIVED, {"after": bad})
        assert error_codes(wrong) == ["INVALID_INPUT"] and error(wrong)["field"] == "after"
    other_list = data_of(await admin(CHANGES, {}))["changes"]["pageInfo"]["endCursor"]
    wrong = await admin(ARCHIVED, {"after": other_list})
    assert error_codes(wrong) == ["INVALID_INPUT"]


# ----- merging -----

MERGE = """mutation($s: ID!, $m: ID!, $v: MergeVersionsInput) {
  mergeParties(survivorId: $s, mergedId: $m, expectedVersions: $v) {
    kind id action version movedLinks removedLinks fields } }"""
PERSON_VIEW = """query($id: ID!) { party(id: $id) { id name aliases version ... on Person {
  phone email birthDate
  employments { organization { id } title department }
  managers { id }
  household { person { id } relation }
  holdings { id }
  relationships { kind party { id } strength }
  coverage { rep { id } strength kind }
  interactions { edges { node { id } } }
} } }"""

# Two records of one customer: 张三 (p-s, the survivor) and 张叁 (p-m, merged into him).
#   jobs: both at org-a (p-s CFO; p-m 财务总监 in 财务部), p-m also at org-b (董事)
#   p-m reports to p-boss; p-m is p-kid's parent; p-m holds h-2 (prod-2), p-s h-1 (prod-1)
#   p-x knows both (p-s 0.3, p-m 0.9); p-s knows p-m (a link between the two)
#   rep-1 covers both (p-s 0.5 no kind, p-m 0.8 PERSONAL); interaction i-1 with p-m
MERGE_GRAPH: dict[str, Any] = {
    "products": [{"id": "prod-1", "name": "P1"}, {"id": "prod-2", "name": "P2"}],
    "organizations": [{"id": "org-a", "name": "甲公司"}, {"id": "org-b", "name": "乙公司"}],
    "people": [
        {"id": "p-s", "name": "张三", "aliases": ["Zhang San"], "phone": "111"},
        {
            "id": "p-m",
            "name": "张叁",
            "aliases": ["Z3"],
            "phone": "222",
            "email": "z3@example.com",
            "birthDate": "1980-01-01",
        },
        {"id": "p-boss", "name": "老板"},
        {"id": "p-kid", "name": "小张"},
        {"id": "p-x", "name": "朋友"},
    ],
    "reps": [{"id": "rep-1", "name": "刘洋"}],
    "employment": [
        {"personId": "p-s", "organizationId": "org-a", "title": "CFO"},
        {"personId": "p-m", "organizationId": "org-a", "title": "财务总监", "department": "财务部"},
        {"personId": "p-m", "organizationId": "org-b", "title": "董事"},
    ],
    "reporting": [{"personId": "p-m", "managerId": "p-boss"}],
    "family": [{"fromId": "p-m", "toId": "p-kid", "kind": "PARENT"}],
    "holdings": [
        {"id": "h-1", "partyId": "p-s", "productId": "prod-1", "status": "ACTIVE"},
        {"id": "h-2", "partyId": "p-m", "productId": "prod-2", "status": "ACTIVE"},
    ],
    "acquaintance": [
        {"fromId": "p-x", "toId": "p-s", "strength": 0.3},
        {"fromId": "p-x", "toId": "p-m", "strength": 0.9},
        {"fromId": "p-s", "toId": "p-m", "strength": 0.5},
    ],
    "coverage": [
        {"repId": "rep-1", "personId": "p-s", "strength": 0.5},
        {"repId": "rep-1", "personId": "p-m", "strength": 0.8, "kind": "PERSONAL"},
    ],
    "interactions": [
        {
            "id": "i-1",
            "kind": "VISIT",
            "at": "2026-10-01T02:00:00Z",
            "partyIds": ["p-m"],
            "repIds": ["rep-1"],
        }
    ],
}


async def test_a_merge_moves_every_link_and_leaves_an_alias(
    db: Database, gql: GraphQLClient, store: Store, tmp_path: Any
) -> None:
    await db.load(MERGE_GRAPH, tmp_path)
    await refresh_co_holding_stats(store)
    assert await one(store, "MATCH (s:CoHoldingStats) RETURN s.people") == 2
    # rep-1's coverage of p-m: declared 0.8 (PERSONAL) with the strength earned by i-1.
    before = data_of(await gql(PERSON_VIEW, {"id": "p-m"}))["party"]["coverage"]
    assert before[0]["strength"] > 0.8
    done = data_of(await gql(MERGE, {"s": "p-s", "m": "p-m", "v": {"survivor": 1, "merged": 1}}))
    # Moved: the org-b job, the reporting line, the PARENT link, h-2, i-1 (5). Folded into
    # p-s's own: the org-a job, p-x's acquaintance, rep-1's coverage; dropped: p-s knows p-m (4).
    # rep-1's earned strength with p-m (ENGAGED) is derived: neither moved nor removed, it is
    # computed again for p-s from i-1, now p-s's.
    assert done["mergeParties"] == {
        "kind": "PERSON",
        "id": "p-s",
        "action": "MERGE",
        "version": 2,
        "movedLinks": 5,
        "removedLinks": 4,
        "fields": ["aliases", "birthDate", "email", "mergedIds"],
    }
    view = data_of(await gql(PERSON_VIEW, {"id": "p-s"}))["party"]
    assert view == {
        "id": "p-s",
        "name": "张三",
        "aliases": ["Zhang San", "Z3", "张叁"],
        "version": 2,
        "phone": "111",  # the survivor's own value stays
        "email": "z3@example.com",
        "birthDate": "1980-01-01",
        "employments": [  # by organization name: 乙 (U+4E59) before 甲 (U+7532)
            {"organization": {"id": "org-b"}, "title": "董事", "department": None},
            {"organization": {"id": "org-a"}, "title": "CFO", "department": "财务部"},
        ],
        "managers": [{"id": "p-boss"}],
        "household": [{"person": {"id": "p-kid"}, "relation": "CHILD"}],
        "holdings": [{"id": "h-1"}, {"id": "h-2"}],
        "relationships": [{"kind": "KNOWS", "party": {"id": "p-x"}, "strength": 0.9}],
        "coverage": before,  # the stronger declared link, and i-1's earned strength
        "interactions": {"edges": [{"node": {"id": "i-1"}}]},
    }
    assert await one(
        store, "MATCH (:Rep {id: 'rep-1'})-[e:ENGAGED]->(p:Person) RETURN collect(p.id)"
    ) == ["p-s"]
    # The merged id is an alias: it answers the survivor, and cannot be created again.
    alias = data_of(await gql(PARTY, {"id": "p-m"}))["party"]
    assert alias == {"id": "p-s", "name": "张三"}
    taken = await gql(CREATE_PERSON, {"input": {"id": "p-m", "name": "x"}})
    assert error_codes(taken) == ["CONFLICT"] and error(taken)["reason"] == "MERGED"
    batch = await gql(BATCH, {"ids": ["p-m", "p-x", "p-nobody"]})
    assert batch["data"]["parties"] == [{"id": "p-s"}, {"id": "p-x"}, None]
    assert error_codes(batch) == ["NOT_FOUND"] and error(batch)["value"] == "p-nobody"
    # Nothing of the merged record is left but its id, in the survivor's mergedIds; one
    # customer in the statistics.
    assert await one(store, "MATCH (n {id: 'p-m'}) RETURN count(n)") == 0
    assert await one(store, "MATCH (p:Party {id: 'p-s'}) RETURN p.mergedIds") == ["p-m"]
    assert await one(store, "MATCH (s:CoHoldingStats) RETURN s.people") == 1
    assert (await feed_of(gql, "p-m"))[-1] == {
        "type": "people",
        "action": "MERGE",
        "partyIds": ["p-m", "p-s"],
    }
    # Merging again: p-m is no party any more.
    again = await gql(MERGE, {"s": "p-s", "m": "p-m"})
    assert error_codes(again) == ["NOT_FOUND"] and error(again)["field"] == "mergedId"


async def test_a_merge_computes_the_earned_strength_again(
    db: Database, gql: GraphQLClient, store: Store, tmp_path: Any
) -> None:
    # rep-1 met both records: i-0 with p-s, i-1 with p-m. Each record has its own ENGAGED
    # accumulator of one interaction; after the merge p-s has one, of both (count 2), and
    # p-x's acquaintance accumulators are not touched (p-x took part in neither).
    graph = {
        **MERGE_GRAPH,
        "interactions": [
            *MERGE_GRAPH["interactions"],
            {
                "id": "i-0",
                "kind": "CALL",
                "at": "2026-09-01T02:00:00Z",
                "partyIds": ["p-s"],
                "repIds": ["rep-1"],
            },
        ],
    }
    await db.load(graph, tmp_path)
    engaged = "MATCH (a)-[e:ENGAGED]->(b) RETURN collect([a.id, b.id, e.count])"
    assert sorted(await one(store, engaged)) == [["rep-1", "p-m", 1], ["rep-1", "p-s", 1]]
    data_of(await gql(MERGE, {"s": "p-s", "m": "p-m"}))
    assert await one(store, engaged) == [["rep-1", "p-s", 2]]


async def test_a_merge_keeps_every_closed_period(
    db: Database, gql: GraphQLClient, store: Store, tmp_path: Any
) -> None:
    # History (issue 14): closed periods of a link are WAS_* links between the same ends, one
    # per end day. Both records worked at org-c in the past:
    #   p-s: 2020-01-01 .. 2021-01-01 (A)
    #   p-m: 2019-01-01 .. 2020-01-01 (B) and 2020-01-01 .. 2021-01-01 (A again)
    # After the merge p-s has two closed periods at org-c: p-m's B (moved, it ended another
    # day) and one period ending 2021-01-01 (p-m's A folded into p-s's: the same period).
    graph = {
        "organizations": [{"id": "org-c", "name": "丙公司"}],
        "people": [{"id": "p-s", "name": "张三"}, {"id": "p-m", "name": "张叁"}],
        "employment": [
            {
                "personId": "p-s",
                "organizationId": "org-c",
                "title": "A",
                "validFrom": "2020-01-01",
                "validTo": "2021-01-01",
            },
            {
                "personId": "p-m",
                "organizationId": "org-c",
                "title": "B",
                "validFrom": "2019-01-01",
                "validTo": "2020-01-01",
            },
            {
                "personId": "p-m",
                "organizationId": "org-c",
                "title": "A",
                "validFrom": "2020-01-01",
                "validTo": "2021-01-01",
            },
        ],
    }
    await db.load(graph, tmp_path)
    data_of(await gql(MERGE, {"s": "p-s", "m": "p-m"}))
    periods = await store.read(
        "MATCH (:Person {id: 'p-s'})-[w:WAS_WORKS_FOR]->(:Organization {id: 'org-c'}) "
        "RETURN toString(w.validFrom) AS since, toString(w.validTo) AS until, w.title AS title "
        "ORDER BY until",
        {},
    )
    assert [tuple(r) for r in periods] == [
        ("2019-01-01", "2020-01-01", "B"),
        ("2020-01-01", "2021-01-01", "A"),
    ]


async def test_a_merge_refuses_bad_input_and_writes_nothing(
    db: Database, gql: GraphQLClient, store: Store, tmp_path: Any
) -> None:
    await db.load(MERGE_GRAPH, tmp_path)
    # p-boss reports to p-s: merging p-m (who reports to p-boss) would make p-s report to
    # p-boss, who reports to p-s.
    cycle = {"people": [], "reporting": [{"personId": "p-boss", "managerId": "p-s"}]}
    await db.load(cycle, tmp_path, clear=False)
    snapshot = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) * 1000 + count(r)"
    before = await one(store, snapshot)
    cases = [
        ({"s": "p-s", "m": "p-s"}, "INVALID_INPUT", "mergedId"),
        ({"s": "p-s", "m": "org-a"}, "INVALID_INPUT", "mergedId"),
        ({"s": "p-s", "m": "p-nobody"}, "NOT_FOUND", "mergedId"),
        ({"s": "p-nobody", "m": "p-m"}, "NOT_FOUND", "survivorId"),
        ({"s": "p-s", "m": "p-m", "v": {"merged": 3}}, "CONFLICT", "expectedVersions.merged"),
        (
            {"s": "p-s", "m": "p-m", "v": {"survivor": 0}},
            "INVALID_INPUT",
            "expectedVersions.survivor",
        ),
        ({"s": "p-s", "m": "p-m"}, "INVALID_INPUT", "mergedId"),  # the cycle
    ]
    for variables, code, field in cases:
        body = await gql(MERGE, variables)
        assert (error_codes(body), error(body)["field"]) == ([code], field), (variables, body)
    assert error(await gql(MERGE, {"s": "p-s", "m": "p-m"}))["reason"] == "CYCLE"
    assert error(await gql(MERGE, {"s": "p-s", "m": "org-a"}))["reason"] == "KIND_MISMATCH"
    assert await one(store, snapshot) == before
    assert await one(store, "MATCH (a:AuditEntry) RETURN count(a)") == 0


async def test_a_merge_follows_the_write_rules(
    db: Database, production: LiveServer, store: Store, tmp_path: Path
) -> None:
    await db.demo()
    db.dirty()
    rep = as_key(production.url, "demo-rep")  # 刘洋: 中集's people, not 华盛's
    outside = await rep(MERGE, {"s": "p-li-na", "m": "p-zhang-li"})
    unknown = await rep(MERGE, {"s": "p-li-na", "m": "p-nobody"})
    assert error_codes(outside) == error_codes(unknown) == ["NOT_FOUND"]
    assert error(outside)["field"] == error(unknown)["field"] == "mergedId"
    assert await one(store, "MATCH (p:Party {id: 'p-zhang-li'}) RETURN count(p)") == 1
    # An admin merges two of the demo's organizations: 华盛上海 into 华盛北京 (branches of
    # 华盛深圳). 吴磊 then works for 华盛北京, and the alias answers it.
    admin = as_key(production.url, "admin")
    data_of(await admin(MERGE, {"s": "org-huasheng-bj", "m": "org-huasheng-sh"}))
    alias = data_of(await admin(PARTY, {"id": "org-huasheng-sh"}))["party"]
    assert alias["id"] == "org-huasheng-bj"
    jobs_of_wu_lei = """{ party(id: "p-wu-lei") {
      ... on Person { employments { organization { id } } } } }"""
    jobs = data_of(await admin(jobs_of_wu_lei))["party"]["employments"]
    assert jobs == [{"organization": {"id": "org-huasheng-bj"}}]

    # The alias survives an export and an import into an empty database.
    path = tmp_path / "after-merge.json"
    await export_path(store, path, "json")
    await store.clear(everything=True)
    report = await import_path(store, path)
    assert not report.problems
    assert data_of(await admin(PARTY, {"id": "org-huasheng-sh"}))["party"]["id"] == (
        "org-huasheng-bj"
    )
    taken = await admin(
        """mutation { createOrganization(input: {id: "org-huasheng-sh", name: "x"}) { id } }"""
    )
    assert error_codes(taken) == ["CONFLICT"] and error(taken)["reason"] == "MERGED"


# ----- erasure -----

ERASE = """mutation($id: ID!, $reason: String!) {
  erasePersonalData(personId: $id, reason: $reason) {
    kind id action version removedLinks fields } }"""
UPDATE_PERSON = (
    """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { version phone } }"""
)
TRAIL = """query($id: ID!) { auditTrail(partyId: $id, first: 20) {
  edges { node { action who changes { field before after } } } } }"""

# What identifies 张立 in the demo, and the phone he gets before asking to be erased.
ZHANG_LI = (
    "张立",
    "Zhang Li",
    "13900000003",
    "13911112222",
    "zhang.li@huasheng.example.com",
    "zhangli_hs",
    "1970-11-02",
)


async def every_value(store: Store) -> str:
    """Every property of every node and relationship in the database, as text."""
    nodes = await store.read("MATCH (n) RETURN properties(n) AS p")
    links = await store.read("MATCH ()-[r]->() RETURN properties(r) AS p")
    return "\n".join(str(row["p"]) for row in [*nodes, *links])


async def test_erasure_leaves_no_personal_value_anywhere(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    # A new phone, written with an idempotency key: the audit entry, the change of the feed and
    # the recorded answer hold the old and new numbers.
    changed = await gql(
        UPDATE_PERSON,
        {"input": {"id": "p-zhang-li", "expectedVersion": 1, "phone": "13911112222"}},
        headers={"Idempotency-Key": "erase-test-1"},
    )
    assert data_of(changed)["updatePerson"] == {"version": 2, "phone": "13911112222"}
    text = await every_value(store)
    assert all(value in text for value in ZHANG_LI)
    holdings = "MATCH (:Party {id: 'p-zhang-li'})-[:HOLDS]->(h:Holding) RETURN count(h)"
    interactions = "MATCH (:Interaction)-[:WITH]->(:Party {id: 'p-zhang-li'}) RETURN count(*)"
    assert (await one(store, holdings), await one(store, interactions)) == (1, 1)

    done = data_of(await gql(ERASE, {"id": "p-zhang-li", "reason": "客户申请删除 (PIPL 第47条)"}))
    # His family link (刘慧, spouse) and acquaintance (张翠山) go.
    assert done["erasePersonalData"] == {
        "kind": "PERSON",
        "id": "p-zhang-li",
        "action": "ERASE",
        "version": 3,
        "removedLinks": 2,
        "fields": [
            "name",
            "aliases",
            "gender",
            "birthDate",
            "phone",
            "email",
            "wechatId",
            "homeAddress",
            "city",
            "occupation",
            "preferredTime",
            "preferredChannel",
        ],
    }
    text = await every_value(store)
    assert [value for value in ZHANG_LI if value in text] == []
    # The customer is still counted: his holding, his interaction, his job and roles stay.
    assert (await one(store, holdings), await one(store, interactions)) == (1, 1)
    view = data_of(
        await gql(
            """{ party(id: "p-zhang-li") { name tier ... on Person {
              phone household { person { id } } employments { organization { id } } } } }"""
        )
    )["party"]
    assert view == {
        "name": "[已删除 erased]",
        "tier": None,
        "phone": None,
        "household": [],
        "employments": [{"organization": {"id": "org-huasheng-sz"}}],
    }
    # The trail says it happened, by whom and why, without the values; the earlier entry's
    # values are gone.
    trail = data_of(await gql(TRAIL, {"id": "p-zhang-li"}))["auditTrail"]["edges"]
    erase, update = trail[0]["node"], trail[1]["node"]
    assert erase["action"] == "ERASE" and erase["who"] == "development"
    assert erase["changes"][0] == {
        "field": "reason",
        "before": None,
        "after": "客户申请删除 (PIPL 第47条)",
    }
    assert {c["field"] for c in erase["changes"][1:]} == set(done["erasePersonalData"]["fields"])
    assert update["changes"] == [{"field": "phone", "before": "[erased]", "after": "[erased]"}]
    assert (await feed_of(gql, "p-zhang-li"))[-1]["action"] == "ERASE"


async def test_erasure_refuses_bad_input(
    db: Database, gql: GraphQLClient, production: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    organization = await gql(ERASE, {"id": "org-cimc", "reason": "x"})
    assert error_codes(organization) == ["INVALID_INPUT"]
    assert error(organization) | {"requestId": None} == {
        "code": "INVALID_INPUT",
        "field": "personId",
        "value": "org-cimc",
        "reason": "KIND_MISMATCH",
        "requestId": None,
    }
    blank = await gql(ERASE, {"id": "p-zhang-li", "reason": ""})
    assert error_codes(blank) == ["INVALID_INPUT"] and error(blank)["field"] == "reason"
    rep = as_key(production.url, "demo-rep")  # 刘洋 does not see 张立
    outside = await rep(ERASE, {"id": "p-zhang-li", "reason": "x"})
    unknown = await rep(ERASE, {"id": "p-nobody", "reason": "x"})
    assert error_codes(outside) == error_codes(unknown) == ["NOT_FOUND"]
    assert error(outside)["field"] == "personId"
    assert await one(store, "MATCH (p:Party {name: '张立'}) RETURN count(p)") == 1
    assert await one(store, "MATCH (a:AuditEntry) RETURN count(a)") == 0


# ----- no read reaches an archived node -----

_SCHEMA = build_schema((PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8"))


def selection(type_: Any, depth: int) -> str:
    """Every field of the type that needs no argument, `depth` levels down (the ids and
    names of whatever the answer reaches), with each possible type of an interface or union."""
    named = get_named_type(type_)
    if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
        return ""
    if depth == 0:
        return " { __typename }"
    parts = ["__typename"]
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        for possible in _SCHEMA.get_possible_types(named):
            parts.append(f"... on {possible.name}{selection(possible, depth)}")
    if not isinstance(named, GraphQLUnionType):
        for name, f in named.fields.items():
            if any(
                isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
                for a in f.args.values()
            ):
                continue
            parts.append(name + selection(f.type, depth - 1))
    return " { " + " ".join(parts) + " }"


def reads_of(party_ids: list[str], organizations: list[str], opportunities: list[str]) -> list[str]:
    """The read queries of the API over the demo's remaining nodes."""
    query = _SCHEMA.query_type
    assert query is not None
    fields = query.fields

    def field(name: str, arguments: str, depth: int = 3) -> str:
        return f"{{ {name}({arguments}){selection(fields[name].type, depth)} }}"

    out = [field("party", f'id: "{p}"') for p in party_ids]
    out += [field("crossSell", f'partyId: "{p}"') for p in party_ids]
    out += [field("warmIntroductions", f'targetId: "{p}"') for p in party_ids]
    out += [field("relationshipPath", f'fromId: "rep-qian-bo", toId: "{p}"') for p in party_ids]
    for o in organizations:
        out.append(field("orgChart", f'organizationId: "{o}"', 4))
        out.append(field("keyDeciders", f'accountId: "{o}", includeSubsidiaries: true'))
        out.append(field("decisionAssessment", f'accountId: "{o}", includeSubsidiaries: true'))
        out.append(field("accountEconomics", f'accountId: "{o}"'))
        out.append(field("funnel", f'accountId: "{o}", includeSubsidiaries: true'))
    out += [field("opportunityAssessment", f'opportunityId: "{o}"') for o in opportunities]
    out += [field("search", f'text: "{text}", first: 50') for text in ("张", "华", "中", "Zhang")]
    out.append(field("portfolio", "first: 100"))
    out.append(field("parties", "ids: [" + ", ".join(f'"{p}"' for p in party_ids) + "]", 2))
    return out


@pytest.fixture(scope="module")
def roomy(neo4j_uri: str) -> Iterator[LiveServer]:
    """A development server whose query limits let the generated selections through."""
    live = LiveServer(
        settings_for(neo4j_uri, max_cost=10_000_000, max_depth=20, max_tokens=100_000)
    ).start()
    yield live
    live.stop()


async def test_no_read_reaches_an_archived_node(
    db: Database, roomy: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    gql = GraphQLClient(roomy.url)
    # A middle organization (华盛深圳: 张立's employer, the branches' parent), a person with
    # family, holdings, influence and coverage (张翠山), an opportunity with roles, TAS answers
    # and competitors (中集's), a product held by others, a rep on a team who covers people.
    archived = {
        "ORGANIZATION": "org-huasheng-sz",
        "PERSON": "p-zhang-cuishan",
        "OPPORTUNITY": "opp-cimc-overseas",
        "PRODUCT": "prod-annuity",
        "REP": "rep-liu-yang",
    }
    for kind, node_id in archived.items():
        data_of(await gql(ARCHIVE, {"kind": kind, "id": node_id, "reason": "test"}))
    parties = [r["id"] for r in await store.read("MATCH (p:Party) RETURN p.id AS id ORDER BY id")]
    organizations = [
        r["id"] for r in await store.read("MATCH (o:Organization) RETURN o.id AS id ORDER BY id")
    ]
    opportunities = [
        r["id"] for r in await store.read("MATCH (o:Opportunity) RETURN o.id AS id ORDER BY id")
    ]
    assert "org-huasheng" in organizations and "p-zhang-li" in parties
    leaks: list[tuple[str, str]] = []
    for text in reads_of(parties, organizations, opportunities):
        body = await gql(text)
        assert not body.get("errors"), (text[:200], body["errors"])
        answer = orjson.dumps(body["data"]).decode()
        leaks += [(node_id, text[:80]) for node_id in archived.values() if node_id in answer]
    assert leaks == []


async def test_a_retried_archive_with_its_key_answers_the_recorded_answer(
    db: Database, server: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    headers = {"Idempotency-Key": "archive-li-na-1"}
    variables = {"id": "p-li-na", "reason": "left", "v": 1}
    async with httpx.AsyncClient(timeout=60) as client:
        first, again = [
            await client.post(
                f"{server.url}/graphql",
                json={"query": ARCHIVE_PARTY, "variables": variables},
                headers=headers,
            )
            for _ in range(2)
        ]
    assert again.headers[idempotency.REPLAYED_HEADER] == "true"
    # The same answer (the version it was archived at), not a CONFLICT on the stale version.
    assert data_of(again.json()) == data_of(first.json())
    assert data_of(first.json())["archiveParty"]["version"] == 2
    entries = "MATCH (a:AuditEntry {action: 'ARCHIVE'}) RETURN count(a)"
    assert await one(store, entries) == 1
