"""Cross-sell suggestions with evidence paths, computed on a party's bounded neighbourhood graph.

Pure: a networkx graph of the neighbourhood and the co-holding statistics go in, ranked
suggestions with their evidence paths come out. The method and the weights are explained in
docs/CROSS_SELL.md; keep the two in step.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import networkx as nx

from graph_api.domain.cross_sell import (
    CoHoldingStats,
    CrossSellResult,
    CrossSellScope,
    Evidence,
    EvidenceKind,
    Suggestion,
    is_executive,
)
from graph_api.domain.model import (
    FamilyKind,
    GraphPath,
    HoldingStatus,
    OpportunityStage,
    OrgType,
    PartyKind,
    PathLink,
    PathNode,
    Product,
    ProductSegment,
)

# Node keys are (namespace, id): parties, products, rules, events and opportunities each have
# their own id space in the import format, so an id alone could name two nodes.
NodeKey = tuple[str, str]
PARTY, PRODUCT, RULE, EVENT, OPPORTUNITY = "party", "product", "rule", "event", "opportunity"

_KIN_WORD = {
    FamilyKind.SPOUSE: "spouse",
    FamilyKind.PARENT: "parent",
    FamilyKind.CHILD: "child",
    FamilyKind.SIBLING: "sibling",
    FamilyKind.OTHER: "relative",
}


@dataclass(frozen=True)
class Weights:
    """The probability each kind of evidence lends a product (docs/CROSS_SELL.md, "Scores")."""

    kin: Mapping[FamilyKind, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                FamilyKind.SPOUSE: 0.5,
                FamilyKind.PARENT: 0.35,
                FamilyKind.CHILD: 0.35,
                FamilyKind.SIBLING: 0.25,
                FamilyKind.OTHER: 0.15,
            }
        )
    )
    # GROUP: base for a parent or a direct branch, times decay per further PART_OF hop.
    group_base: float = 0.4
    group_decay: float = 0.6
    group_max_hops: int = 4
    # EMPLOYER, public-private linkage: an executive of a corporate client -> these retail
    # lines; an organization whose executives hold retail products -> these corporate lines.
    executive_linkage: float = 0.35
    executive_lines: tuple[str, ...] = ("WEALTH",)
    employer_linkage: float = 0.25
    employer_lines: tuple[str, ...] = ("CASH_MANAGEMENT", "PENSION")
    # A link through a secondary (not primary) employment counts for this much.
    secondary_employment: float = 0.6
    # SIMILAR_CUSTOMERS: confidence shrunk by n / (n + shrinkage) so that a pair seen a few
    # times is weak evidence; only positive associations (lift above the minimum) count.
    similar_shrinkage: float = 5.0
    similar_min_lift: float = 1.0
    similar_min_pairs: int = 1
    # POPULARITY: share of customers of the same kind holding the product, times this.
    popularity_factor: float = 0.5
    # Ranking: at most this many evidences of one kind enter a product's score, so that a
    # hub (an organization with hundreds of employees) cannot push a score to 1 by itself.
    per_kind: int = 3
    max_evidence: int = 10


DEFAULT_WEIGHTS = Weights()


class NeighbourhoodGraph:
    """Builds the networkx graph the analytics read, with one vocabulary of node/edge attributes.

    Edges carry `type`; at most one edge of a type joins two nodes (the key is the type).
    Family links are added in both directions with `role`: what the target is to the source.
    A party's holdings of one product collapse into one HOLDS edge whose status is ACTIVE
    when any of them is not closed.
    """

    def __init__(self) -> None:
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()

    def add_party(
        self,
        party_id: str,
        kind: PartyKind,
        label: str,
        *,
        org_type: OrgType | None = None,
        occupation: str | None = None,
    ) -> None:
        self.graph.add_node(
            (PARTY, party_id),
            kind=kind.value,
            label=label,
            org_type=org_type,
            occupation=occupation,
        )

    def add_product(self, product: Product) -> None:
        self.graph.add_node(
            (PRODUCT, product.id), kind="PRODUCT", label=product.name, product=product
        )

    def add_holding(
        self, party_id: str, product_id: str, status: HoldingStatus | None = None
    ) -> None:
        u, v = self._need((PARTY, party_id)), self._need((PRODUCT, product_id))
        closed = status is HoldingStatus.CLOSED
        if self.graph.has_edge(u, v, "HOLDS"):
            data = self.graph.edges[u, v, "HOLDS"]
            data["closed"] = data["closed"] and closed
        else:
            self.graph.add_edge(u, v, "HOLDS", type="HOLDS", closed=closed)

    def add_family(self, from_id: str, to_id: str, kind: FamilyKind) -> None:
        """A stored link (from)-[FAMILY {kind}]->(to); PARENT means `from` is `to`'s parent."""
        a, b = self._need((PARTY, from_id)), self._need((PARTY, to_id))
        self.graph.add_edge(a, b, "FAMILY", type="FAMILY", role=kind.inverse())
        self.graph.add_edge(b, a, "FAMILY", type="FAMILY", role=kind)

    def add_employment(
        self, person_id: str, org_id: str, *, title: str | None = None, primary: bool | None = None
    ) -> None:
        u, v = self._need((PARTY, person_id)), self._need((PARTY, org_id))
        self.graph.add_edge(u, v, "WORKS_FOR", type="WORKS_FOR", title=title, primary=primary)

    def add_part_of(self, child_id: str, parent_id: str) -> None:
        u, v = self._need((PARTY, child_id)), self._need((PARTY, parent_id))
        self.graph.add_edge(u, v, "PART_OF", type="PART_OF")

    def add_event(
        self,
        party_id: str,
        event_id: str,
        event_kind: str,
        title: str,
        when: date | None = None,
    ) -> None:
        node = (EVENT, event_id)
        self.graph.add_node(node, kind="EVENT", label=title, event_kind=event_kind, date=when)
        self.graph.add_edge(self._need((PARTY, party_id)), node, "HAS_EVENT", type="HAS_EVENT")

    def add_rule(
        self,
        rule_id: str,
        reason: str,
        weight: float | None,
        *,
        suggests: Iterable[str],
        when_event_kind: str | None = None,
        when_product_id: str | None = None,
    ) -> None:
        node = (RULE, rule_id)
        self.graph.add_node(
            node,
            kind="RULE",
            label=reason,
            reason=reason,
            weight=0.5 if weight is None else weight,
            when_event_kind=when_event_kind,
        )
        if when_product_id is not None:
            trigger = self._need((PRODUCT, when_product_id))
            self.graph.add_edge(node, trigger, "WHEN_HOLDS", type="WHEN_HOLDS")
        for product_id in suggests:
            self.graph.add_edge(
                node, self._need((PRODUCT, product_id)), "SUGGESTS", type="SUGGESTS"
            )

    def add_opportunity(
        self,
        opportunity_id: str,
        name: str,
        stage: OpportunityStage,
        account_id: str,
        product_ids: Iterable[str],
    ) -> None:
        node = (OPPORTUNITY, opportunity_id)
        self.graph.add_node(node, kind="OPPORTUNITY", label=name, stage=stage)
        account = self._need((PARTY, account_id))
        self.graph.add_edge(node, account, "FOR_ACCOUNT", type="FOR_ACCOUNT")
        for product_id in product_ids:
            self.graph.add_edge(
                node, self._need((PRODUCT, product_id)), "INCLUDES", type="INCLUDES"
            )

    def _need(self, node: NodeKey) -> NodeKey:
        if node not in self.graph:
            raise KeyError(f"{node[0]} {node[1]!r} must be added before a link to it")
        return node


