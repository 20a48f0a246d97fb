"""Authentication: the caller's identity from an API key or a signed token (JWT).

Credentials come in one header: `X-API-Key: <key>`, or `Authorization: Bearer <key or JWT>`.
Keys are configured by their SHA-256 only (GRAPH_API_API_KEYS / GRAPH_API_API_KEYS_FILE), each
mapped to a subject, a role and, for managers and reps, their Rep id; or stored, hashed too, in
the database (`services/api_keys.py`: created and revoked without a restart), looked up there
when the environment does not know them. Tokens are verified with
GRAPH_API_JWT_SECRET (HS256) or GRAPH_API_JWT_PUBLIC_KEY (RS256) and carry `sub`, `exp`,
`role` and `rep_id`. Every failure is UNAUTHENTICATED, answered before any query runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt
import orjson
from pydantic import TypeAdapter, ValidationError

from graph_api.config import ApiKey, Settings
from graph_api.domain.access import DEVELOPMENT_VIEWER, NOBODY, Role, Viewer
from graph_api.domain.errors import Unauthenticated
from graph_api.services.api_keys import StoredKeys, key_hash, new_key
from graph_api.store.neo4j_store import Store

__all__ = ["AuthConfigurationError", "Authenticator", "anonymous", "key_hash", "new_key"]

log = logging.getLogger("graph_api.auth")

API_KEY_HEADER = "x-api-key"
# Longest credential looked at: a JWT with a few claims is well under 2 KB.
MAX_CREDENTIAL_LENGTH = 8192
_KEYS = TypeAdapter(list[ApiKey])


class AuthConfigurationError(RuntimeError):
    """The authentication settings cannot be used; the service does not start."""


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AuthConfigurationError(f"cannot read {what} {path}: {exc.strerror}") from exc


def load_keys_file(path: Path) -> list[ApiKey]:
    try:
        return _KEYS.validate_python(orjson.loads(_read(path, "GRAPH_API_API_KEYS_FILE")))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        raise AuthConfigurationError(f"GRAPH_API_API_KEYS_FILE {path}: {exc}") from exc


class Authenticator:
    """Turns a request's headers into a Viewer, or raises Unauthenticated saying why."""

    def __init__(self, settings: Settings) -> None:
        keys = list(settings.api_keys)
        if settings.api_keys_file is not None:
            keys.extend(load_keys_file(settings.api_keys_file))
        self._keys: dict[str, ApiKey] = {}
        for key in keys:
            digest = key.sha256.lower()
            if digest in self._keys:
                raise AuthConfigurationError(
                    f"API keys of {self._keys[digest].subject!r} and {key.subject!r} "
                    "have the same hash"
                )
            self._keys[digest] = key
        self._secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
        public = settings.jwt_public_key
        if settings.jwt_public_key_file is not None:
            public = _read(settings.jwt_public_key_file, "GRAPH_API_JWT_PUBLIC_KEY_FILE").decode()
        self._public = public
        if self._secret is not None and len(self._secret) < 32:
            raise AuthConfigurationError(
                "GRAPH_API_JWT_SECRET is shorter than 32 characters: too weak for HS256"
            )
        if self._public is not None:
            try:
                jwt.get_algorithm_by_name("RS256").prepare_key(self._public)
            except (ValueError, jwt.InvalidKeyError) as exc:
                raise AuthConfigurationError(
                    f"GRAPH_API_JWT_PUBLIC_KEY is not an RSA public key in PEM: {exc}"
                ) from exc
        self._algorithms = {
            alg: key
            for alg, key in (("HS256", self._secret), ("RS256", self._public))
            if key is not None
        }
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._leeway = settings.jwt_leeway_s
        self.production = settings.is_production
        self.stored = StoredKeys(settings.api_key_cache_s)

    @property
    def configured(self) -> bool:
        return bool(self._keys or self._algorithms)

    def describe(self) -> str:
        parts = []
        if self._keys:
            parts.append(f"{len(self._keys)} API key(s)")
        parts.extend(f"{alg} tokens" for alg in self._algorithms)
        return ", ".join(parts) or "no credentials"

    def not_configured_message(self) -> str:
        return (
            "authentication is not configured in this server's environment: only API keys "
            "stored in the database (graph-api keys create) are accepted; set "
            "GRAPH_API_API_KEYS (or GRAPH_API_API_KEYS_FILE), GRAPH_API_JWT_SECRET or "
            "GRAPH_API_JWT_PUBLIC_KEY for others"
        )

    def _unknown_key(self) -> Unauthenticated:
        if self.configured:
            return Unauthenticated("invalid credentials: unknown API key")
        return Unauthenticated(
            "invalid credentials: unknown API key; " + self.not_configured_message()
        )

    def authenticate(self, headers: Mapping[str, str]) -> Viewer:
        """The viewer by the environment's keys and tokens only (no database)."""
        found = self._credential(headers)
        if isinstance(found, Viewer):
            return found
        raise self._unknown_key()

    async def authenticate_with(self, headers: Mapping[str, str], store: Store) -> Viewer:
        """The viewer by the environment's keys and tokens, then by the keys stored in the
        database (a key the environment does not know)."""
        found = self._credential(headers)
        if isinstance(found, Viewer):
            return found
        viewer = await self.stored.viewer(store, found)
        if viewer is None:
            raise self._unknown_key()
        return viewer

    def _credential(self, headers: Mapping[str, str]) -> Viewer | str:
        """The viewer, or the hash of an API key the environment does not know."""
        api_key = headers.get(API_KEY_HEADER)
        authorization = headers.get("authorization")
        if api_key is None and authorization is None:
            if not self.production:
                return DEVELOPMENT_VIEWER
            if not self.configured:
                raise Unauthenticated("no credentials; " + self.not_configured_message())
            raise Unauthenticated(
                "no credentials: send X-API-Key: <key> or Authorization: Bearer <key or token>"
            )
        if api_key is not None and authorization is not None:
            raise Unauthenticated("send one credential: X-API-Key or Authorization, not both")
        if api_key is not None:
            return self._from_key(api_key.strip())
        assert authorization is not None
        scheme, _, value = authorization.strip().partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            raise Unauthenticated("the Authorization header must be 'Bearer <key or token>'")
        if len(value) > MAX_CREDENTIAL_LENGTH:
            raise Unauthenticated("the credential is too long")
        if value.count(".") == 2 and self._algorithms and key_hash(value) not in self._keys:
            return self._from_token(value)
        return self._from_key(value)

    def _from_key(self, key: str) -> Viewer | str:
        if not key or len(key) > MAX_CREDENTIAL_LENGTH:
            raise Unauthenticated("invalid credentials: unknown API key")
        digest = key_hash(key)
        found = self._keys.get(digest)
        if found is None:
            return digest
        return Viewer(subject=found.subject, role=found.role, rep_id=found.rep_id)

    def _from_token(self, token: str) -> Viewer:
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            raise Unauthenticated("invalid token: malformed header") from None
        key = self._algorithms.get(alg) if isinstance(alg, str) else None
        if key is None or not isinstance(alg, str):
            raise Unauthenticated(
                f"invalid token: algorithm {str(alg)[:20]!r} is not accepted here "
                f"(accepted: {', '.join(self._algorithms)})"
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={
                    "require": ["exp", "sub"],
                    "verify_aud": self._audience is not None,
                    "verify_iss": self._issuer is not None,
                },
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("invalid token: expired") from None
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(f"invalid token: {exc}") from None
        return _viewer_from_claims(claims)


def _viewer_from_claims(claims: Mapping[str, Any]) -> Viewer:
    subject = claims.get("sub")
    role_claim = claims.get("role")
    rep_id = claims.get("rep_id")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("invalid token: sub must be a non-empty string")
    try:
        role = Role(str(role_claim).upper())
    except ValueError:
        raise Unauthenticated(
            f"invalid token: role must be admin, manager or rep, not {str(role_claim)[:40]!r}"
        ) from None
    if rep_id is not None and (not isinstance(rep_id, str) or not rep_id or len(rep_id) > 128):
        raise Unauthenticated("invalid token: rep_id must be a Rep id")
    if role is not Role.ADMIN and rep_id is None:
        raise Unauthenticated(f"invalid token: role {role.value} needs a rep_id claim")
    return Viewer(subject=subject, role=role, rep_id=rep_id)


def anonymous() -> Viewer:
    """The viewer of a request that runs no query (the GraphiQL page): sees nothing."""
    return NOBODY
