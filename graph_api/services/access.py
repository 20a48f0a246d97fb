"""The viewer's visible scope, computed once per request, and the filters every read applies.

Rules: `graph_api/domain/access.py`. An admin's access costs nothing (no query); a rep's or
manager's is one query (`access.scope`) whose answer the request keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.domain.access import Access, Role, Viewer
from graph_api.domain.errors import NotFound
from graph_api.store.mapping import PERSON_FIELDS
from graph_api.store.neo4j_store import Store

log = logging.getLogger(__name__)


async def access_for(store: Store, viewer: Viewer) -> Access:
    """The parties the viewer may see and those whose sensitive fields are open to them."""
    if viewer.is_admin:
        return Access.everything(viewer)
    if viewer.rep_id is None:
        return Access.scoped(viewer, (), ())
    record = await store.read_one(
        "access.scope", {"repId": viewer.rep_id, "manager": viewer.role is Role.MANAGER}
    )
    if record is None:
        log.warning(
            "viewer %r: no rep %r in the graph: sees nothing", viewer.subject, viewer.rep_id
        )
        return Access.scoped(viewer, (), ())
    return Access.scoped(
        viewer,
        record["visible"],
        record["sensitive"],
        record["teams"],
        record["reps"],
        record["organizations"],
    )


def require_visible(access: Access, party_id: str, field: str, what: str = "party") -> None:
    """NotFound, worded as for an unknown id, when the viewer may not see the party: an
    invisible party must not be told apart from one that does not exist."""
    if not access.sees(party_id):
        raise NotFound(f"no {what} with id {party_id!r}", field=field, value=party_id)


def restrict_decision_record(access: Access, record: Mapping[str, Any]) -> dict[str, Any]:
    """The key-decider subgraph (cypher/deciders.cypher `scope`, compact lists) without the
    parties the viewer may not see: the ranking is then computed on what they can see, so
    neither the people nor their weight in the scores leak. The account itself is checked
    by the caller; markers stay (their targets are the account, its units, the opportunity)."""
    out = dict(record)
    if access.unrestricted:
        return out
    sees = access.sees
    n = len(PERSON_FIELDS)

    def person(row: Sequence[Any]) -> list[Any]:
        links_out = [x for x in row[n] if x[0] == "B" or sees(x[1])]
        links_in = [x for x in row[n + 1] if x[0] == "C" or sees(x[1])]
        return [*row[:n], links_out, links_in, *row[n + 2 :]]

    def influencer(row: Sequence[Any]) -> list[Any]:
        jobs = [j for j in row[n] if sees(j[0])]
        return [*row[:n], jobs, *row[n + 1 :]]

    out["units"] = [u for u in record["units"] if sees(u[0])]
    out["people"] = [person(p) for p in record["people"] if sees(p[0])]
    out["influencers"] = [influencer(p) for p in record["influencers"] if sees(p[0])]
    out["reporting"] = [(a, b) for a, b in record["reporting"] if sees(a) and sees(b)]
    out["managers"] = [x for x in record["managers"] if sees(x[0])]
    return out
