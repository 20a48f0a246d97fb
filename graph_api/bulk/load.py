"""Loads a validated document with batched, idempotent UNWIND ... MERGE writes."""

from __future__ import annotations

import asyncio
import gc
import hashlib
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
from graph_api.metrics import IMPORT_REJECTS, IMPORT_ROWS
from graph_api.services import feed
from graph_api.store.neo4j_store import Store, Transaction

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
    batches_skipped: int = 0  # committed by the run resumed from its checkpoint

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


# A batch: the query, its payloads (written in one transaction) and the rows they come from.
_Batch = tuple[str, list[dict[str, Any]], list[Row]]


def _batches(name: str, payload: list[dict[str, Any]], rows: list[Row], size: int) -> list[_Batch]:
    return [(name, payload[i : i + size], rows[i : i + size]) for i in range(0, len(payload), size)]


def _section_batches(section: Section, rows: list[Row], size: int) -> list[list[_Batch]]:
    """The section's writes, as steps: every batch of a step may run at once; a step
    starts when the one before it is done (a node's links follow the node)."""
    shape = _shape(section)
    payload = [_payload(shape, r) for r in rows]
    if section.kind == "node":
        steps = [_batches(f"import.{section.name}", payload, rows, size)]
        follow = _FOLLOW_UPS.get(section.name)
        if follow is not None:
            query_name, ref_field = follow
            linked = [i for i, p in enumerate(payload) if p.get(ref_field) is not None]
            if linked:
                steps.append(
                    _batches(
                        query_name, [payload[i] for i in linked], [rows[i] for i in linked], size
                    )
                )
        return steps
    if section.name == "buyingRoles":
        on_account = [i for i, p in enumerate(payload) if p.get("accountId")]
        on_opportunity = [i for i, p in enumerate(payload) if p.get("opportunityId")]
        groups = [("import.buyingRoles_account", on_account)]
        groups.append(("import.buyingRoles_opportunity", on_opportunity))
    else:
        groups = [(f"import.{section.name}", list(range(len(payload))))]
    step: list[_Batch] = []
    for name, picked in groups:
        # A closed period (validTo given) is written by the query's `_closed` twin, as a
        # relationship of the parallel WAS_ type (spec.closed_type).
        current = [i for i in picked if payload[i]["props"].get("validTo") is None]
        closed = [i for i in picked if payload[i]["props"].get("validTo") is not None]
        for query_name, chosen in ((name, current), (name + "_closed", closed)):
            step += _batches(
                query_name, [payload[i] for i in chosen], [rows[i] for i in chosen], size
            )
    return [step]


def _digest(name: str, payload: list[dict[str, Any]]) -> str:
    """A batch's identity for the checkpoint: its query and every value it writes."""
    return hashlib.blake2b(
        name.encode() + b"\0" + orjson.dumps(payload), digest_size=16
    ).hexdigest()


class CheckpointError(Exception):
    """The checkpoint to resume from cannot be used; the message says why."""