# ----- reading the graph -------------------------------------------------------------------


def _attrs(g: nx.MultiDiGraph, node: NodeKey) -> dict[str, Any]:
    data: dict[str, Any] = g.nodes[node]
    return data


def _path_node(g: nx.MultiDiGraph, node: NodeKey) -> PathNode:
    data = _attrs(g, node)
    return PathNode(id=node[1], kind=data["kind"], label=data["label"])


def _label(g: nx.MultiDiGraph, node: NodeKey) -> str:
    label: str = _attrs(g, node)["label"]
    return label


def _out(
    g: nx.MultiDiGraph, node: NodeKey, edge_type: str
) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for _, target, key, data in sorted(g.out_edges(node, keys=True, data=True)):
        if key == edge_type:
            yield target, data


def _in(
    g: nx.MultiDiGraph, node: NodeKey, edge_type: str
) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for source, _, key, data in sorted(g.in_edges(node, keys=True, data=True)):
        if key == edge_type:
            yield source, data


def _product(g: nx.MultiDiGraph, node: NodeKey) -> Product:
    product: Product = _attrs(g, node)["product"]
    return product


def _held(g: nx.MultiDiGraph, party: NodeKey) -> list[NodeKey]:
    """Products the party holds now (pending or active; closed holdings do not count)."""
    return [p for p, data in _out(g, party, "HOLDS") if not data["closed"]]


