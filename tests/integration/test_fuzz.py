"""Schema-driven fuzzing: queries generated from the GraphQL schema, hostile argument values.

Every root field of the schema, queries and mutations, is called with arguments drawn for
their GraphQL types (each field on its own, and queries two fields at a time):
known ids and nonsense, Cypher and Lucene metacharacters, injection attempts, unicode,
control characters, very long text, integers at and beyond every limit, bad enum names and
dates; with selections drawn from the return type (fragments on interfaces included). Sent
over HTTP to a production-mode service as an admin and as a rep, each answer must be a
GraphQL answer (HTTP 200 or 400, never 500), every error must carry a known
`extensions.code` (never a masked internal error), and the graph must be unchanged by the
queries. Random bytes, bare JSON values and deeply nested JSON as the request body get the
same checks. The mutations run last, on a demo graph of their own.

The budget is bounded (FUZZ_EXAMPLES per test, no deadline): a few seconds in `make test`.
Set FUZZ_EXAMPLES higher for a longer run.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.api.schema import build_schema
from graph_api.config import Settings
from tests.conftest import Database, LiveServer
from tests.principals import KEYS

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FUZZED = "demo, then fuzzed mutations"
KNOWN_CODES = {
    "BAD_REQUEST",
    "NOT_FOUND",
    "INVALID_INPUT",
    "CONFLICT",
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "SERVICE_UNAVAILABLE",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_COMPLEX",
}
SCHEMA: GraphQLSchema = build_schema(Settings(introspection=True))._schema

DEMO_IDS = [
    "org-cimc",
    "org-huasheng",
    "org-huasheng-sz",
    "p-zhang-cuishan",
    "p-zhang-li",
    "p-wang-zhiqiang",
    "p-li-na",
    "rep-liu-yang",
    "rep-qian-bo",
    "opp-cimc-overseas",
]
HOSTILE = [
    "",
    " ",
    "'",
    '"',
    "\\",
    "`",
    "' OR 1=1 //",
    "x'}) MATCH (n) DETACH DELETE n //",
    '"}) WITH 1 AS x CALL db.labels() YIELD label RETURN label //',
    "$id",
    "{id}",
    "*",
    "?",
    "~",
    "张*",
    "Zha~2",
    "AND OR NOT",
    '+(a OR b) -c "d e" f:g [h TO i] {j TO k} l^2 m~ /n/',
    "\\u0000",
    "\x00",
    "\t\r\n",
    "\u202e\u200b\ufeff",
    "🦄💥",
    "张立" * 100,
    "a" * 129,
    "x" * 5000,
    "null",
    "true",
    "-1",
    "1e309",
    "2026-02-30",
    "0000-00-00",
    "WyJzZWFyY2giLDEsImFiYyJd",  # a cursor of the right shape, with a wrong fingerprint
    "W10",
]
text = st.one_of(
    st.sampled_from(DEMO_IDS),
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.text(
        alphabet=st.sampled_from(list("()[]{}'\"\\/:*?~^!&|+-.,;$` \n张立ZhaLi0")), max_size=40
    ),
)
integers = st.one_of(
    st.sampled_from([0, 1, -1, 2, 3, 4, 6, 7, 10, 11, 100, 101, 1000, 2**31 - 1, -(2**31)]),
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.sampled_from([2**31, 2**63, -(2**63), 10**30]),  # beyond GraphQL's Int
)
floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, -0.0, 5e-324, 2.0**63, 2.0**64]),
)
dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-13-01", "yesterday", "", "2026-02-29", "99999-01-01"]),
    # The ends of the calendar: a day before or after them is no date (issue 13.5).
    st.sampled_from(["9999-12-31", "0001-01-01", "9999-12-31T23:59:59", "0001-01-01T00:00:00Z"]),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)


def values(t: GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for an input type: mostly of the type, sometimes of the wrong one."""
    nullable = not isinstance(t, GraphQLNonNull)
    inner = t.of_type if isinstance(t, GraphQLNonNull) else t
    if isinstance(inner, GraphQLList):
        strategy: st.SearchStrategy[Any] = st.lists(values(inner.of_type, depth + 1), max_size=4)
    elif isinstance(inner, GraphQLEnumType):
        strategy = st.one_of(st.sampled_from(sorted(inner.values)), st.sampled_from(["", "nope"]))
    elif isinstance(inner, GraphQLInputObjectType):
        fields = {name: values(f.type, depth + 1) for name, f in inner.fields.items()}
        strategy = st.fixed_dictionaries({}, optional=fields) if depth < 3 else st.just({})
    elif isinstance(inner, GraphQLScalarType):
        strategy = {
            "ID": text,
            "String": text,
            "Int": integers,
            "Float": floats,
            "Boolean": st.booleans(),
            "Date": dates,
            "DateTime": dates,
        }.get(inner.name, text)
    else:  # pragma: no cover - no other input types exist
        strategy = st.none()
    wrong = st.one_of(st.booleans(), integers, text)
    strategy = st.one_of(strategy, wrong) if depth == 0 else strategy
    return st.one_of(st.none(), strategy) if nullable else strategy


