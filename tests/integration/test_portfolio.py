"""Portfolio lists (issue 15.5) on generated data: every filter and order against the sets
and sequences derived here, in Python, from the generated document itself (not from the
service's code), paged by keyset; bad input; writes keeping the derived properties current.

The expected answers follow the rules stated in DOMAIN.md and docs: a party sleeps when its
last follow-up (the newest interaction's UTC day, else customerSince, else never) is at least
60 days old, escalates at 90 (to the head of sales at grade 5); a profile is non-compliant
below 60 points; an account's declared decision layer is the people marked DECISION_MAKER or
APPROVER on it or one of its opportunities: NO_SUPPORTER when it has people and none is
marked SUPPORTER there, UNCOVERED when one of them has no rep's COVERS link; the RAD cell
crosses SOW (revenue / BP, else shareOfWallet) with BP.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio

from graph_api.bulk.load import import_path
from graph_api.cli import main
from graph_api.store import neo4j_store
from tests.conftest import Database, GraphQLClient, data_of, error_codes

EPOCH = date(1970, 1, 1)
TODAY = datetime.now(UTC).date()
DAY = (TODAY - EPOCH).days

# The profile points of DOMAIN.md's 客户画像打分 as the README states them (100 in all).
PERSON_POINTS = {
    "name": 10, "phone": 15, "email": 10, "homeAddress": 10, "birthDate": 10,
    "occupation": 10, "preferredChannel": 10, "gender": 5, "city": 5, "region": 5,
    "preferredTime": 5, "source": 5,
}  # fmt: skip
ORGANIZATION_POINTS = {
    "name": 10, "industry": 15, "region": 10, "address": 10, "phone": 10, "employees": 10,
    "annualPurchase": 10, "orgType": 5, "city": 5, "website": 5, "shareOfWallet": 5,
    "preferredChannel": 5,
}  # fmt: skip


@dataclass
class Expected:
    """What the generated document says about each party, worked out by hand's rules."""

    kind: dict[str, str] = field(default_factory=dict)
    row: dict[str, dict[str, Any]] = field(default_factory=dict)
    score: dict[str, int] = field(default_factory=dict)
    day: dict[str, int] = field(default_factory=dict)
    rad: dict[str, str | None] = field(default_factory=dict)
    no_supporter: set[str] = field(default_factory=set)
    uncovered: set[str] = field(default_factory=set)
    marked: set[str] = field(default_factory=set)
    covered: set[str] = field(default_factory=set)
    team_accounts: dict[str, set[str]] = field(default_factory=dict)
    rep_book: dict[str, set[str]] = field(default_factory=dict)

    def ids(self, keep: Callable[[str], bool] = lambda _: True) -> set[str]:
        return {p for p in self.kind if keep(p)}

    def by_name(self, ids: set[str]) -> list[str]:
        return sorted(ids, key=lambda p: (self.row[p]["name"], p))


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _rad(row: dict[str, Any]) -> str | None:
    bp, revenue, given = row.get("annualPurchase"), row.get("revenue"), row.get("shareOfWallet")
    sow = revenue / bp if revenue is not None and bp else given
    if bp is None or sow is None:
        return None
    column = "1" if bp > 1_000_000 else "2" if bp >= 500_000 else "3"
    return ("R" if sow > 0.5 else "D" if sow >= 0.1 else "A") + column


