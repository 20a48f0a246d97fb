"""Latency of the 360° view over HTTP: median/p95/p99 of `party(id)` with the whole view.

    # 1. a generated data set (until `graph-api generate` exists, this script's own):
    .venv/bin/python bench/view360_latency.py generate --parties 100000 --out bench/data/v360.json
    # 2. load it into a Neo4j (NEO4J_URI) with the project's importer:
    NEO4J_URI=bolt://... .venv/bin/graph-api import bench/data/v360.json --reset
    # 3. measure: starts `graph-api serve` on that database (or --url for a running one)
    NEO4J_URI=bolt://... .venv/bin/python bench/view360_latency.py measure

Prints one table: the basic `party(id)` read and the full view, sequentially and with a
few concurrent clients, on the same random sample of party ids.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent


def _pairs(text: str) -> list[tuple[str, str]]:
    """'张:Zhang 王:Wang' -> [('张', 'Zhang'), ('王', 'Wang')]"""
    return [(a, b) for a, b in (item.split(":") for item in text.split())]


SURNAMES = _pairs(
    "张:Zhang 王:Wang 李:Li 赵:Zhao 刘:Liu 陈:Chen 杨:Yang 黄:Huang 周:Zhou 吴:Wu "
    "徐:Xu 孙:Sun 马:Ma 朱:Zhu 胡:Hu 郭:Guo 何:He 林:Lin 高:Gao 罗:Luo"
)
GIVEN = _pairs(
    "伟:Wei 芳:Fang 娜:Na 敏:Min 静:Jing 丽:Li 强:Qiang 磊:Lei 军:Jun 洋:Yang "
    "勇:Yong 艳:Yan 杰:Jie 涛:Tao 明:Ming 超:Chao 霞:Xia 平:Ping 刚:Gang 立:Li"
)
INDUSTRIES = ["制造业", "金融", "零售", "能源", "物流", "医药", "科技", "地产"]
REGIONS = ["华南", "华东", "华北", "华中", "西南", "西北", "东北"]
ROLES = ["DECISION_MAKER", "APPROVER", "EVALUATOR", "INFLUENCER", "USER"]
ATTITUDES = ["SUPPORTER", "NEUTRAL", "NON_SUPPORTER", "OPPONENT"]
STAGES = ["IDENTIFIED", "CONTACTED", "QUALIFIED", "DEVELOPED", "COMMITTED", "WON", "LOST"]
KINDS = ["VISIT", "CALL", "MEETING", "EMAIL", "COMPLAINT", "SERVICE"]


def _name(rng: random.Random) -> tuple[str, str]:
    s, sp = rng.choice(SURNAMES)
    parts = rng.sample(GIVEN, rng.choice((1, 2)))
    return s + "".join(g for g, _ in parts), f"{sp} {''.join(p for _, p in parts)}"


def generate(parties: int, seed: int) -> dict[str, Any]:
    """A document in the import format: 20% organizations in 5-unit groups, 80% people;
    employment skewed (a few large employers), reporting lines inside each unit,
    households, holdings, interactions, coverage, acquaintance, influence, deals."""
    rng = random.Random(seed)
    n_groups = max(1, parties // 25)  # 5 units per group -> 20% organizations
    orgs: list[dict[str, Any]] = []
    for g in range(n_groups):
        industry, region = rng.choice(INDUSTRIES), rng.choice(REGIONS)
        base = f"org-{g:05d}"
        name = f"{rng.choice(SURNAMES)[0]}{rng.choice(GIVEN)[0]}{industry[:1]}集团{g}"
        orgs.append(
            {
                "id": base,
                "name": name,
                "aliases": [f"Group {g}"],
                "orgType": "GROUP",
                "industry": industry,
                "region": region,
                "employees": rng.randint(100, 50000),
                "annualPurchase": rng.choice([200_000, 700_000, 2_000_000]),
                "shareOfWallet": round(rng.random(), 2),
                "tier": rng.choice(["STRATEGIC", "MID_STRATEGIC", "NON_STRATEGIC"]),
                "grade": rng.randint(1, 5),
            }
        )
        for s in range(2):
            sub = f"{base}-s{s}"
            orgs.append(
                {
                    "id": sub,
                    "name": f"{name}子公司{s}",
                    "orgType": "SUBSIDIARY",
                    "parentId": base,
                    "industry": industry,
                    "region": rng.choice(REGIONS),
                }
            )
            orgs.append(
                {
                    "id": f"{sub}-b",
                    "name": f"{name}子公司{s}分公司",
                    "orgType": "BRANCH",
                    "parentId": sub,
                    "industry": industry,
                    "region": rng.choice(REGIONS),
                }
            )
    n_people = parties - len(orgs)
    people: list[dict[str, Any]] = []
    for i in range(n_people):
        name, alias = _name(rng)
        p: dict[str, Any] = {"id": f"p-{i:06d}", "name": name, "aliases": [alias]}
        if rng.random() < 0.6:
            p.update(phone=f"139{i:08d}", city="深圳", region=rng.choice(REGIONS))
        if rng.random() < 0.3:
            p.update(grade=rng.randint(1, 5), customerSince="2020-01-01")
        people.append(p)

    products = [{"id": f"prod-{i:02d}", "name": f"产品{i}"} for i in range(40)]
    reps = [{"id": f"rep-{i:03d}", "name": f"销售{i}", "role": "AE"} for i in range(200)]
    teams = [
        {"id": f"team-{i:03d}", "name": f"客户组{i}", "managerId": f"rep-{i:03d}"}
        for i in range(100)
    ]
    team_members = [
        {"teamId": t["id"], "repId": f"rep-{(k * 37 + j) % 200:03d}", "role": "AE"}
        for k, t in enumerate(teams)
        for j in range(3)
    ]
    team_accounts = [
        {"teamId": f"team-{g % 100:03d}", "partyId": f"org-{g:05d}"} for g in range(0, n_groups, 2)
    ]

    # Employment, skewed: unit weight ~ Pareto, so some units have hundreds of people.
    weights = [rng.paretovariate(1.2) for _ in orgs]
    employed = [p["id"] for p in people if rng.random() < 0.6]
    employers = rng.choices([o["id"] for o in orgs], weights=weights, k=len(employed))
    employment, reporting = [], []
    staff: dict[str, list[str]] = {}
    for pid, oid in zip(employed, employers, strict=True):
        members = staff.setdefault(oid, [])
        employment.append(
            {
                "personId": pid,
                "organizationId": oid,
                "title": rng.choice(["经理", "总监", "专员", "主管"]),
                "department": rng.choice(["财务部", "采购部", "运营中心", "IT部"]),
                "primary": True,
            }
        )
        if members:
            # Mostly a flat-ish tree: report to one of the first people of the unit.
            manager = members[min(len(members) - 1, int(rng.paretovariate(1.0)) - 1)]
            reporting.append({"personId": pid, "managerId": manager})
        members.append(pid)

    # Households among everyone: pairs of spouses, some with a child.
    order = [p["id"] for p in people]
    rng.shuffle(order)
    family = []
    for k in range(0, int(len(order) * 0.5) - 2, 3):
        a, b, c = order[k], order[k + 1], order[k + 2]
        family.append({"fromId": a, "toId": b, "kind": "SPOUSE"})
        if rng.random() < 0.6:
            family.append({"fromId": a, "toId": c, "kind": "PARENT"})
            family.append({"fromId": b, "toId": c, "kind": "PARENT"})

    holdings = []
    for p in people:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            holdings.append(
                {
                    "id": f"h-{len(holdings):07d}",
                    "partyId": p["id"],
                    "productId": rng.choice(products)["id"],
                    "amount": rng.randint(1, 100) * 10000,
                    "status": "ACTIVE",
                    "since": "2021-05-01",
                }
            )
    for o in orgs:
        for _ in range(rng.choice((0, 1, 2, 4))):
            holdings.append(
                {
                    "id": f"h-{len(holdings):07d}",
                    "partyId": o["id"],
                    "productId": rng.choice(products)["id"],
                    "status": "ACTIVE",
                }
            )
    person_holdings = [h for h in holdings if h["partyId"].startswith("p-")]
    beneficiaries = [
        {"personId": rng.choice(people)["id"], "holdingId": h["id"], "share": 1.0}
        for h in rng.sample(person_holdings, min(10000, len(person_holdings)))
    ]
    beneficiaries = list({(b["personId"], b["holdingId"]): b for b in beneficiaries}.values())

    start = datetime(2025, 1, 1, tzinfo=UTC)
    all_ids = [p["id"] for p in people] + [o["id"] for o in orgs]
    emp_of = {e["personId"]: e["organizationId"] for e in employment}
    interactions = []
    for i in range(parties * 2):
        pid = rng.choice(all_ids)
        ids = [pid] + ([emp_of[pid]] if pid in emp_of and rng.random() < 0.5 else [])
        at = start + timedelta(minutes=rng.randint(0, 60 * 24 * 680))
        interactions.append(
            {
                "id": f"i-{i:07d}",
                "kind": rng.choice(KINDS),
                "at": at.isoformat(),
                "partyIds": ids,
                "repIds": [rng.choice(reps)["id"]],
                "subject": "跟进",
            }
        )

    def pairs(n: int, pool: list[str]) -> list[tuple[str, str]]:
        out: dict[tuple[str, str], None] = {}  # insertion-ordered: the same file every run
        while len(out) < n:
            a, b = rng.sample(pool, 2)
            out[(min(a, b), max(a, b))] = None
        return list(out)

    person_ids = [p["id"] for p in people]
    acquaintance = [
        {"fromId": a, "toId": b, "strength": round(rng.random(), 2), "context": "同学"}
        for a, b in pairs(parties // 2, person_ids)
    ]
    influence = [
        {"fromId": a, "toId": b, "strength": round(rng.random(), 2), "kind": "POLITICAL"}
        for a, b in pairs(parties // 10, employed)
    ]
    coverage = {
        (rng.choice(reps)["id"], pid): round(rng.random(), 2)
        for pid in rng.sample(person_ids, parties // 3)
    }
    opportunities, buying_roles = [], []
    for g in range(n_groups):
        for k in range(rng.choice((0, 1, 2))):
            oid = f"opp-{g:05d}-{k}"
            account = f"org-{g:05d}"
            opportunities.append(
                {
                    "id": oid,
                    "name": f"商机{g}-{k}",
                    "accountId": account,
                    "stage": rng.choice(STAGES),
                    "amount": rng.randint(1, 500) * 100000,
                    "closeDate": str(date(2027, 1 + k, 15)),
                    "ownerId": rng.choice(reps)["id"],
                    "productIds": [p["id"] for p in rng.sample(products, 2)],
                }
            )
            for pid in staff.get(account, [])[:4]:
                buying_roles.append(
                    {
                        "personId": pid,
                        "opportunityId": oid,
                        "role": rng.choice(ROLES),
                        "attitude": rng.choice(ATTITUDES),
                        "influence": "MEDIUM",
                    }
                )
    for oid, members in staff.items():
        for pid in members[:3]:
            buying_roles.append(
                {
                    "personId": pid,
                    "accountId": oid,
                    "role": rng.choice(ROLES),
                    "attitude": rng.choice(ATTITUDES),
                    "influence": "HIGH",
                }
            )

    return {
        "format": "relgraph-import",
        "version": 1,
        "meta": {"description": f"view360 benchmark data, {parties} parties, seed {seed}"},
        "products": products,
        "organizations": orgs,
        "people": people,
        "reps": reps,
        "accountTeams": teams,
        "teamMembers": team_members,
        "teamAccounts": team_accounts,
        "employment": employment,
        "reporting": reporting,
        "family": family,
        "holdings": holdings,
        "beneficiaries": beneficiaries,
        "interactions": interactions,
        "acquaintance": acquaintance,
        "influence": influence,
        "coverage": [{"repId": r, "personId": p, "strength": s} for (r, p), s in coverage.items()],
        "opportunities": opportunities,
        "buyingRoles": buying_roles,
    }


BASIC = "query ($id: ID!) { party(id: $id) { id kind name tier } }"

FULL = """
query ($id: ID!) {
  party(id: $id) {
    id kind name aliases tier grade
    signals { radCell sleeping { daysSinceLastInteraction sleeping escalated escalateTo }
              profile { score compliant flagged missingFields { field points } } }
    interactions(first: 20) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id kind at subject reps { id name } opportunity { id name } } }
    }
    coverage { rep { id name } strength kind }
    relationships { kind party { id name } strength influenceKind context }
    accountTeams { id name account { id } manager { id name } members { rep { id name } role } }
    ... on Person {
      phone email city
      employments { organization { id name } title department since primary }
      managers { id name } directReports { id name }
      household { person { id name } relation }
      householdHoldings { id holder { id name } householdRelation product { id name }
                          amount status beneficiaries { person { id name } share } }
      beneficiaryOf { id holder { id name } product { id name } }
    }
    ... on Organization {
      industry region radCell
      ancestors { id name } children { id name }
      people(first: 20, includeSubsidiaries: true) {
        totalCount edges { node { id name } organization { id } title department }
      }
      holdings(includeSubsidiaries: true) { id holder { id name } product { id name } amount }
      openOpportunities { id name stage probability amount closeDate owner { id name }
                          products { id name } buyingCentre { person { id name } role attitude } }
      events { id title date }
    }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _sample_ids(n: int, seed: int) -> list[str]:
    """A random sample of every party id in the database (fixed seed)."""
    from neo4j import AsyncGraphDatabase

    uri = os.environ["NEO4J_URI"]
    driver = AsyncGraphDatabase.driver(
        uri, auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    )
    try:
        result = await driver.execute_query("MATCH (n:Party) RETURN n.id AS id")
        ids = sorted(r["id"] for r in result.records)
    finally:
        await driver.close()
    return random.Random(seed).sample(ids, min(n, len(ids)))


