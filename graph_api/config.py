"""Settings from the environment: NEO4J_* for the database, GRAPH_API_* for the service."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_api.domain.access import Role

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ApiKey(BaseModel):
    """One configured API key: the SHA-256 of the key (never the key) and who it stands for."""

    model_config = ConfigDict(populate_by_name=True, frozen=True)

    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="hex SHA-256 of the key")
    subject: str = Field(min_length=1, max_length=200)
    role: Role
    rep_id: str | None = Field(default=None, alias="repId", min_length=1, max_length=128)

    @field_validator("role", mode="before")
    @classmethod
    def _role_upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _rep_for_rep_roles(self) -> ApiKey:
        if self.role is not Role.ADMIN and not self.rep_id:
            raise ValueError(
                f"API key of {self.subject!r}: role {self.role.value} needs a repId "
                "(the Rep node whose account teams it sees)"
            )
        return self


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
    # The longest a request waits for the database (connecting, a free connection, retrying
    # transient failures) before it answers SERVICE_UNAVAILABLE: clients retry, not hang.
    db_wait_s: float = 3.0
    # How long a write's Idempotency-Key is remembered (with its answer); older keys are
    # pruned, and a retry after that writes again.
    idempotency_retention_hours: float = 24.0
    # The change feed keeps changes this long (pruned every hour by the service, or by
    # `graph-api prune-feed`); an older cursor is CURSOR_EXPIRED: resynchronise.
    feed_retention_hours: float = 168.0
    # How often a subscription reads the feed for new changes (any replica serves it).
    feed_poll_s: float = 0.5

    # Webhooks (services/webhooks.py): every service process runs a delivery worker (off:
    # this process delivers nothing; another replica's worker does). Each webhook is
    # delivered by one process at a time, the holder of its lease in Neo4j.
    webhook_worker: bool = True
    # How often the worker looks for webhooks to serve and changes to deliver.
    webhook_poll_s: float = Field(default=1.0, gt=0, le=3600)
    # One delivery's HTTP timeout (connect, send, answer); past it the attempt failed.
    webhook_timeout_s: float = Field(default=10.0, gt=0, le=300)
    # A lease lasts this long and is renewed while its holder works; a process that died
    # holds its webhooks this long at most. Longer than the timeout (checked below).
    webhook_lease_s: float = Field(default=60.0, gt=0, le=3600)
    # Retries: the n-th failed try waits min(cap, base * factor^(n-1)) seconds; after
    # max_attempts tries the delivery goes to the dead-letter list and the worker goes on.
    webhook_backoff_base_s: float = Field(default=1.0, ge=0, le=3600)
    webhook_backoff_factor: float = Field(default=2.0, ge=1, le=100)
    webhook_backoff_cap_s: float = Field(default=600.0, ge=0, le=86400)
    webhook_max_attempts: int = Field(default=8, ge=1, le=100)

    mode: Mode = Mode.DEVELOPMENT
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # `serve`'s worker processes (None: one per core); 1 serves from the one process.
    workers: int | None = None
    # `serve` logs one JSON object per line ("json") or plain text lines ("text").
    log_format: Literal["json", "text"] = "json"
    # Operations slower than this are logged with their operation and query names.
    slow_request_ms: float = 1000.0

    # Where local state lives: the local Neo4j's data folder and its log.
    state_dir: Path = PROJECT_ROOT / ".state"
    local_neo4j_port: int = 0
    local_neo4j_heap: str = "1g"
    local_neo4j_page_cache: str = "512m"
    local_neo4j_start_timeout_s: float = 180.0
    # The supervisor restarts a local Neo4j that died, waiting 1, 2, 4, ... seconds up to this.
    local_neo4j_max_backoff_s: float = 30.0

    # GraphiQL and introspection; default on in development, off in production.
    graphiql: bool | None = None
    introspection: bool | None = None

    # Authentication (docs: README "Security"). API keys: a JSON list of
    # {"sha256", "subject", "role", "repId"} in GRAPH_API_API_KEYS or in the file named by
    # GRAPH_API_API_KEYS_FILE. Signed tokens: HS256 with GRAPH_API_JWT_SECRET, RS256 with
    # the PEM public key in GRAPH_API_JWT_PUBLIC_KEY (or the file GRAPH_API_JWT_PUBLIC_KEY_FILE).
    api_keys: list[ApiKey] = Field(default_factory=list)
    api_keys_file: Path | None = None
    jwt_secret: SecretStr | None = None
    jwt_public_key: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_s: float = 30.0
    # Seconds a key stored in the database (graph-api keys) is trusted from the cache once
    # found: how long a revocation takes to reach the other processes (at once in the one
    # that revoked).
    api_key_cache_s: float = 5.0

    # Python's cyclic garbage collector: collect the youngest generation after this many
    # new objects (Python's default is 700). A large answer (a 2,000-person account) makes
    # hundreds of thousands of objects, and with the default the collector walked the
    # whole heap several times per request. 0 leaves Python's default.
    gc_threshold: int = 50_000

    # Key-decider analyses (a scope's graph and ranking, for keyDeciders and
    # decisionAssessment) kept per process, keyed by the scope, what the viewer sees and the
    # graph's version (every write changes it, so a kept analysis is never stale): a repeated
    # question costs one small query. 0 turns the cache off (the benchmark's cold figure).
    deciders_cache_size: int = 16
    # Processes that read and score those analyses (services/analysis_processes.py), per
    # serving process, so that a 2,000-person keyDeciders never holds the lock (the GIL) of
    # the process serving light requests. None: from the cores (cores / serving workers, at
    # least 1); 0: none, analyses run in a thread of the serving process.
    analysis_processes: int | None = Field(default=None, ge=0, le=64)
    # Added to the analysis processes' nice value: when the cores are busy, the serving
    # process's light requests get them first (0: the same priority as the service).
    analysis_nice: int = Field(default=10, ge=0, le=19)

    # Limits
    # Bytes of one HTTP request body (a GraphQL document with its variables); larger: 413.
    max_request_bytes: int = 1_000_000
    # Query texts remembered by their SHA-256 for automatic persisted queries, per worker
    # (0: none, every hash alone answers PERSISTED_QUERY_NOT_FOUND).
    persisted_queries: int = 1000
    max_page_size: int = 100
    default_page_size: int = 20
    max_depth: int = 12
    max_aliases: int = 30
    # Lexical tokens (and, separately, comments) of one query document.
    max_tokens: int = 2000
    # Estimated cost of one operation (graph_api/api/limits.py says how it is counted).
    max_cost: int = 100000
    max_org_chart_depth: int = 10
    max_path_hops: int = 6
    # Nodes loaded around the ends of a path search (hubs make neighbourhoods explode).
    max_path_nodes: int = 5000

    # Signals (DOMAIN.md): sleeping after this many days without interaction;
    # escalate after the longer window.
    sleeping_days: int = 60
    sleeping_escalation_days: int = 90
    profile_compliance_threshold: int = 60
    # Earned relationship strength (docs/ANALYTICS.md, "Earned strength"): an interaction
    # counts half as much after this many days. Changing it needs `graph-api refresh-strength`
    # (the stored accumulators keep the half-life they were computed with until then).
    strength_half_life_days: float = Field(default=90.0, ge=1.0, le=3650.0)
    # The instant earned strengths are computed for (reads: paths, coverage, deciders; the
    # answer of a write of an interaction); unset: the current time. For reproducible tests
    # and demos: the same data then gives the same strengths whatever day it is.
    strength_now: datetime | None = None
    # The TAS scorecard: an answer the account team recorded longer ago than this no longer
    # counts (it is shown, marked stale, and the question is UNKNOWN again).
    tas_stale_days: int = Field(default=90, ge=1, le=3650)

    # The write API: changes in one applyChanges mutation (one transaction).
    max_changes: int = 100

    # Time budget of one GraphQL request: each database query gets a Neo4j transaction
    # timeout of what is left of it, and a request past it answers TIMEOUT (0: no budget).
    request_timeout_s: float = 10.0

    @model_validator(mode="after")
    def _lease_outlasts_a_delivery(self) -> Settings:
        if self.webhook_lease_s <= self.webhook_timeout_s:
            raise ValueError(
                f"GRAPH_API_WEBHOOK_LEASE_S ({self.webhook_lease_s}) must be longer than "
                f"GRAPH_API_WEBHOOK_TIMEOUT_S ({self.webhook_timeout_s}): a lease must "
                "outlast the delivery its holder makes"
            )
        return self

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
