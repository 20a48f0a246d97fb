"""Step: buying-centre markers (role, attitude, influence) on an account or an opportunity."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.generate.generator import Generator, Row
from graph_api.generate.org_chart import OrgChart
from graph_api.generate.people import Person
from graph_api.generate.vocabulary import ATTITUDE_WEIGHTS, ATTITUDES, FUNCTIONS


def pick_upper(gen: Generator, n: int, level: Sequence[int], k: int) -> list[int]:
    """k of the first n people (positions, sorted): the head always, then more likely the
    higher up they are (weight 1/level²)."""
    if k <= 0 or n == 0:
        return []
    weights = [1.0 / (level[i] ** 2) for i in range(1, n)]
    chosen = {0}
    candidates = list(range(1, n))
    while len(chosen) < min(k, n) and candidates:
        i = gen.rng.choices(range(len(candidates)), weights)[0]
        chosen.add(candidates.pop(i))
        weights.pop(i)
    return sorted(chosen)


def marker(gen: Generator, person: str, level: int, function: int, target: Row) -> Row:
    """A buyingRoles row for `target` (accountId or opportunityId): the head decides; the
    executive team mostly by its function; below, evaluators, influencers and users."""
    rng = gen.rng
    if level == 1:
        role = "DECISION_MAKER"
    elif level == 2:
        role = FUNCTIONS[function][2] if rng.random() < 0.7 else "INFLUENCER"
    else:
        role = rng.choices(
            ("EVALUATOR", "INFLUENCER", "USER", FUNCTIONS[function][2]), (3, 2, 3, 2)
        )[0]
    row: Row = {
        "personId": person,
        **target,
        "role": role,
        "attitude": rng.choices(ATTITUDES, ATTITUDE_WEIGHTS)[0],
        "influence": "HIGH" if level <= 2 else "MEDIUM" if level == 3 else "LOW",
    }
    if rng.random() < 0.1:
        row["note"] = rng.choice(("关注交付周期", "倾向竞争对手", "重视价格", "技术把关人"))
    return row


def account_markers(
    gen: Generator, people: Sequence[Person], chart: OrgChart, k: int, account_id: str
) -> list[int]:
    """`k` markers on the account (the head first); returns the marked positions."""
    marked = pick_upper(gen, chart.size, chart.level, k)
    for i in marked:
        gen.emit(
            "buyingRoles",
            marker(
                gen, people[i].id, chart.level[i], chart.function_of[i], {"accountId": account_id}
            ),
        )
    return marked
