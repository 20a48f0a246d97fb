"""The load generator: wrk (C, epoll, one thread) with bench/harness/graphql.lua.

wrk keeps N connections busy for a fixed time (closed loop: each connection sends its next
request when the answer arrives) and records every latency. One thread is enough for the
rates a 2-core machine serves and takes the least CPU from the service and Neo4j; its own
CPU time is measured per cell and reported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness.config import ROOT
from bench.harness.processes import Server, machine_cpu, run_with_cpu, tree_cpu_seconds

LUA = Path(__file__).with_name("graphql.lua")
MARK = "WRK_RESULT "


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError(
            "wrk is not installed: `make bench` installs it (apt-get install wrk); "
            "or install it yourself and run again"
        )
    return found


def wrk_version() -> str:
    done = subprocess.run([wrk_binary(), "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0].strip()


@dataclass
class Cell:
    """One measured cell: an operation on a data set at one concurrency."""

    operation: str
    size: str
    connections: int
    duration_s: float
    requests: int
    errors: int
    error_detail: dict[str, int]
    latency_ms: dict[str, float]  # min, mean, p50, p90, p99, p999, max
    rps: float
    cpu: dict[str, float] = field(default_factory=dict)  # share of one core, per process
    loadavg: list[float] = field(default_factory=list)
    # A mixed cell: the other operation a client ran in a loop meanwhile, and what it got
    # (operation, connections, requests, errors, median and p99 ms, req/s).
    background: dict[str, object] = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return self.latency_ms["p50"]

    @property
    def p99_ms(self) -> float:
        return self.latency_ms["p99"]


def _wrk_cmd(url: str, bodies: Path, connections: int, seconds: int, timeout_s: int) -> list[str]:
    return [
        wrk_binary(),
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(LUA),
        url,
        "--",
        str(bodies),
    ]


def _wrk_result(returncode: int, stdout: str, stderr: str) -> dict[str, object]:
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARK)), None)
    if returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({returncode}):\n{stdout}\n{stderr}")
    result: dict[str, object] = json.loads(line[len(MARK) :])
    return result


def _wrk(
    url: str, bodies: Path, connections: int, seconds: int, timeout_s: int
) -> tuple[dict[str, object], float, float]:
    cmd = _wrk_cmd(url, bodies, connections, seconds, timeout_s)
    t0 = time.perf_counter()
    done, cpu = run_with_cpu(cmd)
    wall = time.perf_counter() - t0
    return _wrk_result(done.returncode, done.stdout, done.stderr), cpu, wall


@dataclass(frozen=True)
class Background:
    """Another operation driven in a closed loop while a cell is measured (a mixed cell)."""

    operation: str
    url: str
    bodies: Path
    connections: int = 1


def measure(
    operation: str,
    size: str,
    server: Server,
    bodies: Path,
    connections: int,
    duration_s: float,
    warmup_s: float,
    watched: dict[str, int],
    background: Background | None = None,
) -> Cell:
    """Warm-up (not recorded), then one timed wrk run; CPU of the watched pids (with their
    child processes: a service's workers) meanwhile. With `background`, a second wrk drives
    that operation from before the warm-up to after the measured run (its own figures are
    kept in the cell's `background`; its CPU is counted in the wrk share)."""
    run_s = max(1, round(duration_s))
    warm = max(1, round(warmup_s)) if warmup_s > 0 else 0
    other: subprocess.Popen[str] | None = None
    if background is not None:
        cmd = _wrk_cmd(
            background.url, background.bodies, background.connections, warm + run_s + 2, 120
        )
        other = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)  # its first request under way before the cell's own start
    try:
        if warm:
            _wrk(server.url, bodies, connections, warm, 30)
        before = {name: tree_cpu_seconds(pid) for name, pid in watched.items()}
        busy0, total0 = machine_cpu()
        load0 = list(os.getloadavg())
        result, wrk_cpu, wall = _wrk(server.url, bodies, connections, run_s, 30)
        busy1, total1 = machine_cpu()
        cpu = {name: (tree_cpu_seconds(pid) - before[name]) / wall for name, pid in watched.items()}
        cpu["wrk"] = wrk_cpu / wall
        mixed: dict[str, object] = {}
        if other is not None and background is not None:
            out, err = other.communicate(timeout=warm + run_s + 180)
            got = _wrk_result(other.returncode, out, err)
            other = None
            lat = got["latency_us"]
            assert isinstance(lat, dict)
            n = int(str(got["requests"]))
            span = int(str(got["duration_us"])) / 1e6
            mixed = {
                "operation": background.operation,
                "connections": background.connections,
                "requests": n,
                "errors": sum(
                    int(str(got[k]))
                    for k in (
                        "http_errors",
                        "graphql_errors",
                        "connect_errors",
                        "read_errors",
                        "write_errors",
                        "timeouts",
                    )
                ),
                "median_ms": float(lat["p50"]) / 1000,
                "p99_ms": float(lat["p99"]) / 1000,
                "rps": n / span if span else 0.0,
            }
    finally:
        if other is not None:  # a failure above: stop the one process this call started
            other.kill()
            other.wait()
    ncpu = os.cpu_count() or 1
    # Share of one core busy on the whole machine, and what the watched processes leave over:
    # other engineers' work on the same cores.
    cpu["machine"] = (busy1 - busy0) / (total1 - total0) * ncpu if total1 > total0 else 0.0
    cpu["others"] = max(0.0, cpu["machine"] - sum(v for k, v in cpu.items() if k != "machine"))
    lat = result["latency_us"]
    assert isinstance(lat, dict)
    requests = int(str(result["requests"]))
    seconds = int(str(result["duration_us"])) / 1e6
    detail = {
        k: int(str(result[k]))
        for k in (
            "http_errors",
            "graphql_errors",
            "connect_errors",
            "read_errors",
            "write_errors",
            "timeouts",
        )
    }
    return Cell(
        operation=operation,
        size=size,
        connections=connections,
        duration_s=seconds,
        requests=requests,
        errors=sum(detail.values()),
        error_detail=detail,
        latency_ms={k: float(v) / 1000 for k, v in lat.items()},
        rps=requests / seconds if seconds else 0.0,
        cpu=cpu,
        loadavg=load0,
        background=mixed,
    )


def asyncio_client_cost(
    url: str, bodies: Path, connections: int, seconds: float
) -> dict[str, float]:
    """What the alternative, an asyncio httpx client (bench/harness/asyncio_client.py), costs
    on the same requests: its CPU per request and the rate it reached."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.harness.asyncio_client",
            url,
            str(bodies),
            str(connections),
            str(seconds),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("ASYNCIO_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"the asyncio client failed ({done.returncode}): {done.stderr[-2000:]}")
    r = json.loads(line.split(" ", 1)[1])
    return {
        "connections": connections,
        "requests": r["requests"],
        "rps": r["requests"] / r["seconds"],
        "cpu_us_per_request": r["cpu_s"] / r["requests"] * 1e6 if r["requests"] else 0.0,
        "core_share": r["cpu_s"] / r["seconds"],
    }
