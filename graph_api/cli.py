"""The `graph-api` command: serve, seed, import, generate, neo4j, migrate, keys, new-key, schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TypeVar

from graph_api.config import PROJECT_ROOT, Settings, get_settings

if TYPE_CHECKING:
    from graph_api.bulk.initial import InitialReport
    from graph_api.bulk.validate import Problem
    from graph_api.store.local_neo4j import LocalNeo4j
    from graph_api.store.neo4j_store import Store

log = logging.getLogger("graph_api")
T = TypeVar("T")

DEMO_DATA = PROJECT_ROOT / "seed" / "demo.json"
SCHEMA_FILE = PROJECT_ROOT / "schema" / "schema.graphql"


def _local_neo4j(settings: Settings) -> LocalNeo4j:
    from graph_api.store.local_neo4j import LocalNeo4j

    return LocalNeo4j(
        data_dir=settings.state_dir / "neo4j",
        port=settings.local_neo4j_port,
        heap=settings.local_neo4j_heap,
        page_cache=settings.local_neo4j_page_cache,
        start_timeout_s=settings.local_neo4j_start_timeout_s,
        max_backoff_s=settings.local_neo4j_max_backoff_s,
    )


class CommandFailed(Exception):
    """A command cannot go on; its message is the one line the user sees (exit `code`)."""

    def __init__(self, message: str, code: int = 3) -> None:
        super().__init__(message)
        self.code = code


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The Neo4j to use: NEO4J_URI when set, else the local one, started for the duration."""
    with _database(settings) as (uri, _):
        yield uri


@contextmanager
def _database(
    settings: Settings,
    *,
    supervise: bool = False,
    before_start: Callable[[], None] | None = None,
) -> Iterator[tuple[str, LocalNeo4j | None]]:
    """The URI and, when started here, the local Neo4j (restarted when it dies with
    `supervise`). `before_start` runs once the data folder is ours, before Java starts."""
    if settings.neo4j_uri:
        _check_uri(settings.neo4j_uri)
        if before_start is not None:
            before_start()
        yield settings.neo4j_uri, None
        return
    from graph_api.metrics import watch_local_neo4j
    from graph_api.store.local_neo4j import LocalNeo4jError

    local = _local_neo4j(settings)
    watch_local_neo4j(local)
    try:
        local.claim_folder()
        if before_start is not None:
            before_start()
        print(f"starting the local Neo4j (data in {local.data_dir}) ...", file=sys.stderr)
        uri = local.start()
    except LocalNeo4jError as exc:
        local.stop()
        raise CommandFailed(str(exc)) from exc
    except BaseException:
        local.stop()
        raise
    print(f"local Neo4j ready at {uri}", file=sys.stderr)
    if supervise:
        local.supervise()
    try:
        yield uri, local
    finally:
        print("stopping the local Neo4j ...", file=sys.stderr)
        local.stop()
        print("local Neo4j stopped", file=sys.stderr)