def expected_from(doc: dict[str, Any]) -> Expected:
    e = Expected()
    for kind, section, points in (
        ("PERSON", "people", PERSON_POINTS),
        ("ORGANIZATION", "organizations", ORGANIZATION_POINTS),
    ):
        for row in doc[section]:
            pid = row["id"]
            e.kind[pid], e.row[pid] = kind, row
            e.score[pid] = sum(p for f, p in points.items() if _filled(row.get(f)))
            e.rad[pid] = _rad(row) if kind == "ORGANIZATION" else None
    last: dict[str, date] = {}
    for i in doc["interactions"]:
        on = datetime.fromisoformat(i["at"]).astimezone(UTC).date()
        for pid in i["partyIds"]:
            last[pid] = max(last.get(pid, on), on)
    for pid, row in e.row.items():
        since = row.get("customerSince")
        followed = last.get(pid) or (date.fromisoformat(since) if since else None)
        e.day[pid] = (followed - EPOCH).days if followed else 0
    opportunity_account = {o["id"]: o["accountId"] for o in doc["opportunities"]}
    marks: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for b in doc["buyingRoles"]:
        account = b.get("accountId") or opportunity_account[b["opportunityId"]]
        marks[account][b["personId"]].append(b)
    covered = {c["personId"] for c in doc["coverage"]}
    e.marked, e.covered = set(marks), covered
    for account, people in marks.items():
        layer = [
            p
            for p, ms in people.items()
            if any(m.get("role") in ("DECISION_MAKER", "APPROVER") for m in ms)
        ]
        if layer and not any(m.get("attitude") == "SUPPORTER" for p in layer for m in people[p]):
            e.no_supporter.add(account)
        if any(p not in covered for p in layer):
            e.uncovered.add(account)
    for t in doc["teamAccounts"]:
        e.team_accounts.setdefault(t["teamId"], set()).add(t["partyId"])
    teams_of: dict[str, set[str]] = defaultdict(set)
    for mbr in doc["teamMembers"]:
        teams_of[mbr["repId"]].add(mbr["teamId"])
    for t in doc["accountTeams"]:
        if t.get("managerId"):
            teams_of[t["managerId"]].add(t["id"])
    for rep in doc["reps"]:
        book = {c["personId"] for c in doc["coverage"] if c["repId"] == rep["id"]}
        for t in teams_of[rep["id"]]:
            book |= e.team_accounts.get(t, set())
        e.rep_book[rep["id"]] = book
    return e


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("portfolio") / "gen.json"
    assert main(["generate", "--parties", "300", "--seed", "7", str(path)]) == 0
    return path, orjson.loads(path.read_bytes())


@pytest_asyncio.fixture
async def loaded(db: Database, generated: tuple[Path, dict[str, Any]]) -> AsyncIterator[Expected]:
    path, doc = generated
    if db.state != "portfolio-7":
        await db.store.clear(everything=True)
        report = await import_path(db.store, path)
        assert not report.problems
        db.state = "portfolio-7"
    yield expected_from(doc)


