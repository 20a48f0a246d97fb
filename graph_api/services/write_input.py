"""Checks a mutation's input by the import's declared rules, before any transaction starts.

The fields, types, enums, lengths, ranges, required fields, self-link and exactly-one rules are
those of `graph_api/bulk/spec.py`, applied by `graph_api.bulk.validate.check_row`: an import
row and a mutation are accepted or refused alike. What needs the database (references,
cycles, versions) is checked in the transaction (`graph_api/services/writes.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_api.bulk.spec import SECTION_BY_NAME, Section
from graph_api.bulk.validate import Problem, check_row
from graph_api.domain.errors import InvalidInput
from graph_api.domain.writes import Change, ChangeAction, EntityKind

# Set when a node is created and fixed after: an update cannot move a holding to another
# holder or product (remove it and create another instead).
FIXED_FIELDS: Mapping[EntityKind, frozenset[str]] = {
    EntityKind.HOLDING: frozenset({"partyId", "productId"}),
}


# Fields the writer fills in itself when it creates the node (who and when), never given.
WRITER_FIELDS: Mapping[EntityKind, frozenset[str]] = {
    EntityKind.TAS_ANSWER: frozenset({"answeredBy", "answeredAt"}),
}


def section_of(kind: EntityKind) -> Section:
    return SECTION_BY_NAME[kind.value]


def _problem_error(path: str, raw: Mapping[str, Any], problems: list[Problem]) -> InvalidInput:
    def located(p: Problem) -> str:
        return f"{path}.{p.field}" if p.field else path

    def message(p: Problem) -> str:
        if p.code == "MISSING_FIELD" and p.field is not None and raw.get(p.field, 0) is None:
            return f"{located(p)} is required and cannot be cleared"
        return f"{located(p)}: {p.message}"

    first = problems[0]
    details: dict[str, Any] = {"reason": first.code}
    if len(problems) > 1:
        details["problems"] = [
            {
                "field": located(p),
                "value": None if p.value is None else str(p.value),
                "reason": p.code,
                "message": message(p),
            }
            for p in problems
        ]
    return InvalidInput(message(first), field=located(first), value=first.value, details=details)


def _check(kind: EntityKind, raw: Mapping[str, Any], path: str, *, partial: bool) -> dict[str, Any]:
    values, problems = check_row(section_of(kind), raw, partial=partial)
    if problems:
        raise _problem_error(path, raw, problems)
    return values


def _version(expected: int | None, path: str) -> int | None:
    if expected is not None and expected < 1:
        raise InvalidInput(
            f"{path}.expectedVersion must be 1 or more, got {expected}",
            field=f"{path}.expectedVersion",
            value=expected,
        )
    return expected


def _cleared(raw: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(k for k, value in raw.items() if value is None)


def create_node(kind: EntityKind, raw: Mapping[str, Any], path: str = "input") -> Change:
    """A node to create: every required field given, every given field valid."""
    given = {k: value for k, value in raw.items() if value is not None}
    return Change(kind, ChangeAction.CREATE, _check(kind, given, path, partial=False), path=path)


def record_node(kind: EntityKind, raw: Mapping[str, Any], path: str = "input") -> Change:
    """A node the writer completes with who and when (a TAS answer): the other required
    fields given, the writer's fields not (they are the viewer and the transaction's time)."""
    given = {k: value for k, value in raw.items() if value is not None}
    own = WRITER_FIELDS[kind]
    for name in sorted(own & set(given)):
        raise InvalidInput(
            f"{path}.{name} is set by the service", field=f"{path}.{name}", value=given[name]
        )
    values = _check(kind, given, path, partial=True)
    for f in section_of(kind).fields:
        if f.required and f.name not in own and f.name not in values:
            raise InvalidInput(
                f"{path}.{f.name} is required",
                field=f"{path}.{f.name}",
                details={"reason": "MISSING_FIELD"},
            )
    return Change(kind, ChangeAction.CREATE, values, path=path)


def update_node(
    kind: EntityKind, raw: Mapping[str, Any], expected_version: int, path: str = "input"
) -> Change:
    """A patch of a node: given fields change, null clears an optional field."""
    fixed = FIXED_FIELDS.get(kind, frozenset()) & set(raw)
    if fixed:
        name = sorted(fixed)[0]
        raise InvalidInput(
            f"{path}.{name} cannot be changed once created",
            field=f"{path}.{name}",
            value=raw[name],
            details={"reason": "FIXED_FIELD"},
        )
    values = _check(kind, raw, path, partial=True)
    return Change(
        kind,
        ChangeAction.UPDATE,
        values,
        cleared=_cleared(raw),
        expected_version=_version(expected_version, path),
        path=path,
    )


def set_link(
    kind: EntityKind, raw: Mapping[str, Any], expected_version: int | None, path: str = "input"
) -> Change:
    """A link to create, or to update (with its version) when it exists."""
    values = _check(kind, raw, path, partial=False)
    return Change(
        kind,
        ChangeAction.SET,
        values,
        cleared=_cleared(raw),
        expected_version=_version(expected_version, path),
        path=path,
    )


def link_key_fields(kind: EntityKind, raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields that name one link of this kind (a buying role: the person and either the
    account or the opportunity)."""
    section = section_of(kind)
    if kind is EntityKind.BUYING_ROLE:
        target = "opportunityId" if raw.get("opportunityId") is not None else "accountId"
        return ("personId", target)
    return section.key


def remove_link(
    kind: EntityKind, raw: Mapping[str, Any], expected_version: int | None, path: str = "input"
) -> Change:
    """A link to remove, named by its key fields (and nothing else)."""
    section = section_of(kind)
    given = {k: value for k, value in raw.items() if value is not None}
    allowed = set(section.key)
    for name in sorted(given):
        if name not in allowed:
            raise InvalidInput(
                f"{path}.{name} does not name a {kind.name} link "
                f"(its key: {', '.join(section.key)})",
                field=f"{path}.{name}",
                value=given[name],
            )
    if kind is EntityKind.BUYING_ROLE and ("accountId" in given) == ("opportunityId" in given):
        raise InvalidInput(
            f"{path}.accountId: give exactly one of accountId or opportunityId",
            field=f"{path}.accountId",
            details={"reason": "EXACTLY_ONE"},
        )
    for name in link_key_fields(kind, given):
        if name not in given:
            raise InvalidInput(
                f"{path}.{name} is required to name the link",
                field=f"{path}.{name}",
                details={"reason": "MISSING_FIELD"},
            )
    values = _check(kind, given, path, partial=True)
    return Change(
        kind,
        ChangeAction.REMOVE,
        values,
        expected_version=_version(expected_version, path),
        path=path,
    )
