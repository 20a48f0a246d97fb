"""The unified 360° view of a party: the requested parts of many parties in one query.

A caller names what it needs as view keys (party id, part, the part's arguments); every key
of one batch is answered by ONE round trip to Neo4j (`view.parties`), however many
holdings, people or interactions the parties have. Only when one part is asked with two
different argument sets in the same batch (e.g. two aliases paging interactions
differently) does a batch take one more round trip per extra argument set.

Household: the person and everyone linked to them by one FAMILY link of any kind (spouse,
parents, children, siblings, other). Relatives of relatives (a spouse's child from another
marriage, parents-in-law) are in it only if linked to the person directly.

As of a day (`party(id, asOf)`, issue 14.2): every key carries the day it reads the graph
on (None: today), and a batch runs the query's as-of variant (`view.parties_asof`) once per
day asked. What has a validity period is read as valid that day; the parties' own fields,
which have none, are today's (README, "History and as-of questions").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from graph_api.config import Settings
from graph_api.domain import model as m
from graph_api.domain import signals as s
from graph_api.domain import view as v
from graph_api.domain.access import SENSITIVE_PERSON_FIELDS, Access
from graph_api.domain.errors import InvalidInput, NotFound
from graph_api.services.lifecycle import resolve_all, resolve_missing
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.services.parties import EARLIEST_GRAPH_DAY, check_id
from graph_api.store.mapping import (
    coverage_from_map,
    organization_from_props,
    party_from_props,
    person_from_props,
    product_from_props,
    rep_from_props,
    stamps,
    to_date,
    to_datetime,
    to_enum,
)
from graph_api.store.scoped import ScopedStore, Unrestricted, restriction


class ViewPart(StrEnum):
    """A part of the view; the value is the part's name in `cypher/view.cypher`."""

    EMPLOYMENTS = "employments"
    MANAGERS = "managers"
    DIRECT_REPORTS = "directReports"
    HOUSEHOLD = "household"
    HOUSEHOLD_HOLDINGS = "householdHoldings"
    HOLDINGS = "holdings"
    BENEFICIARY_OF = "beneficiaryOf"
    ANCESTORS = "ancestors"
    CHILDREN = "children"
    PEOPLE = "people"
    ORGANIZATION_HOLDINGS = "organizationHoldings"
    OPEN_OPPORTUNITIES = "openOpportunities"
    EVENTS = "events"
    INTERACTIONS = "interactions"
    SIGNALS = "signals"
    COVERAGE = "coverage"
    RELATIONSHIPS = "relationships"
    ACCOUNT_TEAMS = "accountTeams"


@dataclass(frozen=True, slots=True)
class InteractionsArgs:
    first: int
    after: tuple[datetime, str] | None = None


@dataclass(frozen=True, slots=True)
class PeopleArgs:
    first: int
    after: tuple[str, str, str] | None = None
    include_subsidiaries: bool = False


@dataclass(frozen=True, slots=True)
class SubsidiariesArgs:
    include_subsidiaries: bool = False


@dataclass(frozen=True, slots=True)
class SignalsArgs:
    as_of: date | None = None


PartArgs = InteractionsArgs | PeopleArgs | SubsidiariesArgs | SignalsArgs | None


@dataclass(frozen=True, slots=True)
class ViewKey:
    party_id: str
    part: ViewPart
    args: PartArgs = None
    as_of: date | None = None  # the day the part is read as of; None: today's graph


INTERACTIONS_CURSOR = "interactions"
PEOPLE_CURSOR = "people"


def interactions_args(first: int | None, after: str | None, settings: Settings) -> InteractionsArgs:
    """Checked arguments of `interactions` (INVALID_INPUT names a bad `first` or `after`)."""
    size = check_first(first, settings)
    if after is None:
        return InteractionsArgs(size)
    at_text, interaction_id = decode_cursor(INTERACTIONS_CURSOR, after, (str, str))
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError:
        raise InvalidInput(
            "after is not a cursor of this connection", field="after", value=after
        ) from None
    return InteractionsArgs(size, (at, interaction_id))