async def _run(
    url: str, query: str, ids: list[str], clients: int
) -> tuple[list[float], float, int]:
    """Latencies (ms) of one request per id, spread over `clients` concurrent clients."""
    latencies: list[float] = []
    errors = 0
    queue = list(ids)

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(timeout=60) as http:
            while queue:
                pid = queue.pop()
                t0 = time.perf_counter()
                response = await http.post(
                    f"{url}/graphql", json={"query": query, "variables": {"id": pid}}
                )
                latencies.append((time.perf_counter() - t0) * 1000)
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, time.perf_counter() - started, errors


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _measure(url: str, n: int, clients: int, seed: int) -> None:
    ids = await _sample_ids(n, seed)
    await _run(url, FULL, ids[: min(50, len(ids))], 1)  # warm-up: plans and page cache
    await _run(url, BASIC, ids[: min(50, len(ids))], 1)
    rows = []
    for label, query, c in (
        ("basic party(id)", BASIC, 1),
        ("full 360 view", FULL, 1),
        (f"full 360 view, {clients} clients", FULL, clients),
    ):
        lat, seconds, errors = await _run(url, query, ids, c)
        rows.append(
            (
                label,
                len(lat),
                statistics.median(lat),
                _pct(lat, 95),
                _pct(lat, 99),
                max(lat),
                len(lat) / seconds,
                errors,
            )
        )
    print(f"\n{n} random parties, each requested once per row; latency over HTTP in ms\n")
    print(
        f"{'request':<28}{'n':>6}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}{'req/s':>8}{'errors':>8}"
    )
    for label, count, med, p95, p99, mx, rps, errors in rows:
        print(
            f"{label:<28}{count:>6}{med:>9.1f}{p95:>9.1f}{p99:>9.1f}{mx:>9.1f}{rps:>8.1f}{errors:>8}"
        )
    print(f"\nfull / basic median: {rows[1][2] / rows[0][2]:.1f}x")


