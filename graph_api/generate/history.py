"""History for generated data (issue 14.1): past titles, past attitudes, ended coverage and
past employers, over the three years before the data set's day, so that as-of questions have
something to find at scale.

Drawn from a stream of its own (`Generator.history_rng`): the rows of a seed's data set
without history are unchanged, a row with history gains a `validFrom` and is preceded by
its closed period(s).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from graph_api.generate.vocabulary import AS_OF, ATTITUDES

if TYPE_CHECKING:
    from graph_api.generate.generator import Generator, Row

# The window the history falls in: three years up to a month before the data set's day.
EARLIEST_CHANGE = AS_OF - timedelta(days=3 * 365)
LATEST_CHANGE = AS_OF - timedelta(days=30)
# Shares of rows that get a past period.
TITLE_CHANGE = 0.2  # a person's job at the same employer had another title before
PAST_EMPLOYER = 0.1  # the person worked elsewhere before this job
ATTITUDE_CHANGE = 0.25  # a buying-centre marker had another attitude before
ENDED_COVERAGE = 0.15  # the rep covered the person before, then stopped, then started again
_EARLIER_TITLES = ("专员", "主管", "副经理", "经理", "高级工程师", "分析师")


def _day(gen: Generator, start: date, end: date) -> date:
    days = (end - start).days
    return start + timedelta(days=gen.history_rng.randint(0, max(days, 0)))


def with_history(gen: Generator, section: str, row: Row) -> None:
    """Emits the closed periods before `row` (which gains its validFrom), if any."""
    rng = gen.history_rng
    if section == "employment" and row.get("primary"):
        if row.get("title") and rng.random() < TITLE_CHANGE:
            change = _day(gen, EARLIEST_CHANGE, LATEST_CHANGE)
            before = rng.choice([t for t in _EARLIER_TITLES if t != row["title"]])
            past = {**row, "title": before, "validTo": change.isoformat()}
            past.pop("since", None)
            gen.sink(section, past)
            gen.counts[section] += 1
            row["validFrom"] = change.isoformat()
        elif gen.employers and rng.random() < PAST_EMPLOYER:
            # The job began the day the one at the earlier employer ended.
            other = f"o-{rng.choice(gen.employers):06d}"
            if other != row["organizationId"]:
                left = _day(gen, EARLIEST_CHANGE, LATEST_CHANGE)
                started = left - timedelta(days=rng.randint(200, 2000))
                row["validFrom"] = left.isoformat()
                past = {
                    "personId": row["personId"],
                    "organizationId": other,
                    "title": rng.choice(_EARLIER_TITLES),
                    "primary": True,
                    "validFrom": started.isoformat(),
                    "validTo": left.isoformat(),
                }
                gen.sink(section, past)
                gen.counts[section] += 1
    elif section == "buyingRoles" and row.get("attitude") and rng.random() < ATTITUDE_CHANGE:
        change = _day(gen, EARLIEST_CHANGE, LATEST_CHANGE)
        before = rng.choice([a for a in ATTITUDES if a != row["attitude"]])
        past = {**row, "attitude": before, "validTo": change.isoformat()}
        gen.sink(section, past)
        gen.counts[section] += 1
        row["validFrom"] = change.isoformat()
    elif section == "coverage" and rng.random() < ENDED_COVERAGE:
        ended = _day(gen, EARLIEST_CHANGE, LATEST_CHANGE - timedelta(days=90))
        began = ended - timedelta(days=rng.randint(90, 720))
        again = ended + timedelta(days=rng.randint(30, 90))
        past = {**row, "validFrom": began.isoformat(), "validTo": ended.isoformat()}
        gen.sink(section, past)
        gen.counts[section] += 1
        row["validFrom"] = again.isoformat()