def _employment_factor(primary: bool | None, w: Weights) -> float:
    # An unknown `primary` is read as the main employment: most sources record only that one.
    return w.secondary_employment if primary is False else 1.0


def _title(g: nx.MultiDiGraph, person: NodeKey, data: Mapping[str, Any]) -> str | None:
    title: str | None = data.get("title") or _attrs(g, person).get("occupation")
    return title


def _crosses_segment(trigger: Product, suggested: Product) -> bool:
    """A rule from a corporate product to a retail one (or back) speaks of the holder's people
    (or employer): it applies across employment, not to the holder itself."""
    return (
        trigger.segment is not None
        and suggested.segment is not None
        and trigger.segment is not suggested.segment
    )


def _rules_triggered_by(g: nx.MultiDiGraph, product: NodeKey) -> list[NodeKey]:
    return [rule for rule, _ in _in(g, product, "WHEN_HOLDS")]


def _suggested(g: nx.MultiDiGraph, rule: NodeKey) -> list[NodeKey]:
    return [p for p, _ in _out(g, rule, "SUGGESTS")]


def _path(
    g: nx.MultiDiGraph,
    nodes: list[NodeKey],
    links: list[tuple[str, str, float | None]],
    probability: float,
    explanation: str,
) -> GraphPath:
    """A drawable path; `links[i]` = (type, label, strength) joins nodes[i] -> nodes[i+1]."""
    return GraphPath(
        nodes=tuple(_path_node(g, n) for n in nodes),
        links=tuple(
            PathLink(source=a[1], target=b[1], type=t, label=label, strength=s)
            for (a, b), (t, label, s) in zip(itertools.pairwise(nodes), links, strict=True)
        ),
        weight=probability,
        explanation=explanation,
    )


# ----- evidence finders --------------------------------------------------------------------


def household_evidence(g: nx.MultiDiGraph, party: NodeKey, w: Weights) -> Iterator[Evidence]:
    for relative, data in _out(g, party, "FAMILY"):
        role: FamilyKind = data["role"]
        p = w.kin.get(role, 0.0)
        word = _KIN_WORD[role]
        for product in _held(g, relative):
            yield Evidence(
                kind=EvidenceKind.HOUSEHOLD,
                product_id=product[1],
                probability=p,
                via=relative[1],
                path=_path(
                    g,
                    [party, relative, product],
                    [("FAMILY", word, p), ("HOLDS", "holds", None)],
                    p,
                    f"{word} {_label(g, relative)} holds {_label(g, product)}",
                ),
            )