def people_args(
    first: int | None, after: str | None, include_subsidiaries: bool, settings: Settings
) -> PeopleArgs:
    size = check_first(first, settings)
    if after is None:
        return PeopleArgs(size, None, include_subsidiaries)
    name, person_id, unit_id = decode_cursor(PEOPLE_CURSOR, after, (str, str, str))
    return PeopleArgs(size, (name, person_id, unit_id), include_subsidiaries)


# The days `signals(asOf)` answers for. Beyond them there is no customer history to speak
# of, and the day after 9999-12-31 (where interactions stop counting) is no date at all.
EARLIEST_AS_OF = date(1900, 1, 1)
LATEST_AS_OF = date(2999, 12, 31)


def signals_args(as_of: date | None) -> SignalsArgs:
    """Checked arguments of `signals` (INVALID_INPUT names an `asOf` out of range)."""
    if as_of is not None and not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise InvalidInput(
            f"asOf must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}, got {as_of}",
            field="asOf",
            value=as_of.isoformat(),
        )
    return SignalsArgs(as_of)


def today() -> date:
    return datetime.now(UTC).date()


def view_as_of(as_of: date | None) -> date | None:
    """The day a view is read as of (None: today's graph); INVALID_INPUT naming asOf for a
    day before the graph's earliest (services/parties.py) or after today: the view shows
    the past, and what the graph will hold is not known."""
    if as_of is None:
        return None
    now = today()
    if not EARLIEST_GRAPH_DAY <= as_of <= now:
        raise InvalidInput(
            f"asOf must be between {EARLIEST_GRAPH_DAY} and today ({now}), got {as_of}",
            field="asOf",
            value=as_of.isoformat(),
        )
    return as_of


# ----- loading -----


def _rounds(keys: Sequence[ViewKey]) -> list[dict[ViewPart, PartArgs]]:
    """Argument sets per round: each part takes its n-th distinct argument set in round n."""
    per_part: dict[ViewPart, list[PartArgs]] = {}
    for key in keys:
        seen = per_part.setdefault(key.part, [])
        if key.args not in seen:
            seen.append(key.args)
    count = max((len(a) for a in per_part.values()), default=0)
    return [
        {part: args[i] for part, args in per_part.items() if i < len(args)} for i in range(count)
    ]


def _params(round_args: Mapping[ViewPart, PartArgs], settings: Settings) -> dict[str, Any]:
    interactions = round_args.get(ViewPart.INTERACTIONS)
    people = round_args.get(ViewPart.PEOPLE)
    holdings = round_args.get(ViewPart.ORGANIZATION_HOLDINGS)
    opportunities = round_args.get(ViewPart.OPEN_OPPORTUNITIES)
    sig = round_args.get(ViewPart.SIGNALS)
    as_of = sig.as_of if isinstance(sig, SignalsArgs) and sig.as_of else today()
    i_after = interactions.after if isinstance(interactions, InteractionsArgs) else None
    p_after = people.after if isinstance(people, PeopleArgs) else None
    return {
        "interactionsFirst": (
            interactions.first
            if isinstance(interactions, InteractionsArgs)
            else settings.default_page_size
        ),
        "interactionsAfterAt": i_after[0] if i_after else None,
        "interactionsAfterId": i_after[1] if i_after else None,
        "peopleFirst": people.first if isinstance(people, PeopleArgs) else 0,
        "peopleAfter": list(p_after) if p_after else None,
        "peopleSubsidiaries": isinstance(people, PeopleArgs) and people.include_subsidiaries,
        "holdingsSubsidiaries": (
            isinstance(holdings, SubsidiariesArgs) and holdings.include_subsidiaries
        ),
        "opportunitiesSubsidiaries": (
            isinstance(opportunities, SubsidiariesArgs) and opportunities.include_subsidiaries
        ),
        # Interactions after the day in question do not count (a pinned date sees the past).
        "signalsBefore": datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=UTC),
    }


_ABSENT = object()  # a part a round does not load (None is a valid argument set)


@dataclass
class ViewBatch:
    """What one batch found: the parties by id and the value of every key asked."""

    parties: dict[str, m.Party]
    values: dict[ViewKey, Any]


