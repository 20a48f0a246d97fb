"""The sales side's mutations (issue 15 item 6): reps and their managers, account teams and
membership, products, opportunities, business events, affinity rules, through the same path
as the other writes (validation by the import spec, versions, access, audit)."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.store.neo4j_store import Store
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes
from tests.principals import as_key

PRODUCT = """mutation($input: CreateProductInput!) {
  createProduct(input: $input) { id name segment version createdAt updatedAt } }"""
UPDATE_PRODUCT = """mutation($input: UpdateProductInput!) {
  updateProduct(input: $input) { id name line version } }"""
OPPORTUNITY = """mutation($input: CreateOpportunityInput!) {
  createOpportunity(input: $input) {
    id name accountId stage amount closeDate ownerId productIds version } }"""
UPDATE_OPPORTUNITY = """mutation($input: UpdateOpportunityInput!) {
  updateOpportunity(input: $input) {
    id stage amount closeDate ownerId productIds version } }"""
REP = """mutation($input: CreateRepInput!) { createRep(input: $input) { id managerId version } }"""
UPDATE_REP = """mutation($input: UpdateRepInput!) {
  updateRep(input: $input) { id managerId version } }"""
RULE = """mutation($input: CreateAffinityRuleInput!) {
  createAffinityRule(input: $input) { id whenEventKind suggestsProductIds weight } }"""
EVENT = """mutation($input: CreateBusinessEventInput!) {
  createBusinessEvent(input: $input) { id organizationId kind title date } }"""


def error(body: dict[str, Any]) -> dict[str, Any]:
    (only,) = body["errors"]
    extensions: dict[str, Any] = only["extensions"]
    return extensions


async def count(store: Store, cypher: str, **params: Any) -> int:
    (row,) = await store.read(cypher + " RETURN count(*) AS n", params)
    return int(row["n"])


async def test_a_product_is_created_retried_and_updated_by_version(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    db.dirty()
    given = {"id": "prod-fx-hedge", "name": "汇率避险", "segment": "CORPORATE"}
    first = data_of(await gql(PRODUCT, {"input": given}))["createProduct"]
    assert first["version"] == 1 and first["createdAt"] == first["updatedAt"]
    assert data_of(await gql(PRODUCT, {"input": given}))["createProduct"] == first
    other = await gql(PRODUCT, {"input": {**given, "name": "别的"}})
    assert error_codes(other) == ["CONFLICT"] and error(other)["currentVersion"] == 1

    changed = {"id": "prod-fx-hedge", "line": "SETTLEMENT", "expectedVersion": 1}
    updated = data_of(await gql(UPDATE_PRODUCT, {"input": changed}))["updateProduct"]
    assert updated == {
        "id": "prod-fx-hedge",
        "name": "汇率避险",
        "line": "SETTLEMENT",
        "version": 2,
    }
    stale = await gql(UPDATE_PRODUCT, {"input": {**changed, "line": "CREDIT"}})
    assert error_codes(stale) == ["CONFLICT"] and error(stale)["currentVersion"] == 2


async def test_an_opportunity_moves_through_stages_with_its_products(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    created = data_of(
        await gql(
            OPPORTUNITY,
            {
                "input": {
                    "id": "opp-cimc-fx",
                    "name": "中集外汇",
                    "accountId": "org-cimc",
                    "stage": "QUALIFIED",
                    "amount": 5000000,
                    "ownerId": "rep-liu-yang",
                    "productIds": ["prod-lc", "prod-infra-loan"],
                }
            },
        )
    )["createOpportunity"]
    assert created["productIds"] == ["prod-infra-loan", "prod-lc"]
    assert created["accountId"] == "org-cimc" and created["version"] == 1

    moved = data_of(
        await gql(
            UPDATE_OPPORTUNITY,
            {
                "input": {
                    "id": "opp-cimc-fx",
                    "expectedVersion": 1,
                    "stage": "COMMITTED",
                    "amount": 4500000.5,
                    "closeDate": "2027-06-30",
                    "ownerId": None,
                    "productIds": ["prod-lc"],
                }
            },
        )
    )["updateOpportunity"]
    assert moved == {
        "id": "opp-cimc-fx",
        "stage": "COMMITTED",
        "amount": 4500000.5,
        "closeDate": "2027-06-30",
        "ownerId": None,
        "productIds": ["prod-lc"],
        "version": 2,
    }
    # The links follow: one product, no owner, still the account's.
    assert await count(store, "MATCH (:Opportunity {id: 'opp-cimc-fx'})-[:INCLUDES]->()") == 1
    assert await count(store, "MATCH ()-[:OWNS]->(:Opportunity {id: 'opp-cimc-fx'})") == 0
    # The account's audit trail has both changes.
    trail = data_of(
        await gql('{ auditTrail(partyId: "org-cimc") { edges { node { entity action } } } }')
    )["auditTrail"]["edges"]
    assert [e["node"] for e in trail[:2]] == [
        {"entity": "OPPORTUNITY", "action": "UPDATE"},
        {"entity": "OPPORTUNITY", "action": "CREATE"},
    ]


@pytest.mark.parametrize(
    ("given", "code", "field", "value"),
    [
        ({"amount": -1}, "INVALID_INPUT", "input.amount", -1),
        ({"accountId": "org-nope"}, "NOT_FOUND", "input.accountId", "org-nope"),
        ({"productIds": ["prod-lc", "prod-nope"]}, "NOT_FOUND", "input.productIds", "prod-nope"),
        ({"ownerId": "rep-nope"}, "NOT_FOUND", "input.ownerId", "rep-nope"),
        # An empty text is a missing one, as in an import (no value to repeat).
        ({"name": ""}, "INVALID_INPUT", "input.name", None),
    ],
)
async def test_bad_opportunity_input_names_the_field_and_writes_nothing(
    db: Database,
    gql: GraphQLClient,
    store: Store,
    given: dict[str, Any],
    code: str,
    field: str,
    value: Any,
) -> None:
    await db.demo()
    base = {"id": "opp-bad", "name": "x", "accountId": "org-cimc", "stage": "IDENTIFIED"}
    body = await gql(OPPORTUNITY, {"input": {**base, **given}})
    assert error_codes(body) == [code], body
    assert error(body)["field"] == field and error(body).get("value") == value
    assert await count(store, "MATCH (:Opportunity {id: 'opp-bad'})") == 0


async def test_reps_managers_never_form_a_cycle(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    db.dirty()
    data_of(await gql(REP, {"input": {"id": "rep-t1", "name": "甲"}}))
    made = data_of(await gql(REP, {"input": {"id": "rep-t2", "name": "乙", "managerId": "rep-t1"}}))
    assert made["createRep"]["managerId"] == "rep-t1"
    body = await gql(
        UPDATE_REP, {"input": {"id": "rep-t1", "expectedVersion": 1, "managerId": "rep-t2"}}
    )
    assert error_codes(body) == ["INVALID_INPUT"]
    assert error(body)["reason"] == "CYCLE" and error(body)["field"] == "input.managerId"
    self_managed = await gql(
        UPDATE_REP, {"input": {"id": "rep-t1", "expectedVersion": 1, "managerId": "rep-t1"}}
    )
    assert error_codes(self_managed) == ["INVALID_INPUT"]


async def test_account_teams_members_and_accounts(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    body = await gql(
        """mutation {
          a: createAccountTeam(input: {id: "team-new", name: "新组", managerId: "rep-ma-jun"}) {
            id managerId }
          b: setTeamMember(input: {teamId: "team-new", repId: "rep-liu-yang", role: AE}) {
            teamId rep { id } role version }
          c: setTeamAccount(input: {teamId: "team-new", partyId: "org-huasheng"}) {
            teamId party { id } version }
        }"""
    )
    data = data_of(body)
    assert data["a"] == {"id": "team-new", "managerId": "rep-ma-jun"}
    assert data["b"] == {
        "teamId": "team-new",
        "rep": {"id": "rep-liu-yang"},
        "role": "AE",
        "version": 1,
    }
    assert data["c"] == {"teamId": "team-new", "party": {"id": "org-huasheng"}, "version": 1}
    removed = data_of(
        await gql(
            """mutation { removeLink(input: {kind: TEAM_MEMBER, teamId: "team-new",
                 repId: "rep-liu-yang"}) { kind teamId repId } }"""
        )
    )["removeLink"]
    assert removed == {"kind": "TEAM_MEMBER", "teamId": "team-new", "repId": "rep-liu-yang"}
    assert await count(store, "MATCH (:Rep)-[:MEMBER_OF]->(:AccountTeam {id: 'team-new'})") == 0


async def test_affinity_rules_and_events_follow_the_declared_rules(
    db: Database, gql: GraphQLClient
) -> None:
    await db.demo()
    db.dirty()
    both = await gql(
        RULE,
        {
            "input": {
                "id": "rule-x",
                "reason": "r",
                "whenEventKind": "IPO",
                "whenProductId": "prod-lc",
                "suggestsProductIds": ["prod-lc"],
            }
        },
    )
    assert error_codes(both) == ["INVALID_INPUT"]
    rule = data_of(
        await gql(
            RULE,
            {
                "input": {
                    "id": "rule-x",
                    "reason": "上市需要结算",
                    "whenEventKind": "IPO",
                    "suggestsProductIds": ["prod-lc"],
                    "weight": 0.7,
                }
            },
        )
    )["createAffinityRule"]
    assert rule == {
        "id": "rule-x",
        "whenEventKind": "IPO",
        "suggestsProductIds": ["prod-lc"],
        "weight": 0.7,
    }
    event = data_of(
        await gql(
            EVENT,
            {
                "input": {
                    "id": "ev-ipo",
                    "organizationId": "org-cimc",
                    "kind": "IPO",
                    "title": "上市",
                    "date": "2027-01-02",
                }
            },
        )
    )["createBusinessEvent"]
    assert event["organizationId"] == "org-cimc" and event["date"] == "2027-01-02"


async def test_reps_write_opportunities_they_see_and_nothing_of_the_catalogue(
    db: Database, production: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    rep = as_key(production.url, "demo-rep")  # 刘洋: team-cimc (org-cimc), not 华胜
    forbidden = await rep(PRODUCT, {"input": {"id": "prod-rep", "name": "x"}})
    assert error_codes(forbidden) == ["FORBIDDEN"]
    assert await count(store, "MATCH (:Product {id: 'prod-rep'})") == 0
    for query, given in (
        (REP, {"id": "rep-by-rep", "name": "x"}),
        (
            RULE,
            {
                "id": "rule-r",
                "reason": "x",
                "whenEventKind": "K",
                "suggestsProductIds": ["prod-lc"],
            },
        ),
    ):
        assert error_codes(await rep(query, {"input": given})) == ["FORBIDDEN"]

    base = {"name": "x", "stage": "IDENTIFIED"}
    mine = await rep(OPPORTUNITY, {"input": {**base, "id": "opp-rep", "accountId": "org-cimc"}})
    assert data_of(mine)["createOpportunity"]["accountId"] == "org-cimc"
    hidden = await rep(
        OPPORTUNITY, {"input": {**base, "id": "opp-rep2", "accountId": "org-huasheng"}}
    )
    unknown = await rep(
        OPPORTUNITY, {"input": {**base, "id": "opp-rep2", "accountId": "org-nowhere"}}
    )
    assert error_codes(hidden) == error_codes(unknown) == ["NOT_FOUND"]
    assert error(hidden)["field"] == error(unknown)["field"] == "input.accountId"
    # Moving one's opportunity to an account one does not see: as unknown, nothing moves.
    moved = await rep(
        UPDATE_OPPORTUNITY,
        {"input": {"id": "opp-rep", "expectedVersion": 1, "accountId": "org-huasheng"}},
    )
    assert error_codes(moved) == ["NOT_FOUND"]
    assert (
        await count(
            store, "MATCH (:Opportunity {id: 'opp-rep'})-[:FOR_ACCOUNT]->({id: 'org-cimc'})"
        )
        == 1
    )


async def test_apply_changes_mixes_kinds_all_or_nothing(
    db: Database, gql: GraphQLClient, store: Store
) -> None:
    await db.demo()
    db.dirty()
    changes = [
        {"createProduct": {"id": "prod-batch", "name": "批量"}},
        {
            "createOpportunity": {
                "id": "opp-batch",
                "name": "b",
                "accountId": "org-cimc",
                "stage": "IDENTIFIED",
                "productIds": ["prod-batch"],
            }
        },
        {"createRep": {"id": "rep-batch", "name": "r", "managerId": "rep-nope"}},
    ]
    query = "mutation($c: [ChangeInput!]!) { applyChanges(changes: $c) { __typename } }"
    body = await gql(query, {"c": changes})
    assert error_codes(body) == ["NOT_FOUND"]
    assert error(body)["field"] == "changes[2].createRep.managerId"
    assert await count(store, "MATCH (n) WHERE n.id IN ['prod-batch', 'opp-batch']") == 0
    done = data_of(await gql(query, {"c": changes[:2]}))["applyChanges"]
    assert [r["__typename"] for r in done] == ["ProductRecord", "OpportunityRecord"]
