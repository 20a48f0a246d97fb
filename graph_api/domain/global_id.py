"""Relay global ids: one id space over every kind of node the API has.

The import format's ids are unique per kind only (a rep and a product may share one), so
the API's global id names the kind: base64 of `Kind:id` (Relay's convention, as
graphql-relay's `to_global_id`), e.g. `UmVwOnJlcC13YW5n` for the rep `rep-wang`. Each node
type keeps its own `id` field as it was (the schema is a contract); `globalId` is the new,
opaque one. `node(id:)` also accepts a party's own id, as it did before global ids existed:
people and organizations share one id space, so a party id alone is unambiguous.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from graph_api.domain.errors import InvalidInput

# The kinds a global id may name: the GraphQL type of each (same name), in the order the
# docs list them. Person and Organization are parties: fetched with the 360° view.
NODE_KINDS: tuple[str, ...] = (
    "Person",
    "Organization",
    "Rep",
    "AccountTeam",
    "Product",
    "Holding",
    "Opportunity",
    "Interaction",
    "BusinessEvent",
    "Competitor",
)
PARTY_KINDS = frozenset(("Person", "Organization"))
# What a decoded text must look like to be taken for a global id at all (a kind-like word,
# a colon): anything else is a party's own id.
_LOOKS_GLOBAL = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node asked for: its kind (None: a party's own id, person or organization) and id."""

    kind: str | None
    id: str


def to_global_id(kind: str, node_id: str) -> str:
    return base64.b64encode(f"{kind}:{node_id}".encode()).decode("ascii")


def from_global_id(value: str, field: str = "id") -> NodeRef:
    """What `value` names: a global id of a known kind, or else a party's own id.

    A value that decodes to `Word:rest` is a global id; an unknown word or an empty rest
    is INVALID_INPUT naming the value (the client built or truncated a global id wrongly).
    """
    try:
        text = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (UnicodeError, binascii.Error, ValueError):
        return NodeRef(None, value)
    match = _LOOKS_GLOBAL.match(text)
    if match is None:
        return NodeRef(None, value)
    kind, node_id = match.group(1), match.group(2)
    if kind not in NODE_KINDS:
        raise InvalidInput(
            f"{field} {value!r} is a global id of an unknown kind {kind!r} "
            f"(known: {', '.join(NODE_KINDS)})",
            field=field,
            value=value,
        )
    if not node_id.strip():
        raise InvalidInput(
            f"{field} {value!r} is a global id of a {kind} without an id", field=field, value=value
        )
    return NodeRef(kind, node_id)
