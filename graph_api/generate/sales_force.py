"""Step: our catalogue and our sales force, emitted before any customer."""

from __future__ import annotations

from graph_api.generate.catalogue import AFFINITY_RULES, PRODUCTS
from graph_api.generate.generator import Generator
from graph_api.generate.vocabulary import REGIONS

ROLES = ("AE", "SR", "SE")
MIN_REPS = 1 + 4 * len(REGIONS)  # the head, and per region a manager, an AE, an SR, an SE


def catalogue(gen: Generator) -> None:
    """The products and affinity rules."""
    for p in PRODUCTS:
        gen.emit("products", dict(p))
    for r in AFFINITY_RULES:
        gen.emit("affinityRules", dict(r))


def sales_force(gen: Generator, n_reps: int) -> None:
    """A head of sales, a manager per region, then reps (at least `MIN_REPS` in all) spread
    over the regions; registers them in `gen.managers` and `gen.reps_by_region`."""
    n_reps = max(n_reps, MIN_REPS)
    rng = gen.rng
    head = "rep-00000"
    gen.emit(
        "reps",
        {
            "id": head,
            "name": gen.name(rng.choice("FM"))[0],
            "email": "head.sales@xxbank.cn",
            "role": "MANAGER",
            "region": "总部",
        },
    )
    for k, region in enumerate(REGIONS):
        rid = f"rep-{k + 1:05d}"
        gen.managers[region] = rid
        gen.reps_by_region[region] = {role: [] for role in ROLES}
        gen.emit(
            "reps",
            {
                "id": rid,
                "name": gen.name(rng.choice("FM"))[0],
                "email": f"{rid}@xxbank.cn",
                "role": "MANAGER",
                "region": region,
                "managerId": head,
            },
        )
    for i in range(len(REGIONS) + 1, n_reps):
        rid = f"rep-{i:05d}"
        region = REGIONS[i % len(REGIONS)]
        by_role = gen.reps_by_region[region]
        # Each region has at least one of each role before the mix (40/45/15) applies.
        missing = [r for r in ROLES if not by_role[r]]
        role = missing[0] if missing else rng.choices(ROLES, (40, 45, 15))[0]
        by_role[role].append(rid)
        gen.emit(
            "reps",
            {
                "id": rid,
                "name": gen.name(rng.choice("FM"))[0],
                "email": f"{rid}@xxbank.cn",
                "role": role,
                "region": region,
                "managerId": gen.managers[region],
            },
        )