LIST = """
query ($filter: PortfolioFilterInput, $order: PortfolioOrder!, $first: Int, $after: String) {
  portfolio(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


async def every_page(
    gql: GraphQLClient, flt: dict[str, Any] | None = None, order: str = "NAME", first: int = 7
) -> list[str]:
    """The whole list, page by page (each page's cursor taken from the one before)."""
    ids: list[str] = []
    after = None
    for _ in range(200):
        body = await gql(LIST, {"filter": flt, "order": order, "first": first, "after": after})
        page = data_of(body)["portfolio"]
        ids += [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the list did not end")


async def test_orders_page_through_every_party_in_order(
    loaded: Expected, gql: GraphQLClient
) -> None:
    e = loaded
    everyone = e.ids()
    assert await every_page(gql, None, "NAME") == e.by_name(everyone)
    assert await every_page(gql, None, "NAME_DESC", 11) == sorted(
        everyone, key=lambda p: (_neg(e.row[p]["name"]), p)
    )
    assert await every_page(gql, None, "PROFILE_SCORE") == sorted(
        everyone, key=lambda p: (e.score[p], p)
    )
    assert await every_page(gql, None, "PROFILE_SCORE_DESC", 13) == sorted(
        everyone, key=lambda p: (-e.score[p], p)
    )
    assert await every_page(gql, None, "LAST_FOLLOW_UP", 20) == sorted(
        everyone, key=lambda p: (e.day[p], p)
    )
    assert await every_page(gql, None, "LAST_FOLLOW_UP_DESC", 20) == sorted(
        everyone, key=lambda p: (-e.day[p], p)
    )


def _neg(name: str) -> tuple[int, ...]:
    # Descending by code points, a shorter name after the longer one it starts.
    return (*(-ord(c) for c in name), 1)


def current_day() -> int:
    """Today (UTC) as days since 1970-01-01: the day the service's sleeping filters count from."""
    return (datetime.now(UTC).date() - EPOCH).days


async def test_each_filter_gives_the_derived_set(loaded: Expected, gql: GraphQLClient) -> None:
    day = current_day()
    wrong = await filter_mismatches(loaded, gql, day)
    if wrong and current_day() != day:
        # Midnight (UTC) came while the lists were read: the service's day moved on; every
        # list must then be right for the new day.
        wrong = await filter_mismatches(loaded, gql, current_day())
    assert wrong == []


async def filter_mismatches(e: Expected, gql: GraphQLClient, day: int) -> list[dict[str, Any]]:
    """The filters whose list is not the set derived for that day (day)."""
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"kinds": ["ORGANIZATION"]}, e.ids(lambda p: e.kind[p] == "ORGANIZATION")),
        ({"tier": "STRATEGIC"}, e.ids(lambda p: e.row[p].get("tier") == "STRATEGIC")),
        ({"grades": [4, 5]}, e.ids(lambda p: e.row[p].get("grade") in (4, 5))),
        ({"region": "华北"}, e.ids(lambda p: e.row[p].get("region") == "华北")),
        ({"industry": "零售"}, e.ids(lambda p: e.row[p].get("industry") == "零售")),
        ({"sleeping": True}, e.ids(lambda p: e.day[p] <= day - 60)),
        ({"sleeping": False}, e.ids(lambda p: e.day[p] > day - 60)),
        ({"escalation": "NONE"}, e.ids(lambda p: e.day[p] > day - 90)),
        (
            {"escalation": "MANAGEMENT"},
            e.ids(lambda p: e.day[p] <= day - 90 and (e.row[p].get("grade") or 0) < 5),
        ),
        (
            {"escalation": "HEAD_OF_SALES"},
            e.ids(lambda p: e.day[p] <= day - 90 and e.row[p].get("grade") == 5),
        ),
        ({"belowCompliance": True}, e.ids(lambda p: e.score[p] < 60)),
        ({"decisionLayerGap": "NO_SUPPORTER"}, e.no_supporter),
        ({"decisionLayerGap": "UNCOVERED"}, e.uncovered),
        (
            {"sleeping": True, "kinds": ["PERSON"], "grades": [3, 4, 5]},
            e.ids(
                lambda p: (
                    e.day[p] <= day - 60
                    and e.kind[p] == "PERSON"
                    and e.row[p].get("grade") in (3, 4, 5)
                )
            ),
        ),
    ]
    for cell in sorted({c for c in e.rad.values() if c}):
        cases.append(({"radCell": cell}, {p for p, c in e.rad.items() if c == cell}))
    for team, accounts in e.team_accounts.items():
        cases.append(({"team": team}, accounts))
        cases.append(({"team": team, "kinds": ["PERSON"]}, set()))
    for rep, book in e.rep_book.items():
        if book:
            cases.append(({"coveredByRep": rep}, book))
    # The data must exercise the filters: none of these lists may be trivially empty.
    for flt in ({"sleeping": True}, {"decisionLayerGap": "UNCOVERED"}, {"belowCompliance": True}):
        assert next(exp for f, exp in cases if f == flt), flt
    return [flt for flt, exp in cases if await every_page(gql, flt, "NAME", 100) != e.by_name(exp)]


async def test_rad_matrix_counts_the_book(loaded: Expected, gql: GraphQLClient) -> None:
    e = loaded
    query = "query ($f: PortfolioFilterInput) { radMatrix(filter: $f) { cell count } }"
    cells = [f"{r}{c}" for r in "RDA" for c in "123"]
    body = data_of(await gql(query, {"f": None}))["radMatrix"]
    assert body == [{"cell": c, "count": sum(v == c for v in e.rad.values())} for c in cells]
    team, accounts = next(iter(e.team_accounts.items()))
    body = data_of(await gql(query, {"f": {"team": team}}))["radMatrix"]
    assert body == [{"cell": c, "count": sum(e.rad[a] == c for a in accounts)} for c in cells]


