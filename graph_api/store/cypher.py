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


def _parse(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, text in _split(path).items():
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
