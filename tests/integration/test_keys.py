"""API keys stored (hashed) in Neo4j: created, listed and revoked by admins through the API and
the CLI, effective without a restart; the environment's keys keep working beside them."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.api.auth import Authenticator, key_hash
from graph_api.domain.access import Role, Viewer
from graph_api.domain.errors import Unauthenticated
from graph_api.services.api_keys import StoredKeys, create_key, revoke_key
from graph_api.store.neo4j_store import Store
from tests.conftest import Database, LiveServer, data_of, error_codes, run_cli, settings_for
from tests.principals import Caller, as_key, production_settings

CREATE = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    key apiKey { id prefix subject role repId label createdBy revokedAt }
  }
}"""
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt revokedBy } }"
LIST = "query($all: Boolean!) { apiKeys(includeRevoked: $all) { id subject role revokedAt } }"
# A read any authenticated caller may make: the party is in the demo data.
READ = '{ party(id: "p-zhang-li") { id } }'


def with_key(url: str, key: str) -> Caller:
    return Caller(url, {"X-API-Key": key})


async def status_of(caller: Caller) -> int:
    return (await caller.post(READ)).status_code


async def create(url: str, **given: Any) -> dict[str, Any]:
    body = await as_key(url, "admin")(CREATE, {"input": given})
    created: dict[str, Any] = data_of(body)["createApiKey"]
    return created


async def test_a_created_key_works_at_once_and_a_revoked_one_is_refused_at_once(
    db: Database, production: LiveServer, store: Store
) -> None:
    await db.demo()
    db.dirty()
    created = await create(
        production.url, subject="crm-sync", role="REP", repId="rep-liu-yang", label="nightly"
    )
    key, record = created["key"], created["apiKey"]
    assert record["subject"] == "crm-sync" and record["role"] == "REP"
    assert record["repId"] == "rep-liu-yang" and record["label"] == "nightly"
    assert record["createdBy"] == "ops" and record["revokedAt"] is None
    assert key.startswith(record["prefix"]) and len(record["prefix"]) < len(key) // 4

    # Only the hash is stored: no property of the node holds the key.
    (stored,) = await store.read(
        "MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p", {"id": record["id"]}
    )
    assert stored["p"]["sha256"] == key_hash(key)
    assert key not in [str(v) for v in stored["p"].values()]

    assert await status_of(with_key(production.url, key)) == 200
    bearer = Caller(production.url, {"Authorization": f"Bearer {key}"})
    assert await status_of(bearer) == 200

    listed = data_of(await as_key(production.url, "admin")(LIST, {"all": False}))["apiKeys"]
    assert {"id": record["id"], "subject": "crm-sync", "role": "REP", "revokedAt": None} in listed

    revoked = data_of(await as_key(production.url, "admin")(REVOKE, {"id": record["id"]}))
    assert revoked["revokeApiKey"]["revokedBy"] == "ops"
    assert revoked["revokeApiKey"]["revokedAt"] is not None
    # Refused on the next request of the process that revoked (no restart, no wait).
    assert await status_of(with_key(production.url, key)) == 401
    assert await status_of(bearer) == 401

    listed = data_of(await as_key(production.url, "admin")(LIST, {"all": False}))["apiKeys"]
    assert record["id"] not in [k["id"] for k in listed]
    listed = data_of(await as_key(production.url, "admin")(LIST, {"all": True}))["apiKeys"]
    assert record["id"] in [k["id"] for k in listed]
    # Revoking again changes nothing: the first revocation stands.
    again = data_of(await as_key(production.url, "admin")(REVOKE, {"id": record["id"]}))
    assert again["revokeApiKey"] == revoked["revokeApiKey"]


async def test_a_stored_admin_key_manages_keys_and_the_environment_keys_still_work(
    db: Database, production: LiveServer
) -> None:
    await db.demo()
    db.dirty()
    admin = (await create(production.url, subject="second-admin", role="ADMIN"))["key"]
    made = data_of(
        await with_key(production.url, admin)(
            CREATE, {"input": {"subject": "m", "role": "MANAGER", "repId": "rep-ma-jun"}}
        )
    )["createApiKey"]
    assert made["apiKey"]["createdBy"] == "second-admin"
    assert await status_of(with_key(production.url, made["key"])) == 200
    assert await status_of(as_key(production.url, "demo-rep")) == 200


