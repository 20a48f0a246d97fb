"""First load of an empty local database with Neo4j's offline bulk importer (`import --initial`).

The document is validated exactly as by the transactional importer (`validate`, the same
reject file), the good rows are written as the bulk importer's CSV files together with the
co-holding statistics, the earned-strength accumulators and every party's portfolio
properties computed from them (no refresh afterwards: that would read every holding and
every party back), `neo4j-admin database import full` builds the store while the local
Neo4j is stopped, and then the constraints/indexes are made as after any import. The graph is
the one `load.py` with `cypher/import.cypher` would have written, bookkeeping included
(version 1, createdAt = updatedAt = the import's time);
tests/integration/test_initial_import.py compares both exports byte for byte.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import signal
import subprocess
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from graph_api.analytics.co_holding import associations
from graph_api.bulk.formats import read_sources
from graph_api.bulk.load import paused_gc, write_rejects
from graph_api.bulk.spec import LINK_SECTIONS, NODE_SECTIONS, Section
from graph_api.bulk.validate import Problem, Validated, validate
from graph_api.config import get_settings
from graph_api.services import feed
from graph_api.services.strength import accumulators_from_rows
from graph_api.store.local_neo4j import LocalNeo4j, ensure_launcher_built, find_java
from graph_api.store.neo4j_store import Store, Transaction

log = logging.getLogger(__name__)

# Separators no stored text can contain (the validator refuses control characters), so no
# value needs quoting except one with a line break, which is wrapped in _QUOTE.
_DELIMITER = "\x1f"
_ARRAY_DELIMITER = "\x1e"
_QUOTE = "\x1d"

DATABASE = "neo4j"

# The id space of the bulk importer per entity kind: one for every party (Person and
# Organization share their ids, as under the :Party uniqueness constraint).
_ID_SPACE: dict[str, str] = {
    "Person": "Party",
    "Organization": "Party",
    "Party": "Party",
    "Rep": "Rep",
    "AccountTeam": "AccountTeam",
    "Product": "Product",
    "Holding": "Holding",
    "Opportunity": "Opportunity",
    "Interaction": "Interaction",
    "BusinessEvent": "BusinessEvent",
    "AffinityRule": "AffinityRule",
    "Competitor": "Competitor",
    "TasAnswer": "TasAnswer",
}

_LABELS: dict[str, str] = {"organizations": "Party:Organization", "people": "Party:Person"}

_CSV_TYPE: dict[str, str] = {
    "id": "string",
    "str": "string",
    "text": "string",
    "enum": "string",
    "ref": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "date": "date",
    "datetime": "datetime",
    "strlist": "string[]",
    "reflist": "string[]",
}

# References of node rows that the transactional importer turns into relationships (see
# cypher/import.cypher): (field, type, whether the link points at the row's node).
_NODE_LINKS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "organizations": (("parentId", "PART_OF", False),),
    "reps": (("managerId", "MANAGED_BY", False),),
    "accountTeams": (("managerId", "MANAGES", True),),
    "people": (),
    "products": (),
    "opportunities": (
        ("accountId", "FOR_ACCOUNT", False),
        ("ownerId", "OWNS", True),
        ("productIds", "INCLUDES", False),
    ),
    "holdings": (("partyId", "HOLDS", True), ("productId", "OF_PRODUCT", False)),
    "interactions": (
        ("partyIds", "WITH", False),
        ("repIds", "CONDUCTED", True),
        ("opportunityId", "ABOUT", False),
    ),
    "events": (("organizationId", "HAS_EVENT", True),),
    "affinityRules": (
        ("whenProductId", "WHEN_HOLDS", False),
        ("suggestsProductIds", "SUGGESTS", False),
    ),
    "competitors": (),
    "tasAnswers": (("opportunityId", "ANSWERS", False),),
}

# Link sections: (type, start field, end field) per relationship file; a buying role points at
# an account or at an opportunity, two id spaces, hence two files.
_LINKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "employment": (("WORKS_FOR", "personId", "organizationId"),),
    "reporting": (("REPORTS_TO", "personId", "managerId"),),
    "family": (("FAMILY", "fromId", "toId"),),
    "beneficiaries": (("BENEFICIARY_OF", "personId", "holdingId"),),
    "buyingRoles": (
        ("BUYING_ROLE", "personId", "accountId"),
        ("BUYING_ROLE", "personId", "opportunityId"),
    ),
    "influence": (("INFLUENCES", "fromId", "toId"),),
    "acquaintance": (("KNOWS", "fromId", "toId"),),
    "coverage": (("COVERS", "repId", "personId"),),
    "competitorOpportunities": (("COMPETES_FOR", "competitorId", "opportunityId"),),
    "competitorCoverage": (("COMPETITOR_COVERS", "competitorId", "personId"),),
    "teamMembers": (("MEMBER_OF", "repId", "teamId"),),
    "teamAccounts": (("COVERS_ACCOUNT", "teamId", "partyId"),),
}


class InitialImportError(RuntimeError):
    """The bulk import could not run or failed; the database is left empty."""


@dataclass
class InitialReport:
    problems: list[Problem] = field(default_factory=list)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    duplicates_merged: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    written: bool = False
    # Wall time of each step, in seconds.
    validate_seconds: float = 0.0
    files_seconds: float = 0.0
    tool_seconds: float = 0.0
    start_seconds: float = 0.0
    index_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows_loaded.values())


def store_dir(data_dir: Path) -> Path:
    """Where the embedded Neo4j (home = its data folder) keeps the default database."""
    return data_dir / "data" / "databases" / DATABASE


def _ref_entity(section: Section, name: str) -> str:
    ref = section.field_map[name].ref
    assert ref is not None, (section.name, name)
    return ref


def _text(value: str, multiline: list[bool]) -> str:
    if "\n" in value or "\r" in value:
        multiline[0] = True
        return _QUOTE + value + _QUOTE
    return value


def _formatter(kind: str, multiline: list[bool]) -> Callable[[Any], str]:
    """How one field's validated value is written (None: absent, an empty field)."""
    if kind in ("id", "str", "text", "enum", "ref"):
        return lambda v: "" if v is None else _text(v, multiline)
    if kind == "int":
        return lambda v: "" if v is None else str(v)
    if kind == "float":
        # repr gives the shortest text that reads back as the same double.
        return lambda v: "" if v is None else repr(v)
    if kind == "bool":
        return lambda v: "" if v is None else ("true" if v else "false")
    if kind in ("date", "datetime"):
        return lambda v: "" if v is None else _iso(v)
    if kind in ("strlist", "reflist"):
        return lambda v: "" if not v else _text(_ARRAY_DELIMITER.join(v), multiline)
    raise AssertionError(kind)


