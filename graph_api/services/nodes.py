"""Relay's node(id:) / nodes(ids:): any node of the API by its global id, as the viewer may see it.

Parties (people, organizations) come from the 360° view (`view360.parties_view`: the view's
parts selected on them arrive in the same round trip); every other kind from one query,
`view.nodes`, which returns each node with the parties it leads to. Access follows the
rules of the places the API shows each kind (domain/access.py):

- reps, products and competitors: our own catalogue, seen by every viewer;
- a holding: when its holder is visible and, for a person's holding, the person's sensitive
  details are open to the viewer (a person's holdings are personal information);
- an opportunity: when its account is visible (its buying centre keeps the visible people);
- an interaction: when one of its parties is visible (an opportunity of an account the
  viewer does not see is not named, as in the view);
- a business event: when its organization is visible;
- an account team: when one of its accounts is visible; `account` is the first of those
  (by name, then id). A team covering no account is not a node (AccountTeam.account cannot
  be null): NOT_FOUND, for an admin too.

A node the viewer may not see is answered exactly as an unknown one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from graph_api.config import Settings
from graph_api.domain import model as m
from graph_api.domain import tas as t
from graph_api.domain import view as v
from graph_api.domain.access import Access
from graph_api.domain.errors import InvalidInput
from graph_api.domain.global_id import PARTY_KINDS, NodeRef
from graph_api.services.parties import check_id
from graph_api.services.view360 import (
    PartArgs,
    ViewKey,
    ViewPart,
    account_team_from_map,
    event_from_map,
    holding_from_map,
    holding_shown,
    interaction_from_map,
    opportunity_from_map,
    parties_view,
)
from graph_api.store.mapping import party_from_props, product_from_props, rep_from_props, stamps
from graph_api.store.scoped import ScopedStore, restriction

Found = (
    m.Person
    | m.Organization
    | v.Rep
    | m.Product
    | t.Competitor
    | v.Holding
    | v.Opportunity
    | v.Interaction
    | v.BusinessEvent
    | v.AccountTeam
)


async def load_nodes(
    reader: ScopedStore,
    settings: Settings,
    refs: Sequence[NodeRef],
    parts: Iterable[tuple[ViewPart, PartArgs]] = (),
    *,
    timestamps: bool = False,
    field: str = "ids",
) -> tuple[dict[NodeRef, Found], dict[ViewKey, Any]]:
    """The nodes found (unknown and invisible ones left out alike), with the view parts of
    the parties among them: one round trip for the parties, one for the other kinds."""
    if len(refs) > settings.max_page_size:
        raise InvalidInput(
            f"{field} may name at most {settings.max_page_size} nodes, got {len(refs)}",
            field=field,
            value=len(refs),
        )
    for ref in refs:
        check_id(field, ref.id)
    unique = list(dict.fromkeys(refs))
    found: dict[NodeRef, Found] = {}
    values: dict[ViewKey, Any] = {}
    party_refs = [r for r in unique if r.kind is None or r.kind in PARTY_KINDS]
    if party_refs:
        parties, values, _missing = await parties_view(
            reader,
            settings,
            [r.id for r in party_refs],
            parts,
            timestamps=timestamps,
        )
        for ref in party_refs:
            party = parties.get(ref.id)
            # A global id names the kind too: Person:<an organization's id> is no node.
            if party is not None and (ref.kind is None or party.kind.title() == ref.kind):
                found[ref] = party
    others = [r for r in unique if r.kind is not None and r.kind not in PARTY_KINDS]
    if others:
        requests = [{"kind": r.kind, "id": r.id} for r in others]
        answer = await reader.read_restricted(
            "view.nodes", {"requests": requests, "timestamps": timestamps}
        )
        found.update(answer.restrict(visible_nodes))
    return found, values


def _competitor(c: Mapping[str, Any]) -> t.Competitor:
    return t.Competitor(
        id=c["id"],
        name=c.get("name") or c["id"],
        aliases=tuple(c.get("aliases") or ()),
        website=c.get("website"),
        note=c.get("note"),
        **stamps(c),
    )


def _node(kind: str, x: Mapping[str, Any], access: Access) -> Found | None:
    """The node of a `view.nodes` record as the viewer may see it (None: not at all)."""
    sees = access.sees
    match kind:
        case "Rep":
            return rep_from_props(x["props"])
        case "Product":
            return product_from_props(x["props"])
        case "Competitor":
            return _competitor(x["props"])
        case "Holding":
            holding = holding_from_map(x)
            return holding_shown(access, holding)
        case "Opportunity":
            o = opportunity_from_map(x)
            if not sees(o.account.id):
                return None
            return replace(o, buying_centre=tuple(b for b in o.buying_centre if sees(b.person.id)))
        case "Interaction":
            if not any(sees(pid) for pid in x.get("partyIds") or ()):
                return None
            i = interaction_from_map(x)
            if i.opportunity is not None and not sees(i.opportunity.account_id or ""):
                i = replace(i, opportunity=None)
            return i
        case "BusinessEvent":
            return event_from_map(x["props"]) if sees(x["partyId"]) else None
        case "AccountTeam":
            accounts = sorted(
                (party_from_props(a["props"], a["kind"]) for a in x.get("accounts") or ()),
                key=lambda p: (p.name, p.id),
            )
            visible = [a for a in accounts if sees(a.id)]
            if not visible:
                return None
            return account_team_from_map(x, visible[0])
    raise AssertionError(f"unhandled node kind {kind}")


@restriction("view.nodes")
def visible_nodes(access: Access, records: Sequence[Mapping[str, Any]]) -> dict[NodeRef, Found]:
    out: dict[NodeRef, Found] = {}
    for record in records:
        node = _node(record["kind"], record["found"], access)
        if node is not None:
            out[NodeRef(record["kind"], record["id"])] = node
    return out
