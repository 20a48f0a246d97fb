"""The `graph-api` process as an operator runs it (subprocesses): one-line start-up errors, a
service that starts without its database and says why it is not ready, a second instance on
the same data folder refused, a local Neo4j restarted after kill -9, a clean SIGTERM."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port


def cli_env(state_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPH_API_"))}
    env.update(
        {
            "GRAPH_API_STATE_DIR": str(state_dir),
            "GRAPH_API_LOCAL_NEO4J_HEAP": "512m",
            "GRAPH_API_LOCAL_NEO4J_PAGE_CACHE": "64m",
            "GRAPH_API_DB_WAIT_S": "1",
            **extra,
        }
    )
    return env


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph_api.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


class Served:
    """`graph-api serve` in a subprocess, its stderr collected line by line."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env = env
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph_api.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout_s: float = 240) -> None:
        deadline = time.monotonic() + timeout_s
        while not any(text in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} from the service:\n{self.log}")
            time.sleep(0.1)

    def readyz(self) -> tuple[int, dict[str, Any], httpx.Headers]:
        response = httpx.get(f"{self.url}/readyz", timeout=30)
        return response.status_code, response.json(), response.headers

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=120)
        self.reader.join(timeout=10)
        return code

    def kill(self) -> None:
        """Ends the service if a test left it running, and its Java child with it (which
        would otherwise only stop on its stdin's end-of-file)."""
        if self.proc.poll() is None:
            java = java_children(self.proc.pid)
            self.proc.kill()
            self.proc.wait()
            for pid in java:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def java_children(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid), "java"], capture_output=True, text=True, check=False
    )
    return [int(p) for p in found.stdout.split()]


def unreachable_uri() -> str:
    return f"bolt://127.0.0.1:{free_port()}"


# ----- start-up errors -----


@pytest.mark.parametrize("command", [["migrate"], ["seed"]])
def test_an_unreachable_uri_is_one_line_naming_it(tmp_path: Path, command: list[str]) -> None:
    uri = unreachable_uri()
    done = run_cli(cli_env(tmp_path, NEO4J_URI=uri), *command)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = error_lines(done.stderr)
    assert uri in line and "not reachable" in line, done.stderr


def test_an_unusable_uri_stops_serve_in_one_line(tmp_path: Path) -> None:
    done = run_cli(cli_env(tmp_path, NEO4J_URI="neo5j://nowhere"), "serve")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = error_lines(done.stderr)
    assert "NEO4J_URI 'neo5j://nowhere'" in line


def test_a_busy_port_is_reported_before_neo4j_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli(cli_env(tmp_path), "serve", "--port", str(port))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "starting the local Neo4j" not in done.stderr
    (line,) = error_lines(done.stderr)
    assert f"127.0.0.1:{port}" in line and "in use" in line


def test_serve_without_its_database_starts_and_says_why_it_is_not_ready(tmp_path: Path) -> None:
    uri = unreachable_uri()
    served = Served(cli_env(tmp_path, NEO4J_URI=uri), free_port())
    try:
        served.wait_for("serving GraphQL on")
        status, body, headers = served.readyz()
        assert status == 503
        assert body["status"] == "unavailable" and uri in body["reason"]
        assert headers["Retry-After"].isdigit()
        answer = httpx.post(
            f"{served.url}/graphql", json={"query": '{ party(id: "p-1") { id } }'}, timeout=30
        )
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert error["extensions"]["retryAfter"] >= 1
        assert answer.headers["Retry-After"] == str(error["extensions"]["retryAfter"])
        assert sum(uri in line and "not reachable" in line for line in served.lines) == 1
        assert served.terminate() == 0
    finally:
        served.kill()
    assert "Traceback" not in served.log
    assert "SIGTERM received: stopping" in served.log
    assert served.lines[-1] == "service stopped"


# ----- a service with its own local Neo4j -----


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    state = tmp_path_factory.mktemp("served-state")
    service = Served(cli_env(state), free_port())
    try:
        service.wait_for("serving GraphQL on")
        yield service
    finally:
        service.kill()


def test_serving_is_said_once_bound_and_ready(served: Served) -> None:
    status, body, _ = served.readyz()
    assert status == 200, body
    assert body["localNeo4j"]["ready"] is True
    assert body["localNeo4j"]["restarts"] == 0
    serving = [i for i, line in enumerate(served.lines) if "serving GraphQL on" in line]
    bound = [i for i, line in enumerate(served.lines) if "Uvicorn running on" in line]
    assert len(serving) == 1 and bound and bound[0] < serving[0]


def test_a_second_instance_on_the_same_data_folder_is_refused_in_one_line(
    served: Served,
) -> None:
    done = run_cli(dict(served.env), "serve", "--port", str(free_port()))
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr
    (line,) = error_lines(done.stderr)
    assert f"pid {served.proc.pid}" in line and "data folder" in line
    assert "starting the local Neo4j" not in done.stderr


@pytest.mark.slow
def test_a_killed_local_neo4j_is_restarted_and_readiness_comes_back(served: Served) -> None:
    (java,) = java_children(served.proc.pid)
    _, before, _ = served.readyz()
    os.kill(java, signal.SIGKILL)
    deadline = time.monotonic() + 240
    while True:
        status, body, _ = served.readyz()
        if status == 200 and body["localNeo4j"]["restarts"] == 1:
            break
        assert time.monotonic() < deadline, (body, served.log)
        time.sleep(0.5)
    # The same port: the service's driver found it again by itself.
    assert body["localNeo4j"]["uri"] == before["localNeo4j"]["uri"]
    assert java_children(served.proc.pid) not in ([], [java])
    assert any(f"(pid {java}) died" in line for line in served.lines), served.log
    assert any("local Neo4j restarted at" in line for line in served.lines), served.log
    # A freshly started JVM on a loaded machine may take long over its first query.
    answer = httpx.post(
        f"{served.url}/graphql", json={"query": '{ party(id: "p-1") { id } }'}, timeout=180
    ).json()
    assert answer["data"] == {"party": None}


def test_sigterm_stops_the_service_and_its_neo4j_cleanly(served: Served) -> None:
    java = java_children(served.proc.pid)
    before = len(served.lines)
    assert served.terminate() == 0
    stopping = "\n".join(served.lines[before:])
    assert "Traceback" not in stopping
    assert "SIGTERM received: stopping" in stopping
    assert "local Neo4j stopped" in stopping
    assert served.lines[-1] == "service stopped"
    # Stopped and reaped by the service before it exited.
    assert java and not any(Path(f"/proc/{pid}").exists() for pid in java)
