"""Step: a retail household and what is around it.

Its people, their employers among the customer organizations, holdings, acquaintances,
coverage of the affluent, a few private-banking deals, interactions.
"""

from __future__ import annotations

from graph_api.generate.generator import Generator, Row
from graph_api.generate.holdings import household_holdings
from graph_api.generate.interactions import interaction
from graph_api.generate.opportunities import opportunity
from graph_api.generate.people import household, person
from graph_api.generate.vocabulary import ACQUAINTANCE, STAFF_TITLES


def retail_household(gen: Generator) -> None:
    """One household of retail customers (the head 22 to 78 years old) and what is around it."""
    rng = gen.rng
    head = person(gen, age=rng.randint(22, 78))
    members = [head, *household(gen, head)]
    adults = [m for m in members if m.age >= 18]
    for m in adults[:2]:
        if gen.employers and rng.random() < 0.45:
            org = rng.choice(gen.employers)
            m.payroll_employer = org in gen.payroll_employers
            row: Row = {
                "personId": m.id,
                "organizationId": f"o-{org:06d}",
                "title": rng.choice(STAFF_TITLES),
                "primary": True,
            }
            gen.emit("employment", row)
    household_holdings(gen, members)
    # People know people: some acquaintance with any earlier customer.
    for m in adults:
        if gen.people > 100 and rng.random() < 0.15:
            other = rng.randrange(1, gen.people - len(members) + 1)
            gen.emit(
                "acquaintance",
                {
                    "fromId": f"p-{other:07d}",
                    "toId": m.id,
                    "strength": gen.strength(),
                    "context": rng.choice(ACQUAINTANCE),
                },
            )
    region = head.region
    affluent = head.affluence > 0.9
    sr: str | None = None
    if affluent or rng.random() < 0.05:
        sr = gen.rep(region, "SR")
        gen.emit(
            "coverage",
            {
                "repId": sr,
                "personId": head.id,
                "strength": gen.strength(0.2, 0.9),
                "kind": "BUSINESS",
            },
        )
    opp: str | None = None
    if affluent and rng.random() < 0.15:
        offer = "prod-private-banking" if head.affluence > 0.97 else "prod-wealth"
        if offer not in head.held:
            opp = opportunity(
                gen,
                head.id,
                root_held=set(),
                people=(),
                levels=(),
                functions=(),
                owner=sr or gen.rep(region, "SR"),
                retail=[offer],
            )
    for m in adults:
        for _ in range(min(6, int(rng.expovariate(1 / 1.3)))):
            rep = sr or gen.rep(m.region, "SR")
            interaction(gen, [m.id], [rep] if rng.random() < 0.8 else [], opp, engaged=affluent)