async def test_bad_input_names_the_field(loaded: Expected, gql: GraphQLClient) -> None:
    for flt, fld in (
        ({"radCell": "Z9"}, "filter.radCell"),
        ({"grades": [0]}, "filter.grades"),
        ({"grades": []}, "filter.grades"),
        ({"region": ""}, "filter.region"),
        ({"kinds": []}, "filter.kinds"),
    ):
        body = await gql(LIST, {"filter": flt, "order": "NAME", "first": 5})
        assert error_codes(body) == ["INVALID_INPUT"], flt
        assert body["errors"][0]["extensions"]["field"] == fld
    body = await gql(LIST, {"order": "NAME", "first": 0})
    assert error_codes(body) == ["INVALID_INPUT"]
    first = data_of(await gql(LIST, {"order": "NAME", "first": 2}))["portfolio"]
    cursor = first["pageInfo"]["endCursor"]
    # A cursor of another order or other filters is refused, garbage too.
    for variables in (
        {"order": "PROFILE_SCORE", "after": cursor},
        {"order": "NAME", "after": cursor, "filter": {"sleeping": True}},
        {"order": "NAME", "after": "not-a-cursor"},
    ):
        body = await gql(LIST, {"first": 2, **variables})
        assert error_codes(body) == ["INVALID_INPUT"], variables
        assert body["errors"][0]["extensions"]["field"] == "after"


_DERIVED = (
    "profileScore",
    "lastInteractionAt",
    "followUpDay",
    "radCell",
    "decisionLayerNoSupporter",
    "decisionLayerUncovered",
)


async def derived_properties(db: Database) -> dict[str, list[Any]]:
    rows = await db.store.read(
        "MATCH (x:Party) RETURN x.id AS id, [k IN $keys | x[k]] AS props ORDER BY id",
        {"keys": list(_DERIVED)},
    )
    return {r["id"]: r["props"] for r in rows}


