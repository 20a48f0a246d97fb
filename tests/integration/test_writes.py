"""The write API over real HTTP: each mutation kind, idempotent retries, versions, validation,
one transaction per mutation, and the views reading what was written."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph_api.bulk.spec import SECTION_BY_NAME
from graph_api.domain.access import Role, Viewer
from graph_api.domain.errors import Forbidden, NotFound
from graph_api.domain.writes import EntityKind
from graph_api.services.access import access_for
from graph_api.services.audit import prune_audit
from graph_api.services.write_input import create_node, set_link
from graph_api.services.writes import apply_changes
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database, GraphQLClient, data_of, error_codes

# A small account: 中集-like group with a branch, three people in a reporting line
# (王 -> 李 -> 陈), one rep, two products, an opportunity and one policy.
GRAPH: dict[str, Any] = {
    "organizations": [
        {"id": "org-acme", "name": "Acme Group", "orgType": "GROUP"},
        {"id": "org-acme-sz", "name": "Acme Shenzhen", "orgType": "BRANCH", "parentId": "org-acme"},
        {"id": "org-other", "name": "Other Co"},
    ],
    "people": [
        {"id": "p-chen", "name": "陈总"},
        {"id": "p-li", "name": "李娜"},
        {"id": "p-wang", "name": "王工"},
        {"id": "p-zhao", "name": "赵敏"},
    ],
    "reps": [{"id": "rep-ann", "name": "Ann", "role": "AE"}],
    "products": [
        {"id": "prod-life", "name": "Life insurance", "segment": "RETAIL"},
        {"id": "prod-loan", "name": "Commercial loan", "segment": "CORPORATE"},
    ],
    "opportunities": [
        {
            "id": "opp-loan",
            "name": "Overseas lines loan",
            "accountId": "org-acme",
            "stage": "QUALIFIED",
            "productIds": ["prod-loan"],
        }
    ],
    "holdings": [{"id": "h-chen-life", "partyId": "p-chen", "productId": "prod-life"}],
    "employment": [
        {"personId": "p-chen", "organizationId": "org-acme", "title": "CEO", "primary": True},
        {"personId": "p-li", "organizationId": "org-acme", "title": "CFO"},
        {"personId": "p-wang", "organizationId": "org-acme-sz", "title": "Engineer"},
    ],
    "reporting": [
        {"personId": "p-li", "managerId": "p-chen"},
        {"personId": "p-wang", "managerId": "p-li"},
    ],
}

CREATE_PERSON = """
mutation ($input: CreatePersonInput!) {
  createPerson(input: $input) { id name city grade tier version birthDate aliases }
}"""
UPDATE_PERSON = """
mutation ($input: UpdatePersonInput!) {
  updatePerson(input: $input) { id name city grade version }
}"""
CREATE_ORG = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id name version parent { id } ancestors { id } }
}"""
UPDATE_ORG = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { id version parent { id } }
}"""
SET_EMPLOYMENT = """
mutation ($input: EmploymentInput!) {
  setEmployment(input: $input) {
    person { id } organization { id } title department since primary version
  }
}"""
SET_REPORTING = """
mutation ($input: ReportingLineInput!) {
  setReportingLine(input: $input) { person { id } manager { id } version }
}"""
SET_FAMILY = """
mutation ($input: FamilyLinkInput!) {
  setFamilyLink(input: $input) { from { id } to { id } kind version }
}"""
SET_BENEFICIARY = """
mutation ($input: BeneficiaryInput!) {
  setBeneficiary(input: $input) { person { id } holdingId share version }
}"""
SET_BUYING_ROLE = """
mutation ($input: BuyingRoleInput!) {
  setBuyingRole(input: $input) {
    person { id } account { id } opportunityId role attitude influence note version
  }
}"""
SET_INFLUENCE = """
mutation ($input: InfluenceInput!) {
  setInfluence(input: $input) { from { id } to { id } strength kind version }
}"""
SET_ACQUAINTANCE = """
mutation ($input: AcquaintanceInput!) {
  setAcquaintance(input: $input) { from { id } to { id } strength context version }
}"""
SET_COVERAGE = """
mutation ($input: CoverageInput!) {
  setCoverage(input: $input) { rep { id } person { id } strength kind version }
}"""
CREATE_HOLDING = """
mutation ($input: CreateHoldingInput!) {
  createHolding(input: $input) { id holder { id } product { id } since amount status version }
}"""
UPDATE_HOLDING = """
mutation ($input: UpdateHoldingInput!) {
  updateHolding(input: $input) { id amount status version }
}"""
CREATE_INTERACTION = """
mutation ($input: CreateInteractionInput!) {
  createInteraction(input: $input) {
    id kind at subject parties { id } reps { id } opportunityId version
  }
}"""
UPDATE_INTERACTION = """
mutation ($input: UpdateInteractionInput!) {
  updateInteraction(input: $input) { id subject parties { id } reps { id } version }
}"""
REMOVE_LINK = """
mutation ($input: RemoveLinkInput!) {
  removeLink(input: $input) {
    kind personId organizationId managerId fromId toId holdingId accountId opportunityId repId
  }
}"""
APPLY = """
mutation ($changes: [ChangeInput!]!) {
  applyChanges(changes: $changes) {
    __typename
    ... on Person { id version }
    ... on EmploymentLink { title version }
    ... on ReportingLine { person { id } manager { id } }
  }
}"""
AUDIT = """
query ($id: ID!, $first: Int, $after: String) {
  auditTrail(partyId: $id, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      who at mutation action entity key version partyIds requestId
      changes { field before after }
    } }
  }
}"""
VIEW = """
query ($id: ID!) {
  party(id: $id) {
    id version
    coverage { rep { id } strength kind }
    relationships { kind party { id } strength }
    ... on Person {
      employments { organization { id } title }
      managers { id } directReports { id }
      household { person { id } relation }
      householdHoldings { id holder { id } beneficiaries { person { id } share } }
    }
    ... on Organization { parent { id } children { id }
      openOpportunities { id buyingCentre { person { id } role attitude } } }
  }
}"""


async def load(db: Database, tmp_path: Path) -> None:
    await db.load(GRAPH, tmp_path)


async def write(gql: GraphQLClient, query: str, input: dict[str, Any]) -> Any:
    """The mutation's result; it must succeed."""
    data = data_of(await gql(query, {"input": input}))
    (result,) = data.values()
    return result