def _group_relation(g: nx.MultiDiGraph, route: list[NodeKey]) -> tuple[str, list[str]]:
    """How the last organization of a PART_OF route relates to the first, and each hop's word."""
    words: list[str] = []
    ups = downs = 0
    for a, b in itertools.pairwise(route):
        if g.has_edge(a, b, "PART_OF"):
            ups += 1
            words.append("parent")
        else:
            downs += 1
            org_type = _attrs(g, b).get("org_type")
            words.append(
                org_type.value.lower().replace("_", " ")
                if isinstance(org_type, OrgType)
                else "unit"
            )
    if ups == 1 and downs == 0:
        relation = "parent"
    elif ups == 0 and downs == 1:
        relation = words[0]
    elif ups == 1 and downs == 1:
        relation = "sister"
    else:
        relation = "group company"
    return relation, words


def group_evidence(g: nx.MultiDiGraph, party: NodeKey, w: Weights) -> Iterator[Evidence]:
    tree = nx.Graph()
    tree.add_node(party)
    tree.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k == "PART_OF")
    routes = nx.single_source_shortest_path(tree, party, cutoff=w.group_max_hops)
    for org in sorted(routes):
        route = routes[org]
        if org == party:
            continue
        p = w.group_base * w.group_decay ** (len(route) - 2)
        relation, words = _group_relation(g, route)
        for product in _held(g, org):
            yield Evidence(
                kind=EvidenceKind.GROUP,
                product_id=product[1],
                probability=p,
                via=org[1],
                path=_path(
                    g,
                    [*route, product],
                    [*(("PART_OF", word, None) for word in words), ("HOLDS", "holds", None)],
                    p,
                    f"{relation} {_label(g, org)} holds {_label(g, product)}",
                ),
            )


def _catalog(g: nx.MultiDiGraph, segment: ProductSegment, lines: tuple[str, ...]) -> list[NodeKey]:
    return sorted(
        n
        for n, data in g.nodes(data=True)
        if n[0] == PRODUCT and data["product"].segment is segment and data["product"].line in lines
    )


def employer_evidence(g: nx.MultiDiGraph, party: NodeKey, w: Weights) -> Iterator[Evidence]:
    """Public-private linkage (公私联动) along WORKS_FOR, in both directions."""
    kind = _attrs(g, party)["kind"]
    if kind == PartyKind.PERSON.value:
        for org, data in _out(g, party, "WORKS_FOR"):
            yield from _linkage(g, party, person=party, org=org, data=data, w=w, to_person=True)
    else:
        for person, data in _in(g, party, "WORKS_FOR"):
            yield from _linkage(g, party, person=person, org=party, data=data, w=w, to_person=False)


def _linkage(
    g: nx.MultiDiGraph,
    party: NodeKey,
    *,
    person: NodeKey,
    org: NodeKey,
    data: Mapping[str, Any],
    w: Weights,
    to_person: bool,
) -> Iterator[Evidence]:
    """Evidence for `party` from the other side of one employment: the employer's holdings
    for a person, an employee's holdings for an organization."""
    factor = _employment_factor(data.get("primary"), w)
    title = _title(g, person, data)
    other = org if to_person else person
    first_link = ("WORKS_FOR", title or ("works for" if to_person else "employs"), None)
    held = _held(g, other)
    # The other side's segment: a corporate client for a person, a retail customer for an org.
    their_segment = ProductSegment.CORPORATE if to_person else ProductSegment.RETAIL
    our_segment = ProductSegment.RETAIL if to_person else ProductSegment.CORPORATE
    anchors = [p for p in held if _product(g, p).segment is their_segment]
    if is_executive(title) and anchors:
        anchor = anchors[0]
        if to_person:
            p, lines = w.executive_linkage * factor, w.executive_lines
            why = (
                f"{title} of {_label(g, org)}, a corporate client (holds {_label(g, anchor)}): "
                "executives of corporate clients are private-banking and wealth prospects"
            )
        else:
            p, lines = w.employer_linkage * factor, w.employer_lines
            why = (
                f"executive {_label(g, person)} ({title}) holds {_label(g, anchor)} with us: "
                "the employer of our retail customers is a payroll and pension prospect"
            )
        for product in _catalog(g, our_segment, lines):
            yield Evidence(
                kind=EvidenceKind.EMPLOYER,
                product_id=product[1],
                probability=p,
                via=other[1],
                path=_path(
                    g,
                    [party, other, anchor, product],
                    [first_link, ("HOLDS", "holds", None), ("LINKAGE", "公私联动", p)],
                    p,
                    f"{why} → {_label(g, product)}",
                ),
            )
    for trigger in held:
        for rule in _rules_triggered_by(g, trigger):
            weight = float(_attrs(g, rule)["weight"])
            for product in _suggested(g, rule):
                suggested = _product(g, product)
                if suggested.segment is not our_segment or not _crosses_segment(
                    _product(g, trigger), suggested
                ):
                    continue
                p = weight * factor
                reason = str(_attrs(g, rule)["reason"])
                yield Evidence(
                    kind=EvidenceKind.EMPLOYER,
                    product_id=product[1],
                    probability=p,
                    via=f"{other[1]}/{rule[1]}",
                    rule_id=rule[1],
                    reason=reason,
                    path=_path(
                        g,
                        [party, other, trigger, rule, product],
                        [
                            first_link,
                            ("HOLDS", "holds", None),
                            ("TRIGGERS", "triggers", None),
                            ("SUGGESTS", "suggests", weight),
                        ],
                        p,
                        f"{_label(g, other)} holds {_label(g, trigger)}: {reason}",
                    ),
                )