class Document:
    """A query being drawn: its variables with their types and values."""

    def __init__(self) -> None:
        self.definitions: list[str] = []
        self.variables: dict[str, Any] = {}

    def variable(self, arg: GraphQLArgument, value: Any) -> str:
        name = f"v{len(self.definitions)}"
        self.definitions.append(f"${name}: {arg.type}")
        self.variables[name] = value
        return f"${name}"


def _object_types(t: GraphQLNamedType) -> list[GraphQLObjectType]:
    if isinstance(t, GraphQLObjectType):
        return [t]
    if isinstance(t, (GraphQLInterfaceType, GraphQLUnionType)):
        return list(SCHEMA.get_possible_types(t))
    return []


@st.composite
def call(draw: st.DrawFn, doc: Document, name: str, field: GraphQLField, depth: int) -> str:
    """`name(args) { selection }` for one field, its arguments as variables."""
    args = []
    for arg_name, arg in sorted(field.args.items()):
        required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        if required or draw(st.booleans()):
            value = draw(values(arg.type))
            args.append(f"{arg_name}: {doc.variable(arg, value)}")
    head = f"{name}({', '.join(args)})" if args else name
    named = get_named_type(field.type)
    if not _object_types(named):
        return head
    return f"{head} {{ {draw(selection(doc, named, depth + 1))} }}"


def some(
    draw: st.DrawFn, fields: list[tuple[str, GraphQLField]], most: int
) -> list[tuple[str, GraphQLField]]:
    if not fields:
        return []
    return draw(st.lists(st.sampled_from(fields), max_size=most, unique_by=lambda item: item[0]))


@st.composite
def selection(draw: st.DrawFn, doc: Document, t: GraphQLNamedType, depth: int) -> str:
    parts = ["__typename"]
    for obj in _object_types(t):
        fields = sorted(obj.fields.items())
        leaves = [(n, f) for n, f in fields if not _object_types(get_named_type(f.type))]
        nested = [(n, f) for n, f in fields if _object_types(get_named_type(f.type))]

        chosen = some(draw, leaves, 4) + (some(draw, nested, 2) if depth < 4 else [])
        body = " ".join(draw(call(doc, n, f, depth)) for n, f in chosen)
        if body:
            parts.append(f"... on {obj.name} {{ {body} }}" if obj is not t else body)
    return " ".join(parts)


@st.composite
def operations(draw: st.DrawFn, operation: str = "query") -> tuple[str, dict[str, Any]]:
    """A query (or mutation) of one or two root fields of the schema, drawn at random."""
    root_type = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root_type is not None
    doc = Document()
    roots = sorted(root_type.fields.items())
    chosen = draw(
        st.lists(st.sampled_from(roots), min_size=1, max_size=2, unique_by=lambda r: r[0])
    )
    body = " ".join(draw(call(doc, name, field, 0)) for name, field in chosen)
    header = f"{operation} ({', '.join(doc.definitions)})" if doc.definitions else operation
    return f"{header} {{ {body} }}", doc.variables


def every_root_field(operation: str) -> list[tuple[str, GraphQLField]]:
    root_type = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root_type is not None
    return sorted(root_type.fields.items())


@st.composite
def one_field(draw: st.DrawFn, operation: str, name: str) -> tuple[str, dict[str, Any]]:
    """An operation of the one root field `name`, its arguments drawn for their types."""
    field = dict(every_root_field(operation))[name]
    doc = Document()
    body = draw(call(doc, name, field, 0))
    header = f"{operation} ({', '.join(doc.definitions)})" if doc.definitions else operation
    return f"{header} {{ {body} }}", doc.variables


@pytest_asyncio.fixture
async def demo(db: Database) -> Database:
    await db.demo()
    return db


