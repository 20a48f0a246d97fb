"""Loads the named Cypher queries of `cypher/*.cypher`.

A file holds one query (named after the file) or several, each introduced by a line
`// name: <name>`; a query is addressed as `<file>.<name>` (or `<file>` alone). Fragments
such as `{{PERSON_FIELDS p}}` are expanded from the import format's declaration as the
files load (`store/projection.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graph_api.config import PROJECT_ROOT
from graph_api.store.projection import AS_OF_SUFFIX, expand_fragments, has_as_of

CYPHER_DIR = PROJECT_ROOT / "cypher"
_NAME_LINE = re.compile(r"^//\s*name:\s*([A-Za-z0-9_]+)\s*$")


_VARIANTS_LINE = re.compile(r"^\s*//\s*prefix variants:\s*(.+)$", re.MULTILINE)
_PREFIX = re.compile(
    r"\{\{\s*(PREFIX|PREFIX_ORDER|PREFIX_ORDER_DESC)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
)


def _variants(name: str, text: str) -> dict[str, str]:
    """A query with a line `// prefix variants: a = prop = value | b = ...` is also loaded as
    `<name>_a`, `<name>_b`: the same walk over the composite index whose first property is
    `prop` (held at `value`, a literal or parameter the planner sees as written). In the
    variant `{{PREFIX x}}` is `x.prop = value`, `{{PREFIX_ORDER x}}` is `x.prop, ` and
    `{{PREFIX_ORDER_DESC x}}` is `x.prop DESC, ` (the ORDER BY the index gives); in the query
    itself they are `true` and nothing."""
    found = _VARIANTS_LINE.search(text)
    if found is None:
        return {name: text}

    def substitute(prop: str | None, value: str) -> str:
        def one(m: re.Match[str]) -> str:
            kind, var = m.group(1), m.group(2)
            if prop is None:
                return "true" if kind == "PREFIX" else ""
            if kind == "PREFIX":
                return f"{var}.{prop} = {value}"
            return f"{var}.{prop}{' DESC' if kind == 'PREFIX_ORDER_DESC' else ''}, "

        return _PREFIX.sub(one, text)

    out = {name: substitute(None, "")}
    for item in found.group(1).split("|"):
        parts = [p.strip() for p in item.split("=", 2)]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"query {name}: a variant is `suffix = property = value`: {item!r}")
        suffix, prop, value = parts
        out[f"{name}_{suffix}"] = substitute(prop, value)
    return out


def _parse(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, text in (
        item for whole in _split(path).items() for item in _variants(*whole).items()
    ):
        out[name] = expand_fragments(text)
        if has_as_of(text):
            # The same question asked of a past day (store/projection.py, history fragments).
            out[name + AS_OF_SUFFIX] = expand_fragments(text, as_of=True)
    return out


def as_of_name(name: str) -> str:
    """The name of a query's as-of variant (its `$asOf` parameter: the day asked about)."""
    return name + AS_OF_SUFFIX


def _split(path: Path) -> dict[str, str]:
    queries: dict[str, list[str]] = {}
    current: str | None = None
    preamble: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _NAME_LINE.match(line.strip())
        if match:
            current = f"{path.stem}.{match.group(1)}"
            if current in queries:
                raise ValueError(f"{path}: query {current} defined twice")
            queries[current] = []
        elif current is None:
            preamble.append(line)
        else:
            queries[current].append(line)
    if not queries:
        return {path.stem: "\n".join(preamble).strip()}
    return {name: "\n".join(lines).strip() for name, lines in queries.items()}


@lru_cache(maxsize=1)
def _all_queries() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(CYPHER_DIR.glob("*.cypher")):
        out.update(_parse(path))
    return out


def query(name: str) -> str:
    """The text of the named query; KeyError names the missing query."""
    try:
        return _all_queries()[name]
    except KeyError:
        raise KeyError(f"no Cypher query named {name!r} in {CYPHER_DIR}") from None


def statements(name: str) -> list[str]:
    """A named script split into its `;`-terminated statements (for schema migrations)."""
    text = "\n".join(line for line in query(name).splitlines() if not line.strip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]
