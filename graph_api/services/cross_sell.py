"""Cross-sell suggestions for a party: its bounded neighbourhood in one query, then analytics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph_api.analytics.cross_sell import (
    DEFAULT_WEIGHTS,
    PARTY,
    NeighbourhoodGraph,
    Weights,
    suggest,
)
from graph_api.analytics.cross_sell_zh import in_chinese
from graph_api.domain.access import Access
from graph_api.domain.cross_sell import (
    Association,
    CoHoldingStats,
    CrossSellResult,
    CrossSellScope,
    Evidence,
    Popularity,
)
from graph_api.domain.errors import Forbidden, InvalidInput, NotFound
from graph_api.domain.i18n import DEFAULT_LANGUAGE, Language
from graph_api.domain.model import (
    FamilyKind,
    HoldingStatus,
    OpportunityStage,
    OrgType,
    PartyKind,
    Product,
)
from graph_api.services.parties import check_as_of, check_id
from graph_api.store.mapping import product_from_props, to_date, to_datetime, to_enum
from graph_api.store.scoped import ScopedStore, restriction


@dataclass(frozen=True, slots=True)
class NeighbourhoodBounds:
    """Caps on what one request reads, whatever the size of the database."""

    relatives: int = 50
    employers: int = 20
    employees: int = 200  # an organization's people who hold something with us
    group: int = 200  # organizations of the party's group, nearest first
    events: int = 20
    opportunities: int = 50


DEFAULT_BOUNDS = NeighbourhoodBounds()


def visible_to(access: Access, evidence: Evidence) -> bool:
    """Whether the viewer may see every party on the evidence path, and every personal
    holding on it (a person's HOLDS link needs the person's sensitive fields open). The
    neighbourhood is pruned before the analytics run (`restrict_neighbourhood`), so this
    only holds the line: a hidden path lowers the score instead of leaking."""
    if not all(access.sees(pid) for pid in evidence.party_ids):
        return False
    people = {n.id for n in evidence.path.nodes if n.kind == PartyKind.PERSON.value}
    return all(
        access.sees_sensitive(link.source)
        for link in evidence.path.links
        if link.type == "HOLDS" and link.source in people
    )


def restrict_neighbourhood(g: nx.MultiDiGraph, party_id: str, access: Access) -> None:
    """Removes from the analytics' graph the parties the viewer may not see and the personal
    holdings they may not see: neither evidence, nor exclusions (`exclude: HOUSEHOLD` rules
    out what relatives hold), nor scores can then reveal them."""
    if access.unrestricted:
        return
    parties = [n for n in g.nodes if n[0] == PARTY and n[1] != party_id]
    g.remove_nodes_from([n for n in parties if not access.sees(n[1])])
    hidden = [
        (u, v, key)
        for u, v, key, data in g.edges(keys=True, data=True)
        if key == "HOLDS"
        and g.nodes[u].get("kind") == PartyKind.PERSON.value
        and not access.sees_sensitive(u[1])
    ]
    g.remove_edges_from(hidden)


async def cross_sell(
    reader: ScopedStore,
    party_id: str,
    *,
    limit: int = 10,
    scope: CrossSellScope = CrossSellScope.SELF,
    max_limit: int = 100,
    weights: Weights = DEFAULT_WEIGHTS,
    bounds: NeighbourhoodBounds = DEFAULT_BOUNDS,
    language: Language = DEFAULT_LANGUAGE,
    as_of: date | None = None,
) -> CrossSellResult:
    """Ranked products the party does not hold, each with the paths that support it; with
    `as_of`, from the family and jobs of that day (holdings are today's)."""
    check_id("partyId", party_id)
    check_as_of(as_of)
    if not 1 <= limit <= max_limit:
        raise InvalidInput(
            f"limit must be between 1 and {max_limit}, not {limit}", field="limit", value=limit
        )
    found = await reader.read_restricted(
        "cross_sell.neighbourhood",
        {
            "partyId": party_id,
            "maxRelatives": bounds.relatives,
            "maxEmployers": bounds.employers,
            "maxEmployees": bounds.employees,
            "maxGroup": bounds.group,
            "maxEvents": bounds.events,
            "maxOpportunities": bounds.opportunities,
            "minLift": weights.similar_min_lift,
            "linkageLines": [*weights.executive_lines, *weights.employer_lines],
            "popular": limit,
        },
        as_of=as_of,
    )
    return found.restrict(suggest_visible, party_id, scope, limit, weights, language)


@restriction("cross_sell.neighbourhood")
def suggest_visible(
    access: Access,
    records: Sequence[Mapping[str, Any]],
    party_id: str,
    scope: CrossSellScope,
    limit: int,
    weights: Weights,
    language: Language = DEFAULT_LANGUAGE,
) -> CrossSellResult:
    """The suggestions computed on what the viewer may see of the neighbourhood
    (`restrict_neighbourhood`), with only the evidence they may see (`visible_to`), worded
    in the request's language."""
    record = records[0] if records else None
    if record is None or not access.sees(party_id):
        raise NotFound(f"no party with id {party_id!r}", field="partyId", value=party_id)
    kind = PartyKind(record["kind"])
    if kind is PartyKind.PERSON and not access.sees_sensitive(party_id):
        # What a person is offered says what they hold: their personal holdings are masked.
        raise Forbidden(
            f"the personal holdings of {party_id!r} are masked for you, and cross-selling "
            "would reveal them (they are open to the teams whose account the person is and "
            "to the reps covering the person)",
            field="partyId",
            value=party_id,
        )
    if not scope.applies_to(kind):
        raise InvalidInput(
            f"exclude {scope.value} does not apply to {kind.value.lower()} {party_id!r} "
            f"(HOUSEHOLD is for people, GROUP for organizations)",
            field="exclude",
            value=scope.value,
        )
    graph, stats = neighbourhood(dict(record))
    restrict_neighbourhood(graph.graph, party_id, access)
    result = suggest(
        graph.graph,
        party_id,
        stats,
        scope=scope,
        limit=limit,
        w=weights,
        keep=lambda e: visible_to(access, e),
    )
    return in_chinese(graph.graph, stats, result) if language is Language.ZH else result


def neighbourhood(record: Mapping[str, Any]) -> tuple[NeighbourhoodGraph, CoHoldingStats]:
    """The neighbourhood query's record as the analytics' graph and statistics."""
    nb = NeighbourhoodGraph()
    g = nb.graph
    products: dict[str, Product] = {}

    def product(props: Mapping[str, Any]) -> str:
        if props["id"] not in products:
            products[props["id"]] = product_from_props(props)
            nb.add_product(products[props["id"]])
        return str(props["id"])

    def holdings(party_id: str, rows: list[Mapping[str, Any]]) -> None:
        for h in rows:
            nb.add_holding(party_id, product(h["product"]), to_enum(HoldingStatus, h.get("status")))

    party_id = record["id"]
    nb.add_party(
        party_id,
        PartyKind(record["kind"]),
        record["name"] or party_id,
        org_type=to_enum(OrgType, record.get("orgType")),
        occupation=record.get("occupation"),
    )
    holdings(party_id, record["holdings"])

    for r in record["family"]:
        if ("party", r["id"]) not in g:
            nb.add_party(r["id"], PartyKind.PERSON, r["name"] or r["id"])
            holdings(r["id"], r["holdings"])
        kind = to_enum(FamilyKind, r["kind"]) or FamilyKind.OTHER
        if r["outgoing"]:
            nb.add_family(party_id, r["id"], kind)
        else:
            nb.add_family(r["id"], party_id, kind)

    for o in record["employers"]:
        nb.add_party(
            o["id"],
            PartyKind.ORGANIZATION,
            o["name"] or o["id"],
            org_type=to_enum(OrgType, o.get("orgType")),
        )
        holdings(o["id"], o["holdings"])
        nb.add_employment(party_id, o["id"], title=o.get("title"), primary=o.get("primary"))

    for e in record["employees"]:
        nb.add_party(
            e["id"], PartyKind.PERSON, e["name"] or e["id"], occupation=e.get("occupation")
        )
        holdings(e["id"], e["holdings"])
        nb.add_employment(e["id"], party_id, title=e.get("title"), primary=e.get("primary"))

    for o in record["group"]:
        if ("party", o["id"]) not in g:
            nb.add_party(
                o["id"],
                PartyKind.ORGANIZATION,
                o["name"] or o["id"],
                org_type=to_enum(OrgType, o.get("orgType")),
            )
            holdings(o["id"], o["holdings"])
    for o in record["group"]:
        for child, parent in o["links"]:
            if ("party", child) in g and ("party", parent) in g:
                nb.add_part_of(child, parent)

    for e in record["events"]:
        nb.add_event(
            party_id,
            e["id"],
            e.get("kind") or "",
            e.get("title") or e["id"],
            to_date(e.get("date")),
        )

    for o in record["opportunities"]:
        stage = to_enum(OpportunityStage, o.get("stage"))
        if stage is None:
            continue
        ids = [product(p) for p in o["products"]]
        nb.add_opportunity(o["id"], o.get("name") or o["id"], stage, party_id, ids)

    for rule in record["rules"]:
        suggests = [product(p) for p in rule["suggests"]]
        if ("rule", rule["id"]) in g:
            # A rule triggered by two products: add only the second trigger link.
            if rule["whenProductId"] is not None:
                g.add_edge(
                    ("rule", rule["id"]),
                    ("product", rule["whenProductId"]),
                    "WHEN_HOLDS",
                    type="WHEN_HOLDS",
                )
            continue
        nb.add_rule(
            rule["id"],
            rule.get("reason") or rule["id"],
            rule.get("weight"),
            suggests=suggests,
            when_event_kind=rule.get("whenEventKind"),
            when_product_id=rule.get("whenProductId"),
        )

    for p in record["linkageProducts"]:
        product(p)

    associations: dict[str, list[Association]] = {}
    for c in record["coHeld"]:
        consequent = product(c["product"])
        associations.setdefault(c["antecedent"], []).append(
            Association(
                antecedent=c["antecedent"],
                consequent=consequent,
                pair_count=int(c["pairCount"]),
                support=float(c["support"]),
                confidence=float(c["confidence"]),
                lift=float(c["lift"]),
            )
        )
    popular = tuple(
        Popularity(
            product=products[product(p["product"])],
            people=int(p["people"] or 0),
            organizations=int(p["organizations"] or 0),
        )
        for p in record["popular"]
    )
    head = record["stats"][0] if record["stats"] else {}
    stats = CoHoldingStats(
        refreshed_at=to_datetime(head.get("refreshedAt")),
        people=int(head.get("people") or 0),
        organizations=int(head.get("organizations") or 0),
        associations={k: tuple(v) for k, v in associations.items()},
        products=dict(products),
        popular=popular,
    )
    return nb, stats
