"""Account economics of seed 003 (issue 18.3): BP, our revenue, SOW, SOA, V值 and the RAD cell.

Pure: the figures of a set of units (the account alone, or the account and its group below
it) from what the store read. The rules:

- BP (buying power) is the sum of the units' own annual purchase volumes (each unit records
  its own purchases; a group's figure does not repeat its subsidiaries').
- Our revenue is the sum of the units' revenue; a unit with a share of wallet but no revenue
  counts BP x share. SOW = revenue / BP over the units whose both figures are known.
- SOA (share of account, coverage breadth): of the account's people (employees of the units),
  the share that one of our reps covers; of its units, the share with at least one covered
  person. A person account is covered or not.
- V值: the open opportunities' amounts weighted by their stage's win probability (I/C/Q/D/C
  10/25/50/75/90%); the unweighted sum beside it.
- The RAD cell crosses SOW and BP as domain/model.py `rad_cell` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph_api.domain import model as m


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    buying_power: float | None
    revenue: float | None
    share_of_wallet: float | None


@dataclass(frozen=True, slots=True)
class Employee:
    person_id: str
    unit_id: str
    covered: bool


@dataclass(frozen=True, slots=True)
class Deal:
    id: str
    unit_id: str
    stage: m.OpportunityStage
    amount: float | None


@dataclass(frozen=True, slots=True)
class Figures:
    units: int
    buying_power: float | None
    revenue: float | None
    share_of_wallet: float | None
    rad_cell: str | None
    people: int
    people_covered: int
    share_of_account_people: float | None
    units_covered: int
    share_of_account_units: float | None
    open_opportunities: int
    pipeline_amount: float
    remaining_value: float


@dataclass(frozen=True, slots=True)
class AccountEconomics:
    account_id: str
    account_name: str
    own: Figures
    group: Figures


def _revenue(u: Unit) -> float | None:
    if u.revenue is not None:
        return u.revenue
    if u.share_of_wallet is not None and u.buying_power is not None:
        return u.share_of_wallet * u.buying_power
    return None


def figures(
    units: Sequence[Unit],
    people: Sequence[Employee],
    deals: Sequence[Deal],
    *,
    person_account_covered: bool | None = None,
) -> Figures:
    """The figures of these units (their people and deals are filtered to them here)."""
    ids = {u.id for u in units}
    bp_known = [u.buying_power for u in units if u.buying_power is not None]
    buying_power = sum(bp_known) if bp_known else None
    revenues = [r for u in units if (r := _revenue(u)) is not None]
    revenue = sum(revenues) if revenues else None
    both = [(u.buying_power, r) for u in units if u.buying_power and (r := _revenue(u)) is not None]
    wallet = sum(b for b, _ in both)
    share = sum(r for _, r in both) / wallet if wallet > 0 else None
    if share is None and len(units) == 1:
        share = units[0].share_of_wallet
    covered_by_person: dict[str, bool] = {}
    covered_units: set[str] = set()
    for e in people:
        if e.unit_id in ids:
            covered_by_person[e.person_id] = covered_by_person.get(e.person_id, False) or e.covered
            if e.covered:
                covered_units.add(e.unit_id)
    n_people = len(covered_by_person)
    n_covered = sum(covered_by_person.values())
    if person_account_covered is not None:
        # A person account: one person, covered or not; no units.
        n_people, n_covered = 1, int(person_account_covered)
    open_deals = [d for d in deals if d.stage.is_open and (d.unit_id in ids or not ids)]
    return Figures(
        units=len(units),
        buying_power=buying_power,
        revenue=revenue,
        share_of_wallet=share,
        rad_cell=m.rad_cell(buying_power, share),
        people=n_people,
        people_covered=n_covered,
        share_of_account_people=n_covered / n_people if n_people else None,
        units_covered=len(covered_units),
        share_of_account_units=len(covered_units) / len(units) if units else None,
        open_opportunities=len(open_deals),
        pipeline_amount=sum(d.amount or 0.0 for d in open_deals),
        remaining_value=sum((d.amount or 0.0) * d.stage.probability for d in open_deals),
    )
