"""The GraphQL schema: the root types merged from each feature's module."""

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, ClassVar

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import DisableIntrospection, ParserCache, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_api import tracing
from graph_api.api.audit import AuditQuery
from graph_api.api.cross_sell import CrossSellQuery
from graph_api.api.deciders import DecidersQuery
from graph_api.api.diagnostics import DevelopmentNotice, RoundTripCount
from graph_api.api.economics import EconomicsQuery
from graph_api.api.errors import DomainErrors
from graph_api.api.feed import FeedQuery, Subscription
from graph_api.api.job_change import JobChangeMutation, JobChangesQuery
from graph_api.api.keys import KeysMutation, KeysQuery
from graph_api.api.labels import LabelsQuery
from graph_api.api.lifecycle import LifecycleMutation, LifecycleQuery
from graph_api.api.limits import limit_extensions
from graph_api.api.mutations import WriteMutation
from graph_api.api.node import NodeQuery
from graph_api.api.observe import observe_extension
from graph_api.api.org_chart import OrgChartQuery
from graph_api.api.party import PartyQuery
from graph_api.api.paths import PathsQuery
from graph_api.api.pipeline import Pipeline
from graph_api.api.portfolio import PortfolioQuery
from graph_api.api.search import SearchQuery
from graph_api.api.tas import TasQuery
from graph_api.api.types import Organization, Person
from graph_api.api.webhooks import WebhooksMutation, WebhooksQuery
from graph_api.config import Settings, get_settings
from graph_api.domain.errors import DomainError

Query = merge_types(
    "Query",
    (
        PartyQuery,
        PortfolioQuery,
        EconomicsQuery,
        NodeQuery,
        OrgChartQuery,
        SearchQuery,
        DecidersQuery,
        TasQuery,
        PathsQuery,
        CrossSellQuery,
        AuditQuery,
        JobChangesQuery,
        FeedQuery,
        LabelsQuery,
        KeysQuery,
        WebhooksQuery,
        LifecycleQuery,
    ),
)
# merge_types takes no description: set on the merged type's definition.
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "Reads: the 360° view of a party, org charts, search, key deciders and the TAS "
    "assessment, the TAS scorecard and the funnel, relationship paths and warm "
    "introductions, cross-selling, the audit trail, API keys, "
    "the change feed, webhooks, archived nodes."
)

Mutation = merge_types(
    "Mutation",
    (WriteMutation, LifecycleMutation, JobChangeMutation, KeysMutation, WebhooksMutation),
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    WriteMutation.__strawberry_definition__.description  # type: ignore[attr-defined]
    + " Admins also manage the API keys stored in the database and the webhooks."
)

# Distinct query documents whose parse and validation are kept (bounded: unique texts
# from clients cannot grow memory without limit).
QUERY_CACHE_SIZE = 256


class ValidatedQueries(SchemaExtension):
    """Validates each query text once, keyed by the text.

    strawberry's ValidationCache keys on the parsed document: graphql-core's AST nodes are
    frozen dataclasses whose hash walks the whole tree, so every request re-hashed the full
    360° view document (hundreds of nodes) to find it. The text's hash is cached by Python,
    and the parser cache makes the same text the same document.
    """

    _cache: ClassVar[OrderedDict[tuple[Any, ...], list[GraphQLError]]] = OrderedDict()

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.query is not None and ctx.graphql_document is not None:
            key = (ctx.schema._schema, ctx.query, ctx.validation_rules)
            errors = self._cache.get(key)
            if errors is None:
                errors = validate_document(
                    ctx.schema._schema, ctx.graphql_document, ctx.validation_rules
                )
                self._cache[key] = errors
                if len(self._cache) > QUERY_CACHE_SIZE:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            ctx.pre_execution_errors = errors
        yield


class GraphSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Domain errors are answers, not faults; DomainErrors logs the internal ones.
        return None


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    # The token limit, the depth/alias rule (built once: the validation cache is keyed by
    # the rule classes, and a rule made per request would always miss it), the cost limit.
    token_limit, limit_rules, cost_limit = limit_extensions(settings)
    extensions: list[Any] = [
        # First, so that it finishes last: it sees the errors with their codes.
        observe_extension(settings),
        token_limit,
        # Clients send the same few documents over and over; parsing and validating the
        # full 360° view document costs more than the database query behind it.
        lambda: ParserCache(maxsize=QUERY_CACHE_SIZE),
        limit_rules,
        ValidatedQueries,
        cost_limit,
        DomainErrors,
    ]
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    if not settings.is_production:
        extensions.extend((RoundTripCount, DevelopmentNotice))
    # Run as one extension: strawberry's per-request preparation of each extension's hooks
    # cost as much as executing a small query (graph_api/api/pipeline.py).
    extensions = [Pipeline.factory(extensions)]
    if tracing.tracer is not None:
        # Imported only when tracing is on: off, OpenTelemetry costs nothing. It wraps the
        # resolvers, so it stays an extension of its own.
        from strawberry.extensions.tracing import OpenTelemetryExtension

        extensions.append(OpenTelemetryExtension)
    return GraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Person, Organization],
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def schema_sdl() -> str:
    """The schema as SDL, as written to schema/schema.graphql."""
    return str(build_schema(Settings(introspection=True))).rstrip() + "\n"


__all__ = ["DomainError", "build_schema", "schema_sdl"]