async def refused(gql: GraphQLClient, query: str, input: dict[str, Any]) -> dict[str, Any]:
    """The mutation's one error (its extensions, with the message); it must fail."""
    body = await gql(query, {"input": input})
    assert body.get("errors"), body
    assert len(body["errors"]) == 1, body["errors"]
    error = body["errors"][0]
    return {"message": error["message"], **error["extensions"]}


async def view(gql: GraphQLClient, party_id: str) -> dict[str, Any]:
    party: dict[str, Any] = data_of(await gql(VIEW, {"id": party_id}))["party"]
    return party


async def trail(gql: GraphQLClient, party_id: str, first: int = 50) -> dict[str, Any]:
    result: dict[str, Any] = data_of(await gql(AUDIT, {"id": party_id, "first": first}))[
        "auditTrail"
    ]
    return result


# ----- people and organizations -----


async def test_retried_create_changes_nothing_and_answers_the_same(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    person = {
        "id": "p-new",
        "name": "  张三 ",
        "city": "上海",
        "grade": 3,
        "aliases": ["Zhang San"],
    }
    first = await gql(CREATE_PERSON, {"input": person})
    again = await gql(CREATE_PERSON, {"input": person})
    assert data_of(first) == data_of(again)
    created = data_of(first)["createPerson"]
    # The import's rules apply: text is trimmed.
    assert created["name"] == "张三" and created["version"] == 1
    audit = await trail(gql, "p-new")
    assert audit["totalCount"] == 1
    assert (await view(gql, "p-new"))["version"] == 1


async def test_create_with_an_existing_id_and_other_data_is_a_conflict(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    error = await refused(gql, CREATE_PERSON, {"id": "p-li", "name": "Someone else"})
    assert error["code"] == "CONFLICT"
    assert error["field"] == "input.id" and error["value"] == "p-li"
    assert error["currentVersion"] == 1 and error["fields"] == ["name"]
    # An organization id is not a person to create either.
    error = await refused(gql, CREATE_PERSON, {"id": "org-acme", "name": "Acme Group"})
    assert error["code"] == "CONFLICT" and "organization" in error["message"]
    party = data_of(await gql('{ party(id: "p-li") { name version } }'))["party"]
    assert party == {"name": "李娜", "version": 1}


async def test_update_with_the_version_then_a_stale_update_is_refused(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    updated = await write(gql, UPDATE_PERSON, {"id": "p-li", "expectedVersion": 1, "city": "深圳"})
    assert updated == {"id": "p-li", "name": "李娜", "city": "深圳", "grade": None, "version": 2}
    error = await refused(gql, UPDATE_PERSON, {"id": "p-li", "expectedVersion": 1, "city": "北京"})
    assert error["code"] == "CONFLICT"
    assert error["field"] == "input.expectedVersion" and error["value"] == 1
    assert error["currentVersion"] == 2
    party = data_of(await gql('{ party(id: "p-li") { ... on Person { city } version } }'))
    assert party["party"] == {"city": "深圳", "version": 2}
    # The same values with the stale version are refused too: from the answer alone, a
    # retry and a second client that read version 1 cannot be told apart (issue 13.3).
    error = await refused(gql, UPDATE_PERSON, {"id": "p-li", "expectedVersion": 1, "city": "深圳"})
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 2
    # With the current version, an update that changes nothing succeeds without a version.
    again = await write(gql, UPDATE_PERSON, {"id": "p-li", "expectedVersion": 2, "city": "深圳"})
    assert again["version"] == 2
    assert (await trail(gql, "p-li"))["totalCount"] == 1


async def test_update_clears_an_optional_field_with_null_but_never_a_required_one(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    await write(gql, CREATE_PERSON, {"id": "p-new", "name": "张三", "city": "上海"})
    cleared = await write(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 1, "city": None})
    assert cleared["city"] is None and cleared["version"] == 2
    error = await refused(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 2, "name": None})
    assert error["code"] == "INVALID_INPUT" and error["field"] == "input.name"
    assert "cannot be cleared" in error["message"]
    entries = (await trail(gql, "p-new"))["edges"]
    assert entries[0]["node"]["changes"] == [{"field": "city", "before": "上海", "after": None}]


async def test_an_update_of_an_unknown_id_is_not_found(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    error = await refused(gql, UPDATE_PERSON, {"id": "p-nobody", "expectedVersion": 1, "city": "x"})
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.id"
    assert error["value"] == "p-nobody"
    # Nor is an organization a person to update.
    error = await refused(gql, UPDATE_PERSON, {"id": "org-acme", "expectedVersion": 1, "city": "x"})
    assert error["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("name", "x" * 201, "TOO_LONG"),  # spec: NAME_LEN 200
        ("homeAddress", "y" * 501, "TOO_LONG"),  # spec: 500
        ("grade", 6, "OUT_OF_RANGE"),  # spec: 1..5
        ("name", "bad\x07name", "BAD_VALUE"),  # control character
        ("aliases", ["z" * 201], "TOO_LONG"),
    ],
)
async def test_person_fields_are_checked_by_the_import_rules(
    db: Database, gql: GraphQLClient, tmp_path: Path, field: str, value: Any, reason: str
) -> None:
    await db.empty()
    error = await refused(gql, CREATE_PERSON, {"id": "p-x", "name": "ok", field: value})
    assert error["code"] == "INVALID_INPUT"
    assert error["field"] == f"input.{field}" and error["reason"] == reason
    assert data_of(await gql('{ search(text: "ok") { totalCount } }'))["search"]["totalCount"] == 0


async def test_every_bad_field_is_listed(db: Database, gql: GraphQLClient) -> None:
    await db.empty()
    error = await refused(gql, CREATE_PERSON, {"id": "p-x", "name": "n" * 300, "grade": 0})
    fields = [p["field"] for p in error["problems"]]
    assert fields == ["input.name", "input.grade"]


async def test_an_unknown_enum_value_is_refused_naming_the_field(gql: GraphQLClient) -> None:
    body = await gql(CREATE_PERSON, {"input": {"id": "p-x", "name": "n", "tier": "PLATINUM"}})
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "tier" in body["errors"][0]["message"] and "PLATINUM" in body["errors"][0]["message"]


async def test_organization_parent_self_link_cycle_and_dangling_parent(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    created = await write(
        gql, CREATE_ORG, {"id": "org-acme-bj", "name": "Acme Beijing", "parentId": "org-acme-sz"}
    )
    assert created["parent"] == {"id": "org-acme-sz"}
    assert created["ancestors"] == [{"id": "org-acme-sz"}, {"id": "org-acme"}]
    # The group under its own grandchild: acme -> bj -> sz -> acme.
    error = await refused(
        gql, UPDATE_ORG, {"id": "org-acme", "expectedVersion": 1, "parentId": "org-acme-bj"}
    )
    assert error["code"] == "INVALID_INPUT" and error["reason"] == "CYCLE"
    assert error["field"] == "input.parentId" and error["value"] == "org-acme-bj"
    assert "org-acme -> org-acme-bj -> org-acme-sz -> org-acme" in error["message"]
    error = await refused(
        gql, UPDATE_ORG, {"id": "org-acme", "expectedVersion": 1, "parentId": "org-acme"}
    )
    assert error["reason"] == "SELF_LINK" and error["field"] == "input.parentId"
    error = await refused(gql, CREATE_ORG, {"id": "org-y", "name": "Y", "parentId": "org-none"})
    assert error["code"] == "NOT_FOUND"
    assert error["field"] == "input.parentId" and error["value"] == "org-none"
    # A person is no parent organization.
    error = await refused(gql, CREATE_ORG, {"id": "org-y", "name": "Y", "parentId": "p-li"})
    assert error["code"] == "NOT_FOUND" and error["value"] == "p-li"
    assert data_of(await gql('{ party(id: "org-acme") { version } }'))["party"]["version"] == 1

    # Moving the branch to another parent, then to none.
    moved = await write(
        gql, UPDATE_ORG, {"id": "org-acme-bj", "expectedVersion": 1, "parentId": "org-other"}
    )
    assert moved == {"id": "org-acme-bj", "version": 2, "parent": {"id": "org-other"}}
    assert (await view(gql, "org-acme-sz"))["children"] == []
    alone = await write(
        gql, UPDATE_ORG, {"id": "org-acme-bj", "expectedVersion": 2, "parentId": None}
    )
    assert alone["parent"] is None
    # The move concerns the old and the new parent too.
    assert (await trail(gql, "org-other"))["totalCount"] == 2
    assert (await trail(gql, "org-acme-sz"))["totalCount"] == 2  # created under it, moved away


# ----- links -----


async def test_employment_create_retry_conflict_update_and_the_view(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    job = {
        "personId": "p-zhao",
        "organizationId": "org-acme",
        "title": "CTO",
        "since": "2024-05-01",
    }
    created = await write(gql, SET_EMPLOYMENT, job)
    assert created == {
        "person": {"id": "p-zhao"},
        "organization": {"id": "org-acme"},
        "title": "CTO",
        "department": None,
        "since": "2024-05-01",
        "primary": None,
        "version": 1,
    }
    assert await write(gql, SET_EMPLOYMENT, job) == created
    error = await refused(gql, SET_EMPLOYMENT, {**job, "title": "CIO"})
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 1
    error = await refused(gql, SET_EMPLOYMENT, {**job, "title": "CIO", "expectedVersion": 3})
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 1
    updated = await write(
        gql, SET_EMPLOYMENT, {**job, "title": "CIO", "department": "IT", "expectedVersion": 1}
    )
    assert (updated["title"], updated["department"], updated["version"]) == ("CIO", "IT", 2)
    # Fields left out stay as they are.
    assert updated["since"] == "2024-05-01"
    assert (await view(gql, "p-zhao"))["employments"] == [
        {"organization": {"id": "org-acme"}, "title": "CIO"}
    ]
    entries = [e["node"] for e in (await trail(gql, "org-acme"))["edges"]]
    assert [(e["action"], e["version"]) for e in entries] == [("UPDATE", 2), ("CREATE", 1)]
    assert entries[0]["changes"] == [
        {"field": "title", "before": "CTO", "after": "CIO"},
        {"field": "department", "before": None, "after": "IT"},
    ]


async def test_reporting_line_self_link_cycles_and_the_org_chart(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    error = await refused(gql, SET_REPORTING, {"personId": "p-li", "managerId": "p-li"})
    assert error["code"] == "INVALID_INPUT" and error["reason"] == "SELF_LINK"
    assert error["field"] == "input.managerId" and error["value"] == "p-li"
    # 陈 -> 王 closes 王 -> 李 -> 陈.
    error = await refused(gql, SET_REPORTING, {"personId": "p-chen", "managerId": "p-wang"})
    assert error["code"] == "INVALID_INPUT" and error["reason"] == "CYCLE"
    assert "p-chen -> p-wang -> p-li -> p-chen" in error["message"]
    error = await refused(gql, SET_REPORTING, {"personId": "p-zhao", "managerId": "p-ghost"})
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.managerId"

    line = await write(gql, SET_REPORTING, {"personId": "p-zhao", "managerId": "p-chen"})
    assert line == {"person": {"id": "p-zhao"}, "manager": {"id": "p-chen"}, "version": 1}
    assert await write(gql, SET_REPORTING, {"personId": "p-zhao", "managerId": "p-chen"}) == line
    await write(gql, SET_EMPLOYMENT, {"personId": "p-zhao", "organizationId": "org-acme"})
    chart = data_of(
        await gql('{ orgChart(organizationId: "org-acme", depth: 3) { nodes { id managerId } } }')
    )["orgChart"]
    managers = {n["id"]: n["managerId"] for n in chart["nodes"]}
    assert managers["p-zhao"] == "p-chen" and managers["p-li"] == "p-chen"
    assert {"id": "p-zhao"} in (await view(gql, "p-chen"))["directReports"]


async def test_family_link_shows_in_the_household_and_its_kind_is_versioned(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    # 赵敏 is 陈总's CHILD: stored as PARENT from the parent.
    link = await write(gql, SET_FAMILY, {"fromId": "p-zhao", "toId": "p-chen", "kind": "CHILD"})
    assert link == {
        "from": {"id": "p-chen"},
        "to": {"id": "p-zhao"},
        "kind": "PARENT",
        "version": 1,
    }
    # The same link said the other way round is the same link.
    same = await write(gql, SET_FAMILY, {"fromId": "p-chen", "toId": "p-zhao", "kind": "PARENT"})
    assert same == link
    assert (await view(gql, "p-chen"))["household"] == [
        {"person": {"id": "p-zhao"}, "relation": "CHILD"}
    ]
    assert (await view(gql, "p-zhao"))["household"] == [
        {"person": {"id": "p-chen"}, "relation": "PARENT"}
    ]
    error = await refused(gql, SET_FAMILY, {"fromId": "p-chen", "toId": "p-zhao", "kind": "SPOUSE"})
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 1
    spouse = await write(
        gql,
        SET_FAMILY,
        {"fromId": "p-zhao", "toId": "p-chen", "kind": "SPOUSE", "expectedVersion": 1},
    )
    # Symmetric kinds are stored from the lower id.
    assert spouse == {
        "from": {"id": "p-chen"},
        "to": {"id": "p-zhao"},
        "kind": "SPOUSE",
        "version": 2,
    }
    assert (await view(gql, "p-zhao"))["household"] == [
        {"person": {"id": "p-chen"}, "relation": "SPOUSE"}
    ]
    error = await refused(gql, SET_FAMILY, {"fromId": "p-chen", "toId": "p-chen", "kind": "SPOUSE"})
    assert error["reason"] == "SELF_LINK" and error["field"] == "input.toId"
    # A parent whose id sorts after the child's stays the parent (PARENT is directed).
    parent = await write(gql, SET_FAMILY, {"fromId": "p-wang", "toId": "p-li", "kind": "PARENT"})
    assert (parent["from"], parent["to"]) == ({"id": "p-wang"}, {"id": "p-li"})
    assert (await view(gql, "p-li"))["household"] == [
        {"person": {"id": "p-wang"}, "relation": "PARENT"}
    ]


async def test_holding_and_beneficiary_show_in_the_household_holdings(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    holding = {
        "id": "h-zhao-life",
        "partyId": "p-zhao",
        "productId": "prod-life",
        "since": "2025-01-02",
        "amount": 500000,
        "status": "ACTIVE",
        "reference": "POL-123",
    }
    created = await write(gql, CREATE_HOLDING, holding)
    assert created == {
        "id": "h-zhao-life",
        "holder": {"id": "p-zhao"},
        "product": {"id": "prod-life"},
        "since": "2025-01-02",
        "amount": 500000.0,
        "status": "ACTIVE",
        "version": 1,
    }
    assert await write(gql, CREATE_HOLDING, holding) == created
    error = await refused(gql, CREATE_HOLDING, {**holding, "id": "h-2", "productId": "prod-none"})
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.productId"
    error = await refused(gql, CREATE_HOLDING, {**holding, "id": "h-2", "amount": -1})
    assert error["reason"] == "OUT_OF_RANGE" and error["field"] == "input.amount"
    updated = await write(
        gql, UPDATE_HOLDING, {"id": "h-zhao-life", "expectedVersion": 1, "status": "CLOSED"}
    )
    assert updated == {"id": "h-zhao-life", "amount": 500000.0, "status": "CLOSED", "version": 2}

    await write(gql, SET_FAMILY, {"fromId": "p-chen", "toId": "p-zhao", "kind": "SPOUSE"})
    share = await write(
        gql, SET_BENEFICIARY, {"personId": "p-chen", "holdingId": "h-zhao-life", "share": 1.0}
    )
    assert share == {
        "person": {"id": "p-chen"},
        "holdingId": "h-zhao-life",
        "share": 1.0,
        "version": 1,
    }
    error = await refused(
        gql, SET_BENEFICIARY, {"personId": "p-chen", "holdingId": "h-zhao-life", "share": 1.5}
    )
    assert error["reason"] == "OUT_OF_RANGE" and error["field"] == "input.share"
    holdings = {h["id"]: h for h in (await view(gql, "p-chen"))["householdHoldings"]}
    assert holdings["h-zhao-life"]["holder"] == {"id": "p-zhao"}
    assert holdings["h-zhao-life"]["beneficiaries"] == [{"person": {"id": "p-chen"}, "share": 1.0}]
    # The beneficiary link touches the beneficiary and the policy's holder.
    entries = [e["node"] for e in (await trail(gql, "p-zhao"))["edges"]]
    assert entries[0]["entity"] == "BENEFICIARY"
    assert entries[0]["partyIds"] == ["p-chen", "p-zhao"]


async def test_buying_roles_on_an_account_and_on_an_opportunity(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    on_account = await write(
        gql,
        SET_BUYING_ROLE,
        {"personId": "p-chen", "accountId": "org-acme", "role": "DECISION_MAKER"},
    )
    assert on_account["account"] == {"id": "org-acme"} and on_account["opportunityId"] is None
    on_deal = await write(
        gql,
        SET_BUYING_ROLE,
        {
            "personId": "p-li",
            "opportunityId": "opp-loan",
            "role": "APPROVER",
            "attitude": "SUPPORTER",
            "influence": "HIGH",
        },
    )
    assert on_deal["opportunityId"] == "opp-loan" and on_deal["account"] is None
    assert (on_deal["role"], on_deal["attitude"], on_deal["version"]) == (
        "APPROVER",
        "SUPPORTER",
        1,
    )
    # The attitude changes, with the version; the role stays.
    turned = await write(
        gql,
        SET_BUYING_ROLE,
        {
            "personId": "p-li",
            "opportunityId": "opp-loan",
            "attitude": "OPPONENT",
            "expectedVersion": 1,
        },
    )
    assert (turned["role"], turned["attitude"], turned["version"]) == ("APPROVER", "OPPONENT", 2)
    opportunities = (await view(gql, "org-acme"))["openOpportunities"]
    assert opportunities[0]["buyingCentre"] == [
        {"person": {"id": "p-li"}, "role": "APPROVER", "attitude": "OPPONENT"}
    ]
    deciders = data_of(
        await gql('{ keyDeciders(accountId: "org-acme", limit: 1) { person { id } role } }')
    )["keyDeciders"]
    assert deciders == [{"person": {"id": "p-chen"}, "role": "DECISION_MAKER"}]
    # A marker on a deal is filed under the deal's account.
    assert (await trail(gql, "org-acme"))["totalCount"] == 3

    error = await refused(
        gql,
        SET_BUYING_ROLE,
        {"personId": "p-li", "accountId": "org-acme", "opportunityId": "opp-loan", "role": "USER"},
    )
    assert error["code"] == "INVALID_INPUT" and error["reason"] == "EXACTLY_ONE"
    error = await refused(gql, SET_BUYING_ROLE, {"personId": "p-li", "accountId": "org-acme"})
    assert error["code"] == "INVALID_INPUT" and "at least one of" in error["message"]
    error = await refused(
        gql, SET_BUYING_ROLE, {"personId": "p-li", "opportunityId": "opp-none", "role": "USER"}
    )
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.opportunityId"


async def test_influence_acquaintance_and_coverage_show_in_the_view(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    influence = await write(
        gql,
        SET_INFLUENCE,
        {"fromId": "p-li", "toId": "p-chen", "strength": 0.7, "kind": "ADVISORY"},
    )
    assert influence == {
        "from": {"id": "p-li"},
        "to": {"id": "p-chen"},
        "strength": 0.7,
        "kind": "ADVISORY",
        "version": 1,
    }
    # Acquaintance is undirected: stored from the lower id, found either way.
    known = await write(
        gql, SET_ACQUAINTANCE, {"fromId": "p-zhao", "toId": "p-wang", "strength": 0.4}
    )
    assert (known["from"], known["to"]) == ({"id": "p-wang"}, {"id": "p-zhao"})
    assert (
        await write(gql, SET_ACQUAINTANCE, {"fromId": "p-wang", "toId": "p-zhao", "strength": 0.4})
        == known
    )
    coverage = await write(
        gql,
        SET_COVERAGE,
        {"repId": "rep-ann", "personId": "p-chen", "strength": 0.9, "kind": "PERSONAL"},
    )
    assert coverage["rep"] == {"id": "rep-ann"} and coverage["version"] == 1
    chen = await view(gql, "p-chen")
    assert chen["coverage"] == [{"rep": {"id": "rep-ann"}, "strength": 0.9, "kind": "PERSONAL"}]
    assert chen["relationships"] == [
        {"kind": "INFLUENCED_BY", "party": {"id": "p-li"}, "strength": 0.7}
    ]
    zhao = await view(gql, "p-zhao")
    assert zhao["relationships"] == [{"kind": "KNOWS", "party": {"id": "p-wang"}, "strength": 0.4}]
    # The strongest way in to 陈总 is now Ann's coverage.
    intros = data_of(
        await gql('{ warmIntroductions(targetId: "p-chen", limit: 1) { nodes { id } weight } }')
    )["warmIntroductions"]
    assert intros == [{"nodes": [{"id": "rep-ann"}, {"id": "p-chen"}], "weight": 0.9}]

    for query, bad in [
        (SET_INFLUENCE, {"fromId": "p-li", "toId": "p-li"}),
        (SET_ACQUAINTANCE, {"fromId": "p-li", "toId": "p-li"}),
    ]:
        error = await refused(gql, query, bad)
        assert error["reason"] == "SELF_LINK"
    error = await refused(
        gql, SET_COVERAGE, {"repId": "rep-ann", "personId": "p-li", "strength": 2}
    )
    assert error["reason"] == "OUT_OF_RANGE" and error["field"] == "input.strength"
    error = await refused(
        gql, SET_COVERAGE, {"repId": "rep-bob", "personId": "p-li", "strength": 0.5}
    )
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.repId"
    assert error["value"] == "rep-bob"


async def test_interactions_create_update_and_the_view(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    visit = {
        "id": "i-visit",
        "kind": "VISIT",
        "at": "2026-03-01T09:30:00+08:00",
        "partyIds": ["p-chen", "org-acme"],
        "repIds": ["rep-ann"],
        "opportunityId": "opp-loan",
        "subject": "Overseas lines",
    }
    created = await write(gql, CREATE_INTERACTION, visit)
    assert created == {
        "id": "i-visit",
        "kind": "VISIT",
        "at": "2026-03-01T01:30:00+00:00",
        "subject": "Overseas lines",
        "parties": [{"id": "org-acme"}, {"id": "p-chen"}],
        "reps": [{"id": "rep-ann"}],
        "opportunityId": "opp-loan",
        "version": 1,
    }
    # The same instant written in UTC is the same data.
    assert await write(gql, CREATE_INTERACTION, {**visit, "at": "2026-03-01T01:30:00Z"}) == created
    error = await refused(gql, CREATE_INTERACTION, {**visit, "id": "i-2", "repIds": ["rep-nobody"]})
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.repIds"
    assert error["value"] == "rep-nobody"
    error = await refused(gql, CREATE_INTERACTION, {**visit, "id": "i-2", "partyIds": []})
    assert error["code"] == "INVALID_INPUT" and error["field"] == "input.partyIds"

    moved = await write(
        gql,
        UPDATE_INTERACTION,
        {"id": "i-visit", "expectedVersion": 1, "partyIds": ["p-li"], "subject": "Follow-up"},
    )
    assert moved == {
        "id": "i-visit",
        "subject": "Follow-up",
        "parties": [{"id": "p-li"}],
        "reps": [{"id": "rep-ann"}],
        "version": 2,
    }
    count = '{ party(id: "%s") { interactions { totalCount } } }'
    assert data_of(await gql(count % "p-li"))["party"]["interactions"]["totalCount"] == 1
    assert data_of(await gql(count % "p-chen"))["party"]["interactions"]["totalCount"] == 0
    # Both the parties it left and the one it joined see the change in their trail.
    assert (await trail(gql, "p-chen"))["totalCount"] == 2
    assert (await trail(gql, "p-li"))["totalCount"] == 1


async def test_a_dangling_reference_is_not_found_and_writes_nothing(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    error = await refused(
        gql, SET_EMPLOYMENT, {"personId": "p-li", "organizationId": "org-gone", "title": "x"}
    )
    assert error["code"] == "NOT_FOUND"
    assert error["field"] == "input.organizationId" and error["value"] == "org-gone"
    error = await refused(
        gql, SET_EMPLOYMENT, {"personId": "org-acme", "organizationId": "org-acme"}
    )
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.personId"
    assert (await view(gql, "p-li"))["employments"] == [
        {"organization": {"id": "org-acme"}, "title": "CFO"}
    ]
    assert (await trail(gql, "p-li"))["totalCount"] == 0


# ----- removing links -----


async def test_remove_each_kind_of_link(db: Database, gql: GraphQLClient, tmp_path: Path) -> None:
    await load(db, tmp_path)
    links: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (
            SET_EMPLOYMENT,
            {"personId": "p-zhao", "organizationId": "org-acme"},
            {"kind": "EMPLOYMENT"},
        ),
        (SET_REPORTING, {"personId": "p-zhao", "managerId": "p-chen"}, {"kind": "REPORTING_LINE"}),
        (SET_FAMILY, {"fromId": "p-zhao", "toId": "p-wang", "kind": "SIBLING"}, {"kind": "FAMILY"}),
        (
            SET_BENEFICIARY,
            {"personId": "p-zhao", "holdingId": "h-chen-life"},
            {"kind": "BENEFICIARY"},
        ),
        (
            SET_BUYING_ROLE,
            {"personId": "p-zhao", "opportunityId": "opp-loan", "role": "USER"},
            {"kind": "BUYING_ROLE"},
        ),
        (SET_INFLUENCE, {"fromId": "p-zhao", "toId": "p-li"}, {"kind": "INFLUENCE"}),
        (SET_ACQUAINTANCE, {"fromId": "p-zhao", "toId": "org-other"}, {"kind": "ACQUAINTANCE"}),
        (
            SET_COVERAGE,
            {"repId": "rep-ann", "personId": "p-zhao", "strength": 0.5},
            {"kind": "COVERAGE"},
        ),
    ]
    for query, input, _ in links:
        await write(gql, query, input)
    before = await view(gql, "p-zhao")
    assert before["employments"] and before["managers"] and before["household"]
    assert before["coverage"] and len(before["relationships"]) == 2

    for _, input, kind in links:
        key = {k: v for k, v in input.items() if k.endswith("Id")}
        removed = await write(gql, REMOVE_LINK, {**kind, **key})
        assert removed["kind"] == kind["kind"]
        # Undirected links answer their stored order (from the lower id): compare the ids.
        named = [v for k, v in removed.items() if v is not None and k != "kind"]
        assert sorted(named) == sorted(key.values())
        # Removing it again changes nothing and answers the same.
        assert await write(gql, REMOVE_LINK, {**kind, **key}) == removed

    after = await view(gql, "p-zhao")
    assert after["employments"] == [] and after["managers"] == [] and after["household"] == []
    assert after["coverage"] == [] and after["relationships"] == []
    chen = await view(gql, "p-chen")
    assert chen["householdHoldings"][0]["beneficiaries"] == []
    deleted = [
        e["node"] for e in (await trail(gql, "p-zhao"))["edges"] if e["node"]["action"] == "DELETE"
    ]
    assert len(deleted) == 8 and all(e["version"] is None for e in deleted)
    coverage = next(e for e in deleted if e["entity"] == "COVERAGE")
    # Coverage has history: removing it closes its period today (a link made today held on
    # no day, so no WAS_COVERS period is kept: tests/integration/test_history.py).
    today = datetime.now(UTC).date().isoformat()
    assert coverage["changes"] == [
        {"field": "strength", "before": 0.5, "after": None},
        {"field": "validTo", "before": None, "after": today},
    ]


async def test_remove_link_checks_its_key_and_version(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    error = await refused(gql, REMOVE_LINK, {"kind": "REPORTING_LINE", "personId": "p-li"})
    assert error["code"] == "INVALID_INPUT" and error["field"] == "input.managerId"
    error = await refused(
        gql, REMOVE_LINK, {"kind": "EMPLOYMENT", "personId": "p-li", "managerId": "p-chen"}
    )
    assert error["code"] == "INVALID_INPUT" and error["field"] == "input.managerId"
    error = await refused(
        gql,
        REMOVE_LINK,
        {
            "kind": "EMPLOYMENT",
            "personId": "p-li",
            "organizationId": "org-acme",
            "expectedVersion": 2,
        },
    )
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 1
    assert (await view(gql, "p-li"))["employments"] != []
    error = await refused(
        gql, REMOVE_LINK, {"kind": "COVERAGE", "repId": "rep-ann", "personId": "p-nobody"}
    )
    assert error["code"] == "NOT_FOUND" and error["field"] == "input.personId"


# ----- several changes in one transaction -----


async def test_apply_changes_writes_all_in_one_transaction(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    changes = [
        {"createPerson": {"id": "p-sun", "name": "孙经理"}},
        # A later change sees the earlier ones: the person just created.
        {"setEmployment": {"personId": "p-sun", "organizationId": "org-acme-sz", "title": "GM"}},
        {"setReportingLine": {"personId": "p-wang", "managerId": "p-sun"}},
    ]
    results = data_of(await gql(APPLY, {"changes": changes}))["applyChanges"]
    assert results == [
        {"__typename": "Person", "id": "p-sun", "version": 1},
        {"__typename": "EmploymentLink", "title": "GM", "version": 1},
        {"__typename": "ReportingLine", "person": {"id": "p-wang"}, "manager": {"id": "p-sun"}},
    ]
    assert {"id": "p-wang"} in (await view(gql, "p-sun"))["directReports"]
    entries = [e["node"] for e in (await trail(gql, "p-sun"))["edges"]]
    assert [e["entity"] for e in entries] == ["REPORTING_LINE", "EMPLOYMENT", "PERSON"]
    assert len({e["requestId"] for e in entries}) == 1
    assert {e["mutation"] for e in entries} == {"applyChanges"}
    assert len({e["at"] for e in entries}) == 1


async def test_apply_changes_that_fails_midway_writes_nothing(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    changes = [
        {"createPerson": {"id": "p-sun", "name": "孙经理"}},
        {"setEmployment": {"personId": "p-sun", "organizationId": "org-acme"}},
        {"setReportingLine": {"personId": "p-sun", "managerId": "p-wang"}},
        {"updatePerson": {"id": "p-wang", "expectedVersion": 1, "city": "深圳"}},
        # Closes p-wang -> p-li -> p-chen -> p-sun -> p-wang, counting change 2 (not committed).
        {"setReportingLine": {"personId": "p-chen", "managerId": "p-sun"}},
    ]
    body = await gql(APPLY, {"changes": changes})
    assert error_codes(body) == ["INVALID_INPUT"]
    ext = body["errors"][0]["extensions"]
    assert ext["field"] == "changes[4].setReportingLine.managerId" and ext["reason"] == "CYCLE"
    assert body["data"] is None
    missing = await gql('{ party(id: "p-sun") { id } }')
    assert error_codes(missing) == ["NOT_FOUND"]
    wang = data_of(await gql('{ party(id: "p-wang") { version ... on Person { city } } }'))
    assert wang["party"] == {"version": 1, "city": None}
    assert (await view(gql, "p-wang"))["managers"] == [{"id": "p-li"}]
    for party in ("p-wang", "p-chen", "org-acme"):
        assert (await trail(gql, party))["totalCount"] == 0

    # A bad field in a later change is refused before the transaction, naming the change.
    changes[4] = {"updatePerson": {"id": "p-wang", "expectedVersion": 1, "grade": 9}}
    body = await gql(APPLY, {"changes": changes})
    assert body["errors"][0]["extensions"]["field"] == "changes[4].updatePerson.grade"
    assert error_codes(await gql('{ party(id: "p-sun") { id } }')) == ["NOT_FOUND"]


async def test_apply_changes_takes_one_kind_per_change_and_a_bounded_list(
    gql: GraphQLClient,
) -> None:
    two = [{"createPerson": {"id": "a", "name": "a"}, "removeLink": {"kind": "FAMILY"}}]
    assert error_codes(await gql(APPLY, {"changes": two})) == ["GRAPHQL_VALIDATION_FAILED"]
    body = await gql(APPLY, {"changes": []})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "changes"
    many = [{"createPerson": {"id": f"p-{i}", "name": "n"}} for i in range(101)]
    body = await gql(APPLY, {"changes": many})
    assert (
        error_codes(body) == ["INVALID_INPUT"] and body["errors"][0]["extensions"]["value"] == 101
    )


# ----- the audit trail -----


async def test_audit_trail_says_who_when_what_newest_first_in_pages(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    started = datetime.now(UTC)
    await write(gql, CREATE_PERSON, {"id": "p-new", "name": "张三", "city": "上海"})
    await write(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 1, "name": "张三丰"})
    await write(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 2, "city": "北京"})
    await write(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 3, "city": "深圳"})
    await write(gql, SET_FAMILY, {"fromId": "p-new", "toId": "p-chen", "kind": "SIBLING"})
    finished = datetime.now(UTC)

    seen: list[dict[str, Any]] = []
    after = None
    pages = []
    while True:
        page = data_of(await gql(AUDIT, {"id": "p-new", "first": 2, "after": after}))["auditTrail"]
        assert page["totalCount"] == 5
        pages.append(len(page["edges"]))
        seen.extend(e["node"] for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == [2, 2, 1]
    assert [(e["mutation"], e["action"], e["version"]) for e in seen] == [
        ("setFamilyLink", "CREATE", 1),
        ("updatePerson", "UPDATE", 4),
        ("updatePerson", "UPDATE", 3),
        ("updatePerson", "UPDATE", 2),
        ("createPerson", "CREATE", 1),
    ]
    assert all(e["who"] == "development" for e in seen)
    times = [datetime.fromisoformat(e["at"]) for e in seen]
    assert all(started <= t <= finished for t in times)
    assert times == sorted(times, reverse=True)
    assert seen[0]["entity"] == "FAMILY"
    assert seen[0]["key"] == {"fromId": "p-chen", "toId": "p-new"}
    assert seen[0]["partyIds"] == ["p-chen", "p-new"]
    assert seen[1]["changes"] == [{"field": "city", "before": "北京", "after": "深圳"}]
    assert seen[3]["changes"] == [{"field": "name", "before": "张三", "after": "张三丰"}]
    assert seen[4]["changes"] == [
        {"field": "name", "before": None, "after": "张三"},
        {"field": "city", "before": None, "after": "上海"},
    ]
    # The other party of the family link has it in its trail too.
    chen = await trail(gql, "p-chen")
    assert [e["node"]["entity"] for e in chen["edges"]] == ["FAMILY"]


async def test_audit_trail_checks_its_arguments(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    body = await gql(AUDIT, {"id": "p-nobody"})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(AUDIT, {"id": "p-li", "after": "garbage"})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "after"
    body = await gql(AUDIT, {"id": "p-li", "first": 0})
    assert error_codes(body) == ["INVALID_INPUT"]


async def test_existing_reads_do_not_trip_over_audit_entries(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    # Audit entries hold the names written; search and cross-sell must still see parties only.
    await write(gql, UPDATE_PERSON, {"id": "p-li", "expectedVersion": 1, "aliases": ["Li Na"]})
    await write(
        gql, CREATE_HOLDING, {"id": "h-li-loan", "partyId": "p-li", "productId": "prod-loan"}
    )
    await write(gql, SET_FAMILY, {"fromId": "p-li", "toId": "p-chen", "kind": "SPOUSE"})
    hits = data_of(await gql('{ search(text: "Li") { totalCount edges { node { id } } } }'))
    assert hits["search"] == {"totalCount": 1, "edges": [{"node": {"id": "p-li"}}]}
    # Written links are evidence: his spouse (linked above) holds the loan (created above).
    sell = data_of(
        await gql('{ crossSell(partyId: "p-chen") { suggestions { product { id } kinds } } }')
    )
    assert {"product": {"id": "prod-loan"}, "kinds": ["HOUSEHOLD"]} in sell["crossSell"][
        "suggestions"
    ]
    path = data_of(
        await gql('{ relationshipPath(fromId: "p-wang", toId: "p-chen") { nodes { id } } }')
    )["relationshipPath"]
    assert path and path[0]["nodes"][0] == {"id": "p-wang"}
    assert path[0]["nodes"][-1] == {"id": "p-chen"}


# ----- concurrency and authorization -----


async def test_concurrent_retries_of_one_create_make_one_node(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    person = {"id": "p-race", "name": "并发"}
    bodies = await asyncio.gather(*(gql(CREATE_PERSON, {"input": person}) for _ in range(6)))
    answers = [data_of(b)["createPerson"] for b in bodies]
    assert all(a == answers[0] for a in answers) and answers[0]["version"] == 1
    assert (await trail(gql, "p-race"))["totalCount"] == 1


async def test_concurrent_reporting_lines_never_close_a_cycle(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # Four lines a->b, b->c, c->d, d->a sent at once: whichever comes last would close the
    # ring, and must see the other three (each pair of far-apart lines shares no person).
    people = [{"id": f"p-{r}-{i}", "name": f"{r}{i}"} for r in range(3) for i in range(4)]
    await db.load({"people": people}, tmp_path)
    for ring in range(3):
        ids = [f"p-{ring}-{i}" for i in range(4)]
        lines = [{"personId": ids[i], "managerId": ids[(i + 1) % 4]} for i in range(4)]
        bodies = await asyncio.gather(*(gql(SET_REPORTING, {"input": x}) for x in lines))
        refusals = [b["errors"][0]["extensions"] for b in bodies if b.get("errors")]
        assert [r["reason"] for r in refusals] == ["CYCLE"], refusals


async def test_a_rep_writes_only_within_their_scope(db: Database, tmp_path: Path) -> None:
    # Ann is on no account team and covers nobody: she sees no party
    # (tests/integration/test_access.py has the rules at work on two teams).
    await load(db, tmp_path)
    rep = await access_for(
        db.store, Viewer(subject="ann@example.com", role=Role.REP, rep_id="rep-ann")
    )
    # A party she does not see is as absent as when reading, existing or not.
    job = set_link(EntityKind.EMPLOYMENT, {"personId": "p-li", "organizationId": "org-acme"}, None)
    with pytest.raises(NotFound):
        await apply_changes(ScopedStore(db.store, rep), "setEmployment", [job])
    taken = create_node(EntityKind.PERSON, {"id": "org-acme", "name": "x"})
    with pytest.raises(NotFound):
        await apply_changes(ScopedStore(db.store, rep), "createPerson", [taken])
    # Coverage decides what a rep sees: she may create a person, not cover them; and the
    # refused change takes the create in the same transaction with it.
    created = create_node(EntityKind.PERSON, {"id": "p-by-rep", "name": "x"})
    cover = set_link(
        EntityKind.COVERAGE, {"repId": "rep-ann", "personId": "p-by-rep", "strength": 0.5}, None
    )
    with pytest.raises(Forbidden):
        await apply_changes(ScopedStore(db.store, rep), "applyChanges", [created, cover])
    assert await db.store.read_one("MATCH (n:Party {id: $id}) RETURN n", {"id": "p-by-rep"}) is None


async def test_a_stored_node_without_a_version_counts_as_version_1(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    await db.store.write("CREATE (:Party:Person {id: 'p-legacy', name: 'old'})")
    error = await refused(gql, CREATE_PERSON, {"id": "p-legacy", "name": "new"})
    assert error["code"] == "CONFLICT" and error["currentVersion"] == 1
    updated = await write(gql, UPDATE_PERSON, {"id": "p-legacy", "expectedVersion": 1, "city": "x"})
    assert (updated["name"], updated["version"]) == ("old", 2)


# ----- the inputs follow the import's declaration -----

INPUTS = {
    "CreatePersonInput": "people",
    "UpdatePersonInput": "people",
    "CreateOrganizationInput": "organizations",
    "UpdateOrganizationInput": "organizations",
    "CreateHoldingInput": "holdings",
    "UpdateHoldingInput": "holdings",
    "CreateInteractionInput": "interactions",
    "UpdateInteractionInput": "interactions",
    "EmploymentInput": "employment",
    "ReportingLineInput": "reporting",
    "FamilyLinkInput": "family",
    "BeneficiaryInput": "beneficiaries",
    "BuyingRoleInput": "buyingRoles",
    "InfluenceInput": "influence",
    "AcquaintanceInput": "acquaintance",
    "CoverageInput": "coverage",
}


async def test_write_inputs_have_the_fields_of_the_import_format(gql: GraphQLClient) -> None:
    query = """query ($name: String!) { __type(name: $name) {
        inputFields { name type { kind } } } }"""
    for type_name, section_name in INPUTS.items():
        fields = data_of(await gql(query, {"name": type_name}))["__type"]["inputFields"]
        given = {f["name"]: f["type"]["kind"] == "NON_NULL" for f in fields}
        given.pop("expectedVersion", None)
        section = SECTION_BY_NAME[section_name]
        if type_name.startswith("Update"):
            # A patch: every field but the key optional, the fixed ones left out.
            assert set(given) <= set(section.columns), type_name
            assert [n for n, required in given.items() if required] == ["id"], type_name
        else:
            # mergedIds is kept by import and export, and written only by mergeParties; a link
            # ends by removeLink (its period closes that day), never by validTo.
            assert set(given) == set(section.columns) - {"mergedIds", "validTo"}, type_name
            required = {f.name for f in section.fields if f.required}
            assert {n for n, r in given.items() if r} == required, type_name


async def test_pruning_the_audit_trail_keeps_the_recent_entries(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await load(db, tmp_path)
    await write(gql, CREATE_PERSON, {"id": "p-new", "name": "张三"})
    cutoff = datetime.now(UTC)
    await write(gql, UPDATE_PERSON, {"id": "p-new", "expectedVersion": 1, "city": "上海"})
    assert await prune_audit(db.store, cutoff) == 1
    entries = [e["node"] for e in (await trail(gql, "p-new"))["edges"]]
    assert [e["mutation"] for e in entries] == ["updatePerson"]
    assert await prune_audit(db.store, cutoff) == 0


async def test_import_and_mutation_store_a_parent_alike(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    # The parent's id sorts after the child's: neither the import nor the mutation may
    # reorder a PARENT link the way they store symmetric ones (from the lower id).
    await db.load(
        {
            "people": [{"id": "p-b-kid", "name": "kid"}, {"id": "p-z-mum", "name": "mum"}],
            "family": [{"fromId": "p-z-mum", "toId": "p-b-kid", "kind": "PARENT"}],
        },
        tmp_path,
    )
    assert (await view(gql, "p-b-kid"))["household"] == [
        {"person": {"id": "p-z-mum"}, "relation": "PARENT"}
    ]
    same = await write(gql, SET_FAMILY, {"fromId": "p-z-mum", "toId": "p-b-kid", "kind": "PARENT"})
    assert (same["from"], same["version"]) == ({"id": "p-z-mum"}, 1)
    assert (await trail(gql, "p-b-kid"))["totalCount"] == 0
