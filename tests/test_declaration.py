"""The import format's declaration (bulk/spec.py) is the one list of a party's fields.

Static checks that nothing lists them by hand (the Cypher projections, the store mapping,
the GraphQL types and inputs), and a round trip on a real Neo4j: a person and an
organization with every declared field set come back whole through each kind of query
that projects them (360° view, org chart, search, key deciders).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from strawberry.types.base import get_object_definition

from graph_api.api import types as t
from graph_api.api import write_types as wt
from graph_api.bulk.spec import ENTITY_SECTION, Field, Section
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS
from graph_api.store.cypher import CYPHER_DIR, _all_queries
from graph_api.store.projection import (
    ORGANIZATION_FIELDS,
    PARTY_FIELDS,
    PERSON_FIELDS,
    expand_fragments,
)
from tests.conftest import Database, GraphQLClient, data_of

PEOPLE = ENTITY_SECTION["Person"]
ORGANIZATIONS = ENTITY_SECTION["Organization"]
# A map projection of a party: `x {.id, .name, ...}`.
MAP_PROJECTION = re.compile(r"\b\w+ \{(\.id, \.name, \.aliases\b[^}]*)\}")


def stored(section: Section) -> set[str]:
    return {f.name for f in section.fields if f.stored}


def test_no_cypher_file_lists_a_partys_fields_by_hand() -> None:
    # Every party projection must be a fragment: a hand-written one misses the next field.
    for path in sorted(CYPHER_DIR.glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        assert not MAP_PROJECTION.search(text), (path.name, MAP_PROJECTION.search(text))
        for row in re.finditer(r"\[(\w+)\.id, \1\.name, [^\]]*\]", text):
            assert "homeAddress" not in row.group(0), (path.name, row.group(0))


def test_every_expanded_projection_is_exactly_a_declared_field_set() -> None:
    allowed = {frozenset(PERSON_FIELDS), frozenset(ORGANIZATION_FIELDS), frozenset(PARTY_FIELDS)}
    seen = 0
    for name, text in _all_queries().items():
        for match in MAP_PROJECTION.finditer(text):
            props = frozenset(p.strip().lstrip(".") for p in match.group(1).split(","))
            assert props in allowed, (name, sorted(props))
            seen += 1
    assert seen >= 28  # the 360° view, org chart and search project parties 28 times


def test_the_declared_field_sets_follow_the_spec() -> None:
    assert set(PERSON_FIELDS) == stored(PEOPLE) | {"version"}
    assert set(ORGANIZATION_FIELDS) == stored(ORGANIZATIONS) | {"version"}
    assert set(PARTY_FIELDS) == set(PERSON_FIELDS) | set(ORGANIZATION_FIELDS)
    assert PERSON_FIELDS[:2] == ("id", "name")


def test_fragments_keep_list_width_and_refuse_unknown_names() -> None:
    row = expand_fragments("[{{PERSON_ITEMS p: id, gender}}]")
    items = row.strip("[]").split(", ")
    assert len(items) == len(PERSON_FIELDS)
    assert items[PERSON_FIELDS.index("gender")] == "p.gender"
    assert items.count("null") == len(PERSON_FIELDS) - 2
    with pytest.raises(ValueError, match="NICKNAME_FIELDS"):
        expand_fragments("RETURN {{NICKNAME_FIELDS p}}")
    with pytest.raises(ValueError, match="'shoeSize'"):
        expand_fragments("RETURN [{{PERSON_ITEMS p: id, shoeSize}}]")


def graphql_fields(cls: type) -> dict[str, Any]:
    definition = get_object_definition(cls, strict=True)
    return {f.graphql_name or camel(f.python_name): f for f in definition.fields}


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w.title() for w in rest)


def test_graphql_types_and_inputs_carry_every_declared_field_with_its_meaning() -> None:
    outputs: tuple[tuple[type, Section], ...] = (
        (t.Person, PEOPLE),
        (t.Organization, ORGANIZATIONS),
    )
    for cls, section in outputs:
        fields = graphql_fields(cls)
        for f in section.fields:
            if f.stored:
                assert f.name in fields, (cls.__name__, f.name)
                assert fields[f.name].description, (cls.__name__, f.name)
    inputs: tuple[tuple[type, Section], ...] = (
        (wt.CreatePersonInput, PEOPLE),
        (wt.UpdatePersonInput, PEOPLE),
        (wt.CreateOrganizationInput, ORGANIZATIONS),
        (wt.UpdateOrganizationInput, ORGANIZATIONS),
    )
    for cls, section in inputs:
        fields = graphql_fields(cls)
        for f in section.fields:
            assert f.name in fields, (cls.__name__, f.name)
            assert fields[f.name].description, (cls.__name__, f.name)


def test_sensitive_declared_fields_are_masked_fields() -> None:
    sensitive = {f.name for f in PEOPLE.fields if f.sensitive}
    assert {"phone", "email", "homeAddress", "birthDate"} <= sensitive
    assert sensitive <= set(SENSITIVE_PERSON_FIELDS)
    assert set(SENSITIVE_PERSON_FIELDS) - sensitive == {
        "household",
        "householdHoldings",
        "holdings",
        "beneficiaryOf",
    }


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
