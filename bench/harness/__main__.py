"""`make bench`: data sets, one Neo4j per size, our service and the peer, wrk, the tables.

.venv/bin/python -m bench.harness     # from the repository root; knobs in bench/README.md
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import equivalence, loadgen, report
from bench.harness.config import PEER_DIR, RESULTS_DIR, ROOT, STATE_DIR, BenchConfig, size_label
from bench.harness.database import open_database, warm_up
from bench.harness.datasets import ensure_dataset, generator_version
from bench.harness.operations import (
    OPERATION_BY_NAME,
    OPERATION_NAMES,
    OPERATIONS,
    draw_parameters,
)
from bench.harness.processes import Server, memory_kb, start_peer, start_service, tree_memory

EQUIVALENCE_SAMPLE = 30
MIN_SAMPLES = 20
WARM_CACHE_SIZE = 16  # GRAPH_API_DECIDERS_CACHE_SIZE's default (graph_api/config.py)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": mem_kb / 1024 / 1024,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def _command() -> str:
    knobs = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BENCH_"))
    return f"{knobs} make bench".strip()


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def _probe(server: Server, body: bytes) -> tuple[float, str | None]:
    """Seconds of one request, and its error if it fails: a cell of errors measures nothing."""
    t0 = time.perf_counter()
    try:
        r = httpx.post(
            server.url, content=body, headers={"content-type": "application/json"}, timeout=120
        )
        payload = r.json()
    except (httpx.HTTPError, ValueError) as exc:
        return time.perf_counter() - t0, str(exc)
    seconds = time.perf_counter() - t0
    if r.status_code != 200 or payload.get("errors"):
        return seconds, f"{r.status_code} {str(payload.get('errors'))[:500]}"
    return seconds, None


def cell_seconds(config: BenchConfig, request_s: float, connections: int) -> float:
    """The measured time of a cell: BENCH_DURATION, longer (up to three times) for an
    operation so slow that the cell would hold fewer than MIN_SAMPLES answers (the first
    answers of N concurrent connections come after about N requests' time)."""
    wanted = (MIN_SAMPLES + connections) * request_s
    return min(3 * config.duration_s, max(config.duration_s, wanted))


def _node_version() -> str:
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def run(config: BenchConfig) -> int:
    selected = [o for o in OPERATIONS if config.operations is None or o.name in config.operations]
    if not config.peer:
        selected = [o for o in selected if o.target != "peer"]
    unknown = set(config.operations or ()) - set(OPERATION_NAMES)
    if unknown:
        log(f"BENCH_OPERATIONS: unknown {sorted(unknown)}; known: {', '.join(OPERATION_NAMES)}")
        return 2
    if config.peer and not (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        log(
            "the peer's packages are missing: run `make bench` (npm ci in bench/peer) "
            "or set BENCH_PEER=0"
        )
        return 2
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    loadavg_start = [round(x, 2) for x in os.getloadavg()]
    log(
        f"load average at start: {loadavg_start}; sizes {[size_label(s) for s in config.sizes]}, "
        f"{config.duration_s:.0f} s per cell, connections {list(config.connections)}"
    )
    cells: list[loadgen.Cell] = []
    imports: dict[str, dict[str, Any]] = {}
    equal: dict[str, dict[str, Any]] = {}
    parameters: dict[str, dict[str, Any]] = {}
    calibration: dict[str, float] = {}
    size_runs: dict[str, dict[str, Any]] = {}
    memory: dict[str, dict[str, Any]] = {}
    for parties in config.sizes:
        label = size_label(parties)
        size_runs[label] = {
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
            "commit": _commit(),
        }
        dataset = ensure_dataset(parties, config.seed, log)
        db = open_database(dataset, config, log)
        main_import = db.imports[0]
        imports[label] = {
            **main_import.__dict__,
            "cached": db.reused,
            "loaded_at": db.loaded_at,
            "fingerprint": db.fingerprint,
        }
        servers: list[Server] = []
        if not selected:  # BENCH_OPERATIONS=import: the data sets and their load only
            db.neo4j.stop()
            continue
        try:
            warm_up(db, log)
            with db.driver() as driver:
                params = draw_parameters(driver, config.seed)
            parameters[label] = {
                "parties": len(params.parties),
                "organizations": len(params.organizations),
                "search_texts": len(params.search_texts),
                "path_pairs": len(params.path_pairs),
                "key_account": params.key_account,
                "key_account_people": params.key_account_people,
            }
            log(f"parameters: {parameters[label]}")
            bodies_dir = STATE_DIR / f"bodies-{label}"
            bodies_dir.mkdir(exist_ok=True)
            files: dict[str, Path] = {}
            bodies: dict[str, list[bytes]] = {}
            wanted = {o.name for o in selected} | {o.background for o in selected if o.background}
            for op in OPERATIONS:
                if op.name not in wanted:
                    continue
                bodies[op.name] = op.bodies(params)
                files[op.name] = bodies_dir / f"{op.name}.jsonl"
                files[op.name].write_bytes(b"\n".join(bodies[op.name]) + b"\n")
            # The service as in production (one worker per core), with the analysis cache
            # off so that keyDeciders is measured cold; a second one with the cache on for
            # the warm figure beside it.
            service = start_service(db.uri, label, config.workers, 0)
            servers.append(service)
            warm_service: Server | None = None
            if any(o.target == "ours-warm" for o in selected):
                warm_service = start_service(
                    db.uri, label, config.workers, WARM_CACHE_SIZE, "service-warm"
                )
                servers.append(warm_service)
            peer: Server | None = None
            if any(o.target == "peer" for o in selected):
                peer = start_peer(db.uri, label)
                servers.append(peer)
                # Random parties (mostly people), organizations, and the key account.
                ids = params.parties[:EQUIVALENCE_SAMPLE] + params.organizations[:10]
                sample = [{"id": i} for i in [*ids, params.key_account]]
                ours_bodies = OPERATION_BY_NAME["view360"].bodies_for(sample)
                peer_bodies = OPERATION_BY_NAME["view360-peer"].bodies_for(sample)
                # A fresh server's first view also plans the query in Neo4j (many seconds for
                # a query this size on a busy machine): once each, not compared.
                _probe(service, ours_bodies[0])
                _probe(peer, peer_bodies[0])
                equal[label] = equivalence.compare(service.url, peer.url, ours_bodies, peer_bodies)
                log(
                    f"ours vs peer on {label}: {equal[label]['equal']} of "
                    f"{equal[label]['checked']} answers equal {equal[label]['differences'][:3]}"
                )
            neo4j_pid = db.neo4j._proc.pid if db.neo4j._proc else 0  # the JVM
            for op in selected:
                server = {"peer": peer, "ours-warm": warm_service}.get(op.target, service)
                assert server is not None
                probes = [_probe(server, b) for b in bodies[op.name][:3]]
                failure = next((f for _, f in probes if f), None)
                if failure:
                    log(f"{op.name} on {label}: a first request fails: {failure}")
                request_s = sorted(t for t, _ in probes)[len(probes) // 2]
                role = "peer" if op.target == "peer" else "service"
                for c in config.connections:
                    cell = loadgen.measure(
                        op.name,
                        label,
                        server,
                        files[op.name],
                        c,
                        cell_seconds(config, request_s, c),
                        config.warmup_s,
                        {role: server.pid, "neo4j": neo4j_pid},
                        loadgen.Background(op.background, server.url, files[op.background])
                        if op.background
                        else None,
                    )
                    cells.append(cell)
                    if op.name == "floor" and c == max(config.connections) and not calibration:
                        # The same requests from an asyncio httpx client, for comparison.
                        calibration.update(
                            loadgen.asyncio_client_cost(server.url, files[op.name], c, 3.0)
                        )
                        calibration["wrk_cpu_us_per_request"] = (
                            cell.cpu["wrk"] * cell.duration_s / cell.requests * 1e6
                            if cell.requests
                            else 0.0
                        )
                        calibration["wrk_rps"] = cell.rps
                        log(f"asyncio httpx client on the floor request: {calibration}")
                    log(
                        f"{op.name:<17} {label:>5} c={c:<3} median {cell.median_ms:8.2f} ms  "
                        f"p99 {cell.p99_ms:8.2f} ms  {cell.rps:8.1f} req/s  "
                        f"errors {cell.errors}/{cell.requests}  cpu "
                        + " ".join(f"{k} {100 * v:.0f}%" for k, v in cell.cpu.items())
                        + (f"  background {cell.background}" if cell.background else "")
                    )
            # Memory after the cells: each worker's resident set (and its peak), Neo4j's.
            memory[label] = {
                "service": tree_memory(service.pid),
                "service_warm": tree_memory(warm_service.pid) if warm_service else [],
                "neo4j": memory_kb(neo4j_pid),
                "neo4j_heap": config.neo4j_heap,
                "neo4j_page_cache": config.neo4j_page_cache,
            }
            log(f"memory on {label}: {memory[label]}")
        finally:
            for s in servers:
                s.stop()
            db.neo4j.stop()
            size_runs[label]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    loadavg_end = [round(x, 2) for x in os.getloadavg()]
    machine = {
        **_machine(),
        "loadavg_start": loadavg_start,
        "loadavg_end": loadavg_end,
        "busy": max(loadavg_start[0], loadavg_end[0]) > 1.5,
    }
    command, version = generator_version()
    result: dict[str, Any] = {
        "command": _command(),
        "commit": _commit(),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sizes": [size_label(s) for s in config.sizes],
        "config": {
            "duration_s": config.duration_s,
            "warmup_s": config.warmup_s,
            "connections": list(config.connections),
            "seed": config.seed,
            "neo4j_heap": config.neo4j_heap,
            "neo4j_page_cache": config.neo4j_page_cache,
            "workers": config.workers,
            "deciders_cache": {"service": 0, "service_warm": WARM_CACHE_SIZE},
        },
        "machine": machine,
        "versions": {"neo4j": "5.26 (embedded, launcher/)", "node": _node_version()},
        "generator": {"command": command, "version": version},
        "parameters": parameters,
        "operations": {o.name: o.description for o in selected},
        "imports": imports,
        "memory": memory,
        "equivalence": equal,
        "size_runs": size_runs,
        "load_generator": {
            "version": loadgen.wrk_version(),
            "overhead": report.overhead_summary(cells),
            "asyncio_httpx": calibration,
        },
    }
    if config.merge:
        result, cells = report.merge_previous(result, cells, RESULTS_DIR)
    print(report.render(result, cells, markdown=False))
    if not cells:
        log("no operation measured: bench/results/ left as it was")
        return 0
    json_path, md_path = report.write(result, cells, RESULTS_DIR)
    log(f"wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")
    return 0


def main() -> int:
    try:
        config = BenchConfig.from_env()
    except ValueError as exc:
        log(str(exc))
        return 2
    return run(config)


if __name__ == "__main__":
    raise SystemExit(main())
