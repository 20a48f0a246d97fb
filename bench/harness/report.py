"""The benchmark's tables: printed, and written as bench/results/latest.json and latest.md."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.harness.config import parse_size
from bench.harness.loadgen import Cell
from bench.harness.operations import OPERATIONS

OPERATION_ORDER = {o.name: i for i, o in enumerate(OPERATIONS)}

SCALING = ("view360", "keyDeciders", "crossSell")


def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _cell(cells: list[Cell], op: str, size: str, c: int) -> Cell | None:
    return next(
        (x for x in cells if x.operation == op and x.size == size and x.connections == c), None
    )


def main_rows(cells: list[Cell]) -> list[list[str]]:
    rows = []
    for x in cells:
        measured = x.requests > 0  # a cell whose every request outlived it has no latency
        rows.append(
            [
                x.operation,
                x.size,
                str(x.connections),
                f"{x.duration_s:.0f}",
                _f(x.median_ms if measured else None, 2),
                _f(x.p99_ms if measured else None, 2),
                _f(x.rps, 1),
                f"{x.errors}/{x.requests}",
                _f(100 * x.cpu.get("service", x.cpu.get("peer", 0.0)), 0),
                _f(100 * x.cpu.get("neo4j", 0.0), 0),
                _f(100 * x.cpu.get("wrk", 0.0), 0),
                _f(100 * x.cpu.get("others", 0.0), 0),
            ]
        )
    return rows


MAIN_HEADER = [
    "operation",
    "size",
    "conns",
    "s",
    "median ms",
    "p99 ms",
    "req/s",
    "errors",
    "server cpu%",
    "neo4j cpu%",
    "wrk cpu%",
    "other cpu%",
]


def peer_rows(cells: list[Cell], sizes: list[str], conns: list[int]) -> list[list[str]]:
    rows = []
    for size in sizes:
        for c in conns:
            ours, theirs = _cell(cells, "view360", size, c), _cell(cells, "view360-peer", size, c)
            if not ours or not theirs or not ours.requests or not theirs.requests:
                continue
            rows.append(
                [
                    size,
                    str(c),
                    _f(ours.median_ms, 2),
                    _f(theirs.median_ms, 2),
                    _f(ours.median_ms / theirs.median_ms, 2) if theirs.median_ms else "-",
                    _f(ours.rps, 1),
                    _f(theirs.rps, 1),
                    _f(ours.rps / theirs.rps, 2) if theirs.rps else "-",
                ]
            )
    return rows


PEER_HEADER = [
    "size",
    "conns",
    "ours median ms",
    "peer median ms",
    "median ours/peer",
    "ours req/s",
    "peer req/s",
    "req/s ours/peer",
]


def mixed_rows(cells: list[Cell], sizes: list[str], conns: list[int]) -> list[list[str]]:
    """The 360° view alone and with one client calling keyDeciders (cold) in a loop on the same
    service (issue 16 item 5: the view's p99 within 1.5x of its p99 alone)."""
    rows = []
    for size in sizes:
        for c in conns:
            alone, mixed = (
                _cell(cells, "view360", size, c),
                _cell(cells, "view360+keyDeciders", size, c),
            )
            if not alone or not mixed or not alone.requests or not mixed.requests:
                continue
            bg = mixed.background
            rows.append(
                [
                    size,
                    str(c),
                    f"{alone.median_ms:.2f} / {alone.p99_ms:.2f}",
                    f"{mixed.median_ms:.2f} / {mixed.p99_ms:.2f}",
                    _f(mixed.p99_ms / alone.p99_ms, 2) if alone.p99_ms else "-",
                    f"{alone.rps:,.1f} / {mixed.rps:,.1f}",
                    (
                        f"{float(str(bg['median_ms'])):.1f} ms, {float(str(bg['rps'])):.1f} req/s"
                        if bg
                        else "-"
                    ),
                ]
            )
    return rows


MIXED_HEADER = [
    "size",
    "conns",
    "view alone median / p99 ms",
    "view mixed median / p99 ms",
    "p99 mixed/alone",
    "view req/s alone / mixed",
    "keyDeciders beside it",
]


def deciders_rows(cells: list[Cell], sizes: list[str], conns: list[int]) -> list[list[str]]:
    """keyDeciders cold (analysis cache off) and warm (cache on), side by side."""
    rows = []
    for size in sizes:
        for c in conns:
            cold, warm = (
                _cell(cells, "keyDeciders", size, c),
                _cell(cells, "keyDeciders-warm", size, c),
            )
            if not cold or not cold.requests:
                continue
            rows.append(
                [
                    size,
                    str(c),
                    f"{cold.median_ms:.2f} / {cold.p99_ms:.2f}",
                    f"{cold.rps:,.1f}",
                    f"{warm.median_ms:.2f} / {warm.p99_ms:.2f}" if warm and warm.requests else "-",
                    f"{warm.rps:,.1f}" if warm and warm.requests else "-",
                ]
            )
    return rows


DECIDERS_HEADER = [
    "size",
    "conns",
    "cold median / p99 ms",
    "cold req/s",
    "warm median / p99 ms",
    "warm req/s",
]


def memory_lines(memory: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for size, mem in memory.items():
        procs = mem.get("service", [])
        # The parent supervises (with one process: it serves); the workers serve.
        workers = [x for x in procs if x.get("role") == "worker"] or procs[:1]
        rss = ", ".join(f"{w.get('rss_kb', 0) / 1024:.0f}" for w in workers)
        peak = ", ".join(f"{w.get('peak_kb', 0) / 1024:.0f}" for w in workers)
        parent = sum(
            x.get("rss_kb", 0) / 1024 for x in procs if x.get("role") in ("parent", "helper")
        )
        neo = mem.get("neo4j", {})
        out.append(
            f"memory on {size}: service workers RSS {rss} MB (peak {peak} MB), its supervising "
            f"parent and helper {parent:.0f} MB; Neo4j RSS {neo.get('rss_kb', 0) / 1024:.0f} "
            f"MB (peak {neo.get('peak_kb', 0) / 1024:.0f} MB) with heap "
            f"{mem.get('neo4j_heap')} and page cache {mem.get('neo4j_page_cache')}"
        )
    return out


def scaling_rows(cells: list[Cell], sizes: list[str], c: int) -> list[list[str]]:
    rows = []
    for op in SCALING:
        base = _cell(cells, op, sizes[0], c) if sizes else None
        row = [op]
        for size in sizes:
            x = _cell(cells, op, size, c)
            if x is None or x.requests == 0:
                row.append("-")
            elif base is None or base.requests == 0 or base.median_ms == 0:
                row.append(_f(x.median_ms, 2))
            else:
                row.append(f"{x.median_ms:.2f} ({x.median_ms / base.median_ms:.2f}x)")
        rows.append(row)
    return rows


def import_rows(imports: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for size, imp in imports.items():
        rows.append(
            [
                size,
                f"{imp['rows']:,}",
                f"{imp['nodes']:,}",
                f"{imp['relationships']:,}",
                _f(imp["seconds"], 1),
                _f(imp["rows"] / imp["seconds"] if imp["seconds"] else 0, 0),
                _f(imp["wall_seconds"], 1),
                imp.get("method", "transactional"),
                " / ".join(f"{k} {v:.1f}" for k, v in imp.get("steps", {}).items()) or "-",
                "cached" if imp["cached"] else "this run",
                imp["loaded_at"],
            ]
        )
    return rows


IMPORT_HEADER = [
    "size",
    "rows",
    "nodes",
    "relationships",
    "import s",
    "rows/s",
    "command s",
    "method",
    "steps s",
    "measured",
    "loaded at",
]


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        ),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(lines)


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def overhead_summary(cells: list[Cell]) -> dict[str, float]:
    """wrk's own cost over all cells: CPU per request (its start, reading the request bodies,
    included) and the share of one core it took while a cell ran."""
    cpu_s = sum(x.cpu["wrk"] * x.duration_s for x in cells)
    requests = sum(x.requests for x in cells)
    shares = [x.cpu["wrk"] for x in cells]
    return {
        "cpu_seconds": cpu_s,
        "requests": requests,
        "cpu_us_per_request": cpu_s / requests * 1e6 if requests else 0.0,
        "core_share_median": statistics.median(shares) if shares else 0.0,
        "core_share_max": max(shares) if shares else 0.0,
    }


def render(result: dict[str, Any], cells: list[Cell], markdown: bool) -> str:
    sizes = result["sizes"]
    conns = result["config"]["connections"]
    table = md_table if markdown else text_table
    parts = []
    meta = result["machine"]
    head = "#### " if markdown else ""
    cfg = result["config"]
    parts.append(
        f"{head}Operation x data-set size (wrk, closed loop, {cfg['duration_s']:.0f} s per "
        f"cell, up to 3x for slow operations (s), after {cfg['warmup_s']:.0f} s warm-up; "
        "latency over HTTP on loopback; errors = failed/answered; cpu% = share of one core "
        "during the cell, other = the rest of the machine's work)"
    )
    parts.append(table(MAIN_HEADER, main_rows(cells)))
    if any(x.operation == "view360-peer" for x in cells):
        parts.append(
            f"{head}The peer: the same 360° view from @neo4j/graphql (ours/peer: below 1 is "
            "faster for latency; above 1 is more throughput)"
        )
        parts.append(table(PEER_HEADER, peer_rows(cells, sizes, conns)))
        eq = result.get("equivalence", {})
        for size, e in eq.items():
            parts.append(
                f"answers compared on {size}: {e['equal']} of {e['checked']} equal"
                + (
                    ""
                    if not e["differences"]
                    else "; first differences: " + "; ".join(e["differences"][:3])
                )
            )
    deciders = deciders_rows(cells, sizes, conns)
    if deciders:
        parts.append(
            f"{head}keyDeciders on the 2,000-person account: cold (the analysis cache off, "
            "target median < 40 ms, p99 < 120 ms) and warm (cache on)"
        )
        parts.append(table(DECIDERS_HEADER, deciders))
    mixed = mixed_rows(cells, sizes, conns)
    if mixed:
        parts.append(
            f"{head}One heavy request beside light ones: the 360° view alone and while one more "
            "client calls keyDeciders (cold) in a loop on the same service (target: p99 "
            "mixed/alone <= 1.5)"
        )
        parts.append(table(MIXED_HEADER, mixed))
    for c in conns:
        parts.append(f"{head}Scaling: median ms at {c} connection(s), and the ratio to {sizes[0]}")
        parts.append(table(["operation", *sizes], scaling_rows(cells, sizes, c)))
    parts.append(
        f"{head}Import into an empty database (method initial: `graph-api import --initial`, "
        "the bulk importer, with its steps; transactional: `graph-api import`; the data set's "
        "rows, the key account's excluded)"
    )
    parts.append(table(IMPORT_HEADER, import_rows(result["imports"])))
    o = result["load_generator"]["overhead"]
    parts.append(
        f"load generator: {result['load_generator']['version']}, 1 thread; its own CPU "
        f"{o['cpu_seconds']:.1f} s for {o['requests']:,} requests = "
        f"{o['cpu_us_per_request']:.0f} us per request; {100 * o['core_share_median']:.1f}% of "
        f"one core during a cell (median; max {100 * o['core_share_max']:.1f}%)"
    )
    a = result["load_generator"].get("asyncio_httpx")
    if a:
        parts.append(
            f"the alternative, an asyncio httpx client, on the floor request at "
            f"{a['connections']} connections: {a['cpu_us_per_request']:.0f} us of CPU per "
            f"request ({100 * a['core_share']:.0f}% of a core) for {a['rps']:,.0f} req/s; "
            f"wrk on the same: {a['wrk_cpu_us_per_request']:.0f} us for {a['wrk_rps']:,.0f} req/s"
        )
    parts.extend(memory_lines(result.get("memory", {})))
    parts.append(
        f"machine: {meta['cpus']} cores ({meta['cpu_model']}), {meta['memory_gb']:.0f} GB; load "
        f"average {meta['loadavg_start']} at start, {meta['loadavg_end']} at end"
        + (
            " - ABOVE 1.5: other work shared the cores, figures are pessimistic"
            if meta["busy"]
            else ""
        )
    )
    parts.append(
        f"command: {result['command']}; commit {result['commit']}; {result['finished_at']}"
    )
    if "merged_from" in result:
        m = result["merged_from"]
        parts.append(
            f"sizes {', '.join(m['sizes'])} are from an earlier run: {m['command']}; commit "
            f"{m['commit']}; {m['finished_at']}"
        )
    for size, r in result.get("size_runs", {}).items():
        parts.append(
            f"{size}: measured from {r['started_at']} (commit {r['commit']}); load average "
            f"{r['loadavg_start']} before, {r.get('loadavg_end')} after"
        )
    return "\n\n".join(parts) + "\n"


def merge_previous(
    result: dict[str, Any], cells: list[Cell], folder: Path
) -> tuple[dict[str, Any], list[Cell]]:
    """This run's sizes, plus the sizes of bench/results/latest.json this run did not measure
    (BENCH_MERGE=1: measure one size again, or a size the previous run left out). Each size
    keeps the record of the run that measured it (size_runs: when, commit, load average)."""
    path = folder / "latest.json"
    if not path.exists():
        return result, cells
    old = json.loads(path.read_text(encoding="utf-8"))
    measured = set(result["sizes"])
    kept = [s for s in old["sizes"] if s not in measured]
    if not kept:
        return result, cells
    old_cells = [Cell(**c) for c in old["cells"] if c["size"] in kept]
    merged = dict(result)
    order = {s: parse_size(s) for s in [*kept, *result["sizes"]]}
    merged["sizes"] = sorted(order, key=order.__getitem__)
    for key in ("imports", "equivalence", "parameters", "size_runs", "memory"):
        merged[key] = {**{s: v for s, v in old.get(key, {}).items() if s in kept}, **result[key]}
    merged["merged_from"] = {
        "sizes": kept,
        "command": old["command"],
        "commit": old["commit"],
        "finished_at": old["finished_at"],
        "machine": old["machine"],
    }
    rank = {s: i for i, s in enumerate(merged["sizes"])}
    all_cells = sorted(
        [*old_cells, *cells],
        key=lambda c: (OPERATION_ORDER.get(c.operation, 99), rank[c.size], c.connections),
    )
    merged["load_generator"] = {
        **result["load_generator"],
        "overhead": overhead_summary(all_cells),
    }
    return merged, all_cells


def write(result: dict[str, Any], cells: list[Cell], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    data = {**result, "cells": [asdict(c) for c in cells]}
    json_path, md_path = folder / "latest.json", folder / "latest.md"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text("### Benchmark results\n\n" + render(result, cells, True), encoding="utf-8")
    return json_path, md_path
