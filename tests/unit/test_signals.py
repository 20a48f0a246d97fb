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


def test_masked_fields_count_neither_as_filled_nor_as_missing() -> None:
    # Two people who differ only in masked fields (phone, email, homeAddress, birthDate)
    # get the same profile for a viewer to whom they are masked. Filled visible fields:
    # name 10 + city 5 = 15 for both. The records: a has name 10 + phone 15 + email 10 +
    # city 5 = 40, b has name 10 + city 5 = 15; both below 60, grade 3: flagged.
    a = m.Person(id="a", name="甲", phone="1", email="a@x", city="深圳", grade=3)
    b = m.Person(id="b", name="乙", city="深圳", grade=3)
    masked = ("birthDate", "phone", "email", "homeAddress", "household")
    pa, pb = (profile_completeness(p, threshold=60, masked=masked) for p in (a, b))
    assert pa == pb
    assert pa.score == 15
    # Masked: phone 15, then the 10s by name; "household" has no points.
    assert [(f.field, f.points) for f in pa.masked] == [
        ("phone", 15),
        ("birthDate", 10),
        ("email", 10),
        ("homeAddress", 10),
    ]
    assert not {"phone", "email", "homeAddress", "birthDate"} & {f.field for f in pa.missing}
    # score + missing + masked = 100: occupation 10, preferredChannel 10, gender 5,
    # preferredTime 5, region 5, source 5 are missing (40).
    assert sum(f.points for f in pa.missing) == 40
    assert (pa.compliant, pa.flagged) == (False, True)
    # Unmasked, the same records tell their own scores (40 and 15) and list nothing masked.
    assert profile_completeness(a, threshold=60).score == 40
    assert profile_completeness(b, threshold=60).masked == ()


def test_compliance_is_the_records_whatever_is_masked() -> None:
    # name 10 + phone 15 + email 10 + homeAddress 10 + birthDate 10 + occupation 10 = 65:
    # compliant; masked, the viewer's score is name 10 + occupation 10 = 20 and the status
    # stays the record's.
    p = m.Person(
        id="p",
        name="甲",
        phone="1",
        email="e",
        home_address="h",
        birth_date=date(1970, 1, 1),
        occupation="CFO",
        grade=4,
    )
    masked = profile_completeness(
        p, threshold=60, masked=("phone", "email", "homeAddress", "birthDate")
    )
    assert (masked.score, masked.compliant, masked.flagged) == (20, True, False)