async def load_views(
    reader: ScopedStore,
    settings: Settings,
    party_ids: Sequence[str],
    keys: Sequence[ViewKey] = (),
    *,
    timestamps: bool = False,
    as_of: date | None = None,
) -> ViewBatch:
    """The parties (absent ones are left out) and the value of every key (a NotFound for
    a key whose party does not exist). One round trip unless a part comes with several
    argument sets.

    Access control is applied here, for every view part: a party the viewer may not see is
    absent (as if it did not exist), and so is every invisible party in its parts;
    the family links and personal holdings of a person whose sensitive fields are masked
    come back empty (`restrict_part`). Paged parts filter in the query (`$visible`), so that
    pages and totals hold visible items only. `timestamps`: read every node's and link's
    createdAt/updatedAt too (only when the request selects them: they cost the driver).
    Each key is read as of its own day (`ViewKey.as_of`): one query per day; `as_of` is the
    day `party_ids` are read with when no key names them."""
    access = reader.access
    party_ids = [pid for pid in party_ids if access.sees(pid)]
    batch = ViewBatch({}, {})
    # One query per day asked (as_of: the day of `party_ids`' own round; None, today's).
    days: dict[date | None, list[ViewKey]] = {as_of: []}
    for key in keys:
        days.setdefault(key.as_of, []).append(key)
    for day, day_keys in days.items():
        await _load_day(
            reader,
            settings,
            party_ids if day == as_of else [],
            day_keys,
            batch,
            timestamps=timestamps,
            as_of=day,
        )
    return batch


async def _load_day(
    reader: ScopedStore,
    settings: Settings,
    party_ids: Sequence[str],
    keys: Sequence[ViewKey],
    batch: ViewBatch,
    *,
    timestamps: bool,
    as_of: date | None,
) -> None:
    """`load_views` for the keys of one day (as_of; None: today), into `batch`."""
    access = reader.access
    rounds = _rounds(keys) or [{}]
    for number, round_args in enumerate(rounds):
        wanted: dict[str, list[str]] = {pid: [] for pid in party_ids} if number == 0 else {}
        for key in keys:
            if round_args.get(key.part, _ABSENT) == key.args and access.sees(key.party_id):
                wanted.setdefault(key.party_id, []).append(key.part.value)
        requests = [{"id": pid, "parts": parts} for pid, parts in wanted.items()]
        params = {"requests": requests, "timestamps": timestamps, **_params(round_args, settings)}
        if requests:
            found = await reader.read_restricted("view.parties", params, as_of=as_of)
        else:
            found = Unrestricted("view.parties", access, [])
        found.restrict(visible_views, batch, keys, round_args, settings)


@restriction("view.parties")
def visible_views(
    access: Access,
    records: Sequence[Mapping[str, Any]],
    batch: ViewBatch,
    keys: Sequence[ViewKey],
    round_args: Mapping[ViewPart, PartArgs],
    settings: Settings,
) -> None:
    """Adds one round's parties and parts to `batch`, each part as the viewer may see it."""
    by_id = {r["id"]: r for r in records if access.sees(r["id"])}
    for record in by_id.values():
        batch.parties.setdefault(record["id"], party_from_props(record["props"], record["kind"]))
    for key in keys:
        if key in batch.values or round_args.get(key.part, _ABSENT) != key.args:
            continue
        found = by_id.get(key.party_id)
        if found is None:
            batch.values[key] = NotFound(
                f"no party with id {key.party_id!r}", field="id", value=key.party_id
            )
        else:
            party = batch.parties[key.party_id]
            value = _part_value(key, party, found, settings)
            batch.values[key] = restrict_part(key.part, party, value, access)


