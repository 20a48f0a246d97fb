"""Association rules between products from co-holding counts (support, confidence, lift)."""

from __future__ import annotations

from collections.abc import Mapping

from graph_api.domain.cross_sell import Association


def associations(
    holders: Mapping[str, int],
    pair_counts: Mapping[tuple[str, str], int],
    customers: int,
) -> list[Association]:
    """Both directions of every co-held pair.

    `holders[p]`: customers holding p; `pair_counts[(a, b)]`: customers holding both a and b
    (either order given, counted once per unordered pair); `customers`: customers holding
    anything. Pairs with a product missing from `holders` are skipped (inconsistent input).
    """
    if customers <= 0:
        return []
    out: list[Association] = []
    seen: set[tuple[str, str]] = set()
    for (a, b), n in sorted(pair_counts.items()):
        key = (a, b) if a <= b else (b, a)
        if a == b or n <= 0 or key in seen or a not in holders or b not in holders:
            continue
        seen.add(key)
        support = n / customers
        for x, y in ((a, b), (b, a)):
            confidence = n / holders[x]
            lift = confidence / (holders[y] / customers)
            out.append(Association(x, y, n, support, confidence, lift))
    return out
