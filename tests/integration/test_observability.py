"""Operability: metrics, request ids, JSON and slow-request logs, tracing spans, the cost of
analytic fields and the per-request time budget, against the real Neo4j over real HTTP."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from graphql import parse
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from graph_api import tracing
from graph_api.api.limits import measure
from graph_api.api.schema import build_schema
from graph_api.config import Settings
from graph_api.domain.errors import Timeout
from graph_api.logs import JsonLines
from graph_api.metrics import REGISTRY
from graph_api.store.neo4j_store import Store, start_request_work
from tests.conftest import (
    Database,
    GraphQLClient,
    LiveServer,
    data_of,
    error_codes,
    settings_for,
)
from tests.principals import KEYS, production_settings

PARTY = 'query ObservedParty { party(id: "p-zhang-li") { name } }'
UNKNOWN = 'query ObservedUnknown { party(id: "p-nobody") { name } }'


async def post(
    url: str, query: str, headers: dict[str, str] | None = None
) -> tuple[httpx.Response, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=120) as client:
        response = await client.post(f"{url}/graphql", json={"query": query}, headers=headers)
    return response, response.json()


async def scrape(url: str, headers: dict[str, str] | None = None) -> dict[tuple[str, Any], float]:
    """The samples of /metrics by (name, sorted labels)."""
    async with httpx.AsyncClient(timeout=120) as client:
        response = await client.get(f"{url}/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def sample(samples: dict[tuple[str, Any], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# ----- metrics -----


async def test_metrics_count_operations_fields_and_queries(
    db: Database, server: LiveServer
) -> None:
    await db.demo()
    before = await scrape(server.url)
    for _ in range(2):
        data_of((await post(server.url, PARTY))[1])
    assert error_codes((await post(server.url, UNKNOWN))[1]) == ["NOT_FOUND"]
    after = await scrape(server.url)

    def moved(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    requests = "graph_api_requests_total"
    assert moved(requests, operation="ObservedParty", outcome="OK") == 2
    assert moved(requests, operation="ObservedUnknown", outcome="NOT_FOUND") == 1
    assert moved(requests, operation="ObservedParty", outcome="NOT_FOUND") == 0
    # Three operations, all with the one top-level field `party`.
    assert moved("graph_api_field_seconds_count", field="party") == 3
    assert moved("graph_api_http_responses_total", path="/graphql", status="200") == 3
    # Each party view is one named query (plus the viewer's scope for nobody: an admin); the
    # unknown id costs one more, on the miss only: is it archived, or a merged party's alias?
    queries = {
        dict(labels)["query"]: after[(name, labels)] - before.get((name, labels), 0.0)
        for (name, labels) in after
        if name == "graph_api_db_query_seconds_count"
    }
    moved_queries = {q: n for q, n in queries.items() if n}
    assert moved_queries == {"view.parties": 3, "lifecycle.resolve": 1}, moved_queries
    assert all(not q.startswith("_") for q in moved_queries), moved_queries
    # The driver's pool is exported in both states. Its values are those of the last driver
    # the process opened, which in a whole test run may be another test's store, so they are
    # not compared here.
    for state in ("idle", "in_use"):
        assert ("graph_api_db_pool_connections", (("state", state),)) in after, state


async def test_import_rows_are_counted(db: Database, tmp_path: Any) -> None:
    rows = REGISTRY.get_sample_value("graph_api_import_rows_total", {"section": "people"}) or 0
    await db.load(
        {"people": [{"id": "p-one", "name": "一"}, {"id": "p-two", "name": "二"}]}, tmp_path
    )
    after = REGISTRY.get_sample_value("graph_api_import_rows_total", {"section": "people"})
    assert after == rows + 2


# ----- request ids -----


async def test_request_id_is_echoed_in_header_and_errors(db: Database, server: LiveServer) -> None:
    await db.demo()
    response, body = await post(server.url, UNKNOWN, {"X-Request-Id": "req-42.a"})
    assert response.headers["x-request-id"] == "req-42.a"
    assert [e["extensions"]["requestId"] for e in body["errors"]] == ["req-42.a"]
    # None given: one is made, and the errors carry the same.
    response, body = await post(server.url, "{ party(id: 1) { nope } }")
    made = response.headers["x-request-id"]
    assert len(made) == 16 and int(made, 16) >= 0
    assert {e["extensions"]["requestId"] for e in body["errors"]} == {made}
    assert error_codes(body)[0] == "GRAPHQL_VALIDATION_FAILED"
    # A client id that could forge log lines or headers is replaced, not echoed.
    response, _ = await post(server.url, PARTY, {"X-Request-Id": 'a"b c'})
    assert response.headers["x-request-id"] != 'a"b c'
    # Requests that are no GraphQL request have it too.
    async with httpx.AsyncClient(timeout=120) as client:
        bad = await client.post(
            f"{server.url}/graphql",
            content=b"not json",
            headers={"content-type": "application/json", "X-Request-Id": "bad-1"},
        )
    assert bad.headers["x-request-id"] == "bad-1"
    assert bad.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST", "requestId": "bad-1"}


# ----- logs -----


@pytest.fixture
def slow_server(neo4j_uri: str) -> Iterator[LiveServer]:
    """Every operation is 'slow': a threshold of 0 ms."""
    live = LiveServer(settings_for(neo4j_uri, slow_request_ms=0)).start()
    yield live
    live.stop()


async def test_slow_request_line_names_operation_and_queries(
    db: Database, slow_server: LiveServer
) -> None:
    await db.demo()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    requests_log = logging.getLogger("graph_api.requests")
    requests_log.addHandler(handler)
    try:
        data_of((await post(slow_server.url, PARTY, {"X-Request-Id": "slow-1"}))[1])
    finally:
        requests_log.removeHandler(handler)
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    mine = [line for line in lines if line.get("requestId") == "slow-1"]
    assert len(mine) == 1, lines
    line = mine[0]
    assert (line["level"], line["logger"]) == ("WARNING", "graph_api.requests")
    assert line["operation"] == "ObservedParty"
    assert line["message"].startswith("slow request: operation ObservedParty (party) took")
    assert line["fields"] == ["party"] and line["outcome"] == "OK"
    assert len(line["queries"]) == 1 and line["queries"][0] in line["message"]
    assert isinstance(line["durationMs"], float)
    assert "time" in line


def test_json_lines_carry_exceptions_and_extra_fields() -> None:
    record = logging.LogRecord("graph_api.x", logging.ERROR, __file__, 1, "boom %s", ("x",), None)
    try:
        raise ValueError("inner")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.fields = {"query": "party.view"}
    line = orjson.loads(JsonLines().format(record))
    assert (line["level"], line["logger"], line["message"]) == ("ERROR", "graph_api.x", "boom x")
    assert line["query"] == "party.view"
    assert "ValueError: inner" in line["exception"]
    assert "requestId" not in line  # no request in flight


# ----- /metrics in production -----


async def test_metrics_need_credentials_in_production(neo4j_uri: str) -> None:
    live = LiveServer(production_settings(neo4j_uri)).start()
    try:
        async with httpx.AsyncClient(timeout=120) as client:
            refused = await client.get(f"{live.url}/metrics")
            assert refused.status_code == 401
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            wrong = await client.get(f"{live.url}/metrics", headers={"X-API-Key": "nope"})
            assert wrong.status_code == 401
        samples = await scrape(live.url, {"X-API-Key": KEYS["rep-a1"]})
        assert any(name == "graph_api_requests_total" for name, _ in samples)
    finally:
        live.stop()


# ----- tracing -----


NEIGHBOURHOOD = {"ids": ["x"], "radius": 1, "cap": 5, "visible": None}


async def test_each_named_query_is_a_span_when_tracing(store: Store) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use_tracer(provider.get_tracer("test"))
    try:
        await store.read(
            "paths.neighbourhood", {"ids": ["x"], "radius": 1, "cap": 5, "visible": None}
        )
    finally:
        tracing.use_tracer(None)
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["paths.neighbourhood"]
    assert spans[0].attributes is not None
    assert spans[0].attributes["db.system"] == "neo4j"
    # Off again: nothing more is recorded.
    await store.read("paths.neighbourhood", NEIGHBOURHOOD)
    assert len(exporter.get_finished_spans()) == 1


# ----- cost of analytic fields -----


def aliased_warm_introductions(max_hops: int, count: int = 30) -> str:
    fields = " ".join(
        f'w{i}: warmIntroductions(targetId: "p-zhang-li", maxHops: {max_hops}) {{ hops }}'
        for i in range(count)
    )
    return "{ " + fields + " }"


async def test_analytic_fields_cost_their_work(db: Database, gql: GraphQLClient) -> None:
    await db.demo()
    # One warmIntroductions(maxHops: 6) { hops }: the answer, 1 + limit 5 x { hops } 1 = 6;
    # the work, a neighbourhood of min(4^6, GRAPH_API_MAX_PATH_NODES 5000) = 4096 nodes and
    # 20 x limit 5 x 6 hops = 600 of path search: 4702. Thirty aliases: 141,060 > 100,000.
    body = await gql(aliased_warm_introductions(6))
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    error = body["errors"][0]
    ext = error["extensions"]
    assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_COST", 100000, 141060)
    assert "141060" in error["message"] and "GRAPH_API_MAX_COST = 100000" in error["message"]
    assert "maxHops" in error["message"]
    assert body["data"] is None
    # One at maxHops 6 is served.
    data_of(await gql(aliased_warm_introductions(6, count=1)))


def test_cost_of_smaller_path_searches() -> None:
    settings = Settings(max_cost=100000)
    schema = build_schema(settings)._schema
    # maxHops 4: 6 + 4^4 + 20 x 5 x 4 = 662 each, 19,860 for thirty: under the limit.
    assert measure(schema, parse(aliased_warm_introductions(4)), settings, {}) == (2, 19860)
    # A node cap below the neighbourhood bounds it: 6 + 100 + 600 = 706.
    capped = Settings(max_path_nodes=100)
    one = aliased_warm_introductions(6, count=1)
    assert measure(schema, parse(one), capped, {}) == (2, 706)


async def test_cost_follows_analytic_arguments(db: Database, neo4j_uri: str) -> None:
    await db.demo()
    # A limit low enough to tell the arguments apart. keyDeciders { id }: 1 + 10 x 1 = 11
    # answer; work 300 people (x 5 with subsidiaries) + limit 10: 321 or 1521.
    live = LiveServer(settings_for(neo4j_uri, max_cost=1000)).start()
    try:
        ask = GraphQLClient(live.url)
        deciders = '{ keyDeciders(accountId: "org-cimc", includeSubsidiaries: %s) { score } }'
        data_of(await ask(deciders % "false"))
        body = await ask(deciders % "true")
        assert body["errors"][0]["extensions"]["value"] == 1521
        # orgChart { depth }: 2 answer; 3^depth people: depth 6 is 731, depth 7 is 2189.
        chart = (
            '{ orgChart(organizationId: "org-cimc", depth: %d, includeSubsidiaries: false) '
            "{ depth } }"
        )
        data_of(await ask(chart % 6))
        body = await ask(chart % 7)
        assert body["errors"][0]["extensions"]["value"] == 2189
        # Variables count as given. relationshipPath(limit: 20) { hops }: answer 1 + 20 x 1;
        # two neighbourhoods of 4^ceil(h/2) nodes, 20 x limit 20 x h of search:
        # h = 2: 21 + 2 x 4 + 800 = 829, served; h = 6: 21 + 2 x 64 + 2400 = 2549, refused.
        path = (
            'query ($h: Int!) { relationshipPath(fromId: "p-zhang-li", toId: "org-cimc", '
            "maxHops: $h, limit: 20) { hops } }"
        )
        async with httpx.AsyncClient(timeout=120) as client:
            url = f"{live.url}/graphql"
            served = await client.post(url, json={"query": path, "variables": {"h": 2}})
            refused = await client.post(url, json={"query": path, "variables": {"h": 6}})
        assert not served.json().get("errors"), served.text
        assert refused.json()["errors"][0]["extensions"]["value"] == 2549
    finally:
        live.stop()


# ----- time budget -----


HEAVY = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"


async def test_time_budget_cancels_the_database_work(store: Store) -> None:
    async def within_budget() -> None:
        start_request_work(0.3)
        await store.read(HEAVY)

    with pytest.raises(Timeout) as raised:
        # Its own task: the budget stays in that task's context.
        await asyncio.create_task(within_budget())
    error = raised.value
    assert error.code == "TIMEOUT"
    assert error.extensions()["limit"] == "GRAPH_API_REQUEST_TIMEOUT_S"
    assert error.extensions()["maximum"] == 0.3
    assert "0.3 s" in error.message and "GRAPH_API_REQUEST_TIMEOUT_S" in error.message
    # Neo4j terminated it: the query is no longer running.
    running = await store.read("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")
    assert not [r for r in running if "2000000000" in (r["currentQuery"] or "")]
    # Outside a request the store's own timeout applies: the same store still serves.
    assert (await store.read("RETURN 1 AS one"))[0]["one"] == 1


async def test_spent_budget_answers_timeout(db: Database, neo4j_uri: str) -> None:
    await db.demo()
    # Less than Neo4j's 1 ms resolution: spent before the first query is sent.
    live = LiveServer(settings_for(neo4j_uri, request_timeout_s=0.0005)).start()
    try:
        response, body = await post(live.url, PARTY, {"X-Request-Id": "late-1"})
        assert response.status_code == 200
        assert error_codes(body) == ["TIMEOUT"]
        ext = body["errors"][0]["extensions"]
        assert ext["limit"] == "GRAPH_API_REQUEST_TIMEOUT_S" and ext["maximum"] == 0.0005
        assert ext["requestId"] == "late-1"
        assert "time budget of 0.0005 s" in body["errors"][0]["message"]
        samples = await scrape(live.url)
        assert (
            sample(
                samples, "graph_api_requests_total", operation="ObservedParty", outcome="TIMEOUT"
            )
            >= 1
        )
    finally:
        live.stop()