async def test_only_an_admin_manages_keys(db: Database, production: LiveServer) -> None:
    await db.demo()
    for name in ("demo-rep", "demo-manager"):
        caller = as_key(production.url, name)
        body = await caller(CREATE, {"input": {"subject": "x", "role": "ADMIN"}})
        assert error_codes(body) == ["FORBIDDEN"] and body["data"] is None
        assert error_codes(await caller(LIST, {"all": True})) == ["FORBIDDEN"]
        assert error_codes(await caller(REVOKE, {"id": "key-whatever"})) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("given", "field", "value"),
    [
        ({"subject": "r", "role": "REP"}, "input.repId", None),
        ({"subject": "", "role": "ADMIN"}, "input.subject", ""),
        ({"subject": " padded ", "role": "ADMIN"}, "input.subject", " padded "),
        ({"subject": "s" * 201, "role": "ADMIN"}, "input.subject", "s" * 201),
        ({"subject": "r", "role": "REP", "repId": ""}, "input.repId", ""),
        ({"subject": "r", "role": "ADMIN", "label": ""}, "input.label", ""),
    ],
)
async def test_bad_input_names_the_field_and_stores_nothing(
    db: Database,
    production: LiveServer,
    store: Store,
    given: dict[str, Any],
    field: str,
    value: Any,
) -> None:
    await db.demo()
    before = await store.read("MATCH (k:ApiKey) RETURN count(k) AS n")
    body = await as_key(production.url, "admin")(CREATE, {"input": given})
    assert error_codes(body) == ["INVALID_INPUT"], body
    extensions = body["errors"][0]["extensions"]
    assert extensions["field"] == field and extensions.get("value") == value
    after = await store.read("MATCH (k:ApiKey) RETURN count(k) AS n")
    assert after[0]["n"] == before[0]["n"]


async def test_revoking_an_unknown_key_is_not_found(db: Database, production: LiveServer) -> None:
    await db.demo()
    body = await as_key(production.url, "admin")(REVOKE, {"id": "key-nope"})
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["errors"][0]["extensions"]["field"] == "id"
    assert body["errors"][0]["extensions"]["value"] == "key-nope"


async def test_another_process_refuses_a_revoked_key_after_its_cache_time(
    db: Database, production: LiveServer, neo4j_uri: str
) -> None:
    """A second service on the same database: with GRAPH_API_API_KEY_CACHE_S=0 it asks the
    database on every request, so the revocation made through the first one is seen by the
    very next request (the default, 5 s, bounds the delay the same way)."""
    await db.demo()
    db.dirty()
    other = LiveServer(production_settings(neo4j_uri, api_key_cache_s=0)).start()
    try:
        created = await create(production.url, subject="replica-user", role="ADMIN")
        assert await status_of(with_key(other.url, created["key"])) == 200
        await as_key(production.url, "admin")(REVOKE, {"id": created["apiKey"]["id"]})
        assert await status_of(with_key(other.url, created["key"])) == 401
    finally:
        other.stop()


async def test_the_cache_trusts_a_found_key_until_it_expires_or_is_forgotten(
    db: Database, store: Store
) -> None:
    """What another process sees between a revocation and the end of its cache time: the
    key still works from its cache (never longer than `ttl_s`); the revoking process forgets
    it at once."""
    await db.empty()
    key, stored = await create_key(
        store, subject="cached", role="REP", rep_id="rep-x", label=None, by="test"
    )
    digest = key_hash(key)
    remote, local = StoredKeys(ttl_s=3600), StoredKeys(ttl_s=3600)
    viewer = Viewer("cached", Role.REP, "rep-x")
    assert await remote.viewer(store, digest) == viewer
    assert await local.viewer(store, digest) == viewer
    await revoke_key(store, stored.id, by="test", cache=local)
    assert await local.viewer(store, digest) is None
    assert await remote.viewer(store, digest) == viewer
    assert await StoredKeys(ttl_s=0).viewer(store, digest) is None


