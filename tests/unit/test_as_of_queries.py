"""The as-of variants of the named queries (issue 14.2), statically: each query written with
the history fragments (`{{REL ...}}`, `{{AT r}}`, ..., store/projection.py) yields a current
query that reads today's links only, exactly as it would be written by hand, and an as-of
variant that reads the current and the closed links (WAS_<type>) valid on $asOf; and no query
about the present reads a closed link."""

from __future__ import annotations

import re

import pytest

from graph_api.bulk.spec import CLOSED_PREFIX, LINK_SECTIONS, closed_type
from graph_api.store.cypher import CYPHER_DIR, _all_queries, _split, as_of_name
from graph_api.store.projection import AS_OF_SUFFIX, expand_fragments, has_as_of, valid_on
from graph_api.store.scoped import QUERY_SCOPES


def _code(text: str) -> str:
    """A query's text without its comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))


QUERIES = {name: _code(text) for name, text in _all_queries().items()}
SOURCES = {
    name: text for path in CYPHER_DIR.glob("*.cypher") for name, text in _split(path).items()
}
WITH_AS_OF = sorted(name for name, text in SOURCES.items() if has_as_of(text))
HISTORY_TYPES = {s.rel_type for s in LINK_SECTIONS if s.rel_type is not None}
# The files that write or copy closed periods themselves: import, export and the writes.
# Files whose queries read closed periods by design (job_change: a move is a job closed
# the day another began).
HISTORY_FILES = {"import", "export", "write", "job_change"}
_TYPES = re.compile(r"\[\s*\w*\s*:\s*([A-Z_|]+)")


def test_the_questions_of_the_issue_have_as_of_variants() -> None:
    assert {
        "org_chart.chart",
        "deciders.scope",
        "paths.neighbourhood",
        "cross_sell.neighbourhood",
        "view.parties",
    } <= set(WITH_AS_OF)
    assert sorted(n for n in QUERIES if n.endswith(AS_OF_SUFFIX)) == [
        as_of_name(n) for n in WITH_AS_OF
    ]


def test_the_fragments_expand_to_the_current_text_and_the_as_of_text() -> None:
    template = "MATCH (p)-[w:{{REL WORKS_FOR|KNOWS}}]->(o) {{WHERE_AT w}} RETURN {{TYPE w}}"
    assert expand_fragments(template) == "MATCH (p)-[w:WORKS_FOR|KNOWS]->(o)  RETURN type(w)"
    assert expand_fragments(template, as_of=True) == (
        "MATCH (p)-[w:WORKS_FOR|WAS_WORKS_FOR|KNOWS|WAS_KNOWS]->(o) WHERE "
        "((w.validFrom IS NULL OR w.validFrom <= $asOf) AND (w.validTo IS NULL OR $asOf < "
        "w.validTo)) RETURN CASE WHEN type(w) STARTS WITH 'WAS_' THEN substring(type(w), 4) "
        "ELSE type(w) END"
    )
    assert expand_fragments("{{AT r}} {{AND_AT r}} {{AND_AT_ALL rs}}") == "true  "
    assert valid_on("r", "$d") == (
        "((r.validFrom IS NULL OR r.validFrom <= $d) AND (r.validTo IS NULL OR $d < r.validTo))"
    )


def test_the_day_fragments_keep_what_happened_by_the_day() -> None:
    # What has no period but a day (a holding's since, an event's date) or a time (an
    # interaction's at): nothing today, on or before the day (by its UTC end) as of a day.
    template = "MATCH (h) {{WHERE_DAY_AT h: since}} MATCH (i) WHERE x {{AND_TIME_AT i: at}}"
    assert expand_fragments(template) == "MATCH (h)  MATCH (i) WHERE x "
    assert expand_fragments(template, as_of=True) == (
        "MATCH (h) WHERE (h.since IS NULL OR h.since <= $asOf) MATCH (i) WHERE x AND "
        "i.at < datetime({date: $asOf, timezone: 'UTC'}) + duration({days: 1})"
    )
    assert has_as_of("{{AND_DAY_AT e: date}}") and not has_as_of("{{PERSON_VIEW p}}")
    with pytest.raises(ValueError, match="one property name"):
        expand_fragments("{{AND_DAY_AT e: date, at}}")


@pytest.mark.parametrize("name", WITH_AS_OF)
def test_each_as_of_variant_reads_both_types_and_the_day(name: str) -> None:
    current, past = QUERIES[name], QUERIES[as_of_name(name)]
    assert "{{" not in current and "{{" not in past
    assert "$asOf" not in current and "$asOf" in past
    assert CLOSED_PREFIX not in current
    # Every relationship pattern of a kind with history reads its closed periods as well.
    for types in _TYPES.findall(past):
        named = types.split("|")
        for t in named:
            if t in HISTORY_TYPES:
                assert closed_type(t) in named, (name, types)
    # Each link the as-of text reads is kept by the day: one validity test per REL fragment
    # (a fragment may hold several types, a list of links one test for all).
    assert past.count("$asOf <") >= SOURCES[name].count("{{REL")
    # The variant runs under the query's declaration: the same scope.
    declared = QUERY_SCOPES[name]
    assert ("$visible" in past) is declared.visible


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if not n.endswith(AS_OF_SUFFIX)))
def test_no_current_query_reads_a_closed_link(name: str) -> None:
    if name.split(".")[0] in HISTORY_FILES:
        return
    assert CLOSED_PREFIX not in QUERIES[name], name