async def test_migration_refreshes_parties_without_the_properties_in_batches(
    loaded: Expected, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The properties the import left (the filters' expectations above are derived by hand
    # from the same document), then every party without them, as a database written before
    # they existed: the migration gives each party its own again, batch after batch of 7 in
    # id order (300 parties: 43 batches; a batch that missed or repeated a party would leave
    # one without its properties or loop).
    before = await derived_properties(db)
    assert len(before) == 300 and all(p[0] is not None for p in before.values())
    db.dirty()
    await db.store.write(
        "MATCH (x:Party) REMOVE x.profileScore, x.lastInteractionAt, x.followUpDay, x.radCell, "
        "x.decisionLayerNoSupporter, x.decisionLayerUncovered"
    )
    monkeypatch.setattr(neo4j_store, "PORTFOLIO_BATCH", 7)
    await db.store.migrate()
    assert await derived_properties(db) == before
    db.state = "portfolio-7"  # as loaded again


async def test_writes_keep_the_derived_properties_current(
    loaded: Expected, db: Database, gql: GraphQLClient
) -> None:
    e = loaded
    db.dirty()
    asleep = e.by_name(e.ids(lambda p: e.day[p] <= DAY - 60 and e.kind[p] == "PERSON"))[0]
    body = await gql(
        "mutation ($i: CreateInteractionInput!) { createInteraction(input: $i) { __typename } }",
        {
            "i": {
                "id": "i-portfolio-test",
                "kind": "CALL",
                "at": datetime.now(UTC).isoformat(),
                "partyIds": [asleep],
            }
        },
    )
    data_of(body)
    sleeping = await every_page(gql, {"sleeping": True}, "NAME", 50)
    assert asleep not in sleeping
    assert (await every_page(gql, None, "LAST_FOLLOW_UP_DESC", 3))[0] == asleep

    # A decider marked on an account with no marks yet: unsupported and uncovered at once;
    # covered by a rep: only unsupported; then a supporter: neither.
    account = e.by_name(e.ids(lambda p: e.kind[p] == "ORGANIZATION" and p not in e.marked))[0]
    person = e.by_name(e.ids(lambda p: e.kind[p] == "PERSON" and p not in e.covered))[0]
    role = "mutation ($i: BuyingRoleInput!) { setBuyingRole(input: $i) { __typename } }"
    cover = "mutation ($i: CoverageInput!) { setCoverage(input: $i) { __typename } }"

    async def gaps() -> set[str]:
        return {
            g
            for g in ("NO_SUPPORTER", "UNCOVERED")
            if account in await every_page(gql, {"decisionLayerGap": g}, "NAME", 50)
        }

    assert await gaps() == set()
    marker = {"personId": person, "accountId": account, "role": "DECISION_MAKER"}
    data_of(await gql(role, {"i": {**marker, "attitude": "NEUTRAL"}}))
    assert await gaps() == {"NO_SUPPORTER", "UNCOVERED"}
    rep = sorted(e.rep_book)[0]
    data_of(await gql(cover, {"i": {"repId": rep, "personId": person, "strength": 0.8}}))
    assert await gaps() == {"NO_SUPPORTER"}
    data_of(await gql(role, {"i": {**marker, "attitude": "SUPPORTER", "expectedVersion": 1}}))
    assert await gaps() == set()

    # A profile field filled by an update moves the party's score, and its place.
    org = e.by_name(e.ids(lambda p: e.kind[p] == "ORGANIZATION" and not e.row[p].get("website")))
    if org:
        target = org[0]
        version = data_of(await gql(f'{{ party(id: "{target}") {{ version }} }}'))["party"]
        update = """mutation ($i: UpdateOrganizationInput!) {
          updateOrganization(input: $i) { __typename } }"""
        data_of(
            await gql(
                update,
                {
                    "i": {
                        "id": target,
                        "expectedVersion": version["version"],
                        "website": "https://example.cn",
                    }
                },
            )
        )
        scores = await every_page(gql, {"kinds": ["ORGANIZATION"]}, "PROFILE_SCORE", 50)
        e.score[target] += ORGANIZATION_POINTS["website"]
        orgs = e.ids(lambda p: e.kind[p] == "ORGANIZATION")
        assert scores == sorted(orgs, key=lambda p: (e.score[p], p))


async def test_an_interaction_dated_ahead_is_no_follow_up_until_its_day(
    loaded: Expected, db: Database, gql: GraphQLClient
) -> None:
    # domain/signals.py `sleeping` counts the interactions before the end of today (UTC): one
    # dated 30 days ahead leaves a sleeping customer sleeping (in the list, in its place by
    # follow-up, and not "cleared" by the write), until its day comes and the party is
    # refreshed (`refresh_due`, which the service runs every few minutes).
    e = loaded
    db.dirty()
    asleep = e.by_name(e.ids(lambda p: e.day[p] <= DAY - 60 and e.kind[p] == "PERSON"))[0]
    ahead = datetime.combine(TODAY + timedelta(days=30), time(9), tzinfo=UTC)
    body = await gql(
        """mutation ($i: CreateInteractionInput!) {
             createInteraction(input: $i) { sleepingCleared } }""",
        {
            "i": {
                "id": "i-portfolio-ahead",
                "kind": "MEETING",
                "at": ahead.isoformat(),
                "partyIds": [asleep],
            }
        },
    )
    assert data_of(body)["createInteraction"]["sleepingCleared"] == []
    assert asleep in await every_page(gql, {"sleeping": True}, "NAME", 100)
    by_day = await every_page(gql, None, "LAST_FOLLOW_UP", 100)
    assert by_day == sorted(e.ids(), key=lambda p: (e.day[p], p))
    stored = await db.store.read(
        "MATCH (x:Party {id: $id}) RETURN x.followUpDay AS day, x.nextInteractionDay AS next",
        {"id": asleep},
    )
    assert (stored[0]["day"], stored[0]["next"]) == (e.day[asleep], DAY + 30)

    # The day before it nothing is due; on its day the interaction is the last follow-up.
    assert await db.store.refresh_due(TODAY + timedelta(days=29)) == 0
    assert await db.store.refresh_due(TODAY + timedelta(days=30)) == 1
    stored = await db.store.read(
        "MATCH (x:Party {id: $id}) RETURN x.followUpDay AS day, x.nextInteractionDay AS next",
        {"id": asleep},
    )
    assert (stored[0]["day"], stored[0]["next"]) == (DAY + 30, None)
    assert asleep not in await every_page(gql, {"sleeping": True}, "NAME", 100)
