"""Admin fields for webhooks: register, change, delete and list them, read the delivery log
and the dead-letter list, replay dead letters (services/webhooks.py delivers)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import orjson
import strawberry
from strawberry.scalars import JSON
from strawberry.utils.str_converters import to_camel_case

from graph_api.api.arguments import After, First, Input
from graph_api.api.context import Info
from graph_api.api.enums import register
from graph_api.api.view_types import PageInfo
from graph_api.domain import webhooks as d
from graph_api.domain.errors import InvalidInput
from graph_api.domain.webhooks import DeliveryStatus
from graph_api.services import feed
from graph_api.services.webhooks import DeliveryPage

register(
    DeliveryStatus,
    "Where a webhook delivery stands.",
    {
        "PENDING": "Failed so far; tried again after its backoff (the webhook waits for it).",
        "DELIVERED": "The receiver answered 2xx.",
        "DEAD": "Failed GRAPH_API_WEBHOOK_MAX_ATTEMPTS times: in the dead-letter list.",
        "REPLAY": "A dead letter an admin replays: being tried again.",
    },
    name="WebhookDeliveryStatus",
)


@strawberry.type(description="A webhook: where the changes of the feed are POSTed, signed.")
class Webhook:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    url: str = strawberry.field(description="The http(s) URL each change is POSTed to.")
    event_types: list[str] = strawberry.field(
        description="The change types delivered (the feed's types; INITIAL_LOAD always)."
    )
    party_ids: list[strawberry.ID] | None = strawberry.field(
        description="Only changes touching one of these parties; null: every party."
    )
    description: str = strawberry.field(description="What the webhook is for.")
    enabled: bool = strawberry.field(description="False: nothing is delivered (the cursor waits).")
    created_at: datetime.datetime = strawberry.field(description="When it was registered (UTC).")
    created_by: str = strawberry.field(description="The admin who registered it.")
    updated_at: datetime.datetime = strawberry.field(description="Last change (UTC).")
    updated_by: str = strawberry.field(description="The admin who changed it last.")
    cursor: str = strawberry.field(
        description=(
            "The feed cursor up to which every matching change is delivered or dead-lettered "
            "(the receiver's state; `changes(after:)` from it shows what is still to come)."
        )
    )
    lease_owner: str | None = strawberry.field(
        description="The service process delivering it now (host:pid:id), if any."
    )
    lease_until: datetime.datetime | None = strawberry.field(
        description="When that process's lease ends unless renewed (the database's clock)."
    )

    @classmethod
    def from_domain(cls, w: d.Webhook) -> Webhook:
        return cls(
            id=strawberry.ID(w.id),
            url=w.url,
            event_types=list(w.event_types),
            party_ids=None if w.party_ids is None else [strawberry.ID(p) for p in w.party_ids],
            description=w.description,
            enabled=w.enabled,
            created_at=w.created_at,
            created_by=w.created_by,
            updated_at=w.updated_at,
            updated_by=w.updated_by,
            cursor=feed.cursor_of(w.cursor),
            lease_owner=w.lease_owner,
            lease_until=w.lease_until,
        )


@strawberry.type(description="One try of a delivery.")
class WebhookAttempt:
    at: datetime.datetime = strawberry.field(description="When it ended (UTC).")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when it did not answer."
    )
    error: str | None = strawberry.field(
        description="Why it failed (HTTP status, timeout, connection); null when delivered."
    )
    duration_ms: float = strawberry.field(description="How long it took, in milliseconds.")


@strawberry.type(description="One change (or resynchronisation notice) delivered to a webhook.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(
        description="The delivery's id, sent as X-Graph-Delivery (the same on every retry)."
    )
    webhook_id: strawberry.ID = strawberry.field(description="The webhook.")
    kind: str = strawberry.field(
        description=(
            "CHANGE (a change of the feed) or RESYNC (changes were pruned before they were "
            "delivered: the receiver must read the current state again)."
        )
    )
    position: int = strawberry.field(description="The change's position in the feed.")
    change_id: strawberry.ID | None = strawberry.field(
        description="The change's id (null for RESYNC)."
    )
    type: str = strawberry.field(description="The change's type (people, employment, ...).")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Every try, oldest first.")
    created_at: datetime.datetime = strawberry.field(description="First try (UTC).")
    next_attempt_at: datetime.datetime | None = strawberry.field(
        description="When it is tried again (PENDING, REPLAY); null otherwise."
    )
    delivered_at: datetime.datetime | None = strawberry.field(
        description="When the receiver accepted it."
    )
    dead_at: datetime.datetime | None = strawberry.field(
        description="When it was dead-lettered (null unless DEAD)."
    )
    replays: int = strawberry.field(description="How often an admin replayed it.")
    payload: JSON = strawberry.field(description="The JSON body POSTed.")

    @classmethod
    def from_domain(cls, x: d.Delivery) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(x.id),
            webhook_id=strawberry.ID(x.webhook_id),
            kind=x.kind,
            position=x.position,
            change_id=None if x.change_id is None else strawberry.ID(x.change_id),
            type=x.type,
            status=x.status,
            attempts=[
                WebhookAttempt(
                    at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms
                )
                for a in x.attempts
            ],
            created_at=x.created_at,
            next_attempt_at=x.next_attempt_at,
            delivered_at=x.delivered_at,
            dead_at=x.dead_at,
            replays=x.replays,
            payload=JSON(orjson.loads(x.payload)),
        )


@strawberry.type(description="A delivery in a page, with its cursor.")
class WebhookDeliveryEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge (for `after`).")
    node: WebhookDelivery = strawberry.field(description="The delivery.")


@strawberry.type(description="A webhook's deliveries, newest first (by feed position).")
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge] = strawberry.field(description="The deliveries of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page is in the list.")

    @classmethod
    def from_domain(cls, page: DeliveryPage, after: str | None) -> WebhookDeliveryConnection:
        return cls(
            edges=[
                WebhookDeliveryEdge(cursor=c, node=WebhookDelivery.from_domain(x))
                for c, x in page.edges
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
        )


@strawberry.type(description="A new webhook, and its signing secret when the service made it.")
class CreatedWebhook:
    secret: str | None = strawberry.field(
        description=(
            "The secret the service generated (none was given): shown this once, not again. "
            "Null when the input gave one."
        )
    )
    webhook: Webhook = strawberry.field(description="The registered webhook.")


@strawberry.input(description="A webhook to register.")
class CreateWebhookInput:
    url: str = strawberry.field(description="The http or https URL to POST each change to.")
    event_types: list[str] = strawberry.field(
        description=(
            "The change types to deliver: the feed's types (people, organizations, "
            "employment, holdings, ...). The INITIAL_LOAD marker is always delivered."
        )
    )
    description: str = strawberry.field(description="What it is for (1-500 characters).")
    party_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only changes touching one of these parties (null: all)."
    )
    secret: str | None = strawberry.field(
        default=None,
        description=(
            "The signing secret (16-200 characters); omitted: the service makes one and "
            "answers it once."
        ),
    )


@strawberry.input(description="What to change of a webhook; what is omitted stays.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook.")
    url: str | None = strawberry.field(default=strawberry.UNSET, description="A new URL.")
    event_types: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="New change types."
    )
    party_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="New parties; null: every party."
    )
    secret: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new signing secret (16-200 characters)."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new description."
    )
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "False stops deliveries (the cursor waits; the feed's retention no longer waits "
            "for it); true resumes after the cursor."
        ),
    )


WebhookId = Annotated[strawberry.ID, strawberry.argument(description="The webhook.")]


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="The registered webhooks (admins only; never their secrets).")
    async def webhooks(
        self,
        info: Info,
        include_disabled: Annotated[
            bool, strawberry.argument(description="Also the disabled webhooks.")
        ] = True,
    ) -> list[Webhook]:
        found = await info.context.webhook_admin().webhooks(include_disabled)
        return [Webhook.from_domain(w) for w in found]

    @strawberry.field(
        description="A webhook's delivery log, newest first, every try with its outcome (admins)."
    )
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: WebhookId,
        status: Annotated[
            DeliveryStatus | None, strawberry.argument(description="Only deliveries in this state.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> WebhookDeliveryConnection:
        page = await info.context.webhook_admin().deliveries(str(webhook_id), status, first, after)
        return WebhookDeliveryConnection.from_domain(page, after)

    @strawberry.field(
        description=(
            "The dead letters (deliveries that failed every try), newest first (admins); "
            "replay them with replayWebhookDeliveries."
        )
    )
    async def webhook_dead_letters(
        self,
        info: Info,
        webhook_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this webhook's; null: every webhook's."),
        ] = None,
        first: First = None,
    ) -> list[WebhookDelivery]:
        found = await info.context.webhook_admin().dead_letters(
            None if webhook_id is None else str(webhook_id), first
        )
        return [WebhookDelivery.from_domain(x) for x in found]


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(
        description=(
            "Registers a webhook (admins only): every change committed from now on that "
            "matches its types and parties is POSTed to the URL, signed with its secret "
            "(README, Integrations)."
        )
    )
    async def create_webhook(self, info: Info, input: Input[CreateWebhookInput]) -> CreatedWebhook:
        secret, created = await info.context.webhook_admin().create(
            input.url,
            input.event_types,
            None if input.party_ids is None else [str(p) for p in input.party_ids],
            input.secret,
            input.description,
        )
        return CreatedWebhook(secret=secret, webhook=Webhook.from_domain(created))

    @strawberry.mutation(description="Changes a webhook (admins only); what is omitted stays.")
    async def update_webhook(self, info: Info, input: Input[UpdateWebhookInput]) -> Webhook:
        changes: dict[str, Any] = {}
        for name in ("url", "event_types", "secret", "description", "enabled"):
            value = getattr(input, name)
            if value is strawberry.UNSET:
                continue
            if value is None:
                field = "input." + to_camel_case(name)
                raise InvalidInput(f"{field} may be omitted, not null", field=field, value="null")
            changes[name] = value
        if input.party_ids is not strawberry.UNSET:
            changes["party_ids"] = (
                None if input.party_ids is None else [str(p) for p in input.party_ids]
            )
        updated = await info.context.webhook_admin().update(str(input.id), **changes)
        return Webhook.from_domain(updated)

    @strawberry.mutation(
        description=(
            "Deletes a webhook and its delivery log (admins only); to pause it, "
            "updateWebhook(enabled: false)."
        )
    )
    async def delete_webhook(self, info: Info, id: WebhookId) -> Webhook:
        return Webhook.from_domain(await info.context.webhook_admin().delete(str(id)))

    @strawberry.mutation(
        description=(
            "Puts dead letters back in their webhooks' queues (admins only): each is tried "
            "again (a new round of GRAPH_API_WEBHOOK_MAX_ATTEMPTS tries), with the same "
            "delivery id and body. All or none: an unknown id is NOT_FOUND, a delivery that "
            "is not dead CONFLICT."
        )
    )
    async def replay_webhook_deliveries(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="The dead letters' ids.")
        ],
    ) -> list[WebhookDelivery]:
        replayed = await info.context.webhook_admin().replay([str(i) for i in ids])
        return [WebhookDelivery.from_domain(x) for x in replayed]
