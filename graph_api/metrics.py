"""The service's Prometheus metrics, in one registry served on /metrics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)

# Seconds, from a cached 360° view (about a millisecond) to the request time budget.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "graph_api_requests",
    "GraphQL operations by operation name and outcome (OK or the first error's code)",
    ("operation", "outcome"),
    registry=REGISTRY,
)
FIELD_SECONDS = Histogram(
    "graph_api_field_seconds",
    "Duration of operations by top-level field (each field of an operation is observed "
    "with the operation's duration: top-level fields run concurrently)",
    ("field",),
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_RESPONSES = Counter(
    "graph_api_http_responses",
    "HTTP responses by path and status (also those refused before any GraphQL ran: "
    "401, 413, a body that is no GraphQL request)",
    ("path", "status"),
    registry=REGISTRY,
)
DB_QUERY_SECONDS = Histogram(
    "graph_api_db_query_seconds",
    "Database round trips by named query (_count) and their duration",
    ("query",),
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
DB_TIMEOUTS = Counter(
    "graph_api_db_timeouts",
    "Queries cancelled because the request's time budget ran out",
    ("query",),
    registry=REGISTRY,
)
WEBHOOK_ATTEMPTS = Counter(
    "graph_api_webhook_attempts",
    "Webhook delivery tries made by this process, by outcome (DELIVERED, PENDING: failed and "
    "to be tried again, REPLAY: a replayed dead letter failed again, DEAD: dead-lettered)",
    ("outcome",),
    registry=REGISTRY,
)
WEBHOOK_SECONDS = Histogram(
    "graph_api_webhook_seconds",
    "Duration of webhook delivery tries (the receiver's answer or the timeout)",
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
IMPORT_ROWS = Counter(
    "graph_api_import_rows",
    "Rows written by imports, by section",
    ("section",),
    registry=REGISTRY,
)
IMPORT_REJECTS = Counter(
    "graph_api_import_rejected_rows",
    "Rows an import refused (invalid, or referring to an invalid row)",
    registry=REGISTRY,
)


class Children:
    """A metric's labelled children, kept in a plain dict: prometheus-client's `labels()`
    validates and locks on every call, a few microseconds per request that this saves."""

    __slots__ = ("_children", "_metric")

    def __init__(self, metric: Any) -> None:
        self._metric = metric
        self._children: dict[tuple[str, ...], Any] = {}

    def __call__(self, *labels: str) -> Any:
        child = self._children.get(labels)
        if child is None:
            child = self._children[labels] = self._metric.labels(*labels)
        return child


requests = Children(REQUESTS)
field_seconds = Children(FIELD_SECONDS)
http_responses = Children(HTTP_RESPONSES)
db_query_seconds = Children(DB_QUERY_SECONDS)


# Operation names come from clients: a bounded set of well-formed names is kept as labels,
# the rest are counted together, so that no client can grow the registry without limit.
MAX_OPERATION_NAMES = 200
OTHER_OPERATION = "_other"
ANONYMOUS_OPERATION = "_anonymous"
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_known_operations: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return ANONYMOUS_OPERATION
    if name in _known_operations:
        return name
    if len(_known_operations) >= MAX_OPERATION_NAMES or not _OPERATION_NAME.match(name):
        return OTHER_OPERATION
    _known_operations.add(name)
    return name


class _Sources:
    """What the scrape-time collector reads: set by whoever owns the object."""

    driver: Any = None
    local_neo4j: Any = None


SOURCES = _Sources()


def watch_driver(driver: Any) -> None:
    SOURCES.driver = driver


def watch_local_neo4j(local: Any) -> None:
    SOURCES.local_neo4j = local


class _ScrapeTime(Collector):
    """Gauges read when scraped: the driver's connection pool and the local Neo4j's restarts.

    The pool is read from the driver's internals (`_pool.connections`, neo4j 5 and 6: no
    public API exposes it); if they change, the gauges are left out rather than wrong."""

    def collect(self) -> Iterator[Metric]:
        pool = _pool_counts(SOURCES.driver)
        if pool is not None:
            family = GaugeMetricFamily(
                "graph_api_db_pool_connections",
                "Connections of the Neo4j driver's pool by state",
                labels=("state",),
            )
            family.add_metric(("in_use",), pool[0])
            family.add_metric(("idle",), pool[1])
            yield family
        local = SOURCES.local_neo4j
        if local is not None:
            # `restarts` is kept by the local Neo4j's supervisor, when it has one.
            restarts = getattr(local, "restarts", 0)
            yield GaugeMetricFamily(
                "graph_api_local_neo4j_restarts",
                "Times the service restarted the local Neo4j it supervises",
                value=restarts if isinstance(restarts, int | float) else 0,
            )


def _pool_counts(driver: Any) -> tuple[int, int] | None:
    connections = getattr(getattr(driver, "_pool", None), "connections", None)
    if not isinstance(connections, dict):
        return None
    try:
        in_use = idle = 0
        for queue in list(connections.values()):
            for connection in list(queue):
                if getattr(connection, "in_use", False):
                    in_use += 1
                else:
                    idle += 1
    except (TypeError, RuntimeError):
        return None
    return in_use, idle


REGISTRY.register(_ScrapeTime())