def rule_evidence(g: nx.MultiDiGraph, party: NodeKey, w: Weights) -> Iterator[Evidence]:
    """AffinityRules triggered by the party's own holdings or business events."""
    for trigger in _held(g, party):
        for rule in _rules_triggered_by(g, trigger):
            for product in _suggested(g, rule):
                if _crosses_segment(_product(g, trigger), _product(g, product)):
                    continue  # a linkage rule: it speaks of the holder's people, not the holder
                yield _rule(g, party, trigger, rule, product, ("HOLDS", "holds"))
    for event, _ in _out(g, party, "HAS_EVENT"):
        event_kind = _attrs(g, event)["event_kind"]
        rules = sorted(
            n
            for n, data in g.nodes(data=True)
            if n[0] == RULE and data.get("when_event_kind") == event_kind
        )
        for rule in rules:
            for product in _suggested(g, rule):
                yield _rule(g, party, event, rule, product, ("HAS_EVENT", "news"))


def _rule(
    g: nx.MultiDiGraph,
    party: NodeKey,
    trigger: NodeKey,
    rule: NodeKey,
    product: NodeKey,
    first: tuple[str, str],
) -> Evidence:
    weight = float(_attrs(g, rule)["weight"])
    reason = str(_attrs(g, rule)["reason"])
    return Evidence(
        kind=EvidenceKind.RULE,
        product_id=product[1],
        probability=weight,
        via=rule[1],
        rule_id=rule[1],
        reason=reason,
        path=_path(
            g,
            [party, trigger, rule, product],
            [(*first, None), ("TRIGGERS", "triggers", None), ("SUGGESTS", "suggests", weight)],
            weight,
            f"{_label(g, trigger)}: {reason}",
        ),
    )


def opportunity_evidence(g: nx.MultiDiGraph, party: NodeKey, w: Weights) -> Iterator[Evidence]:
    for opportunity, _ in _in(g, party, "FOR_ACCOUNT"):
        stage: OpportunityStage = _attrs(g, opportunity)["stage"]
        if not stage.is_open:
            continue
        p = stage.probability
        for product, _ in _out(g, opportunity, "INCLUDES"):
            yield Evidence(
                kind=EvidenceKind.OPPORTUNITY,
                product_id=product[1],
                probability=p,
                via=opportunity[1],
                path=_path(
                    g,
                    [party, opportunity, product],
                    [
                        ("FOR_ACCOUNT", f"open opportunity ({stage.value} {p:.0%})", p),
                        ("INCLUDES", "includes", None),
                    ],
                    p,
                    f"open opportunity {_label(g, opportunity)} ({stage.value}, {p:.0%}) "
                    f"includes {_label(g, product)}",
                ),
            )


