"""Loads a validated document with batched, idempotent UNWIND ... MERGE writes."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from neo4j.exceptions import TransientError

from graph_api.bulk.formats import read_sources
from graph_api.bulk.spec import ENTITY_LABELS, LINK_SECTIONS, NODE_SECTIONS, Section
from graph_api.bulk.validate import Problem, Row, Validated, validate
from graph_api.store.neo4j_store import Store

log = logging.getLogger(__name__)

# After a node section, single-valued references stored as links: (query, field).
_FOLLOW_UPS: dict[str, tuple[str, str]] = {
    "organizations": ("import.organization_parents", "parentId"),
    "reps": ("import.rep_managers", "managerId"),
    "accountTeams": ("import.team_managers", "managerId"),
}

DEFAULT_BATCH = 5000
DEFAULT_LINK_CONCURRENCY = 1


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    duplicates_merged: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    seconds: float = 0.0
    validate_seconds: float = 0.0
    written: bool = False

    @property
    def total_rows(self) -> int:
        return sum(self.rows_loaded.values())


@dataclass(frozen=True, slots=True)
class _Shape:
    """How the rows of one section become query parameters, computed once per section."""

    props: tuple[str, ...]  # stored fields, in the node's or link's properties
    extra: tuple[tuple[str, Any], ...]  # fields given beside the props, with their default
    node: bool


_SHAPES: dict[str, _Shape] = {}


def _shape(section: Section) -> _Shape:
    shape = _SHAPES.get(section.name)
    if shape is None:
        extra: tuple[tuple[str, Any], ...]
        if section.kind == "node":
            props = tuple(f.name for f in section.fields if f.stored and f.name != "id")
            # References are also needed beside the props to MATCH the linked nodes, whether
            # or not they are stored as properties too (a holding keeps its partyId and
            # productId).
            extra = tuple(
                (f.name, [] if f.kind == "reflist" else None)
                for f in section.fields
                if not f.stored or f.kind in ("ref", "reflist")
            )
        else:
            props = tuple(f.name for f in section.fields if f.stored and f.name not in section.key)
            extra = tuple((k, None) for k in section.key)
        shape = _SHAPES[section.name] = _Shape(props, extra, section.kind == "node")
    return shape


def _payload(shape: _Shape, row: Row) -> dict[str, Any]:
    values = row.values
    props = {k: values[k] for k in shape.props if k in values}
    out: dict[str, Any] = {"id": values["id"], "props": props} if shape.node else {}
    for name, default in shape.extra:
        value = values.get(name, default)
        # A list default is built anew for every row (the payload is the driver's, not ours).
        out[name] = list(value) if value is default and default is not None else value
    if not shape.node:
        out["props"] = props
    return out


def _node_payload(section: Section, row: Row) -> dict[str, Any]:
    return _payload(_shape(section), row)


def _link_payload(section: Section, row: Row) -> dict[str, Any]:
    return _payload(_shape(section), row)


def make_db_lookup(store: Store) -> Callable[[str, list[str]], Any]:
    async def lookup(entity: str, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        names = (
            ["import.lookup_party"]
            if entity == "Party"
            else [f"import.lookup_{label}" for label in ENTITY_LABELS[entity]]
        )
        for name in names:
            for i in range(0, len(ids), 20000):
                for rec in await store.read(name, {"ids": ids[i : i + 20000]}):
                    found[rec["id"]] = rec["kind"]
        return found

    return lookup


def make_db_links(store: Store) -> Callable[[str, list[str]], Any]:
    """The stored links of an acyclic section's relation, from the given ids."""

    async def links(section: str, ids: list[str]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for i in range(0, len(ids), 20000):
            for rec in await store.read(f"import.links_{section}", {"ids": ids[i : i + 20000]}):
                found.append((rec["src"], rec["dst"]))
        return found

    return links


# A batch is a list of payloads written by one query in one transaction.
_Batch = tuple[str, list[dict[str, Any]]]


def _batches(name: str, payload: list[dict[str, Any]], size: int) -> list[_Batch]:
    return [(name, payload[i : i + size]) for i in range(0, len(payload), size)]


def _section_batches(section: Section, rows: list[Row], size: int) -> list[list[_Batch]]:
    """The section's writes, as steps: every batch of a step may run at once; a step
    starts when the one before it is done (a node's links follow the node)."""
    shape = _shape(section)
    payload = [_payload(shape, r) for r in rows]
    if section.kind == "node":
        steps = [_batches(f"import.{section.name}", payload, size)]
        follow = _FOLLOW_UPS.get(section.name)
        if follow is not None:
            query_name, ref_field = follow
            linked = [p for p in payload if p.get(ref_field) is not None]
            if linked:
                steps.append(_batches(query_name, linked, size))
        return steps
    if section.name == "buyingRoles":
        return [
            _batches("import.buyingRoles_account", [p for p in payload if p.get("accountId")], size)
            + _batches(
                "import.buyingRoles_opportunity",
                [p for p in payload if p.get("opportunityId")],
                size,
            )
        ]
    return [_batches(f"import.{section.name}", payload, size)]


async def load_validated(
    store: Store,
    validated: Validated,
    *,
    batch_size: int = DEFAULT_BATCH,
    link_concurrency: int = DEFAULT_LINK_CONCURRENCY,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Writes every good row; node sections first (in order: a section links to the nodes
    of the ones before it), then the link sections, each in batches of one transaction.

    Up to `link_concurrency` batches of a link section run at once, on as many sessions
    (node sections are written one batch at a time: measured on 2 cores, concurrent node
    batches were slower, and those linking to the same product deadlocked). Two
    transactions linking the same node can deadlock; the database then fails one with a
    transient error and it is run again (every query is idempotent, and a failed
    transaction wrote nothing)."""
    report = ImportReport()
    now = datetime.now(UTC)
    workers = max(1, link_concurrency)

    async def run(batch: _Batch) -> None:
        name, rows = batch
        counters = await _write_batch(store, name, {"rows": rows, "now": now})
        report.nodes_created += counters.get("nodes_created", 0)
        report.relationships_created += counters.get("relationships_created", 0)
        report.properties_set += counters.get("properties_set", 0)
        if progress is not None and name not in _FOLLOW_UP_QUERIES:
            progress(len(rows))

    async def run_step(batches: list[_Batch]) -> None:
        if workers == 1 or len(batches) == 1:
            for batch in batches:
                await run(batch)
            return
        queue = list(reversed(batches))

        async def worker() -> None:
            while queue:
                await run(queue.pop())

        tasks = [asyncio.create_task(worker()) for _ in range(min(workers, len(batches)))]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    for section in NODE_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        for step in _section_batches(section, rows, batch_size):
            for batch in step:
                await run(batch)
        report.rows_loaded[section.name] = len(rows)

    for section in LINK_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        for step in _section_batches(section, rows, batch_size):
            await run_step(step)
        report.rows_loaded[section.name] = len(rows)
    report.written = True
    return report


# Follow-up queries write links of rows already counted by their node section's batch.
_FOLLOW_UP_QUERIES = frozenset(q for q, _ in _FOLLOW_UPS.values())

# How long a batch is tried again after transient failures (deadlocks between concurrent
# batches, a busy database) before the import gives up; every try is a new transaction.
RETRY_TIME_S = 300.0


async def _write_batch(store: Store, name: str, params: dict[str, Any]) -> dict[str, int]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RETRY_TIME_S
    delay = 0.05
    while True:
        try:
            return await store.write_counters(name, params)
        except TransientError:
            # The driver already retried for its max_transaction_retry_time.
            if loop.time() + delay > deadline:
                raise
        log.info("import batch %s: transient failure, running it again", name)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


def write_rejects(path: Path, validated: Validated) -> int:
    """One JSON line per rejected row: where it was, its data and every problem with it."""
    by_row: dict[tuple[str, str, int], list[Problem]] = {}
    for p in validated.problems:
        by_row.setdefault((p.file, p.section, p.row), []).append(p)
    # The rows of the sections with problems by (file, number), the first of each: one pass,
    # not one per rejected row.
    raws: dict[tuple[str, str, int], Row] = {}
    for section in {s for _f, s, _n in by_row}:
        for r in validated.rows.get(section, []):
            raws.setdefault((r.file, section, r.number), r)
    count = 0
    with path.open("wb") as fh:
        for (file, section, row), problems in sorted(by_row.items()):
            found = raws.get((file, section, row))
            data = dict(found.raw) if found is not None else None
            record = {
                "file": file,
                "section": section,
                "row": row,
                "data": data,
                "problems": [
                    {"field": p.field, "value": p.value, "code": p.code, "message": p.message}
                    for p in problems
                ],
            }
            fh.write(orjson.dumps(record, default=str) + b"\n")
            count += 1
    return count


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, as it was after.

    An import makes tens of millions of objects (rows, values, payloads) and frees them by
    reference counting; with the collector on, it walked all of them again and again (a
    fifth of the validation time at 100k parties), finding nothing to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def import_path(
    store: Store,
    path: Path,
    *,
    accept_valid: bool = False,
    reject_file: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    link_concurrency: int = DEFAULT_LINK_CONCURRENCY,
    progress_factory: Callable[[int], Callable[[int], None]] | None = None,
) -> ImportReport:
    """Validates the whole document first; writes nothing if anything is wrong, unless
    `accept_valid`, which loads the good rows and writes every rejected row to `reject_file`."""
    with paused_gc():
        report = await _import_path(
            store,
            path,
            accept_valid=accept_valid,
            reject_file=reject_file,
            batch_size=batch_size,
            link_concurrency=link_concurrency,
            progress_factory=progress_factory,
        )
    return report


async def _import_path(
    store: Store,
    path: Path,
    *,
    accept_valid: bool,
    reject_file: Path | None,
    batch_size: int,
    link_concurrency: int,
    progress_factory: Callable[[int], Callable[[int], None]] | None,
) -> ImportReport:
    started = time.perf_counter()
    sources, doc_problems = read_sources(path)
    validated = await validate(sources, make_db_lookup(store), make_db_links(store))
    del sources
    validated.problems[:0] = doc_problems
    validate_seconds = time.perf_counter() - started
    if validated.problems and not accept_valid:
        report = ImportReport(
            problems=validated.problems,
            rejected=len(validated.rejected_rows()),
            duplicates_merged=validated.duplicates_merged,
            validate_seconds=validate_seconds,
            seconds=validate_seconds,
        )
        return report
    total = sum(len(validated.good_rows(s.name)) for s in (*NODE_SECTIONS, *LINK_SECTIONS))
    progress = progress_factory(total) if progress_factory else None
    report = await load_validated(
        store,
        validated,
        batch_size=batch_size,
        link_concurrency=link_concurrency,
        progress=progress,
    )
    report.problems = validated.problems
    report.rejected = len(validated.rejected_rows())
    report.duplicates_merged = validated.duplicates_merged
    report.validate_seconds = validate_seconds
    if validated.problems and reject_file is not None:
        write_rejects(reject_file, validated)
    await _after_import(store)
    report.seconds = time.perf_counter() - started
    return report


async def _after_import(store: Store) -> None:
    """Derived data that follows the holdings: cross-sell co-holding statistics (issue 6)."""
    # Imported here so that the whole hook is this one block of the module.
    from graph_api.services.co_holding import refresh_co_holding_stats

    await refresh_co_holding_stats(store)
