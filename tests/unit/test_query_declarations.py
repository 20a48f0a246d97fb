"""Access by construction (issue 17.2), statically: every named query of cypher/ is declared
with how the viewer's scope applies to it, and the services and resolvers reach the database
only through the store bound to the viewer (the run-time half:
tests/integration/test_scoped_store.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import graph_api.api.schema  # noqa: F401  (imports every service: their restrictions register)
from graph_api.config import PROJECT_ROOT
from graph_api.store.cypher import _all_queries, query
from graph_api.store.projection import AS_OF_SUFFIX
from graph_api.store.scoped import (
    OUTSIDE_THE_API,
    OUTSIDE_THE_API_FILES,
    QUERY_SCOPES,
    Scoping,
    restrictions_of,
)

EVERY_QUERY = sorted(_all_queries())


def test_every_query_of_cypher_is_declared() -> None:
    undeclared = [
        name
        for name in EVERY_QUERY
        # An as-of variant runs under its query's declaration (ScopedStore `as_of`).
        if name.removesuffix(AS_OF_SUFFIX) not in QUERY_SCOPES
        and name not in OUTSIDE_THE_API
        and name.split(".")[0] not in OUTSIDE_THE_API_FILES
    ]
    assert undeclared == [], f"declare these in graph_api/store/scoped.py: {undeclared}"
    assert sorted(set(QUERY_SCOPES) - set(EVERY_QUERY)) == []
    assert sorted(OUTSIDE_THE_API - set(EVERY_QUERY)) == []
    assert not set(QUERY_SCOPES) & OUTSIDE_THE_API


@pytest.mark.parametrize("name", sorted(QUERY_SCOPES))
def test_each_declaration_holds_for_its_query(name: str) -> None:
    declared = QUERY_SCOPES[name]
    text = query(name)
    # A query given $visible must use it; one not given it must not expect it (it would
    # run with $visible null: everything).
    assert ("$visible" in text) is declared.visible, name
    if declared.scoping is Scoping.RESTRICTED:
        assert restrictions_of(name), f"{name} is RESTRICTED, and no @restriction opens it"
    if declared.scoping is Scoping.VISIBLE:
        assert declared.visible, name


def _imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


# The modules that may hold the raw store, and why: the context makes the bound one, the
# app connects; the viewer's scope is computed before there is a bound store; statistics
# and audit pruning are operator commands; so is the background pruning of expired
# idempotency keys (the keys themselves are claimed in the bound writer's transaction).
RAW_STORE_ALLOWED = {
    "graph_api/api/app.py",
    "graph_api/api/context.py",
    "graph_api/services/access.py",
    "graph_api/services/co_holding.py",
    # The earned-strength refresh after an import and `graph-api refresh-strength` (operator
    # work); writes of interactions recompute their pairs in the bound writer's transaction.
    "graph_api/services/strength.py",
    "graph_api/services/audit.py",
    "graph_api/services/feed.py",
    "graph_api/services/idempotency.py",
    # API keys are the service's own configuration, not party data: looked up before there
    # is a viewer, managed by admins only (KeyAdmin refuses anyone else).
    "graph_api/services/api_keys.py",
    # The authenticator finds a stored key by its hash: there is no viewer yet to bind to.
    "graph_api/api/auth.py",
    # Webhooks are configuration as the keys are (WebhookAdmin refuses anyone but an admin),
    # and the delivery worker reads the feed as an admin: every change, for the receiver.
    "graph_api/services/webhooks.py",
    # An analysis process connects its own store and reads only through a ScopedStore bound
    # to the access the serving process sends with each question.
    "graph_api/services/analysis_processes.py",
}


def test_services_and_resolvers_reach_the_database_only_through_the_bound_store() -> None:
    package = PROJECT_ROOT / "graph_api"
    offenders = []
    for path in sorted([*package.glob("api/*.py"), *package.glob("services/*.py")]):
        relative = str(path.relative_to(PROJECT_ROOT))
        text = path.read_text(encoding="utf-8")
        raw = "graph_api.store.neo4j_store.Store" in _imports_of(path) or "ctx.store" in text
        if raw and relative not in RAW_STORE_ALLOWED:
            offenders.append(relative)
    assert offenders == []
    # The audit service holds the raw store for pruning only.
    audit = (package / "services" / "audit.py").read_text(encoding="utf-8")
    assert audit.count("store: Store") == 1 and "def prune_audit(store: Store" in audit
    # So does the change feed's.
    changes = (package / "services" / "feed.py").read_text(encoding="utf-8")
    assert changes.count("store: Store") == 1 and "def prune_feed(store: Store" in changes
