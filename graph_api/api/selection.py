"""Reading a resolver's selection set cheaply, from graphql-core's nodes.

strawberry's `info.selected_fields` converts the whole tree below a field (arguments
included), which for the full 360° view cost more than the database query; these read one
level at a time, through fragments, and only as deep as the caller walks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)

from graph_api.api.context import Info


def fields_with_condition(
    fragments: Mapping[str, FragmentDefinitionNode],
    selections: Iterable[SelectionNode],
    condition: str | None,
) -> Iterator[tuple[str | None, FieldNode]]:
    """The fields directly under a selection set, through fragments, with the type each
    was asked on."""
    for sel in selections:
        if isinstance(sel, FieldNode):
            yield condition, sel
        elif isinstance(sel, InlineFragmentNode):
            inner = sel.type_condition.name.value if sel.type_condition else condition
            yield from fields_with_condition(fragments, sel.selection_set.selections, inner)
        elif isinstance(sel, FragmentSpreadNode):
            fragment = fragments[sel.name.value]
            yield from fields_with_condition(
                fragments, fragment.selection_set.selections, fragment.type_condition.name.value
            )


def child_fields(
    fragments: Mapping[str, FragmentDefinitionNode], field: FieldNode
) -> Iterator[FieldNode]:
    """The fields directly under `field`, through fragments."""
    if field.selection_set is not None:
        for _, sel in fields_with_condition(fragments, field.selection_set.selections, None):
            yield sel


def asks_for(info: Info, name: str) -> bool:
    """Whether the current field's selection has `name` directly under it."""
    raw = info._raw_info
    return any(
        sel.name.value == name
        for node in raw.field_nodes
        for sel in child_fields(raw.fragments, node)
    )