def _check_uri(uri: str) -> None:
    """A NEO4J_URI the driver cannot use at all is an error now, not at the first request."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import ConfigurationError

    try:
        GraphDatabase.driver(uri).close()
    except (ConfigurationError, ValueError) as exc:
        raise CommandFailed(f"NEO4J_URI {uri!r} is not usable: {exc}", code=2) from exc


def _store(settings: Settings, uri: str):  # type: ignore[no-untyped-def]
    """A command's store: its queries are a job's (GRAPH_API_NEO4J_JOB_TIMEOUT_S), not a
    request's; an initial load of 1M parties or an export must not fail at the interactive
    bound."""
    from graph_api.api.app import connect_store

    return connect_store(settings, uri, job=True)


def _with_store(settings: Settings, work: Callable[[Store], Awaitable[T]]) -> T:
    """Runs `work` on a store connected to the configured (or the local) Neo4j, then closes
    the store and stops the local Neo4j."""

    async def run(uri: str) -> T:
        store = _store(settings, uri)
        try:
            return await work(store)
        finally:
            await store.close()

    with database(settings) as uri:
        return asyncio.run(run(uri))


def _reset_arguments(p: argparse.ArgumentParser) -> None:
    resets = p.add_mutually_exclusive_group()
    resets.add_argument(
        "--reset",
        action="store_true",
        help="delete the customer data first; the stored API keys and webhooks (with their "
        "delivery logs and the feed's position) are kept",
    )
    resets.add_argument(
        "--reset-all",
        action="store_true",
        help="delete everything in the database first, API keys and webhooks included",
    )


def _print_or_write(text: str, path: Path, write: bool) -> int:
    """A generated file (the schema, the model doc): to stdout, or over `path` with --write."""
    if write:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _print_problems(problems: Sequence[Problem], *, written: bool, path: Path) -> bool:
    """Prints an import's problems, one line each; True when they stopped it (nothing was
    written), after saying so and how to load the good rows."""
    for problem in problems:
        print(problem.line(), file=sys.stderr)
    if problems and not written:
        print(
            f"{len(problems)} problem(s) in {path}; nothing was written "
            "(use --accept-valid --reject-file FILE to load the good rows)",
            file=sys.stderr,
        )
        return True
    return False


async def _import(
    settings: Settings,
    uri: str,
    path: Path,
    *,
    accept_valid: bool = False,
    reject_file: Path | None = None,
    batch_size: int = 5000,
    link_concurrency: int = 1,
    reset: bool = False,
    reset_all: bool = False,
    quiet: bool = False,
    checkpoint: Path | None = None,
    resume: bool = False,
) -> int:
    from graph_api.bulk.formats import FormatError
    from graph_api.bulk.load import (
        CheckpointError,
        ImportInterrupted,
        StatisticsNotRefreshed,
        import_path,
    )

    store = _store(settings, uri)
    try:
        await store.migrate()
        if reset or reset_all:
            # --reset keeps the API keys and webhooks (Store.clear); --reset-all does not.
            await store.clear(everything=reset_all)
        progress_factory = None if quiet else _progress_factory
        try:
            report = await import_path(
                store,
                path,
                accept_valid=accept_valid,
                reject_file=reject_file,
                batch_size=batch_size,
                link_concurrency=link_concurrency,
                progress_factory=progress_factory,
                checkpoint=checkpoint,
                resume=resume,
            )
        except (FormatError, CheckpointError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except (ImportInterrupted, StatisticsNotRefreshed) as exc:
            # After the progress bar's line: the message says what was written and what not.
            print(f"\nerror: {exc}", file=sys.stderr)
            return 4
    finally:
        await store.close()
    if _print_problems(report.problems, written=report.written, path=path):
        return 1
    rate = report.total_rows / report.seconds if report.seconds else 0.0
    print(
        f"imported {report.total_rows} rows from {path} in {report.seconds:.1f}s "
        f"(validation {report.validate_seconds:.1f}s; {rate:,.0f} rows/s): "
        f"{report.nodes_created} nodes and {report.relationships_created} relationships "
        f"created; {report.rejected} rows rejected"
        + (f", written to {reject_file}" if report.rejected and reject_file else "")
        + (
            f"; {report.batches_skipped} batches already written by the run resumed"
            if report.batches_skipped
            else ""
        ),
        file=sys.stderr,
    )
    return 0 if not report.problems else 1


def _progress_factory(total: int) -> Callable[[int], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="rows", unit_scale=True, file=sys.stderr, disable=total < 20000)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    # Before uvicorn runs (while the local Neo4j starts, the demo loads): unwind, so that
    # the local Neo4j is stopped on the way out.
    raise ServiceStopped(signum)


class ServiceStopped(Exception):
    """SIGTERM or SIGINT arrived while the service was starting."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Announced:
    """Says where the service listens, once it does (by the single process or the parent)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    def __call__(self) -> None:
        from graph_api.api.pages import MISSING_ASSETS, assets_built

        print(f"serving GraphQL on http://{self.host}:{self.port}/graphql", file=sys.stderr)
        print(f"relationship explorer: http://{self.host}:{self.port}/explore", file=sys.stderr)
        if not assets_built():
            print(f"  (not built yet: {MISSING_ASSETS})", file=sys.stderr)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_api.api.app import create_app
    from graph_api.api.workers import default_workers
    from graph_api.logs import configure_logging
    from graph_api.store.local_neo4j import port_in_use

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers or default_workers()
    if workers < 1:
        raise CommandFailed(f"--workers must be 1 or more, not {workers}", code=2)
    json_logs = settings.log_format == "json"
    configure_logging(logging.DEBUG if args.verbose else logging.INFO, json=json_logs)
    announce = _Announced(host, port)

    def check_port() -> None:
        if port_in_use(host, port):
            raise CommandFailed(
                f"cannot serve on {host}:{port}: the port is in use (another graph-api "
                "serve?); stop it, or choose another with GRAPH_API_PORT or --port",
                code=2,
            )

    class Server(uvicorn.Server):
        """uvicorn, saying "serving" once it listens, and ending on SIGTERM/SIGINT without
        re-raising the signal (which killed the process before the local Neo4j stopped)."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                announce()

        @contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            with super().capture_signals():
                yield
                for signum in self._captured_signals:
                    log.info("%s received: stopping", signal.Signals(signum).name)
                self._captured_signals.clear()

    # Signal handlers can only be set in the main thread (tests may run commands in others).
    in_main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, _stop_on_signal) for sig in _STOP_SIGNALS if in_main}
    try:
        with _database(settings, supervise=True, before_start=check_port) as (uri, local):
            if args.load_demo:
                code = asyncio.run(_import(settings, uri, DEMO_DATA, quiet=True))
                if code != 0:
                    return code
            config_args = {
                "host": host,
                "port": port,
                "log_level": settings.log_level,
                # None: uvicorn's loggers go through the root logger's JSON lines.
                "log_config": None if json_logs else uvicorn.config.LOGGING_CONFIG,
                "loop": "uvloop",
                "http": "httptools",
                "access_log": args.access_log,
            }
            if workers > 1:
                started = _serve_workers(settings, uri, local, workers, config_args, announce)
            else:
                one = settings.model_copy(update={"workers": 1})
                app = create_app(one, neo4j_uri=uri, local=local, start_analysis=True)
                server = Server(uvicorn.Config(app, **config_args))
                server.run()
                started = server.started
            if not started:
                raise CommandFailed(f"the service could not start on {host}:{port}", code=1)
    except ServiceStopped as stopped:
        log.info("%s received while starting: stopped", stopped)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("service stopped", file=sys.stderr)
    return 0


