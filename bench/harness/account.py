"""The benchmark's key account: one group of exactly 2,000 people, added to every data set.

keyDeciders is measured on this account at every data-set size, so the scaling rows compare
the same neighbourhood in a growing database. Its shape is that of a large customer: a group
with ten departments, an org chart (8 reports under the CEO, 6 under everyone else), 40
buying-centre markers, 3,000 influence links inside and 20 outside advisers, 2,000
acquaintances, 400 spouses outside the account and 12 of our reps covering 200 people.
"""

from __future__ import annotations

import random
from typing import Any

ACCOUNT_ID = "bench-acct-group"
CEO_ID = "bench-acct-p00000"
MANAGER_ID = "bench-acct-p00100"  # a level-3 manager: relationshipPath(manager -> CEO)
PEOPLE = 2000
VERSION = 1  # bump when the document changes: the cached databases are then reloaded

_ROLES = (
    ["DECISION_MAKER"] + ["APPROVER"] * 3 + ["EVALUATOR"] * 15 + ["INFLUENCER"] * 10 + ["USER"] * 11
)
_ATTITUDES = ["SUPPORTER", "NEUTRAL", "NON_SUPPORTER", "OPPONENT"]
_LEVELS = ["HIGH", "MEDIUM", "LOW"]


def account_document(seed: int = 2000) -> dict[str, Any]:
    """The account in the import format (ids start with `bench-acct-`)."""
    rng = random.Random(seed)
    prefix = "bench-acct"
    depts = [f"{prefix}-dept-{i}" for i in range(10)]
    ids = [f"{prefix}-p{i:05d}" for i in range(PEOPLE)]
    managers: dict[str, str] = {}
    frontier, nxt = [ids[0]], 1
    while nxt < PEOPLE:
        below: list[str] = []
        for mgr in frontier:
            for _ in range(8 if mgr == ids[0] else 6):
                if nxt >= PEOPLE:
                    break
                managers[ids[nxt]] = mgr
                below.append(ids[nxt])
                nxt += 1
        frontier = below
    advisers = [f"{prefix}-adviser-{i}" for i in range(20)]
    spouses = [f"{prefix}-spouse-{i}" for i in range(400)]
    reps = [f"{prefix}-rep-{i}" for i in range(12)]
    marked = rng.sample(ids[:300], len(_ROLES))
    influence: set[tuple[str, str]] = set()
    while len(influence) < 3000:
        a, b = rng.choice(ids), rng.choice(ids)
        if a != b:
            influence.add((a, b))
    knows: set[tuple[str, str]] = set()
    while len(knows) < 2000:
        a, b = sorted((rng.choice(ids), rng.choice(ids)))
        if a != b:
            knows.add((a, b))
    covered = rng.sample(ids[:600], 200)
    return {
        "format": "relgraph-import",
        "version": 1,
        "meta": {"description": f"benchmark key account: {PEOPLE} people (v{VERSION})"},
        "organizations": [
            {"id": ACCOUNT_ID, "name": "基准集团 Bench Group", "orgType": "GROUP"},
            *(
                {
                    "id": d,
                    "name": f"基准集团部门{i}",
                    "orgType": "DEPARTMENT",
                    "parentId": ACCOUNT_ID,
                }
                for i, d in enumerate(depts)
            ),
            {"id": f"{prefix}-institute", "name": "基准研究院", "orgType": "INSTITUTE"},
        ],
        "people": [{"id": p, "name": f"基准员工{i}"} for i, p in enumerate(ids)]
        + [{"id": p, "name": f"基准顾问{i}"} for i, p in enumerate(advisers)]
        + [{"id": p, "name": f"基准家属{i}"} for i, p in enumerate(spouses)],
        "reps": [{"id": r, "name": f"基准销售{i}", "role": "AE"} for i, r in enumerate(reps)],
        "employment": [
            {
                "personId": p,
                "organizationId": ACCOUNT_ID if i < 9 else depts[i % 10],
                "title": "CEO" if i == 0 else f"title {i}",
                "primary": True,
            }
            for i, p in enumerate(ids)
        ]
        + [
            {"personId": a, "organizationId": f"{prefix}-institute", "title": "adviser"}
            for a in advisers
        ],
        "reporting": [{"personId": p, "managerId": m} for p, m in managers.items()],
        "buyingRoles": [
            {
                "personId": p,
                "accountId": ACCOUNT_ID,
                "role": role,
                "attitude": rng.choice(_ATTITUDES),
                "influence": rng.choice(_LEVELS),
            }
            for p, role in zip(marked, _ROLES, strict=True)
        ],
        "influence": [
            {"fromId": a, "toId": b, "strength": round(rng.uniform(0.1, 1.0), 2)}
            for a, b in sorted(influence)
        ]
        + [{"fromId": a, "toId": rng.choice(ids[:50]), "strength": 0.8} for a in advisers],
        "acquaintance": [
            {"fromId": a, "toId": b, "strength": round(rng.uniform(0.1, 1.0), 2)}
            for a, b in sorted(knows)
        ],
        "family": [
            {"fromId": ids[i * 5], "toId": s, "kind": "SPOUSE"} for i, s in enumerate(spouses)
        ],
        "coverage": [
            {"repId": reps[i % len(reps)], "personId": p, "strength": round(rng.uniform(0.2, 1), 2)}
            for i, p in enumerate(covered)
        ],
    }
