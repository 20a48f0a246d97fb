"""The Neo4j side: one async driver, named queries run as managed transactions."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConnectionAcquisitionTimeoutError,
    ConstraintError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph_api import tracing
from graph_api.domain.errors import CommitUnknown, Conflict, Timeout, Unavailable
from graph_api.domain.signals import follow_up_before, refresh_params
from graph_api.metrics import DB_TIMEOUTS, db_query_seconds, watch_driver
from graph_api.store.cypher import query, statements

log = logging.getLogger(__name__)

# Parties whose derived portfolio properties one statement recomputes.
PORTFOLIO_BATCH = 5000

T = TypeVar("T")

_FIRST_RETRY_DELAY_S = 0.05

_CLEAR_STATEMENTS = (
    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)
# The service's own configuration, which a reset of the customer data keeps (`clear`): the
# API keys, the webhooks with their delivery logs, and the feed's sequence (a kept webhook's
# cursor is a feed position: the positions go on counting from there, so the changes written
# after the reset are delivered; a sequence started again at 0 would skip them).
SERVICE_LABELS: tuple[str, ...] = ("ApiKey", "Webhook", "WebhookDelivery", "FeedSequence")
# Written out (Cypher is never built from strings: tests/unit/test_cypher_parameters.py);
# the assertion below keeps them to SERVICE_LABELS.
_CLEAR_DATA_STATEMENTS = (
    "MATCH (a)-[r]->() WHERE NOT a:ApiKey|Webhook|WebhookDelivery|FeedSequence "
    "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n) WHERE NOT n:ApiKey|Webhook|WebhookDelivery|FeedSequence "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)
_HOLDS_SERVICE_CONFIG = (
    "MATCH (n:ApiKey|Webhook|WebhookDelivery|FeedSequence) RETURN count(n) > 0 AS any LIMIT 1"
)
assert all("|".join(SERVICE_LABELS) in q for q in (*_CLEAR_DATA_STATEMENTS, _HOLDS_SERVICE_CONFIG))


@dataclass
class RoundTrips:
    """Counts database round trips in one request (the no-N+1 test reads it)."""

    count: int = 0


_round_trips: ContextVar[RoundTrips | None] = ContextVar("round_trips", default=None)


def start_counting_round_trips() -> RoundTrips:
    counter = RoundTrips()
    _round_trips.set(counter)
    return counter


def _count_round_trip() -> None:
    counter = _round_trips.get()
    if counter is not None:
        counter.count += 1


def count_round_trips(n: int, queries: Sequence[str] = ()) -> None:
    """Counts `n` round trips, running `queries`, made for the calling request by another
    process (an analysis process, services/analysis_processes.py)."""
    counter = _round_trips.get()
    if counter is not None:
        counter.count += n
    work = _request_work.get()
    if work is not None:
        work.queries.extend(queries)


@dataclass
class RequestWork:
    """The database work of one request: its time budget and the named queries it ran."""

    budget_s: float | None = None
    # time.monotonic() by which the request's database work must be done.
    deadline: float | None = None
    queries: list[str] = field(default_factory=list)


_request_work: ContextVar[RequestWork | None] = ContextVar("request_work", default=None)

# Neo4j counts timeouts in milliseconds, and 0 means none: less than this is no time left.
_MIN_TIMEOUT_S = 0.001
# A text query (internal scripts) is labelled so: its text would make unbounded labels.
_TEXT_QUERY = "_text"


def start_request_work(budget_s: float | None) -> RequestWork:
    """Starts counting the calling request's queries; with a budget, every query after this
    gets a Neo4j transaction timeout of what is left of it (in the request's own context:
    resolvers and the tasks they start inherit it, no other request sees it)."""
    work = RequestWork(budget_s)
    if budget_s is not None and budget_s > 0:
        work.deadline = time.monotonic() + budget_s
    _request_work.set(work)
    return work


def current_request_work() -> RequestWork | None:
    return _request_work.get()


def _timeout(name: str, default_s: float) -> float:
    """The transaction timeout of the next query: the store's, or what is left of the
    request's budget; Timeout when nothing is left (the query is not even sent)."""
    work = _request_work.get()
    if work is None or work.deadline is None:
        return default_s
    left = work.deadline - time.monotonic()
    if left < _MIN_TIMEOUT_S:
        raise _budget_spent(name, work)
    return min(default_s, left)


