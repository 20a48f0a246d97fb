"""`graph-api serve --workers N` as an operator runs it: N processes answer on one port, they
share nothing that could give a wrong answer, the local Neo4j is started once (by the
parent), and SIGTERM/SIGINT stop every process."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.integration.test_service_lifecycle import Served, cli_env, java_children

# Answered from the schema alone: the test database may hold anything.
PARTY = '{ enumLabels(enums: ["Attitude"]) { value label } }'


def worker_pids(url: str, tries: int = 400) -> set[int]:
    """The workers seen answering /healthz on fresh connections (the kernel hands each new
    connection to whichever worker accepts first)."""
    seen: set[int] = set()
    for _ in range(tries):
        with httpx.Client(timeout=60) as client:
            seen.add(client.get(f"{url}/healthz").json()["worker"])
        if len(seen) > 1:
            break
    return seen


def children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def test_workers_answer_share_nothing_wrong_and_stop_on_sigterm(
    tmp_path: Path, neo4j_uri: str
) -> None:
    env = cli_env(tmp_path, NEO4J_URI=neo4j_uri, NEO4J_PASSWORD="", GRAPH_API_WORKERS="2")
    served = Served(env, free_port())
    try:
        served.wait_for("serving GraphQL on")
        assert sum("serving GraphQL on" in line for line in served.lines) == 1
        workers = worker_pids(served.url)
        assert len(workers) == 2, workers
        assert workers <= children(served.proc.pid)
        # No local Neo4j: the workers use NEO4J_URI, and none starts a Java process.
        assert java_children(served.proc.pid) == []
        # A persisted query learnt by one worker: every answer, from either, is either the
        # right one or PERSISTED_QUERY_NOT_FOUND (a resend), never another query's.
        digest = hashlib.sha256(PARTY.encode()).hexdigest()
        ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        known = httpx.post(
            f"{served.url}/graphql", json={"query": PARTY, "extensions": ext}, timeout=60
        )
        for _ in range(30):
            with httpx.Client(timeout=60) as client:
                body = client.post(f"{served.url}/graphql", json={"extensions": ext}).json()
            if body.get("errors"):
                assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
            else:
                assert body["data"] == known.json()["data"]
        assert known.json()["data"]["enumLabels"]
        status, ready, _ = served.readyz()
        assert status == 200, ready
        assert served.terminate() == 0
    finally:
        served.kill()
    assert "Traceback" not in served.log
    assert "SIGTERM received: stopping" in served.log
    assert served.lines[-1] == "service stopped"
    assert not any(alive(pid) for pid in workers)


def test_the_local_neo4j_is_started_once_and_stopped_with_the_workers(tmp_path: Path) -> None:
    served = Served(cli_env(tmp_path, GRAPH_API_WORKERS="2"), free_port())
    try:
        served.wait_for("serving GraphQL on")
        assert sum("starting the local Neo4j" in line for line in served.lines) == 1
        java = java_children(served.proc.pid)
        assert len(java) == 1
        workers = worker_pids(served.url)
        assert len(workers) == 2
        # Every worker reports the parent's local Neo4j (relayed), ready.
        # (A database ping may time out on a loaded machine: ready within a minute.)
        deadline = time.monotonic() + 60
        answers = 0
        while answers < 10:
            status, body, _ = served.readyz()
            assert body["localNeo4j"]["ready"] is True and body["localNeo4j"]["restarts"] == 0
            if status == 200:
                answers += 1
            else:
                assert time.monotonic() < deadline, body
        served.proc.send_signal(signal.SIGINT)
        assert served.proc.wait(timeout=120) == 0
        served.reader.join(timeout=10)
    finally:
        served.kill()
    assert "SIGINT received: stopping" in served.log
    assert "local Neo4j stopped" in served.log
    assert served.lines[-1] == "service stopped"
    deadline = time.monotonic() + 10
    while any(alive(p) for p in (*java, *workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in (*java, *workers))


def test_workers_end_when_their_parent_is_killed(tmp_path: Path, neo4j_uri: str) -> None:
    env = cli_env(tmp_path, NEO4J_URI=neo4j_uri, NEO4J_PASSWORD="", GRAPH_API_WORKERS="2")
    served = Served(env, free_port())
    try:
        served.wait_for("serving GraphQL on")
        workers = children(served.proc.pid)
        assert len(workers) >= 2  # the workers (and multiprocessing's resource tracker)
        served.proc.kill()  # SIGKILL: the parent cannot stop them itself
        served.proc.wait(timeout=30)
    finally:
        served.kill()
    deadline = time.monotonic() + 60
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in workers)


def listening_inodes(port: int) -> set[str]:
    """The inodes of the TCP sockets listening on 127.0.0.1:port (/proc/net/tcp, state 0A)."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            out.add(inode)
    return out


def socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[len("socket:[") : -1])
    return out


def test_each_worker_listens_on_its_own_socket_also_after_a_restart(
    tmp_path: Path, neo4j_uri: str
) -> None:
    """One SO_REUSEPORT socket per worker (graph_api/api/workers.py, `worker_sockets`): the
    kernel spreads new connections over the workers, where one shared socket let the first
    worker to wake accept a whole burst. A worker killed is replaced on its own socket."""
    env = cli_env(tmp_path, NEO4J_URI=neo4j_uri, NEO4J_PASSWORD="", GRAPH_API_WORKERS="2")
    served = Served(env, free_port())
    try:
        served.wait_for("serving GraphQL on")
        workers = sorted(children(served.proc.pid) & worker_pids(served.url))
        assert len(workers) == 2, workers
        listening = listening_inodes(served.port)
        assert len(listening) == 2, listening
        held = {pid: socket_inodes(pid) & listening for pid in workers}
        # Each worker holds exactly one of the listening sockets, not the other's.
        assert all(len(inodes) == 1 for inodes in held.values()), held
        assert held[workers[0]] != held[workers[1]], held
        served_by = worker_pids(served.url)
        assert served_by == set(workers), served_by
        # kill -9 one worker: its replacement listens on the same socket.
        signal_target = workers[0]
        os.kill(signal_target, signal.SIGKILL)
        deadline = time.monotonic() + 120
        # (the parent's other children, such as multiprocessing's helper, hold no socket)
        replacement: list[int] = []
        while time.monotonic() < deadline and not replacement:
            new = children(served.proc.pid) - set(workers)
            replacement = [p for p in new if socket_inodes(p) & listening]
            time.sleep(0.5)
        assert len(replacement) == 1, replacement
        assert socket_inodes(replacement[0]) & listening == held[signal_target]
        assert worker_pids(served.url) == {workers[1], replacement[0]}
        assert listening_inodes(served.port) == listening
        assert served.terminate() == 0
    finally:
        served.kill()
