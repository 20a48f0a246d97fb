"""Step: an account's people and reporting lines (one org chart), and board seats.

Titles and departments follow the level; a few executives sit on another customer's board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph_api.generate.generator import Generator, Row
from graph_api.generate.people import Person, person
from graph_api.generate.shapes import AccountShape
from graph_api.generate.units import OrgUnits
from graph_api.generate.vocabulary import AS_OF, FUNCTIONS, STAFF_TITLES


@dataclass(frozen=True)
class OrgChart:
    """The shape of an org chart, by position (0 = the head, then breadth first)."""

    parent_of: list[int]  # the manager's position; -1 for the head
    level: list[int]  # 1 = the head, 2 = the executive team, ...
    function_of: list[int]  # index in FUNCTIONS: the executive's, inherited below
    unit_of: list[int]  # index of the unit the person works in

    @property
    def size(self) -> int:
        return len(self.level)


def org_chart(
    n: int, fan_out_top: int, fan_out: int, main: int, subunits: Sequence[int]
) -> OrgChart:
    """A tree of `n` people filled breadth first: the head has `fan_out_top` direct reports,
    everyone else `fan_out`. Level-2 people are the executive team, one function each (round
    robin); each level-3 subtree works in one of the sub-units (round robin), everyone above
    in the main unit. Draws nothing."""
    parent_of: list[int] = [-1]
    level: list[int] = [1]
    frontier, nxt = [0], 1
    while nxt < n:
        new_frontier = []
        for mgr in frontier:
            for _ in range(fan_out_top if mgr == 0 else fan_out):
                if nxt >= n:
                    break
                parent_of.append(mgr)
                level.append(level[mgr] + 1)
                new_frontier.append(nxt)
                nxt += 1
        frontier = new_frontier or [nxt - 1]
    function_of: list[int] = [0] * n
    unit_of: list[int] = [main] * n
    level3 = 0
    for i in range(1, n):
        if level[i] == 2:
            function_of[i] = (i - 1) % len(FUNCTIONS)
        else:
            function_of[i] = function_of[parent_of[i]]
        if level[i] == 3:
            unit_of[i] = subunits[level3 % len(subunits)] if subunits else main
            level3 += 1
        elif level[i] > 3:
            unit_of[i] = unit_of[parent_of[i]]
    return OrgChart(parent_of[:n], level[:n], function_of, unit_of)


def staff(gen: Generator, kind: str, org: OrgUnits, chart: OrgChart) -> list[Person]:
    """The chart's people, each with a title by level, a primary employment in their unit
    and (below the head) a reporting line; in chart order. `kind` is the account's."""
    rng = gen.rng
    people: list[Person] = []
    for i in range(chart.size):
        u = org.units[chart.unit_of[i]]
        level = chart.level[i]
        fn_title, dept, _ = FUNCTIONS[chart.function_of[i]]
        if i == 0:
            title = {"GROUP": "董事长", "INSTITUTE": "院长"}.get(kind, "总经理 CEO")
            dept = "总经理办公室"
        elif level == 2:
            title = fn_title
        elif level == 3:
            title = {
                "BRANCH": "分公司总经理",
                "SUBSIDIARY": "总经理",
                "DEPARTMENT": "部门总监",
            }.get(u.kind, "总监")
        elif level == 4:
            title = "经理"
        else:
            title = rng.choice(STAFF_TITLES)
        if kind == "INSTITUTE" and i > 0:
            title = rng.choice(("总工程师", "监理工程师", "研究员", "高级工程师"))
        age = rng.randint(45, 62) if level <= 2 else rng.randint(24, 60)
        p = person(
            gen,
            age=age,
            region=u.region,
            city=u.city,
            occupation=title,
            executive=level <= 3 and "经理" not in title[-2:],
        )
        people.append(p)
        row: Row = {
            "personId": p.id,
            "organizationId": u.id,
            "title": title,
            "department": dept,
        }
        if rng.random() < 0.7:
            row["since"] = gen.date_between(date(2000, 1, 1), AS_OF).isoformat()
        row["primary"] = True
        gen.emit("employment", row)
        if i > 0:
            gen.emit("reporting", {"personId": p.id, "managerId": people[chart.parent_of[i]].id})
    return people


def board_seats(
    gen: Generator, people: Sequence[Person], shape: AccountShape, n_units: int
) -> None:
    """A few of the top people also sit on another customer's board (a secondary employment
    at an earlier account's employer; `n_units` are this account's own)."""
    rng = gen.rng
    for p in people[: min(len(people), 1 + shape.fan_out_top)]:
        if gen.employers and rng.random() < 0.03:
            other = rng.choice(gen.employers)
            if other <= gen.orgs - n_units:
                gen.emit(
                    "employment",
                    {
                        "personId": p.id,
                        "organizationId": f"o-{other:06d}",
                        "title": "董事",
                        "primary": False,
                    },
                )
