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
        return process_cpu_seconds(self.proc.pid)

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


def start_service(uri: str, label: str) -> Server:
    """`graph-api serve` on the size's database, as in production (one process, uvloop)."""
    port = free_port()
    log_path = STATE_DIR / f"service-{label}.log"
    env = {"NEO4J_URI": uri, "GRAPH_API_LOG_LEVEL": "warning", "GRAPH_API_MODE": "development"}
    argv = [str(VENV_BIN / "graph-api"), "serve", "--port", str(port)]
    proc = _launch(argv, log_path, env)
    base = f"http://127.0.0.1:{port}"
    server = Server("graph-api serve", proc, f"{base}/graphql", log_path)
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
