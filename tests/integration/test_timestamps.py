"""createdAt / updatedAt on the API's node and link types (issue 15 item 6): set by the import
and the write API on nodes and links alike, read in the view's one round trip when the
request selects them, and updatedAt moving on a change while createdAt stays."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Database, GraphQLClient, data_of

GRAPH: dict[str, Any] = {
    "products": [{"id": "prod-a", "name": "Product A"}],
    "reps": [{"id": "rep-a", "name": "Rep A"}],
    "organizations": [{"id": "o-a", "name": "Org A"}],
    "people": [{"id": "p-a", "name": "Person A"}, {"id": "p-b", "name": "Person B"}],
    "employment": [{"personId": "p-a", "organizationId": "o-a", "title": "CFO"}],
    "family": [{"fromId": "p-a", "toId": "p-b", "kind": "SPOUSE"}],
    "holdings": [{"id": "h-a", "partyId": "p-a", "productId": "prod-a"}],
    "coverage": [{"repId": "rep-a", "personId": "p-a", "strength": 0.5}],
    "competitors": [{"id": "comp-a", "name": "Competitor A"}],
    "competitorCoverage": [{"competitorId": "comp-a", "personId": "p-a", "strength": 0.7}],
}

VIEW = """
query {
  party(id: "p-a") {
    createdAt updatedAt version
    coverage { createdAt updatedAt rep { createdAt updatedAt } }
    ... on Person {
      employments { createdAt updatedAt title organization { createdAt updatedAt } }
      household { createdAt updatedAt person { createdAt } }
      holdings { createdAt updatedAt product { createdAt updatedAt } }
    }
  }
}
"""


def stamps_in(value: Any) -> list[tuple[str, str]]:
    """Every (createdAt, updatedAt) pair in an answer, depth first."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        if "createdAt" in value:
            found.append((value["createdAt"], value.get("updatedAt")))
        for item in value.values():
            found.extend(stamps_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(stamps_in(item))
    return found


@pytest.fixture
async def graph(db: Database, tmp_path: Path) -> Database:
    await db.load(GRAPH, tmp_path)
    return db


async def test_every_node_and_link_of_the_view_has_its_timestamps_in_one_round_trip(
    graph: Database, gql: GraphQLClient
) -> None:
    body = await gql(VIEW)
    party = data_of(body)["party"]
    # The party, the coverage link and its rep, the job and its employer, the family link
    # and the spouse, the holding and its product: 9 objects, all written by one import.
    pairs = stamps_in(party)
    assert len(pairs) == 9, pairs
    assert all(created is not None for created, _ in pairs), pairs
    # One import: every object created at the import's time, not changed since.
    assert {created for created, _ in pairs} == {party["createdAt"]}
    assert all(updated == created for created, updated in pairs if updated is not None)
    assert body["extensions"]["roundTrips"] == 1


async def test_without_timestamps_selected_the_view_reads_none(
    graph: Database, gql: GraphQLClient
) -> None:
    # The same view without createdAt/updatedAt: still one round trip, and nothing differs.
    body = await gql('{ party(id: "p-a") { id ... on Person { employments { title } } } }')
    assert data_of(body)["party"]["employments"] == [{"title": "CFO"}]
    assert body["extensions"]["roundTrips"] == 1


async def test_a_node_found_by_another_query_gets_its_timestamps_by_id(
    graph: Database, gql: GraphQLClient
) -> None:
    # search reads no timestamps: they come by id, one more round trip for the whole level.
    body = await gql('{ search(text: "Person") { edges { node { id createdAt updatedAt } } } }')
    nodes = [e["node"] for e in data_of(body)["search"]["edges"]]
    assert {n["id"] for n in nodes} == {"p-a", "p-b"}
    assert all(n["createdAt"] is not None and n["updatedAt"] == n["createdAt"] for n in nodes)


async def test_updated_at_moves_on_a_change_and_created_at_stays(
    graph: Database, gql: GraphQLClient
) -> None:
    graph.dirty()
    before = data_of(await gql(VIEW))["party"]
    job_before = before["employments"][0]
    body = await gql(
        """mutation ($v: Int!) {
          updatePerson(input: {id: "p-a", expectedVersion: $v, occupation: "CFO"}) { id }
        }""",
        {"v": before["version"]},
    )
    data_of(body)
    body = await gql(
        """mutation {
          setEmployment(input: {personId: "p-a", organizationId: "o-a", title: "CEO",
                                expectedVersion: 1}) { title createdAt updatedAt }
        }"""
    )
    written = data_of(body)["setEmployment"]
    after = data_of(await gql(VIEW))["party"]
    job_after = after["employments"][0]
    assert job_after["title"] == "CEO"
    # The person (a node) changed: updatedAt later, createdAt the same.
    assert after["createdAt"] == before["createdAt"]
    assert datetime.fromisoformat(after["updatedAt"]) > datetime.fromisoformat(before["updatedAt"])
    # A new title starts a new period of the job (the old one is kept closed, issue 14): the
    # current link is a new one, created now.
    assert datetime.fromisoformat(job_after["createdAt"]) > datetime.fromisoformat(
        job_before["createdAt"]
    )
    assert job_after["updatedAt"] == job_after["createdAt"]
    # The mutation's answer says the link's timestamps as stored.
    assert (written["createdAt"], written["updatedAt"]) == (
        job_after["createdAt"],
        job_after["updatedAt"],
    )
    # What did not change keeps both: the employer and the holding.
    assert job_after["organization"] == job_before["organization"]
    assert after["holdings"] == before["holdings"]


async def test_a_re_import_moves_updated_at_of_changed_links_only(
    graph: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    before = data_of(await gql(VIEW))["party"]
    changed = {**GRAPH, "employment": [{**GRAPH["employment"][0], "title": "CEO"}]}
    await graph.load(changed, tmp_path, clear=False)
    after = data_of(await gql(VIEW))["party"]
    job_before, job_after = before["employments"][0], after["employments"][0]
    assert job_after["createdAt"] == job_before["createdAt"]
    assert datetime.fromisoformat(job_after["updatedAt"]) > datetime.fromisoformat(
        job_before["updatedAt"]
    )
    # The same coverage row again changes nothing.
    assert after["coverage"] == before["coverage"]


async def test_a_mutations_node_answer_has_its_timestamps(
    graph: Database, gql: GraphQLClient
) -> None:
    graph.dirty()
    body = await gql(
        """mutation {
          createHolding(input: {id: "h-b", partyId: "p-b", productId: "prod-a"}) {
            id createdAt updatedAt holder { createdAt }
          }
        }"""
    )
    holding = data_of(body)["createHolding"]
    # Created now, after the import that created its holder.
    assert holding["updatedAt"] == holding["createdAt"]
    assert datetime.fromisoformat(holding["createdAt"]) > datetime.fromisoformat(
        holding["holder"]["createdAt"]
    )


async def test_the_org_charts_links_have_their_timestamps(
    graph: Database, gql: GraphQLClient
) -> None:
    body = await gql(
        """{ orgChart(organizationId: "o-a") { nodes { id coverage { createdAt } competition {
              holds { createdAt updatedAt competitor { createdAt } } } } } }"""
    )
    nodes = {n["id"]: n for n in data_of(body)["orgChart"]["nodes"]}
    (hold,) = nodes["p-a"]["competition"]["holds"]
    # The link and the competitor node, both from the one import.
    assert hold["createdAt"] is not None
    assert hold["updatedAt"] == hold["createdAt"] == hold["competitor"]["createdAt"]
    # Our rep's coverage of the person, in the chart too.
    assert nodes["p-a"]["coverage"] == [{"createdAt": hold["createdAt"]}]
