"""Customer signals of DOMAIN.md: sleeping customers and profile (portrait) completeness.

Pure rules on a party and what the store knows of it; the clock is an argument, so a
caller (or a test) decides what "today" is.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from graph_api.domain import i18n
from graph_api.domain import model as m


class Escalation(StrEnum):
    """Who must hear of a sleeping customer."""

    NONE = "NONE"
    MANAGEMENT = "MANAGEMENT"  # two review windows without follow-up
    HEAD_OF_SALES = "HEAD_OF_SALES"  # ... and the customer is grade 5


i18n.labels(
    Escalation,
    {
        Escalation.NONE: i18n.Label("No escalation", "无需上报"),
        Escalation.MANAGEMENT: i18n.Label("Management", "上报主管领导"),
        Escalation.HEAD_OF_SALES: i18n.Label("Head of sales", "上报销售负责人"),
    },
)


@dataclass(frozen=True, slots=True)
class Sleeping:
    last_interaction_at: datetime | None
    days_since_last_interaction: int | None
    sleeping: bool
    escalated: bool
    escalate_to: Escalation
    window_days: int
    escalation_days: int


@dataclass(frozen=True, slots=True)
class ProfileField:
    field: str
    points: int


@dataclass(frozen=True, slots=True)
class ProfileCompleteness:
    score: int
    threshold: int
    compliant: bool
    missing: tuple[ProfileField, ...]
    # Grade 3+ customers below the threshold are reported to managers.
    flagged: bool
    # Fields masked for the viewer: neither filled nor missing for them (`score` and
    # `missing` leave them out); `compliant` and `flagged` are the record's, over every field.
    masked: tuple[ProfileField, ...] = ()


@dataclass(frozen=True, slots=True)
class Signals:
    as_of: date
    tier: m.Tier | None
    grade: int | None
    rad_cell: str | None
    sleeping: Sleeping
    profile: ProfileCompleteness


# Points per profile field (客户画像打分), 100 in all. Contact and identification fields weigh
# most because a sales person cannot follow up without them. Keys are the stored property
# names (as in the import format); values the attribute of the domain dataclass.
PERSON_PROFILE_POINTS: dict[str, tuple[str, int]] = {
    "name": ("name", 10),
    "phone": ("phone", 15),
    "email": ("email", 10),
    "homeAddress": ("home_address", 10),
    "birthDate": ("birth_date", 10),
    "occupation": ("occupation", 10),
    "preferredChannel": ("preferred_channel", 10),
    "gender": ("gender", 5),
    "city": ("city", 5),
    "region": ("region", 5),
    "preferredTime": ("preferred_time", 5),
    "source": ("source", 5),
}

ORGANIZATION_PROFILE_POINTS: dict[str, tuple[str, int]] = {
    "name": ("name", 10),
    "industry": ("industry", 15),
    "region": ("region", 10),
    "address": ("address", 10),
    "phone": ("phone", 10),
    "employees": ("employees", 10),
    "annualPurchase": ("annual_purchase", 10),
    "orgType": ("org_type", 5),
    "city": ("city", 5),
    "website": ("website", 5),
    "shareOfWallet": ("share_of_wallet", 5),
    "preferredChannel": ("preferred_channel", 5),
}


def follow_up_before(today: date | None = None) -> datetime:
    """The start of the day after `today` (UTC; default: now's): interactions before it are
    follow-ups as of today, those at or after it are dated ahead and not yet (`sleeping`
    counts the interactions before the end of the day asked about)."""
    day = today or datetime.now(UTC).date()
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def refresh_params(ids: Iterable[str], today: date | None = None) -> dict[str, Any]:
    """The parameters of `portfolio.refresh` for these parties: the ids, the profile score's
    points above (the query computes the same score from the stored properties) and where
    today ends (`follow_up_before`)."""

    def rows(points: dict[str, tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"field": f, "points": p} for f, (_, p) in points.items()]

    return {
        "ids": sorted(set(ids)),
        "personPoints": rows(PERSON_PROFILE_POINTS),
        "organizationPoints": rows(ORGANIZATION_PROFILE_POINTS),
        "before": follow_up_before(today),
    }


FLAG_FROM_GRADE = 3
HEAD_OF_SALES_GRADE = 5


def _filled(value: object) -> bool:
    # An explicit "none" is an answer (DOMAIN.md: unknown values may be filled with "none").
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def profile_completeness(
    party: m.Party, threshold: int, masked: Collection[str] = ()
) -> ProfileCompleteness:
    """The profile's points. `masked`: the fields the viewer may not see (access.py
    SENSITIVE_PERSON_FIELDS when the person's sensitive details are masked for them): they
    count neither as filled nor as missing in `score` and `missing`, so the answer says
    nothing of whether they are filled; they are listed in `masked` with their points.
    `compliant` and `flagged` are the record's status over every field, the same for every
    viewer (the portfolio's `belowCompliance` filter uses the same stored score)."""
    points = PERSON_PROFILE_POINTS if isinstance(party, m.Person) else ORGANIZATION_PROFILE_POINTS
    total = score = 0
    missing: list[ProfileField] = []
    hidden: list[ProfileField] = []
    for field, (attribute, value) in points.items():
        filled = _filled(getattr(party, attribute))
        total += value if filled else 0
        if field in masked:
            hidden.append(ProfileField(field, value))
        elif filled:
            score += value
        else:
            missing.append(ProfileField(field, value))
    compliant = total >= threshold
    flagged = not compliant and party.grade is not None and party.grade >= FLAG_FROM_GRADE
    missing.sort(key=lambda f: (-f.points, f.field))
    hidden.sort(key=lambda f: (-f.points, f.field))
    return ProfileCompleteness(score, threshold, compliant, tuple(missing), flagged, tuple(hidden))


def sleeping(
    last_interaction_at: datetime | None,
    customer_since: date | None,
    grade: int | None,
    as_of: date,
    window_days: int,
    escalation_days: int,
) -> Sleeping:
    """Days since the last interaction (or since the customer came, if never contacted).

    A customer with neither on record has never been followed up: sleeping and escalated.
    """
    if last_interaction_at is not None:
        start: date | None = last_interaction_at.astimezone(UTC).date()
    else:
        start = customer_since
    days = (as_of - start).days if start is not None else None
    is_sleeping = days is None or days >= window_days
    escalated = days is None or days >= escalation_days
    if not escalated:
        escalate_to = Escalation.NONE
    elif grade is not None and grade >= HEAD_OF_SALES_GRADE:
        escalate_to = Escalation.HEAD_OF_SALES
    else:
        escalate_to = Escalation.MANAGEMENT
    return Sleeping(
        last_interaction_at=last_interaction_at,
        days_since_last_interaction=days,
        sleeping=is_sleeping,
        escalated=escalated,
        escalate_to=escalate_to,
        window_days=window_days,
        escalation_days=escalation_days,
    )


def signals(
    party: m.Party,
    last_interaction_at: datetime | None,
    as_of: date,
    *,
    window_days: int,
    escalation_days: int,
    compliance_threshold: int,
) -> Signals:
    rad = party.rad_cell if isinstance(party, m.Organization) else None
    return Signals(
        as_of=as_of,
        tier=party.tier,
        grade=party.grade,
        rad_cell=rad,
        sleeping=sleeping(
            last_interaction_at,
            party.customer_since,
            party.grade,
            as_of,
            window_days,
            escalation_days,
        ),
        profile=profile_completeness(party, compliance_threshold),
    )