def check_answer(response: httpx.Response) -> None:
    assert response.status_code in (200, 400), (response.status_code, response.text[:500])
    body = response.json()
    assert "data" in body or "errors" in body, body
    for error in body.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        assert code in KNOWN_CODES, error
        assert "Internal server error" not in error["message"], error


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operation=operations(), who=st.sampled_from(["admin", "demo-rep", "demo-manager"]))
def test_generated_queries_get_answers_not_faults(
    demo: Database, production: LiveServer, operation: tuple[str, dict[str, Any]], who: str
) -> None:
    query, variables = operation
    response = httpx.post(
        f"{production.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"X-API-Key": KEYS[who]},
        timeout=60,
    )
    check_answer(response)


@settings(
    max_examples=FUZZ_EXAMPLES // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.one_of(
        st.text(max_size=200),
        st.sampled_from(HOSTILE),
        st.builds(lambda a, b: "{ " + a + " }" + b, st.text(max_size=50), st.text(max_size=20)),
    ),
    variables=st.one_of(st.none(), st.dictionaries(st.text(max_size=5), text, max_size=3)),
)
def test_malformed_documents_get_answers_not_faults(
    demo: Database, production: LiveServer, raw: str, variables: dict[str, Any] | None
) -> None:
    response = httpx.post(
        f"{production.url}/graphql",
        json={"query": raw, "variables": variables},
        headers={"X-API-Key": KEYS["admin"]},
        timeout=60,
    )
    check_answer(response)


FIELD_EXAMPLES = max(FUZZ_EXAMPLES // 5, 3)
PRINCIPALS = st.sampled_from(["admin", "demo-rep", "demo-manager"])


def post_as(url: str, who: str, query: str, variables: Any) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers={"X-API-Key": KEYS[who]},
        timeout=60,
    )


@pytest.mark.parametrize("name", [n for n, _ in every_root_field("query")])
@settings(
    max_examples=FIELD_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), who=PRINCIPALS)
def test_every_query_field_gets_answers_not_faults(
    demo: Database, production: LiveServer, name: str, data: st.DataObject, who: str
) -> None:
    # Each field by itself, so that every one of them is drawn, not only those the
    # two-field operations above happen to pick.
    query, variables = data.draw(one_field("query", name))
    check_answer(post_as(production.url, who, query, variables))


@settings(
    max_examples=FUZZ_EXAMPLES // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.sampled_from([b"null", b"42", b'"x"', b"true", b"[]", b"[1]", b"{}", b"\xff"]),
        st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(min_value=1, max_value=3000).map(
            lambda n: (
                b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * n + b"]" * n + b"}}"
            )
        ),
    )
)
def test_malformed_bodies_get_answers_not_faults(
    demo: Database, production: LiveServer, body: bytes
) -> None:
    response = httpx.post(
        f"{production.url}/graphql",
        content=body,
        headers={"X-API-Key": KEYS["admin"], "content-type": "application/json"},
        timeout=60,
    )
    check_answer(response)


async def graph_fingerprint(db: Database) -> list[Any]:
    record = await db.store.read_one(
        "CALL () { MATCH (n) RETURN count(n) AS nodes, sum(size(keys(n))) AS nodeProperties } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS links } "
        "RETURN nodes, links, nodeProperties"
    )
    assert record is not None
    return [record["nodes"], record["links"], record["nodeProperties"]]


async def test_the_graph_is_unchanged_by_the_fuzzing(db: Database) -> None:
    # Runs after the fuzz tests of this module (file order) on the database they used: it
    # must be the demo data set as a fresh load makes it.
    assert db.state == "demo"
    after_fuzzing = await graph_fingerprint(db)
    db.dirty()
    await db.demo()
    assert after_fuzzing == await graph_fingerprint(db)


# After the test above: these write (the few drawn inputs that are valid are applied), on
# the demo data loaded once for all of them.


@pytest_asyncio.fixture
async def written(db: Database) -> Database:
    if db.state != FUZZED:
        await db.demo()
        db.state = FUZZED
    return db


@pytest.mark.parametrize("name", [n for n, _ in every_root_field("mutation")])
@settings(
    max_examples=FIELD_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), who=PRINCIPALS)
def test_every_mutation_gets_answers_not_faults(
    written: Database, production: LiveServer, name: str, data: st.DataObject, who: str
) -> None:
    query, variables = data.draw(one_field("mutation", name))
    check_answer(post_as(production.url, who, query, variables))
