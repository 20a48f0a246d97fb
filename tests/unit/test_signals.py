"""Signal rules on hand-made parties: profile points, the 'none' answer, sleeping windows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph_api.domain import model as m
from graph_api.domain.signals import (
    ORGANIZATION_PROFILE_POINTS,
    PERSON_PROFILE_POINTS,
    Escalation,
    profile_completeness,
    sleeping,
)


def test_profile_points_add_up_to_100() -> None:
    assert sum(points for _, points in PERSON_PROFILE_POINTS.values()) == 100
    assert sum(points for _, points in ORGANIZATION_PROFILE_POINTS.values()) == 100
    # Every key names a real attribute, so no field can silently never count.
    person, org = m.Person(id="p", name="x"), m.Organization(id="o", name="x")
    assert all(hasattr(person, attr) for attr, _ in PERSON_PROFILE_POINTS.values())
    assert all(hasattr(org, attr) for attr, _ in ORGANIZATION_PROFILE_POINTS.values())


def test_an_explicit_none_counts_as_filled_and_blank_does_not() -> None:
    # name 10 + phone 15 ("none" is an answer) = 25; email "  " is blank: missing.
    p = m.Person(id="p", name="甲", phone="none", email="  ", grade=3)
    result = profile_completeness(p, threshold=60)
    assert result.score == 25
    assert "phone" not in [f.field for f in result.missing]
    assert "email" in [f.field for f in result.missing]
    assert (result.compliant, result.flagged) == (False, True)  # grade 3, below 60


def test_grade_2_below_threshold_is_not_flagged() -> None:
    result = profile_completeness(m.Person(id="p", name="甲", grade=2), threshold=60)
    assert (result.score, result.compliant, result.flagged) == (10, False, False)


LAST = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("as_of", "days", "is_sleeping", "escalated"),
    [
        (date(2026, 1, 1), 0, False, False),
        (date(2026, 3, 1), 59, False, False),
        (date(2026, 3, 2), 60, True, False),
        (date(2026, 3, 31), 89, True, False),
        (date(2026, 4, 1), 90, True, True),
    ],
)
def test_sleeping_windows(as_of: date, days: int, is_sleeping: bool, escalated: bool) -> None:
    # 2026-01-01 + 59 days = 2026-03-01 (31 days of January, 28 of February).
    s = sleeping(LAST, None, 4, as_of, 60, 90)
    assert (s.days_since_last_interaction, s.sleeping, s.escalated) == (
        days,
        is_sleeping,
        escalated,
    )
    assert s.escalate_to == (Escalation.MANAGEMENT if escalated else Escalation.NONE)


def test_grade_5_escalates_to_the_head_of_sales() -> None:
    s = sleeping(LAST, None, 5, date(2026, 4, 1), 60, 90)
    assert s.escalate_to is Escalation.HEAD_OF_SALES


def test_never_contacted_counts_from_customer_since_or_is_escalated() -> None:
    since = sleeping(None, date(2026, 1, 1), 3, date(2026, 1, 31), 60, 90)
    assert (since.days_since_last_interaction, since.sleeping) == (30, False)
    unknown = sleeping(None, None, 3, date(2026, 1, 31), 60, 90)
    assert (unknown.days_since_last_interaction, unknown.sleeping, unknown.escalated) == (
        None,
        True,
        True,
    )


def test_window_is_a_parameter() -> None:
    # The 45-day review of another document.
    s = sleeping(LAST, None, 4, date(2026, 2, 15), 45, 90)
    assert (s.days_since_last_interaction, s.sleeping) == (45, True)
