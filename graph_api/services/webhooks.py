"""Webhooks: registrations managed by admins, and the delivery worker every service process
runs.

The queue is the change feed (services/feed.py): a webhook keeps only its cursor, the feed
position up to which every change it wants is delivered or dead-lettered. The worker of each
process claims a lease on a webhook in Neo4j (an atomic claim with its owner id and an expiry
on the database's clock, renewed while it works), so that exactly one process delivers a
webhook at a time, then POSTs the changes after the cursor one by one, in feed order, each
signed (`X-Graph-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, Stripe's
scheme) and with its delivery id (`X-Graph-Delivery`, the same on every retry, for the
receiver's deduplication). A failed try waits min(cap, base * factor^(n-1)) seconds before
the next; after `webhook_max_attempts` the delivery is dead-lettered and the worker goes on.
The cursor moves only with a delivery's final outcome, in the transaction that records it
and only while the lease is held: a restarted process resumes after the last recorded fate,
and a change is delivered at least once (twice only when a holder lost its lease in the
middle of a delivery: the receiver deduplicates by the delivery id).

Webhooks are the service's configuration, not party data: an admin manages them and the
worker delivers every change as an admin reads it (the raw store, as the API keys).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from graph_api import __version__
from graph_api.config import Settings
from graph_api.domain.access import Access, Role, Viewer
from graph_api.domain.errors import Conflict, InvalidInput, NotFound, Unavailable
from graph_api.domain.feed import FeedChange
from graph_api.domain.webhooks import (
    CHANGE,
    RESYNC,
    Attempt,
    Delivery,
    DeliveryStatus,
    Webhook,
)
from graph_api.metrics import WEBHOOK_ATTEMPTS, WEBHOOK_SECONDS
from graph_api.services import feed
from graph_api.services.access import require_admin
from graph_api.services.pagination import check_first, decode_cursor, encode_cursor
from graph_api.store.mapping import to_datetime
from graph_api.store.neo4j_store import Store
from graph_api.store.scoped import ScopedStore

log = logging.getLogger("graph_api.webhooks")

SIGNATURE_HEADER = "X-Graph-Signature"
DELIVERY_HEADER = "X-Graph-Delivery"
WEBHOOK_HEADER = "X-Graph-Webhook"
MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 500
SECRET_LENGTHS = (16, 200)
DELIVERIES_CURSOR = "webhookDeliveries"
# The worker reads the feed as an admin: a webhook gets every change, unmasked.
WORKER_VIEWER = Viewer(subject="webhooks", role=Role.ADMIN)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256>` of
    `<t>.<body>` with the webhook's secret (a receiver checks it and the age of `t`)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def backoff_s(settings: Settings, tries: int) -> float:
    """The wait after the `tries`-th failed try (1, 2, ...)."""
    delay = settings.webhook_backoff_base_s * settings.webhook_backoff_factor ** (tries - 1)
    return float(min(settings.webhook_backoff_cap_s, delay))


# ----- mapping -----


def _instant(value: Any) -> datetime | None:
    return to_datetime(value)


def webhook_of(props: Mapping[str, Any]) -> Webhook:
    created = _instant(props["createdAt"])
    updated = _instant(props.get("updatedAt")) or created
    assert created is not None and updated is not None
    party_ids = props.get("partyIds")
    return Webhook(
        id=props["id"],
        url=props["url"],
        event_types=tuple(props.get("eventTypes") or ()),
        party_ids=None if party_ids is None else tuple(party_ids),
        description=props.get("description") or "",
        enabled=bool(props.get("enabled")),
        created_at=created,
        created_by=props["createdBy"],
        updated_at=updated,
        updated_by=props.get("updatedBy") or props["createdBy"],
        cursor=int(props.get("cursor") or 0),
        lease_owner=props.get("leaseOwner"),
        lease_until=_instant(props.get("leaseUntil")),
    )


def delivery_of(props: Mapping[str, Any]) -> Delivery:
    created = _instant(props["createdAt"])
    assert created is not None
    attempts = []
    for raw in props.get("attemptLog") or ():
        a = orjson.loads(raw)
        at = _instant(a["at"])
        assert at is not None
        attempts.append(Attempt(at, a.get("statusCode"), a.get("error"), float(a["durationMs"])))
    return Delivery(
        id=props["id"],
        webhook_id=props["webhookId"],
        kind=props.get("kind") or CHANGE,
        position=int(props["position"]),
        change_id=props.get("changeId"),
        type=props.get("type") or "",
        status=DeliveryStatus(props.get("status") or DeliveryStatus.PENDING.value),
        attempts=tuple(attempts),
        tries=int(props.get("tries") or 0),
        created_at=created,
        next_attempt_at=_instant(props.get("nextAttemptAt")),
        delivered_at=_instant(props.get("deliveredAt")),
        dead_at=_instant(props.get("deadAt")),
        replays=int(props.get("replays") or 0),
        payload=props.get("payload") or "{}",
    )


def change_body(change: FeedChange) -> dict[str, Any]:
    """The change as the feed shows it (the fields of `Change` in the API), with its cursor."""
    return {
        "cursor": feed.cursor_of(change.position),
        "position": change.position,
        "id": change.id,
        "at": change.at.isoformat(),
        "who": change.who,
        "mutation": change.mutation,
        "action": change.action,
        "type": change.type,
        "key": dict(change.key),
        "version": change.version,
        "changes": [
            {"field": c.field, "before": c.before, "after": c.after} for c in change.changes
        ],
        "partyIds": list(change.party_ids),
        "requestId": change.request_id,
    }


# ----- validation -----


def _bad(field: str, value: Any, why: str) -> InvalidInput:
    return InvalidInput(f"{field} {why}, got {value!r}", field=field, value=value)


def check_url(url: str, field: str = "input.url") -> str:
    """An absolute http or https URL with a host (nothing else is ever called)."""
    if not url or len(url) > MAX_URL_LENGTH or url != url.strip() or any(c.isspace() for c in url):
        raise _bad(field, url, f"must be an http(s) URL of 1 to {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        raise _bad(field, url, "is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _bad(field, url, "must be an http or https URL")
    if not parts.hostname:
        raise _bad(field, url, "must name a host")
    if parts.fragment:
        raise _bad(field, url, "must have no #fragment")
    return url


def check_event_types(types: Sequence[str], field: str = "input.eventTypes") -> list[str]:
    if not types:
        raise InvalidInput(
            f"{field} must name at least one change type ({', '.join(feed.CHANGE_TYPES)})",
            field=field,
            value="[]",
        )
    checked = feed.check_types(types, field)
    assert checked is not None
    return checked


def check_secret(secret: str, field: str = "input.secret") -> str:
    low, high = SECRET_LENGTHS
    if not low <= len(secret) <= high or secret != secret.strip():
        # Never echo a secret back, even a refused one.
        raise InvalidInput(
            f"{field} must hold {low} to {high} characters without outer spaces, got "
            f"{len(secret)} characters",
            field=field,
            value=len(secret),
        )
    return secret


def check_description(description: str, field: str = "input.description") -> str:
    if not 1 <= len(description.strip()) <= MAX_DESCRIPTION_LENGTH:
        raise _bad(field, description, f"must hold 1 to {MAX_DESCRIPTION_LENGTH} characters")
    return description


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


# ----- administration -----


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    edges: tuple[tuple[str, Delivery], ...]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.edges[-1][0] if self.edges else None

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0][0] if self.edges else None


_UNSET: Any = object()


class WebhookAdmin:
    """The webhooks as an admin of the API manages them (FORBIDDEN for anyone else)."""

    def __init__(self, store: Store, viewer: Viewer, settings: Settings) -> None:
        require_admin(viewer, "webhooks")
        self._store = store
        self._viewer = viewer
        self._settings = settings

    async def create(
        self,
        url: str,
        event_types: Sequence[str],
        party_ids: Sequence[str] | None,
        secret: str | None,
        description: str,
    ) -> tuple[str | None, Webhook]:
        """The new webhook, and its secret when the service made it (shown this once)."""
        used = new_secret() if secret is None else check_secret(secret)
        params = {
            "id": "wh-" + secrets.token_hex(8),
            "url": check_url(url),
            "eventTypes": check_event_types(event_types),
            "partyIds": self._party_ids(party_ids),
            "secret": used,
            "description": check_description(description),
            "now": datetime.now(UTC),
            "by": self._viewer.subject,
        }
        records = await self._store.write("webhooks.create", params)
        return (used if secret is None else None), webhook_of(records[0]["props"])

    def _party_ids(self, party_ids: Sequence[str] | None) -> list[str] | None:
        checked = feed.check_party_ids(party_ids, self._settings, "input.partyIds")
        if checked is not None and not checked:
            raise InvalidInput(
                "input.partyIds must name at least one party, or be null for every party",
                field="input.partyIds",
                value="[]",
            )
        return checked

    async def update(
        self,
        webhook_id: str,
        *,
        url: Any = _UNSET,
        event_types: Any = _UNSET,
        party_ids: Any = _UNSET,
        secret: Any = _UNSET,
        description: Any = _UNSET,
        enabled: Any = _UNSET,
    ) -> Webhook:
        """Changes what is given (None for party_ids: every party); anything else is kept."""
        changes: dict[str, Any] = {}
        if url is not _UNSET:
            changes["url"] = check_url(url)
        if event_types is not _UNSET:
            changes["eventTypes"] = check_event_types(event_types)
        if party_ids is not _UNSET:
            changes["partyIds"] = self._party_ids(party_ids)
        if secret is not _UNSET:
            changes["secret"] = check_secret(secret)
        if description is not _UNSET:
            changes["description"] = check_description(description)
        if enabled is not _UNSET:
            changes["enabled"] = bool(enabled)
        records = await self._store.write(
            "webhooks.update",
            {
                "id": webhook_id,
                "set": changes,
                "now": datetime.now(UTC),
                "by": self._viewer.subject,
            },
        )
        if not records:
            raise NotFound(f"no webhook with id {webhook_id!r}", field="input.id", value=webhook_id)
        return webhook_of(records[0]["props"])

    async def delete(self, webhook_id: str) -> Webhook:
        records = await self._store.write("webhooks.delete", {"id": webhook_id})
        if not records:
            raise NotFound(f"no webhook with id {webhook_id!r}", field="id", value=webhook_id)
        return webhook_of(records[0]["props"])

    async def webhooks(self, include_disabled: bool) -> list[Webhook]:
        records = await self._store.read("webhooks.list", {"includeDisabled": include_disabled})
        return [webhook_of(r["props"]) for r in records]

    async def _known(self, webhook_id: str, field: str) -> None:
        if await self._store.read_one("webhooks.get", {"id": webhook_id}) is None:
            raise NotFound(f"no webhook with id {webhook_id!r}", field=field, value=webhook_id)

    async def deliveries(
        self,
        webhook_id: str,
        status: DeliveryStatus | None,
        first: int | None,
        after: str | None,
    ) -> DeliveryPage:
        """The webhook's delivery log, newest first (by feed position)."""
        size = check_first(first, self._settings)
        position: int | None = None
        delivery_id: str | None = None
        if after is not None:
            position, delivery_id = decode_cursor(DELIVERIES_CURSOR, after, (int, str))
        await self._known(webhook_id, "webhookId")
        records = await self._store.read(
            "webhooks.deliveries",
            {
                "id": webhook_id,
                "status": None if status is None else status.value,
                "position": position,
                "deliveryId": delivery_id,
                "first": size,
            },
        )
        found = [delivery_of(r["props"]) for r in records]
        return DeliveryPage(
            edges=tuple(
                (encode_cursor(DELIVERIES_CURSOR, [d.position, d.id]), d) for d in found[:size]
            ),
            has_next_page=len(found) > size,
        )

    async def dead_letters(self, webhook_id: str | None, first: int | None) -> list[Delivery]:
        size = check_first(first, self._settings)
        if webhook_id is not None:
            await self._known(webhook_id, "webhookId")
        records = await self._store.read("webhooks.dead_letters", {"id": webhook_id, "first": size})
        return [delivery_of(r["props"]) for r in records]

    async def replay(self, ids: Sequence[str]) -> list[Delivery]:
        """Puts dead letters back in their webhook's queue (all of them or, on an unknown id
        or one that is not dead, none)."""
        if not ids:
            raise InvalidInput("ids must name at least one delivery", field="ids", value="[]")
        if len(ids) > self._settings.max_page_size:
            raise InvalidInput(
                f"ids holds {len(ids)} deliveries, more than {self._settings.max_page_size} "
                "(GRAPH_API_MAX_PAGE_SIZE)",
                field="ids",
                value=len(ids),
            )
        wanted = list(dict.fromkeys(ids))
        records = await self._store.read("webhooks.by_ids", {"ids": wanted})
        found = {d.id: d for d in (delivery_of(r["props"]) for r in records)}
        for i in wanted:
            if i not in found:
                raise NotFound(f"no webhook delivery with id {i!r}", field="ids", value=i)
            if found[i].status is not DeliveryStatus.DEAD:
                raise Conflict(
                    f"delivery {i!r} is {found[i].status.value}, not a dead letter: only dead "
                    "letters are replayed",
                    field="ids",
                    value=i,
                )
        records = await self._store.write(
            "webhooks.replay", {"ids": wanted, "now": datetime.now(UTC), "by": self._viewer.subject}
        )
        replayed = {d.id: d for d in (delivery_of(r["props"]) for r in records)}
        missing = [i for i in wanted if i not in replayed]
        if missing:
            # Replayed by another admin between the check and the write: say so.
            raise Conflict(
                f"delivery {missing[0]!r} is no longer a dead letter", field="ids", value=missing[0]
            )
        return [replayed[i] for i in wanted]


