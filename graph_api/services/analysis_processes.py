"""Key-decider analyses in processes of their own, so that one heavy request never stalls
the light ones (issue 16 item 5).

Reading a 2,000-person account (the driver decodes one large row), mapping it and scoring it
takes tens of milliseconds of Python: in the serving process, a thread or not, it holds the
interpreter's lock (the GIL), and every other request of that process waits. Here the whole
analysis runs in a separate process with its own event loop and its own driver: the serving
process sends the question (the scope, what the viewer sees, the job) and gets back plain
values (the ten deciders put into words, an assessment), a few kilobytes.

- Each analysis process is a `ProcessPoolExecutor` of one worker (spawned, shut down with
  the app; `graph-api serve` starts them with the app, `start`, elsewhere they start on
  first use), so that a question can be sent to the process that already
  holds its analysis: keyDeciders and decisionAssessment of one scope in one request (the
  request's memo holds which process and which analysis), and a repeated question (the
  process's `AnalysisCache`, services/analysis_cache.py: every process keeps its own,
  with the same graph-version check, so a kept analysis is never stale). A new question goes
  to the least busy process.
- The request's budget (GRAPH_API_REQUEST_TIMEOUT_S) goes along: the process's queries get
  what is left of it. So do the serving process's bookmarks: its reads see the writes this
  service made before, as in the serving process. The round trips and query names come
  back into the request's counters (`extensions.roundTrips`, the slow log).
- A process that dies is replaced and the question asked again once.
- A process notices when its parent is gone (killed) and exits.

Not carried over: the analysis processes' query metrics and trace spans stay in them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from graph_api.domain.access import Access
from graph_api.domain.errors import DomainError
from graph_api.services import deciders as d
from graph_api.services.analysis_cache import AnalysisCache
from graph_api.store.neo4j_store import (
    Store,
    count_round_trips,
    current_request_work,
    start_counting_round_trips,
    start_request_work,
)
from graph_api.store.scoped import ScopedStore

# Analyses an analysis process keeps by request (the memo's token), for the other fields of
# the same request: a request's fields ask within milliseconds of each other. Few: a
# 2,000-person analysis is megabytes (the cache, GRAPH_API_DECIDERS_CACHE_SIZE, is apart).
_RECENT = 8
# Questions whose process the serving process remembers (the process keeping the analysis).
_STICKY = 1024
# How often an analysis process checks that its parent is alive.
_PARENT_CHECK_S = 1.0


@dataclass(frozen=True, slots=True)
class Connection:
    """What an analysis process connects with (the serving process's store settings)."""

    uri: str
    user: str
    password: str
    database: str
    pool_size: int
    connection_timeout_s: float
    query_timeout_s: float
    wait_s: float
    cache_size: int
    gc_threshold: int
    # Added to the processes' nice value: on a busy machine the serving process's light
    # requests get the cores first (0: the same priority).
    nice: int = 0


@dataclass(frozen=True, slots=True)
class _Call:
    scope: d.DecisionScope
    access: Access
    token: int
    job: d.Job
    # The request's budget (GRAPH_API_REQUEST_TIMEOUT_S) and what is left of it, if any.
    budget_s: float | None
    left_s: float | None
    bookmarks: list[str]


@dataclass(frozen=True, slots=True)
class _Answer:
    head: d.Head | None
    result: Any
    round_trips: int
    queries: list[str]
    error: DomainError | None = None


def default_processes(workers: int | None) -> int:
    """One analysis process per core left to each serving process (at least one)."""
    cores = os.cpu_count() or 1
    return max(1, cores // max(1, workers or cores))


class AnalysisProcesses:
    """`processes` analysis processes of one serving process (an `AnalysisRunner`).
    `connection` is asked on first use (the store's URI is known once the app started)."""

    def __init__(self, processes: int, connection: Callable[[], Connection]) -> None:
        if processes < 1:
            raise ValueError("at least one analysis process")
        self._connection = connection
        self._executors: list[ProcessPoolExecutor | None] = [None] * processes
        self._busy = [0] * processes
        self._sticky: OrderedDict[Hashable, int] = OrderedDict()
        self._tokens = itertools.count()
        self._closed = False

    @property
    def processes(self) -> int:
        return len(self._executors)

    def _executor(self, i: int) -> ProcessPoolExecutor:
        executor = self._executors[i]
        if executor is None:
            if self._closed:
                raise RuntimeError("the analysis processes are shut down")
            executor = self._executors[i] = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._connection(), os.getpid()),
            )
        return executor

    def start(self) -> list[Future[int]]:
        """Starts every process now rather than on its first question, each connecting to
        the database (one trivial query): otherwise the first keyDeciders a process gets
        pays for its start (a Python interpreter importing numpy and networkx, a driver
        connecting), about half a second, and with one listening socket per worker
        (`serve --workers`) that falls on whichever request first reaches each worker. Does
        not wait: each future gives the process's pid once it is ready (or the error)."""
        return [self._executor(i).submit(_ready) for i in range(len(self._executors))]

    def _pick(self, question: Hashable) -> int:
        known = self._sticky.get(question)
        if known is not None:
            return known
        return min(range(len(self._busy)), key=lambda i: (self._busy[i], i))

    async def run(
        self,
        reader: ScopedStore,
        scope: d.DecisionScope,
        memo: dict[Any, Any] | None,
        job: d.Job,
    ) -> tuple[d.Head, Any]:
        """`job` on the scope's analysis, in the process that holds it (or will)."""
        key = ("deciders.scope", scope)
        held: asyncio.Future[tuple[int, int]] | None = memo.get(key) if memo is not None else None
        if held is not None:
            process, token = await held
            return await self._call(process, token, reader, scope, job)
        placed: asyncio.Future[tuple[int, int]] | None = None
        if memo is not None:
            placed = memo[key] = asyncio.get_running_loop().create_future()
        process = self._pick((scope, reader.access))
        token = next(self._tokens)
        try:
            answer = await self._call(process, token, reader, scope, job)
        except BaseException as exc:
            if placed is not None:
                if isinstance(exc, asyncio.CancelledError):
                    placed.cancel()
                else:
                    placed.set_exception(exc)
                    placed.exception()  # retrieved: a lone field must not log it as lost
            raise
        if placed is not None:
            placed.set_result((process, token))
        return answer

    async def _call(
        self, process: int, token: int, reader: ScopedStore, scope: d.DecisionScope, job: d.Job
    ) -> tuple[d.Head, Any]:
        work = current_request_work()
        budget, left = None, None
        if work is not None and work.deadline is not None:
            budget, left = work.budget_s, work.deadline - time.monotonic()
        call = _Call(scope, reader.access, token, job, budget, left, await reader.bookmarks())
        loop = asyncio.get_running_loop()
        self._busy[process] += 1
        try:
            for attempt in (1, 2):
                executor = self._executor(process)
                try:
                    answer: _Answer = await loop.run_in_executor(executor, _answer, call)
                    break
                except BrokenProcessPool:
                    # The process died (killed, out of memory): a new one, and once more.
                    if self._executors[process] is executor:
                        self._executors[process] = None
                        executor.shutdown(wait=False, cancel_futures=True)
                    if attempt == 2:
                        raise
        finally:
            self._busy[process] -= 1
        count_round_trips(answer.round_trips, answer.queries)
        if answer.error is not None:
            raise answer.error
        question = (scope, reader.access)
        self._sticky[question] = process
        self._sticky.move_to_end(question)
        while len(self._sticky) > _STICKY:
            self._sticky.popitem(last=False)
        assert answer.head is not None
        return answer.head, answer.result

    def close(self) -> None:
        """Stops the processes (the app's shutdown, after the server stopped taking requests);
        questions asked after it fail. Waits for them to exit: an executor left to its thread
        while the interpreter ends leaks its queue's semaphores (multiprocessing's resource
        tracker then warns at exit)."""
        self._closed = True
        running = [e for e in self._executors if e is not None]
        self._executors = [None] * len(self._executors)
        for executor in running:
            executor.shutdown(wait=True, cancel_futures=True)


