"""The bounded search: with more hits than the index window (1,000), the work stays on the
window, totalCount says it is a lower bound, exactCount counts every hit, and filters that
leave too few hits in the window widen it until the page is complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graph_api.api.schema  # noqa: F401  (imports every service: their restrictions register)
from graph_api.domain.access import Access, Role, Viewer
from graph_api.services.search import WINDOW, lucene_query, window_for
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore
from tests.conftest import Database, GraphQLClient, data_of

SEARCH = """
query ($text: String!, $region: String, $first: Int, $after: String, $exact: Boolean!) {
  search(text: $text, region: $region, first: $first, after: $after, exactCount: $exact) {
    totalCount totalCountExact
    edges { cursor score node { id } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

# 1,050 people whose names hold 王 and one more word (the same score: ties), 5 named 王 alone
# (a shorter field scores higher: they come first), 3 of the tied ones in region 华北.
TIED = 1050
NORTH = ("p-0100", "p-0600", "p-1049")


def people() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "id": f"p-{i:04d}",
            "name": f"王{i:04d}",
            **({"region": "华北"} if f"p-{i:04d}" in NORTH else {}),
        }
        for i in range(TIED)
    ]
    rows += [{"id": f"q-{i}", "name": "王"} for i in range(5)]
    return rows


async def search(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    body = await gql(SEARCH, {"text": "王", "exact": False, **variables})
    result: dict[str, Any] = data_of(body)["search"]
    return result


def ids(result: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in result["edges"]]


def test_the_window_is_shared_by_neighbouring_pages() -> None:
    # A page needs skip + first + 1 hits; pages inside the first thousand share one window.
    assert window_for(0, 10) == window_for(980, 19) == WINDOW
    assert window_for(980, 20) == 2 * WINDOW
    assert window_for(0, 100) == WINDOW


async def test_many_hits_a_lower_bound_unless_counted(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"people": people()}, tmp_path)
    bounded = await search(gql, first=10)
    # The index gave its best 1,000 of the 1,055 hits: counted within them, and said so.
    assert bounded["totalCount"] == WINDOW
    assert bounded["totalCountExact"] is False
    assert bounded["pageInfo"]["hasNextPage"] is True
    # Best score first (the five named 王 alone), ties by id within the window.
    assert ids(bounded)[:5] == [f"q-{i}" for i in range(5)]
    ranked = [(-e["score"], e["node"]["id"]) for e in bounded["edges"]]
    assert ranked == sorted(ranked)
    exact = await search(gql, first=10, exact=True)
    assert exact["totalCount"] == TIED + 5
    assert exact["totalCountExact"] is True
    # Every tie ordered by id over all hits: the same best five, then p-0000 ...
    assert ids(exact) == [f"q-{i}" for i in range(5)] + [f"p-{i:04d}" for i in range(5)]


async def test_pages_within_the_window_have_no_gaps_or_repeats(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"people": people()}, tmp_path)
    seen: list[str] = []
    after = None
    for _ in range(5):
        page = await search(gql, first=100, after=after)
        seen.extend(ids(page))
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 500


async def test_filters_that_leave_too_few_widen_the_window(
    db: Database, gql: GraphQLClient, tmp_path: Path
) -> None:
    await db.load({"people": people()}, tmp_path)
    # Whichever of the three the first window holds, the page asks for more than that: the
    # window widens to every hit, and the count is exact again.
    north = await search(gql, region="华北", first=10)
    assert sorted(ids(north)) == sorted(NORTH)
    assert north["totalCount"] == 3
    assert north["totalCountExact"] is True
    assert north["pageInfo"]["hasNextPage"] is False


async def test_few_hits_are_exact_as_before(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    result = await search(gql, text="张", first=2)
    assert result["totalCount"] == 4
    assert result["totalCountExact"] is True
    assert result["pageInfo"]["hasNextPage"] is True
    assert (await search(gql, text="张", first=2, exact=True))["totalCount"] == 4


async def test_the_unfiltered_query_answers_as_the_filtered_one(
    db: Database, store: Store, tmp_path: Path
) -> None:
    # search.top (no filters: what the search box runs) and search.window (with filters, here
    # none) give the same records, for every viewer and page: the tied 王 set (the window cut
    # inside the ties), a text with one hit and one with none.
    await db.load({"people": people()}, tmp_path)
    admin = Access.everything(Viewer("admin", Role.ADMIN, None))
    # A rep who sees the five named 王 alone and every tenth tied one: 110 of the 1,055.
    seen = [f"q-{i}" for i in range(5)] + [f"p-{i:04d}" for i in range(0, TIED, 10)]
    rep = Access.scoped(Viewer("rep", Role.REP, "rep-x"), seen, [])
    for access in (admin, rep):
        reader = ScopedStore(store, access)
        for text, skip, limit in (
            ("王", 0, 10),
            ("王", 990, 10),
            ("王", 100, 20),
            ("王0600", 0, 5),
        ):
            params = {
                "query": lucene_query(text),
                "kinds": None,
                "tier": None,
                "industry": None,
                "region": None,
                "skip": skip,
                "limit": limit,
                "window": window_for(skip, limit),
            }
            top = await reader.read_one("search.top", params)
            window = await reader.read_one("search.window", params)
            assert top is not None and window is not None
            assert dict(top) == dict(window), (access.viewer.subject, text, skip)
    # What the rep's first page says, derived by hand: the index's best 1,000 are the 5 named
    # 王 alone and 995 of the 1,050 tied (which 995 is the index's choice); the rep sees the 5
    # and those of its 105 tied ones among them, so 5 + 50..105.
    rep_page = await ScopedStore(store, rep).read_one(
        "search.top",
        {"query": lucene_query("王"), "skip": 0, "limit": 10, "window": WINDOW},
    )
    assert rep_page is not None
    assert rep_page["retrieved"] == WINDOW
    assert [h["props"]["id"] for h in rep_page["page"]][:5] == [f"q-{i}" for i in range(5)]
    assert all(h["props"]["id"] in seen for h in rep_page["page"])
    assert 55 <= rep_page["total"] <= 110