async def party_view(
    reader: ScopedStore,
    settings: Settings,
    party_id: str,
    parts: Iterable[tuple[ViewPart, PartArgs]] = (),
    *,
    timestamps: bool = False,
    as_of: date | None = None,
) -> tuple[m.Party, dict[ViewKey, Any]]:
    """The party and the requested parts of its view (as of `as_of`, None: today), in one
    round trip."""
    check_id("id", party_id)
    view_as_of(as_of)
    keys = list(dict.fromkeys(ViewKey(party_id, part, args, as_of) for part, args in parts))
    batch = await load_views(reader, settings, [party_id], keys, timestamps=timestamps, as_of=as_of)
    party = batch.parties.get(party_id)
    if party is None:
        # Archived, or the alias of a merged party (one more round trip, on a miss only).
        survivor = await resolve_missing(reader, party_id)
        return await party_view(
            reader, settings, survivor, parts, timestamps=timestamps, as_of=as_of
        )
    return party, batch.values


async def parties_view(
    reader: ScopedStore,
    settings: Settings,
    party_ids: Sequence[str],
    parts: Iterable[tuple[ViewPart, PartArgs]] = (),
    *,
    timestamps: bool = False,
    as_of: date | None = None,
) -> tuple[dict[str, m.Party], dict[ViewKey, Any], dict[str, NotFound]]:
    """The parties found by the ids asked (unknown and invisible ids left out alike; a
    merged party's id gives its survivor), the requested parts of each one's view, all in
    one round trip (`view.parties` unwinds the ids), and the error of each id not found
    (one more round trip when there are such ids: archived, merged or unknown). `as_of`:
    the views as of that day (None: today's)."""
    if len(party_ids) > settings.max_page_size:
        raise InvalidInput(
            f"ids may name at most {settings.max_page_size} parties, got {len(party_ids)}",
            field="ids",
            value=len(party_ids),
        )
    for party_id in party_ids:
        check_id("ids", party_id)
    view_as_of(as_of)
    unique = list(dict.fromkeys(party_ids))
    wanted = list(dict.fromkeys(parts))
    sees = reader.access.sees
    keys = [ViewKey(pid, part, args, as_of) for pid in unique if sees(pid) for part, args in wanted]
    batch = await load_views(reader, settings, unique, keys, timestamps=timestamps, as_of=as_of)
    found = dict(batch.parties)
    errors: dict[str, NotFound] = {}
    missing = [pid for pid in unique if pid not in found]
    if missing:
        survivors: dict[str, str] = {}
        for pid, answer in (await resolve_all(reader, missing, "ids")).items():
            if isinstance(answer, NotFound):
                errors[pid] = answer
            else:
                survivors[pid] = answer
        wanted_survivors = [s for s in dict.fromkeys(survivors.values()) if s not in found]
        if wanted_survivors:
            more = [
                ViewKey(s, part, args, as_of) for s in wanted_survivors for part, args in wanted
            ]
            extra = await load_views(
                reader, settings, wanted_survivors, more, timestamps=timestamps, as_of=as_of
            )
            batch.parties.update(extra.parties)
            batch.values.update(extra.values)
        for pid, survivor in survivors.items():
            if survivor in batch.parties:
                found[pid] = batch.parties[survivor]
            else:
                errors[pid] = NotFound(f"no party with id {pid!r}", field="ids", value=pid)
    # Keys of parties not found hold a NotFound: nobody will ask for them.
    values = {k: v for k, v in batch.values.items() if k.party_id in batch.parties}
    return found, values, errors


Stamps = tuple[datetime | None, datetime | None]


async def node_stamps(
    reader: ScopedStore, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Stamps]:
    """(createdAt, updatedAt) of nodes given as (entity kind, id), the kind one of
    `bulk/spec.py` ENTITY_LABELS (Party for a person or organization), in one round trip.
    A node not found (or a party the viewer may not see) is left out."""
    records = await reader.read(
        "view.stamps", {"keys": [{"label": label, "id": node_id} for label, node_id in keys]}
    )
    return {
        (r["label"], r["id"]): (to_datetime(r["createdAt"]), to_datetime(r["updatedAt"]))
        for r in records
    }


# ----- mapping records to the view's dataclasses -----