async def test_the_cli_creates_lists_and_revokes_keys(
    db: Database,
    store: Store,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await db.empty()
    auth = Authenticator(settings_for(neo4j_uri, mode="production"))
    code = await run_cli(
        neo4j_uri, monkeypatch, "keys", "create", "--subject", "etl", "--role", "rep",
        "--rep-id", "rep-etl", "--label", "warehouse",
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    key = out[1].strip()
    key_id = out[2].split()[0]
    assert await auth.authenticate_with({"x-api-key": key}, store) == Viewer(
        "etl", Role.REP, "rep-etl"
    )

    assert await run_cli(neo4j_uri, monkeypatch, "keys", "list") == 0
    listed = capsys.readouterr().out
    assert key_id in listed and "etl" in listed and "warehouse" in listed and key not in listed

    assert await run_cli(neo4j_uri, monkeypatch, "keys", "revoke", key_id) == 0
    assert "revoked" in capsys.readouterr().out
    fresh = Authenticator(settings_for(neo4j_uri, mode="production"))
    with pytest.raises(Unauthenticated, match="unknown API key"):
        await fresh.authenticate_with({"x-api-key": key}, store)

    assert await run_cli(neo4j_uri, monkeypatch, "keys", "list") == 0
    assert key_id not in capsys.readouterr().out
    assert await run_cli(neo4j_uri, monkeypatch, "keys", "list", "--all") == 0
    assert key_id in capsys.readouterr().out

    assert await run_cli(neo4j_uri, monkeypatch, "keys", "revoke", "key-nope") == 3
    assert "no API key with id 'key-nope'" in capsys.readouterr().err
    code = await run_cli(
        neo4j_uri, monkeypatch, "keys", "create", "--subject", "m", "--role", "manager"
    )
    assert code == 3
    assert "repId" in capsys.readouterr().err


CREATE_HOOK = """
mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id cursor } } }"""
DISABLE_HOOK = """
mutation($id: ID!) { updateWebhook(input: {id: $id, enabled: false}) { id enabled cursor } }"""


async def _counts(store: Store) -> dict[str, int]:
    (row,) = await store.read(
        "RETURN COUNT { (:ApiKey) } AS ApiKey, COUNT { (:Webhook) } AS Webhook, "
        "COUNT { (:FeedSequence) } AS FeedSequence, COUNT { (:Party) } AS parties"
    )
    return {k: int(row[k]) for k in ("ApiKey", "Webhook", "FeedSequence", "parties")}


async def test_a_reset_keeps_the_stored_keys_and_webhooks_and_reset_all_does_not(
    db: Database,
    production: LiveServer,
    store: Store,
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `seed --reset` deleted the API keys and webhooks with the customer data: a reset of the
    # data locked every integration out. Now it keeps them (and the feed's position, so that
    # the kept webhook's cursor still comes before the changes written after the reset);
    # `--reset-all` deletes them too.
    await db.demo()
    db.dirty()
    admin = as_key(production.url, "admin")
    key = (await create(production.url, subject="crm-sync", role="ADMIN"))["key"]
    hook = data_of(
        await admin(
            CREATE_HOOK,
            {"input": {"url": "http://127.0.0.1:9/hook", "eventTypes": ["people"],
                       "description": "kept by a reset"}},
        )
    )["createWebhook"]["webhook"]  # fmt: skip
    data_of(await admin(DISABLE_HOOK, {"id": hook["id"]}))  # nothing delivered: cursor stays
    (before,) = await store.read("MATCH (s:FeedSequence) RETURN s.position AS p")
    (stored,) = await store.read("MATCH (w:Webhook) RETURN w.cursor AS cursor")
    assert (await _counts(store))["ApiKey"] == 1

    assert await run_cli(neo4j_uri, monkeypatch, "seed", "--reset") == 0
    counts = await _counts(store)
    assert (counts["ApiKey"], counts["Webhook"], counts["FeedSequence"]) == (1, 1, 1)
    assert counts["parties"] > 0  # the demo again
    fresh = Authenticator(settings_for(neo4j_uri, mode="production"))
    assert (await fresh.authenticate_with({"x-api-key": key}, store)).subject == "crm-sync"
    (kept,) = await store.read("MATCH (w:Webhook) RETURN w.id AS id, w.cursor AS cursor")
    assert (kept["id"], kept["cursor"]) == (hook["id"], stored["cursor"])
    # The feed's changes of the new load come after the kept cursor.
    (first,) = await store.read("MATCH (c:Change) RETURN min(c.position) AS p")
    assert first["p"] > before["p"] >= kept["cursor"]

    assert await run_cli(neo4j_uri, monkeypatch, "seed", "--reset-all") == 0
    counts = await _counts(store)
    assert (counts["ApiKey"], counts["Webhook"]) == (0, 0)
    assert counts["parties"] > 0
    with pytest.raises(Unauthenticated, match="unknown API key"):
        await Authenticator(settings_for(neo4j_uri, mode="production")).authenticate_with(
            {"x-api-key": key}, store
        )
