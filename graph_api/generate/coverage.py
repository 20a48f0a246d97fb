"""Step: our side of an account: its account team and the reps' coverage of its people."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.generate.generator import Generator
from graph_api.generate.markers import pick_upper
from graph_api.generate.org_chart import OrgChart
from graph_api.generate.people import Person
from graph_api.generate.shapes import AccountShape
from graph_api.generate.units import OrgUnits


def team_members(gen: Generator, region: str, size: int) -> list[tuple[str, str]]:
    """Distinct (rep, role) of the region: an AE, an SR and an SE first, then AEs and SRs."""
    by_role = gen.reps_by_region[region]
    chosen = [(gen.rng.choice(by_role[r]), r) for r in ("AE", "SR", "SE") if by_role[r]]
    chosen = chosen[:size]
    taken = {rep for rep, _ in chosen}
    others = [(rep, r) for r in ("AE", "SR") for rep in by_role[r] if rep not in taken]
    return chosen + gen.rng.sample(others, min(size - len(chosen), len(others)))


def account_team(
    gen: Generator, shape: AccountShape, org: OrgUnits
) -> tuple[str | None, list[str]]:
    """(team id, reps) of the account's team, managed by the region's manager; (None, [])
    when the shape has no team. A group's team sometimes covers its first branch too."""
    if not shape.team:
        return None, []
    root = org.units[org.root]
    gen.teams += 1
    team_id = f"team-{gen.teams:05d}"
    gen.emit(
        "accountTeams",
        {"id": team_id, "name": f"{root.id} 客户组", "managerId": gen.managers[root.region]},
    )
    reps: list[str] = []
    for rep, role in team_members(gen, root.region, shape.team):
        reps.append(rep)
        gen.emit("teamMembers", {"teamId": team_id, "repId": rep, "role": role})
    gen.emit("teamAccounts", {"teamId": team_id, "partyId": root.id})
    if shape.kind == "GROUP" and gen.rng.random() < 0.3 and org.subunits:
        # A branch with a team of its own, besides the group's.
        gen.emit("teamAccounts", {"teamId": team_id, "partyId": org.units[org.subunits[0]].id})
    return team_id, reps


def coverage(
    gen: Generator,
    people: Sequence[Person],
    chart: OrgChart,
    marked: Sequence[int],
    k: int,
    covering: Sequence[str],
) -> None:
    """Coverage of at most `k` people: of the marked ones and `k` picked near the top, the
    first `k` in chart order, each by the next of the `covering` reps in turn."""
    covered = sorted(set(marked) | set(pick_upper(gen, chart.size, chart.level, k)))
    covered = covered[: max(k, 0)] if k else []
    for n, i in enumerate(covered):
        gen.emit(
            "coverage",
            {
                "repId": covering[n % len(covering)],
                "personId": people[i].id,
                "strength": gen.strength(0.2, 1.0),
                "kind": gen.rng.choice(("BUSINESS", "BUSINESS", "PERSONAL", "SOCIAL")),
            },
        )
