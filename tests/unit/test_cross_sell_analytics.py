"""Cross-sell analytics on small hand-made graphs whose right answers are derived in comments."""

from __future__ import annotations

import pytest

from graph_api.analytics.co_holding import associations
from graph_api.analytics.cross_sell import (
    NeighbourhoodGraph,
    Weights,
    noisy_or,
    suggest,
)
from graph_api.domain.cross_sell import (
    CoHoldingStats,
    CrossSellScope,
    EvidenceKind,
    Popularity,
    Product,
    Suggestion,
    is_executive,
)
from graph_api.domain.model import (
    FamilyKind,
    HoldingStatus,
    OpportunityStage,
    OrgType,
    PartyKind,
    ProductSegment,
)

RETAIL, CORPORATE = ProductSegment.RETAIL, ProductSegment.CORPORATE
NO_STATS = CoHoldingStats()


def catalog(nb: NeighbourhoodGraph, *products: Product) -> None:
    for p in products:
        nb.add_product(p)


def product(pid: str, segment: ProductSegment = RETAIL, line: str = "INSURANCE") -> Product:
    return Product(id=pid, name=pid.upper(), line=line, segment=segment)


def person(nb: NeighbourhoodGraph, pid: str, occupation: str | None = None) -> None:
    nb.add_party(pid, PartyKind.PERSON, pid, occupation=occupation)


def org(nb: NeighbourhoodGraph, oid: str, org_type: OrgType | None = None) -> None:
    nb.add_party(oid, PartyKind.ORGANIZATION, oid, org_type=org_type)


def by_product(suggestions: tuple[Suggestion, ...]) -> dict[str, Suggestion]:
    return {s.product.id: s for s in suggestions}


def test_several_independent_paths_outrank_one_stronger_single_path() -> None:
    # X: two siblings (0.25 each) and the mother (0.35) hold it: 1 - .75*.75*.65 = 0.634375.
    # Y: one rule (weight 0.5) fired by P's own holding A: 0.5. Each X path is weaker than
    # Y's, together they are stronger; a max() ranking would put Y first.
    nb = NeighbourhoodGraph()
    catalog(nb, product("a"), product("x"), product("y"))
    for pid in ("p", "b1", "b2", "m"):
        person(nb, pid)
    nb.add_holding("p", "a")
    nb.add_family("p", "b1", FamilyKind.SIBLING)
    nb.add_family("b2", "p", FamilyKind.SIBLING)
    nb.add_family("m", "p", FamilyKind.PARENT)
    for relative in ("b1", "b2", "m"):
        nb.add_holding(relative, "x")
    nb.add_rule("r", "A leads to Y", 0.5, suggests=["y"], when_product_id="a")

    result = suggest(nb.graph, "p", NO_STATS)

    assert [s.product.id for s in result.suggestions] == ["x", "y"]
    x, y = result.suggestions
    assert x.score == pytest.approx(0.634375)
    assert y.score == pytest.approx(0.5)
    assert x.kinds == (EvidenceKind.HOUSEHOLD,)
    assert [e.probability for e in x.evidence] == pytest.approx([0.35, 0.25, 0.25])
    mother = x.evidence[0].path
    assert [n.id for n in mother.nodes] == ["p", "m", "x"]
    assert [(link.type, link.label) for link in mother.links] == [
        ("FAMILY", "parent"),
        ("HOLDS", "holds"),
    ]
    assert mother.explanation == "parent m holds X"
    assert not result.popularity_fallback


def test_held_products_are_never_suggested_and_scopes_widen_the_exclusion() -> None:
    # P holds A; the spouse holds A and B. SELF: B only (0.5). HOUSEHOLD: A and B are both
    # held in the household, nothing is left, so the popularity fallback answers.
    nb = NeighbourhoodGraph()
    catalog(nb, product("a"), product("b"))
    person(nb, "p")
    person(nb, "s")
    nb.add_family("p", "s", FamilyKind.SPOUSE)
    nb.add_holding("p", "a")
    nb.add_holding("s", "a")
    nb.add_holding("s", "b")

    own = suggest(nb.graph, "p", NO_STATS)
    assert [(s.product.id, s.score) for s in own.suggestions] == [("b", 0.5)]
    assert [p.id for p in own.excluded] == ["a"]

    household = suggest(nb.graph, "p", NO_STATS, scope=CrossSellScope.HOUSEHOLD)
    assert household.suggestions == ()
    assert household.popularity_fallback
    assert [p.id for p in household.excluded] == ["a", "b"]


