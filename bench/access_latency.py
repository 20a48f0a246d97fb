"""What access control costs: the viewer's scope query, and reads as admin, rep and manager.

    # 1. a generated data set, loaded into a Neo4j (NEO4J_URI):
    .venv/bin/graph-api generate --parties 20000 --seed 7 bench/data/access.json
    NEO4J_URI=bolt://... .venv/bin/graph-api import bench/data/access.json --reset
    # 2. measure: the scope query in process, then `graph-api serve` in production mode
    NEO4J_URI=bolt://... .venv/bin/python bench/access_latency.py

The rep is the one with the largest scope (most team-covered parties), the manager the one
with the most reps below them; the admin pays no scope query. Prints two tables: the scope
query (median/p95 ms and the scope's size), and the full 360° view and a search per role.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from view360_latency import FULL, _free_port, _pct  # noqa: E402

from graph_api.api.auth import key_hash  # noqa: E402
from graph_api.domain.access import Access, Role, Viewer  # noqa: E402
from graph_api.services.access import access_for  # noqa: E402
from graph_api.store.neo4j_store import Store  # noqa: E402

SEARCH = """query ($text: String!) { search(text: $text, first: 20) {
  totalCount edges { node { id name ... on Person { phone homeAddress } } } } }"""


def _store() -> Store:
    return Store.connect(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


async def _pick_viewers(store: Store) -> tuple[Viewer, Viewer]:
    rep = await store.read_one(
        "MATCH (r:Rep)-[:MEMBER_OF]->(:AccountTeam)-[:COVERS_ACCOUNT]->(a:Party) "
        "OPTIONAL MATCH (u:Organization)-[:PART_OF*0..]->(a) "
        "OPTIONAL MATCH (p:Person)-[:WORKS_FOR]->(u) "
        "RETURN r.id AS id, count(DISTINCT p) AS people ORDER BY people DESC, id LIMIT 1"
    )
    manager = await store.read_one(
        "MATCH (r:Rep)-[:MANAGED_BY*1..]->(m:Rep) "
        "RETURN m.id AS id, count(DISTINCT r) AS reps ORDER BY reps DESC, id LIMIT 1"
    )
    assert rep is not None and manager is not None, "no reps or managers in the database"
    return Viewer("bench-rep", Role.REP, rep["id"]), Viewer(
        "bench-manager", Role.MANAGER, manager["id"]
    )


async def _scope_table(store: Store, viewers: list[Viewer], runs: int) -> dict[str, Access]:
    print(f"\nscope query (access.scope), {runs} runs each")
    print(f"{'viewer':<30} {'median ms':>10} {'p95 ms':>8} {'visible':>9} {'sensitive':>10}")
    scopes: dict[str, Access] = {}
    for viewer in viewers:
        times = []
        access = await access_for(store, viewer)
        for _ in range(runs):
            t0 = time.perf_counter()
            access = await access_for(store, viewer)
            times.append((time.perf_counter() - t0) * 1000)
        scopes[viewer.subject] = access
        visible = "all" if access.visible is None else f"{len(access.visible):,}"
        sensitive = "all" if access.sensitive is None else f"{len(access.sensitive):,}"
        label = f"{viewer.role.value.lower()} {viewer.rep_id or ''}".strip()
        print(
            f"{label:<30} {statistics.median(times):>10.1f} {_pct(times, 95):>8.1f} "
            f"{visible:>9} {sensitive:>10}"
        )
    return scopes


async def _http_table(url: str, keys: dict[str, str], ids: list[str], runs: int) -> None:
    print(f"\nover HTTP, production mode: {len(ids)} accounts the rep sees, {runs} searches")
    print(f"{'request':<34} {'viewer':<8} {'median ms':>10} {'p95 ms':>8} {'errors':>7}")
    async with httpx.AsyncClient(timeout=120) as http:
        for label, query, variables in (
            ("full 360 view", FULL, [{"id": i} for i in ids]),
            ('search "张", first 20', SEARCH, [{"text": "张"}] * runs),
        ):
            for who, key in keys.items():
                for v in variables[:5]:  # warm-up
                    await http.post(
                        f"{url}/graphql",
                        json={"query": query, "variables": v},
                        headers={"X-API-Key": key},
                    )
                times, errors = [], 0
                for v in variables:
                    t0 = time.perf_counter()
                    response = await http.post(
                        f"{url}/graphql",
                        json={"query": query, "variables": v},
                        headers={"X-API-Key": key},
                    )
                    times.append((time.perf_counter() - t0) * 1000)
                    errors += response.status_code != 200 or bool(response.json().get("errors"))
                print(
                    f"{label:<34} {who:<8} {statistics.median(times):>10.1f} "
                    f"{_pct(times, 95):>8.1f} {errors:>7}"
                )


async def _prepare(runs: int, accounts: int) -> tuple[Viewer, Viewer, list[str]]:
    """The viewers, the scope table, and accounts the rep sees."""
    store = _store()
    try:
        rep, manager = await _pick_viewers(store)
        admin = Viewer("bench-admin", Role.ADMIN)
        scopes = await _scope_table(store, [admin, rep, manager], runs)
        visible = scopes[rep.subject].visible or frozenset()
        orgs = await store.read(
            "MATCH (o:Organization) WHERE o.id IN $ids RETURN o.id AS id ORDER BY id LIMIT $n",
            {"ids": sorted(visible), "n": accounts},
        )
    finally:
        await store.close()
    return rep, manager, [r["id"] for r in orgs]


def _serve(
    keys: dict[str, str], rep: Viewer, manager: Viewer
) -> tuple[subprocess.Popen[bytes], str]:
    """`graph-api serve` in production mode with one API key per role, once it is ready."""
    entries = [
        {"sha256": key_hash(keys["admin"]), "subject": "bench-admin", "role": "ADMIN"},
        {
            "sha256": key_hash(keys["rep"]),
            "subject": "bench-rep",
            "role": "REP",
            "repId": rep.rep_id,
        },
        {
            "sha256": key_hash(keys["manager"]),
            "subject": "bench-manager",
            "role": "MANAGER",
            "repId": manager.rep_id,
        },
    ]
    port = _free_port()
    env = {
        **os.environ,
        "GRAPH_API_MODE": "production",
        "GRAPH_API_PORT": str(port),
        "GRAPH_API_API_KEYS": orjson.dumps(entries).decode(),
        "GRAPH_API_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen([str(ROOT / ".venv/bin/graph-api"), "serve"], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise SystemExit("the service did not start")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--accounts", type=int, default=30, help="accounts viewed per role")
    args = parser.parse_args()
    rep, manager, orgs = asyncio.run(_prepare(args.runs, args.accounts))
    keys = {who: f"bench-{secrets.token_urlsafe(16)}" for who in ("admin", "rep", "manager")}
    server, url = _serve(keys, rep, manager)
    try:
        asyncio.run(_http_table(url, keys, orgs, args.runs))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
