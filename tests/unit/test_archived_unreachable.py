"""No read query reaches an archived node (cypher/lifecycle.cypher): archiving swaps a node's
labels for :Archived:Archived<Label>, which every labelled pattern skips; what a label does not
guard is the inside of a variable-length walk (a PART_OF chain through an archived
organization would still join its branches to the group). So every variable-length pattern
of a read query must say `NOT x:Archived` of its nodes (within the next lines of the MATCH),
and no read names an archived label. The API-level check over the demo is
tests/integration/test_lifecycle.py::test_no_read_reaches_an_archived_node."""

from __future__ import annotations

import re

from graph_api.store.cypher import _all_queries
from graph_api.store.scoped import QUERY_SCOPES, Scoping

VAR_LENGTH = re.compile(r"-\[\w*:[\w|]+\*[\d.]*\]-")
READS = {
    name
    for name, declared in QUERY_SCOPES.items()
    if declared.scoping in (Scoping.VISIBLE, Scoping.RESTRICTED, Scoping.PUBLIC)
} | {"access.scope"}
# Reads that find what no live node has by design: what an archived or merged id is, and
# the admins' list of archived nodes.
ABOUT_ARCHIVED = {"lifecycle.resolve", "lifecycle.archived"}


def test_every_variable_length_walk_of_a_read_skips_archived_nodes() -> None:
    queries = _all_queries()
    unguarded = []
    for name in sorted(READS - ABOUT_ARCHIVED):
        lines = queries[name].splitlines()
        for number, line in enumerate(lines):
            if VAR_LENGTH.search(line) and not any(
                "NOT " in later and ":Archived)" in later for later in lines[number : number + 3]
            ):
                unguarded.append(f"{name}: {line.strip()}")
    assert unguarded == []


def test_no_read_names_an_archived_label() -> None:
    queries = _all_queries()
    named = [n for n in sorted(READS - ABOUT_ARCHIVED) if re.search(r":Archived\w+", queries[n])]
    assert named == []


def test_the_check_sees_the_walks() -> None:
    # The pattern finds the walks it is meant to find (a check that cannot fail checks nothing).
    assert VAR_LENGTH.search("MATCH p = (u:Organization)-[:PART_OF*0..]->(root)")
    assert VAR_LENGTH.search("MATCH (x)-[:REPORTS_TO*0..9]->(a:Person)")
    assert not VAR_LENGTH.search("MATCH (p)-[:WORKS_FOR]->(o:Organization)")
    walks = [n for n in READS if VAR_LENGTH.search(_all_queries()[n])]
    assert {"org_chart.chart", "access.scope", "view.parties"} <= set(walks)