def _serve_workers(
    settings: Settings,
    uri: str,
    local: LocalNeo4j | None,
    workers: int,
    config_args: dict[str, object],
    announce: Callable[[], None],
) -> bool:
    """`workers` processes accepting on one socket; returns whether they all started. The
    schema migration runs here first, once: workers migrating a fresh database at the same
    time would race to create the same constraints."""
    import uvicorn

    from graph_api.api import workers as serving
    from graph_api.domain.errors import Unavailable

    async def migrate() -> str | None:
        store = _store(settings, uri)
        try:
            await store.migrate()
        except Unavailable as exc:
            # Said once here; the workers serve anyway, not ready, and migrate when it answers.
            log.error("%s; serving anyway, /readyz answers 503 until it is", exc.message)
            return exc.message
        finally:
            await store.close()
        return None

    unreachable = asyncio.run(migrate())
    if unreachable is not None:
        os.environ[serving.UNREACHABLE_ENV] = unreachable
    os.environ[serving.NEO4J_URI_ENV] = uri
    # The workers' count, for what each sizes from the cores (its analysis processes).
    os.environ["GRAPH_API_WORKERS"] = str(workers)
    relay = None
    if local is not None:
        relay = serving.StatusRelay(local, local.data_dir.parent / "neo4j-status.json")
        relay.start()
        os.environ[serving.LOCAL_STATUS_ENV] = str(relay.path)
    config = uvicorn.Config(
        "graph_api.api.workers:worker_app",
        factory=True,
        workers=workers,
        **config_args,  # type: ignore[arg-type]
    )
    try:
        supervisor = serving.Workers(config, serving.worker_sockets(config, workers), announce)
        supervisor.run()
    finally:
        if relay is not None:
            relay.stop()
    return supervisor.started


_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def cmd_neo4j(args: argparse.Namespace) -> int:
    from graph_api.store.local_neo4j import LocalNeo4j, LocalNeo4jError

    settings = get_settings()
    local = LocalNeo4j(
        data_dir=Path(args.data_dir) if args.data_dir else settings.state_dir / "neo4j",
        port=args.port if args.port is not None else 7687,
        heap=args.heap or settings.local_neo4j_heap,
        page_cache=args.page_cache or settings.local_neo4j_page_cache,
    )
    try:
        uri = local.start()
    except LocalNeo4jError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(f"local Neo4j ready at {uri} (data in {local.data_dir}); Ctrl-C stops it")
    print(f"use it with: export NEO4J_URI={uri}")
    try:
        return local.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        local.stop()


def cmd_seed(args: argparse.Namespace) -> int:
    settings = get_settings()
    with database(settings) as uri:
        return asyncio.run(
            _import(settings, uri, DEMO_DATA, reset=args.reset, reset_all=args.reset_all)
        )


