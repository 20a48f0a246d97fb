"""Reading parties: the basic record of a person or organization."""

from __future__ import annotations

from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.domain.model import Party
from graph_api.store.mapping import party_from_props
from graph_api.store.neo4j_store import Store

MAX_ID_LENGTH = 128


def check_id(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidInput(f"{field} must not be empty", field=field, value=value)
    if len(value) > MAX_ID_LENGTH:
        raise InvalidInput(
            f"{field} is longer than {MAX_ID_LENGTH} characters", field=field, value=value[:40]
        )
    return value


def check_between(field: str, value: int, lowest: int, highest: int) -> int:
    if value < lowest or value > highest:
        raise InvalidInput(
            f"{field} must be between {lowest} and {highest}", field=field, value=value
        )
    return value


async def get_party(store: Store, party_id: str) -> Party:
    """The party with this id; NotFound names the id when there is none."""
    check_id("id", party_id)
    record = await store.read_one("party.by_id", {"id": party_id})
    if record is None:
        raise NotFound(f"no party with id {party_id!r}", field="id", value=party_id)
    return party_from_props(record["props"], record["kind"])
