"""The state of one generation run and the small draws every step shares.

A `Generator` holds the random stream (one, so the same seed gives the same bytes), the
sink rows go to, the counters ids are made from, and what later steps look back at: the
sales force, the employers of retail customers and the pool of outside advisers. The steps
(`units`, `org_chart`, `markers`, ...) are functions of a `Generator`; the order in which
they draw from its stream is part of the output.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from graph_api.bulk.spec import SECTION_BY_NAME
from graph_api.generate.history import with_history
from graph_api.generate.vocabulary import GIVEN_FEMALE, GIVEN_MALE, REGION_CITIES, REGIONS, SURNAMES

Row = dict[str, Any]
_WITH_HISTORY = frozenset({"employment", "buyingRoles", "coverage"})
Sink = Callable[[str, Row], None]


class Generator:
    """Emits rows of a synthetic data set to `sink(section, row)`, in a deterministic order.

    A bare one has no sales force yet: `dataset.start` makes one that has, as every run does.
    """

    def __init__(self, sink: Sink, seed: int) -> None:
        self.sink = sink
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        # A second stream for the competitors and TAS answers: drawing them from the main
        # stream would change every row after the first opportunity of a seed's old output.
        self.tas_rng = random.Random(seed + 1_000_003)  # noqa: S311
        # A third for the links' history (generate/history.py), on once `dataset.run` starts.
        self.history_rng = random.Random(seed + 2_000_003)  # noqa: S311
        self.history = False
        self.competitors_emitted = False
        self.tas_answers = 0
        # (competitor, person) pairs covered: one link per pair, however many deals.
        self.competitor_holds: set[tuple[str, str]] = set()
        self.counts: dict[str, int] = dict.fromkeys(SECTION_BY_NAME, 0)
        # How many of each were made: the last one's number is in its id.
        self.people = 0
        self.orgs = 0
        self.holdings = 0
        self.interactions = 0
        self.opportunities = 0
        self.events = 0
        self.teams = 0
        self.budget: int | None = None
        # Employers of retail customers: numbers of companies, head offices, branches.
        self.employers: list[int] = []
        self.payroll_employers: set[int] = set()
        self.advisers: deque[str] = deque(maxlen=400)
        self.reps_by_region: dict[str, dict[str, list[str]]] = {}
        self.managers: dict[str, str] = {}

    # ----- emitting

    def emit(self, section: str, row: Row) -> None:
        if self.history and section in _WITH_HISTORY:
            with_history(self, section, row)
        self.counts[section] += 1
        self.sink(section, row)

    @property
    def parties(self) -> int:
        return self.people + self.orgs

    def room(self, wanted: int) -> int:
        """How many of `wanted` new parties still fit in the run's budget."""
        if self.budget is None:
            return wanted
        return max(0, min(wanted, self.budget - self.parties))

    # ----- small draws

    def name(self, gender: str, surname: tuple[str, str] | None = None) -> tuple[str, str]:
        """A Chinese name and its Latin alias."""
        rng = self.rng
        s, sp = surname or rng.choice(SURNAMES)
        pool = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
        parts = rng.sample(pool, rng.choice((1, 2, 2)))
        return s + "".join(g for g, _ in parts), f"{sp} {''.join(p for _, p in parts)}"

    def date_between(self, start: date, end: date) -> date:
        days = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(days, 0)))

    def amount(self, median: float) -> float:
        """An amount, lognormal around `median`, rounded to hundreds or thousands."""
        value = median * math.exp(self.rng.gauss(0, 0.8))
        step = 1000.0 if value >= 10_000 else 100.0
        return max(step, round(value / step) * step)

    def strength(self, low: float = 0.1, high: float = 1.0) -> float:
        return round(self.rng.uniform(low, high), 2)

    def place(self, region: str | None = None) -> tuple[str, str]:
        """(region, city): the region's city, or anywhere."""
        region = region or self.rng.choice(REGIONS)
        return region, self.rng.choice(REGION_CITIES[region])

    def rep(self, region: str, role: str) -> str:
        """One rep of the region with the role (AE, SR or SE)."""
        return self.rng.choice(self.reps_by_region[region][role])
