"""A process's cache of analyses (a scope's decision graph and ranking), never stale.

An analysis is kept under its question (the scope and what the viewer sees) with the graph's
version it was computed at (`cypher/graph_version.cypher`): every write of the party graph
moves the version, in the write's own transaction. The scope query is given the version of
the analysis kept for its question and reads the graph's version first: when they are equal
it answers only that (the kept analysis is current), otherwise it reads the subgraph, which
is then at least as new as the version it is kept under. A repeated question thus costs one
small query, and a new one the same single query as without the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class AnalysisCache:
    """At most `size` analyses, the least recently asked dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def known_version(self, question: Hashable) -> str | None:
        """The graph's version of the analysis kept for `question`, if any."""
        found = self._kept.get(question)
        return found[0] if found else None

    def kept(self, question: Hashable, version: str) -> Any:
        """The analysis kept for `question` at `version` (the caller checked it is there)."""
        found_version, analysis = self._kept[question]
        if found_version != version:
            raise KeyError(question)
        self._kept.move_to_end(question)
        self.hits += 1
        return analysis

    def keep(self, question: Hashable, version: str | None, analysis: Any) -> None:
        """Keeps `analysis`, computed from a subgraph read at `version` or later (None: the
        graph has no version yet, nothing is kept)."""
        self.misses += 1
        if version is None:
            return
        self._kept[question] = (version, analysis)
        self._kept.move_to_end(question)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