async def holding_back(store: Store, before: datetime) -> list[tuple[str, str, int]]:
    """The enabled webhooks (id, url, cursor position) that keep changes older than `before`
    from being pruned: they have not delivered them yet."""
    records = await store.read("webhooks.holding", {"before": before})
    return [(r["id"], r["url"], int(r["cursor"])) for r in records]


async def prune_deliveries(store: Store, before: datetime) -> None:
    """Forgets the delivered entries of the log older than `before` (dead letters stay)."""
    await store.write_in_batches("webhooks.prune_delivered", {"before": before})


# ----- delivery -----


@dataclass(slots=True)
class _Hook:
    webhook: Webhook
    secret: str
    # Monotonic time when this process last took or renewed the lease.
    renewed: float


class DeliveryWorker:
    """Delivers the changes of the feed to the webhooks whose lease this process holds.

    `run()` loops until cancelled (the app's lifespan); `tick()` is one round (tests drive
    it): claim the free webhooks, then serve each of them concurrently.
    """

    def __init__(self, store: Store, settings: Settings, owner: str | None = None) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._reader = ScopedStore(store, Access.everything(WORKER_VIEWER))
        self._held: dict[str, _Hook] = {}
        self._client = httpx.AsyncClient(
            timeout=settings.webhook_timeout_s,
            follow_redirects=False,
            headers={"User-Agent": f"graph-api-webhooks/{__version__}"},
        )

    async def run(self) -> None:
        log.info("webhook delivery worker %s started", self.owner)
        waiting = False
        while True:
            try:
                await self.tick()
            except Unavailable as exc:
                # Said once: the readiness probe and the requests say the rest.
                if not waiting:
                    log.warning("webhook delivery waits for the database: %s", exc.message)
                waiting = True
            except Exception:
                log.exception("webhook delivery round failed; trying again")
            else:
                if waiting:
                    log.info("webhook delivery goes on: the database answers again")
                waiting = False
            await asyncio.sleep(self.settings.webhook_poll_s)

    async def close(self) -> None:
        """Gives back the leases this process holds (another takes over at once)."""
        for hook_id in list(self._held):
            with contextlib.suppress(Exception):
                await self.store.write("webhooks.release", {"id": hook_id, "owner": self.owner})
        self._held.clear()
        await self._client.aclose()

    async def tick(self) -> int:
        """One round; answers the number of delivery attempts made."""
        records = await self.store.read("webhooks.list", {"includeDisabled": False})
        now = datetime.now(UTC)
        mine: list[_Hook] = []
        listed = set()
        for r in records:
            props = r["props"]
            hook = webhook_of(props)
            listed.add(hook.id)
            held_elsewhere = (
                hook.lease_owner not in (None, self.owner)
                and hook.lease_until is not None
                and hook.lease_until > now
            )
            if held_elsewhere:
                self._held.pop(hook.id, None)
                continue
            held = self._held.get(hook.id)
            if (
                held is not None
                and hook.lease_owner == self.owner
                and time.monotonic() - held.renewed < self.settings.webhook_lease_s / 2
            ):
                # Still ours for at least half a lease: no write to renew it yet (the
                # registration as listed now: a changed URL or secret applies at once).
                held.webhook, held.secret = hook, props["secret"]
                mine.append(held)
                continue
            claimed = await self._claim(hook.id)
            if claimed is not None:
                mine.append(claimed)
        for gone in set(self._held) - listed:
            self._held.pop(gone, None)
        counts = await asyncio.gather(*(self._serve(h) for h in mine), return_exceptions=True)
        made = 0
        for held, count in zip(mine, counts, strict=True):
            if isinstance(count, BaseException):
                if isinstance(count, asyncio.CancelledError):
                    raise count
                log.error(
                    "webhook %s: delivery round failed: %r",
                    held.webhook.id,
                    count,
                    exc_info=count,
                )
            else:
                made += count
        return made

    async def _claim(self, hook_id: str) -> _Hook | None:
        records = await self.store.write(
            "webhooks.claim",
            {
                "id": hook_id,
                "owner": self.owner,
                "leaseMs": int(self.settings.webhook_lease_s * 1000),
            },
        )
        if not records:
            self._held.pop(hook_id, None)
            return None
        props = records[0]["props"]
        hook = _Hook(webhook_of(props), props["secret"], time.monotonic())
        self._held[hook_id] = hook
        return hook

    async def _renewed(self, hook: _Hook) -> bool:
        """Renews the lease when half of it has passed; False: it was lost."""
        if time.monotonic() - hook.renewed < self.settings.webhook_lease_s / 2:
            return True
        renewed = await self._claim(hook.webhook.id)
        if renewed is None:
            log.warning("webhook %s: lease lost; another process delivers it", hook.webhook.id)
            return False
        hook.renewed = renewed.renewed
        return True

    async def _serve(self, hook: _Hook) -> int:
        """Delivers what is due for one webhook: replays, then the feed after its cursor
        (up to GRAPH_API_MAX_PAGE_SIZE changes a round). Answers the attempts made."""
        w = hook.webhook
        now = datetime.now(UTC)
        made = 0
        waiting = [
            delivery_of(r["props"]) for r in await self.store.read("webhooks.waiting", {"id": w.id})
        ]
        for d in waiting:
            if d.status is DeliveryStatus.REPLAY and _due(d, now):
                made += 1
                if await self._attempt(hook, d, None) is None:
                    return made
        cursor = w.cursor
        head = next((d for d in waiting if d.status is DeliveryStatus.PENDING), None)
        if head is not None:
            if not _due(head, now):
                return made
            made += 1
            if await self._attempt(hook, head, cursor) not in _FINAL:
                return made
            cursor = head.position
        budget = self.settings.max_page_size
        while budget > 0:
            newest, pruned = await feed.head(self._reader)
            if cursor < pruned:
                made += 1
                if await self._attempt(hook, _resync(w, cursor, pruned), cursor) not in _FINAL:
                    return made
                cursor = pruned
                continue
            page = await feed.read_after(
                self._reader,
                cursor,
                budget,
                list(w.event_types),
                None if w.party_ids is None else list(w.party_ids),
            )
            if not page.edges:
                if newest > cursor:
                    # Nothing up to `newest` (all committed) is for this webhook.
                    await self.store.write(
                        "webhooks.skip",
                        {"webhookId": w.id, "owner": self.owner, "from": cursor, "to": newest},
                    )
                return made
            for _, change in page.edges:
                made += 1
                budget -= 1
                if await self._attempt(hook, _change_delivery(w, change), cursor) not in _FINAL:
                    return made
                cursor = change.position
            if not page.has_next_page:
                return made
        return made

    async def _attempt(
        self, hook: _Hook, delivery: Delivery, cursor: int | None
    ) -> DeliveryStatus | None:
        """One try of `delivery`, recorded; `cursor` (for the feed's next change, None for a
        replay) moves to the delivery's position with its final outcome. None: the lease was
        lost (nothing recorded; the new holder delivers it again)."""
        if not await self._renewed(hook):
            return None
        w = hook.webhook
        body = delivery.body
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(hook.secret, body, timestamp),
            DELIVERY_HEADER: delivery.id,
            WEBHOOK_HEADER: w.id,
        }
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        try:
            async with self._client.stream("POST", w.url, content=body, headers=headers) as r:
                status_code = r.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except httpx.TimeoutException as exc:
            error = f"timed out after {self.settings.webhook_timeout_s:g} s ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        elapsed = time.perf_counter() - started
        duration_ms = round(elapsed * 1000, 1)
        WEBHOOK_SECONDS.observe(elapsed)
        now = datetime.now(UTC)
        tries = delivery.tries + 1
        if error is None:
            status = DeliveryStatus.DELIVERED
        elif tries >= self.settings.webhook_max_attempts:
            status = DeliveryStatus.DEAD
        elif delivery.status is DeliveryStatus.REPLAY:
            status = DeliveryStatus.REPLAY
        else:
            status = DeliveryStatus.PENDING
        final = status in _FINAL
        next_at = None if final else now + timedelta(seconds=backoff_s(self.settings, tries))
        attempt = {
            "at": now.isoformat(),
            "statusCode": status_code,
            "error": error,
            "durationMs": duration_ms,
        }
        records = await self.store.write(
            "webhooks.record",
            {
                "webhookId": w.id,
                "owner": self.owner,
                "from": cursor,
                "to": delivery.position if final and cursor is not None else None,
                "delivery": delivery.as_props(),
                "attempt": orjson.dumps(attempt).decode(),
                "status": status.value,
                "now": now,
                "nextAttemptAt": next_at,
                "statusCode": status_code,
                "error": error,
            },
        )
        (log.info if error is None else log.warning)(
            "webhook %s delivery %s try %d: %s in %.1f ms%s",
            w.id,
            delivery.id,
            tries,
            status_code if error is None else error,
            duration_ms,
            "" if final or error is None else f"; next try at {next_at:%H:%M:%S}",
        )
        WEBHOOK_ATTEMPTS.labels(status.value).inc()
        if not records:
            log.warning("webhook %s: lease lost while delivering %s", w.id, delivery.id)
            self._held.pop(w.id, None)
            return None
        if status is DeliveryStatus.DEAD:
            log.error(
                "webhook %s delivery %s dead-lettered after %d tries (%s)",
                w.id,
                delivery.id,
                tries,
                error,
            )
        return status