def similar_customers_evidence(
    g: nx.MultiDiGraph, party: NodeKey, stats: CoHoldingStats, w: Weights
) -> Iterator[Evidence]:
    for held in _held(g, party):
        for rule in stats.associations.get(held[1], ()):
            product = (PRODUCT, rule.consequent)
            if (
                rule.lift <= w.similar_min_lift
                or rule.pair_count < w.similar_min_pairs
                or product not in g
            ):
                continue
            n = rule.pair_count
            p = rule.confidence * n / (n + w.similar_shrinkage)
            yield Evidence(
                kind=EvidenceKind.SIMILAR_CUSTOMERS,
                product_id=rule.consequent,
                probability=p,
                via=held[1],
                pair_count=n,
                support=rule.support,
                confidence=rule.confidence,
                lift=rule.lift,
                path=_path(
                    g,
                    [party, held, product],
                    [
                        ("HOLDS", "holds", None),
                        (
                            "CO_HELD",
                            f"co-held: confidence {rule.confidence:.0%}, lift {rule.lift:.1f}",
                            rule.confidence,
                        ),
                    ],
                    p,
                    f"customers holding {_label(g, held)} also hold {_label(g, product)}: "
                    f"{n} customers, support {rule.support:.1%}, confidence "
                    f"{rule.confidence:.0%}, lift {rule.lift:.1f}",
                ),
            )


def popularity_evidence(
    g: nx.MultiDiGraph, party: NodeKey, stats: CoHoldingStats, w: Weights
) -> Iterator[Evidence]:
    person = _attrs(g, party)["kind"] == PartyKind.PERSON.value
    customers = stats.people if person else stats.organizations
    who = "people" if person else "organizations"
    if customers <= 0:
        return
    for popular in stats.popular:
        holders = popular.people if person else popular.organizations
        product = (PRODUCT, popular.product.id)
        if holders <= 0 or product not in g:
            continue
        share = holders / customers
        p = w.popularity_factor * share
        yield Evidence(
            kind=EvidenceKind.POPULARITY,
            product_id=popular.product.id,
            probability=p,
            via="popularity",
            path=_path(
                g,
                [party, product],
                [("POPULAR", f"held by {share:.0%} of {who}", share)],
                p,
                f"no neighbourhood evidence; {_label(g, product)} is held by {holders} of "
                f"{customers} {who} with products ({share:.0%})",
            ),
        )


def find_evidence(
    g: nx.MultiDiGraph, party_id: str, stats: CoHoldingStats, w: Weights = DEFAULT_WEIGHTS
) -> list[Evidence]:
    """Every neighbourhood evidence for every product (held ones included; rank drops them)."""
    party = (PARTY, party_id)
    out: list[Evidence] = []
    out.extend(household_evidence(g, party, w))
    out.extend(employer_evidence(g, party, w))
    out.extend(group_evidence(g, party, w))
    out.extend(similar_customers_evidence(g, party, stats, w))
    out.extend(rule_evidence(g, party, w))
    out.extend(opportunity_evidence(g, party, w))
    return out


# ----- exclusion and ranking ---------------------------------------------------------------


def held_products(g: nx.MultiDiGraph, party_id: str, scope: CrossSellScope) -> set[str]:
    """Product ids never to suggest: held (not closed) by the party or, by scope, its
    household (family members) or its group (organizations along PART_OF in the graph)."""
    party = (PARTY, party_id)
    holders = [party]
    if scope is CrossSellScope.HOUSEHOLD:
        holders.extend(r for r, _ in _out(g, party, "FAMILY"))
    elif scope is CrossSellScope.GROUP:
        tree = nx.Graph()
        tree.add_node(party)
        tree.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k == "PART_OF")
        holders.extend(n for n in nx.node_connected_component(tree, party) if n != party)
    return {p[1] for h in holders for p in _held(g, h)}


