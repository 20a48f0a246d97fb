"""Searching parties by name or alias: Chinese characters, Latin (partial) names, filters.

The user's text is never handed to Lucene as is: it is cut into words the index knows
(each Chinese character on its own, Latin words and numbers lower-cased), every word is
escaped, and all must match; a Latin word also matches as a prefix ("zha" finds "Zhang
Li"). Punctuation and Lucene operators in the text are therefore just ignored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph_api.config import Settings
from graph_api.domain import model as m
from graph_api.domain.errors import InvalidInput
from graph_api.domain.view import Edge, Page
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.store.mapping import party_from_props
from graph_api.store.scoped import ScopedStore

MAX_TEXT_LENGTH = 200
MAX_FILTER_LENGTH = 200
CURSOR = "search"

# Han ideographs (CJK unified, extension A, compatibility): one word per character, as the
# standard analyzer indexes them.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


@dataclass(frozen=True, slots=True)
class SearchHit:
    party: m.Party
    score: float


def escape_lucene(word: str) -> str:
    """The word with every Lucene special character escaped (operators are lower-cased by
    the caller, and Lucene only knows AND/OR/NOT in capitals)."""
    return _LUCENE_SPECIAL.sub(r"\\\1", word)


def lucene_query(text: str) -> str | None:
    """The Lucene query for the user's text; None when it has no searchable word."""
    parts = []
    for word in dict.fromkeys(_WORD.findall(text.lower())):
        term = escape_lucene(word)
        if re.fullmatch(f"[{_HAN}]", word):
            parts.append(f"+{term}")
        else:
            # The exact word scores higher than words it merely starts.
            parts.append(f"+({term}^2 OR {term}*)")
    return " ".join(parts) or None


def _fingerprint(query: str, filters: Sequence[object]) -> str:
    """Ties a cursor to its search, so that a cursor of another search is refused."""
    return hashlib.sha256(repr((query, *filters)).encode("utf-8")).hexdigest()[:12]


def _check_filter(field: str, value: str | None) -> str | None:
    if value is not None and (not value.strip() or len(value) > MAX_FILTER_LENGTH):
        raise InvalidInput(
            f"{field} must be 1..{MAX_FILTER_LENGTH} characters", field=field, value=value[:60]
        )
    return value


# The index's best hits a search looks at: a page needs skip + first + 1 of them (the last
# for hasNextPage), rounded up to a multiple of WINDOW so that neighbouring pages share their
# window (and its order). Widened by WIDEN while the filters leave too few, up to MAX_WINDOW;
# past it the search counts every hit (search.parties).
WINDOW = 1000
WIDEN = 16
MAX_WINDOW = 16_000


def window_for(skip: int, size: int) -> int:
    needed = skip + size + 1
    return -(-needed // WINDOW) * WINDOW


def search_plan(
    text: str, *, first: int = 10, name: str = "search.top"
) -> tuple[str, dict[str, object]]:
    """The Cypher and parameters of an unfiltered admin search's first page (for the
    benchmark's PROFILE): `search.top` (what the service runs), `search.window` (the same
    with filters) or `search.parties` (every hit counted)."""
    from graph_api.store.cypher import query as cypher

    return cypher(name), {
        "query": lucene_query(text),
        "kinds": None,
        "tier": None,
        "industry": None,
        "region": None,
        "visible": None,
        "skip": 0,
        "limit": first,
        "window": window_for(0, first),
    }


async def search_parties(
    reader: ScopedStore,
    settings: Settings,
    text: str,
    *,
    kinds: Sequence[m.PartyKind] | None = None,
    tier: m.Tier | None = None,
    industry: str | None = None,
    region: str | None = None,
    first: int | None = None,
    after: str | None = None,
    exact_count: bool = False,
) -> Page[SearchHit]:
    """Parties whose name or alias matches every word of `text`, best first (ties by id).
    Only parties the viewer may see are found, and counted.

    The work is bounded by the window of the index's best hits, not by the hits: with more
    hits than the window, `total_count` is the count within it (a lower bound, the page says
    `total_exact=False`) and ties on the window's last score are the index's subset of them.
    `exact_count=True` counts every hit (work proportional to them) and orders all ties by id.
    """
    if not text or not text.strip():
        raise InvalidInput("text must not be empty", field="text", value=text)
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(
            f"text is longer than {MAX_TEXT_LENGTH} characters", field="text", value=text[:60]
        )
    size = check_first(first, settings)
    _check_filter("industry", industry)
    _check_filter("region", region)
    query = lucene_query(text)
    kind_values = sorted({k.value for k in kinds}) if kinds else None
    fingerprint = _fingerprint(query or "", (kind_values, tier, industry, region))
    offset = 0
    if after is not None:
        offset, cursor_print = decode_cursor(CURSOR, after, (int, str))
        if offset < 1 or cursor_print != fingerprint:
            raise InvalidInput(
                "after is not a cursor of this search", field="after", value=after[:200]
            )
    if query is None:
        return Page(edges=(), total_count=0, has_next_page=False, has_previous_page=offset > 0)
    params: dict[str, object] = {
        "query": query,
        "kinds": kind_values,
        "tier": tier.value if tier else None,
        "industry": industry,
        "region": region,
        "skip": offset,
        "limit": size,
    }
    window = window_for(offset, size)
    # Without filters, the same window with less work per hit (search.top).
    unfiltered = kind_values is None and tier is None and industry is None and region is None
    windowed = "search.top" if unfiltered else "search.window"
    exact = True
    record = None
    while not exact_count:
        record = await reader.read_one(windowed, {**params, "window": window})
        assert record is not None  # aggregates without grouping: always one row
        exact = int(record["retrieved"]) < window
        if exact or int(record["total"]) > offset + size or window >= MAX_WINDOW:
            break
        window = min(window * WIDEN, MAX_WINDOW)
    if record is not None and not exact and int(record["total"]) <= offset + size:
        # Even the widest window left too few hits for this page: count them all.
        record = None
    if record is None:
        record = await reader.read_one("search.parties", params)
        exact = True
    hits = [
        SearchHit(party_from_props(h["props"], h["kind"]), float(h["score"]))
        for h in (record["page"] if record else ())
    ]
    edges = tuple(
        Edge(encode_cursor(CURSOR, [offset + i + 1, fingerprint]), hit)
        for i, hit in enumerate(hits)
    )
    total = int(record["total"]) if record else 0
    return Page(
        edges=edges,
        total_count=total,
        has_next_page=offset + len(hits) < total,
        has_previous_page=offset > 0,
        total_exact=exact,
    )
