"""Serving with several worker processes: one listening socket, each worker its own event loop
and driver pool, the local Neo4j started once by the parent and its state relayed to them."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

if TYPE_CHECKING:
    from fastapi import FastAPI

    from graph_api.store.local_neo4j import LocalNeo4j

log = logging.getLogger("graph_api")

# Set by the parent for its workers (spawned, they inherit the environment).
NEO4J_URI_ENV = "GRAPH_API_WORKER_NEO4J_URI"
LOCAL_STATUS_ENV = "GRAPH_API_WORKER_LOCAL_NEO4J_STATUS"
UNREACHABLE_ENV = "GRAPH_API_WORKER_NEO4J_UNREACHABLE"
# How often the parent writes the local Neo4j's state for the workers' /readyz.
_RELAY_EVERY_S = 0.25


def default_workers() -> int:
    """One worker per core: Python runs one request's Python at a time per process."""
    return max(1, os.cpu_count() or 1)


class LocalNeo4jStatus:
    """The parent's local Neo4j as a worker sees it: what /readyz reports (uri, ready,
    restarts, down_reason), read from the file the parent keeps up to date."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._state: dict[str, Any] = {}
        self._read_at = -1.0

    def _read(self) -> dict[str, Any]:
        # Every query asks whether the database is known to be down: the file is read at
        # most as often as the parent writes it.
        now = time.monotonic()
        if now - self._read_at >= _RELAY_EVERY_S:
            try:
                self._state = orjson.loads(self.path.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                self._state = {
                    "uri": None,
                    "ready": False,
                    "restarts": 0,
                    "down_reason": "the service is stopping",
                }
            self._read_at = now
        return self._state

    @property
    def uri(self) -> str | None:
        uri = self._read()["uri"]
        return str(uri) if uri is not None else None

    @property
    def ready(self) -> bool:
        return bool(self._read()["ready"])

    @property
    def restarts(self) -> int:
        return int(self._read()["restarts"])

    @property
    def down_reason(self) -> str | None:
        reason = self._read()["down_reason"]
        return str(reason) if reason is not None else None


class StatusRelay:
    """Writes the local Neo4j's state to a file whenever it changes (a thread of the parent),
    atomically (a new file renamed over the old), so that a worker never reads half of it."""

    def __init__(self, local: LocalNeo4j, path: Path) -> None:
        self.local = local
        self.path = path
        self._stop = threading.Event()
        self._last: bytes | None = None
        self._thread = threading.Thread(target=self._run, name="neo4j-status", daemon=True)

    def start(self) -> None:
        self._write()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _run(self) -> None:
        while not self._stop.wait(_RELAY_EVERY_S):
            self._write()

    def _write(self) -> None:
        local = self.local
        state = orjson.dumps(
            {
                "uri": local.uri,
                "ready": local.ready,
                "restarts": local.restarts,
                "down_reason": local.down_reason,
            }
        )
        if state == self._last:
            return
        partial = self.path.with_suffix(".partial")
        partial.write_bytes(state)
        partial.replace(self.path)
        self._last = state


def _end_with_the_parent() -> None:
    """Asks Linux to send this worker SIGTERM when its parent dies: a parent killed by
    SIGKILL cannot stop its workers, which would keep the port and the database busy."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def worker_app() -> FastAPI:
    """The application of one worker (uvicorn's factory, called in the spawned process)."""
    from graph_api.api.app import create_app
    from graph_api.config import get_settings
    from graph_api.logs import configure_logging

    _end_with_the_parent()
    settings = get_settings()
    configure_logging(
        logging.getLogger("graph_api").getEffectiveLevel(), json=settings.log_format == "json"
    )
    status = os.environ.get(LOCAL_STATUS_ENV)
    return create_app(
        settings,
        neo4j_uri=os.environ[NEO4J_URI_ENV],
        local=LocalNeo4jStatus(Path(status)) if status else None,
        unreachable=os.environ.get(UNREACHABLE_ENV),
        start_analysis=True,
    )


def worker_sockets(config: uvicorn.Config, workers: int) -> list[list[socket.socket]]:
    """The listening sockets of each worker. On TCP, one socket per worker, all bound to the
    same address with SO_REUSEPORT: the kernel spreads new connections over them. With one
    shared socket, asyncio accepts every connection waiting when a worker wakes, so a burst
    of new connections (a client opening eight at once) could all land in one worker and
    stay there while the other had nothing to do (the bench's 1M floor: 98% of a core served
    eight connections, README Performance). The parent keeps them, so a worker's restart
    serves the connections queued on its socket meanwhile. A Unix socket or a given fd, or
    no SO_REUSEPORT: the one shared socket, as uvicorn does."""
    shared = config.bind_socket()
    if (
        workers < 2
        or config.uds is not None
        or config.fd is not None
        or not hasattr(socket, "SO_REUSEPORT")
    ):
        return [[shared] for _ in range(workers)]
    host, port = shared.getsockname()[:2]
    family = shared.family
    shared.close()
    sockets = []
    for _ in range(workers):
        sock = socket.socket(family=family, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.set_inheritable(True)
        sockets.append([sock])
    return sockets


class Workers(Multiprocess):
    """uvicorn's supervisor (restarts a worker that dies; SIGTERM/SIGINT stop them all), saying
    "serving" once every worker listens, and stopping in the service's words. Worker i listens
    on `sockets[i]` (`worker_sockets`), also after a restart."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[list[socket.socket]], announce: Any
    ) -> None:
        super().__init__(config, [s for group in sockets for s in group])
        self.by_worker = sockets
        self.announce = announce
        self.started = False

    def sockets_of(self, idx: int) -> list[socket.socket]:
        """Worker idx's sockets; a worker added by SIGTTIN beyond the first ones listens on
        all of them (uvicorn's `handle_ttin` gives it `self.sockets`)."""
        return self.by_worker[idx] if idx < len(self.by_worker) else self.sockets

    def init_processes(self) -> None:
        for idx in range(self.processes_num):
            process = Process(self.config, self.sockets_of(idx))
            process.start()
            self.processes.append(process)
        timeout = self.config.timeout_worker_healthcheck * 6
        if all(p.wait_until_ready(timeout, self.should_exit) for p in self.processes):
            self.started = True
            self.announce()
        elif not self.should_exit.is_set():
            print("error: a worker did not start; stopping", file=sys.stderr)
            self.should_exit.set()

    def restart_all(self) -> None:
        """Replaces each worker (SIGHUP), its replacement on the same socket serving before
        the old one is retired (uvicorn's, per worker's socket)."""
        for idx, old_process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new_process = Process(self.config, self.sockets_of(idx))
            new_process.start()
            if not new_process.wait_until_ready(
                self.config.timeout_worker_healthcheck, self.should_exit
            ):
                new_process.kill()
                new_process.join()
                return
            old_process.terminate()
            old_process.join()
            self.processes[idx] = new_process

    def keep_subprocess_alive(self) -> None:
        """A worker that died or hangs is replaced on its own socket (uvicorn's, per socket)."""
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("worker %s failed to start: stopping", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("worker %s died: starting another", process.pid)
            process = Process(self.config, self.sockets_of(idx))
            process.start()
            self.processes[idx] = process

    def _stop(self, signum: int) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        self.should_exit.set()

    def handle_int(self) -> None:
        self._stop(signal.SIGINT)

    def handle_term(self) -> None:
        self._stop(signal.SIGTERM)