def _budget_spent(name: str, work: RequestWork | None) -> Timeout:
    DB_TIMEOUTS.labels(name).inc()
    budget = work.budget_s if work is not None else None
    if budget is None:
        return Timeout(
            f"the database query {name} ran out of its time and was cancelled",
            details={"query": name},
        )
    return Timeout(
        f"the request ran out of its time budget of {budget:g} s "
        f"(GRAPH_API_REQUEST_TIMEOUT_S) in the database query {name}; its database work was "
        "cancelled: ask for less (smaller maxHops, depth, first or limit, fewer fields)",
        details={"limit": "GRAPH_API_REQUEST_TIMEOUT_S", "maximum": budget, "query": name},
    )


def _timed_out(exc: Neo4jError) -> bool:
    # Neo.ClientError.Transaction.TransactionTimedOut(ClientConfiguration): Neo4j terminated
    # the transaction at its timeout.
    return "TransactionTimedOut" in (exc.code or "")


class _Observed:
    """Around one round trip: its name for the request's slow log, its duration for the
    metrics, a span when tracing is on; a transaction timeout becomes Timeout."""

    __slots__ = ("label", "span", "started")

    def __init__(self, name: str) -> None:
        self.label = name if " " not in name and "\n" not in name else _TEXT_QUERY
        work = _request_work.get()
        if work is not None:
            work.queries.append(self.label)
        self.span: Any = None
        if tracing.tracer is not None:
            self.span = tracing.tracer.start_span(
                self.label, attributes={"db.system": "neo4j", "db.operation.name": self.label}
            )
        self.started = time.perf_counter()

    def __enter__(self) -> _Observed:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        db_query_seconds(self.label).observe(time.perf_counter() - self.started)
        if self.span is not None:
            if exc is not None:
                self.span.record_exception(exc)
            self.span.end()
        if isinstance(exc, Neo4jError) and _timed_out(exc):
            raise _budget_spent(self.label, _request_work.get()) from exc


def _resolve(name_or_text: str) -> str:
    """A query is given by name (`view.parties`) or, for internal scripts, as text."""
    if "\n" in name_or_text or " " in name_or_text:
        return name_or_text
    return query(name_or_text)


# What a client waits before retrying after SERVICE_UNAVAILABLE or COMMIT_UNKNOWN: about
# what a restart of the local Neo4j takes to begin answering again.
RETRY_AFTER_S = 2

# The driver's errors that mean the database is not there or not answering in time (as
# opposed to a refused query): no free connection within the wait counts too.
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, AuthError, ConnectionAcquisitionTimeoutError)
# And, for a request (not for the import, which retries its batches longer itself), a
# transient error (a deadlock) still there when the retries' time is up: the transaction was
# rolled back, and a later retry may succeed.
_RETRY_LATER = (*_UNAVAILABLE, TransientError)


def _commit_unknown(exc: IncompleteCommit) -> CommitUnknown:
    return CommitUnknown(
        "the connection to the graph database was lost while it committed this write: it may "
        "or may not have been applied. Retry with the same Idempotency-Key (answered from the "
        "first attempt if it was applied), or read before retrying without one",
        retry_after_s=RETRY_AFTER_S,
    )


class Transaction:
    """A write transaction in progress: runs named queries inside it."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, name: str, params: Mapping[str, Any] | None = None) -> list[neo4j.Record]:
        _count_round_trip()
        with _Observed(name):
            result = await self._tx.run(query(name), dict(params or {}))
            return [record async for record in result]

    async def run_one(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> neo4j.Record | None:
        records = await self.run(name, params)
        return records[0] if records else None

    async def run_counters(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Runs a write inside the transaction and answers its update counters."""
        _count_round_trip()
        with _Observed(name):
            result = await self._tx.run(query(name), dict(params or {}))
            summary = await result.consume()
        c = summary.counters
        return {
            "nodes_created": c.nodes_created,
            "relationships_created": c.relationships_created,
            "properties_set": c.properties_set,
            "nodes_deleted": c.nodes_deleted,
            "relationships_deleted": c.relationships_deleted,
        }