def cmd_generate(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    doc = generate(args.parties, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(doc))
    sizes = ", ".join(f"{k} {len(v)}" for k, v in doc.items() if isinstance(v, list))
    print(f"wrote {out} in {time.perf_counter() - t0:.1f}s: {sizes}", file=sys.stderr)
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    url = args.url
    server = None
    if not url:
        if not os.environ.get("NEO4J_URI"):
            print("set NEO4J_URI (the loaded database) or give --url", file=sys.stderr)
            return 2
        port = _free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "graph-api"), "serve", "--port", str(port)],
            env={**os.environ, "GRAPH_API_LOG_LEVEL": "warning"},
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the service did not start", file=sys.stderr)
                return 3
            time.sleep(0.5)
    try:
        asyncio.run(_measure(url, args.requests, args.clients, args.seed))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write a generated import document")
    g.add_argument("--parties", type=int, default=100_000)
    g.add_argument("--seed", type=int, default=7)
    g.add_argument("--out", default=str(ROOT / "bench" / "data" / "view360.json"))
    g.set_defaults(func=cmd_generate)
    m = sub.add_parser("measure", help="measure the view over HTTP")
    m.add_argument("--url", help="a running service (default: start one on NEO4J_URI)")
    m.add_argument("--requests", type=int, default=300, help="random parties per row")
    m.add_argument("--clients", type=int, default=4)
    m.add_argument("--seed", type=int, default=11)
    m.set_defaults(func=cmd_measure)
    args = parser.parse_args()
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
