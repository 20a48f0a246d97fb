"""The import format's declaration (bulk/spec.py) is the one list of a party's fields: static
checks that nothing lists them by hand (the Cypher projections, the store mapping, the GraphQL types
and inputs). The round trip on a real Neo4j is tests/integration/test_declared_fields.py."""

import re
from typing import Any

import pytest
from strawberry.types.base import get_object_definition

from graph_api.api import types as t
from graph_api.api import write_types as wt
from graph_api.bulk.spec import ENTITY_SECTION, WRITTEN_BY_MERGES, Section
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS
from graph_api.store.cypher import CYPHER_DIR, _all_queries
from graph_api.store.projection import (
    ORGANIZATION_FIELDS,
    PARTY_FIELDS,
    PERSON_FIELDS,
    STAMPS,
    expand_fragments,
)

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
            entries = [p.strip() for p in match.group(1).split(",")]
            # The view's projections (`{{PERSON_VIEW x}}`) end with the timestamps, read
            # only when the request selects them: exactly those two entries, on the same node.
            var = match.group(0).split(" ", 1)[0]
            computed = [e for e in entries if not e.startswith(".")]
            assert computed in ([], STAMPS.replace("{var}", var).split(", ")), (name, computed)
            props = frozenset(e.lstrip(".") for e in entries if e.startswith("."))
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
            if f.name in WRITTEN_BY_MERGES:
                assert f.name not in fields, (cls.__name__, f.name)
                continue
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
