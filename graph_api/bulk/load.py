"""Loads a validated document with batched, idempotent UNWIND ... MERGE writes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from graph_api.bulk.formats import read_sources
from graph_api.bulk.spec import ENTITY_LABELS, LINK_SECTIONS, NODE_SECTIONS, Section
from graph_api.bulk.validate import Problem, Row, Validated, validate
from graph_api.store.neo4j_store import Store

# After a node section, single-valued references stored as links: (query, field).
_FOLLOW_UPS: dict[str, tuple[str, str]] = {
    "organizations": ("import.organization_parents", "parentId"),
    "reps": ("import.rep_managers", "managerId"),
    "accountTeams": ("import.team_managers", "managerId"),
}

DEFAULT_BATCH = 5000


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


def _node_payload(section: Section, row: Row) -> dict[str, Any]:
    props = {
        f.name: row.values[f.name]
        for f in section.fields
        if f.stored and f.name != "id" and f.name in row.values
    }
    out: dict[str, Any] = {"id": row.values["id"], "props": props}
    for f in section.fields:
        # References are also needed beside the props to MATCH the linked nodes, whether or
        # not they are stored as properties too (a holding keeps its partyId and productId).
        if not f.stored or f.kind in ("ref", "reflist"):
            default: Any = [] if f.kind == "reflist" else None
            out[f.name] = row.values.get(f.name, default)
    return out


def _link_payload(section: Section, row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {k: row.values.get(k) for k in section.key}
    out["props"] = {
        f.name: row.values[f.name]
        for f in section.fields
        if f.stored and f.name not in section.key and f.name in row.values
    }
    return out


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


async def load_validated(
    store: Store,
    validated: Validated,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Writes every good row; node sections first, then links, each in batches."""
    report = ImportReport()
    now = datetime.now(UTC)

    async def run(name: str, payload: list[dict[str, Any]]) -> None:
        for i in range(0, len(payload), batch_size):
            batch = payload[i : i + batch_size]
            counters = await store.write_counters(name, {"rows": batch, "now": now})
            report.nodes_created += counters.get("nodes_created", 0)
            report.relationships_created += counters.get("relationships_created", 0)
            report.properties_set += counters.get("properties_set", 0)
            if progress is not None:
                progress(len(batch))

    for section in NODE_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        payload = [_node_payload(section, r) for r in rows]
        await run(f"import.{section.name}", payload)
        follow = _FOLLOW_UPS.get(section.name)
        if follow is not None:
            query_name, ref_field = follow
            linked = [p for p in payload if p.get(ref_field) is not None]
            if linked:
                await run(query_name, linked)
        report.rows_loaded[section.name] = len(rows)

    for section in LINK_SECTIONS:
        rows = validated.good_rows(section.name)
        if not rows:
            continue
        payload = [_link_payload(section, r) for r in rows]
        if section.name == "buyingRoles":
            await run("import.buyingRoles_account", [p for p in payload if p.get("accountId")])
            await run(
                "import.buyingRoles_opportunity", [p for p in payload if p.get("opportunityId")]
            )
        else:
            await run(f"import.{section.name}", payload)
        report.rows_loaded[section.name] = len(rows)
    report.written = True
    return report


def write_rejects(path: Path, validated: Validated) -> int:
    """One JSON line per rejected row: where it was, its data and every problem with it."""
    by_row: dict[tuple[str, str, int], list[Problem]] = {}
    for p in validated.problems:
        by_row.setdefault((p.file, p.section, p.row), []).append(p)
    count = 0
    with path.open("wb") as fh:
        for (file, section, row), problems in sorted(by_row.items()):
            data = next(
                (
                    dict(r.raw)
                    for r in validated.rows.get(section, [])
                    if r.file == file and r.number == row
                ),
                None,
            )
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


async def import_path(
    store: Store,
    path: Path,
    *,
    accept_valid: bool = False,
    reject_file: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress_factory: Callable[[int], Callable[[int], None]] | None = None,
) -> ImportReport:
    """Validates the whole document first; writes nothing if anything is wrong, unless
    `accept_valid`, which loads the good rows and writes every rejected row to `reject_file`."""
    started = time.perf_counter()
    sources, doc_problems = read_sources(path)
    validated = await validate(sources, make_db_lookup(store))
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
    report = await load_validated(store, validated, batch_size=batch_size, progress=progress)
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
