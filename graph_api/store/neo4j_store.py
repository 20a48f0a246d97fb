"""The Neo4j side: one async driver, named queries run as managed transactions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph_api.domain.errors import Conflict, Unavailable
from graph_api.store.cypher import query, statements

log = logging.getLogger(__name__)

T = TypeVar("T")

_FIRST_RETRY_DELAY_S = 0.05

_CLEAR_STATEMENTS = (
    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)


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


def _resolve(name_or_text: str) -> str:
    """A query is given by name (`party.by_id`) or, for internal scripts, as text."""
    if "\n" in name_or_text or " " in name_or_text:
        return name_or_text
    return query(name_or_text)


def _unavailable(exc: Exception) -> Unavailable:
    return Unavailable(f"the graph database is unavailable: {exc.__class__.__name__}")


class Transaction:
    """A write transaction in progress: runs named queries inside it."""

    def __init__(self, tx: AsyncManagedTransaction) -> None:
        self._tx = tx

    async def run(self, name: str, params: Mapping[str, Any] | None = None) -> list[neo4j.Record]:
        _count_round_trip()
        result = await self._tx.run(query(name), dict(params or {}))
        return [record async for record in result]

    async def run_one(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> neo4j.Record | None:
        records = await self.run(name, params)
        return records[0] if records else None


class Store:
    """Runs named Cypher with parameters; maps driver failures to domain errors."""

    def __init__(self, driver: AsyncDriver, database: str, query_timeout_s: float = 30.0) -> None:
        self.driver = driver
        self.database = database
        self.query_timeout_s = query_timeout_s
        # As the driver's managed transactions (max_transaction_retry_time below).
        self.retry_time_s = min(query_timeout_s, 15.0)

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
    ) -> Store:
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            max_connection_pool_size=pool_size,
            connection_timeout=connection_timeout_s,
            connection_acquisition_timeout=connection_timeout_s * 2,
            # Retried managed transactions must not outlive a request by much.
            max_transaction_retry_time=min(query_timeout_s, 15.0),
            notifications_min_severity="OFF",
        )
        return cls(driver, database, query_timeout_s)

    async def close(self) -> None:
        await self.driver.close()

    async def ping(self, timeout_s: float = 3.0) -> None:
        """Raises Unavailable unless the database answers a trivial query in time."""
        try:
            async with asyncio.timeout(timeout_s):
                await self.driver.execute_query(
                    "RETURN 1", database_=self.database, routing_=RoutingControl.READ
                )
        except (TimeoutError, DriverError, Neo4jError, OSError) as exc:
            raise Unavailable(f"Neo4j is not reachable: {exc.__class__.__name__}: {exc}") from exc

    async def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[neo4j.Record]:
        """Runs a read query as an auto-commit transaction, retried on transient errors.

        One network round trip (RUN and PULL together) instead of the managed transaction's
        two (BEGIN, RUN and PULL, then COMMIT): on loopback every round trip wakes Neo4j's
        Bolt thread and then this process again, and that cost bounds every request.
        """
        text = _resolve(name)
        _count_round_trip()
        query_ = neo4j.Query(text, timeout=self.query_timeout_s)
        parameters = dict(params or {})
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry_time_s
        delay = _FIRST_RETRY_DELAY_S
        while True:
            try:
                async with self.driver.session(
                    database=self.database,
                    default_access_mode=neo4j.READ_ACCESS,
                    # Reads see the writes this service made before (causal consistency).
                    bookmark_manager=self.driver.execute_query_bookmark_manager,
                ) as session:
                    result = await session.run(query_, parameters)
                    return [record async for record in result]
            except (Neo4jError, DriverError) as exc:
                # A read is safe to run again; retry what the driver says is transient.
                if not exc.is_retryable() or loop.time() + delay > deadline:
                    if isinstance(exc, ServiceUnavailable | SessionExpired | AuthError):
                        raise _unavailable(exc) from exc
                    raise
            await asyncio.sleep(delay)
            delay *= 2

    async def write(self, name: str, params: Mapping[str, Any] | None = None) -> list[neo4j.Record]:
        return await self._run(name, params, RoutingControl.WRITE)

    async def write_counters(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Runs a write and returns its update counters (nodes_created, ...)."""
        text = _resolve(name)
        _count_round_trip()
        try:
            result = await self.driver.execute_query(
                neo4j.Query(text, timeout=self.query_timeout_s),
                dict(params or {}),
                database_=self.database,
                routing_=RoutingControl.WRITE,
            )
        except ConstraintError as exc:
            raise Conflict(f"conflicts with existing data: {exc.message}") from exc
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _unavailable(exc) from exc
        c = result.summary.counters
        return {
            "nodes_created": c.nodes_created,
            "relationships_created": c.relationships_created,
            "properties_set": c.properties_set,
            "nodes_deleted": c.nodes_deleted,
            "relationships_deleted": c.relationships_deleted,
        }

    async def read_one(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> neo4j.Record | None:
        records = await self.read(name, params)
        return records[0] if records else None

    async def _run(
        self, name: str, params: Mapping[str, Any] | None, routing: RoutingControl
    ) -> list[neo4j.Record]:
        text = _resolve(name)
        _count_round_trip()
        try:
            result = await self.driver.execute_query(
                neo4j.Query(text, timeout=self.query_timeout_s),
                dict(params or {}),
                database_=self.database,
                routing_=routing,
            )
        except ConstraintError as exc:
            raise Conflict(f"conflicts with existing data: {exc.message}") from exc
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _unavailable(exc) from exc
        return list(result.records)

    async def transaction(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs `work` in one write transaction (retried on transient errors, atomic)."""
        _count_round_trip()
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
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _unavailable(exc) from exc

    async def write_transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Runs `work` in one write transaction that runs named queries: all of it or nothing.

        The driver retries the whole of `work` on transient errors (deadlocks, leader
        changes), so `work` must keep its state inside itself."""

        @neo4j.unit_of_work(timeout=self.query_timeout_s)
        async def managed(tx: AsyncManagedTransaction) -> T:
            return await work(Transaction(tx))

        return await self.transaction(managed)

    async def write_in_batches(
        self, name: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, int]:
        """Runs a named query that commits in batches itself (CALL ... IN TRANSACTIONS needs
        an auto-commit transaction); answers its update counters."""
        _count_round_trip()
        try:
            async with self.driver.session(database=self.database) as session:
                result = await session.run(query(name), dict(params or {}))
                summary = await result.consume()
        except (ServiceUnavailable, SessionExpired, AuthError) as exc:
            raise _unavailable(exc) from exc
        c = summary.counters
        return {"nodes_deleted": c.nodes_deleted, "relationships_deleted": c.relationships_deleted}

    async def migrate(self) -> int:
        """Applies cypher/schema.cypher (idempotent); returns the number of statements run."""
        stmts = statements("schema")
        for stmt in stmts:
            await self.driver.execute_query(stmt, database_=self.database)
        # People imported before job titles were searchable get theirs (IN TRANSACTIONS
        # needs an auto-commit transaction, hence session.run).
        async with self.driver.session(database=self.database) as session:
            result = await session.run(query("search.backfill_titles"))
            await result.consume()
        await self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        return len(stmts)

    async def clear(self) -> None:
        """Deletes every node and relationship (tests, `seed --reset`, `import --reset`).

        Relationships first, then nodes, each in transactions of 10,000: a DETACH DELETE of
        10,000 nodes also deletes all their relationships in the same transaction, and hubs
        (a product held by a hundred thousand parties) made one transaction big enough to
        exhaust the database's transaction memory on a 1M-party store."""
        # CALL ... IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
        async with self.driver.session(database=self.database) as session:
            for statement in _CLEAR_STATEMENTS:
                result = await session.run(statement)
                await result.consume()
