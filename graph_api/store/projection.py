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
from graph_api.bulk.spec import CLOSED_PREFIX, ENTITY_SECTION, Section, closed_type
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

# Clauses shared by several queries, spliced in as written (`{var}`: the node they bind).
# PORTFOLIO_BOOK: the candidates of a bounded portfolio list (cypher/portfolio.cypher `book`),
# from the team or rep node they hang on (never from every party); $source names the book.
CLAUSE_FRAGMENTS: dict[str, str] = {
    "PORTFOLIO_BOOK": """UNWIND CASE WHEN $source = 'TEAM' THEN [$team] ELSE [] END AS tid
  MATCH (:AccountTeam {id: tid})-[:COVERS_ACCOUNT]->({var}:Party)
  RETURN {var}
  UNION
  UNWIND CASE WHEN $source = 'REP' THEN [$rep] ELSE [] END AS rid
  MATCH (r:Rep {id: rid})
  CALL (r) {
    MATCH (r)-[:COVERS]->({var}:Party)
    RETURN {var}
    UNION
    MATCH (r)-[:MEMBER_OF|MANAGES]->(:AccountTeam)-[:COVERS_ACCOUNT]->({var}:Party)
    RETURN {var}
  }
  RETURN {var}
  UNION
  UNWIND CASE WHEN $source = 'MINE' THEN $mineTeams ELSE [] END AS tid
  MATCH (:AccountTeam {id: tid})-[:COVERS_ACCOUNT]->({var}:Party)
  RETURN {var}
  UNION
  UNWIND CASE WHEN $source = 'MINE' THEN $mineReps ELSE [] END AS rid
  MATCH (:Rep {id: rid})-[:COVERS]->({var}:Party)
  RETURN {var}
  UNION
  UNWIND CASE WHEN $source = 'VISIBLE' THEN $visible ELSE [] END AS pid
  MATCH ({var}:Party {id: pid})
  RETURN {var}""",
}


# The bookkeeping timestamps as map entries, read only when `$timestamps` is true: decoding
# a date-time costs the driver more than the database spends reading it, so a query that
# returns many nodes (the 360° view) fetches them only when the request selects them.
# `{{STAMPS x}}` goes inside a map literal; `{{PERSON_VIEW x}}` (and ORGANIZATION_VIEW,
# PARTY_VIEW) is `{{PERSON_FIELDS x}}` with them.
STAMPS = (
    "createdAt: CASE WHEN $timestamps THEN {var}.createdAt END, "
    "updatedAt: CASE WHEN $timestamps THEN {var}.updatedAt END"
)
_VIEW_SUFFIX = "_VIEW"
# Ending a current link `var` (cypher/write.cypher): `{{CLOSE r: WAS_WORKS_FOR}}` keeps its
# period as a link of the closed type (validTo = $today) between the same ends, then the
# query deletes it. A link that began today held on no day: nothing is kept.
_CLOSE = """WITH {var}, startNode({var}) AS closedFrom, endNode({var}) AS closedTo
CALL ({var}, closedFrom, closedTo) {{
  WITH {var}, closedFrom, closedTo WHERE {var}.validFrom IS NULL OR {var}.validFrom < $today
  MERGE (closedFrom)-[closed:{closed} {{validTo: $today}}]->(closedTo)
  SET closed = properties({var}), closed.validTo = $today
}}"""
_CLOSED_TYPE = re.compile(r"^WAS_[A-Z_]+$")


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
    if name == "STAMPS" and only_text is None:
        return STAMPS.replace("{var}", var)
    if name.endswith(_VIEW_SUFFIX) and name[: -len(_VIEW_SUFFIX)] + "_FIELDS" in MAP_FRAGMENTS:
        if only_text is not None:
            raise ValueError(f"fragment {name} takes no field list: {match.group(0)}")
        fields = MAP_FRAGMENTS[name[: -len(_VIEW_SUFFIX)] + "_FIELDS"]
        stamps = STAMPS.replace("{var}", var)
        return var + " {" + ", ".join(f".{f}" for f in fields) + ", " + stamps + "}"
    if name == "CLOSE":
        closed = (only_text or "").strip()
        if not _CLOSED_TYPE.match(closed):
            raise ValueError(f"CLOSE needs a closed link type: {match.group(0)}")
        return _CLOSE.format(var=var, closed=closed)
    if name in EXPRESSION_FRAGMENTS and only_text is not None:
        args = [a.strip() for a in only_text.split(",")]
        return "(" + EXPRESSION_FRAGMENTS[name](var, *args) + ")"
    if name in CONDITION_FRAGMENTS and only_text is None:
        return "(" + CONDITION_FRAGMENTS[name].replace("{var}", var) + ")"
    if name in CLAUSE_FRAGMENTS and only_text is None:
        return CLAUSE_FRAGMENTS[name].replace("{var}", var)
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
        sorted(
            [
                *MAP_FRAGMENTS,
                *LIST_FRAGMENTS,
                *CONDITION_FRAGMENTS,
                *CLAUSE_FRAGMENTS,
                *EXPRESSION_FRAGMENTS,
            ]
        )
    )
    raise ValueError(f"unknown Cypher fragment {name!r} in {match.group(0)} (known: {known})")


