"""Every node a query MERGEs by a key has a uniqueness constraint on that key.

Without the constraint, two transactions that MERGE the same key at the same time can both
find nothing and both create a node (Neo4j only serialises MERGE through the constraint's
index lock), which would split, e.g., the co-holding statistics into two nodes that each
count half of the writes.
"""

import re

from graph_api.config import PROJECT_ROOT

CYPHER = PROJECT_ROOT / "cypher"
MERGED = re.compile(r"MERGE\s*\(\s*\w*\s*:\s*(\w+)\s*\{\s*(\w+)\s*:")
UNIQUE = re.compile(
    r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE"
)


def merged_keys() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(CYPHER.glob("*.cypher")):
        found.update(MERGED.findall(path.read_text()))
    return found


def unique_keys() -> set[tuple[str, str]]:
    return set(UNIQUE.findall((CYPHER / "schema.cypher").read_text()))


def test_the_patterns_find_what_they_look_for() -> None:
    # The check below is only as good as these two patterns: they must see the known cases.
    assert ("Party", "id") in merged_keys()
    assert ("CoHoldingStats", "id") in merged_keys()
    assert ("Party", "id") in unique_keys()


def test_every_merged_key_is_unique_in_the_schema() -> None:
    missing = sorted(merged_keys() - unique_keys())
    assert not missing, f"MERGE on keys without a uniqueness constraint: {missing}"