def formerly_held(g: nx.MultiDiGraph, party_id: str) -> set[str]:
    """Products the party held once: only closed holdings remain."""
    return {p[1] for p, data in _out(g, (PARTY, party_id), "HOLDS") if data["closed"]}


def noisy_or(probabilities: Iterable[float]) -> float:
    """1 - Π(1 - p): the chance at least one independent reason holds, in [0, 1]."""
    miss = 1.0
    for p in probabilities:
        miss *= 1.0 - min(max(p, 0.0), 1.0)
    return 1.0 - miss


def rank(
    g: nx.MultiDiGraph,
    evidence: Iterable[Evidence],
    *,
    exclude: set[str],
    formerly: set[str],
    limit: int,
    w: Weights = DEFAULT_WEIGHTS,
) -> list[Suggestion]:
    """Products by score: the noisy-OR of their strongest evidences, `w.per_kind` per kind.

    Evidences sharing (kind, via) are one reason seen twice, not two reasons: the strongest
    stands for them. Ties go to the product with more kinds of evidence, then by name.
    """
    by_product: dict[str, dict[tuple[EvidenceKind, str], Evidence]] = {}
    for e in evidence:
        if e.product_id in exclude or (PRODUCT, e.product_id) not in g:
            continue
        slot = by_product.setdefault(e.product_id, {})
        key = (e.kind, e.via)
        if key not in slot or e.probability > slot[key].probability:
            slot[key] = e
    suggestions: list[Suggestion] = []
    for product_id, slot in by_product.items():
        ordered = sorted(slot.values(), key=lambda e: (-e.probability, e.kind.value, e.via))
        counted: list[float] = []
        per_kind: dict[EvidenceKind, int] = {}
        kinds: list[EvidenceKind] = []
        for e in ordered:
            if e.kind not in kinds:
                kinds.append(e.kind)
            if per_kind.get(e.kind, 0) < w.per_kind:
                per_kind[e.kind] = per_kind.get(e.kind, 0) + 1
                counted.append(e.probability)
        suggestions.append(
            Suggestion(
                product=_product(g, (PRODUCT, product_id)),
                score=noisy_or(counted),
                kinds=tuple(kinds),
                evidence=tuple(ordered[: w.max_evidence]),
                evidence_count=len(ordered),
                formerly_held=product_id in formerly,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, -len(s.kinds), s.product.name, s.product.id))
    return suggestions[:limit]


def suggest(
    g: nx.MultiDiGraph,
    party_id: str,
    stats: CoHoldingStats,
    *,
    scope: CrossSellScope = CrossSellScope.SELF,
    limit: int = 10,
    w: Weights = DEFAULT_WEIGHTS,
    keep: Callable[[Evidence], bool] = lambda _e: True,
) -> CrossSellResult:
    """Ranked suggestions for the party; popularity only when the neighbourhood has none.

    `keep` drops evidence before scoring (access control: a path showing a party the viewer
    may not see goes, and the score is what the remaining paths support).
    """
    party = (PARTY, party_id)
    kind = PartyKind(_attrs(g, party)["kind"])
    exclude = held_products(g, party_id, scope)
    formerly = formerly_held(g, party_id) - exclude
    evidence = [e for e in find_evidence(g, party_id, stats, w) if keep(e)]
    suggestions = rank(g, evidence, exclude=exclude, formerly=formerly, limit=limit, w=w)
    fallback = not suggestions
    if fallback:
        popular = [e for e in popularity_evidence(g, party, stats, w) if keep(e)]
        suggestions = rank(g, popular, exclude=exclude, formerly=formerly, limit=limit, w=w)
    excluded = sorted(
        (_product(g, (PRODUCT, p)) for p in exclude if (PRODUCT, p) in g),
        key=lambda p: (p.name, p.id),
    )
    return CrossSellResult(
        party_id=party_id,
        party_kind=kind,
        scope=scope,
        suggestions=tuple(suggestions),
        popularity_fallback=fallback,
        excluded=tuple(excluded),
        stats_refreshed_at=stats.refreshed_at,
    )
