"""Webhooks' vocabulary: a registration, one delivery of a change to it, and its attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from graph_api.domain import i18n


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"
    REPLAY = "REPLAY"


i18n.labels(
    DeliveryStatus,
    {
        DeliveryStatus.PENDING: i18n.Label("Retrying", "重试中"),
        DeliveryStatus.DELIVERED: i18n.Label("Delivered", "已送达"),
        DeliveryStatus.DEAD: i18n.Label("Dead letter", "死信"),
        DeliveryStatus.REPLAY: i18n.Label("Replaying", "重放中"),
    },
)

# The kinds of delivery: a change of the feed, or the notice that changes were pruned
# before they could be delivered (the receiver must resynchronise).
CHANGE = "CHANGE"
RESYNC = "RESYNC"


@dataclass(frozen=True, slots=True)
class Webhook:
    """A registration as listed: never its secret."""

    id: str
    url: str
    event_types: tuple[str, ...]
    party_ids: tuple[str, ...] | None
    description: str
    enabled: bool
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    # The feed position up to which every matching change is delivered or dead-lettered.
    cursor: int
    lease_owner: str | None
    lease_until: datetime | None


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: float


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    webhook_id: str
    kind: str
    position: int
    change_id: str | None
    type: str
    status: DeliveryStatus
    attempts: tuple[Attempt, ...]
    # Tries in the current round (a replay starts a new round).
    tries: int
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    dead_at: datetime | None
    replays: int
    payload: str

    @property
    def body(self) -> bytes:
        return self.payload.encode("utf-8")

    def as_props(self) -> dict[str, Any]:
        """What a new delivery node is created with (cypher/webhooks.cypher `record`)."""
        return {
            "id": self.id,
            "webhookId": self.webhook_id,
            "kind": self.kind,
            "position": self.position,
            "changeId": self.change_id,
            "type": self.type,
            "payload": self.payload,
        }
