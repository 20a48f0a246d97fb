"""GraphQL fields and input fields derived from the import format's declaration (bulk/spec.py).

A party's scalar fields are declared once, with their meaning, in `bulk/spec.py`; the class
decorators here add them to a strawberry type or input (named in snake_case, described by
the declaration) unless the class already defines the field itself, e.g. with a resolver.
"""

from __future__ import annotations

import datetime
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import strawberry

from graph_api.api.context import Info
from graph_api.api.view import node_timestamps
from graph_api.bulk.spec import BOOKKEEPING_FIELDS, SECTION_BY_NAME, Field, Section

C = TypeVar("C", bound=type)

_SCALARS: dict[str, Any] = {
    "id": strawberry.ID,
    "ref": strawberry.ID,
    "reflist": list[strawberry.ID],
    "str": str,
    "text": str,
    "int": int,
    "float": float,
    "bool": bool,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "strlist": list[str],
}

# Typed Any: mypy only knows Private as an annotation, and here it is built at run time.
_PRIVATE: Any = strawberry.Private

# The masking rule of sensitive fields: (info, party id) -> whether the viewer sees them.
SensitiveOpen = Callable[[Info, str], bool]


_PYTHON_NAMES: dict[str, str] = {}


def python_name(f: Field) -> str:
    """The Python (snake_case) name of a declared field: birthDate -> birth_date (kept per
    name: `stamp_values` asks for it for every object an answer returns)."""
    name = _PYTHON_NAMES.get(f.name)
    if name is None:
        name = _PYTHON_NAMES[f.name] = re.sub(r"(?<!^)(?=[A-Z])", "_", f.name).lower()
    return name


def graphql_type(f: Field) -> Any:
    """The GraphQL type of a declared field's value (without its nullability)."""
    if f.kind == "enum":
        return f.enum
    return _SCALARS[f.kind]


def describe(f: Field) -> str:
    """A field's schema description from its declared meaning: capitalised, with a stop."""
    text = f.doc.strip() or f.name
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def declared_field(section_name: str, field_name: str) -> Any:
    """A strawberry field described by the declaration, for a class that declares the field's
    Python type itself (e.g. non-null where the declaration allows null)."""
    return strawberry.field(
        description=describe(SECTION_BY_NAME[section_name].field_map[field_name])
    )


def declared_names(section_name: str) -> frozenset[str]:
    """The GraphQL names of a section's stored fields (the declaration's names)."""
    return frozenset(f.name for f in SECTION_BY_NAME[section_name].fields if f.stored)


