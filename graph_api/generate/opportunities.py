"""Step: opportunities (with their own buying centre) and the events that suggest them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from graph_api.generate.catalogue import AMOUNT, CORPORATE
from graph_api.generate.generator import Generator
from graph_api.generate.markers import marker, pick_upper
from graph_api.generate.people import Person
from graph_api.generate.vocabulary import (
    AS_OF,
    COMPETITORS,
    EVENTS,
    STAGE_WEIGHTS,
    STAGES,
    STRATEGIES,
)

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
    row = {
        "id": oid,
        "name": f"{account} {_NAMES.get(products[0], '业务')} {number}",
        "accountId": account,
        "stage": stage,
        "amount": amount,
        "closeDate": close.isoformat(),
        "ownerId": owner,
        "productIds": products,
    }
    side = gen.tas_rng
    if not retail and side.random() < 0.5:
        strategy, why = side.choice(STRATEGIES)
        row["competitiveStrategy"] = strategy
        row["strategyRationale"] = why
    gen.emit("opportunities", row)
    n = len(people)
    marked: list[str] = []
    if n and not retail:
        for i in pick_upper(gen, n, levels, min(n, rng.randint(2, 8))):
            gen.emit(
                "buyingRoles",
                marker(gen, people[i].id, levels[i], functions[i], {"opportunityId": oid}),
            )
            marked.append(people[i].id)
        competition(gen, oid, owner, marked)
    return oid


def competition(gen: Generator, oid: str, owner: str, marked: Sequence[str]) -> None:
    """Competitors on a corporate opportunity, their hold on its buying centre, and the
    account team's TAS answers (from the side stream, `Generator.tas_rng`)."""
    side = gen.tas_rng
    if not gen.competitors_emitted:
        gen.competitors_emitted = True
        for cid, name, alias in COMPETITORS:
            gen.emit("competitors", {"id": cid, "name": name, "aliases": [alias]})
    if side.random() < 0.6:
        for cid, _, _ in side.sample(COMPETITORS, side.choice((1, 1, 2))):
            gen.emit(
                "competitorOpportunities",
                {"competitorId": cid, "opportunityId": oid, "shortlisted": side.random() < 0.7},
            )
            for pid in side.sample(list(marked), min(len(marked), side.choice((0, 1, 2)))):
                strength, champion = round(side.uniform(0.2, 1.0), 2), side.random() < 0.2
                if (cid, pid) in gen.competitor_holds:
                    continue
                gen.competitor_holds.add((cid, pid))
                gen.emit(
                    "competitorCoverage",
                    {
                        "competitorId": cid,
                        "personId": pid,
                        "strength": strength,
                        "champion": champion,
                    },
                )
    # Only the questions the graph cannot answer; a few answered twice (history).
    for question in sorted(side.sample((1, 2, 5, 7, 8, 11, 12, 14), side.randint(0, 4))):
        for _ in range(side.choice((1, 1, 1, 2))):
            gen.tas_answers += 1
            at = AS_OF - timedelta(days=side.randint(1, 180))
            gen.emit(
                "tasAnswers",
                {
                    "id": f"tas-{gen.tas_answers:06d}",
                    "opportunityId": oid,
                    "question": question,
                    "answer": side.choice(("YES", "YES", "NO", "UNKNOWN")),
                    "answeredBy": owner,
                    "answeredAt": f"{at.isoformat()}T{side.randint(0, 23):02d}:00:00Z",
                },
            )


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
