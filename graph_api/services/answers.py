"""A process's cache of analytics answers, keyed by the graph's version so none is ever stale.

An answer (a keyDeciders ranking, a decisionAssessment) is kept under its question (the
scope, what the viewer sees, the options) and the graph's version at the time it was asked
(`Store.graph_version`, cypher/graph_version.cypher): every write of the party graph moves
the version, in the write's own transaction, so the next question finds no answer made
before the write. The version is read before the answer is computed, so an answer is never
older than the version it is kept under. The cost of a repeated question is one small query.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Versioned(Protocol):
    async def graph_version(self) -> str | None: ...


class AnswerCache:
    """At most `size` answers, the least recently asked dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, asyncio.Future[Any]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def answer(
        self, store: Versioned, question: Hashable, compute: Callable[[], Awaitable[T]]
    ) -> T:
        """The answer kept for `question` at the graph's current version, else `compute()`'s
        (kept). Questions asked together while it computes wait for the same answer."""
        version = await store.graph_version()
        if version is None:  # nothing written yet: no version to keep an answer under
            return await compute()
        key = (question, version)
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
            self.hits += 1
            answer: T = await asyncio.shield(found)
            return answer
        self.misses += 1
        future: asyncio.Future[T] = asyncio.ensure_future(compute())
        self._answers[key] = future
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        try:
            return await asyncio.shield(future)
        except BaseException:
            # A failure (or a cancelled request) is not an answer: the next asker computes.
            if self._answers.get(key) is future:
                del self._answers[key]
            raise
