"""The node properties the queries return, derived from the import format's declaration.

`cypher/*.cypher` names a projection by a fragment such as `{{PERSON_FIELDS p}}`, which
`store/cypher.py` expands when it loads the files, so a field added to `bulk/spec.py` is
read back by every query without touching them. Only property names are ever spliced in
(taken from the declaration, never from a request): values stay parameters.
"""

from __future__ import annotations

import math
import re
from datetime import UTC

from graph_api.analytics import strength as s
from graph_api.bulk.spec import ENTITY_SECTION, Section
from graph_api.domain.model import REPORTED_DIGITS

# Bookkeeping every party node carries beside its declared fields (optimistic locking).
_BOOKKEEPING = ("version",)


def stored_fields(section: Section) -> tuple[str, ...]:
    """The declared fields of a node section stored as properties, in declaration order."""
    return tuple(f.name for f in section.fields if f.stored)


# The order of a person's fields where a query returns them as a list (PERSON_ITEMS).
PERSON_FIELDS: tuple[str, ...] = (*stored_fields(ENTITY_SECTION["Person"]), *_BOOKKEEPING)
ORGANIZATION_FIELDS: tuple[str, ...] = (
    *stored_fields(ENTITY_SECTION["Organization"]),
    *_BOOKKEEPING,
)
# A node that may be either: the person's fields, then the organization's others.
PARTY_FIELDS: tuple[str, ...] = (
    *PERSON_FIELDS,
    *(f for f in ORGANIZATION_FIELDS if f not in PERSON_FIELDS),
)

# Map projections `var {.a, .b}` (a map per node: used where a few nodes come back) and
# list items `var.a, var.b` (positional, in the order above: decoded much faster where
# thousands of people come back, as in the key-decider scope).
MAP_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "PERSON_FIELDS": PERSON_FIELDS,
    "ORGANIZATION_FIELDS": ORGANIZATION_FIELDS,
    "PARTY_FIELDS": PARTY_FIELDS,
}
LIST_FRAGMENTS: dict[str, tuple[str, ...]] = {"PERSON_ITEMS": PERSON_FIELDS}

# {{NAME var}} or {{NAME var: field, field}}: in a list fragment, the fields named after the
# colon are read and the others are null (same width, so positions stay those of the list).
FRAGMENT = re.compile(r"\{\{\s*([A-Z_]+)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^}]*))?\}\}")


# Conditions shared by several queries, on the node `{var}` (cypher/portfolio.cypher: the
# portfolio filters; every value a parameter, null when the filter is not asked for).
CONDITION_FRAGMENTS: dict[str, str] = {
    "PORTFOLIO_FILTERS": """($visible IS NULL OR {var}.id IN $visible)
  AND ($kinds IS NULL OR ({var}:Person AND 'PERSON' IN $kinds)
       OR ({var}:Organization AND 'ORGANIZATION' IN $kinds))
  AND ($tier IS NULL OR {var}.tier = $tier)
  AND ($grades IS NULL OR {var}.grade IN $grades)
  AND ($radCell IS NULL OR {var}.radCell = $radCell)
  AND ($region IS NULL OR {var}.region = $region)
  AND ($industry IS NULL OR {var}.industry = $industry)
  AND ($followUpAtMost IS NULL OR {var}.followUpDay <= $followUpAtMost)
  AND ($followUpAfter IS NULL OR {var}.followUpDay > $followUpAfter)
  AND ($headOfSales IS NULL OR (coalesce({var}.grade, 0) >= 5) = $headOfSales)
  AND ($scoreBelow IS NULL OR {var}.profileScore < $scoreBelow)
  AND ($noSupporter IS NULL OR {var}.decisionLayerNoSupporter = true)
  AND ($uncovered IS NULL OR {var}.decisionLayerUncovered = true)
  AND ($team IS NULL OR EXISTS { (:AccountTeam {id: $team})-[:COVERS_ACCOUNT]->({var}) })
  AND ($rep IS NULL OR EXISTS { (:Rep {id: $rep})-[:COVERS]->({var}) }
       OR EXISTS { (:Rep {id: $rep})-[:MEMBER_OF|MANAGES]->(:AccountTeam)
                   -[:COVERS_ACCOUNT]->({var}) })
  AND ($mineTeams IS NULL
       OR EXISTS { (t:AccountTeam)-[:COVERS_ACCOUNT]->({var}) WHERE t.id IN $mineTeams }
       OR EXISTS { (r:Rep)-[:COVERS]->({var}) WHERE r.id IN $mineReps })""",
}


