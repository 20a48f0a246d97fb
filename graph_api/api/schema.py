"""The GraphQL schema: the root types merged from each feature's module."""

from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_api.api.cross_sell import CrossSellQuery
from graph_api.api.errors import DomainErrors
from graph_api.api.party import PartyQuery
from graph_api.api.types import Organization, Person
from graph_api.config import Settings, get_settings
from graph_api.domain.errors import DomainError

Query = merge_types("Query", (PartyQuery, CrossSellQuery))


class GraphSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Domain errors are answers, not faults; DomainErrors logs the internal ones.
        return None


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    max_depth, max_aliases = settings.max_depth, settings.max_aliases
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
        DomainErrors,
    ]
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    return GraphSchema(
        query=Query,
        types=[Person, Organization],
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


def schema_sdl() -> str:
    """The schema as SDL, as written to schema/schema.graphql."""
    return str(build_schema(Settings(introspection=True))).rstrip() + "\n"


__all__ = ["DomainError", "build_schema", "schema_sdl"]