def cmd_import(args: argparse.Namespace) -> int:
    from graph_api.bulk.load import default_checkpoint

    settings = get_settings()
    if args.reject_file and not args.accept_valid:
        print("error: --reject-file goes with --accept-valid", file=sys.stderr)
        return 2
    if args.resume and (args.reset or args.reset_all):
        print(
            "error: --resume finishes an import; --reset would delete what it wrote",
            file=sys.stderr,
        )
        return 2
    if args.accept_valid and not args.reject_file:
        print(
            "error: --accept-valid needs --reject-file FILE, so that no row is silently dropped",
            file=sys.stderr,
        )
        return 2
    if args.initial and (args.transactional or args.resume):
        print(
            "error: --initial excludes --transactional and --resume (a resumed import is "
            "transactional)",
            file=sys.stderr,
        )
        return 2
    if args.initial and settings.neo4j_uri:
        print(
            "error: --initial loads the local Neo4j's files directly; NEO4J_URI is set "
            "(leave --initial out to import into that server)",
            file=sys.stderr,
        )
        return 2
    if not settings.neo4j_uri and not args.transactional and not args.resume:
        code = _initial_import_if_empty(settings, args)
        if code is not None:
            return code
    checkpoint = Path(args.checkpoint) if args.checkpoint else default_checkpoint(Path(args.path))
    with database(settings) as uri:
        try:
            return _run_import(settings, uri, args, checkpoint)
        except KeyboardInterrupt:
            # The checkpoint is there from the first batch on, each line written at its commit.
            print(
                f"\ninterrupted: the batches committed so far are recorded in {checkpoint}; "
                "the same command with --resume writes the rest"
                if checkpoint.exists()
                else "\ninterrupted before the load began",
                file=sys.stderr,
            )
            return 130


def _run_import(settings: Settings, uri: str, args: argparse.Namespace, checkpoint: Path) -> int:
    return asyncio.run(
        _import(
            settings,
            uri,
            Path(args.path),
            accept_valid=args.accept_valid,
            reject_file=Path(args.reject_file) if args.reject_file else None,
            batch_size=args.batch_size,
            link_concurrency=args.link_concurrency,
            reset=args.reset,
            reset_all=args.reset_all,
            checkpoint=checkpoint,
            resume=args.resume,
        )
    )


