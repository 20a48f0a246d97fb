"""Writes the graph back out in the import format (`graph-api export PATH`).

Every section of `graph_api/bulk/spec.py` is read with its query of `cypher/export.cypher`,
page by page in id order, and written with the same writers as the generator: a JSON
document or a folder of CSV files. Only what the format declares is written: the declared
properties and the references (as ids), not the bookkeeping (`version`, `createdAt`,
`updatedAt`), the audit trail or the derived cross-sell statistics, which an import
recomputes. Rows are in a fixed order (by id, links by their key) and lists are sorted, so
exporting the same graph twice gives the same bytes, and export, import into an empty
database, export again gives identical output.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import neo4j.time

from graph_api.bulk.formats import OutputFormat, open_writer
from graph_api.bulk.spec import SECTIONS, Field, Section
from graph_api.store.neo4j_store import Store

PAGE = 10_000


@dataclass
class ExportReport:
    path: Path
    format: OutputFormat
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def plain(value: Any) -> Any:
    """A stored value as the import format writes it: dates and date-times as ISO 8601."""
    if isinstance(value, neo4j.time.DateTime):
        return value.to_native().isoformat()
    if isinstance(value, neo4j.time.Date):
        return value.to_native().isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _row(section: Section, props: Mapping[str, Any], refs: Mapping[str, Any]) -> dict[str, Any]:
    """One row, fields in the spec's order, absent values left out, list references sorted."""
    out: dict[str, Any] = {}
    for f in section.fields:
        value = _value(f, props, refs)
        if value is None or value == []:
            continue
        out[f.name] = value
    return out


def _value(f: Field, props: Mapping[str, Any], refs: Mapping[str, Any]) -> Any:
    if f.name in refs:
        value = refs[f.name]
        return sorted(value) if f.kind == "reflist" and value else value
    if not f.stored:
        return None
    return plain(props.get(f.name))


def _sort_key(section: Section, row: Mapping[str, Any]) -> tuple[str, ...]:
    # A key with history may have several rows: by period (the current one first).
    period = ("validTo", "validFrom") if section.rel_type is not None else ()
    return tuple(str(row.get(k) or "") for k in (*section.key, *period))


async def export_section(store: Store, section: Section) -> AsyncIterator[dict[str, Any]]:
    """The rows of one section, in the export's order (a page at a time from Neo4j)."""
    after = ""
    while True:
        records = await store.read(f"export.{section.name}", {"after": after, "limit": PAGE})
        if not records:
            return
        if section.kind == "node":
            for rec in records:
                yield _row(section, rec["props"], {"id": rec["id"], **rec["refs"]})
        else:
            rows = []
            for rec in records:
                for link in rec["links"]:
                    rows.append(_row(section, link["props"], link["key"]))
            rows.sort(key=lambda r: _sort_key(section, r))
            for row in rows:
                yield row
        after = records[-1]["id"]
        if len(records) < PAGE:
            return


async def export_path(
    store: Store,
    path: Path,
    fmt: OutputFormat,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> ExportReport:
    """Writes every section to `path`; the file (or each CSV file) appears only when complete."""
    started = time.perf_counter()
    report = ExportReport(path=path, format=fmt)
    writer = open_writer(path, fmt)
    try:
        for section in SECTIONS:
            count = 0
            async for row in export_section(store, section):
                writer.add(section.name, row)
                count += 1
            report.rows[section.name] = count
            if progress is not None:
                progress(section.name, count)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    report.seconds = time.perf_counter() - started
    return report
