"""Query field `enumLabels`: display labels of the enums in the request's language."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import strawberry

from graph_api.api import enums as _enums  # noqa: F401  (registers the domain enums first)
from graph_api.api.context import Info
from graph_api.domain import i18n
from graph_api.domain.errors import InvalidInput


@strawberry.type(description="How a front end shows one enum value, in the request's language.")
class EnumLabel:
    enum: str = strawberry.field(description="The GraphQL enum's name, e.g. BuyingRole.")
    value: str = strawberry.field(description="The enum value as the API returns it.")
    label: str = strawberry.field(description="The label, e.g. 决策者(决) / Decision maker (决).")
    description: str | None = strawberry.field(
        default=None, description="What the value means, where the schema says more than the label."
    )


def graphql_name(enum: type[StrEnum]) -> str:
    """The enum's name in the schema (strawberry's when registered, else the class name)."""
    definition = getattr(enum, "__strawberry_definition__", None)
    return definition.name if definition is not None else enum.__name__


def label_table() -> dict[str, list[tuple[str, i18n.Label]]]:
    """Every labelled vocabulary by name: the GraphQL enums, then the string vocabularies."""
    table: dict[str, list[tuple[str, i18n.Label]]] = {
        graphql_name(enum): [(member.name, label) for member, label in values.items()]
        for enum, values in i18n.ENUM_LABELS.items()
    }
    for name, values in i18n.VALUE_LABELS.items():
        table[name] = list(values.items())
    return table


@strawberry.type
class LabelsQuery:
    @strawberry.field(
        description=(
            "Display labels of enum values in the request's language (Accept-Language: zh or "
            "en, default en): every GraphQL enum, and RadCell (the values of signals.radCell). "
            "`enums` picks some by name; an unknown name is INVALID_INPUT naming it."
        )
    )
    def enum_labels(
        self,
        info: Info,
        enums: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these enums, by GraphQL name (default: all)."),
        ] = None,
    ) -> list[EnumLabel]:
        table = label_table()
        names = list(table) if enums is None else list(dict.fromkeys(enums))
        for name in names:
            if name not in table:
                raise InvalidInput(f"enums: no enum named {name!r}", field="enums", value=name)
        language = info.context.language
        return [
            EnumLabel(
                enum=name,
                value=value,
                label=label.label(language),
                description=label.description(language),
            )
            for name in names
            for value, label in table[name]
        ]