def test_closed_holdings_neither_count_as_held_nor_as_evidence() -> None:
    # P closed C; the spouse holds C (active) -> C is suggested again, flagged formerly held.
    # The spouse's closed D is no evidence for D.
    nb = NeighbourhoodGraph()
    catalog(nb, product("c"), product("d"))
    person(nb, "p")
    person(nb, "s")
    nb.add_family("s", "p", FamilyKind.SPOUSE)
    nb.add_holding("p", "c", HoldingStatus.CLOSED)
    nb.add_holding("s", "c", HoldingStatus.ACTIVE)
    nb.add_holding("s", "d", HoldingStatus.CLOSED)

    result = suggest(nb.graph, "p", NO_STATS)

    assert [(s.product.id, s.formerly_held) for s in result.suggestions] == [("c", True)]
    assert result.excluded == ()


def test_one_reason_seen_twice_counts_once() -> None:
    # Two events of the same kind fire the same rule (weight 0.6): one reason, score 0.6, not
    # 1 - 0.4^2 = 0.84. Two holdings of one product by the spouse collapse into one path.
    nb = NeighbourhoodGraph()
    catalog(nb, product("loan", CORPORATE), product("life"))
    org(nb, "o")
    nb.add_event("o", "e1", "EXPANSION", "first line")
    nb.add_event("o", "e2", "EXPANSION", "second line")
    nb.add_rule("r", "expansion needs credit", 0.6, suggests=["loan"], when_event_kind="EXPANSION")
    person(nb, "p")
    person(nb, "s")
    nb.add_family("p", "s", FamilyKind.SPOUSE)
    nb.add_holding("s", "life")
    nb.add_holding("s", "life")

    org_result = suggest(nb.graph, "o", NO_STATS)
    (loan,) = org_result.suggestions
    assert loan.score == pytest.approx(0.6)
    assert loan.evidence_count == 1
    assert [n.kind for n in loan.evidence[0].path.nodes] == [
        "ORGANIZATION",
        "EVENT",
        "RULE",
        "PRODUCT",
    ]

    (life,) = suggest(nb.graph, "p", NO_STATS).suggestions
    assert life.evidence_count == 1 and life.score == pytest.approx(0.5)


def test_group_evidence_decays_with_distance_along_part_of() -> None:
    # G <- H <- {B1, B2}. For B2: parent H (1 hop, 0.4) holds ANN; sister B1 (2 hops,
    # 0.4*0.6 = 0.24) holds FX; group G (2 hops up, 0.24) holds PAY.
    nb = NeighbourhoodGraph()
    catalog(
        nb,
        product("ann", CORPORATE, "PENSION"),
        product("fx", CORPORATE, "SETTLEMENT"),
        product("pay", CORPORATE, "CASH_MANAGEMENT"),
    )
    org(nb, "g", OrgType.GROUP)
    org(nb, "h", OrgType.HEAD_OFFICE)
    org(nb, "b1", OrgType.BRANCH)
    org(nb, "b2", OrgType.BRANCH)
    nb.add_part_of("h", "g")
    nb.add_part_of("b1", "h")
    nb.add_part_of("b2", "h")
    nb.add_holding("h", "ann")
    nb.add_holding("b1", "fx")
    nb.add_holding("g", "pay")

    result = by_product(suggest(nb.graph, "b2", NO_STATS).suggestions)

    assert result["ann"].score == pytest.approx(0.4)
    assert result["fx"].score == pytest.approx(0.24)
    assert result["pay"].score == pytest.approx(0.24)
    sister = result["fx"].evidence[0].path
    assert [n.id for n in sister.nodes] == ["b2", "h", "b1", "fx"]
    assert [link.label for link in sister.links] == ["parent", "branch", "holds"]
    assert sister.explanation == "sister b1 holds FX"
    assert result["pay"].evidence[0].path.explanation == "group company g holds PAY"

    # Seen from the group, the head office is a direct unit (0.4) and the branches two down.
    from_group = by_product(suggest(nb.graph, "g", NO_STATS).suggestions)
    assert from_group["ann"].evidence[0].path.explanation == "head office h holds ANN"
    assert from_group["fx"].score == pytest.approx(0.24)

    grouped = suggest(nb.graph, "b2", NO_STATS, scope=CrossSellScope.GROUP)
    assert [p.id for p in grouped.excluded] == ["ann", "fx", "pay"]
    assert grouped.suggestions == ()