def _related(x: Mapping[str, Any]) -> m.Party:
    return party_from_props(x["props"], x["kind"])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _holding(h: Mapping[str, Any]) -> v.Holding:
    props = h["props"]
    return v.Holding(
        id=props["id"],
        holder=_related(h["holder"]),
        product=product_from_props(h["product"]),
        since=to_date(props.get("since")),
        amount=_float(props.get("amount")),
        status=to_enum(m.HoldingStatus, props.get("status")),
        beneficiaries=tuple(
            sorted(
                (
                    v.Beneficiary(
                        person_from_props(b["person"]), _float(b.get("share")), **stamps(b)
                    )
                    for b in h.get("beneficiaries") or ()
                ),
                key=lambda b: (b.person.name, b.person.id),
            )
        ),
        household_relation=to_enum(m.FamilyKind, h.get("relation")),
        **stamps(props),
    )


def _employment(person: m.Person, e: Mapping[str, Any]) -> v.Employment:
    return v.Employment(
        person=person,
        organization=organization_from_props(e["organization"]),
        title=e.get("title"),
        department=e.get("department"),
        since=to_date(e.get("since")),
        primary=bool(e.get("primary")),
        **stamps(e),
    )


def _interaction(i: Mapping[str, Any]) -> v.Interaction:
    props = i["props"]
    opp = i.get("opportunity")
    at = to_datetime(props["at"])
    assert at is not None
    return v.Interaction(
        id=props["id"],
        kind=to_enum(m.InteractionKind, props.get("kind")),
        at=at,
        direction=to_enum(m.InteractionDirection, props.get("direction")),
        purpose=to_enum(m.InteractionPurpose, props.get("purpose")),
        channel=to_enum(m.Channel, props.get("channel")),
        subject=props.get("subject"),
        summary=props.get("summary"),
        reps=tuple(sorted((rep_from_props(r) for r in i.get("reps") or ()), key=lambda r: r.id)),
        opportunity=(
            v.OpportunityRef(
                opp["id"],
                opp.get("name") or opp["id"],
                to_enum(m.OpportunityStage, opp.get("stage")),
                opp.get("accountId"),
            )
            if opp
            else None
        ),
        **stamps(props),
    )


def _opportunity(o: Mapping[str, Any]) -> v.Opportunity:
    props = o["props"]
    stage = to_enum(m.OpportunityStage, props.get("stage")) or m.OpportunityStage.IDENTIFIED
    owner = o.get("owner")
    return v.Opportunity(
        id=props["id"],
        name=props.get("name") or props["id"],
        account=_related(o["account"]),
        stage=stage,
        amount=_float(props.get("amount")),
        close_date=to_date(props.get("closeDate")),
        owner=rep_from_props(owner) if owner else None,
        products=tuple(
            sorted((product_from_props(p) for p in o.get("products") or ()), key=lambda p: p.id)
        ),
        buying_centre=tuple(
            sorted(
                (
                    v.BuyingCentreMember(
                        person=person_from_props(b["person"]),
                        role=to_enum(m.BuyingRole, b.get("role")),
                        attitude=to_enum(m.Attitude, b.get("attitude")),
                        influence=to_enum(m.InfluenceLevel, b.get("influence")),
                        **stamps(b),
                    )
                    for b in o.get("buyingCentre") or ()
                ),
                key=lambda b: (b.person.name, b.person.id),
            )
        ),
        **stamps(props),
    )


def _relationship(r: Mapping[str, Any]) -> v.Relationship:
    if r["type"] == "KNOWS":
        kind = v.RelationshipKind.KNOWS
    elif r["outgoing"]:
        kind = v.RelationshipKind.INFLUENCES
    else:
        kind = v.RelationshipKind.INFLUENCED_BY
    return v.Relationship(
        kind=kind,
        party=_related(r["party"]),
        strength=_float(r.get("strength")),
        influence_kind=r.get("kind"),
        context=r.get("context"),
        **stamps(r),
    )


def _account_team(t: Mapping[str, Any]) -> v.AccountTeam:
    return account_team_from_map(t, _related(t["account"]))


def account_team_from_map(t: Mapping[str, Any], account: m.Party) -> v.AccountTeam:
    """A team as the view's query returns it, covering `account`."""
    props = t["props"]
    manager = t.get("manager")
    return v.AccountTeam(
        id=props["id"],
        name=props.get("name") or props["id"],
        account=account,
        manager=rep_from_props(manager) if manager else None,
        members=tuple(
            sorted(
                (
                    v.TeamMember(
                        rep_from_props(x["rep"]), to_enum(m.RepRole, x.get("role")), **stamps(x)
                    )
                    for x in t.get("members") or ()
                ),
                key=lambda x: (x.rep.name, x.rep.id),
            )
        ),
        **stamps(props),
    )


