"""The viewer's visible scope, computed once per request, and the filters every read applies.

Rules: `graph_api/domain/access.py`. An admin's access costs nothing (no query); a rep's or
manager's is one query (`access.scope`) whose answer the request keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.domain.access import Access, Role, Viewer
from graph_api.domain.errors import Forbidden, NotFound
from graph_api.store.neo4j_store import Store

log = logging.getLogger(__name__)


def require_admin(viewer: Viewer, what: str) -> None:
    """FORBIDDEN, naming the viewer's role, unless the viewer is an admin: for what only an
    admin of the API manages (`what`: "API keys", "webhooks")."""
    if not viewer.is_admin:
        raise Forbidden(
            f"{viewer.subject} may not manage {what}: only an admin may",
            field="role",
            value=viewer.role.value,
        )


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
    """The key-decider subgraph (cypher/deciders.cypher `scope`, in columns) without the
    parties the viewer may not see: the ranking is then computed on what they can see, so
    neither the people nor their weight in the scores leak. The account itself is checked
    by the caller; markers stay (their targets are the account, its units, the opportunity)."""
    out = dict(record)
    if access.unrestricted:
        return out
    sees = access.sees

    def columns(names: Sequence[str], keep: Sequence[bool]) -> None:
        for name in names:
            out[name] = [x for x, k in zip(record[name], keep, strict=True) if k]

    columns(("ids", "names", "genders"), [sees(p) for p in record["ids"]])
    columns(
        ("jobPeople", "jobUnits", "jobTitles", "jobPrimary"),
        [sees(p) and sees(u) for p, u in zip(record["jobPeople"], record["jobUnits"], strict=True)],
    )
    columns(
        ("linePeople", "lineManagers"),
        [
            sees(p) and sees(x)
            for p, x in zip(record["linePeople"], record["lineManagers"], strict=True)
        ],
    )
    columns(
        ("influenceFrom", "influenceTo", "influenceStrength"),
        [
            sees(a) and sees(b)
            for a, b in zip(record["influenceFrom"], record["influenceTo"], strict=True)
        ],
    )
    out["markers"] = [x for x in record["markers"] if sees(x[0])]
    out["coverage"] = [x for x in record["coverage"] if sees(x[0])]
    out["units"] = [u for u in record["units"] if sees(u[0])]
    out["influencers"] = [
        [*x[:3], [j for j in x[3] if sees(j[0])], *x[4:]]
        for x in record["influencers"]
        if sees(x[0])
    ]
    out["reporting"] = [(a, b) for a, b in record["reporting"] if sees(a) and sees(b)]
    out["managers"] = [x for x in record["managers"] if sees(x[0])]
    return out
