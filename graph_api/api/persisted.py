"""Automatic persisted queries (Apollo's protocol): a query sent by its SHA-256 hash.

A client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query; an
unknown hash answers PERSISTED_QUERY_NOT_FOUND (Apollo's code and message, HTTP 200, which
Apollo's and urql's links recognise) and the client sends the hash again with the text, which
is then remembered. The store is per process and bounded (least recently used first out): a
hash another worker learnt, or one evicted, costs the client one round trip more, never a
wrong answer, since the hash is checked against the text whenever a text comes with it.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from strawberry.http import GraphQLRequestData

from graph_api.domain.errors import InvalidInput

# Apollo's code and message: clients match on them to resend the query with its text.
NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
FIELD = "extensions.persistedQuery"
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PersistedQueryNotFound(Exception):
    """The hash is not (or no longer) known: the client must send the query's text."""

    def __init__(self, sha256_hash: str) -> None:
        super().__init__(NOT_FOUND_MESSAGE)
        self.sha256_hash = sha256_hash

    def extensions(self) -> dict[str, Any]:
        return {"code": NOT_FOUND_CODE}


class PersistedQueries:
    """Query texts by their SHA-256 (lower-case hex), at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._texts)

    def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its query text: as sent (and then remembered by its hash), or
        looked up by the hash. Requests without the extension are returned as they are."""
        extensions = data.extensions
        if not extensions or "persistedQuery" not in extensions:
            return data
        sha256_hash = _checked_hash(extensions["persistedQuery"])
        if data.query is None:
            text = self._texts.get(sha256_hash)
            if text is None:
                raise PersistedQueryNotFound(sha256_hash)
            self._texts.move_to_end(sha256_hash)
            return replace(data, query=text)
        actual = hashlib.sha256(data.query.encode("utf-8")).hexdigest()
        if actual != sha256_hash:
            raise InvalidInput(
                f"{FIELD}.sha256Hash does not match the query: the query's SHA-256 "
                f"(of its UTF-8 bytes, lower-case hex) is {actual}",
                field=f"{FIELD}.sha256Hash",
                value=sha256_hash,
            )
        if self.size > 0:
            # The text already known keeps its first object: the parse and validation caches,
            # keyed by the text, find it without comparing a second copy character by character.
            known = self._texts.get(sha256_hash)
            if known is None:
                self._texts[sha256_hash] = data.query
                if len(self._texts) > self.size:
                    self._texts.popitem(last=False)
            else:
                self._texts.move_to_end(sha256_hash)
                return replace(data, query=known)
        return data


def _checked_hash(persisted: object) -> str:
    if not isinstance(persisted, dict):
        raise InvalidInput(
            f"{FIELD} must be an object {{version: 1, sha256Hash}}",
            field=FIELD,
            value=str(persisted)[:100],
        )
    version = persisted.get("version")
    if version != 1 or isinstance(version, bool):
        raise InvalidInput(
            f"{FIELD}.version must be 1 (the only version of the protocol)",
            field=f"{FIELD}.version",
            value=str(version)[:100],
        )
    sha256_hash = persisted.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not _SHA256.fullmatch(sha256_hash):
        raise InvalidInput(
            f"{FIELD}.sha256Hash must be the SHA-256 of the query: 64 lower-case hex digits",
            field=f"{FIELD}.sha256Hash",
            value=str(sha256_hash)[:100],
        )
    return sha256_hash
