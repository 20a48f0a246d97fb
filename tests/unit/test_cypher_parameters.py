"""Cypher is never built from strings in Python: every query is named, every value a parameter.

A static check of the package's source (ast): what a store call or a driver call runs is a
query name, a constant, or a name looked up in cypher/*.cypher, never an f-string, a
concatenation or a `.format()`; and no f-string anywhere reads like Cypher.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.store.cypher import query

PACKAGE = PROJECT_ROOT / "graph_api"
# Methods that run Cypher: the store's and the driver's, on the objects that have them.
RUNNERS = {"read", "read_one", "read_restricted", "write", "write_counters", "run", "execute_query"}
RECEIVERS = {"store", "tx", "session", "driver", "self", "the_store", "reader", "writer"}
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|DETACH|DELETE|RETURN|UNWIND|WHERE|SET)\b")


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def built_from_strings(node: ast.expr) -> bool:
    """An f-string, a `+`/`%` on strings, or a `.format()`/`.join()` call. An f-string that
    only composes a query *name* from constant parts without spaces (`f"write.{kind}_delete"`)
    is a name: `query()` refuses any name that is not in cypher/*.cypher."""
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return not re.fullmatch(r"[a-z_]+\.[A-Za-z0-9_]*", literal)
    if isinstance(node, ast.BinOp):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join", "replace")
    )


def runner_calls() -> Iterator[tuple[Path, ast.Call]]:
    for path, tree in sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in RUNNERS
                and receiver(node.func.value) in RECEIVERS
                and node.args
            ):
                yield path, node


def receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def test_queries_run_are_never_built_from_strings() -> None:
    bad = [
        f"{path.relative_to(PROJECT_ROOT)}:{call.lineno}"
        for path, call in runner_calls()
        if built_from_strings(call.args[0])
    ]
    assert not bad, f"Cypher built from strings at {bad}"


def test_every_constant_query_name_exists() -> None:
    names = {
        call.args[0].value
        for _, call in runner_calls()
        if isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and re.fullmatch(r"[a-z_]+\.[A-Za-z0-9_]+", call.args[0].value)
    }
    assert "view.parties" in names and "access.scope" in names
    for name in sorted(names):
        assert query(name), name


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_f_string_reads_like_cypher(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            assert not CYPHER_WORDS.search(literal), f"{path.name}:{node.lineno}: {literal!r}"
