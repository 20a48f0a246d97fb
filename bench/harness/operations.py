"""The operations the benchmark drives, their GraphQL, and the arguments each request gets.

Arguments are drawn once per data set with a fixed seed from what the database holds, so
every run (and ours and the peer's) asks the same questions: random parties for the 360°
view and cross-sell, random organizations for the org chart, names of random people for
search, the 2,000-person key account for keyDeciders, and pairs of parties two links apart
(so a path exists) for relationshipPath.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from neo4j import Driver

from bench.harness import account
from bench.harness.config import PEER_DIR
from bench.harness.database import q

# The 360° view of the README's example, with ids beside names so that answers compare.
VIEW360 = """
query View360($id: ID!) {
  party(id: $id) {
    id
    name
    signals(asOf: "2026-11-01") {
      tier grade radCell
      sleeping { daysSinceLastInteraction sleeping escalated escalateTo }
      profile { score compliant flagged missingFields { field points } }
    }
    interactions(first: 10) {
      totalCount
      edges { cursor node { at kind subject reps { id name } } }
      pageInfo { hasNextPage endCursor }
    }
    coverage { rep { id name } strength kind }
    relationships { kind party { id name } strength }
    accountTeams { name account { id name } members { rep { id name } role } }
    ... on Person {
      employments { organization { id name } title department }
      managers { id name }
      directReports { id name }
      household { person { id name } relation }
      householdHoldings {
        holder { id name } householdRelation product { id name } amount
        beneficiaries { person { id name } share }
      }
    }
    ... on Organization {
      ancestors { id name }
      children { id name }
      people(first: 20, includeSubsidiaries: true) {
        totalCount edges { node { id name } title organization { id name } }
      }
      holdings(includeSubsidiaries: true) { holder { id name } product { id name } }
      openOpportunities {
        id name stage probability amount closeDate
        buyingCentre { person { id name } role attitude }
      }
      events { id title date }
    }
  }
}
"""

PEER_VIEW360 = (PEER_DIR / "view360.graphql").read_text(encoding="utf-8")

ORG_CHART = """
query OrgChart($id: ID!) {
  orgChart(organizationId: $id, depth: 3, includeInfluence: true) {
    nodes { id person { name } title managerId level role attitude influence
            coverage { rep { name } strength } external }
    edges { source target type strength }
    subCharts { organization { name } parentId nodeIds }
  }
}
"""

# As-of cells (issue 14.2): the same questions of the graph as it was on one past day (the
# generator's history spans the three years before its reference day).
AS_OF_DAY = "2025-06-01"
ORG_CHART_AS_OF = ORG_CHART.replace(
    "includeInfluence: true", f'includeInfluence: true, asOf: "{AS_OF_DAY}"'
)

SEARCH = """
query Search($text: String!) {
  search(text: $text, first: 10) {
    totalCount
    edges { cursor score node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

KEY_DECIDERS = """
query KeyDeciders($id: ID!) {
  keyDeciders(accountId: $id, includeSubsidiaries: true, limit: 10) {
    rank score explanation person { id name } role attitude level
    parts { component value contribution } coverage { rep { name } strength }
  }
}
"""

RELATIONSHIP_PATH = """
query Path($from: ID!, $to: ID!) {
  relationshipPath(fromId: $from, toId: $to, maxHops: 4, limit: 3) {
    weight hops explanation nodes { id kind label } links { source target type label strength }
  }
}
"""

# The same 360° view as of that day (party(id, asOf)); signals keep their own pinned day.
VIEW360_AS_OF = VIEW360.replace("View360($id: ID!)", "View360AsOf($id: ID!)").replace(
    "party(id: $id)", f'party(id: $id, asOf: "{AS_OF_DAY}")'
)
KEY_DECIDERS_AS_OF = KEY_DECIDERS.replace("limit: 10", f'limit: 10, asOf: "{AS_OF_DAY}"')
RELATIONSHIP_PATH_AS_OF = RELATIONSHIP_PATH.replace("limit: 3", f'limit: 3, asOf: "{AS_OF_DAY}"')

CROSS_SELL = """
query CrossSell($id: ID!) {
  crossSell(partyId: $id, limit: 10) {
    popularityFallback
    suggestions { rank score kinds product { id name }
      evidence { kind probability reason path { explanation nodes { id kind label }
                                                links { source target type label } } } }
  }
}
"""


@dataclass(frozen=True)
class Parameters:
    """What the requests of one data set ask about."""

    parties: list[str]
    organizations: list[str]
    search_texts: list[str]
    path_pairs: list[tuple[str, str]]
    key_account: str
    key_account_people: int


@dataclass(frozen=True)
class Operation:
    name: str
    # "ours" (the service, its analysis cache off), "ours-warm" (a second service with the
    # cache on, as configured by default) or "peer"
    target: str
    query: str
    variables: Callable[[Parameters], list[dict[str, Any]]]
    description: str
    # A mixed cell: the operation one more client runs in a loop, on the same server, while
    # this one is measured.
    background: str | None = None

    def bodies(self, params: Parameters) -> list[bytes]:
        return self.bodies_for(self.variables(params))

    def bodies_for(self, variables: list[dict[str, Any]]) -> list[bytes]:
        return [orjson.dumps({"query": self.query, "variables": v}) for v in variables]


def _ids(key: str) -> Callable[[Parameters], list[dict[str, Any]]]:
    def build(p: Parameters) -> list[dict[str, Any]]:
        values: list[str] = getattr(p, key)
        return [{"id": v} for v in values]

    return build


# The same view of 100 parties at once (`parties(ids:)`, one round trip for the batch).
BATCH_SIZE = 100
BATCH360 = VIEW360.replace("View360($id: ID!)", "Batch360($ids: [ID!]!)").replace(
    "party(id: $id)", "parties(ids: $ids)"
)


def _batches(p: Parameters) -> list[dict[str, Any]]:
    ids = p.parties
    return [{"ids": ids[i : i + BATCH_SIZE]} for i in range(0, len(ids), BATCH_SIZE)]


FLOOR = "query Floor { __typename }"

# A portfolio page (issue 15.5): 20 parties of a filtered list over the whole graph (an
# admin's: the order's index walked from the start), with what a list screen shows.
PORTFOLIO = """
query Portfolio($filter: PortfolioFilterInput, $order: PortfolioOrder!) {
  portfolio(filter: $filter, orderBy: $order, first: 20) {
    edges { cursor node { id kind name tier grade ... on Organization { radCell industry } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
PORTFOLIO_LISTS: tuple[dict[str, Any], ...] = (
    {"filter": None, "order": "NAME"},
    {"filter": {"sleeping": True}, "order": "LAST_FOLLOW_UP"},
    {"filter": {"belowCompliance": True}, "order": "PROFILE_SCORE"},
    {"filter": {"escalation": "MANAGEMENT"}, "order": "NAME"},
    {"filter": {"kinds": ["ORGANIZATION"], "tier": "STRATEGIC"}, "order": "NAME_DESC"},
    {"filter": {"decisionLayerGap": "UNCOVERED"}, "order": "NAME"},
)

OPERATIONS: tuple[Operation, ...] = (
    Operation("view360", "ours", VIEW360, _ids("parties"), "party(id): the full 360° view"),
    Operation(
        "view360-asOf",
        "ours",
        VIEW360_AS_OF,
        _ids("parties"),
        f"the same view as of {AS_OF_DAY} (party(id, asOf): links valid that day)",
    ),
    Operation(
        "batch360",
        "ours",
        BATCH360,
        _batches,
        "parties(ids:) with 100 ids: the full view of 100 random parties in one request",
    ),
    Operation(
        "view360-peer",
        "peer",
        PEER_VIEW360,
        _ids("parties"),
        "the same view from @neo4j/graphql",
    ),
    Operation(
        "floor",
        "ours",
        FLOOR,
        lambda p: [{}],
        "{ __typename }: the HTTP + GraphQL stack alone, no database",
    ),
    Operation(
        "floor-peer",
        "peer",
        FLOOR,
        lambda p: [{}],
        "{ __typename } on the peer",
    ),
    Operation(
        "orgChart",
        "ours",
        ORG_CHART,
        _ids("organizations"),
        "orgChart(depth 3, influence) of a random organization",
    ),
    Operation(
        "orgChart-asOf",
        "ours",
        ORG_CHART_AS_OF,
        _ids("organizations"),
        f"the same orgChart as of {AS_OF_DAY} (current and closed links valid that day)",
    ),
    Operation(
        "search",
        "ours",
        SEARCH,
        lambda p: [{"text": t} for t in p.search_texts],
        "search(first 10) for a random person's name (Chinese) or alias prefix",
    ),
    Operation(
        "keyDeciders",
        "ours",
        KEY_DECIDERS,
        lambda p: [{"id": p.key_account}],
        "keyDeciders(includeSubsidiaries, limit 10) of the 2,000-person account, cold: the "
        "service's analysis cache off (GRAPH_API_DECIDERS_CACHE_SIZE=0), every request reads "
        "and scores the account",
    ),
    Operation(
        "keyDeciders-warm",
        "ours-warm",
        KEY_DECIDERS,
        lambda p: [{"id": p.key_account}],
        "the same, warm: a service with the analysis cache on (the default size); a repeated "
        "question costs the graph-version check and the answer's words",
    ),
    Operation(
        "view360+keyDeciders",
        "ours",
        VIEW360,
        _ids("parties"),
        "party(id) as view360, while one more client calls keyDeciders (cold) in a loop on "
        "the same service: does one heavy request stall the light ones?",
        background="keyDeciders",
    ),
    Operation(
        "keyDeciders-asOf",
        "ours",
        KEY_DECIDERS_AS_OF,
        lambda p: [{"id": p.key_account}],
        f"the same keyDeciders as of {AS_OF_DAY}",
    ),
    Operation(
        "relationshipPath",
        "ours",
        RELATIONSHIP_PATH,
        lambda p: [{"from": a, "to": b} for a, b in p.path_pairs],
        "relationshipPath(maxHops 4, limit 3) between parties two links apart",
    ),
    Operation(
        "relationshipPath-asOf",
        "ours",
        RELATIONSHIP_PATH_AS_OF,
        lambda p: [{"from": a, "to": b} for a, b in p.path_pairs],
        f"the same relationshipPath as of {AS_OF_DAY}",
    ),
    Operation(
        "crossSell",
        "ours",
        CROSS_SELL,
        _ids("parties"),
        "crossSell(limit 10) of a random party",
    ),
    Operation(
        "portfolio",
        "ours",
        PORTFOLIO,
        lambda p: list(PORTFOLIO_LISTS),
        "portfolio(first 20): the first page of six filtered lists over the whole graph",
    ),
)
OPERATION_BY_NAME = {o.name: o for o in OPERATIONS}
OPERATION_NAMES = (*OPERATION_BY_NAME, "import")


def draw_parameters(driver: Driver, seed: int, n: int = 2000) -> Parameters:
    """The arguments of every request of one data set (deterministic for a seed)."""
    rng = random.Random(seed)
    party_ids = [r["id"] for r in driver.execute_query(q("party_ids")).records]
    generated = [i for i in party_ids if not i.startswith("bench-acct-")]
    parties = rng.sample(generated, min(n, len(generated)))
    org_ids = [
        r["id"]
        for r in driver.execute_query(q("organization_ids")).records
        if not r["id"].startswith("bench-acct-")
    ]
    organizations = rng.sample(org_ids, min(n, len(org_ids)))
    named = driver.execute_query(q("person_names"), ids=parties).records  # people only
    texts: list[str] = []
    for r in named:
        aliases = r["aliases"] or []
        if aliases and rng.random() < 0.5:
            texts.append(str(aliases[0]).split()[0][:3])  # a Latin prefix: "Zha"
        else:
            texts.append(str(r["name"]))  # every character must match: 张伟
    starts = parties[: n // 2]
    one = {
        r["id"]: r["others"] for r in driver.execute_query(q("path_neighbours"), ids=starts).records
    }
    middles = sorted({m for others in one.values() for m in others})
    two = {
        r["id"]: r["others"]
        for r in driver.execute_query(q("path_neighbours"), ids=middles).records
    }
    pairs: list[tuple[str, str]] = []
    for start in starts:
        firsts = one.get(start, [])
        if not firsts:
            continue
        middle = rng.choice(firsts)
        ends = [e for e in two.get(middle, []) if e != start and e not in firsts]
        if ends:
            pairs.append((start, rng.choice(ends)))
    pairs.append((account.MANAGER_ID, account.CEO_ID))
    people_in_account = driver.execute_query(q("account_people"), id=account.ACCOUNT_ID)
    return Parameters(
        parties=parties,
        organizations=organizations,
        search_texts=texts,
        path_pairs=pairs,
        key_account=account.ACCOUNT_ID,
        key_account_people=int(people_in_account.records[0]["people"]),
    )
