"""Step: opportunities (with their own buying centre) and the events that suggest them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from graph_api.generate.catalogue import AMOUNT, CORPORATE
from graph_api.generate.generator import Generator
from graph_api.generate.markers import marker, pick_upper
from graph_api.generate.people import Person
from graph_api.generate.vocabulary import AS_OF, EVENTS, STAGE_WEIGHTS, STAGES

_NAMES = {"prod-ma": "并购项目", "prod-bond": "债券发行", "prod-infra-loan": "基建融资"}


def opportunity(
    gen: Generator,
    account: str,
    *,
    root_held: set[str],
    people: Sequence[Person],
    levels: Sequence[int],
    functions: Sequence[int],
    owner: str,
    retail: Sequence[str] = (),
) -> str:
    """One opportunity on `account`; returns its id. Corporate: one to three products the
    account does not hold yet, and markers on it among the upper people. Retail: the
    products given, no markers."""
    rng = gen.rng
    gen.opportunities += 1
    number = gen.opportunities
    oid = f"opp-{number:06d}"
    stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
    if retail:
        products = list(retail)
        amount = gen.amount(AMOUNT[products[0]])
    else:
        candidates = [p for p in CORPORATE if p not in root_held] or CORPORATE
        products = sorted(rng.sample(candidates, min(len(candidates), rng.choice((1, 2, 3)))))
        amount = gen.amount(AMOUNT[products[0]] * 0.5)
    if stage in ("WON", "LOST"):
        close = gen.date_between(AS_OF - timedelta(days=365), AS_OF - timedelta(days=1))
    else:
        close = gen.date_between(AS_OF + timedelta(days=14), AS_OF + timedelta(days=540))
    gen.emit(
        "opportunities",
        {
            "id": oid,
            "name": f"{account} {_NAMES.get(products[0], '业务')} {number}",
            "accountId": account,
            "stage": stage,
            "amount": amount,
            "closeDate": close.isoformat(),
            "ownerId": owner,
            "productIds": products,
        },
    )
    n = len(people)
    if n and not retail:
        for i in pick_upper(gen, n, levels, min(n, rng.randint(2, 8))):
            gen.emit(
                "buyingRoles",
                marker(gen, people[i].id, levels[i], functions[i], {"opportunityId": oid}),
            )
    return oid


def event(gen: Generator, org: str) -> None:
    """One recent event of the organization (the trigger of affinity rules)."""
    rng = gen.rng
    gen.events += 1
    number = gen.events
    kind, title = rng.choice(EVENTS)
    when = gen.date_between(AS_OF - timedelta(days=300), AS_OF)
    gen.emit(
        "events",
        {
            "id": f"ev-{number:06d}",
            "organizationId": org,
            "kind": kind,
            "title": f"{org} {title}",
            "date": when.isoformat(),
        },
    )