def _iso(value: date | datetime) -> str:
    return value.isoformat()


# The cells of a row's fields as one text, by a function generated per file: each field's
# formatting inline (a call per field, `_formatter`'s, was a third of writing the files at
# 1M parties). It does not look for line breaks: the caller looks once in the whole line
# and, for the rare line with one, writes it again with `_formatter`, which quotes it.
_CELL: dict[str, str] = {
    "id": "'' if v is None else v",
    "str": "'' if v is None else v",
    "text": "'' if v is None else v",
    "enum": "'' if v is None else v",
    "ref": "'' if v is None else v",
    "int": "'' if v is None else str(v)",
    "float": "'' if v is None else repr(v)",
    "bool": "'' if v is None else ('true' if v else 'false')",
    "date": "'' if v is None else v.isoformat()",
    "datetime": "'' if v is None else v.isoformat()",
    "strlist": "'' if not v else A.join(v)",
    "reflist": "'' if not v else A.join(v)",
}


def _cells_formatter(columns: list[tuple[str, str]]) -> Callable[[dict[str, Any]], str]:
    """(name, kind) of each column -> the function giving a row's cells joined by the
    delimiter, unquoted."""
    lines = ["def cells(values):", "    get = values.get"]
    for i, (name, kind) in enumerate(columns):
        lines += [f"    v = get({name!r})", f"    c{i} = {_CELL[kind]}"]
    lines.append(f"    return D.join(({''.join(f'c{i}, ' for i in range(len(columns)))}))")
    env: dict[str, Any] = {"D": _DELIMITER, "A": _ARRAY_DELIMITER}
    exec(compile("\n".join(lines), "<bulk cells>", "exec"), env)  # noqa: S102
    cells: Callable[[dict[str, Any]], str] = env["cells"]
    return cells