# ----- as-of variants (issue 14.2) -----
# A query that reads links with history names their types and conditions by fragments, and
# yields two queries: the current one (today's graph, the text as it would be written by
# hand: current types only, no condition) and its as-of variant (current and closed types,
# each link kept when valid on $asOf). Fragments:
#   {{REL WORKS_FOR|KNOWS}}   relationship types: `WORKS_FOR|KNOWS` / with `WAS_WORKS_FOR|...`
#   {{AT r}}                 `true` / r valid on $asOf
#   {{AND_AT r}}             nothing / `AND` r valid on $asOf
#   {{WHERE_AT r}}           nothing / `WHERE` r valid on $asOf
#   {{WHERE_AT_ALL rs}}      nothing / `WHERE` every link of the list rs valid on $asOf
#   {{AND_AT_ALL rs}}        nothing / `AND` every link of the list rs valid on $asOf
#   {{TYPE r}}               `type(r)` / the type with the closed prefix taken off
# and, for what has no validity period but a day of its own (cypher/view.cypher):
#   {{WHERE_DAY_AT x: f}}    nothing / `WHERE` the date x.f absent or on or before $asOf
#   {{AND_DAY_AT x: f}}      nothing / `AND` the same
#   {{WHERE_TIME_AT x: f}}   nothing / `WHERE` the date-time x.f before the end of $asOf (UTC)
#   {{AND_TIME_AT x: f}}     nothing / `AND` the same
AS_OF_SUFFIX = "_asof"
_REL = re.compile(r"\{\{\s*REL\s+([A-Z_]+(?:\s*\|\s*[A-Z_]+)*)\s*\}\}")
_AS_OF_NAMES = ("REL", "AT", "AND_AT", "WHERE_AT", "WHERE_AT_ALL", "AND_AT_ALL", "TYPE")
_DAY_NAMES = ("WHERE_DAY_AT", "AND_DAY_AT", "WHERE_TIME_AT", "AND_TIME_AT")
_AS_OF_FRAGMENT = re.compile(r"\{\{\s*(" + "|".join((*_AS_OF_NAMES, *_DAY_NAMES)) + r")\s")


_VALID_ON = (
    "((LINK.validFrom IS NULL OR LINK.validFrom <= DAY) "
    "AND (LINK.validTo IS NULL OR DAY < LINK.validTo))"
)
_TYPE_OF = "type(LINK)"
_BASE_TYPE = (
    "CASE WHEN type(LINK) STARTS WITH 'PREFIX' THEN substring(type(LINK), SKIP) ELSE type(LINK) END"
)
_EVERY = "all(link IN LINKS WHERE COND)"
_DAY_AT = "(VAR.FIELD IS NULL OR VAR.FIELD <= $asOf)"
# The day's end in UTC, as `signals` counts (services/view360.py `signalsBefore`).
_TIME_AT = "VAR.FIELD < datetime({date: $asOf, timezone: 'UTC'}) + duration({days: 1})"
_PROPERTY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def valid_on(var: str, day: str = "$asOf") -> str:
    """The condition that the link `var` held on `day`: [validFrom, validTo)."""
    return _VALID_ON.replace("LINK", var).replace("DAY", day)


def has_as_of(text: str) -> bool:
    """Whether a query's text has an as-of variant."""
    return _AS_OF_FRAGMENT.search(text) is not None


# Link types without history (earned from interactions, counted up to now): the as-of
# variant of `{{REL ...}}` leaves them out, so an as-of answer never uses what happened later.
WITHOUT_HISTORY = frozenset({"ENGAGED"})


def _rel(match: re.Match[str], as_of: bool) -> str:
    types = [t.strip() for t in match.group(1).split("|")]
    if as_of:
        types = [x for t in types if t not in WITHOUT_HISTORY for x in (t, closed_type(t))]
    return "|".join(types)


def _as_of_fragment(name: str, var: str, as_of: bool) -> str:
    # Plain templates, not f-strings (tests/unit/test_cypher_parameters.py): only names from
    # the query files and the declaration are spliced in.
    if name == "TYPE":
        if not as_of:
            return _TYPE_OF.replace("LINK", var)
        text = _BASE_TYPE.replace("PREFIX", CLOSED_PREFIX).replace("SKIP", str(len(CLOSED_PREFIX)))
        return text.replace("LINK", var)
    if name in ("WHERE_AT_ALL", "AND_AT_ALL"):
        if not as_of:
            return ""
        every = _EVERY.replace("LINKS", var).replace("COND", valid_on("link"))
        return ("WHERE " if name == "WHERE_AT_ALL" else "AND ") + every
    condition = valid_on(var)
    if name == "AT":
        return condition if as_of else "true"
    if name == "AND_AT":
        return "AND " + condition if as_of else ""
    return "WHERE " + condition if as_of else ""  # WHERE_AT


def _day_fragment(name: str, var: str, field: str, as_of: bool) -> str:
    if not _PROPERTY.match(field):
        raise ValueError(f"{name} needs one property name, got {field!r}")
    if not as_of:
        return ""
    template = _DAY_AT if "_DAY_" in name else _TIME_AT
    condition = template.replace("VAR", var).replace("FIELD", field)
    return ("WHERE " if name.startswith("WHERE_") else "AND ") + condition


def expand_fragments(text: str, *, as_of: bool = False) -> str:
    """The query text with every `{{NAME var}}` fragment replaced by its projection; the
    history fragments as the current query (or, `as_of`, as its as-of variant)."""
    text = _REL.sub(lambda m: _rel(m, as_of), text)

    def expand(match: re.Match[str]) -> str:
        if match.group(1) in _AS_OF_NAMES and match.group(3) is None:
            return _as_of_fragment(match.group(1), match.group(2), as_of)
        if match.group(1) in _DAY_NAMES and match.group(3) is not None:
            return _day_fragment(match.group(1), match.group(2), match.group(3).strip(), as_of)
        if as_of and match.group(1) == "COVERAGE_STRENGTH":
            # What interactions earned is known for now only (WITHOUT_HISTORY): as of a day,
            # the declared strength.
            return "(" + match.group(2) + ".strength)"
        return _expand(match)

    return FRAGMENT.sub(expand, text)