def test_executive_of_a_corporate_client_is_a_wealth_prospect() -> None:
    # X is CFO at O, which holds a corporate loan: every RETAIL product of the WEALTH line gets
    # EMPLOYER evidence 0.35. Y is CFO at R, which holds only a retail product: R is no
    # corporate client, so nothing. A clerk at O gets nothing either.
    nb = NeighbourhoodGraph()
    catalog(
        nb,
        product("loan", CORPORATE, "CREDIT"),
        product("card", RETAIL, "RETAIL_CREDIT"),
        product("pb", RETAIL, "WEALTH"),
        product("wm", RETAIL, "WEALTH"),
    )
    for oid in ("o", "r"):
        org(nb, oid)
    for pid in ("x", "y", "clerk"):
        person(nb, pid)
    nb.add_holding("o", "loan")
    nb.add_holding("r", "card")
    nb.add_employment("x", "o", title="首席财务官 CFO", primary=True)
    nb.add_employment("y", "r", title="CFO", primary=True)
    nb.add_employment("clerk", "o", title="clerk", primary=True)

    x = by_product(suggest(nb.graph, "x", NO_STATS).suggestions)
    assert set(x) == {"pb", "wm"}
    assert x["pb"].score == pytest.approx(0.35)
    path = x["pb"].evidence[0].path
    assert [n.id for n in path.nodes] == ["x", "o", "loan", "pb"]
    assert [link.type for link in path.links] == ["WORKS_FOR", "HOLDS", "LINKAGE"]
    assert path.links[0].label == "首席财务官 CFO"
    assert suggest(nb.graph, "y", NO_STATS).popularity_fallback
    assert suggest(nb.graph, "clerk", NO_STATS).popularity_fallback


def test_linkage_rules_apply_across_employment_not_to_the_holder() -> None:
    # Rule: PAY (corporate) -> CARD (retail), weight 0.3: it speaks of the payroll client's
    # employees. O itself gets no CARD; its employee E (secondary job: x0.6) gets 0.18.
    nb = NeighbourhoodGraph()
    catalog(nb, product("pay", CORPORATE, "CASH_MANAGEMENT"), product("card", RETAIL, "CARD"))
    org(nb, "o")
    person(nb, "e")
    nb.add_holding("o", "pay")
    nb.add_employment("e", "o", title="engineer", primary=False)
    nb.add_rule("r", "payroll staff need cards", 0.3, suggests=["card"], when_product_id="pay")

    assert suggest(nb.graph, "o", NO_STATS).suggestions == ()
    (card,) = suggest(nb.graph, "e", NO_STATS).suggestions
    assert card.kinds == (EvidenceKind.EMPLOYER,)
    assert card.score == pytest.approx(0.18)
    assert card.evidence[0].rule_id == "r"
    assert [n.id for n in card.evidence[0].path.nodes] == ["e", "o", "pay", "r", "card"]


def test_a_hub_counts_only_its_strongest_evidences_of_one_kind() -> None:
    # Five executives of O hold retail products: each lends PAYROLL 0.25, but only the three
    # strongest of one kind count: 1 - 0.75^3 = 0.578125 (not 1 - 0.75^5 = 0.7627).
    nb = NeighbourhoodGraph()
    catalog(nb, product("acc", RETAIL), product("payroll", CORPORATE, "CASH_MANAGEMENT"))
    org(nb, "o")
    for i in range(5):
        person(nb, f"e{i}")
        nb.add_holding(f"e{i}", "acc")
        nb.add_employment(f"e{i}", "o", title="Director", primary=True)

    (payroll,) = suggest(nb.graph, "o", NO_STATS).suggestions

    assert payroll.score == pytest.approx(0.578125)
    assert payroll.evidence_count == 5
    assert [n.id for n in payroll.evidence[0].path.nodes] == ["o", "e0", "acc", "payroll"]


def test_associations_from_counts() -> None:
    # 10 customers; holders A=4, B=5, C=2; both A and B: 3; both A and C: 1.
    # A->B: support 0.3, confidence 3/4, lift 0.75/0.5 = 1.5; B->A: 3/5, 0.6/0.4 = 1.5.
    # A->C: 1/4, 0.25/0.2 = 1.25; C->A: 1/2, 0.5/0.4 = 1.25.
    rules = {
        (r.antecedent, r.consequent): r
        for r in associations({"a": 4, "b": 5, "c": 2}, {("b", "a"): 3, ("a", "c"): 1}, 10)
    }
    assert set(rules) == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")}
    assert rules["a", "b"].support == pytest.approx(0.3)
    assert rules["a", "b"].confidence == pytest.approx(0.75)
    assert rules["a", "b"].lift == pytest.approx(1.5)
    assert rules["b", "a"].confidence == pytest.approx(0.6)
    assert rules["c", "a"].lift == pytest.approx(1.25)
    assert associations({"a": 1}, {("a", "b"): 1}, 0) == []


