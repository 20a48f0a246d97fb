"""Step: interactions: visits, calls, service, complaints and the like.

Engaged accounts were met recently; the long tail long ago (sleeping customers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from graph_api.generate.generator import Generator, Row
from graph_api.generate.vocabulary import AS_OF, CST, SUBJECTS

KINDS = (
    "VISIT",
    "CALL",
    "MEETING",
    "EMAIL",
    "MESSAGE",
    "COMPLAINT",
    "CLAIM",
    "SERVICE",
    "PURCHASE",
    "BILLING",
    "EVENT",
)
_ENGAGED_WEIGHTS = (18, 25, 10, 12, 10, 4, 2, 8, 4, 4, 3)
_OTHER_WEIGHTS = (6, 25, 2, 10, 15, 6, 4, 16, 8, 6, 2)
_PASSIVE = ("COMPLAINT", "CLAIM", "SERVICE", "BILLING")
_CHANNEL = {
    "VISIT": "VISIT",
    "MEETING": "VISIT",
    "EMAIL": "EMAIL",
    "MESSAGE": "WECHAT",
    "EVENT": "VISIT",
}


def interaction(
    gen: Generator,
    parties: list[str],
    reps: Sequence[str],
    opportunity: str | None,
    engaged: bool,
) -> None:
    """One interaction of the parties with one or two of the `reps` (none if empty), about
    the opportunity if given."""
    rng = gen.rng
    gen.interactions += 1
    number = gen.interactions
    kind = rng.choices(KINDS, _ENGAGED_WEIGHTS if engaged else _OTHER_WEIGHTS)[0]
    passive = kind in _PASSIVE
    # Engaged accounts were met recently; the long tail includes sleeping customers.
    days = rng.expovariate(1 / (25 if engaged else 160))
    at = datetime.combine(AS_OF, datetime.min.time(), CST) - timedelta(
        days=min(days, 1500), minutes=rng.randint(0, 9 * 60)
    )
    at = at.replace(hour=max(8, min(20, at.hour)), second=0, microsecond=0)
    row: Row = {
        "id": f"i-{number:08d}",
        "kind": kind,
        "at": at.isoformat(),
        "direction": "PASSIVE" if passive or rng.random() < 0.1 else "ACTIVE",
        "purpose": "TRANSACTIONAL"
        if passive or kind in ("PURCHASE",)
        else ("DEVELOPMENT" if rng.random() < 0.8 else "TRANSACTIONAL"),
        "channel": _CHANNEL.get(kind, "PHONE"),
        "subject": SUBJECTS[kind],
        "partyIds": parties,
    }
    if reps:
        row["repIds"] = sorted(set(rng.sample(list(reps), min(len(reps), rng.choice((1, 1, 2))))))
    if opportunity is not None:
        row["opportunityId"] = opportunity
    gen.emit("interactions", row)