def _event(e: Mapping[str, Any]) -> v.BusinessEvent:
    return v.BusinessEvent(
        id=e["id"],
        kind=e.get("kind") or "",
        title=e.get("title") or "",
        date=to_date(e.get("date")),
        description=e.get("description"),
        **stamps(e),
    )


def _interactions_page(record: Mapping[str, Any], args: InteractionsArgs) -> v.Page[v.Interaction]:
    items = [_interaction(i) for i in record["interactions"] or ()]
    edges = tuple(
        v.Edge(encode_cursor(INTERACTIONS_CURSOR, [i.at.isoformat(), i.id]), i)
        for i in items[: args.first]
    )
    return v.Page(
        edges=edges,
        total_count=int(record["interactionsTotal"] or 0),
        has_next_page=len(items) > args.first,
        has_previous_page=args.after is not None,
    )


def _people_page(record: Mapping[str, Any], args: PeopleArgs) -> v.Page[v.Employment]:
    items = [_employment(person_from_props(e["person"]), e) for e in record["people"] or ()]
    edges = tuple(
        v.Edge(encode_cursor(PEOPLE_CURSOR, [e.person.name, e.person.id, e.organization.id]), e)
        for e in items[: args.first]
    )
    return v.Page(
        edges=edges,
        total_count=int(record["peopleTotal"] or 0),
        has_next_page=len(items) > args.first,
        has_previous_page=args.after is not None,
    )


def _part_value(key: ViewKey, party: m.Party, record: Mapping[str, Any], settings: Settings) -> Any:
    part, args = key.part, key.args
    match part:
        case ViewPart.EMPLOYMENTS:
            if not isinstance(party, m.Person):
                return []
            return [_employment(party, e) for e in record["employments"] or ()]
        case ViewPart.MANAGERS:
            return [person_from_props(p) for p in record["managers"] or ()]
        case ViewPart.DIRECT_REPORTS:
            return [person_from_props(p) for p in record["directReports"] or ()]
        case ViewPart.HOUSEHOLD:
            return [
                v.HouseholdMember(
                    person_from_props(x["person"]), m.FamilyKind(x["relation"]), **stamps(x)
                )
                for x in record["household"] or ()
            ]
        case ViewPart.HOUSEHOLD_HOLDINGS:
            return [_holding(h) for h in record["householdHoldings"] or ()]
        case ViewPart.HOLDINGS:
            return [_holding(h) for h in record["holdings"] or ()]
        case ViewPart.BENEFICIARY_OF:
            return [_holding(h) for h in record["beneficiaryOf"] or ()]
        case ViewPart.ANCESTORS:
            return [organization_from_props(p) for p in record["ancestors"] or ()]
        case ViewPart.CHILDREN:
            return [organization_from_props(p) for p in record["children"] or ()]
        case ViewPart.PEOPLE:
            assert isinstance(args, PeopleArgs)
            return _people_page(record, args)
        case ViewPart.ORGANIZATION_HOLDINGS:
            return [_holding(h) for h in record["organizationHoldings"] or ()]
        case ViewPart.OPEN_OPPORTUNITIES:
            return [_opportunity(o) for o in record["openOpportunities"] or ()]
        case ViewPart.EVENTS:
            return [_event(e) for e in record["events"] or ()]
        case ViewPart.INTERACTIONS:
            assert isinstance(args, InteractionsArgs)
            return _interactions_page(record, args)
        case ViewPart.SIGNALS:
            as_of = args.as_of if isinstance(args, SignalsArgs) and args.as_of else today()
            return s.signals(
                party,
                to_datetime(record["lastInteractionAt"]),
                as_of,
                window_days=settings.sleeping_days,
                escalation_days=settings.sleeping_escalation_days,
                compliance_threshold=settings.profile_compliance_threshold,
            )
        case ViewPart.COVERAGE:
            return [coverage_from_map(c) for c in record["coverage"] or ()]
        case ViewPart.RELATIONSHIPS:
            return [_relationship(r) for r in record["relationships"] or ()]
        case ViewPart.ACCOUNT_TEAMS:
            return [_account_team(t) for t in record["accountTeams"] or ()]
    raise AssertionError(f"unhandled view part {part}")


