"""Starts and stops the project's own embedded Neo4j (the Maven launcher in `launcher/`)."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from graph_api.config import PROJECT_ROOT

log = logging.getLogger(__name__)

LAUNCHER_DIR = PROJECT_ROOT / "launcher"
MAIN_CLASS = "com.relgraph.launcher.Launcher"
READY_PREFIX = "NEO4J_READY "


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built or started; the message says why and what to do."""


def _tail(lines: deque[str] | list[str], n: int = 40) -> str:
    return "\n".join(list(lines)[-n:])


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
    """One embedded Neo4j process. Use as a context manager or call start()/stop()."""

    data_dir: Path
    port: int = 0
    heap: str = "1g"
    page_cache: str = "512m"
    start_timeout_s: float = 180.0
    log_file: Path | None = None
    uri: str | None = None
    _proc: subprocess.Popen[str] | None = field(default=None, repr=False)
    _lines: deque[str] = field(default_factory=lambda: deque(maxlen=400), repr=False)
    _reader: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> str:
        if self._proc is not None and self._proc.poll() is None:
            assert self.uri is not None
            return self.uri
        java = find_java()
        classpath = ensure_launcher_built()
        self.data_dir.mkdir(parents=True, exist_ok=True)
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
        self._lines.clear()
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
        self._proc = proc

        def pump() -> None:
            assert proc.stdout is not None
            with log_fh:
                for line in proc.stdout:
                    line = line.rstrip("\n")
                    self._lines.append(line)
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
            if time.monotonic() > deadline:
                self.stop()
                raise LocalNeo4jError(
                    f"local Neo4j did not become ready within {self.start_timeout_s:.0f}s; "
                    f"log ({log_path}):\n{_tail(self._lines)}"
                )
        if "uri" not in holder:
            code = proc.wait()
            self._proc = None
            raise LocalNeo4jError(
                f"local Neo4j exited during start (exit {code}); log ({log_path}):\n"
                + _tail(self._lines)
            )
        self.uri = holder["uri"]
        # A restart reuses the port, so clients holding the URI reconnect by themselves.
        self.port = int(self.uri.rsplit(":", 1)[1])
        log.info("local Neo4j ready at %s (data %s)", self.uri, self.data_dir)
        return self.uri

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, timeout_s: float = 60.0) -> None:
        proc = self._proc
        if proc is None:
            return
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
        if self._reader is not None:
            self._reader.join(timeout=5)
        self._proc = None

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