class Checkpoint:
    """The batches an import has committed, one JSON line each, appended as each commits.

    A load that stops half-way (a write refused, the database gone, the process killed)
    leaves it behind; `resume` then skips every batch recorded with the same query and
    values, and writes the others. Skipping is safe because a batch is idempotent: the
    checkpoint saves the time, running everything again would give the same graph.
    Removed when the import completes."""

    def __init__(self, path: Path, document: Path, *, resume: bool = False) -> None:
        self.path = path
        self.done: set[str] = set()
        self.skipped = 0
        if resume:
            if not path.exists():
                raise CheckpointError(f"{path}: no checkpoint to resume from")
            try:
                lines = path.read_bytes().splitlines()
                head = orjson.loads(lines[0])
                self.done = {orjson.loads(line)["batch"] for line in lines[1:] if line.strip()}
            except (IndexError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
                raise CheckpointError(f"{path}: not an import checkpoint ({exc})") from exc
            if head.get("document") != str(document):
                raise CheckpointError(
                    f"{path}: a checkpoint of {head.get('document')}, not of {document}"
                )
        try:
            if resume:
                self._fh = path.open("ab")
            else:
                self._fh = path.open("wb")
                self._fh.write(orjson.dumps({"document": str(document)}) + b"\n")
                self._fh.flush()
        except OSError as exc:
            raise CheckpointError(
                f"{path}: cannot write the import's checkpoint ({exc.strerror}); "
                "give another file with --checkpoint"
            ) from exc

    def skip(self, digest: str) -> bool:
        if digest in self.done:
            self.skipped += 1
            return True
        return False

    def record(self, digest: str, name: str, rows: int) -> None:
        # Flushed at once: the line must be there even if the process dies next.
        self._fh.write(orjson.dumps({"batch": digest, "query": name, "rows": rows}) + b"\n")
        self._fh.flush()

    def close(self, *, completed: bool) -> None:
        self._fh.close()
        if completed:
            self.path.unlink(missing_ok=True)


def default_checkpoint(document: Path) -> Path:
    """Beside the document: `<document>.checkpoint`."""
    return document.with_name(document.name + ".checkpoint")


class ImportInterrupted(Exception):
    """A write failed while loading: what was written, what failed, how to finish."""

    def __init__(
        self,
        *,
        cause: BaseException,
        failed: _Batch | None,
        written: dict[str, int],
        planned: dict[str, int],
        run_at: datetime,
        checkpoint: Path | None,
    ) -> None:
        self.cause = cause
        self.written = written
        self.planned = planned
        self.run_at = run_at
        self.checkpoint = checkpoint
        self.failed_rows = failed[2] if failed is not None else []
        self.failed_query = failed[0] if failed is not None else None
        super().__init__(cause)

    def __str__(self) -> str:
        # Rendered when shown, not when raised: concurrent batches under way at the failure
        # finish first, and what they wrote is part of the account.
        return self._message()

    def _message(self) -> str:
        cause = getattr(self.cause, "message", None) or str(self.cause) or type(self.cause).__name__
        code = getattr(self.cause, "code", None)
        lines = [
            "the import stopped at a write the database did not take: "
            + (f"{code}: " if code else f"{type(self.cause).__name__}: ")
            + cause.strip().splitlines()[0]
        ]
        if self.failed_rows:
            first, last = self.failed_rows[0], self.failed_rows[-1]
            lines.append(
                f"  not written: the batch of {first.file} {first.section} rows {first.number} "
                f"to {last.number} ({len(self.failed_rows)} rows, query {self.failed_query}): "
                "one transaction, rolled back (unless the connection was lost while it "
                "committed; writing it again changes nothing then)"
            )
        order = {q: i for i, q in enumerate(_QUERY_LABELS)}
        planned = sorted(self.planned.items(), key=lambda item: order.get(item[0], len(order)))
        done = [
            f"{_QUERY_LABELS.get(q, q)} {self.written.get(q, 0)} of {n} rows"
            for q, n in planned
            if self.written.get(q, 0)
        ]
        lines.append("  written (committed): " + ("; ".join(done) if done else "nothing"))
        todo = [
            f"{_QUERY_LABELS.get(q, q)} {n - self.written.get(q, 0)} rows"
            for q, n in planned
            if n > self.written.get(q, 0)
        ]
        if todo:
            lines.append("  still to write: " + "; ".join(todo))
        if self.checkpoint is not None:
            lines.append(
                f"  the committed batches are recorded in {self.checkpoint}: once the cause is "
                "fixed, run the same import with --resume to write the rest (running it again "
                "from the start gives the same graph: every batch is idempotent)"
            )
        lines.append(
            "  nodes this run created or changed carry createdAt or updatedAt "
            f"{self.run_at.isoformat()}; there is no automatic undo"
        )
        return "\n".join(lines)


def _query_labels() -> dict[str, str]:
    """Each import query's name in a report, in the order the load runs them."""
    labels: dict[str, str] = {}
    for section in (*NODE_SECTIONS, *LINK_SECTIONS):
        if section.name == "buyingRoles":
            labels["import.buyingRoles_account"] = "buyingRoles on accounts"
            labels["import.buyingRoles_opportunity"] = "buyingRoles on opportunities"
            labels["import.buyingRoles_account_closed"] = "closed buyingRoles on accounts"
            labels["import.buyingRoles_opportunity_closed"] = "closed buyingRoles on opportunities"
            continue
        labels[f"import.{section.name}"] = section.name
        if section.rel_type is not None:
            labels[f"import.{section.name}_closed"] = f"closed {section.name}"
        follow = _FOLLOW_UPS.get(section.name)
        if follow is not None:
            labels[follow[0]] = f"{section.name} {follow[1]} links"
    return labels


async def load_validated(
    store: Store,
    validated: Validated,
    *,
    batch_size: int = DEFAULT_BATCH,
    link_concurrency: int = DEFAULT_LINK_CONCURRENCY,
    progress: Callable[[int], None] | None = None,
    checkpoint: Checkpoint | None = None,
) -> ImportReport:
    """Writes every good row; node sections first (in order: a section links to the nodes
    of the ones before it), then the link sections, each in batches of one transaction.

    Up to `link_concurrency` batches of a link section run at once, on as many sessions
    (node sections are written one batch at a time: measured on 2 cores, concurrent node
    batches were slower, and those linking to the same product deadlocked). Two
    transactions linking the same node can deadlock; the database then fails one with a
    transient error and it is run again (every query is idempotent, and a failed
    transaction wrote nothing).

    A batch that fails otherwise stops the load with ImportInterrupted, which says what was
    committed and what was not; every committed batch is in the `checkpoint`, if given."""
    report = ImportReport()
    now = datetime.now(UTC)
    workers = max(1, link_concurrency)
    sections = [
        (section, rows)
        for section in (*NODE_SECTIONS, *LINK_SECTIONS)
        if (rows := validated.good_rows(section.name))
    ]
    # Rows per query, planned and committed: what an interruption reports.
    planned: dict[str, int] = {}
    written: dict[str, int] = {}

    async def run(batch: _Batch) -> None:
        name, rows, _source = batch
        digest = _digest(name, rows) if checkpoint is not None else ""
        if checkpoint is None or not checkpoint.skip(digest):
            section = _SECTION_OF_QUERY.get(name)
            changes = (
                feed.from_import_rows(section, [r.values for r in batch[2]], now, "import")
                if section is not None
                else []
            )
            try:
                counters = await _write_batch(store, name, {"rows": rows, "now": now}, changes)
            except Exception as exc:
                raise ImportInterrupted(
                    cause=exc,
                    failed=batch,
                    written=written,
                    planned=planned,
                    run_at=now,
                    checkpoint=checkpoint.path if checkpoint is not None else None,
                ) from exc
            if checkpoint is not None:
                checkpoint.record(digest, name, len(rows))
            report.nodes_created += counters.get("nodes_created", 0)
            report.relationships_created += counters.get("relationships_created", 0)
            report.properties_set += counters.get("properties_set", 0)
        written[name] = written.get(name, 0) + len(rows)
        if progress is not None and name not in _FOLLOW_UP_QUERIES:
            progress(len(rows))

    async def run_step(batches: list[_Batch]) -> None:
        if workers == 1 or len(batches) == 1:
            for batch in batches:
                await run(batch)
            return
        queue = list(reversed(batches))
        failures: list[Exception] = []

        async def worker() -> None:
            while queue and not failures:
                try:
                    await run(queue.pop())
                except Exception as exc:
                    failures.append(exc)

        tasks = [asyncio.create_task(worker()) for _ in range(min(workers, len(batches)))]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        # A failed batch stops the others from starting, but the ones under way finish: a
        # batch cancelled mid-commit might be written without the report knowing it.
        if failures:
            raise failures[0]

    for section, rows in sections:
        # Planned per section as it comes (its payloads are built then): a section not yet
        # reached is reported by its rows.
        planned.setdefault(f"import.{section.name}", len(rows))
    for section, rows in sections:
        steps = _section_batches(section, rows, batch_size)
        planned.pop(f"import.{section.name}", None)
        for step in steps:
            for name, payload, _source in step:
                planned[name] = planned.get(name, 0) + len(payload)
        for step in steps:
            if section.kind == "node":
                for batch in step:
                    await run(batch)
            else:
                await run_step(step)
        report.rows_loaded[section.name] = len(rows)
    report.written = True
    return report


# Follow-up queries write links of rows already counted by their node section's batch.
_FOLLOW_UP_QUERIES = frozenset(q for q, _ in _FOLLOW_UPS.values())
# The section whose rows a batch's query writes, for their changes of the feed (follow-ups
# write links of rows whose change their node section's batch recorded).
_SECTION_OF_QUERY: dict[str, Section] = {
    **{f"import.{s.name}": s for s in (*NODE_SECTIONS, *LINK_SECTIONS)},
    **{f"import.{s.name}_closed": s for s in LINK_SECTIONS if s.rel_type is not None},
    **{
        f"import.buyingRoles_{on}{closed}": s
        for s in LINK_SECTIONS
        if s.name == "buyingRoles"
        for on in ("account", "opportunity")
        for closed in ("", "_closed")
    },
}
_QUERY_LABELS = _query_labels()

# How long a batch is tried again after transient failures (deadlocks between concurrent
# batches, a busy database) before the import gives up; every try is a new transaction.
RETRY_TIME_S = 300.0


async def _write_batch(
    store: Store, name: str, params: dict[str, Any], changes: list[dict[str, Any]]
) -> dict[str, int]:
    """The batch and its rows' changes of the feed, in one transaction."""

    async def work(tx: Transaction) -> dict[str, int]:
        counters = await tx.run_counters(name, params)
        await feed.record(tx, changes)
        return counters

    loop = asyncio.get_running_loop()
    deadline = loop.time() + RETRY_TIME_S
    delay = 0.05
    while True:
        try:
            return await store.write_transaction(work)
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
    checkpoint: Path | None = None,
    resume: bool = False,
) -> ImportReport:
    """Validates the whole document first; writes nothing if anything is wrong, unless
    `accept_valid`, which loads the good rows and writes every rejected row to `reject_file`.

    A write that fails while loading raises ImportInterrupted (what was written, what was
    not). With `checkpoint` (a file), every committed batch is recorded there as it
    commits; `resume` skips the batches recorded by the run that stopped."""
    with paused_gc():
        report = await _import_path(
            store,
            path,
            accept_valid=accept_valid,
            reject_file=reject_file,
            batch_size=batch_size,
            link_concurrency=link_concurrency,
            progress_factory=progress_factory,
            checkpoint=checkpoint,
            resume=resume,
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
    checkpoint: Path | None,
    resume: bool,
) -> ImportReport:
    started = time.perf_counter()
    if resume and checkpoint is None:
        raise CheckpointError("resuming needs the checkpoint file of the import that stopped")
    sources, doc_problems = read_sources(path)
    validated = await validate(sources, make_db_lookup(store), make_db_links(store))
    del sources
    validated.problems[:0] = doc_problems
    validate_seconds = time.perf_counter() - started
    if validated.problems and not accept_valid:
        rejected = len(validated.rejected_rows())
        IMPORT_REJECTS.inc(rejected)
        report = ImportReport(
            problems=validated.problems,
            rejected=rejected,
            duplicates_merged=validated.duplicates_merged,
            validate_seconds=validate_seconds,
            seconds=validate_seconds,
        )
        return report
    total = sum(len(validated.good_rows(s.name)) for s in (*NODE_SECTIONS, *LINK_SECTIONS))
    progress = progress_factory(total) if progress_factory else None
    done = Checkpoint(checkpoint, path, resume=resume) if checkpoint is not None else None
    try:
        report = await load_validated(
            store,
            validated,
            batch_size=batch_size,
            link_concurrency=link_concurrency,
            progress=progress,
            checkpoint=done,
        )
    finally:
        if done is not None:
            done.close(completed=False)
    report.batches_skipped = done.skipped if done is not None else 0
    report.problems = validated.problems
    report.rejected = len(validated.rejected_rows())
    report.duplicates_merged = validated.duplicates_merged
    report.validate_seconds = validate_seconds
    if validated.problems and reject_file is not None:
        write_rejects(reject_file, validated)
    try:
        await _after_import(store, touched_parties(validated), interaction_pairs(validated))
    except Exception as exc:
        raise StatisticsNotRefreshed(
            f"every row was written, but refreshing the cross-sell statistics failed: {exc}; "
            "run `graph-api refresh-stats` once the database is back"
        ) from exc
    if done is not None:
        done.close(completed=True)
    report.seconds = time.perf_counter() - started
    for section, rows in report.rows_loaded.items():
        IMPORT_ROWS.labels(section).inc(rows)
    IMPORT_REJECTS.inc(report.rejected)
    return report


