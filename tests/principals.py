"""The callers of the security tests: one API key per role and rep, and a production server."""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
import jwt

from graph_api.api.auth import key_hash
from graph_api.config import Settings
from tests.conftest import settings_for

# Fresh keys every session: nothing here is a credential anywhere else.
KEYS: dict[str, str] = {
    name: f"test-{name}-{secrets.token_urlsafe(24)}"
    for name in (
        *("admin", "manager", "rep-a1", "rep-a2", "rep-b1", "rep-none"),
        *("demo-rep", "demo-manager"),
    )
}
PRINCIPALS: dict[str, dict[str, Any]] = {
    "admin": {"subject": "ops", "role": "admin"},
    "manager": {"subject": "manager-m1", "role": "MANAGER", "repId": "rep-m1"},
    "rep-a1": {"subject": "rep-a1", "role": "REP", "repId": "rep-a1"},
    "rep-a2": {"subject": "rep-a2", "role": "REP", "repId": "rep-a2"},
    "rep-b1": {"subject": "rep-b1", "role": "REP", "repId": "rep-b1"},
    "rep-none": {"subject": "rep-none", "role": "REP", "repId": "rep-nobody"},
    # Reps of seed/demo.json: 刘洋 (中集's team) and their manager 马骏.
    "demo-rep": {"subject": "liu-yang", "role": "REP", "repId": "rep-liu-yang"},
    "demo-manager": {"subject": "ma-jun", "role": "MANAGER", "repId": "rep-ma-jun"},
}
JWT_SECRET = secrets.token_urlsafe(48)


def production_settings(uri: str, **overrides: Any) -> Settings:
    keys = [{"sha256": key_hash(KEYS[name]), **who} for name, who in PRINCIPALS.items()]
    return settings_for(uri, mode="production", api_keys=keys, jwt_secret=JWT_SECRET, **overrides)


def token(claims: dict[str, Any], *, secret: str = JWT_SECRET, ttl_s: float = 300) -> str:
    now = int(time.time())
    return jwt.encode({"iat": now, "exp": now + int(ttl_s), **claims}, secret, algorithm="HS256")


class Caller:
    """GraphQL over HTTP as one principal (by API key), or with the headers given."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.headers = headers

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        async with httpx.AsyncClient(timeout=60) as client:
            return await client.post(
                f"{self.url}/graphql",
                json={"query": query, "variables": variables or {}},
                headers=self.headers,
            )

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post(query, variables)
        assert response.status_code in (200, 400), response.text
        body: dict[str, Any] = response.json()
        return body


def as_key(url: str, name: str) -> Caller:
    return Caller(url, {"X-API-Key": KEYS[name]})
