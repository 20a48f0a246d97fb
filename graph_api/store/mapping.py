"""Maps Neo4j node properties to domain objects (camelCase properties -> dataclasses).

A party's mapping is derived from the import format's declaration (`bulk/spec.py`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from functools import partial
from typing import Any, NamedTuple, TypeVar

from graph_api.bulk.spec import BOOKKEEPING_BY_NAME, ENTITY_SECTION, Field
from graph_api.domain import model as m
from graph_api.domain import view as v

# Re-exported: services address the positional person rows by it.
from graph_api.store.projection import ORGANIZATION_FIELDS
from graph_api.store.projection import PERSON_FIELDS as PERSON_FIELDS

E = TypeVar("E", bound=Enum)


def to_date(value: Any) -> date | None:
    if value is None:
        return None
    if hasattr(value, "to_native"):
        native = value.to_native()
        return native.date() if isinstance(native, datetime) else native
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def to_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if hasattr(value, "to_native"):
        native: datetime = value.to_native()
        return native
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def to_enum(enum: type[E], value: Any) -> E | None:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


# How a declared field's stored value becomes the domain's, by the field's kind.
_CONVERT: dict[str, Callable[[Field], Callable[[Any], Any]]] = {
    "str": lambda f: _same,
    "text": lambda f: _same,
    "id": lambda f: _same,
    "int": lambda f: _opt_int,
    "float": lambda f: _opt_float,
    "bool": lambda f: bool,
    "date": lambda f: to_date,
    "datetime": lambda f: to_datetime,
    "strlist": lambda f: _str_tuple,
    "enum": lambda f: partial(to_enum, _enum_of(f)),
}


def _enum_of(f: Field) -> type[Enum]:
    if f.enum is None:
        raise TypeError(f"enum field {f.name!r} declares no enum")
    return f.enum


def _same(value: Any) -> Any:
    return value


def _str_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if value else ()


def _version(value: Any) -> int:
    return int(value or 1)


def domain_name(field_name: str) -> str:
    """The domain attribute of a declared (camelCase) field: birthDate -> birth_date."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field_name).lower()


def _columns(fields: Sequence[str], entity: str, cls: type) -> tuple[_Column, ...]:
    """(property, domain attribute, converter) of each of `fields`, checked against the
    dataclass: a field declared in the spec but missing from the domain (or the reverse)
    fails at import, naming it."""
    declared = ENTITY_SECTION[entity].field_map
    attributes = [f.name for f in dataclasses.fields(cls)]
    columns = []
    for name in fields:
        attr = domain_name(name)
        if attr not in attributes:
            raise TypeError(f"{cls.__name__} has no attribute {attr!r} for the field {name!r}")
        convert: Callable[[Any], Any]
        if name == "version":
            convert = _version
        elif name in BOOKKEEPING_BY_NAME:
            convert = to_datetime
        else:
            convert = _CONVERT[declared[name].kind](declared[name])
        columns.append(_Column(name, attr, convert))
    missing = set(attributes) - {c.attribute for c in columns}
    if missing:
        raise TypeError(f"{cls.__name__} attributes {sorted(missing)} are not declared fields")
    return tuple(columns)


class _Column(NamedTuple):
    prop: str
    attribute: str
    convert: Callable[[Any], Any]


# The timestamps last: queries return them only where a request selects them (the view's
# `$timestamps`), and a row of PERSON_ITEMS, which has none, leaves them None.
_STAMPS = tuple(BOOKKEEPING_BY_NAME)
_PERSON = _columns((*PERSON_FIELDS, *_STAMPS), "Person", m.Person)
_ORGANIZATION = _columns((*ORGANIZATION_FIELDS, *_STAMPS), "Organization", m.Organization)


def stamps(p: Mapping[str, Any]) -> dict[str, Any]:
    """The bookkeeping timestamps of a node's or link's map, as domain keyword arguments
    (None where the query did not return them)."""
    return {
        "created_at": to_datetime(p.get("createdAt")),
        "updated_at": to_datetime(p.get("updatedAt")),
    }


def person_from_props(p: Mapping[str, Any]) -> m.Person:
    values = {c.attribute: c.convert(p.get(c.prop)) for c in _PERSON}
    values["name"] = values["name"] or values["id"]
    return m.Person(**values)


def person_from_row(row: Sequence[Any]) -> m.Person:
    """A person from its fields in PERSON_FIELDS order (extra items after them ignored: a row
    carries no timestamps, which come by id when asked)."""
    columns = _PERSON[: len(PERSON_FIELDS)]
    values = {c.attribute: c.convert(value) for c, value in zip(columns, row, strict=False)}
    values["name"] = values["name"] or values["id"]
    return m.Person(**values)


def organization_from_props(p: Mapping[str, Any]) -> m.Organization:
    values = {c.attribute: c.convert(p.get(c.prop)) for c in _ORGANIZATION}
    values["name"] = values["name"] or values["id"]
    return m.Organization(**values)


def party_from_props(p: Mapping[str, Any], kind: str) -> m.Party:
    """`kind` is PERSON or ORGANIZATION (queries return it beside the node's properties)."""
    if kind == m.PartyKind.PERSON.value:
        return person_from_props(p)
    return organization_from_props(p)


def rep_from_props(p: Mapping[str, Any]) -> v.Rep:
    return v.Rep(
        id=p["id"],
        name=p.get("name") or p["id"],
        email=p.get("email"),
        role=to_enum(m.RepRole, p.get("role")),
        region=p.get("region"),
        **stamps(p),
    )


def product_from_props(p: Mapping[str, Any]) -> m.Product:
    return m.Product(
        id=p["id"],
        name=p.get("name") or p["id"],
        category=p.get("category"),
        line=p.get("line"),
        segment=to_enum(m.ProductSegment, p.get("segment")),
        **stamps(p),
    )


def coverage_from_map(c: Mapping[str, Any]) -> v.Coverage:
    """A {rep, strength, kind} map as the queries return it for (rep)-[:COVERS]->(person)."""
    return v.Coverage(
        rep_from_props(c["rep"]), _opt_float(c.get("strength")), c.get("kind"), **stamps(c)
    )