# The view's mappings, for the other readers of the same map shapes (services/nodes.py).
holding_from_map = _holding
opportunity_from_map = _opportunity
interaction_from_map = _interaction
event_from_map = _event


# ----- access control on the parts -----


def _holding_for(access: Access, h: v.Holding) -> v.Holding:
    beneficiaries = tuple(b for b in h.beneficiaries if access.sees(b.person.id))
    return h if beneficiaries == h.beneficiaries else replace(h, beneficiaries=beneficiaries)


def _personal_holding_shown(access: Access, h: v.Holding) -> bool:
    """A holding is shown when its holder is visible and, for a person, when the person's
    sensitive fields are open: a person's holdings are personal information."""
    holder = h.holder
    if not access.sees(holder.id):
        return False
    return not isinstance(holder, m.Person) or access.sees_sensitive(holder.id)


def holding_shown(access: Access, h: v.Holding) -> v.Holding | None:
    """A holding as the viewer may see it, None when not at all (the view's rule)."""
    if access.unrestricted:
        return h
    return _holding_for(access, h) if _personal_holding_shown(access, h) else None


# Family links and personal holdings: masked with the person's sensitive fields.
_SENSITIVE_PARTS = frozenset(
    (ViewPart.HOUSEHOLD, ViewPart.HOUSEHOLD_HOLDINGS, ViewPart.HOLDINGS, ViewPart.BENEFICIARY_OF)
)


def restrict_part(part: ViewPart, party: m.Party, value: Any, access: Access) -> Any:
    """The part as the viewer may see it (`graph_api/domain/access.py` has the rules)."""
    if access.unrestricted or isinstance(value, NotFound):
        return value
    sees = access.sees
    if part in _SENSITIVE_PARTS and not access.sees_sensitive(party.id):
        return []
    match part:
        case ViewPart.HOUSEHOLD:
            return [x for x in value if sees(x.person.id)]
        case (
            ViewPart.HOUSEHOLD_HOLDINGS
            | ViewPart.HOLDINGS
            | ViewPart.BENEFICIARY_OF
            | ViewPart.ORGANIZATION_HOLDINGS
        ):
            return [_holding_for(access, h) for h in value if _personal_holding_shown(access, h)]
        case ViewPart.EMPLOYMENTS:
            return [e for e in value if sees(e.organization.id)]
        case ViewPart.MANAGERS | ViewPart.DIRECT_REPORTS | ViewPart.ANCESTORS | ViewPart.CHILDREN:
            return [p for p in value if sees(p.id)]
        case ViewPart.RELATIONSHIPS:
            return [r for r in value if sees(r.party.id)]
        case ViewPart.ACCOUNT_TEAMS:
            return [t for t in value if sees(t.account.id)]
        case ViewPart.INTERACTIONS:
            # An interaction may be about another account's opportunity: not named then.
            return replace(
                value,
                edges=tuple(
                    e
                    if e.node.opportunity is None or sees(e.node.opportunity.account_id or "")
                    else replace(e, node=replace(e.node, opportunity=None))
                    for e in value.edges
                ),
            )
        case ViewPart.OPEN_OPPORTUNITIES:
            return [
                replace(o, buying_centre=tuple(b for b in o.buying_centre if sees(b.person.id)))
                for o in value
                if sees(o.account.id)
            ]
        case ViewPart.SIGNALS if isinstance(party, m.Person) and not access.sees_sensitive(
            party.id
        ):
            # The profile's missing fields would tell whether a masked field is filled.
            profile = s.profile_completeness(
                party, value.profile.threshold, masked=SENSITIVE_PERSON_FIELDS
            )
            return replace(value, profile=profile)
    # PEOPLE is filtered by the query itself; the other parts show no other party.
    return value
