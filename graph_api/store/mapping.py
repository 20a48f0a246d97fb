"""Maps Neo4j node properties to domain objects (camelCase properties -> dataclasses)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from graph_api.domain import model as m
from graph_api.domain import view as v

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


def person_from_props(p: Mapping[str, Any]) -> m.Person:
    return m.Person(
        id=p["id"],
        name=p.get("name") or p["id"],
        aliases=tuple(p.get("aliases") or ()),
        gender=to_enum(m.Gender, p.get("gender")),
        birth_date=to_date(p.get("birthDate")),
        phone=p.get("phone"),
        email=p.get("email"),
        home_address=p.get("homeAddress"),
        city=p.get("city"),
        region=p.get("region"),
        occupation=p.get("occupation"),
        preferred_channel=to_enum(m.Channel, p.get("preferredChannel")),
        preferred_time=p.get("preferredTime"),
        source=p.get("source"),
        tier=to_enum(m.Tier, p.get("tier")),
        grade=_opt_int(p.get("grade")),
        confidential=bool(p.get("confidential", False)),
        customer_since=to_date(p.get("customerSince")),
        version=int(p.get("version") or 1),
    )


# The order in which queries that return a person as a list give its fields (the fields of
# `m.Person`, in order): a list decodes much faster than a map with the same keys.
PERSON_FIELDS = (
    "id",
    "name",
    "aliases",
    "gender",
    "birthDate",
    "phone",
    "email",
    "homeAddress",
    "city",
    "region",
    "occupation",
    "preferredChannel",
    "preferredTime",
    "source",
    "tier",
    "grade",
    "confidential",
    "customerSince",
    "version",
)


def person_from_row(row: Sequence[Any]) -> m.Person:
    """A person from its fields in PERSON_FIELDS order (extra items after them ignored)."""
    (
        pid,
        name,
        aliases,
        gender,
        birth_date,
        phone,
        email,
        home_address,
        city,
        region,
        occupation,
        channel,
        preferred_time,
        source,
        tier,
        grade,
        confidential,
        customer_since,
        version,
    ) = row[: len(PERSON_FIELDS)]
    return m.Person(
        pid,
        name or pid,
        tuple(aliases) if aliases else (),
        to_enum(m.Gender, gender),
        to_date(birth_date),
        phone,
        email,
        home_address,
        city,
        region,
        occupation,
        to_enum(m.Channel, channel),
        preferred_time,
        source,
        to_enum(m.Tier, tier),
        _opt_int(grade),
        bool(confidential),
        to_date(customer_since),
        int(version or 1),
    )


def organization_from_props(p: Mapping[str, Any]) -> m.Organization:
    return m.Organization(
        id=p["id"],
        name=p.get("name") or p["id"],
        aliases=tuple(p.get("aliases") or ()),
        org_type=to_enum(m.OrgType, p.get("orgType")),
        industry=p.get("industry"),
        region=p.get("region"),
        city=p.get("city"),
        address=p.get("address"),
        phone=p.get("phone"),
        website=p.get("website"),
        employees=_opt_int(p.get("employees")),
        annual_purchase=_opt_float(p.get("annualPurchase")),
        share_of_wallet=_opt_float(p.get("shareOfWallet")),
        tier=to_enum(m.Tier, p.get("tier")),
        grade=_opt_int(p.get("grade")),
        confidential=bool(p.get("confidential", False)),
        customer_since=to_date(p.get("customerSince")),
        preferred_channel=to_enum(m.Channel, p.get("preferredChannel")),
        source=p.get("source"),
        version=int(p.get("version") or 1),
    )


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
    )


def product_from_props(p: Mapping[str, Any]) -> v.Product:
    return v.Product(
        id=p["id"],
        name=p.get("name") or p["id"],
        category=p.get("category"),
        line=p.get("line"),
        segment=to_enum(m.ProductSegment, p.get("segment")),
    )


def coverage_from_map(c: Mapping[str, Any]) -> v.Coverage:
    """A {rep, strength, kind} map as the queries return it for (rep)-[:COVERS]->(person)."""
    return v.Coverage(rep_from_props(c["rep"]), _opt_float(c.get("strength")), c.get("kind"))
