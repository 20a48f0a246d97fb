"""Every declared field of a person and an organization (bulk/spec.py) comes back
whole, on a real Neo4j, through each kind of query that projects them (360° view, org chart,
search, key deciders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_api.bulk.spec import ENTITY_SECTION, Field, Section
from tests.conftest import Database, GraphQLClient, data_of

PEOPLE = ENTITY_SECTION["Person"]
ORGANIZATIONS = ENTITY_SECTION["Organization"]


def sample(f: Field, tag: str) -> Any:
    """A valid value of a declared field, as the import takes it and GraphQL returns it."""
    if f.kind == "enum":
        assert f.enum is not None
        return list(f.enum)[-1].value
    if f.kind == "strlist":
        return [f"{tag}-{f.name}"]
    if f.kind == "date":
        return "1990-02-03"
    if f.kind == "int":
        return int(f.minimum or 0) + 1
    if f.kind == "float":
        return 0.5
    if f.kind == "bool":
        return True
    return f"{tag} {f.name}"


def full(section: Section, ident: str, tag: str) -> dict[str, Any]:
    values = {f.name: sample(f, tag) for f in section.fields if f.stored}
    values["id"] = ident
    # Not confidential: these people must be visible to the search and charts of anyone.
    values["confidential"] = False
    return values


def selection(section: Section) -> str:
    return " ".join(f.name for f in section.fields if f.stored)


async def test_every_query_returns_every_declared_field(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    person = full(PEOPLE, "p-full", "Zorro")
    boss = {"id": "p-boss", "name": "Boss"}
    org = full(ORGANIZATIONS, "org-full", "Acme")
    await db.load(
        {
            "organizations": [org],
            "people": [person, boss],
            "employment": [
                {"personId": "p-full", "organizationId": "org-full", "title": "CTO"},
                {"personId": "p-boss", "organizationId": "org-full", "title": "CEO"},
            ],
            "reporting": [{"personId": "p-full", "managerId": "p-boss"}],
            "buyingRoles": [
                {"personId": "p-full", "accountId": "org-full", "role": "DECISION_MAKER"}
            ],
        },
        tmp_path,
    )
    person_fields = selection(PEOPLE)
    org_fields = selection(ORGANIZATIONS)
    # One request per query, in turn: six cold query plans at once can outlast the query
    # timeout on a loaded machine.
    requests = {
        "self": f'party(id: "p-full") {{ ... on Person {{ {person_fields} }} }}',
        "boss": f"""party(id: "p-boss") {{
            ... on Person {{ directReports {{ {person_fields} }} }} }}""",
        "org": f"""party(id: "org-full") {{
            ... on Organization {{ {org_fields} people {{ edges {{
              node {{ {person_fields} }} organization {{ {org_fields} }} }} }} }} }}""",
        "chart": f"""orgChart(organizationId: "org-full") {{
            organization {{ {org_fields} }} nodes {{ person {{ {person_fields} }} }} }}""",
        "search": f"""search(text: "Zorro") {{
            edges {{ node {{ ... on Person {{ {person_fields} }} }} }} }}""",
        "keyDeciders": f'keyDeciders(accountId: "org-full") {{ person {{ {person_fields} }} }}',
    }
    answers = {}
    for alias, field in requests.items():
        answers.update(data_of(await gql(f"{{ {alias}: {field} }}")))
    employees = answers["org"]["people"]["edges"]
    got_people = {
        "360° view": answers["self"],
        "directReports": answers["boss"]["directReports"][0],
        "people": next(e["node"] for e in employees if e["node"]["id"] == "p-full"),
        "orgChart": next(
            n["person"] for n in answers["chart"]["nodes"] if n["person"]["id"] == "p-full"
        ),
        "search": answers["search"]["edges"][0]["node"],
        "keyDeciders": next(
            d["person"] for d in answers["keyDeciders"] if d["person"]["id"] == "p-full"
        ),
    }
    for where, got in got_people.items():
        assert got == person, where
    org_answers = {
        "360° view": {k: answers["org"][k] for k in org},
        "people": employees[0]["organization"],
        "orgChart": answers["chart"]["organization"],
    }
    for where, got in org_answers.items():
        assert got == org, where
