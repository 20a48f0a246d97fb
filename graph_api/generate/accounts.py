"""A customer account, as the sequence of its steps.

Its organizations, its people and reporting lines, corporate holdings, buying-centre
markers, informal ties, households, our team and coverage, opportunities, events and
interactions.
"""

from __future__ import annotations

from graph_api.generate import (
    coverage,
    holdings,
    influence,
    markers,
    opportunities,
    org_chart,
    units,
)
from graph_api.generate.generator import Generator
from graph_api.generate.interactions import interaction
from graph_api.generate.people import household
from graph_api.generate.shapes import Account, AccountShape

# At most this many of the top people (levels 1 to 3) are advised from outside.
DECISION_LAYER = 50


def account(gen: Generator, shape: AccountShape) -> Account:
    """One customer account, its people, their households and everything around them; its
    steps draw from the stream in this order (the output depends on it)."""
    rng = gen.rng
    f = units.firm(gen, shape)
    org = units.org_units(gen, shape, f)
    root = org.units[org.root]

    chart = org_chart.org_chart(
        gen.room(shape.people), shape.fan_out_top, shape.fan_out, org.main, org.subunits
    )
    people = org_chart.staff(gen, shape.kind, org, chart)
    n = len(people)
    if shape.kind == "INSTITUTE":
        gen.advisers.extend(p.id for p in people)
    org_chart.board_seats(gen, people, shape, len(org.units))

    holdings.org_holdings(gen, org.units, org.root, f.trade, f.capital, shape)
    payroll = any("prod-payroll" in u.held for u in org.units)
    if payroll:
        gen.payroll_employers.update(int(u.id[2:]) for u in org.units)
    for p in people:
        p.payroll_employer = payroll

    marked = markers.account_markers(gen, people, chart, shape.markers, root.id)

    influence.informal_influence(gen, people, chart.parent_of, shape.influence)
    decision_layer = [i for i in range(n) if chart.level[i] <= 3][:DECISION_LAYER]
    if shape.advisers and decision_layer:
        if len(gen.advisers) < shape.advisers and gen.room(1):
            # Not enough advisers met yet: an institute of them first.
            account(
                gen, AccountShape(people=max(shape.advisers, 5), kind="INSTITUTE", fan_out_top=8)
            )
        influence.advice(gen, people, decision_layer, shape.advisers)
    influence.acquaintances(gen, people, shape.acquaintances)

    # Households of the contacts, and the retail holdings of everyone.
    with_household = set(rng.sample(range(n), min(n, shape.households)))
    for i, p in enumerate(people):
        members = [p]
        if i in with_household and gen.room(1):
            members += household(gen, p, shape.children)
        holdings.household_holdings(gen, members)

    team_id, team_reps = coverage.account_team(gen, shape, org)
    covering = team_reps or [gen.rep(root.region, rng.choice(("AE", "SR")))]
    coverage.coverage(gen, people, chart, marked, shape.covered, covering)

    opp_ids = [
        opportunities.opportunity(
            gen,
            root.id,
            root_held=root.held,
            people=people,
            levels=chart.level,
            functions=chart.function_of,
            owner=covering[0],
        )
        for _ in range(shape.opportunities)
    ]
    for _ in range(shape.events):
        opportunities.event(gen, root.id)
    for _ in range(shape.interactions):
        who = [people[i] for i in rng.sample(range(n), min(n, rng.choice((1, 1, 2, 3))))]
        where = org.units[rng.choice([org.root, org.main, *org.subunits[:3]])].id
        interaction(
            gen,
            [where, *(p.id for p in who)],
            covering,
            rng.choice(opp_ids) if opp_ids and rng.random() < 0.4 else None,
            engaged=f.tier in ("STRATEGIC", "MID_STRATEGIC"),
        )
    return Account(
        root_id=root.id,
        head_id=people[0].id if people else "",
        people=tuple(p.id for p in people),
        levels=tuple(chart.level),
        team_id=team_id,
        opportunity_ids=tuple(opp_ids),
    )