def _initial_import_if_empty(settings: Settings, args: argparse.Namespace) -> int | None:
    """`import` into the local Neo4j with the bulk importer when its database is empty (or
    --reset, or --initial); None when it holds data and the transactional importer is to run."""
    from graph_api.bulk.formats import FormatError
    from graph_api.bulk.initial import (
        InitialImportError,
        database_is_empty,
        initial_import,
        store_dir,
    )
    from graph_api.store.local_neo4j import LocalNeo4jError

    local = _local_neo4j(settings)
    # The bulk importer replaces the whole database, the API keys and webhooks with it:
    # --reset keeps them, so it clears the customer data and imports transactionally.
    if (
        store_dir(local.data_dir).exists()
        and args.reset
        and _with_store(settings, lambda store: store.holds_service_config())
    ):
        if args.initial:
            print(
                f"error: --initial replaces the whole database in {local.data_dir}, "
                "its API keys and webhooks too (--reset keeps them): add --reset-all to "
                "delete them as well, or leave --initial out",
                file=sys.stderr,
            )
            return 2
        print(
            "--reset keeps the stored API keys and webhooks: clearing the customer data "
            "and importing with the transactional importer (--reset-all: bulk import "
            "into a new database)",
            file=sys.stderr,
        )
        return None
    if store_dir(local.data_dir).exists() and not (args.reset or args.reset_all):
        # A store exists: look inside (a database that was started once and is still empty
        # gets the bulk import too).
        empty = _with_store(settings, database_is_empty)
        if not empty:
            if args.initial:
                print(
                    f"error: --initial needs an empty database; {local.data_dir} holds data "
                    "(add --reset to replace it, or leave --initial out to add to it)",
                    file=sys.stderr,
                )
                return 2
            return None
    path = Path(args.path)
    reject_file = Path(args.reject_file) if args.reject_file else None
    print(
        f"initial load with neo4j-admin database import (data in {local.data_dir}) ...",
        file=sys.stderr,
    )

    async def run() -> InitialReport:
        return await initial_import(
            local,
            path,
            lambda uri: _store(settings, uri),
            accept_valid=args.accept_valid,
            reject_file=reject_file,
        )

    try:
        report = asyncio.run(run())
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (InitialImportError, LocalNeo4jError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        local.stop()
    if _print_problems(report.problems, written=report.written, path=path):
        return 1
    print(
        f"imported {report.total_rows} rows from {path} in {report.seconds:.1f}s "
        f"(validation {report.validate_seconds:.1f}s, files {report.files_seconds:.1f}s, "
        f"neo4j-admin import {report.tool_seconds:.1f}s, start {report.start_seconds:.1f}s, "
        f"indexes {report.index_seconds:.1f}s): {report.nodes_created} nodes and "
        f"{report.relationships_created} relationships created; {report.rejected} rows rejected"
        + (f", written to {reject_file}" if report.rejected and reject_file else ""),
        file=sys.stderr,
    )
    return 0 if not report.problems else 1


def cmd_export(args: argparse.Namespace) -> int:
    from graph_api.bulk.export import export_path
    from graph_api.bulk.formats import output_format

    settings = get_settings()
    path = Path(args.path)
    fmt = output_format(path, True if args.csv else None)
    if fmt == "json" and path.is_dir():
        print(f"error: {path} is a folder; give a .json file name", file=sys.stderr)
        return 2

    def progress(section: str, rows: int) -> None:
        print(f"  {section}: {rows:,} rows", file=sys.stderr)

    report = _with_store(settings, lambda store: export_path(store, path, fmt, progress=progress))
    rate = report.total_rows / report.seconds if report.seconds else 0.0
    print(
        f"exported {report.total_rows:,} rows to {path} ({fmt}) in {report.seconds:.1f}s "
        f"({rate:,.0f} rows/s)",
        file=sys.stderr,
    )
    return 0


def cmd_model_doc(args: argparse.Namespace) -> int:
    from graph_api.bulk.model_doc import MODEL_DOC, render_model_doc

    return _print_or_write(render_model_doc(), MODEL_DOC, args.write)


def cmd_generate(args: argparse.Namespace) -> int:
    import time

    from graph_api.generate import write_dataset

    if args.parties < 1:
        print(f"error: --parties must be at least 1, got {args.parties}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    done = write_dataset(Path(args.path), args.parties, args.seed, csv_folder=args.csv or None)
    sizes = ", ".join(f"{name} {n:,}" for name, n in done.rows.items())
    print(
        f"wrote {done.path} ({done.format}) in {time.perf_counter() - started:.1f}s: "
        f"{done.parties:,} parties ({done.people:,} people, {done.organizations:,} "
        f"organizations), {done.total_rows:,} rows: {sizes}",
        file=sys.stderr,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = get_settings()

    n = _with_store(settings, lambda store: store.migrate())
    print(f"{n} constraints/indexes ensured", file=sys.stderr)
    return 0


def cmd_refresh_stats(args: argparse.Namespace) -> int:
    from graph_api.services.co_holding import refresh_co_holding_stats

    settings = get_settings()

    done = _with_store(settings, refresh_co_holding_stats)
    print(
        f"co-holding statistics refreshed in {done.seconds:.2f}s: {done.people} people and "
        f"{done.organizations} organizations hold {done.products} products; "
        f"{done.associations} association rules",
        file=sys.stderr,
    )
    return 0


def cmd_refresh_strength(args: argparse.Namespace) -> int:
    from graph_api.services.strength import FullRefresh, refresh_all

    settings = get_settings()
    half_life = settings.strength_half_life_days

    async def run(store: Store) -> FullRefresh:
        return await refresh_all(store, half_life)

    done = _with_store(settings, run)
    print(
        f"earned strength recomputed in {done.seconds:.2f}s with a half-life of {half_life:g} "
        f"days: {done.interactions} interactions, {done.pairs} pairs; {done.removed} "
        "accumulators without interactions removed",
        file=sys.stderr,
    )
    return 0


def cmd_prune_audit(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from graph_api.services.audit import prune_audit

    if args.older_than_days < 0:
        print(
            f"error: --older-than-days must be 0 or more, got {args.older_than_days}",
            file=sys.stderr,
        )
        return 2
    settings = get_settings()
    before = datetime.now(UTC) - timedelta(days=args.older_than_days)

    deleted = _with_store(settings, lambda store: prune_audit(store, before))
    print(
        f"{deleted} audit entries older than {before:%Y-%m-%d %H:%M} UTC deleted",
        file=sys.stderr,
    )
    return 0


def cmd_prune_feed(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from graph_api.services.feed import prune_feed
    from graph_api.services.webhooks import holding_back

    settings = get_settings()
    hours = (
        settings.feed_retention_hours if args.older_than_hours is None else args.older_than_hours
    )
    if hours < 0:
        print(f"error: --older-than-hours must be 0 or more, got {hours}", file=sys.stderr)
        return 2
    before = datetime.now(UTC) - timedelta(hours=hours)

    async def prune(store: Store) -> tuple[int, list[tuple[str, str, int]]]:
        return await prune_feed(store, before), await holding_back(store, before)

    upto, holding = _with_store(settings, prune)
    print(
        f"changes older than {before:%Y-%m-%d %H:%M} UTC deleted (up to position {upto})",
        file=sys.stderr,
    )
    for hook, url, cursor in holding:
        print(
            f"kept: webhook {hook} ({url}) has not delivered the changes after position "
            f"{cursor} yet (disable it with updateWebhook to let them go)",
            file=sys.stderr,
        )
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from graph_api.api.schema import schema_sdl

    return _print_or_write(schema_sdl(), SCHEMA_FILE, args.write)


def cmd_new_key(args: argparse.Namespace) -> int:
    import orjson

    from graph_api.api.auth import key_hash, new_key
    from graph_api.config import ApiKey

    try:
        entry = ApiKey(sha256="0" * 64, subject=args.subject, role=args.role, repId=args.rep_id)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    key = new_key()
    config = {"sha256": key_hash(key), "subject": entry.subject, "role": entry.role.value}
    if entry.rep_id:
        config["repId"] = entry.rep_id
    print("the key (give it to the caller; it is not stored anywhere, and not shown again):")
    print(f"  {key}")
    print("its entry for GRAPH_API_API_KEYS or GRAPH_API_API_KEYS_FILE (a JSON list):")
    print(f"  {orjson.dumps(config).decode()}")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    import getpass

    from graph_api.services import api_keys

    settings = get_settings()
    # The operator at the console: recorded as the key's creator or revoker.
    by = f"cli:{getpass.getuser()}"

    def line(k: api_keys.StoredKey) -> str:
        state = (
            f"revoked {k.revoked_at:%Y-%m-%d %H:%M} by {k.revoked_by}" if k.revoked_at else "active"
        )
        rep = f" repId={k.rep_id}" if k.rep_id else ""
        label = f" label={k.label!r}" if k.label else ""
        return (
            f"{k.id}  {k.prefix}...  {k.subject}  {k.role.value}{rep}{label}  "
            f"created {k.created_at:%Y-%m-%d %H:%M} by {k.created_by}  {state}"
        )

    if args.keys_command == "create":

        async def create(store: Store) -> tuple[str, api_keys.StoredKey]:
            await store.migrate()
            return await api_keys.create_key(
                store,
                subject=args.subject,
                role=args.role,
                rep_id=args.rep_id,
                label=args.label,
                by=by,
            )

        key, stored = _with_store(settings, create)
        print("the key (give it to the caller; only its hash is stored, it is not shown again):")
        print(f"  {key}")
        print(line(stored))
        return 0
    if args.keys_command == "list":
        found = _with_store(
            settings, lambda store: api_keys.list_keys(store, include_revoked=args.all)
        )
        for k in found:
            print(line(k))
        if not found:
            print("no API keys stored" + ("" if args.all else " (or all revoked: --all)"))
        return 0
    revoked = _with_store(settings, lambda store: api_keys.revoke_key(store, args.id, by=by))
    print(line(revoked))
    return 0


def cmd_webhooks(args: argparse.Namespace) -> int:
    import getpass

    from graph_api.domain.access import Role, Viewer
    from graph_api.services.webhooks import WebhookAdmin

    settings = get_settings()
    # The operator at the console, as an admin (recorded as the replay's author).
    operator = Viewer(subject=f"cli:{getpass.getuser()}", role=Role.ADMIN)

    if args.webhooks_command == "list":
        found = _with_store(
            settings, lambda store: WebhookAdmin(store, operator, settings).webhooks(True)
        )
        for w in found:
            lease = f"lease {w.lease_owner} until {w.lease_until:%H:%M:%S}" if w.lease_owner else ""
            print(
                f"{w.id}  {'enabled' if w.enabled else 'disabled'}  {w.url}  "
                f"types={','.join(w.event_types)}  cursor={w.cursor}  {lease}".rstrip()
            )
        if not found:
            print("no webhooks registered")
        return 0
    if args.webhooks_command == "dead-letters":
        dead = _with_store(
            settings,
            lambda store: WebhookAdmin(store, operator, settings).dead_letters(
                args.webhook, settings.max_page_size
            ),
        )
        for d in dead:
            last = d.attempts[-1].error if d.attempts else ""
            print(
                f"{d.id}  {d.type}  tries={len(d.attempts)}  "
                f"dead {d.dead_at:%Y-%m-%d %H:%M}  {last}"
            )
        if not dead:
            print("no dead letters")
        return 0
    replayed = _with_store(
        settings, lambda store: WebhookAdmin(store, operator, settings).replay(args.ids)
    )
    for d in replayed:
        print(f"{d.id}  {d.status.value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graph-api",
        description=(
            "Relationship graph service of a sales CRM: GraphQL over Neo4j. "
            "With NEO4J_URI unset, commands that need a database start the project's own local "
            "Neo4j (Java 17 + Maven; data under GRAPH_API_STATE_DIR, default .state/)."
        ),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the GraphQL service (http://127.0.0.1:8000/graphql)")
    p.add_argument("--host", help="interface to listen on (GRAPH_API_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (GRAPH_API_PORT, default 8000)")
    p.add_argument("--load-demo", action="store_true", help="load seed/demo.json first")
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.add_argument(
        "--workers",
        type=int,
        help="worker processes accepting on the one port, each with its own event loop and "
        "database connections (GRAPH_API_WORKERS; default: one per core)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("neo4j", help="run the local Neo4j in the foreground")
    p.add_argument("--data-dir", help="data folder (default .state/neo4j)")
    p.add_argument("--port", type=int, help="Bolt port (default 7687; 0 picks a free one)")
    p.add_argument("--heap", help="Java heap, e.g. 2g")
    p.add_argument("--page-cache", help="Neo4j page cache, e.g. 1g")
    p.set_defaults(func=cmd_neo4j)

    p = sub.add_parser("seed", help="load the demo data set (seed/demo.json)")
    _reset_arguments(p)
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser(
        "import",
        help="import a JSON document or a folder of CSV files (validated first)",
        description=(
            "Validates the whole document first and writes nothing when any row is bad, "
            "printing one line per problem (file, row, field, value). With --accept-valid the "
            "good rows are loaded and every bad row goes to --reject-file. Idempotent. "
            "If a write fails while loading (exit status 4), the message says what was "
            "written and what not, and every committed batch is in the checkpoint file: "
            "once the cause is fixed, --resume writes the rest. "
            "Into an empty local database (NEO4J_URI unset) the rows go through Neo4j's "
            "offline bulk importer (--initial), with the same validation and the same graph."
        ),
    )
    p.add_argument("path", help="a .json document or a folder of <section>.csv files")
    p.add_argument("--accept-valid", action="store_true", help="load the good rows anyway")
    p.add_argument("--reject-file", help="where rejected rows go (JSON lines)")
    p.add_argument("--batch-size", type=int, default=5000, help="rows per transaction")
    p.add_argument(
        "--link-concurrency",
        type=int,
        default=1,
        help="link batches written at once, on as many sessions (default 1; on 2 cores "
        "more gained nothing measurable)",
    )
    _reset_arguments(p)
    p.add_argument(
        "--initial",
        action="store_true",
        help="first load of the local Neo4j with its offline bulk importer (neo4j-admin "
        "database import); the default when the local database is empty",
    )
    p.add_argument(
        "--transactional",
        action="store_true",
        help="the transactional importer even into an empty local database",
    )
    p.add_argument(
        "--checkpoint",
        help="where the committed batches are recorded while loading (default: PATH.checkpoint "
        "beside the document; removed when the import completes)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish an import that stopped: skip the batches its checkpoint records",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        help="write the whole graph in the import format (JSON document or CSV folder)",
        description=(
            "Writes every section of the import format from the database: a PATH ending in "
            ".json is one JSON document, anything else a folder of <section>.csv files. Rows "
            "are in id order, so the same graph always gives the same bytes; importing the "
            "export into an empty database and exporting again gives identical output. "
            "Exports everything, confidential parties included: an operator's command."
        ),
    )
    p.add_argument("path", help="a .json file or a folder for the CSV files")
    p.add_argument("--csv", action="store_true", help="CSV files even if PATH ends in .json")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "model-doc",
        help="print the model documentation (docs/MODEL.md) generated from the format's spec",
    )
    p.add_argument("--write", action="store_true", help="rewrite docs/MODEL.md")
    p.set_defaults(func=cmd_model_doc)

    p = sub.add_parser(
        "generate",
        help="write a generated data set in the import format (deterministic for a seed)",
        description=(
            "Writes a realistic synthetic data set: customer accounts with their structure, "
            "org charts, buying centres and influence, households, holdings, our reps and "
            "coverage, opportunities, interactions, events and affinity rules. The same "
            "--parties and --seed give byte-identical output. A PATH ending in .json is a JSON "
            "document, anything else a folder of <section>.csv files. Memory stays flat: "
            "1,000,000 parties need no more than 10."
        ),
    )
    p.add_argument("path", help="output: file.json, or a folder for CSV files")
    p.add_argument("--parties", type=int, default=10_000, help="people + organizations")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--csv", action="store_true", help="a folder of CSV files, whatever PATH is")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("migrate", help="apply constraints and indexes (also done at start)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "refresh-stats",
        help="recompute the cross-sell co-holding statistics (also done after every import)",
        description=(
            "Recomputes product co-holding counts, support, confidence and lift from every "
            "holding that is not closed, and swaps them in in one transaction. Run it after "
            "holdings change outside an import (e.g. nightly from cron)."
        ),
    )
    p.set_defaults(func=cmd_refresh_stats)

    p = sub.add_parser(
        "refresh-strength",
        help="recompute the earned relationship strengths (after a half-life change)",
        description=(
            "Recomputes the interaction accumulator of every pair (a rep and a customer "
            "person, two customer people) from every interaction with "
            "GRAPH_API_STRENGTH_HALF_LIFE_DAYS. Writes and imports keep them current; run this "
            "after changing the half-life (until then each pair decays with the half-life it "
            "was computed with) or after interactions were changed outside the service."
        ),
    )
    p.set_defaults(func=cmd_refresh_strength)

    p = sub.add_parser(
        "prune-audit",
        help="delete audit entries older than a number of days (kept until then)",
        description=(
            "The audit trail of the write API is kept in Neo4j until this runs: schedule it "
            "(e.g. nightly from cron) with the retention period your policy sets."
        ),
    )
    p.add_argument(
        "--older-than-days", type=int, required=True, help="keep the entries of the last N days"
    )
    p.set_defaults(func=cmd_prune_audit)

    p = sub.add_parser(
        "prune-feed",
        help="delete changes of the change feed older than its retention",
        description=(
            "The service prunes the change feed itself every hour, keeping "
            "GRAPH_API_FEED_RETENTION_HOURS; this does it now. A client whose cursor is "
            "older then gets CURSOR_EXPIRED and must resynchronise. Changes an enabled "
            "webhook has not delivered yet are kept (and the webhook named)."
        ),
    )
    p.add_argument(
        "--older-than-hours",
        type=float,
        default=None,
        help="keep the changes of the last N hours (default GRAPH_API_FEED_RETENTION_HOURS)",
    )
    p.set_defaults(func=cmd_prune_feed)

    p = sub.add_parser(
        "new-key",
        help="make an API key and print its configuration entry (the key's SHA-256 only)",
        description=(
            "Prints a new random API key and the JSON entry that configures it: add the entry "
            "to the list in GRAPH_API_API_KEYS (or GRAPH_API_API_KEYS_FILE) and hand the key "
            "to the caller. The service never stores the key itself."
        ),
    )
    p.add_argument("--subject", required=True, help="who the key is for (logged, e.g. crm-web)")
    p.add_argument("--role", required=True, choices=["admin", "manager", "rep"])
    p.add_argument("--rep-id", help="the caller's Rep id (required for manager and rep)")
    p.set_defaults(func=cmd_new_key)

    p = sub.add_parser(
        "keys",
        help="create, list or revoke API keys stored in the database (no restart needed)",
        description=(
            "API keys kept in Neo4j, hashed: a new key works at once, a revoked one is refused "
            "within GRAPH_API_API_KEY_CACHE_S seconds (default 5) by running services. Keys in "
            "GRAPH_API_API_KEYS keep working beside them (to bootstrap the first admin)."
        ),
    )
    keys = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    k = keys.add_parser("create", help="make a key, store its hash, print the key once")
    k.add_argument("--subject", required=True, help="who the key is for (logged, e.g. crm-web)")
    k.add_argument("--role", required=True, choices=["admin", "manager", "rep"])
    k.add_argument("--rep-id", help="the caller's Rep id (required for manager and rep)")
    k.add_argument("--label", help="what the key is for")
    k = keys.add_parser("list", help="the stored keys (never the keys themselves)")
    k.add_argument("--all", action="store_true", help="also the revoked keys")
    k = keys.add_parser("revoke", help="revoke a key by its id (as listed)")
    k.add_argument("id", help="the key's id, e.g. key-0123456789abcdef")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser(
        "webhooks",
        help="list webhooks, their dead letters, and replay them",
        description=(
            "Webhooks are registered with the admin mutations (createWebhook, ...); running "
            "services deliver them. This lists them and their dead letters and replays dead "
            "letters (the worker of a running service sends them)."
        ),
    )
    hooks = p.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    hooks.add_parser("list", help="every webhook: URL, types, cursor, lease (never its secret)")
    h = hooks.add_parser("dead-letters", help="the dead letters, newest first")
    h.add_argument("--webhook", help="only this webhook's")
    h = hooks.add_parser("replay", help="send dead letters again (all of them or none)")
    h.add_argument("ids", nargs="+", help="the deliveries' ids, as dead-letters lists them")
    p.set_defaults(func=cmd_webhooks)

    p = sub.add_parser("schema", help="print the GraphQL schema (SDL)")
    p.add_argument("--write", action="store_true", help=f"write it to {SCHEMA_FILE.name}")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The driver's retry warnings (several lines each) say nothing the service's own errors
    # do not, and drown a one-line error when the database is down.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    from neo4j.exceptions import DriverError, Neo4jError

    from graph_api.domain.errors import DomainError

    # What the user can act on is one line, not a traceback: an unreachable NEO4J_URI, a
    # local Neo4j that cannot start, a refused write.
    try:
        code: int = args.func(args)
    except CommandFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 3
    except (DriverError, Neo4jError) as exc:
        where = get_settings().neo4j_uri or "the local Neo4j"
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"error: Neo4j at {where}: {exc.__class__.__name__}: {first}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
