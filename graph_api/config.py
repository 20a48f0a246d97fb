"""Settings from the environment: NEO4J_* for the database, GRAPH_API_* for the service."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPH_API_", extra="ignore")

    # The database. With no URI the service starts its own local Neo4j.
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: str = Field(default="", validation_alias=AliasChoices("NEO4J_PASSWORD"))
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))
    neo4j_pool_size: int = 50
    neo4j_connection_timeout_s: float = 5.0
    neo4j_query_timeout_s: float = 30.0

    mode: Mode = Mode.DEVELOPMENT
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"

    # Where local state lives: the local Neo4j's data folder and its log.
    state_dir: Path = PROJECT_ROOT / ".state"
    local_neo4j_port: int = 0
    local_neo4j_heap: str = "1g"
    local_neo4j_page_cache: str = "512m"
    local_neo4j_start_timeout_s: float = 180.0

    # GraphiQL and introspection; default on in development, off in production.
    graphiql: bool | None = None
    introspection: bool | None = None

    # Python's cyclic garbage collector: collect the youngest generation after this many
    # new objects (Python's default is 700). A large answer (a 2,000-person account) makes
    # hundreds of thousands of objects, and with the default the collector walked the
    # whole heap several times per request. 0 leaves Python's default.
    gc_threshold: int = 50_000

    # Limits
    max_page_size: int = 100
    default_page_size: int = 20
    max_depth: int = 12
    max_aliases: int = 30
    max_org_chart_depth: int = 10
    max_path_hops: int = 6
    # Nodes loaded around the ends of a path search (hubs make neighbourhoods explode).
    max_path_nodes: int = 5000

    # Signals (DOMAIN.md): sleeping after this many days without interaction;
    # escalate after the longer window.
    sleeping_days: int = 60
    sleeping_escalation_days: int = 90
    profile_compliance_threshold: int = 60

    # The write API: changes in one applyChanges mutation (one transaction).
    max_changes: int = 100

    @property
    def is_production(self) -> bool:
        return self.mode is Mode.PRODUCTION

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.is_production

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else not self.is_production


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
