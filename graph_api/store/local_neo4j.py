"""Starts and stops the project's own embedded Neo4j (the Maven launcher in `launcher/`)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

from graph_api.config import PROJECT_ROOT

log = logging.getLogger(__name__)

LAUNCHER_DIR = PROJECT_ROOT / "launcher"
MAIN_CLASS = "com.relgraph.launcher.Launcher"
READY_PREFIX = "NEO4J_READY "
# Held (flock) by the process that runs a local Neo4j on a data folder, across restarts.
LOCK_NAME = "graph-api.lock"
# Java's words when Neo4j finds its store locked by another process.
_STORE_LOCKED = ("FileLockException", "locked by another process")
# A Neo4j that ran this long before dying starts the backoff again from its first step.
_STABLE_AFTER_S = 60.0


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built or started; the message says why and what to do."""


def _tail(lines: deque[str] | list[str], n: int = 40) -> str:
    return "\n".join(list(lines)[-n:])


def port_in_use(host: str, port: int) -> bool:
    """Whether something listens on (or holds) host:port, so that binding it would fail."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _source_stamp() -> str:
    """Hash of what the built launcher depends on: rebuild only when these change."""
    digest = hashlib.sha256()
    for path in sorted([LAUNCHER_DIR / "pom.xml", *LAUNCHER_DIR.glob("src/**/*.java")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise LocalNeo4jError(
            "Java is not installed: the local Neo4j needs Java 17 or newer "
            "(install a JDK 17, e.g. `apt install openjdk-17-jdk`, or set JAVA_HOME), "
            "or point the service at an existing Neo4j with NEO4J_URI."
        )
    return java


def ensure_launcher_built(*, quiet: bool = True) -> list[str]:
    """Builds the launcher with Maven if its sources changed; returns the Java classpath.

    Maven fetches Neo4j into ~/.m2 once; later builds and every start reuse that cache, and a
    start with an up-to-date build does not run Maven at all.
    """
    target = LAUNCHER_DIR / "target"
    stamp_file = target / ".build-stamp"
    stamp = _source_stamp()
    classes = target / "classes"
    lib = target / "lib"
    up_to_date = (
        stamp_file.exists()
        and stamp_file.read_text().strip() == stamp
        and classes.is_dir()
        and lib.is_dir()
    )
    if not up_to_date:
        mvn = shutil.which("mvn")
        if not mvn:
            raise LocalNeo4jError(
                "Maven is not installed: it builds the local Neo4j launcher once "
                "(install it, e.g. `apt install maven`), or point the service at an existing "
                "Neo4j with NEO4J_URI."
            )
        log.info("building the local Neo4j launcher with Maven (first run downloads Neo4j)")
        cmd = [mvn, "-B", "-f", str(LAUNCHER_DIR / "pom.xml"), "package", "-DskipTests"]
        if quiet:
            cmd.insert(1, "-q")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            output = (proc.stdout + proc.stderr).splitlines()
            raise LocalNeo4jError(
                f"building the Neo4j launcher failed (mvn exit {proc.returncode}):\n"
                + _tail(output)
            )
        stamp_file.write_text(stamp + "\n")
    return [str(classes), str(lib / "*")]


@dataclass
class LocalNeo4j:
    """One embedded Neo4j process. Use as a context manager or call start()/stop().

    With `supervise()` a process that dies is restarted on the same port and data folder,
    so that drivers holding its URI reconnect by themselves; `restarts` counts them.
    """

    data_dir: Path
    port: int = 0
    heap: str = "1g"
    page_cache: str = "512m"
    start_timeout_s: float = 180.0
    log_file: Path | None = None
    uri: str | None = None
    max_backoff_s: float = 30.0
    # Automatic restarts after the process died (read by /readyz and by metrics).
    restarts: int = 0
    # Why the database is not running right now (None while it runs).
    down_reason: str | None = None
    _proc: subprocess.Popen[str] | None = field(default=None, repr=False)
    _lines: deque[str] = field(default_factory=lambda: deque(maxlen=400), repr=False)
    _reader: threading.Thread | None = field(default=None, repr=False)
    _supervisor: threading.Thread | None = field(default=None, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _folder_lock: IO[str] | None = field(default=None, repr=False)

    def start(self) -> str:
        if self._proc is not None and self._proc.poll() is None:
            assert self.uri is not None
            return self.uri
        self._stopping.clear()
        self.claim_folder()
        try:
            return self._launch()
        except BaseException:
            self._unlock_folder()
            raise

    def claim_folder(self) -> None:
        """One process per data folder: a second `graph-api serve` in the same checkout is
        told so in one line, instead of Neo4j's store-lock stack trace."""
        if self._folder_lock is not None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / LOCK_NAME
        fh = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise LocalNeo4jError(
                f"another process (pid {holder}) holds the local Neo4j data folder "
                f"{self.data_dir}: stop it, or give this one its own GRAPH_API_STATE_DIR "
                "(or NEO4J_URI)"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._folder_lock = fh

    def _unlock_folder(self) -> None:
        if self._folder_lock is not None:
            self._folder_lock.close()  # closing releases the flock
            self._folder_lock = None

    def _launch(self) -> str:
        java = find_java()
        classpath = ensure_launcher_built()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.port and port_in_use("127.0.0.1", self.port):
            raise LocalNeo4jError(
                f"port {self.port} for the local Neo4j is in use by another process "
                "(set GRAPH_API_LOCAL_NEO4J_PORT to a free port, or 0 to pick one)"
            )
        log_path = self.log_file or (self.data_dir / "launcher.log")
        cmd = [
            java,
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-XX:-OmitStackTraceInFastThrow",
            "-cp",
            os.pathsep.join(classpath),
            MAIN_CLASS,
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.port),
            "--page-cache",
            self.page_cache,
            "--exit-on-stdin-eof",
        ]
        lines: deque[str] = deque(maxlen=400)
        self._lines = lines
        ready = threading.Event()
        holder: dict[str, str] = {}
        log_fh = log_path.open("a", encoding="utf-8")
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
        except OSError as exc:
            log_fh.close()
            raise LocalNeo4jError(f"could not run Java ({java}): {exc}") from exc
        with self._guard:
            self._proc = proc

        def pump() -> None:
            assert proc.stdout is not None
            with log_fh:
                for line in proc.stdout:
                    line = line.rstrip("\n")
                    lines.append(line)
                    log_fh.write(line + "\n")
                    log_fh.flush()
                    if line.startswith(READY_PREFIX):
                        holder["uri"] = line[len(READY_PREFIX) :].strip()
                        ready.set()
            ready.set()  # process ended: wake the waiter

        self._reader = threading.Thread(target=pump, name="local-neo4j-log", daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.start_timeout_s
        while not ready.wait(timeout=0.2):
            if self._stopping.is_set():
                self._terminate(proc, 10.0)
                raise LocalNeo4jError("local Neo4j start cancelled: the service is stopping")
            if time.monotonic() > deadline:
                self._terminate(proc, 60.0)
                raise LocalNeo4jError(
                    f"local Neo4j did not become ready within {self.start_timeout_s:.0f}s; "
                    f"log ({log_path}):\n{_tail(lines)}"
                )
        if "uri" not in holder:
            code = proc.wait()
            with self._guard:
                self._proc = None
            if any(word in line for line in lines for word in _STORE_LOCKED):
                raise LocalNeo4jError(
                    f"the local Neo4j data folder {self.data_dir} is locked by another Neo4j "
                    f"process: stop it, or use another GRAPH_API_STATE_DIR (log: {log_path})"
                )
            raise LocalNeo4jError(
                f"local Neo4j exited during start (exit {code}); log ({log_path}):\n" + _tail(lines)
            )
        self.uri = holder["uri"]
        # A restart reuses the port, so clients holding the URI reconnect by themselves.
        self.port = int(self.uri.rsplit(":", 1)[1])
        self.down_reason = None
        log.info("local Neo4j ready at %s (data %s)", self.uri, self.data_dir)
        return self.uri

    def supervise(self) -> None:
        """Watches the running process from a thread and restarts it when it dies."""
        if self._supervisor is not None and self._supervisor.is_alive():
            return
        self._supervisor = threading.Thread(
            target=self._watch, name="local-neo4j-supervisor", daemon=True
        )
        self._supervisor.start()

    def _watch(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            proc = self._proc
            if proc is None:
                return
            started = time.monotonic()
            code = proc.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > _STABLE_AFTER_S:
                backoff = 0.5
            self.down_reason = f"the local Neo4j died (exit {code}); restarting it"
            log.error(
                "local Neo4j (pid %d) died with exit code %s; restarting it on port %d with "
                "the same data folder %s",
                proc.pid,
                code,
                self.port,
                self.data_dir,
            )
            if self._reader is not None:
                self._reader.join(timeout=5)
            if proc.stdin is not None:
                proc.stdin.close()
            while not self._stopping.wait(backoff):
                attempt_started = time.monotonic()
                try:
                    self._launch()
                except LocalNeo4jError as exc:
                    if self._stopping.is_set():
                        return
                    first_line = str(exc).splitlines()[0]
                    self.down_reason = f"the local Neo4j died; restarting failed: {first_line}"
                    log.error(
                        "restarting the local Neo4j failed (%s); next attempt in %.0fs",
                        first_line,
                        min(backoff * 2, self.max_backoff_s),
                    )
                    backoff = min(backoff * 2, self.max_backoff_s)
                    continue
                self.restarts += 1
                log.warning(
                    "local Neo4j restarted at %s (restart %d, %.1fs to ready)",
                    self.uri,
                    self.restarts,
                    time.monotonic() - attempt_started,
                )
                backoff = min(backoff * 2, self.max_backoff_s)
                break

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def ready(self) -> bool:
        """Running and answering (not dead, not being restarted)."""
        return self.running and self.down_reason is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _terminate(self, proc: subprocess.Popen[str], timeout_s: float) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("local Neo4j did not stop in %.0fs; killing it", timeout_s)
                proc.kill()
                proc.wait()
        if proc.stdin is not None:
            proc.stdin.close()

    def stop(self, timeout_s: float = 60.0) -> None:
        self._stopping.set()
        with self._guard:
            proc = self._proc
        if proc is not None:
            self._terminate(proc, timeout_s)
        supervisor = self._supervisor
        if supervisor is not None and supervisor is not threading.current_thread():
            supervisor.join(timeout=timeout_s)
        # A start the supervisor had under way ended with the process it launched.
        with self._guard:
            proc, self._proc = self._proc, None
        if proc is not None:
            self._terminate(proc, timeout_s)
        if self._reader is not None:
            self._reader.join(timeout=5)
        self._unlock_folder()
        self.down_reason = "the local Neo4j is stopped"

    def wait(self) -> int:
        """Blocks until the process ends (foreground use); returns its exit code."""
        assert self._proc is not None
        return self._proc.wait()

    def log_tail(self, n: int = 40) -> str:
        return _tail(self._lines, n)

    def __enter__(self) -> LocalNeo4j:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
