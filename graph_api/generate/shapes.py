"""The shape of a customer account (what `accounts.account` builds) and what it returns."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class AccountShape:
    """One customer account: its structure and how densely its people are connected."""

    people: int  # contacts in the org chart
    kind: str = "COMPANY"  # COMPANY, GROUP or INSTITUTE
    branches: int = 0  # under the head office
    subsidiaries: int = 0  # under the group
    departments: int = 0  # organization units under the head office (or the company)
    fan_out_top: int = 6  # direct reports of the head
    fan_out: int = 5  # direct reports of everyone else
    markers: int = 0  # buying-centre markers on the account
    influence: int = 0  # informal influence links among the people
    advisers: int = 0  # outside advisers (institute people) the decision layer listens to
    acquaintances: int = 0  # acquaintance links among the people
    households: int = 0  # contacts with a household (spouse, children, parents)
    children: float = 1.0  # mean children per household
    team: int = 0  # reps in the account team (0: no team)
    covered: int = 0  # people covered by the team's reps
    opportunities: int = 0
    interactions: int = 0
    events: int = 0
    tier: str | None = None


@dataclass(frozen=True)
class Account:
    """What a caller may need to address a generated account (benchmarks pick ids from it)."""

    root_id: str
    head_id: str
    people: tuple[str, ...]  # org chart order: the head first, breadth first
    levels: tuple[int, ...]  # 1 = the head
    team_id: str | None
    opportunity_ids: tuple[str, ...]


def random_shape(rng: random.Random) -> AccountShape:
    """The shape of the next account of a data set: mostly small companies, some groups,
    a few large groups and research institutes."""
    r = rng.random()

    def heavy(scale: float, cap: int) -> int:
        # Pareto: most accounts have a few contacts, a few have hundreds.
        return min(cap, int(scale * rng.paretovariate(1.6)))

    if r < 0.03:
        people = rng.randint(3, 10)
        return AccountShape(
            people=people,
            kind="INSTITUTE",
            fan_out_top=8,
            acquaintances=people // 2,
            households=people // 3,
            interactions=rng.randint(0, 2),
        )
    if r < 0.78:
        people = heavy(1.2, 300)
        kind = "COMPANY"
        branches = subsidiaries = departments = 0
        if people >= 40:
            departments = rng.randint(2, 6)
        elif people >= 12 and rng.random() < 0.3:
            branches = rng.randint(1, 3)
    elif r < 0.96:
        people = 4 + heavy(4.0, 800)
        kind = "GROUP"
        branches = rng.randint(1, 4)
        subsidiaries = rng.randint(0, 2)
        departments = rng.randint(0, 3) if people > 30 else 0
    else:
        people = 30 + heavy(30.0, 3000)
        kind = "GROUP"
        branches = rng.randint(3, 12)
        subsidiaries = rng.randint(2, 6)
        departments = rng.randint(3, 8)
    tier_guess = "big" if kind == "GROUP" else "small"
    engaged = tier_guess == "big" or people >= 20
    return AccountShape(
        people=people,
        kind=kind,
        branches=branches,
        subsidiaries=subsidiaries,
        departments=departments,
        fan_out_top=rng.randint(3, 8),
        fan_out=rng.randint(3, 7),
        markers=min(people, 2 + people // 25 + rng.randint(0, 3)) if people >= 3 else 0,
        influence=int(people * rng.uniform(0.2, 1.2)),
        advisers=rng.randint(1, 4) if people >= 30 else int(rng.random() < 0.1),
        acquaintances=int(people * rng.uniform(0.1, 0.6)),
        households=int(people * rng.uniform(0.3, 0.6)),
        team=rng.randint(2, 4) if engaged else 0,
        covered=min(people, 1 + people // 8) if engaged else int(rng.random() < 0.3),
        opportunities=(rng.randint(1, 3) if engaged else int(rng.random() < 0.15)),
        interactions=(rng.randint(6, 30) if engaged else rng.randint(0, 4)),
        events=int(rng.random() < (0.3 if engaged else 0.03)),
    )
