"""The processes of a run (our service, the peer) and what they cost: CPU time from /proc."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness.config import PEER_DIR, STATE_DIR, VENV_BIN

_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (all its threads), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def process_tree(pid: int) -> list[int]:
    """`pid` and every live descendant (a service's worker processes), parents first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree = [pid]
    for p in tree:  # the list grows while it is read
        tree.extend(sorted(children.get(p, ())))
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live descendants (`serve --workers N`: the
    parent and its workers), in seconds."""
    return sum(process_cpu_seconds(p) for p in process_tree(pid))


def memory_kb(pid: int) -> dict[str, int]:
    """Resident set size now and its peak (VmRSS, VmHWM) of one process, in kB."""
    out: dict[str, int] = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out["rss_kb" if key == "VmRSS" else "peak_kb"] = int(value.split()[0])
    return out


def process_role(pid: int, root: int) -> str:
    """What a process of a service's tree is: the "parent" (`root`), a "worker" (spawned by
    multiprocessing, as uvicorn's workers are) or a "helper" (multiprocessing's resource
    tracker, anything else)."""
    if pid == root:
        return "parent"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "helper"
    return "worker" if b"spawn_main" in cmdline else "helper"


def tree_memory(pid: int) -> list[dict[str, object]]:
    """`memory_kb` of a process and each live descendant, with its pid and role, parents
    first."""
    return [{"pid": p, "role": process_role(p, pid), **memory_kb(p)} for p in process_tree(pid)]


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return (total - idle) / _TICK, total / _TICK


def run_with_cpu(
    cmd: Sequence[str], **kwargs: object
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Runs a command to its end; also returns the CPU seconds it (and its children) used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(list(cmd), capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, cpu


@dataclass
class Server:
    """A GraphQL server in its own process: ours (`graph-api serve`) or the peer (node)."""

    name: str
    proc: subprocess.Popen[bytes]
    url: str  # the GraphQL endpoint
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _wait_ready(server: Server, probe: httpx.Request, timeout_s: float) -> Server:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=5) as client:
        while True:
            try:
                if client.send(probe).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            if server.proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                tail = server.log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{server.name} did not start; its log:\n{tail}")
            time.sleep(0.3)


def _launch(
    argv: list[str], log_path: Path, env: dict[str, str], cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """A server process on the size's database (our env on top of the caller's), its output
    to `log_path`."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            argv,
            env={**os.environ, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "", **env},
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def start_service(
    uri: str, label: str, workers: int, deciders_cache: int, name: str = "service"
) -> Server:
    """`graph-api serve --workers N` on the size's database, as in production (N worker
    processes, uvloop). `deciders_cache`: GRAPH_API_DECIDERS_CACHE_SIZE (0: every
    keyDeciders computed afresh, the cold path the benchmark measures)."""
    port = free_port()
    log_path = STATE_DIR / f"{name}-{label}.log"
    env = {
        "NEO4J_URI": uri,
        "GRAPH_API_LOG_LEVEL": "warning",
        "GRAPH_API_MODE": "development",
        "GRAPH_API_DECIDERS_CACHE_SIZE": str(deciders_cache),
    }
    argv = [
        str(VENV_BIN / "graph-api"),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    proc = _launch(argv, log_path, env)
    base = f"http://127.0.0.1:{port}"
    server = Server(f"graph-api serve --workers {workers}", proc, f"{base}/graphql", log_path)
    return _wait_ready(server, httpx.Request("GET", f"{base}/readyz"), 120)


def start_peer(uri: str, label: str) -> Server:
    """The Neo4j GraphQL library's server (bench/peer/server.mjs) on the same database."""
    port = free_port()
    log_path = STATE_DIR / f"peer-{label}.log"
    env = {"NEO4J_URI": uri, "PORT": str(port), "NODE_ENV": "production"}
    proc = _launch(["node", str(PEER_DIR / "server.mjs")], log_path, env, cwd=PEER_DIR)
    url = f"http://127.0.0.1:{port}/graphql"
    server = Server("@neo4j/graphql peer", proc, url, log_path)
    probe = httpx.Request("POST", url, json={"query": "{ __typename }"})
    return _wait_ready(server, probe, 120)