class StatisticsNotRefreshed(Exception):
    """The rows are all written; only the statistics derived after an import are stale."""


_PARTY_REFS = frozenset({"Party", "Person", "Organization"})


def touched_parties(validated: Validated) -> set[str]:
    """Every party a loaded row names: the parties themselves and the ends of their links
    (whose derived portfolio properties the import may have changed)."""
    ids: set[str] = set()
    for section in (*NODE_SECTIONS, *LINK_SECTIONS):
        party_node = section.entity in _PARTY_REFS
        refs = [f.name for f in section.fields if f.ref in _PARTY_REFS]
        for row in validated.good_rows(section.name):
            values = row.values
            if party_node:
                ids.add(values["id"])
            for name in refs:
                value = values.get(name)
                if isinstance(value, str):
                    ids.add(value)
                elif isinstance(value, list | tuple):
                    ids.update(v for v in value if isinstance(v, str))
    return ids


def interaction_pairs(validated: Validated) -> set[tuple[str, str, str]]:
    """The (rep, party) and (party, party) pairs of the loaded interactions: their earned
    strength is recomputed after the import (services/strength.py)."""
    from graph_api.services.strength import pairs_of

    pairs: set[tuple[str, str, str]] = set()
    for row in validated.good_rows("interactions"):
        pairs |= pairs_of(row.values.get("repIds") or (), row.values.get("partyIds") or ())
    return pairs


async def _after_import(store: Store, touched: set[str], pairs: set[tuple[str, str, str]]) -> None:
    """Derived data: cross-sell co-holding statistics (issue 6), which follow the holdings,
    the portfolio properties of the parties the document names (issue 15.5), and the earned
    strength of the pairs of the loaded interactions (issue 14.4)."""
    # Imported here so that the whole hook is this one block of the module.
    from graph_api.config import get_settings
    from graph_api.services.co_holding import refresh_co_holding_stats
    from graph_api.services.strength import refresh_pairs

    await refresh_co_holding_stats(store)
    await store.refresh_portfolio(touched)
    if pairs:
        await refresh_pairs(store, pairs, get_settings().strength_half_life_days)
