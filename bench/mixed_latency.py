"""The 360° view's latency alone and beside one keyDeciders loop, for several service
configurations in interleaved rounds (issue 16 item 5), plus keyDeciders alone.

    .venv/bin/python bench/mixed_latency.py [--rounds 3] [--seconds 8] [--workers 1]
        [--config NAME=VAR=VALUE,...]...

Runs on the 10k database and request bodies that `make bench` leaves behind
(`BENCH_SIZES=10k BENCH_OPERATIONS=view360,view360+keyDeciders BENCH_PEER=0 make bench`
once): starts that Neo4j, one `graph-api serve --workers N` per configuration (analysis
cache off, as the bench's cold cells), then in each round and for each configuration: wrk
(1 connection) on the view alone; the same while a second wrk loops keyDeciders; then
keyDeciders alone. Configurations default to `thread` (GRAPH_API_ANALYSIS_PROCESSES=0, the
analysis in a thread of the serving process) and `processes` (the defaults). Interleaving
puts the machine's noise on every configuration alike; on a shared machine the p99s still
move with the others' work, so read the medians over rounds and print the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.store.local_neo4j import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".state" / "bench"
LUA = ROOT / "bench" / "harness" / "graphql.lua"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wrk_argv(url: str, bodies: Path, seconds: int) -> list[str]:
    return ["wrk", "-t1", "-c1", f"-d{seconds}s", "-s", str(LUA), url, "--", str(bodies)]


def result(stdout: str) -> dict[str, Any]:
    line = next(x for x in stdout.splitlines() if x.startswith("WRK_RESULT"))
    r: dict[str, Any] = json.loads(line.split(" ", 1)[1])
    lat = r["latency_us"]
    return {
        "requests": r["requests"],
        "errors": r["http_errors"] + r["graphql_errors"],
        "p50": lat["p50"] / 1000,
        "p99": lat["p99"] / 1000,
    }


def wrk(url: str, bodies: Path, seconds: int) -> dict[str, Any]:
    run = subprocess.run(wrk_argv(url, bodies, seconds), capture_output=True, text=True)
    run.check_returncode()
    return result(run.stdout)


def parse_configs(given: list[str]) -> dict[str, dict[str, str]]:
    if not given:
        return {"thread": {"GRAPH_API_ANALYSIS_PROCESSES": "0"}, "processes": {}}
    out: dict[str, dict[str, str]] = {}
    for item in given:
        name, _, rest = item.partition("=")
        env = dict(kv.split("=", 1) for kv in rest.split(",") if kv)
        out[name] = env
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--config", action="append", default=[], help="NAME=VAR=VALUE,...")
    args = parser.parse_args()
    bodies = STATE / "bodies-10k"
    view, deciders = bodies / "view360.jsonl", bodies / "keyDeciders.jsonl"
    if not view.exists() or not deciders.exists():
        print("no bench bodies: run the 10k mixed cell with make bench once", file=sys.stderr)
        return 2
    local = LocalNeo4j(
        data_dir=STATE / "neo4j-10k" / "data", heap="2g", page_cache="4g", start_timeout_s=600
    )
    uri = local.start()
    services: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
    try:
        for name, extra in parse_configs(args.config).items():
            port = free_port()
            env = {
                **os.environ,
                "NEO4J_URI": uri,
                "NEO4J_USER": "neo4j",
                "NEO4J_PASSWORD": "",
                "GRAPH_API_LOG_LEVEL": "warning",
                "GRAPH_API_MODE": "development",
                "GRAPH_API_DECIDERS_CACHE_SIZE": "0",
                **extra,
            }
            argv = [str(ROOT / ".venv" / "bin" / "graph-api"), "serve", "--port", str(port)]
            argv += ["--workers", str(args.workers)]
            proc = subprocess.Popen(
                argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )
            services[name] = (f"http://127.0.0.1:{port}/graphql", proc)
        for url, _ in services.values():
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(url.replace("/graphql", "/readyz"), timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            # Warm: plans, page cache, the analysis processes.
            wrk(url, view, 10)
            wrk(url, deciders, 5)
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in services}
        for r in range(args.rounds):
            for name, (url, _) in services.items():
                load = os.getloadavg()[0]
                alone = wrk(url, view, args.seconds)
                background = subprocess.Popen(
                    wrk_argv(url, deciders, args.seconds + 3), stdout=subprocess.PIPE, text=True
                )
                time.sleep(1.5)
                mixed = wrk(url, view, args.seconds)
                beside = result(background.communicate()[0])
                kd = wrk(url, deciders, args.seconds)
                row = {"alone": alone, "mixed": mixed, "beside": beside, "kd": kd}
                rows[name].append(row)
                errors = alone["errors"] + mixed["errors"] + kd["errors"] + beside["errors"]
                print(
                    f"round {r} {name}: load {load:.2f}->{os.getloadavg()[0]:.2f}; view alone "
                    f"{alone['p50']:.2f}/{alone['p99']:.2f} ms, mixed {mixed['p50']:.2f}/"
                    f"{mixed['p99']:.2f} ms (median/p99); keyDeciders beside it "
                    f"{beside['p50']:.1f} ms, alone {kd['p50']:.1f}/{kd['p99']:.1f} ms; "
                    f"errors {errors}",
                    flush=True,
                )
        for name, runs in rows.items():

            def med(part: str, key: str, runs: list[dict[str, Any]] = runs) -> float:
                return statistics.median(x[part][key] for x in runs)

            print(
                f"{name}: view alone {med('alone', 'p50'):.2f}/{med('alone', 'p99'):.2f} ms, "
                f"mixed {med('mixed', 'p50'):.2f}/{med('mixed', 'p99'):.2f} ms, p99 mixed/alone "
                f"{med('mixed', 'p99') / max(med('alone', 'p99'), 1e-9):.2f}; keyDeciders alone "
                f"median {med('kd', 'p50'):.1f} ms (medians over {args.rounds} rounds)"
            )
    finally:
        for _, proc in services.values():
            proc.terminate()
        for _, proc in services.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        local.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