def _has_break(text: str) -> bool:
    return "\n" in text or "\r" in text


@dataclass
class _Files:
    """The CSV files of one import and the tool's arguments naming them."""

    folder: Path
    # Before each file's name: the files of the parts written side by side (see
    # `write_import_files`) have names of their own.
    part: str = ""
    args: list[str] = field(default_factory=list)
    multiline: list[bool] = field(default_factory=lambda: [False])
    _stack: ExitStack = field(default_factory=ExitStack)
    _count: int = 0

    def open(self, option: str, prefix: str, header: list[str]) -> IO[str]:
        self._count += 1
        path = self.folder / f"{self.part}{self._count:02d}-{prefix.replace(':', '_')}.csv"
        fh = self._stack.enter_context(
            path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        )
        fh.write(_DELIMITER.join(header) + "\n")
        self.args.append(f"--{option}={prefix}={path}")
        return fh

    def close(self) -> None:
        self._stack.close()


def search_titles(validated: Validated) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each employed person's searchTitles, as import.cypher's employment query leaves them:
    "title department" per job, sorted (as the query's ORDER BY: the same jobs give the same
    list however their links are stored; code-point order, which is Neo4j's for the BMP);
    then apart, the lists
    holding an empty text (a job with neither), which a CSV list cannot carry: they are set
    after the import (cypher/initial.cypher)."""
    titles: dict[str, list[str]] = {}
    with_empty: set[str] = set()
    for row in validated.good_rows("employment"):
        values = row.values
        if values.get("validTo") is not None:
            continue  # a past job (WAS_WORKS_FOR) is not searched by
        person = values["personId"]
        parts = [p for p in (values.get("title"), values.get("department")) if p]
        if not parts:
            with_empty.add(person)
        titles.setdefault(person, []).append(" ".join(parts))
    for texts in titles.values():
        texts.sort()
    return (
        {p: t for p, t in titles.items() if p not in with_empty},
        {p: titles[p] for p in sorted(with_empty)},
    )


def write_import_files(
    validated: Validated, folder: Path, now: datetime
) -> tuple[_Files, int, int, dict[str, list[str]]]:
    """The bulk importer's files for every good row and the co-holding statistics; returns
    them with the number of nodes and relationships of the rows (the statistics' apart, as
    the transactional importer counts them), and the searchTitles to set after the import.

    Two processes write them side by side (a forked child the link sections' files and the
    earned-strength accumulators, this one the node sections' and the statistics'): writing
    is Python on one core, and the machine's other core was idle meanwhile. The arguments
    name the files in the order one process wrote them in before."""
    stamp = now.isoformat()
    half_life = get_settings().strength_half_life_days
    nodes_files, links_files = _Files(folder, "a"), _Files(folder, "b")
    stats_files, strength_files = _Files(folder, "c"), _Files(folder, "d")

    def links_part() -> tuple[list[str], list[str], bool, int]:
        try:
            relationships = _write_link_files(validated, links_files, stamp)
            write_strength_files(strength_files, validated, half_life)
        finally:
            links_files.close()
            strength_files.close()
        return (
            links_files.args,
            strength_files.args,
            links_files.multiline[0] or strength_files.multiline[0],
            relationships,
        )

    child = _SideBySide(links_part)
    try:
        try:
            nodes, relationships, later_titles = _write_node_files(validated, nodes_files, stamp)
            write_co_holding_files(stats_files, co_holding_counts(validated), datetime.now(UTC))
        finally:
            nodes_files.close()
            stats_files.close()
    except BaseException:
        child.cancel()
        raise
    links_args, strength_args, links_multiline, link_relationships = child.result()
    files = _Files(folder)
    files.args = [*nodes_files.args, *links_args, *stats_files.args, *strength_args]
    files.multiline[0] = nodes_files.multiline[0] or stats_files.multiline[0] or links_multiline
    return files, nodes, relationships + link_relationships, later_titles


_T = TypeVar("_T")


class _SideBySide(Generic[_T]):
    """`work` run in a forked child process (a copy of this one's memory: nothing to send
    it), its result sent back pickled; without fork (or with one core) it runs here, then."""

    def __init__(self, work: Callable[[], _T]) -> None:
        self._pid = 0
        self._fd = -1
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            self._value = work()
            return
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 0
            try:
                os.close(read_fd)
                try:
                    answer: tuple[bool, Any] = (True, work())
                except BaseException:
                    answer = (False, traceback.format_exc())
                with os.fdopen(write_fd, "wb") as out:
                    out.write(pickle.dumps(answer))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> _T:
        """Waits for the child's result; raises InitialImportError if it failed."""
        if not self._pid:
            return self._value
        try:
            with os.fdopen(self._fd, "rb", closefd=False) as fh:
                data = fh.read()
        finally:
            self._reap()
        if not data:
            raise InitialImportError("the process writing the link files ended without a result")
        ok, value = pickle.loads(data)  # noqa: S301 - our own child's
        if not ok:
            raise InitialImportError(f"writing the link files failed:\n{value}")
        result: _T = value
        return result

    def cancel(self) -> None:
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        os.close(self._fd)
        os.waitpid(self._pid, 0)
        self._pid = 0


def _write_node_files(
    validated: Validated, files: _Files, stamp: str
) -> tuple[int, int, dict[str, list[str]]]:
    """The node sections' files and the links their references make; returns the number of
    nodes and of links, and the searchTitles to set after the import."""
    nodes = relationships = 0
    later_titles: dict[str, list[str]] = {}
    portfolio: dict[str, tuple[str, ...]] | None = None
    multiline = files.multiline
    for section in NODE_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        assert section.entity is not None
        space = _ID_SPACE[section.entity]
        props = [f for f in section.fields if f.stored and f.name != "id"]
        header = [f"id:ID({space})"]
        header += [f"{f.name}:{_CSV_TYPE[f.kind]}" for f in props]
        titles = None
        if section.name == "people":
            titles, later_titles = search_titles(validated)
            header.append("searchTitles:string[]")
        derived = None
        if section.name in _LABELS:
            if portfolio is None:
                portfolio = portfolio_properties(validated)
            derived = portfolio
            header += list(PORTFOLIO_COLUMNS)
        header += ["version:long", "createdAt:datetime", "updatedAt:datetime"]
        node_fh = files.open("nodes", _LABELS.get(section.name, section.entity), header)
        columns = [(f.name, _formatter(f.kind, multiline)) for f in props]
        tail = f"{_DELIMITER}1{_DELIMITER}{stamp}{_DELIMITER}{stamp}\n"
        links = []
        for name, rtype, inward in _NODE_LINKS[section.name]:
            other = _ID_SPACE[_ref_entity(section, name)]
            start, end = (other, space) if inward else (space, other)
            fh = files.open("relationships", rtype, [f":START_ID({start})", f":END_ID({end})"])
            is_list = section.field_map[name].kind == "reflist"
            links.append((name, inward, is_list, fh))
        str_id = _formatter("id", multiline)
        str_list = _formatter("strlist", multiline)
        fast = _cells_formatter([(f.name, f.kind) for f in props])
        d, a_d = _DELIMITER, _ARRAY_DELIMITER
        write = node_fh.write
        for row in rows:
            values = row.values
            get = values.get
            node_id = values["id"]
            line = node_id + d + fast(values)
            if titles is not None:
                texts = titles.get(node_id)
                line += d + a_d.join(texts) if texts else d
            if derived is not None:
                line += d + d.join(derived[node_id])
            if _has_break(line):
                line = (
                    str_id(node_id)
                    + d
                    + d.join([fmt(get(name)) for name, fmt in columns])
                    + ("" if titles is None else d + str_list(titles.get(node_id)))
                    + ("" if derived is None else d + d.join(derived[node_id]))
                )
            write(line + tail)
            for name, inward, is_list, fh in links:
                ref = get(name)
                if ref is None:
                    continue
                for target in ref if is_list else (ref,):
                    a, b = (target, node_id) if inward else (node_id, target)
                    pair = a + d + b
                    if _has_break(pair):
                        pair = str_id(a) + d + str_id(b)
                    fh.write(pair + "\n")
                    relationships += 1
        nodes += len(rows)
    return nodes, relationships, later_titles


def _write_link_files(validated: Validated, files: _Files, stamp: str) -> int:
    """The link sections' files; returns the number of links."""
    relationships = 0
    multiline = files.multiline
    for section in LINK_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        props = [f for f in section.fields if f.stored and f.name not in section.key]
        columns = [(f.name, _formatter(f.kind, multiline)) for f in props]
        str_id = _formatter("id", multiline)
        # A kind with history: current links under the type, closed periods under
        # closed_type (cypher/import.cypher's `_closed` queries).
        variants = [(False, "")] + ([(True, "WAS_")] if section.rel_type else [])
        for (rtype, start_field, end_field), (closed, prefix) in (
            (link, variant) for link in _LINKS[section.name] for variant in variants
        ):
            start = _ID_SPACE[_ref_entity(section, start_field)]
            end = _ID_SPACE[_ref_entity(section, end_field)]
            header = [f":START_ID({start})", f":END_ID({end})"]
            header += [f"{f.name}:{_CSV_TYPE[f.kind]}" for f in props]
            header += ["createdAt:datetime", "updatedAt:datetime"]
            fh = files.open("relationships", prefix + rtype, header)
            write = fh.write
            fast = _cells_formatter([(f.name, f.kind) for f in props])
            d = _DELIMITER
            stamps = d + stamp + d + stamp + "\n"
            for row in rows:
                values = row.values
                get = values.get
                a, b = get(start_field), get(end_field)
                if a is None or b is None or (get("validTo") is not None) != closed:
                    continue
                line = a + d + b + (d + fast(values) if props else "")
                if _has_break(line):
                    cells = [str_id(a), str_id(b)]
                    cells += [fmt(get(name)) for name, fmt in columns]
                    line = d.join(cells)
                write(line + stamps)
                relationships += 1
    return relationships


@dataclass(frozen=True, slots=True)
class CoHoldingCounts:
    """What `refresh_co_holding_stats` reads from a loaded graph, counted from the rows."""

    people: int
    organizations: int
    # product -> (people, organizations) holding it
    holders: dict[str, tuple[int, int]]
    # (a, b), a < b -> customers holding both
    pairs: dict[tuple[str, str], int]


def co_holding_counts(validated: Validated) -> CoHoldingCounts:
    """The co-holding counts of the good rows, as cypher/cross_sell.cypher's holders,
    customers and pairs queries would count them once loaded: a customer is a party with a
    holding that is not closed, counted once per product however many such holdings."""
    people = {row.values["id"] for row in validated.good_rows("people")}
    products_of: dict[str, set[str]] = {}
    for row in validated.good_rows("holdings"):
        values = row.values
        if values.get("status") == "CLOSED":
            continue
        products_of.setdefault(values["partyId"], set()).add(values["productId"])
    holders: dict[str, list[int]] = {}
    pairs: dict[tuple[str, str], int] = {}
    n_people = 0
    for party, products in products_of.items():
        slot = 0 if party in people else 1
        n_people += slot == 0
        for product in products:
            holders.setdefault(product, [0, 0])[slot] += 1
        if len(products) > 1:
            ordered = sorted(products)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
    return CoHoldingCounts(
        people=n_people,
        organizations=len(products_of) - n_people,
        holders={p: (c[0], c[1]) for p, c in holders.items()},
        pairs=pairs,
    )


def write_strength_files(files: _Files, validated: Validated, half_life_days: float) -> int:
    """The earned-strength accumulators of the interactions' pairs as ENGAGED relationships
    (services/strength.py `accumulators_from_rows`: what `refresh_pairs` computes after a
    transactional import); returns how many (derived: not counted among the rows' links)."""
    people = {row.values["id"] for row in validated.good_rows("people")}
    rows = [row.values for row in validated.good_rows("interactions")]
    if not rows:
        return 0
    found = accumulators_from_rows(rows, people, half_life_days)
    d, multiline = _DELIMITER, files.multiline
    header = [
        "lacc:double",
        "halfLife:double",
        "count:long",
        "kindCounts:long[]",
        "active:long",
        "passive:long",
        "firstAt:datetime",
        "lastAt:datetime",
    ]
    handles = {
        kind: files.open(
            "relationships",
            "ENGAGED",
            [f":START_ID({'Rep' if kind == 'R' else 'Party'})", ":END_ID(Party)", *header],
        )
        for kind in ("R", "P")
    }
    for (kind, a, b), acc in sorted(found.items()):
        handles[kind].write(
            d.join(
                [
                    _text(a, multiline),
                    _text(b, multiline),
                    repr(acc.lacc),
                    repr(acc.half_life_days),
                    str(acc.count),
                    _ARRAY_DELIMITER.join(str(c) for c in acc.kind_counts),
                    str(acc.active),
                    str(acc.passive),
                    acc.first_at.isoformat(),
                    acc.last_at.isoformat(),
                ]
            )
            + "\n"
        )
    return len(found)


# The properties `portfolio.refresh` (cypher/portfolio.cypher) keeps on every party, in the
# order of their columns in the party files.
PORTFOLIO_COLUMNS = (
    "profileScore:long",
    "lastInteractionAt:datetime",
    "followUpDay:long",
    "radCell:string",
    "decisionLayerNoSupporter:boolean",
    "decisionLayerUncovered:boolean",
    "nextInteractionDay:long",
)
_EPOCH = date(1970, 1, 1)
_DECIDING_ROLES = frozenset({"DECISION_MAKER", "APPROVER"})


def portfolio_properties(
    validated: Validated, before: datetime | None = None
) -> dict[str, tuple[str, ...]]:
    """Each party's portfolio properties as the cells of PORTFOLIO_COLUMNS: what
    `portfolio.refresh` would set once the rows are loaded (no refresh after the bulk import:
    at 1M parties it read the graph back in 200 batches). The same rules, from the rows:

    - profileScore: the points (domain/signals.py) of the fields that are stored (the
      validator stores no blank text);
    - lastInteractionAt: the newest `at` of the interactions with the party before `before`
      (the start of tomorrow, UTC: `follow_up_before`); followUpDay: its UTC day, else
      customerSince, else 0, as days since 1970-01-01; nextInteractionDay: the UTC day of the
      first interaction at or after `before` (none: empty);
    - radCell: an organization's R/D/A row (revenue / annualPurchase, else shareOfWallet) and
      1/2/3 column (annualPurchase);
    - the decision layer: the people with a current buying role on the account or on one of
      its opportunities, DECISION_MAKER or APPROVER in one of them; no supporter among their
      attitudes there, or one of them covered by no rep (current coverage), flags the account.
    """
    from graph_api.domain.signals import (
        ORGANIZATION_PROFILE_POINTS,
        PERSON_PROFILE_POINTS,
        follow_up_before,
    )

    cutoff = before or follow_up_before()
    last_at: dict[str, datetime] = {}
    next_at: dict[str, datetime] = {}
    for row in validated.good_rows("interactions"):
        values = row.values
        at = values["at"]
        ahead = at >= cutoff
        for party in values.get("partyIds") or ():
            if ahead:
                seen = next_at.get(party)
                if seen is None or at < seen:
                    next_at[party] = at
                continue
            seen = last_at.get(party)
            if seen is None or at > seen:
                last_at[party] = at
    account_of = {
        row.values["id"]: row.values.get("accountId")
        for row in validated.good_rows("opportunities")
    }
    # account -> person -> (deciding, supporting) over the person's marks there
    marks: dict[str, dict[str, tuple[bool, bool]]] = {}
    for row in validated.good_rows("buyingRoles"):
        values = row.values
        if values.get("validTo") is not None:
            continue  # a closed period (WAS_BUYING_ROLE)
        account = values.get("accountId")
        if account is None:
            account = account_of.get(values.get("opportunityId"))
        if account is None:
            continue
        person = values["personId"]
        people = marks.setdefault(account, {})
        deciding, supporting = people.get(person, (False, False))
        people[person] = (
            deciding or values.get("role") in _DECIDING_ROLES,
            supporting or values.get("attitude") == "SUPPORTER",
        )
    covered = {
        row.values["personId"]
        for row in validated.good_rows("coverage")
        if row.values.get("validTo") is None
    }
    out: dict[str, tuple[str, ...]] = {}
    for section, points in (
        ("people", PERSON_PROFILE_POINTS),
        ("organizations", ORGANIZATION_PROFILE_POINTS),
    ):
        fields = [(name, p) for name, (_, p) in points.items()]
        organization = section == "organizations"
        for row in validated.good_rows(section):
            values = row.values
            party = values["id"]
            score = sum(p for name, p in fields if values.get(name) is not None)
            at = last_at.get(party)
            day = at.astimezone(UTC).date() if at is not None else values.get("customerSince")
            rad = ""
            purchase = values.get("annualPurchase")
            if organization and purchase is not None:
                revenue = values.get("revenue")
                sow = (
                    float(revenue) / purchase
                    if revenue is not None and purchase > 0
                    else values.get("shareOfWallet")
                )
                if sow is not None:
                    rad = ("R" if sow > 0.5 else "D" if sow >= 0.1 else "A") + (
                        "1" if purchase > 1000000 else "2" if purchase >= 500000 else "3"
                    )
            layer = [
                (supporting, person in covered)
                for person, (deciding, supporting) in marks.get(party, {}).items()
                if deciding
            ]
            no_supporter = bool(layer) and not any(s for s, _ in layer)
            uncovered = any(not c for _, c in layer)
            ahead = next_at.get(party)
            out[party] = (
                str(score),
                "" if at is None else _iso(at),
                "0" if day is None else str((day - _EPOCH).days),
                rad,
                "true" if no_supporter else "",
                "true" if uncovered else "",
                "" if ahead is None else str((ahead.astimezone(UTC).date() - _EPOCH).days),
            )
    return out


def write_co_holding_files(files: _Files, counts: CoHoldingCounts, now: datetime) -> None:
    """The statistics as importer files: the graph `refresh_co_holding_stats` leaves (one
    CoHoldingStats node, its COUNTS, the CO_HELD pairs), so the load needs no refresh."""
    started = time.perf_counter()
    rules = associations(
        {p: people + orgs for p, (people, orgs) in counts.holders.items()},
        counts.pairs,
        counts.people + counts.organizations,
    )
    d = _DELIMITER
    node_fh = files.open(
        "nodes",
        "CoHoldingStats",
        [
            "id:ID(CoHoldingStats)",
            "refreshedAt:datetime",
            "people:long",
            "organizations:long",
            "products:long",
            "associations:long",
            "seconds:double",
        ],
    )
    count_fh = files.open(
        "relationships",
        "COUNTS",
        [":START_ID(CoHoldingStats)", ":END_ID(Product)", "people:long", "organizations:long"],
    )
    for product, (people, orgs) in counts.holders.items():
        count_fh.write(f"current{d}{_text(product, files.multiline)}{d}{people}{d}{orgs}\n")
    pair_fh = files.open(
        "relationships",
        "CO_HELD",
        [
            ":START_ID(Product)",
            ":END_ID(Product)",
            "pairCount:long",
            "support:double",
            "confidence:double",
            "lift:double",
        ],
    )
    for r in rules:
        a, b = _text(r.antecedent, files.multiline), _text(r.consequent, files.multiline)
        pair_fh.write(
            f"{a}{d}{b}{d}{r.pair_count}{d}{r.support!r}{d}{r.confidence!r}{d}{r.lift!r}\n"
        )
    seconds = time.perf_counter() - started
    node_fh.write(
        d.join(
            [
                "current",
                now.isoformat(),
                str(counts.people),
                str(counts.organizations),
                str(len(counts.holders)),
                str(len(rules)),
                repr(seconds),
            ]
        )
        + "\n"
    )


def _tool_command(files: _Files, local: LocalNeo4j, report_file: Path) -> list[str]:
    classpath = ensure_launcher_built()
    return [
        find_java(),
        f"-Xmx{local.heap}",
        "-cp",
        os.pathsep.join(classpath),
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        DATABASE,
        "--overwrite-destination=true",
        f"--delimiter={_DELIMITER}",
        f"--array-delimiter={_ARRAY_DELIMITER}",
        f"--quote={_QUOTE}",
        f"--multiline-fields={'true' if files.multiline[0] else 'false'}",
        "--bad-tolerance=0",
        f"--report-file={report_file}",
        *files.args,
    ]


def run_import_tool(files: _Files, local: LocalNeo4j) -> None:
    """Runs `neo4j-admin database import full` on the local Neo4j's data folder (stopped)."""
    report_file = files.folder / "import.report"
    cmd = _tool_command(files, local, report_file)
    env = {**os.environ, "NEO4J_HOME": str(local.data_dir), "NEO4J_CONF": str(files.folder)}
    log.info("running neo4j-admin database import full into %s", local.data_dir)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip().splitlines()
        report = report_file.read_text(errors="replace") if report_file.exists() else ""
        raise InitialImportError(
            f"neo4j-admin database import failed (exit {proc.returncode}):\n"
            + "\n".join(output[-30:])
            + (f"\nreport:\n{report[-3000:]}" if report else "")
        )


def _remove_store(data_dir: Path) -> None:
    """Back to an empty database after a failed bulk import (a half-built store is no use)."""
    for folder in (store_dir(data_dir), data_dir / "data" / "transactions" / DATABASE):
        shutil.rmtree(folder, ignore_errors=True)


async def database_is_empty(store: Store) -> bool:
    rows = await store.read("MATCH (n) RETURN count(n) > 0 AS any LIMIT 1")
    return not rows[0]["any"]


async def initial_import(
    local: LocalNeo4j,
    path: Path,
    connect: Callable[[str], Store],
    *,
    accept_valid: bool = False,
    reject_file: Path | None = None,
) -> InitialReport:
    """Loads `path` into the local Neo4j's empty database with the bulk importer.

    The local Neo4j must not be running (the tool writes its store files); it is left running
    with the data loaded, indexed and the co-holding statistics made, and the caller stops it.
    Like `import_path`: nothing is written if anything is wrong, unless `accept_valid`, which
    loads the good rows and writes every rejected row to `reject_file`."""
    if local.running:
        raise InitialImportError("the local Neo4j is running: the bulk importer needs it stopped")
    with paused_gc():
        return await _initial_import(
            local,
            path,
            connect,
            accept_valid=accept_valid,
            reject_file=reject_file,
        )


async def _initial_import(
    local: LocalNeo4j,
    path: Path,
    connect: Callable[[str], Store],
    *,
    accept_valid: bool,
    reject_file: Path | None,
) -> InitialReport:
    started = time.perf_counter()
    now = datetime.now(UTC)
    sources, doc_problems = read_sources(path)
    # An empty database: every reference must be in the document and every cycle in it, as
    # the database would answer for each id and link it is asked about.
    validated = await validate(sources, None, None)
    del sources
    validated.problems[:0] = doc_problems
    report = InitialReport(
        problems=validated.problems,
        rejected=len(validated.rejected_rows()),
        duplicates_merged=validated.duplicates_merged,
    )
    report.validate_seconds = time.perf_counter() - started
    if validated.problems and not accept_valid:
        report.seconds = report.validate_seconds
        return report

    # Held until the caller stops the Neo4j started below: no other process may start a
    # Neo4j on the folder while the tool writes its store.
    local.claim_folder()
    folder = local.data_dir / "bulk-import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        step = time.perf_counter()
        files, report.nodes_created, report.relationships_created, later_titles = (
            write_import_files(validated, folder, now)
        )
        for section in (*NODE_SECTIONS, *LINK_SECTIONS):
            n = len(validated.good_rows(section.name))
            if n:
                report.rows_loaded[section.name] = n
        if validated.problems and reject_file is not None:
            write_rejects(reject_file, validated)
        del validated
        report.files_seconds = time.perf_counter() - step

        step = time.perf_counter()
        try:
            run_import_tool(files, local)
        except BaseException:
            _remove_store(local.data_dir)
            raise
        report.tool_seconds = time.perf_counter() - step
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    step = time.perf_counter()
    uri = local.start()
    report.start_seconds = time.perf_counter() - step
    store = connect(uri)
    try:
        step = time.perf_counter()
        # The portfolio properties and the searchTitles came with the files: no party is
        # stale, no person's titles to backfill.
        await store.migrate(refresh_stale=False, bulk_loaded=True)
        if later_titles:
            rows = [{"id": p, "titles": t} for p, t in later_titles.items()]
            await store.write("initial.search_titles", {"rows": rows})
        report.index_seconds = time.perf_counter() - step
        # The portfolio properties (issue 15.5) and the co-holding statistics were loaded with
        # the files.
        # One marker in the change feed, not a change per row: a first load fills an empty
        # database, so every client following the feed reads the whole state anyway (and
        # millions of changes would only make the feed as large as the graph).
        loaded = sum(report.rows_loaded.values())

        async def mark(tx: Transaction) -> None:
            await feed.record(tx, [feed.initial_load_marker(now, loaded)])

        await store.write_transaction(mark)
    finally:
        await store.close()
    report.written = True
    report.seconds = time.perf_counter() - started
    return report