class Store:
    """Runs named Cypher with parameters; maps driver failures to domain errors."""

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        query_timeout_s: float = 30.0,
        *,
        wait_s: float = 3.0,
        uri: str = "",
        job_timeout_s: float = 3600.0,
    ) -> None:
        self.driver = driver
        self.database = database
        # Each transaction of a request (the interactive bound)...
        self.query_timeout_s = query_timeout_s
        # ... and each transaction of a whole-graph job this store runs itself (the migration's
        # portfolio refresh, `refresh_portfolio`), which no request waits on: a batch that
        # outlives the interactive bound on a big or busy database is no reason to fail a load.
        self.job_timeout_s = job_timeout_s
        self.uri = uri
        # As the driver's managed transactions (max_transaction_retry_time below).
        self.retry_time_s = wait_s
        # Says why the database is known to be down (a local Neo4j being restarted), so that
        # requests fail at once instead of waiting `wait_s` for a connection.
        self.known_down: Callable[[], str | None] | None = None

    def _check_up(self) -> None:
        reason = self.known_down() if self.known_down is not None else None
        if reason is not None:
            raise Unavailable(
                f"the graph database is unavailable: {reason}", retry_after_s=RETRY_AFTER_S
            )

    def _unavailable(self, exc: Exception) -> Unavailable:
        where = f" at {self.uri}" if self.uri else ""
        return Unavailable(
            f"the graph database{where} is unavailable: {exc.__class__.__name__}",
            retry_after_s=RETRY_AFTER_S,
        )

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        pool_size: int = 50,
        connection_timeout_s: float = 5.0,
        query_timeout_s: float = 30.0,
        wait_s: float = 3.0,
        job_timeout_s: float = 3600.0,
    ) -> Store:
        """`wait_s` bounds every wait for the database (connecting, a free pooled
        connection, retrying transient failures): past it a request fails fast with
        SERVICE_UNAVAILABLE instead of hanging while the database is down."""
        wait_s = max(wait_s, 0.1)
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            max_connection_pool_size=pool_size,
            connection_timeout=min(connection_timeout_s, wait_s),
            connection_acquisition_timeout=wait_s,
            max_transaction_retry_time=wait_s,
            notifications_min_severity="OFF",
        )
        watch_driver(driver)
        return cls(
            driver, database, query_timeout_s, wait_s=wait_s, uri=uri, job_timeout_s=job_timeout_s
        )

    async def close(self) -> None:
        await self.driver.close()

    async def bookmarks(self) -> list[str]:
        """The bookmarks of this service's writes so far (what its reads wait for)."""
        return list(await self.driver.execute_query_bookmark_manager.get_bookmarks())

    async def wait_for(self, bookmarks: Sequence[str]) -> None:
        """Makes the next reads see the writes of `bookmarks` (another driver's, another
        process's): on a cluster a read waits until its server has them."""
        if bookmarks:
            await self.driver.execute_query_bookmark_manager.update_bookmarks((), bookmarks)

    async def ping(self, timeout_s: float | None = None) -> None:
        """Raises Unavailable unless the database answers a trivial query in time."""
        try:
            async with asyncio.timeout(timeout_s or self.retry_time_s):
                await self.driver.execute_query(
                    "RETURN 1", database_=self.database, routing_=RoutingControl.READ
                )
        except (TimeoutError, DriverError, Neo4jError, OSError) as exc:
            where = f" at {self.uri}" if self.uri else ""
            reason = str(exc).splitlines()[0] if str(exc) else ""
            raise Unavailable(
                f"Neo4j{where} is not reachable: {exc.__class__.__name__}"
                + (f": {reason}" if reason else ""),
                retry_after_s=RETRY_AFTER_S,
            ) from exc

    async def read(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> list[neo4j.Record]:
        """Runs a read query as an auto-commit transaction, retried on transient errors;
        `timeout_s` replaces the store's query timeout (a job's, `job_timeout_s`).

        One network round trip (RUN and PULL together) instead of the managed transaction's
        two (BEGIN, RUN and PULL, then COMMIT): on loopback every round trip wakes Neo4j's
        Bolt thread and then this process again, and that cost bounds every request.
        """
        text = _resolve(name)
        _count_round_trip()
        self._check_up()
        parameters = dict(params or {})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry_time_s
        delay = _FIRST_RETRY_DELAY_S
        while True:
            try:
                query_ = neo4j.Query(
                    text, timeout=_timeout(name, timeout_s or self.query_timeout_s)
                )
                async with self.driver.session(
                    database=self.database,
                    default_access_mode=neo4j.READ_ACCESS,
                    # Reads see the writes this service made before (causal consistency).
                    bookmark_manager=self.driver.execute_query_bookmark_manager,
                ) as session:
                    with _Observed(name):
                        result = await session.run(query_, parameters)
                        return [record async for record in result]
            except (Neo4jError, DriverError) as exc:
                # A read is safe to run again; retry what the driver says is transient.
                if not exc.is_retryable() or loop.time() + delay > deadline:
                    if isinstance(exc, _RETRY_LATER):
                        raise self._unavailable(exc) from exc
                    raise
            await asyncio.sleep(delay)
            delay *= 2

    async def write(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> list[neo4j.Record]:
        """Runs a write query; `timeout_s` replaces the store's query timeout (a job's)."""
        return await self._run(name, params, RoutingControl.WRITE, timeout_s)

    async def write_counters(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Runs a write of the party graph (an import batch) and returns its update counters
        (nodes_created, ...); then the graph's version goes up."""
        counters = await self._write_counters(name, params)
        await self._run("graph_version.bump", None, RoutingControl.WRITE)
        return counters

    async def graph_version(self) -> str | None:
        """The graph's version (cypher/graph_version.cypher): it changes with every write of
        the party graph; None before the first."""
        rows = await self.read("graph_version.read")
        return str(rows[0]["version"]) if rows else None

    async def _write_counters(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        text = _resolve(name)
        _count_round_trip()
        self._check_up()
        try:
            with _Observed(name):
                result = await self.driver.execute_query(
                    neo4j.Query(text, timeout=_timeout(name, self.query_timeout_s)),
                    dict(params or {}),
                    database_=self.database,
                    routing_=RoutingControl.WRITE,
                )
        except ConstraintError as exc:
            raise Conflict(f"conflicts with existing data: {exc.message}") from exc
        except IncompleteCommit as exc:
            raise _commit_unknown(exc) from exc
        except _UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc
        c = result.summary.counters
        return {
            "nodes_created": c.nodes_created,
            "relationships_created": c.relationships_created,
            "properties_set": c.properties_set,
            "nodes_deleted": c.nodes_deleted,
            "relationships_deleted": c.relationships_deleted,
        }

    async def read_one(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_s: float | None = None,
    ) -> neo4j.Record | None:
        records = await self.read(name, params, timeout_s=timeout_s)
        return records[0] if records else None

    async def _run(
        self,
        name: str,
        params: Mapping[str, Any] | None,
        routing: RoutingControl,
        timeout_s: float | None = None,
    ) -> list[neo4j.Record]:
        text = _resolve(name)
        _count_round_trip()
        self._check_up()
        try:
            with _Observed(name):
                result = await self.driver.execute_query(
                    neo4j.Query(text, timeout=_timeout(name, timeout_s or self.query_timeout_s)),
                    dict(params or {}),
                    database_=self.database,
                    routing_=routing,
                )
        except ConstraintError as exc:
            raise Conflict(f"conflicts with existing data: {exc.message}") from exc
        except IncompleteCommit as exc:
            raise _commit_unknown(exc) from exc
        except _UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc
        return list(result.records)

    async def transaction(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs `work` in one write transaction (retried on transient errors, atomic)."""
        _count_round_trip()
        self._check_up()
        try:
            # The bookmarks of execute_query: a read right after this write sees it, even on a
            # cluster whose reads go to followers.
            async with self.driver.session(
                database=self.database,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            ) as session:
                return await session.execute_write(work)
        except ConstraintError as exc:
            raise Conflict(f"conflicts with existing data: {exc.message}") from exc
        except IncompleteCommit as exc:
            raise _commit_unknown(exc) from exc
        except _RETRY_LATER as exc:
            raise self._unavailable(exc) from exc
        except Neo4jError as exc:
            # Timed out at its commit: rolled back like any timed-out transaction.
            if _timed_out(exc):
                raise _budget_spent("commit", _request_work.get()) from exc
            raise

    async def write_transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Runs `work` in one write transaction that runs named queries: all of it or nothing.

        The driver retries the whole of `work` on transient errors (deadlocks, leader
        changes), so `work` must keep its state inside itself."""

        @neo4j.unit_of_work(timeout=_timeout("write transaction", self.query_timeout_s))
        async def managed(tx: AsyncManagedTransaction) -> T:
            transaction = Transaction(tx)
            done = await work(transaction)
            # Last, so that the version's lock is held only while the transaction commits.
            await transaction.run("graph_version.bump")
            return done

        return await self.transaction(managed)

    async def write_in_batches(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Runs a named query that commits in batches itself (CALL ... IN TRANSACTIONS needs
        an auto-commit transaction); answers its update counters."""
        _count_round_trip()
        self._check_up()
        try:
            async with self.driver.session(database=self.database) as session:
                result = await session.run(query(name), dict(params or {}))
                summary = await result.consume()
        except IncompleteCommit as exc:
            raise _commit_unknown(exc) from exc
        except _UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc
        c = summary.counters
        return {"nodes_deleted": c.nodes_deleted, "relationships_deleted": c.relationships_deleted}

    async def migrate(self, *, refresh_stale: bool = True, bulk_loaded: bool = False) -> int:
        """Applies cypher/schema.cypher (idempotent); returns the number of statements run.
        Then parties without their portfolio properties get them, unless `refresh_stale` is
        False (the bulk importer wrote them: a walk over every party would find none).

        `bulk_loaded`: the database was just built by the bulk importer and has no schema
        yet (`import --initial`). The same indexes and constraints are made, populated side
        by side rather than one after the other (the plain indexes first, in one
        transaction: one scan of the store for all of them, populated while the
        constraints are made), and the titles' backfill is left out (the importer's files
        carry every person's searchTitles)."""
        stmts = statements("schema")
        try:
            if bulk_loaded:
                await self._create_schema_at_once(stmts)
            else:
                for stmt in stmts:
                    await self.driver.execute_query(stmt, database_=self.database)
                # People imported before job titles were searchable get theirs (IN
                # TRANSACTIONS needs an auto-commit transaction, hence session.run).
                async with self.driver.session(database=self.database) as session:
                    result = await session.run(query("search.backfill_titles"))
                    await result.consume()
            await self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
            await self.driver.execute_query(query("graph_version.start"), database_=self.database)
            if refresh_stale:
                await self._refresh_stale_portfolio()
            await self._refresh_ahead_unmarked()
            await self.refresh_due()
        except _UNAVAILABLE as exc:
            await self.ping()  # the reason, naming the URI
            raise self._unavailable(exc) from exc
        return len(stmts)

    async def _create_schema_at_once(self, stmts: list[str]) -> None:
        """The schema's statements on a database without any index yet (see `migrate`)."""
        drops = [s for s in stmts if s.upper().startswith("DROP ")]
        constraints = [s for s in stmts if s.upper().startswith("CREATE CONSTRAINT ")]
        indexes = [s for s in stmts if s not in drops and s not in constraints]
        for stmt in drops:
            await self.driver.execute_query(stmt, database_=self.database)

        async def create_indexes(tx: AsyncManagedTransaction) -> None:
            for stmt in indexes:
                await (await tx.run(stmt)).consume()

        async with self.driver.session(database=self.database) as session:
            await session.execute_write(create_indexes)
        # Each constraint's statement returns when its index is populated, while the
        # indexes above populate beside it. One after the other: constraints created from
        # concurrent sessions deadlocked on their labels' locks (DeadlockDetected at 100k).
        for stmt in constraints:
            await self.driver.execute_query(stmt, database_=self.database)

    async def _refresh_stale_portfolio(self) -> None:
        """Parties written before the portfolio properties existed get theirs (once per
        database: later starts find none)."""
        after: str | None = None
        job = self.job_timeout_s
        while True:
            # In id order from the last batch's last id: each party is read once, however many
            # batches (a scan from the start would pass over every refreshed party again).
            record = await self.read_one(
                "portfolio.stale", {"after": after, "limit": PORTFOLIO_BATCH}, timeout_s=job
            )
            ids = list(record["ids"]) if record else []
            if not ids:
                return
            await self.write("portfolio.refresh", refresh_params(ids), timeout_s=job)
            after = ids[-1]

    async def _refresh_ahead_unmarked(self) -> None:
        """Parties with an interaction dated after today that their last refresh counted as
        a follow-up (refreshed before future interactions were set apart) are refreshed once:
        found from the index of interactions' times, so a later start reads only the
        interactions ahead."""
        job = self.job_timeout_s
        while True:
            record = await self.read_one(
                "portfolio.ahead_unmarked",
                {"before": follow_up_before(), "limit": PORTFOLIO_BATCH},
                timeout_s=job,
            )
            ids = list(record["ids"]) if record else []
            if not ids:
                return
            await self.write("portfolio.refresh", refresh_params(ids), timeout_s=job)

    async def refresh_due(self, today: date | None = None) -> int:
        """Refreshes the parties whose first interaction dated ahead has come (its day is
        `today` or before; default: today, UTC): it becomes their last follow-up, so a
        sleeping list reads them as awake from that day. Run at start-up and every few
        minutes by the service (`api/app.py`). Returns how many were refreshed."""
        day = today or datetime.now(UTC).date()
        epoch = (day - date(1970, 1, 1)).days
        done = 0
        job = self.job_timeout_s
        while True:
            record = await self.read_one(
                "portfolio.due", {"today": epoch, "limit": PORTFOLIO_BATCH}, timeout_s=job
            )
            ids = list(record["ids"]) if record else []
            if not ids:
                return done
            await self.write("portfolio.refresh", refresh_params(ids, day), timeout_s=job)
            done += len(ids)

    async def refresh_portfolio(self, ids: Iterable[str] | None = None) -> int:
        """Recomputes the derived portfolio properties (cypher/portfolio.cypher) of the
        parties `ids` and the accounts they are marked on, or of every party (None), in
        batches, each under the job timeout; returns how many parties were refreshed. The
        importers' last step."""
        done = 0
        job = self.job_timeout_s
        if ids is not None:
            todo = sorted(set(ids))
            for i in range(0, len(todo), PORTFOLIO_BATCH):
                batch = todo[i : i + PORTFOLIO_BATCH]
                written = await self.write(
                    "portfolio.refresh", refresh_params(batch), timeout_s=job
                )
                done += int(written[0]["refreshed"]) if written else 0
            return done
        after: str | None = None
        while True:
            record = await self.read_one(
                "portfolio.ids", {"after": after, "limit": PORTFOLIO_BATCH}, timeout_s=job
            )
            every = list(record["ids"]) if record else []
            if not every:
                return done
            written = await self.write("portfolio.refresh", refresh_params(every), timeout_s=job)
            done += int(written[0]["refreshed"]) if written else 0
            after = every[-1]

    async def holds_service_config(self) -> bool:
        """Whether the database holds any of the service's own configuration nodes
        (`SERVICE_LABELS`), which a reset keeps and a replaced database would lose."""
        rows = await self.read(_HOLDS_SERVICE_CONFIG)
        return bool(rows[0]["any"])

    async def clear(self, *, everything: bool = False) -> None:
        """Deletes the customer data: every node and relationship but the service's own
        configuration (`SERVICE_LABELS`: API keys, webhooks and their delivery logs, the feed's
        sequence), which `seed --reset` and `import --reset` keep so that a reset does not lock
        integrations out. `everything`: those too (the tests, `--reset-all`).

        Relationships first, then nodes, each in transactions of 10,000: a DETACH DELETE of
        10,000 nodes also deletes all their relationships in the same transaction, and hubs
        (a product held by a hundred thousand parties) made one transaction big enough to
        exhaust the database's transaction memory on a 1M-party store."""
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
        async with self.driver.session(database=self.database) as session:
            for statement in _CLEAR_STATEMENTS if everything else _CLEAR_DATA_STATEMENTS:
                result = await session.run(statement)
                await result.consume()
