"""Step: holdings, retail and corporate, and the beneficiaries of policies.

Retail holdings follow age, affluence, household and employer; corporate ones the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from graph_api.generate.catalogue import AMOUNT, INSURANCE
from graph_api.generate.generator import Generator, Row
from graph_api.generate.people import Person
from graph_api.generate.shapes import AccountShape
from graph_api.generate.units import Unit
from graph_api.generate.vocabulary import AS_OF


def holding(
    gen: Generator, party: str, product: str, *, since_from: date, scale: float = 1.0
) -> str:
    """One holding row; returns its id."""
    rng = gen.rng
    gen.holdings += 1
    hid = f"h-{gen.holdings:08d}"
    start = max(since_from, date(2005, 1, 1))
    row: Row = {"id": hid, "partyId": party, "productId": product}
    if rng.random() < 0.9:
        row["since"] = gen.date_between(start, AS_OF - timedelta(days=10)).isoformat()
    if rng.random() < 0.85:
        row["amount"] = gen.amount(AMOUNT[product] * scale)
    row["status"] = rng.choices(("ACTIVE", "CLOSED", "PENDING"), (90, 7, 3))[0]
    if product in INSURANCE:
        row["reference"] = f"POL{rng.randint(0, 10**10 - 1):010d}"
    gen.emit("holdings", row)
    return hid


def person_holdings(gen: Generator, p: Person, household: set[str]) -> list[tuple[str, str]]:
    """Retail holdings whose co-occurrence follows age, affluence, household, employer;
    returns (holding id, product) of each. `household` (the products the household holds)
    grows by them."""
    rng = gen.rng
    age = p.age
    a = p.affluence
    held: list[str] = []

    def maybe(product: str, probability: float) -> bool:
        if rng.random() < probability:
            held.append(product)
            return True
        return False

    def has(product: str) -> float:
        return 1.0 if product in household else 0.0

    if age < 18:
        maybe("prod-accident", 0.12)
        maybe("prod-education", 0.1)
    else:
        maybe("prod-credit-card", 0.3 + 0.25 * p.payroll_employer + 0.15 * a)
        mortgage = 28 <= age <= 58 and maybe(
            "prod-mortgage", 0.05 if has("prod-mortgage") else 0.28 + 0.1 * a
        )
        car = maybe("prod-car-loan", 0.06 + 0.04 * a)
        maybe("prod-car-insurance", 0.12 + 0.6 * car)
        accident = maybe("prod-accident", 0.1 + 0.05 * p.executive)
        maybe("prod-life", 0.06 + 0.35 * accident + 0.25 * mortgage + 0.25 * has("prod-life"))
        maybe("prod-health", 0.08 + 0.08 * (p.children > 0) + 0.2 * has("prod-health"))
        if p.children:
            maybe("prod-education", 0.25)
        wealth = maybe("prod-wealth", 0.03 + 0.35 * a * a + 0.2 * has("prod-wealth"))
        maybe("prod-fund", 0.02 + 0.4 * wealth + 0.1 * a)
        if a > 0.93:  # private banking is for the few
            maybe("prod-private-banking", 0.08 + 0.25 * p.executive + 0.15 * wealth)
        maybe("prod-personal-pension", 0.03 + 0.07 * (age >= 40))
    since = p.birth + timedelta(days=18 * 365)
    made = [(holding(gen, p.id, x, since_from=since, scale=0.5 + a), x) for x in held]
    p.held.update(held)
    household.update(held)
    return made


def beneficiaries(gen: Generator, relatives: Sequence[Person], hid: str) -> None:
    """One or two of the relatives named on the holding, sharing it equally."""
    if not relatives:
        return
    chosen = relatives[: gen.rng.choice((1, 1, 2))]
    for r in chosen:
        gen.emit(
            "beneficiaries",
            {"personId": r.id, "holdingId": hid, "share": round(1 / len(chosen), 4)},
        )


def household_holdings(gen: Generator, members: Sequence[Person]) -> None:
    """The retail holdings of each member of a household, in order, and their beneficiaries."""
    household: set[str] = set()
    for m in members:
        # Life and accident policies name relatives (not the elderly) as beneficiaries.
        relatives = [r for r in members if r is not m and r.age < 60]
        for hid, product in person_holdings(gen, m, household):
            if product in ("prod-life", "prod-accident") and gen.rng.random() < 0.7:
                beneficiaries(gen, relatives, hid)


def org_holdings(
    gen: Generator, units: list[Unit], root: int, trade: bool, capital: bool, shape: AccountShape
) -> None:
    """Corporate holdings of an account's units: the root decides, branches and subsidiaries
    lean to what their parent holds; departments hold nothing. Fills each unit's `held`."""
    rng = gen.rng
    big = shape.people >= 30 or shape.kind == "GROUP"
    for k, u in enumerate(units):
        if u.kind == "DEPARTMENT" or (u.kind == "INSTITUTE" and rng.random() < 0.5):
            continue
        inherited = units[u.parent].held if u.parent is not None else set()
        if u.kind == "HEAD_OFFICE":
            inherited = units[root].held
        held: list[str] = []

        def maybe(
            product: str,
            probability: float,
            inherited: set[str] = inherited,
            held: list[str] = held,
        ) -> bool:
            p = probability if not inherited else 0.5 * probability
            if product in inherited:
                p = max(p, 0.45)
            if rng.random() < p:
                held.append(product)
                return True
            return False

        maybe("prod-cash-management", 0.45 + 0.2 * big)
        payroll = maybe("prod-payroll", 0.2 + 0.3 * big)
        loan = maybe("prod-commercial-loan", 0.3)
        maybe("prod-infra-loan", 0.25 if capital and big else 0.02)
        lc = maybe("prod-lc", 0.3 if trade else 0.05)
        maybe("prod-fx", 0.6 if lc else 0.06)
        maybe("prod-trade-finance", 0.4 if lc else 0.02)
        maybe("prod-guarantee", 0.08 + 0.1 * capital)
        maybe("prod-supply-chain", 0.15 if trade else 0.03)
        ma = maybe("prod-ma", 0.1 if shape.kind == "GROUP" else 0.02)
        maybe("prod-fin-advisory", 0.04 + 0.4 * ma + 0.05 * loan)
        maybe("prod-bond", 0.08 if shape.kind == "GROUP" and k == root else 0.0)
        maybe("prod-annuity", 0.03 + 0.3 * (payroll and big))
        maybe("prod-group-insurance", 0.05 + 0.2 * payroll)
        scale = 1.0 if k == root else 0.3
        for product in held:
            holding(gen, u.id, product, since_from=date(2005, 1, 1), scale=scale)
        u.held.update(held)