def _defined(cls: type) -> set[str]:
    """Names the class or a base already defines (annotated fields and resolvers)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        names.update(getattr(klass, "__annotations__", {}))
        names.update(vars(klass))
    return names


def _fields(section: Section, *, stored_only: bool) -> Iterator[Field]:
    for f in section.fields:
        if f.stored or not stored_only:
            yield f


SENSITIVE_NOTE = "Null unless your role opens the person's sensitive details (see `masked`)."


def _masked_field(f: Field, is_open: SensitiveOpen) -> Any:
    stored = "stored_" + python_name(f)

    def resolve(self: Any, info: Info) -> Any:
        return getattr(self, stored) if is_open(info, self.id) else None

    resolve.__annotations__ = {"info": Info, "return": graphql_type(f) | None}
    resolve.__name__ = python_name(f)
    return strawberry.field(resolver=resolve, description=f"{describe(f)} {SENSITIVE_NOTE}")


def declared_fields(
    section_name: str, sensitive_open: SensitiveOpen | None = None
) -> Callable[[C], C]:
    """Adds the section's stored fields to an output type, each nullable and described by
    the declaration. A sensitive field keeps its value in a private `stored_<name>` and
    answers it through `sensitive_open` (required when the section has sensitive fields)."""
    section = SECTION_BY_NAME[section_name]

    def add(cls: C) -> C:
        defined = _defined(cls)
        annotations = inspect.get_annotations(cls)
        for f in _fields(section, stored_only=True):
            name = python_name(f)
            if name in defined:
                continue
            if f.sensitive:
                if sensitive_open is None:
                    raise TypeError(f"{cls.__name__}: {f.name} is sensitive: give sensitive_open")
                annotations["stored_" + name] = _PRIVATE[Any]
                setattr(cls, name, _masked_field(f, sensitive_open))
            else:
                annotations[name] = graphql_type(f) | None
                setattr(cls, name, strawberry.field(description=describe(f)))
        cls.__annotations__ = annotations
        return cls

    return add


def declared_values(section_name: str, obj: object, target: type) -> dict[str, Any]:
    """The declared fields' values of a domain object, by the field names of `target` (a
    class decorated with `declared_fields`): sensitive ones under `stored_<name>`."""
    plan = _VALUE_PLANS.get((section_name, target))
    if plan is None:
        plan = _VALUE_PLANS[(section_name, target)] = _value_plan(section_name, target)
    out: dict[str, Any] = {}
    for name, key in plan:
        value = getattr(obj, name, _ABSENT)
        if value is not _ABSENT:
            out[key] = value
    return out


_ABSENT = object()
# (section, target type) -> (the domain object's attribute, the target's keyword), made once
# per pair: `declared_values` runs for every object of every answer.
_VALUE_PLANS: dict[tuple[str, type], tuple[tuple[str, str], ...]] = {}


def _value_plan(section_name: str, target: type) -> tuple[tuple[str, str], ...]:
    names = _defined(target)
    plan = []
    for f in _fields(SECTION_BY_NAME[section_name], stored_only=True):
        name = python_name(f)
        key = "stored_" + name if f.sensitive else name
        if key in names:
            plan.append((name, key))
    return tuple(plan)


def declared_inputs(
    section_name: str, *, create: bool, exclude: tuple[str, ...] = ()
) -> Callable[[C], C]:
    """Adds the section's fields (links such as parentId included) to a create or update
    input, each described by the declaration. Absent stays UNSET; in a create input a
    required field is non-null, in an update input every field is optional (null clears)."""
    section = SECTION_BY_NAME[section_name]

    def add(cls: C) -> C:
        defined = _defined(cls)
        annotations = inspect.get_annotations(cls)
        for f in _fields(section, stored_only=False):
            name = python_name(f)
            if name in defined or f.name in exclude:
                continue
            if create and f.required:
                annotations[name] = graphql_type(f)
                setattr(cls, name, strawberry.field(description=describe(f)))
            else:
                annotations[name] = graphql_type(f) | None
                setattr(
                    cls, name, strawberry.field(default=strawberry.UNSET, description=describe(f))
                )
        cls.__annotations__ = annotations
        return cls

    return add


def described_by(section_name: str, **names: str) -> Callable[[C], C]:
    """Describes a strawberry type's or input's undescribed fields by the declaration of the
    same-named fields of a section (`names` maps a Python name to a declared field named
    otherwise). Applied above `@strawberry.type` / `@strawberry.input`."""
    section = SECTION_BY_NAME[section_name]

    def describe_fields(cls: C) -> C:
        definition: Any = getattr(cls, "__strawberry_definition__")  # noqa: B009
        for field in definition.fields:
            declared = section.field_map.get(names.get(field.python_name, ""))
            for candidate in (field.python_name, field.python_name + "_id"):
                if declared is None:
                    declared = next(
                        (f for f in section.fields if python_name(f) == candidate), None
                    )
            if field.description is None and declared is not None and declared.doc:
                field.description = describe(declared)
        return cls

    return describe_fields


def _stamp_field(f: Field, position: int, label: str | None) -> Any:
    stored = "stored_" + python_name(f)

    async def resolve(self: Any, info: Info) -> datetime.datetime | None:
        value: datetime.datetime | None = getattr(self, stored)
        if value is None and label is not None:
            value = (await node_timestamps(info, label, str(self.id)))[position]
        return value

    resolve.__annotations__ = {"info": Info, "return": datetime.datetime | None}
    resolve.__name__ = python_name(f)
    note = (
        " Null where the list's query does not read link timestamps (keyDeciders' coverage)."
        if label is None
        else ""
    )
    return strawberry.field(resolver=resolve, description=describe(f) + note)


def stamped(label: str | None = None) -> Callable[[C], C]:
    """Adds the bookkeeping timestamps (`bulk/spec.py` BOOKKEEPING_FIELDS: createdAt,
    updatedAt) to a node or link type, each kept in a private `stored_<name>` (default None:
    pass `**stamp_values(obj)` from the domain object). A node type names its entity kind
    (`label`, as in ENTITY_LABELS): where its query did not read them, they are fetched
    by id (batched); a link type has no id, so it answers what its query read."""

    def add(cls: C) -> C:
        annotations = inspect.get_annotations(cls)
        for position, f in enumerate(BOOKKEEPING_FIELDS):
            stored = "stored_" + python_name(f)
            annotations[stored] = _PRIVATE[Any]
            setattr(cls, stored, None)
            setattr(cls, python_name(f), _stamp_field(f, position, label))
        cls.__annotations__ = annotations
        return cls

    return add


def stamp_values(obj: Any) -> dict[str, Any]:
    """A domain object's timestamps as the keyword arguments of a `stamped` type."""
    return {stored: getattr(obj, name, None) for stored, name in _STAMPS}


# (the stamped type's private attribute, the domain object's attribute) per bookkeeping field
_STAMPS: tuple[tuple[str, str], ...] = tuple(
    ("stored_" + python_name(f), python_name(f)) for f in BOOKKEEPING_FIELDS
)