_FINAL = (DeliveryStatus.DELIVERED, DeliveryStatus.DEAD)


def _due(delivery: Delivery, now: datetime) -> bool:
    return delivery.next_attempt_at is None or delivery.next_attempt_at <= now


def _new_delivery(
    w: Webhook,
    delivery_id: str,
    kind: str,
    position: int,
    change_id: str | None,
    type_: str,
    body: Mapping[str, Any],
) -> Delivery:
    return Delivery(
        id=delivery_id,
        webhook_id=w.id,
        kind=kind,
        position=position,
        change_id=change_id,
        type=type_,
        status=DeliveryStatus.PENDING,
        attempts=(),
        tries=0,
        created_at=datetime.now(UTC),
        next_attempt_at=None,
        delivered_at=None,
        dead_at=None,
        replays=0,
        payload=orjson.dumps(body).decode(),
    )


def _change_delivery(w: Webhook, change: FeedChange) -> Delivery:
    return _new_delivery(
        w,
        f"{w.id}:{change.position}",
        CHANGE,
        change.position,
        change.id,
        change.type,
        change_body(change),
    )


def _resync(w: Webhook, cursor: int, pruned: int) -> Delivery:
    """The notice that changes after `cursor` up to `pruned` were pruned before this webhook
    could deliver them (it was disabled past the feed's retention)."""
    body = {
        "action": RESYNC,
        "type": "graph",
        "cursor": feed.cursor_of(pruned),
        "position": pruned,
        "missedAfter": feed.cursor_of(cursor),
        "message": (
            f"changes {cursor + 1} to {pruned} were pruned from the feed before this webhook "
            "delivered them: resynchronise (read the current state); deliveries go on after "
            "`cursor`"
        ),
    }
    return _new_delivery(w, f"{w.id}:resync:{pruned}", RESYNC, pruned, None, "graph", body)
