"""Account economics (issue 18.3): one account's figures and its group's, in one round trip."""

from __future__ import annotations

from graph_api.domain import model as m
from graph_api.domain.economics import AccountEconomics, Deal, Employee, Unit, figures
from graph_api.domain.errors import NotFound
from graph_api.store.mapping import to_enum
from graph_api.store.scoped import ScopedStore


async def account_economics(
    reader: ScopedStore, account_id: str, include_subsidiaries: bool = True
) -> AccountEconomics:
    """BP, revenue, SOW, SOA, V值 and RAD of the account alone (`own`) and with the
    organizations below it (`group`); only what the viewer may see is counted."""
    record = await reader.read_one(
        "economics.account",
        {"accountId": account_id, "includeSubsidiaries": include_subsidiaries},
    )
    if record is None:
        raise NotFound(f"no party with id {account_id!r}", field="accountId", value=account_id)
    units = [Unit(u[0], _num(u[1]), _num(u[2]), _num(u[3])) for u in record["units"]]
    people = [Employee(p[0], p[1], bool(p[2])) for p in record["people"]]
    deals = [
        Deal(
            o[0],
            o[1],
            to_enum(m.OpportunityStage, o[2]) or m.OpportunityStage.IDENTIFIED,
            _num(o[3]),
        )
        for o in record["opportunities"]
    ]
    covered = bool(record["accountCovered"]) if record["person"] else None
    own_units = [u for u in units if u.id == account_id]
    own = figures(own_units, people, deals, person_account_covered=covered)
    group = figures(units, people, deals, person_account_covered=covered)
    return AccountEconomics(account_id, record["accountName"], own, group)


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