# ----- in the analysis process --------------------------------------------------------------


class _Process:
    def __init__(self, connection: Connection) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        self.store = Store.connect(
            connection.uri,
            connection.user,
            connection.password,
            connection.database,
            pool_size=connection.pool_size,
            connection_timeout_s=connection.connection_timeout_s,
            query_timeout_s=connection.query_timeout_s,
            wait_s=connection.wait_s,
        )
        self.analyses = AnalysisCache(connection.cache_size) if connection.cache_size else None
        self.recent: OrderedDict[int, Any] = OrderedDict()

    async def answer(self, call: _Call) -> _Answer:
        work = start_request_work(call.budget_s)
        if call.left_s is not None:
            work.deadline = time.monotonic() + call.left_s
        counter = start_counting_round_trips()
        try:
            analysed = self.recent.get(call.token)
            if analysed is None:
                await self.store.wait_for(call.bookmarks)
                reader = ScopedStore(self.store, call.access)
                analysed = await d._analysed(reader, call.scope, None, self.analyses, offload=False)
                self.recent[call.token] = analysed
                while len(self.recent) > _RECENT:
                    self.recent.popitem(last=False)
            result = d.run_job(analysed, call.job)
            return _Answer(d.head_of(analysed), result, counter.count, work.queries)
        except DomainError as exc:
            return _Answer(None, None, counter.count, work.queries, exc)


_process: _Process | None = None


def _start(connection: Connection, parent: int) -> None:
    global _process
    if connection.nice > 0:
        os.nice(connection.nice)
    _process = _Process(connection)
    if connection.gc_threshold > 0:  # as the serving process (api/app.tune_garbage_collector)
        gc.collect()
        gc.freeze()
        _, middle, oldest = gc.get_threshold()
        gc.set_threshold(connection.gc_threshold, middle, oldest)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """Exits when the parent is gone (killed before it could shut the processes down)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_S)
    os._exit(0)


def _ready() -> int:
    """The process is up and its store answers (`AnalysisProcesses.start`): its pid."""
    assert _process is not None, "not an analysis process"
    with contextlib.suppress(RuntimeError):
        asyncio.set_event_loop(_process.loop)
    _process.loop.run_until_complete(_process.store.ping())
    return os.getpid()


def _answer(call: _Call) -> _Answer:
    assert _process is not None, "not an analysis process"
    with contextlib.suppress(RuntimeError):
        asyncio.set_event_loop(_process.loop)
    return _process.loop.run_until_complete(_process.answer(call))
