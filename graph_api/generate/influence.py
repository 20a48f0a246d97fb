"""Step: informal ties among an account's people: influence, advisers, acquaintances.

Who listens to whom inside the account, which outside advisers the decision layer hears,
and who knows whom.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.generate.generator import Generator
from graph_api.generate.people import Person
from graph_api.generate.vocabulary import ACQUAINTANCE


def informal_influence(
    gen: Generator, people: Sequence[Person], parent_of: Sequence[int], k: int
) -> None:
    """Up to `k` distinct influence links (fewer if the attempts run out): mostly a
    subordinate the boss (or the boss's boss) listens to, some between any two people."""
    rng = gen.rng
    n = len(people)
    links: set[tuple[int, int]] = set()
    attempts = 0
    while len(links) < min(k, n * (n - 1)) and attempts < k * 5:
        attempts += 1
        x = rng.randrange(1, n) if n > 1 else 0
        if rng.random() < 0.6 and x > 0:
            boss = parent_of[x]
            if boss > 0 and rng.random() < 0.4:
                boss = parent_of[boss]
            pair = (x, boss)
        else:
            pair = (x, rng.randrange(n))
        if pair[0] != pair[1]:
            links.add(pair)
    for a, b in sorted(links):
        gen.emit(
            "influence",
            {
                "fromId": people[a].id,
                "toId": people[b].id,
                "strength": gen.strength(),
                "kind": rng.choice(("POLITICAL", "TECHNICAL", "PERSONAL")),
            },
        )


def advice(gen: Generator, people: Sequence[Person], decision_layer: Sequence[int], k: int) -> None:
    """Up to `k` outside advisers (institute people met earlier, `gen.advisers`) each advise
    someone of the decision layer (positions in `people`)."""
    rng = gen.rng
    pool = list(gen.advisers)
    for adviser in rng.sample(pool, min(k, len(pool))):
        gen.emit(
            "influence",
            {
                "fromId": adviser,
                "toId": people[rng.choice(decision_layer)].id,
                "strength": gen.strength(0.5, 0.95),
                "kind": "ADVISORY",
            },
        )


def acquaintances(gen: Generator, people: Sequence[Person], k: int) -> None:
    """Up to `k` distinct acquaintance pairs among the people."""
    rng = gen.rng
    n = len(people)
    known: set[tuple[int, int]] = set()
    attempts = 0
    while len(known) < k and n > 1 and attempts < k * 5:
        attempts += 1
        a, b = sorted(rng.sample(range(n), 2))
        known.add((a, b))
    for a, b in sorted(known):
        gen.emit(
            "acquaintance",
            {
                "fromId": people[a].id,
                "toId": people[b].id,
                "strength": gen.strength(),
                "context": rng.choice(ACQUAINTANCE),
            },
        )