def _now_seconds() -> str:
    """The strength clock in the query (services/strength.py `clock`): a fixed instant from
    the configuration (a validated datetime, never a request's value), else the query's time."""
    from graph_api.config import get_settings

    fixed = get_settings().strength_now
    if fixed is None:
        return "datetime().epochSeconds"
    return str(int(fixed.timestamp() if fixed.tzinfo else fixed.replace(tzinfo=UTC).timestamp()))


def coverage_strength(cover: str, rep: str, person: str) -> str:
    """The strength of a coverage link `cover` from `rep` to `person` now: the declared one
    combined with what their interactions earned (analytics/strength.py, `strength`), from
    the pair's ENGAGED accumulator, computed in the query at the transaction's time:
    1 - (1 - declared) / (1 + A), A = f x 2^(lacc - (now - EPOCH) / h)."""
    decay = (
        f"exp({math.log(2.0)!r} * (earnedAcc.lacc - ({_now_seconds()} - {s.EPOCH_SECONDS}) "
        f"/ {float(s.DAY_SECONDS)!r} / earnedAcc.halfLife))"
    )
    two_way = (
        "CASE WHEN earnedAcc.active > 0 AND earnedAcc.passive > 0 THEN 1.0 "
        f"ELSE {s.ONE_WAY_FACTOR!r} END"
    )
    activity = f"{two_way} * {decay} / {s.SATURATION!r}"
    # Rounded as reported floats are (REPORTED_DIGITS): equal strengths stay equal.
    return (
        f"coalesce(head([({rep})-[earnedAcc:ENGAGED]->({person}) | "
        f"round(1.0 - (1.0 - coalesce({cover}.strength, 0.0)) / (1.0 + {activity}), "
        f"{REPORTED_DIGITS})]), {cover}.strength)"
    )


# Expressions on several variables: {{NAME first: second, third}}.
EXPRESSION_FRAGMENTS = {"COVERAGE_STRENGTH": coverage_strength}


def _expand(match: re.Match[str]) -> str:
    name, var, only_text = match.group(1), match.group(2), match.group(3)
    if name in EXPRESSION_FRAGMENTS and only_text is not None:
        args = [a.strip() for a in only_text.split(",")]
        return "(" + EXPRESSION_FRAGMENTS[name](var, *args) + ")"
    if name in CONDITION_FRAGMENTS and only_text is None:
        return "(" + CONDITION_FRAGMENTS[name].replace("{var}", var) + ")"
    if name in MAP_FRAGMENTS:
        if only_text is not None:
            raise ValueError(f"fragment {name} takes no field list: {match.group(0)}")
        return var + " {" + ", ".join(f".{f}" for f in MAP_FRAGMENTS[name]) + "}"
    if name in LIST_FRAGMENTS:
        fields = LIST_FRAGMENTS[name]
        if only_text is None:
            return ", ".join(f"{var}.{f}" for f in fields)
        only = [f.strip() for f in only_text.split(",") if f.strip()]
        unknown = [f for f in only if f not in fields]
        if unknown:
            raise ValueError(f"fragment {name} has no field {unknown[0]!r}: {match.group(0)}")
        return ", ".join(f"{var}.{f}" if f in only else "null" for f in fields)
    known = ", ".join(
        sorted([*MAP_FRAGMENTS, *LIST_FRAGMENTS, *CONDITION_FRAGMENTS, *EXPRESSION_FRAGMENTS])
    )
    raise ValueError(f"unknown Cypher fragment {name!r} in {match.group(0)} (known: {known})")


def expand_fragments(text: str) -> str:
    """The query text with every `{{NAME var}}` fragment replaced by its projection."""
    return FRAGMENT.sub(_expand, text)
