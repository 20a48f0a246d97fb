"""Authentication, production/development modes and request limits, over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from graph_api.api.app import DEVELOPMENT_HEADER
from graph_api.api.auth import AuthConfigurationError, Authenticator, key_hash
from graph_api.config import Settings
from graph_api.domain.access import Role, Viewer
from graph_api.domain.errors import Unauthenticated
from tests.conftest import Database, GraphQLClient, LiveServer, data_of, error_codes, settings_for
from tests.principals import JWT_SECRET, KEYS, Caller, as_key, production_settings, token

CIMC = '{ party(id: "org-cimc") { id name } }'
HUASHENG = '{ party(id: "org-huasheng") { id name } }'


def bearer(url: str, credential: str) -> Caller:
    return Caller(url, {"Authorization": f"Bearer {credential}"})


async def refused(caller: Caller, query: str = CIMC) -> str:
    """Asserts the request is refused before anything runs; returns the reason."""
    response = await caller.post(query)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    message: str = body["errors"][0]["message"]
    return message


# ----- production mode: credentials -----


async def test_no_credentials_are_refused_in_production(
    db: Database, production: LiveServer
) -> None:
    await db.demo()
    message = await refused(Caller(production.url, {}))
    assert "X-API-Key" in message and "Bearer" in message


async def test_a_wrong_key_is_refused(db: Database, production: LiveServer) -> None:
    await db.demo()
    assert "unknown API key" in await refused(Caller(production.url, {"X-API-Key": "nope"}))
    assert "unknown API key" in await refused(bearer(production.url, "nope"))
    # A configured key's hash is not a key.
    assert "unknown API key" in await refused(
        Caller(production.url, {"X-API-Key": key_hash(KEYS["admin"])})
    )
    malformed = Caller(production.url, {"Authorization": f"Basic {KEYS['admin']}"})
    assert "Bearer" in await refused(malformed)
    both = Caller(production.url, {"X-API-Key": KEYS["admin"], "Authorization": "Bearer x"})
    assert "one credential" in await refused(both)


async def test_a_key_works_in_either_header(db: Database, production: LiveServer) -> None:
    await db.demo()
    for caller in (as_key(production.url, "admin"), bearer(production.url, KEYS["admin"])):
        response = await caller.post(CIMC)
        assert response.status_code == 200
        assert response.json()["data"]["party"]["name"] == "中集集团"
        assert DEVELOPMENT_HEADER not in response.headers
        assert "development" not in (response.json().get("extensions") or {})


async def test_a_signed_token_carries_the_role(db: Database, production: LiveServer) -> None:
    await db.demo()
    # 钱波 is on 华盛's team only (seed/demo.json).
    rep = bearer(production.url, token({"sub": "qian", "role": "rep", "rep_id": "rep-qian-bo"}))
    assert data_of(await rep(HUASHENG))["party"]["name"] == "华盛金融集团"
    assert error_codes(await rep(CIMC)) == ["NOT_FOUND"]
    admin = bearer(production.url, token({"sub": "ops", "role": "ADMIN"}))
    assert data_of(await admin(CIMC))["party"]["name"] == "中集集团"


def _unsigned(claims: dict[str, object]) -> str:
    return jwt.encode({**claims, "exp": int(time.time()) + 60}, None, algorithm="none")


# Made when the test runs, not when the module loads: a long session must not expire them.
BAD_TOKENS: list[tuple[Callable[[], str], str]] = [
    (lambda: token({"sub": "x", "role": "admin"}, ttl_s=-120), "expired"),
    (lambda: token({"sub": "x", "role": "admin"}, secret="another-" + "x" * 40), "Signature"),
    (lambda: token({"sub": "x"}), "role must be"),
    (lambda: token({"sub": "x", "role": "boss"}), "role must be"),
    (lambda: token({"sub": "x", "role": "rep"}), "needs a rep_id"),
    (lambda: token({"role": "admin"}), "sub"),
    (lambda: jwt.encode({"sub": "x", "role": "admin"}, JWT_SECRET, algorithm="HS256"), "exp"),
    (lambda: _unsigned({"sub": "x", "role": "admin"}), "algorithm"),
]


@pytest.mark.parametrize(("make", "reason"), BAD_TOKENS, ids=[r for _, r in BAD_TOKENS])
async def test_bad_tokens_are_refused(
    production: LiveServer, make: Callable[[], str], reason: str
) -> None:
    assert reason in await refused(bearer(production.url, make()))


async def test_rs256_tokens_with_a_public_key(db: Database, neo4j_uri: str, tmp_path: Path) -> None:
    await db.demo()
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key_file = tmp_path / "jwt.pem"
    key_file.write_text(public_pem)
    settings = settings_for(
        neo4j_uri, mode="production", jwt_public_key_file=key_file, jwt_issuer="crm"
    )
    live = LiveServer(settings).start()
    try:
        now = int(time.time())
        claims = {"sub": "ops", "role": "admin", "iss": "crm", "exp": now + 60}
        good = jwt.encode(claims, private, algorithm="RS256")
        assert data_of(await bearer(live.url, good)(CIMC))["party"]["id"] == "org-cimc"
        wrong_issuer = jwt.encode({**claims, "iss": "other"}, private, algorithm="RS256")
        assert "issuer" in await refused(bearer(live.url, wrong_issuer))
        # The public key used as an HMAC secret (algorithm confusion) is no credential.
        confused = hs256_by_hand(claims, public_pem.encode())
        assert "algorithm 'HS256'" in await refused(bearer(live.url, confused))
    finally:
        live.stop()


def hs256_by_hand(claims: dict[str, object], secret: bytes) -> str:
    """A token signed with any bytes as the HMAC secret (pyjwt refuses a PEM key for that)."""

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signed = f"{b64(orjson.dumps({'alg': 'HS256', 'typ': 'JWT'}))}.{b64(orjson.dumps(claims))}"
    mac = hmac.new(secret, signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{b64(mac)}"


async def test_production_without_credentials_configured_refuses_everything(
    db: Database, neo4j_uri: str, caplog: pytest.LogCaptureFixture
) -> None:
    await db.demo()
    with caplog.at_level(logging.ERROR, logger="graph_api"):
        live = LiveServer(settings_for(neo4j_uri, mode="production")).start()
    try:
        assert any("PRODUCTION MODE WITHOUT CREDENTIALS" in r.message for r in caplog.records)
        for caller in (Caller(live.url, {}), Caller(live.url, {"X-API-Key": "anything"})):
            assert "not configured" in await refused(caller)
        # Health probes need no credentials.
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{live.url}/healthz")).status_code == 200
    finally:
        live.stop()


def test_key_configuration_is_checked_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="needs a repId"):
        Settings(api_keys=[{"sha256": "a" * 64, "subject": "x", "role": "REP"}])
    with pytest.raises(ValidationError, match="sha256"):
        Settings(api_keys=[{"sha256": "not-a-hash", "subject": "x", "role": "ADMIN"}])
    with pytest.raises(AuthConfigurationError, match="shorter than 32"):
        Authenticator(Settings(jwt_secret="short"))
    with pytest.raises(AuthConfigurationError, match="PEM"):
        Authenticator(Settings(jwt_public_key="not a key"))
    keys = tmp_path / "keys.json"
    keys.write_bytes(
        orjson.dumps([{"sha256": key_hash("k1"), "subject": "s", "role": "rep", "repId": "r"}])
    )
    auth = Authenticator(Settings(mode="production", api_keys_file=keys))
    assert auth.authenticate({"x-api-key": "k1"}) == Viewer("s", Role.REP, "r")
    with pytest.raises(Unauthenticated):
        auth.authenticate({"x-api-key": "k2"})
    keys.write_text("[{")
    with pytest.raises(AuthConfigurationError, match="GRAPH_API_API_KEYS_FILE"):
        Authenticator(Settings(api_keys_file=keys))
    with pytest.raises(AuthConfigurationError, match="cannot read"):
        Authenticator(Settings(api_keys_file=tmp_path / "missing.json"))


# ----- development mode -----


async def test_development_mode_is_open_and_says_so(db: Database, server: LiveServer) -> None:
    await db.demo()
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{server.url}/graphql", json={"query": CIMC})
        page = await client.get(f"{server.url}/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "OPEN" in response.headers[DEVELOPMENT_HEADER]
    assert "OPEN" in response.json()["extensions"]["development"]
    assert response.json()["data"]["party"]["id"] == "org-cimc"
    assert page.status_code == 200 and "graphiql" in page.text.lower()


# ----- introspection and GraphiQL -----

INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_and_graphiql_are_off_in_production(
    db: Database, production: LiveServer, gql: GraphQLClient
) -> None:
    await db.demo()
    admin = as_key(production.url, "admin")
    body = await admin(INTROSPECTION)
    assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection" in body["errors"][0]["message"]
    assert data_of(await admin("{ __typename }")) == {"__typename": "Query"}
    async with httpx.AsyncClient() as client:
        page = await client.get(f"{production.url}/graphql", headers={"accept": "text/html"})
        docs = await client.get(f"{production.url}/docs")
    assert page.status_code == 404 and "graphiql" not in page.text.lower()
    assert docs.status_code == 404
    # Development (the session's server) has both.
    assert data_of(await gql(INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_and_graphiql_can_be_enabled_in_production(
    db: Database, neo4j_uri: str
) -> None:
    await db.demo()
    live = LiveServer(production_settings(neo4j_uri, introspection=True, graphiql=True)).start()
    try:
        async with httpx.AsyncClient() as client:
            page = await client.get(f"{live.url}/graphql", headers={"accept": "text/html"})
        # The page loads without credentials; what it asks is authenticated.
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        assert "X-API-Key" in await refused(Caller(live.url, {}), INTROSPECTION)
        body = await as_key(live.url, "admin")(INTROSPECTION)
        assert data_of(body)["__schema"]["queryType"]["name"] == "Query"
    finally:
        live.stop()


# ----- limits -----


def nested(field: str, levels: int, leaf: str = "id") -> str:
    out = leaf
    for _ in range(levels):
        out = f"{field} {{ {out} }}"
    return out


async def limit_error(
    caller: Caller, query: str, variables: dict[str, object] | None = None
) -> dict[str, object]:
    body = await caller(query, variables)
    assert body.get("data") is None, body
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"], body
    ext: dict[str, object] = body["errors"][0]["extensions"]
    assert str(ext["limit"]) in body["errors"][0]["message"]
    assert str(ext["maximum"]) in body["errors"][0]["message"]
    return ext


async def test_deep_aliased_long_and_costly_queries_are_refused(
    db: Database, production: LiveServer
) -> None:
    await db.demo()
    admin = as_key(production.url, "admin")
    # party, then 12 parents: 13 levels (single objects: cheap, only too deep).
    deep = '{ party(id: "org-huasheng-bj") { ... on Organization { %s } } }'
    ext = await limit_error(admin, deep % nested("parent", 12))
    assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_DEPTH", 12, 13)
    # One level less is served.
    data_of(await admin(deep % nested("parent", 11)))

    def aliased(count: int) -> str:
        return "{ " + " ".join(f'a{i}: party(id: "org-cimc") {{ id }}' for i in range(count)) + " }"

    ext = await limit_error(admin, aliased(31))
    assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_ALIASES", 30, 31)
    data_of(await admin(aliased(30)))

    long = "{ " + "__typename " * 2500 + "}"
    ext = await limit_error(admin, long)
    assert (ext["limit"], ext["maximum"]) == ("GRAPH_API_MAX_TOKENS", 2000)

    # Relatives of relatives of relatives of 100 search results. Innermost person { id }: 2;
    # household { relation person }: 1 + 10 x (1 + 2) = 31; its person { id household }: 33;
    # household: 1 + 10 x 34 = 341; person: 343; household: 1 + 10 x 344 = 3441; node
    # { id household }: 1 + 3442 = 3443; edges: 3444; search: 1 + 100 x 3444 = 344401.
    costly = f"""
    query ($first: Int) {{
      search(text: "张", first: $first) {{
        edges {{ node {{ ... on Person {{ {nested_household(3)} }} }} }}
      }}
    }}"""
    ext = await limit_error(admin, costly, {"first": 100})
    assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_COST", 100000, 344401)
    # The cost follows the variables: with one result it is 1 + 3444.
    data_of(await admin(costly, {"first": 1}))


def nested_household(levels: int) -> str:
    out = "id"
    for _ in range(levels):
        out = f"id household {{ relation person {{ {out} }} }}"
    return out


async def test_limits_are_configurable(db: Database, neo4j_uri: str) -> None:
    await db.demo()
    settings = settings_for(neo4j_uri, max_depth=3, max_aliases=1, max_tokens=40, max_cost=25)
    live = LiveServer(settings).start()
    try:
        ask = Caller(live.url, {})
        managers = nested("managers", 3)
        deep = f'{{ party(id: "p-sun-wei") {{ ... on Person {{ {managers} }} }} }}'
        ext = await limit_error(ask, deep)
        assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_DEPTH", 3, 4)
        ext = await limit_error(ask, '{ a: party(id: "x") { id } b: party(id: "y") { id } }')
        assert (ext["limit"], ext["value"]) == ("GRAPH_API_MAX_ALIASES", 2)
        ext = await limit_error(ask, "{ " + "__typename " * 41 + "}")
        assert ext["limit"] == "GRAPH_API_MAX_TOKENS"
        # node { id name }: 3; edges (counted once): 4; search: 1 + first x 4.
        search = '{ search(text: "张", first: %d) { edges { node { id name } } } }'
        ext = await limit_error(ask, search % 7)
        assert (ext["limit"], ext["maximum"], ext["value"]) == ("GRAPH_API_MAX_COST", 25, 29)
        data_of(await ask(search % 6))
    finally:
        live.stop()


async def test_page_sizes_are_limited(db: Database, production: LiveServer) -> None:
    await db.demo()
    body = await as_key(production.url, "admin")(
        '{ search(text: "张", first: 101) { totalCount } }'
    )
    assert error_codes(body) == ["INVALID_INPUT"]
    assert (body["errors"][0]["extensions"]["field"], body["errors"][0]["extensions"]["value"]) == (
        "first",
        101,
    )


def test_new_key_prints_a_key_and_its_entry(capsys: pytest.CaptureFixture[str]) -> None:
    from graph_api.cli import main

    assert main(["new-key", "--subject", "crm-web", "--role", "rep", "--rep-id", "rep-x"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    key, entry = lines[1], orjson.loads(lines[3])
    assert entry == {"sha256": key_hash(key), "subject": "crm-web", "role": "REP", "repId": "rep-x"}
    auth = Authenticator(Settings(mode="production", api_keys=[entry]))
    assert auth.authenticate({"authorization": f"Bearer {key}"}) == Viewer(
        "crm-web", Role.REP, "rep-x"
    )
    assert main(["new-key", "--subject", "x", "--role", "manager"]) == 2


async def test_a_request_body_over_the_limit_is_refused_before_it_is_read(
    db: Database, neo4j_uri: str
) -> None:
    # GRAPH_API_MAX_REQUEST_BYTES: by Content-Length, and for a chunked body (no length
    # given) as soon as the bytes received pass the limit; HTTP 413 with the limit named.
    await db.demo()
    live = LiveServer(settings_for(neo4j_uri, max_request_bytes=5000)).start()
    try:
        padding = "#" + "x" * 6000 + "\n"  # a comment: the document is valid GraphQL
        async with httpx.AsyncClient(timeout=30) as client:
            small = await client.post(f"{live.url}/graphql", json={"query": CIMC})
            assert small.status_code == 200 and data_of(small.json())["party"]["id"] == "org-cimc"

            big = await client.post(f"{live.url}/graphql", json={"query": padding + CIMC})
            assert big.status_code == 413
            error = big.json()["errors"][0]
            assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
            assert error["extensions"]["limit"] == "GRAPH_API_MAX_REQUEST_BYTES"
            assert error["extensions"]["maximum"] == 5000
            assert "GRAPH_API_MAX_REQUEST_BYTES = 5000" in error["message"]

            payload = orjson.dumps({"query": padding + CIMC})

            async def chunks() -> Any:
                for i in range(0, len(payload), 1000):
                    yield payload[i : i + 1000]

            chunked = await client.post(
                f"{live.url}/graphql",
                content=chunks(),
                headers={"content-type": "application/json"},
            )
            assert chunked.status_code == 413
            assert chunked.json()["errors"][0]["extensions"]["value"] > 5000
    finally:
        live.stop()