def test_similar_customers_shrink_small_counts_and_need_positive_lift() -> None:
    # From the counts above: A->B (n=3, confidence 0.75) lends 0.75 * 3/(3+5) = 0.28125;
    # A->C has lift 1.25 but with a minimum lift of 1.3 it is left out.
    nb = NeighbourhoodGraph()
    catalog(nb, product("a"), product("b"), product("c"))
    person(nb, "p")
    nb.add_holding("p", "a")
    rules = associations({"a": 4, "b": 5, "c": 2}, {("a", "b"): 3, ("a", "c"): 1}, 10)
    stats = CoHoldingStats(
        people=8,
        associations={"a": tuple(r for r in rules if r.antecedent == "a")},
    )

    result = suggest(nb.graph, "p", stats, w=Weights(similar_min_lift=1.3))

    (b,) = result.suggestions
    assert b.product.id == "b"
    assert b.score == pytest.approx(0.28125)
    evidence = b.evidence[0]
    assert evidence.kind is EvidenceKind.SIMILAR_CUSTOMERS
    assert (evidence.pair_count, evidence.confidence, evidence.lift) == (3, 0.75, 1.5)
    assert [link.type for link in evidence.path.links] == ["HOLDS", "CO_HELD"]


def test_open_opportunities_lend_their_stage_probability() -> None:
    # QUALIFIED = 0.5 for LC; the LOST opportunity's annuity is no evidence.
    nb = NeighbourhoodGraph()
    catalog(nb, product("lc", CORPORATE), product("ann", CORPORATE))
    org(nb, "o")
    nb.add_opportunity("o1", "deal", OpportunityStage.QUALIFIED, "o", ["lc"])
    nb.add_opportunity("o2", "lost deal", OpportunityStage.LOST, "o", ["ann"])

    (lc,) = suggest(nb.graph, "o", NO_STATS).suggestions

    assert (lc.product.id, lc.score, lc.kinds) == ("lc", 0.5, (EvidenceKind.OPPORTUNITY,))


def test_popularity_is_the_fallback_of_a_party_without_neighbourhood_evidence() -> None:
    # Lonely person holding A; among 10 people with products, A is held by 4 and B by 2, and
    # among 3 organizations L is held by 3. P gets B only (A is held): 0.5 * 2/10 = 0.1. An
    # organization gets L: 0.5 * 3/3 = 0.5.
    nb = NeighbourhoodGraph()
    a, b, loan = product("a"), product("b"), product("l", CORPORATE)
    catalog(nb, a, b, loan)
    person(nb, "p")
    org(nb, "o")
    nb.add_holding("p", "a")
    stats = CoHoldingStats(
        people=10,
        organizations=3,
        popular=(Popularity(a, 4, 0), Popularity(b, 2, 0), Popularity(loan, 0, 3)),
    )

    lonely = suggest(nb.graph, "p", stats)
    assert lonely.popularity_fallback
    assert [(s.product.id, s.kinds) for s in lonely.suggestions] == [
        ("b", (EvidenceKind.POPULARITY,))
    ]
    assert lonely.suggestions[0].score == pytest.approx(0.1)
    organization = suggest(nb.graph, "o", stats)
    assert [(s.product.id, s.score) for s in organization.suggestions] == [("l", 0.5)]

    # With any neighbourhood evidence, popularity stays out.
    nb.add_rule("r", "A leads to B", 0.2, suggests=["b"], when_product_id="a")
    assert not suggest(nb.graph, "p", stats).popularity_fallback


def test_a_filter_drops_paths_before_scoring() -> None:
    # Life insurance through the spouse (0.5) and a rule (0.4): 0.7. If the viewer may not see
    # the spouse, only the rule is left: 0.4, and the spouse appears on no path.
    nb = NeighbourhoodGraph()
    catalog(nb, product("acc"), product("life"))
    person(nb, "p")
    person(nb, "s")
    nb.add_family("p", "s", FamilyKind.SPOUSE)
    nb.add_holding("p", "acc")
    nb.add_holding("s", "life")
    nb.add_rule("r", "accident -> life", 0.4, suggests=["life"], when_product_id="acc")

    (full,) = suggest(nb.graph, "p", NO_STATS).suggestions
    (filtered,) = suggest(
        nb.graph, "p", NO_STATS, keep=lambda e: "s" not in e.party_ids
    ).suggestions

    assert full.score == pytest.approx(0.7)
    assert full.kinds == (EvidenceKind.HOUSEHOLD, EvidenceKind.RULE)
    assert filtered.score == pytest.approx(0.4)
    assert filtered.kinds == (EvidenceKind.RULE,)


def test_noisy_or_and_executive_titles() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([1.5]) == 1.0  # clamped
    assert (
        is_executive("首席运营官 COO") and is_executive("分公司总经理") and is_executive("VP Sales")
    )
    assert not is_executive("采购部经理") and not is_executive(None) and not is_executive("clerk")
